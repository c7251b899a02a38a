// Gives the process's free allocator memory back to the OS (glibc malloc_trim through the addon), for
// servers after a drained peak of incomplete frames (docs/reliability.md §3). The store's package is
// the one home of native/ (ARCHITECTURE.md). Depends on native-binding.ts.

import { loadNativeBinding } from './native-binding.js';

let release: (() => boolean) | null | undefined;

/**
 * Returns the allocator's free pages to the OS; true when something was released. False off glibc, and
 * where the addon is not built (a registry run from sources alone): memory then waits for the allocator.
 */
export function releaseFreeMemory(): boolean {
  if (release === undefined) {
    try {
      release = loadNativeBinding().releaseFreeMemory;
    } catch {
      release = null;
    }
  }
  return release?.() ?? false;
}
