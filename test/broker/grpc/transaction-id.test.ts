// The gRPC transaction id: the half's CommitLog and queue offsets round-trip; anything else is
// INVALID_TRANSACTION_ID.

import { describe, expect, it } from 'vitest';
import { GrpcError } from '../../../ts/broker/grpc/grpc-status.js';
import { decodeTransactionId, encodeTransactionId } from '../../../ts/broker/grpc/transaction-id.js';
import { Code } from '../../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';

describe('grpc: transaction id', () => {
  it('round-trips the half location', () => {
    const id = encodeTransactionId(2 ** 40 + 17, 12345);
    expect(id).toMatch(/^[0-9A-F]{32}$/);
    expect(decodeTransactionId(id)).toEqual({ commitLogOffset: 2 ** 40 + 17, queueOffset: 12345 });
  });

  it('refuses empty, foreign and oversized ids with INVALID_TRANSACTION_ID', () => {
    for (const bad of ['', '  ', '0102FC00000001777F0B28B49900000000', 'G'.repeat(32), 'F'.repeat(32)]) {
      let code: Code | undefined;
      try {
        decodeTransactionId(bad);
      } catch (error) {
        code = error instanceof GrpcError ? error.code : undefined;
      }
      expect(code, bad).toBe(Code.INVALID_TRANSACTION_ID);
    }
  });
});
