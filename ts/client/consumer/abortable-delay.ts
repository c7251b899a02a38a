// A timer promise that an AbortSignal cuts short: how pull loops and orderly retries wait without
// holding up shutdown or a queue drop. Depends on nothing.

/** Resolves after `delayMs`, or as soon as `signal` aborts (never rejects). */
export function abortableDelay(delayMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, delayMs);
    signal.addEventListener('abort', done, { once: true });
  });
}
