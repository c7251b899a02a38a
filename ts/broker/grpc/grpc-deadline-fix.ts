// Compat: grpc-js (1.14) wraps a `grpc-timeout` over ~24.8 days to an immediate DEADLINE_EXCEEDED; the official
// Java client opens Telemetry with `31535999M` (~60 years), which Java gRPC servers take as no deadline. This patch
// makes grpc-js do the same and leaves every other deadline to it. Depends on grpc-js internals.

import serverInterceptors from '@grpc/grpc-js/build/src/server-interceptors.js';

/** The largest delay a Node timer takes (2^31 - 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** grpc-js's own parse of the header (`DEADLINE_REGEX`, `deadlineUnitsToMs`). */
const TIMEOUT_HEADER = /(\d{1,8})\s*([HMSmun])/;
const UNIT_MS: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000_001 };

interface TimeoutHandling {
  handleTimeoutHeader: (this: unknown, header: unknown) => void;
  __cleanRocketMqDeadlineFix?: true;
}

/** The timeout a `grpc-timeout` value names, in ms; null when grpc-js would refuse it anyway. */
export function grpcTimeoutMs(header: string): number | null {
  const match = TIMEOUT_HEADER.exec(header);
  if (match === null) return null;
  return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
}

/** Installs the patch once per process. */
export function installGrpcDeadlineFix(): void {
  const prototype = serverInterceptors.BaseServerInterceptingCall.prototype as unknown as TimeoutHandling;
  if (prototype.__cleanRocketMqDeadlineFix === true) return;
  const original = prototype.handleTimeoutHeader;
  if (typeof original !== 'function') throw new Error('grpc-js changed: no handleTimeoutHeader to patch');
  prototype.handleTimeoutHeader = function handleTimeoutHeader(this: unknown, header: unknown): void {
    const timeoutMs = grpcTimeoutMs(String(header));
    if (timeoutMs !== null && timeoutMs > MAX_TIMER_MS) return;
    original.call(this, header);
  };
  prototype.__cleanRocketMqDeadlineFix = true;
}
