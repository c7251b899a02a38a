// The conformance suite's bad-input cases: what every MessageStore refuses (all or nothing, as a typed
// StoreError) and that it keeps reading and appending correctly afterwards. Registered by
// message-store-conformance.ts; the native store's draft-level cases stay in bad-input.test.ts.

import { expect, it } from 'vitest';
import { MessageMagicCode } from '../../ts/store/commit-log-record.js';
import { GetMessageStatus, type MessageStore } from '../../ts/store/message-store-api.js';
import { decodeStoredRecords } from '../../ts/store/stored-record-decoder.js';
import { StoreError, StoreErrorCode } from '../../ts/store/store-errors.js';
import type { StoreUnderTest } from './message-store-conformance.js';
import { goldenMessage, placements } from './store-fixtures.js';

export function storeError(code: StoreErrorCode): unknown {
  return expect.objectContaining({ name: 'StoreError', code });
}

/** The store still appends after the refused input, continuing the queue, and reads everything back. */
export function expectStillWorking(store: MessageStore, expectedQueueOffset: number): void {
  const physicalOffset = store.getMaxPhysicalOffset();
  const result = store.append([goldenMessage()]);
  expect(placements(result.offsets)).toEqual([[physicalOffset, expectedQueueOffset]]);
  const read = store.getMessages('TopicTest', 1, 0, 1000);
  expect(read.status).toBe(GetMessageStatus.FOUND);
  expect(decodeStoredRecords(read.buffer).map((r) => r.queueOffset)).toEqual(
    Array.from({ length: expectedQueueOffset + 1 }, (_, i) => i),
  );
}

export function describeStoreInputConformance(stores: StoreUnderTest): void {
  it('refuses a body over maxMessageSizeBytes with ERR_MESSAGE_ILLEGAL, accepts one at the limit', () => {
    const store = stores.open({ maxMessageSizeBytes: 1024 });
    store.append([goldenMessage({ body: Buffer.alloc(1024) })]);
    expect(() => store.append([goldenMessage({ body: Buffer.alloc(1025) })])).toThrow(
      storeError(StoreErrorCode.MESSAGE_ILLEGAL),
    );
    expectStillWorking(store, 1);
  });

  it('refuses the whole batch when one message is bad', () => {
    const store = stores.open({ maxMessageSizeBytes: 1024 });
    const batch = [goldenMessage(), goldenMessage({ body: Buffer.alloc(2000) }), goldenMessage()];
    expect(() => store.append(batch)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expect(store.getMaxPhysicalOffset()).toBe(0);
    expect(store.getMaxOffsetInQueue('TopicTest', 1)).toBe(0);
    expectStillWorking(store, 0);
  });

  it('refuses a batch whose bad message comes last, leaving every queue of the batch untouched', () => {
    const store = stores.open({ maxQueuesPerTopic: 8 });
    const batch = [goldenMessage({ queueId: 2 }), goldenMessage({ topic: 'Other' }), goldenMessage({ queueId: 8 })];
    expect(() => store.append(batch)).toThrow(storeError(StoreErrorCode.QUEUE_ID_ILLEGAL));
    expect(store.getMaxOffsetInQueue('TopicTest', 2)).toBe(0);
    expect(store.getMaxOffsetInQueue('Other', 1)).toBe(0);
    expect(store.append([goldenMessage({ topic: 'Other' })]).offsets[1]).toBe(0);
  });

  it('accepts a V2 topic up to 255 bytes and refuses a longer one', () => {
    const store = stores.open();
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

  it('refuses an empty topic and characters outside [%|a-zA-Z0-9_-] with ERR_MESSAGE_ILLEGAL', () => {
    const store = stores.open();
    for (const topic of ['', 'Topic Test', 'Topic/1', 'Tópico']) {
      expect(() => store.append([goldenMessage({ topic })])).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    }
    expectStillWorking(store, 0);
  });

  it('refuses properties over 32767 bytes before they reach the store', () => {
    const store = stores.open();
    const properties = `KEYS\x01${'k'.repeat(40_000)}\x02`;
    expect(() => store.append([goldenMessage({ properties })])).toThrow(
      storeError(StoreErrorCode.PROPERTIES_SIZE_EXCEEDED),
    );
    expectStillWorking(store, 0);
  });

  it('refuses a queueId of -1 or >= maxQueuesPerTopic with ERR_QUEUE_ID_ILLEGAL', () => {
    const store = stores.open({ maxQueuesPerTopic: 8 });
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
    const store = stores.open();
    store.append([goldenMessage(), goldenMessage()]);
    for (const physicalOffset of [1, 100, 336, 4096, 1 << 30]) {
      expect(() => store.getMessageByOffset(physicalOffset)).toThrow(storeError(StoreErrorCode.OFFSET_ILLEGAL));
    }
    expect(() => store.getMessageByOffset(-1)).toThrow(StoreError);
    expect(store.getMessageByOffset(168).length).toBe(168);
    expectStillWorking(store, 2);
  });

  it('refuses an empty batch and a non-integer offset as invalid arguments', () => {
    const store = stores.open();
    expect(() => store.append([])).toThrow(storeError(StoreErrorCode.INVALID_ARG));
    expect(() => store.getMessages('TopicTest', 1, 0.5, 1)).toThrow(storeError(StoreErrorCode.INVALID_ARG));
    expect(() => store.getMessages('TopicTest', 1, -1, 1)).toThrow(storeError(StoreErrorCode.INVALID_ARG));
    expectStillWorking(store, 0);
  });
}
