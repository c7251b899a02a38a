// Gives memory back after a peak of incomplete frames: their buffers are freed only when V8 collects
// them, and an idle server may not collect for minutes, so the server asks for one full collection
// once a peak has drained. Depends on node:v8, node:vm.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/** A full garbage collection, if the runtime lets us ask for one (else nothing). */
export function collectGarbage(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    collect = typeof gc === 'function' ? (gc as () => void) : null;
  }
  collect?.();
}
