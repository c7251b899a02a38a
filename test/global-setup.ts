// vitest global setup: fails the run at once, with the fix, when the native addon is not built
// (rather than every store suite failing on its own). Depends on ts/store/native-binding.ts.
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { nativeLoaderPath } from '../ts/store/native-binding.js';

export default function setup(): void {
  const loader = nativeLoaderPath();
  const nativeDir = dirname(loader);
  const addons = existsSync(nativeDir) ? readdirSync(nativeDir).filter((name) => name.endsWith('.node')) : [];
  if (!existsSync(loader) || addons.length === 0) {
    throw new Error(
      `The native store addon is not built (no ${nativeDir}/store.<platform>.node or index.cjs). ` +
        'Run `npm run build:native` (needs a Rust toolchain) or `npm install`.',
    );
  }
}
