// Specification of the SEND reply: the extFields of a stored single send and batch (all strings),
// the base fields on every reply, and the table from store error codes to response codes and remarks.

import { describe, expect, it } from 'vitest';
import { socketAddress } from '../../../ts/common/socket-address.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import type { AppendResult } from '../../../ts/store/message-store-api.js';
import { StoreErrorCode } from '../../../ts/store/store-errors.js';
import {
  diskUtilText,
  sendResponseBaseFields,
  sendResponseFields,
  storedSendFromAppend,
  storeErrorToSendResponse,
} from '../../../ts/broker/domain/send/send-response.js';
import { storeErrorToSendReply } from '../../../ts/broker/api/broker-error-responses.js';

const storeHost = socketAddress('127.0.0.2', 10911);
const ILLEGAL_REMARK =
  'the message is illegal, maybe msg body or properties length not matched. ' +
  'msg body length limit 4194304B, msg properties length limit 32KB.';

describe('send: response header', () => {
  it('puts MSG_REGION and TRACE_ON on every reply', () => {
    expect(sendResponseBaseFields()).toEqual({ MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
    expect(sendResponseBaseFields({ regionId: 'eu', traceOn: false })).toEqual({ MSG_REGION: 'eu', TRACE_ON: 'false' });
  });

  it('answers a single send with the offset msgId, queue and UNIQ_KEY as strings', () => {
    const append: AppendResult = { storeTimestamp: 1, messageCount: 1, offsets: Float64Array.of(0, 7), endOffset: 168 };
    const fields = sendResponseFields(storedSendFromAppend(append, storeHost, 1, '7F0000010B6A18B4AAC26E5F5B7C0000'));
    expect(fields).toStrictEqual({
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
      msgId: '7F00000200002A9F0000000000000000',
      queueId: '1',
      queueOffset: '7',
      transactionId: '7F0000010B6A18B4AAC26E5F5B7C0000',
    });
  });

  it('answers a batch with comma-joined msgIds and the first queue offset, without a transactionId when none', () => {
    const append: AppendResult = {
      storeTimestamp: 1,
      messageCount: 3,
      offsets: Float64Array.of(168, 10, 336, 11, 504, 12),
      endOffset: 672,
    };
    expect(sendResponseFields(storedSendFromAppend(append, storeHost, 2))).toStrictEqual({
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
      msgId: '7F00000200002A9F00000000000000A8,7F00000200002A9F0000000000000150,7F00000200002A9F00000000000001F8',
      queueId: '2',
      queueOffset: '10',
    });
  });

  it("copies the offsets out of the store's reused buffer", () => {
    const offsets = Float64Array.of(168, 10);
    const send = storedSendFromAppend({ storeTimestamp: 1, messageCount: 1, offsets, endOffset: 336 }, storeHost, 0);
    offsets[0] = 999;
    expect(send.physicalOffsets).toEqual([168]);
  });

  it('formats disk usage as Java %5.2f', () => {
    expect(diskUtilText({ commitLogPercent: 91.256, consumeQueuePercent: 5.5, indexPercent: -1 })).toBe(
      'CL: 91.26 CQ:  5.50 INDEX: -1.00',
    );
  });
});

describe('send: store error → response code', () => {
  const diskFull =
    'service not available now. It may be caused by one of the following reasons: ' +
    "the broker's disk is full [CL: 95.00 CQ: 95.00 INDEX: 95.00], " +
    'messages are put to the slave, message store has been shut down, etc.';
  const context = {
    maxMessageSizeBytes: 4_194_304,
    diskUsage: { commitLogPercent: 95, consumeQueuePercent: 95, indexPercent: 95 },
  };

  it.each([
    [StoreErrorCode.FLUSH_DISK_TIMEOUT, { code: ResponseCode.FLUSH_DISK_TIMEOUT, remark: null, stored: true }],
    [StoreErrorCode.MESSAGE_ILLEGAL, { code: ResponseCode.MESSAGE_ILLEGAL, remark: ILLEGAL_REMARK, stored: false }],
    [
      StoreErrorCode.PROPERTIES_SIZE_EXCEEDED,
      { code: ResponseCode.MESSAGE_ILLEGAL, remark: ILLEGAL_REMARK, stored: false },
    ],
    [StoreErrorCode.QUEUE_ID_ILLEGAL, { code: ResponseCode.MESSAGE_ILLEGAL, remark: ILLEGAL_REMARK, stored: false }],
    [StoreErrorCode.DISK_FULL, { code: ResponseCode.SERVICE_NOT_AVAILABLE, remark: diskFull, stored: false }],
    [StoreErrorCode.STORE_CLOSED, { code: ResponseCode.SERVICE_NOT_AVAILABLE, remark: diskFull, stored: false }],
    [
      StoreErrorCode.CREATE_MAPPED_FILE_FAILED,
      {
        code: ResponseCode.SYSTEM_ERROR,
        remark: 'create mapped file failed, server is busy or broken.',
        stored: false,
      },
    ],
    [StoreErrorCode.IO, { code: ResponseCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR', stored: false }],
    [
      StoreErrorCode.OFFSET_ILLEGAL,
      { code: ResponseCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR DEFAULT', stored: false },
    ],
    [StoreErrorCode.CORRUPT, { code: ResponseCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR DEFAULT', stored: false }],
    [StoreErrorCode.INVALID_ARG, { code: ResponseCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR DEFAULT', stored: false }],
  ])('%s → %j', (code, response) => {
    expect(storeErrorToSendReply(code, context)).toEqual(response);
  });

  it('covers every store error code', () => {
    for (const code of Object.values(StoreErrorCode)) {
      expect(storeErrorToSendReply(code, context).code).toBeTypeOf('number');
    }
  });

  it('prints unknown disk usage as -1.00', () => {
    expect(storeErrorToSendResponse(StoreErrorCode.DISK_FULL, { maxMessageSizeBytes: 1 }).remark).toContain(
      '[CL: -1.00 CQ: -1.00 INDEX: -1.00]',
    );
  });
});
