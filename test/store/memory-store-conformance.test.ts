// The MessageStore conformance suite against MemoryMessageStore (a fake clock started at the wall
// clock), and the memory store's record bytes checked against the native store's for the same input.

import { describe, expect, it } from 'vitest';
import { encodeMessageProperties } from '../../ts/common/message-properties.js';
import { MessageSysFlag } from '../../ts/store/commit-log-record.js';
import { MemoryMessageStore } from '../../ts/store/memory-message-store.js';
import type { MessageStore, StoreMessage } from '../../ts/store/message-store-api.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { FakeScheduler } from '../support/fake-scheduler.js';
import { describeMessageStoreConformance } from './message-store-conformance.js';
import { goldenMessage, openStore } from './store-fixtures.js';

let clock = new FakeScheduler(Date.now());

describeMessageStoreConformance('memory store', {
  open: (options = {}) => {
    clock = new FakeScheduler(Date.now());
    return new MemoryMessageStore({ now: () => clock.now(), ...options });
  },
  passTime: (ms) => {
    clock.advance(ms);
    return Promise.resolve();
  },
});

const IPV6_HOST = { address: Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i), port: 9876 };

/** Messages that exercise every variable part of the layout. */
function variedMessages(): StoreMessage[] {
  return [
    goldenMessage(),
    goldenMessage({ topic: `%RETRY%${'g'.repeat(130)}`, queueId: 0, body: Buffer.alloc(0), properties: '' }),
    goldenMessage({ bornHost: IPV6_HOST, flag: 7, reconsumeTimes: 2, body: Buffer.alloc(3000, 0xab) }),
    goldenMessage({ storeHost: IPV6_HOST, sysFlag: MessageSysFlag.COMPRESSED | MessageSysFlag.MULTI_TAGS }),
    goldenMessage({ sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE, properties: 'KEYS\x01half\x02' }),
    goldenMessage({ sysFlag: MessageSysFlag.TRANSACTION_COMMIT_TYPE, preparedTransactionOffset: 1234 }),
    goldenMessage({
      properties: encodeMessageProperties({ TAGS: 'é😀', KEYS: 'ключ k2' }),
      body: Buffer.from('ü'),
    }),
    goldenMessage({ topic: 'SCHEDULE_TOPIC_XXXX', queueId: 3, properties: 'DELAY\x014\x02REAL_TOPIC\x01T\x02' }),
  ];
}

/** Every record of a store, by physical offset, as one Buffer (reads through the interface only). */
function allRecords(store: MessageStore, physicalOffsets: readonly number[]): Buffer {
  return store.getMessagesByOffsets(physicalOffsets);
}

describe('memory store: the same bytes as the native store', () => {
  it('stores every record byte for byte as the native store does, given its store time', () => {
    const native = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const nativeResult = native.append(variedMessages());
    const memory = new MemoryMessageStore({ now: () => nativeResult.storeTimestamp });
    const memoryResult = memory.append(variedMessages());
    expect(Array.from(memoryResult.offsets)).toEqual(Array.from(nativeResult.offsets));
    expect(memoryResult.endOffset).toBe(nativeResult.endOffset);
    expect(memoryResult.storeTimestamp).toBe(nativeResult.storeTimestamp);
    const physicalOffsets = Array.from(nativeResult.offsets).filter((_, i) => i % 2 === 0);
    expect(allRecords(memory, physicalOffsets).equals(allRecords(native, physicalOffsets))).toBe(true);
    for (const [topic, queueId] of [
      ['TopicTest', 1],
      ['SCHEDULE_TOPIC_XXXX', 3],
    ] as const) {
      const fromNative = native.getMessages(topic, queueId, 0, 32);
      const fromMemory = memory.getMessages(topic, queueId, 0, 32);
      expect(fromMemory).toEqual({ ...fromNative, buffer: expect.any(Buffer) as unknown });
      expect(fromMemory.buffer.equals(fromNative.buffer)).toBe(true);
    }
    const endMs = nativeResult.storeTimestamp + 1000;
    for (const key of ['K1', 'k2', 'ключ', 'half', '7F000001000100000000000000000000']) {
      const fromNative = native.queryMessage('TopicTest', key, 64, 0, endMs);
      const fromMemory = memory.queryMessage('TopicTest', key, 64, 0, endMs);
      expect(fromMemory.buffer.equals(fromNative.buffer)).toBe(true);
      expect(fromMemory.messageCount).toBe(fromNative.messageCount);
    }
  });

  it('takes its store time from the injected clock', () => {
    const clock = new FakeScheduler(1_000);
    const store = new MemoryMessageStore({ now: () => clock.now() });
    expect(store.append([goldenMessage()]).storeTimestamp).toBe(1_000);
    clock.advance(250);
    expect(store.append([goldenMessage()]).storeTimestamp).toBe(1_250);
    expect(store.getEarliestMessageStoreTime('TopicTest', 1)).toBe(1_000);
    expect(store.getOffsetInQueueByTime('TopicTest', 1, 1_001)).toBe(1);
  });

  it('refuses queries by key when messageIndexEnable is off, and flush waits once closed', async () => {
    const store = new MemoryMessageStore({ now: () => 0, messageIndexEnable: false });
    store.append([goldenMessage()]);
    expect(() => store.queryMessage('TopicTest', 'K1', 1, 0, 1)).toThrow(
      expect.objectContaining({ code: StoreErrorCode.INVALID_ARG }),
    );
    store.close();
    await expect(store.whenFlushed(1)).rejects.toMatchObject({ code: StoreErrorCode.STORE_CLOSED });
  });
});
