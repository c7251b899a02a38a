// Test helper: a domain check's result as the Remoting front answers it (the failure kind replaced by
// its response code through api/broker-error-responses.ts), so specifications keep Java's numbers.

import { responseCodeOf } from '../../ts/broker/api/broker-error-responses.js';
import type { BrokerErrorCode } from '../../ts/broker/domain/broker-error.js';

export function inRemoting<T extends { ok: boolean; code?: BrokerErrorCode }>(
  result: T,
): Omit<T, 'code'> | (Omit<T, 'code'> & { code: number }) {
  if (result.ok || result.code === undefined) return result;
  return { ...result, code: responseCodeOf(result.code) };
}
