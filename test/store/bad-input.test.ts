// Specification of what the store refuses (all or nothing, as a typed StoreError) and that it keeps
// reading and appending correctly afterwards.

import { describe, expect, it } from 'vitest';
import { MessageMagicCode } from '../../ts/protocol/commit-log-record.js';
import { GetMessageStatus, type StoreMessage } from '../../ts/store/message-store-api.js';
import type { NativeMessageStore } from '../../ts/store/native-message-store.js';
import { RecordDraftEncoder } from '../../ts/store/record-draft-encoder.js';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { StoreError, StoreErrorCode } from '../../ts/store/store-errors.js';
import { goldenMessage, openStore, placements } from './store-fixtures.js';

function storeError(code: StoreErrorCode): unknown {
  return expect.objectContaining({ name: 'StoreError', code });
}

/** The store still appends after the refused input, continuing the queue, and reads everything back. */
function expectStillWorking(store: NativeMessageStore, expectedQueueOffset: number): void {
  const physicalOffset = store.getMaxPhysicalOffset();
  const result = store.append([goldenMessage()]);
  expect(placements(result.offsets)).toEqual([[physicalOffset, expectedQueueOffset]]);
  const read = store.getMessages('TopicTest', 1, 0, 1000);
  expect(read.status).toBe(GetMessageStatus.FOUND);
  expect(decodeStoredRecords(read.buffer).map((r) => r.queueOffset)).toEqual(
    Array.from({ length: expectedQueueOffset + 1 }, (_, i) => i),
  );
}

/** A draft of `message` rewritten as V1 with a 1-byte topic length, whatever the topic's size. */
function v1Draft(message: StoreMessage): Buffer {
  const v2 = Buffer.from(new RecordDraftEncoder().encode([message]));
  expect(v2.readInt32BE(4)).toBe(MessageMagicCode.V2);
  const topicLengthAt = 88 + message.body.length;
  const v1 = Buffer.concat([v2.subarray(0, topicLengthAt), v2.subarray(topicLengthAt + 1)]);
  v1.writeInt32BE(v1.length, 0);
  v1.writeInt32BE(MessageMagicCode.V1, 4);
  return v1;
}

describe('store: bad input', () => {
  it('refuses a body over maxMessageSizeBytes with ERR_MESSAGE_ILLEGAL, accepts one at the limit', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20, maxMessageSizeBytes: 1024 });
    store.append([goldenMessage({ body: Buffer.alloc(1024) })]);
    expect(() => store.append([goldenMessage({ body: Buffer.alloc(1025) })])).toThrow(
      storeError(StoreErrorCode.MESSAGE_ILLEGAL),
    );
    expectStillWorking(store, 1);
  });

  it('refuses the whole batch when one message is bad', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20, maxMessageSizeBytes: 1024 });
    const batch = [goldenMessage(), goldenMessage({ body: Buffer.alloc(2000) }), goldenMessage()];
    expect(() => store.append(batch)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expect(store.getMaxPhysicalOffset()).toBe(0);
    expect(store.getMaxOffsetInQueue('TopicTest', 1)).toBe(0);
    expectStillWorking(store, 0);
  });

  it('refuses a V1 draft whose topic is over 127 bytes', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const draft = v1Draft(goldenMessage({ topic: 'T'.repeat(128) }));
    expect(() => store.appendDrafts(draft, 1)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expectStillWorking(store, 0);
  });

  it('accepts a V2 topic up to 255 bytes and refuses a longer one', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const long = `%RETRY%${'g'.repeat(248)}`;
    expect(Buffer.byteLength(long)).toBe(255);
    const result = store.append([goldenMessage({ topic: long, queueId: 0 })]);
    expect(placements(result.offsets)).toEqual([[0, 0]]);
    const read = store.getMessages(long, 0, 0, 1);
    expect(decodeStoredRecords(read.buffer).map((r) => [r.magicCode, r.topic])).toEqual([[MessageMagicCode.V2, long]]);
    expect(() => store.append([goldenMessage({ topic: `${long}x`, queueId: 0 })])).toThrow(
      storeError(StoreErrorCode.MESSAGE_ILLEGAL),
    );
    expectStillWorking(store, 0);
  });

  it('refuses properties over 32767 bytes before they reach the store', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const properties = `KEYS\x01${'k'.repeat(40_000)}\x02`;
    expect(() => store.append([goldenMessage({ properties })])).toThrow(
      storeError(StoreErrorCode.PROPERTIES_SIZE_EXCEEDED),
    );
    expectStillWorking(store, 0);
  });

  it('refuses a queueId of -1 or >= maxQueuesPerTopic with ERR_QUEUE_ID_ILLEGAL', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20, maxQueuesPerTopic: 8 });
    for (const queueId of [-1, 8, 1000]) {
      expect(() => store.append([goldenMessage({ queueId })])).toThrow(storeError(StoreErrorCode.QUEUE_ID_ILLEGAL));
      expect(() => store.getMessages('TopicTest', queueId, 0, 1)).toThrow(storeError(StoreErrorCode.QUEUE_ID_ILLEGAL));
      expect(() => store.getMaxOffsetInQueue('TopicTest', queueId)).toThrow(
        storeError(StoreErrorCode.QUEUE_ID_ILLEGAL),
      );
    }
    store.append([goldenMessage({ queueId: 7 })]);
    expectStillWorking(store, 0);
  });

  it('refuses reading past the end or inside a record with ERR_OFFSET_ILLEGAL', () => {
    const store = openStore({ commitLogFileSizeBytes: 4096 });
    store.append([goldenMessage(), goldenMessage()]);
    for (const physicalOffset of [1, 100, 336, 4096, 1 << 30]) {
      expect(() => store.getMessageByOffset(physicalOffset)).toThrow(storeError(StoreErrorCode.OFFSET_ILLEGAL));
    }
    expect(() => store.getMessageByOffset(-1)).toThrow(StoreError);
    expect(store.getMessageByOffset(168).length).toBe(168);
    expectStillWorking(store, 2);
  });

  it('refuses malformed drafts: bad magic, TOTALSIZE off by one, a count beyond the buffer', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const good = Buffer.from(new RecordDraftEncoder().encode([goldenMessage()]));
    const badMagic = Buffer.from(good);
    badMagic.writeInt32BE(0x12345678, 4);
    const badSize = Buffer.from(good);
    badSize.writeInt32BE(169, 0);
    expect(() => store.appendDrafts(badMagic, 1)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expect(() => store.appendDrafts(badSize, 1)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expect(() => store.appendDrafts(good, 2)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expect(() => store.appendDrafts(Buffer.concat([good, Buffer.alloc(3)]), 1)).toThrow(
      storeError(StoreErrorCode.MESSAGE_ILLEGAL),
    );
    expectStillWorking(store, 0);
  });

  it('refuses an empty batch and a non-integer offset as invalid arguments', () => {
    const store = openStore({ commitLogFileSizeBytes: 4096 });
    expect(() => store.append([])).toThrow(storeError(StoreErrorCode.INVALID_ARG));
    expect(() => store.getMessages('TopicTest', 1, 0.5, 1)).toThrow(storeError(StoreErrorCode.INVALID_ARG));
    expectStillWorking(store, 0);
  });
});
