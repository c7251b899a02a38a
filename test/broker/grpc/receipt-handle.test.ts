// The gRPC receipt handles: built from a pop's answer (the message's checkpoint offset, queue and CommitLog
// offsets), decoded back (eight or nine fields), refused when malformed, expired after their invisible time.

import { describe, expect, it } from 'vitest';
import { GrpcError } from '../../../ts/broker/grpc/grpc-status.js';
import {
  ackRequestOf,
  changedReceiptHandle,
  decodeReceiptHandle,
  isExpiredReceipt,
} from '../../../ts/broker/grpc/receipt-handle.js';
import { Code } from '../../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';

function refusal(handle: string): unknown {
  try {
    decodeReceiptHandle(handle);
  } catch (error) {
    return error instanceof GrpcError ? { code: error.code, message: error.message } : error;
  }
  return null;
}

describe('gRPC receipt handles', () => {
  it('decodes the eight fields and the CommitLog offset', () => {
    const receipt = decodeReceiptHandle('5 1000 30000 3 0 broker-a 2 7 4096');
    expect(receipt).toMatchObject({
      ckQueueOffset: 5,
      popTime: 1000,
      invisibleTime: 30000,
      reviveQid: 3,
      topicMark: '0',
      brokerName: 'broker-a',
      queueId: 2,
      queueOffset: 7,
      commitLogOffset: 4096,
    });
    expect(decodeReceiptHandle('5 1000 30000 3 0 broker-a 2 7').commitLogOffset).toBe(-1);
  });

  it('refuses a handle with fewer than eight fields or a field that is not a number', () => {
    const invalid = { code: Code.INVALID_RECEIPT_HANDLE, message: 'receipt handle is invalid' };
    expect(refusal('not a handle')).toEqual(invalid);
    expect(refusal('5 1000 30000 3 0 broker-a 2')).toEqual(invalid);
    expect(refusal('5 x 30000 3 0 broker-a 2 7')).toEqual(invalid);
    expect(refusal('5 1000 30000 3 0 broker-a 2 7 y')).toEqual(invalid);
  });

  it('is expired once its invisible time has passed', () => {
    const receipt = decodeReceiptHandle('5 1000 30000 3 0 broker-a 2 7');
    expect(isExpiredReceipt(receipt, 31_000)).toBe(false);
    expect(isExpiredReceipt(receipt, 31_001)).toBe(true);
  });

  it('names the pop retry topic for a retried message and rebuilds the handle after a change', () => {
    const handle = '5 1000 30000 3 2 broker-a 0 9 4096';
    const request = ackRequestOf('g', 'T', handle, decodeReceiptHandle(handle));
    expect(request).toEqual({ consumerGroup: 'g', topic: '%RETRY%g+T', queueId: 0, extraInfo: handle, offset: 9 });
    const changed = { popTime: 2000, invisibleTime: 1000, reviveQid: 3 };
    expect(changedReceiptHandle(request, changed, 'broker-a', 4096)).toBe('9 2000 1000 3 2 broker-a 0 9 4096');
    expect(changedReceiptHandle(request, changed, 'broker-a', -1)).toBe('9 2000 1000 3 2 broker-a 0 9');
  });
});
