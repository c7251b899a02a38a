// Specification of the store through N-API (NativeMessageStore over real files in temp dirs):
// golden bytes, offset assignment, reads and their status table, tag filters, and closing.

import { describe, expect, it } from 'vitest';
import { encodeMessageProperties } from '../../ts/protocol/message-properties.js';
import { tagsCode } from '../../ts/protocol/tag-code.js';
import { GetMessageStatus } from '../../ts/store/message-store-api.js';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { goldenMessage, goldenRecordBytes, openStore, placements } from './store-fixtures.js';

describe('store: the golden record', () => {
  it('stores the golden message of store.md §2.9 byte for byte', () => {
    const store = openStore({ commitLogFileSizeBytes: 4096 });
    const result = store.append([goldenMessage()]);
    expect(placements(result.offsets)).toEqual([[0, 0]]);

    const stored = store.getMessageByOffset(0);
    const golden = goldenRecordBytes();
    expect(stored.length).toBe(168);
    expect(stored.subarray(0, 56).toString('hex')).toBe(golden.subarray(0, 56).toString('hex'));
    expect(stored.subarray(64).toString('hex')).toBe(golden.subarray(64).toString('hex'));
    // STORETIMESTAMP is the one the append returned.
    expect(stored.readBigInt64BE(56)).toBe(BigInt(result.storeTimestamp));
    expect(Math.abs(result.storeTimestamp - Date.now())).toBeLessThan(60_000);
  });
});

describe('store: offsets', () => {
  it('assigns queue offsets per (topic, queueId) and contiguous physical offsets', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const queues = [
      ['TopicA', 0],
      ['TopicA', 1],
      ['TopicB', 0],
    ] as const;
    const batch = [0, 1, 2, 0, 0, 2, 1, 2].map((q) => {
      const [topic, queueId] = queues[q] as (typeof queues)[number];
      return goldenMessage({ topic, queueId, body: Buffer.alloc(10 + q) });
    });
    const first = placements(store.append(batch).offsets);
    const second = placements(store.append(batch.slice(0, 3)).offsets);
    expect(first.map(([, queueOffset]) => queueOffset)).toEqual([0, 0, 0, 1, 2, 1, 1, 2]);
    expect(second.map(([, queueOffset]) => queueOffset)).toEqual([3, 2, 3]);

    const records = decodeStoredRecords(Buffer.concat([...first, ...second].map(([p]) => store.getMessageByOffset(p))));
    let expectedPhysicalOffset = 0;
    for (const record of records) {
      expect(record.physicalOffset).toBe(expectedPhysicalOffset);
      expectedPhysicalOffset += record.totalSizeBytes;
    }
    expect(store.getMaxPhysicalOffset()).toBe(expectedPhysicalOffset);
    expect(store.getMinPhysicalOffset()).toBe(0);
    expect(store.getMaxOffsetInQueue('TopicA', 0)).toBe(4);
    expect(store.getMaxOffsetInQueue('TopicA', 1)).toBe(3);
    expect(store.getMaxOffsetInQueue('TopicB', 0)).toBe(4);
    expect(store.getMinOffsetInQueue('TopicB', 0)).toBe(0);
  });

  it('gives one store timestamp to a batch and fills CRC, offsets and timestamp in every record', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const { storeTimestamp } = store.append([goldenMessage(), goldenMessage({ body: Buffer.from('x') })]);
    const read = store.getMessages('TopicTest', 1, 0, 32);
    expect(read.status).toBe(GetMessageStatus.FOUND);
    const [a, b] = decodeStoredRecords(read.buffer);
    expect([a?.storeTimestamp, b?.storeTimestamp]).toEqual([storeTimestamp, storeTimestamp]);
    expect([a?.queueOffset, b?.queueOffset]).toEqual([0, 1]);
    expect([a?.physicalOffset, b?.physicalOffset]).toEqual([0, 168]);
    expect(a?.bodyCrc).toBe(0x3610a686);
    expect(b?.bodyCrc).toBe(0x0cdc1683); // crc32("x") & 0x7FFFFFFF, store.md §2.5
  });
});

describe('store: getMessages', () => {
  it('answers the GetMessageStatus table', () => {
    const store = openStore({ commitLogFileSizeBytes: 4096 });
    const empty = store.getMessages('TopicTest', 1, 0, 32);
    expect(empty.status).toBe(GetMessageStatus.NO_MESSAGE_IN_QUEUE);
    expect(empty.nextBeginOffset).toBe(0);

    store.append([goldenMessage(), goldenMessage(), goldenMessage()]);
    const found = store.getMessages('TopicTest', 1, 1, 32);
    expect(found).toMatchObject({ status: GetMessageStatus.FOUND, nextBeginOffset: 3, minOffset: 0, maxOffset: 3 });
    expect(found.messageCount).toBe(2);
    expect(found.buffer.length).toBe(2 * 168);
    expect(store.getMessages('TopicTest', 1, 3, 32)).toMatchObject({
      status: GetMessageStatus.OFFSET_OVERFLOW_ONE,
      nextBeginOffset: 3,
    });
    expect(store.getMessages('TopicTest', 1, 9, 32)).toMatchObject({
      status: GetMessageStatus.OFFSET_OVERFLOW_BADLY,
      nextBeginOffset: 3,
    });
  });

  it('stops at maxCount and maxSizeBytes but returns at least one message', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    store.append(Array.from({ length: 10 }, () => goldenMessage()));
    expect(store.getMessages('TopicTest', 1, 0, 4)).toMatchObject({ messageCount: 4, nextBeginOffset: 4 });
    expect(store.getMessages('TopicTest', 1, 0, 32, { maxSizeBytes: 3 * 168 })).toMatchObject({ messageCount: 3 });
    expect(store.getMessages('TopicTest', 1, 0, 32, { maxSizeBytes: 1 })).toMatchObject({ messageCount: 1 });
  });

  it('filters by tags hash code (Java String.hashCode, sign-extended)', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    // A tag whose hash is negative checks the sign extension on both sides.
    const negativeTag = 'polygenelubricants';
    expect(tagsCode(negativeTag)).toBeLessThan(0);
    const tags = ['TagA', 'TagB', undefined, negativeTag, 'TagA'];
    store.append(
      tags.map((TAGS, i) => goldenMessage({ properties: encodeMessageProperties({ TAGS, KEYS: `k${i}` }) })),
    );
    const keysOf = (buffer: Buffer): Array<string | undefined> =>
      decodeStoredRecords(buffer).map((r) => r.properties.get('KEYS'));

    const tagA = store.getMessages('TopicTest', 1, 0, 32, { tagCodes: [tagsCode('TagA')] });
    expect(tagA.status).toBe(GetMessageStatus.FOUND);
    expect(keysOf(tagA.buffer)).toEqual(['k0', 'k4']);
    expect(tagA.nextBeginOffset).toBe(5);

    const two = store.getMessages('TopicTest', 1, 0, 32, {
      tagCodes: new Float64Array([tagsCode(negativeTag), tagsCode('TagB')]),
    });
    expect(keysOf(two.buffer)).toEqual(['k1', 'k3']);
    expect(keysOf(store.getMessages('TopicTest', 1, 0, 32, { tagCodes: null }).buffer)).toHaveLength(5);

    const none = store.getMessages('TopicTest', 1, 0, 32, { tagCodes: [tagsCode('TagZ')] });
    expect(none.status).toBe(GetMessageStatus.NO_MATCHED_MESSAGE);
    expect(none.messageCount).toBe(0);
    expect(none.nextBeginOffset).toBe(5);
  });
});

describe('store: closing', () => {
  it('closes idempotently, then refuses every call with ERR_STORE_CLOSED', () => {
    const store = openStore();
    store.append([goldenMessage()]);
    store.close();
    store.close();
    const closed: unknown = expect.objectContaining({ code: StoreErrorCode.STORE_CLOSED, name: 'StoreError' });
    expect(() => store.append([goldenMessage()])).toThrow(closed);
    expect(() => store.getMessages('TopicTest', 1, 0, 1)).toThrow(closed);
    expect(() => store.getMessageByOffset(0)).toThrow(closed);
    expect(() => store.getMaxPhysicalOffset()).toThrow(closed);
  });
});
