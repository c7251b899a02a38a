// The MessageStore conformance suite: what every store (NativeMessageStore over files,
// MemoryMessageStore in memory) must do, registered as describe blocks for a store factory. Golden
// bytes, offsets, the GetMessageStatus table, budgets and tag filters, refused input, queries by key,
// physical offset and time, and closing. Run by native-store-conformance.test.ts and
// memory-store-conformance.test.ts; the bad-input cases are in message-store-conformance-input.ts.
// OFFSET_TOO_SMALL, OFFSET_FOUND_NULL and MESSAGE_WAS_REMOVING need expired CommitLog or ConsumeQueue
// files, which only the native store has (the memory store keeps everything): they are not here.

import { describe, expect, it } from 'vitest';
import { encodeMessageProperties } from '../../ts/protocol/message-properties.js';
import { tagsCode } from '../../ts/protocol/tag-code.js';
import { MessageSysFlag } from '../../ts/protocol/message-sys-flag.js';
import { GetMessageStatus, type MessageStore } from '../../ts/store/message-store-api.js';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { describeStoreInputConformance } from './message-store-conformance-input.js';
import { goldenMessage, goldenRecordBytes, placements } from './store-fixtures.js';

/** Options every store takes, with the native store's names. */
export interface ConformanceStoreOptions {
  readonly maxMessageSizeBytes?: number;
  readonly maxQueuesPerTopic?: number;
  /** SYNC_FLUSH: a flush wait settles with the group commit (ASYNC_FLUSH may wait for 4 dirty pages). */
  readonly flushDiskType?: 'SYNC_FLUSH' | 'ASYNC_FLUSH';
}

export interface StoreUnderTest {
  /** A fresh empty store, released after the current test. */
  open(options?: ConformanceStoreOptions): MessageStore;
  /** Lets at least `ms` pass on the store's clock. */
  passTime(ms: number): Promise<void>;
}

const keysOf = (buffer: Buffer): Array<string | undefined> =>
  decodeStoredRecords(buffer).map((r) => r.properties.get('KEYS'));

export function describeMessageStoreConformance(name: string, stores: StoreUnderTest): void {
  describe(`${name}: the golden record and offsets`, () => describeAppends(stores));
  describe(`${name}: the fields the store fills`, () => describeRecordFields(stores));
  describe(`${name}: getMessages`, () => describeGetMessages(stores));
  describe(`${name}: tag filters`, () => describeTagFilters(stores));
  describe(`${name}: what the store derives from properties`, () => describeDispatch(stores));
  describe(`${name}: queries by key, physical offset and time`, () => describeQueries(stores));
  describe(`${name}: bad input`, () => describeStoreInputConformance(stores));
  describe(`${name}: flushing and closing`, () => describeClosing(stores));
}

function describeAppends(stores: StoreUnderTest): void {
  it('stores the golden message byte for byte', () => {
    const store = stores.open();
    const result = store.append([goldenMessage()]);
    expect(placements(result.offsets)).toEqual([[0, 0]]);

    const stored = store.getMessageByOffset(0);
    const golden = goldenRecordBytes();
    expect(stored.length).toBe(168);
    expect(result.endOffset).toBe(168);
    expect(stored.subarray(0, 56).toString('hex')).toBe(golden.subarray(0, 56).toString('hex'));
    expect(stored.subarray(64).toString('hex')).toBe(golden.subarray(64).toString('hex'));
    // STORETIMESTAMP is the one the append returned.
    expect(stored.readBigInt64BE(56)).toBe(BigInt(result.storeTimestamp));
    expect(Math.abs(result.storeTimestamp - Date.now())).toBeLessThan(60_000);
  });

  it('assigns queue offsets per (topic, queueId) and contiguous physical offsets', () => {
    const store = stores.open();
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
    expect(store.getMaxOffsetInQueue('TopicC', 0)).toBe(0);
    expect(store.getMinOffsetInQueue('TopicC', 0)).toBe(0);
  });
}

function describeRecordFields(stores: StoreUnderTest): void {
  it('gives one store timestamp to a batch and fills CRC, offsets and timestamp in every record', () => {
    const store = stores.open();
    const { storeTimestamp, endOffset } = store.append([goldenMessage(), goldenMessage({ body: Buffer.from('x') })]);
    expect(endOffset).toBe(168 + 164);
    const read = store.getMessages('TopicTest', 1, 0, 32);
    expect(read.status).toBe(GetMessageStatus.FOUND);
    const [a, b] = decodeStoredRecords(read.buffer);
    expect([a?.storeTimestamp, b?.storeTimestamp]).toEqual([storeTimestamp, storeTimestamp]);
    expect([a?.queueOffset, b?.queueOffset]).toEqual([0, 1]);
    expect([a?.physicalOffset, b?.physicalOffset]).toEqual([0, 168]);
    expect(a?.bodyCrc).toBe(0x3610a686);
    expect(b?.bodyCrc).toBe(0x0cdc1683); // crc32("x") & 0x7FFFFFFF
  });

  it('sets the IPv6 host bits of SYSFLAG from the hosts and keeps the other bits', () => {
    const store = stores.open();
    const v6 = { address: Uint8Array.from({ length: 16 }, (_, i) => i + 1), port: 7 };
    store.append([
      goldenMessage({
        bornHost: v6,
        sysFlag: MessageSysFlag.STOREHOSTADDRESS_V6_FLAG | MessageSysFlag.COMPRESSED_FLAG,
      }),
      goldenMessage({ storeHost: v6, reconsumeTimes: 3, flag: 9 }),
    ]);
    const [a, b] = decodeStoredRecords(store.getMessages('TopicTest', 1, 0, 32).buffer);
    expect(a?.sysFlag).toBe(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.COMPRESSED_FLAG);
    expect(a?.bornHost).toEqual({ address: v6.address, port: 7 });
    expect(b?.sysFlag).toBe(MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
    expect([b?.reconsumeTimes, b?.flag, b?.physicalOffset]).toEqual([3, 9, a?.totalSizeBytes]);
  });
}

function describeGetMessages(stores: StoreUnderTest): void {
  it('answers the GetMessageStatus table', () => {
    const store = stores.open();
    const empty = store.getMessages('TopicTest', 1, 0, 32);
    expect(empty.status).toBe(GetMessageStatus.NO_MESSAGE_IN_QUEUE);
    expect(empty.nextBeginOffset).toBe(0);
    expect(store.getMessages('TopicTest', 1, 5, 32)).toMatchObject({
      status: GetMessageStatus.NO_MESSAGE_IN_QUEUE,
      nextBeginOffset: 0,
      messageCount: 0,
    });

    store.append([goldenMessage(), goldenMessage(), goldenMessage()]);
    const found = store.getMessages('TopicTest', 1, 1, 32);
    expect(found).toMatchObject({ status: GetMessageStatus.FOUND, nextBeginOffset: 3, minOffset: 0, maxOffset: 3 });
    expect(found.messageCount).toBe(2);
    expect(found.buffer.length).toBe(2 * 168);
    expect(store.getMessages('TopicTest', 1, 3, 32)).toMatchObject({
      status: GetMessageStatus.OFFSET_OVERFLOW_ONE,
      nextBeginOffset: 3,
      minOffset: 0,
      maxOffset: 3,
    });
    expect(store.getMessages('TopicTest', 1, 9, 32)).toMatchObject({
      status: GetMessageStatus.OFFSET_OVERFLOW_BADLY,
      nextBeginOffset: 3,
    });
    expect(store.getMessages('TopicTest', 2, 0, 32).status).toBe(GetMessageStatus.NO_MESSAGE_IN_QUEUE);
  });

  it('stops at maxCount and maxSizeBytes but returns at least one message', () => {
    const store = stores.open();
    store.append(Array.from({ length: 10 }, () => goldenMessage()));
    expect(store.getMessages('TopicTest', 1, 0, 4)).toMatchObject({ messageCount: 4, nextBeginOffset: 4 });
    expect(store.getMessages('TopicTest', 1, 0, 32, { maxSizeBytes: 3 * 168 })).toMatchObject({
      messageCount: 3,
      nextBeginOffset: 3,
    });
    expect(store.getMessages('TopicTest', 1, 0, 32, { maxSizeBytes: 1 })).toMatchObject({ messageCount: 1 });
    expect(store.getMessages('TopicTest', 1, 8, 0)).toMatchObject({ messageCount: 1, nextBeginOffset: 9 });
  });
}

function describeTagFilters(stores: StoreUnderTest): void {
  it('filters by tags hash code (Java String.hashCode, sign-extended)', () => {
    const store = stores.open();
    // A tag whose hash is negative checks the sign extension on both sides.
    const negativeTag = 'polygenelubricants';
    expect(tagsCode(negativeTag)).toBeLessThan(0);
    const tags = ['TagA', 'TagB', undefined, negativeTag, 'TagA'];
    store.append(
      tags.map((TAGS, i) => goldenMessage({ properties: encodeMessageProperties({ TAGS, KEYS: `k${i}` }) })),
    );

    const tagA = store.getMessages('TopicTest', 1, 0, 32, { tagCodes: [tagsCode('TagA')] });
    expect(tagA.status).toBe(GetMessageStatus.FOUND);
    expect(keysOf(tagA.buffer)).toEqual(['k0', 'k4']);
    expect(tagA.nextBeginOffset).toBe(5);

    const two = store.getMessages('TopicTest', 1, 0, 32, {
      tagCodes: new Float64Array([tagsCode(negativeTag), tagsCode('TagB')]),
    });
    expect(keysOf(two.buffer)).toEqual(['k1', 'k3']);
    expect(keysOf(store.getMessages('TopicTest', 1, 0, 32, { tagCodes: null }).buffer)).toHaveLength(5);
    expect(keysOf(store.getMessages('TopicTest', 1, 0, 32, { tagCodes: [0] }).buffer)).toEqual(['k2']);

    const none = store.getMessages('TopicTest', 1, 0, 32, { tagCodes: [tagsCode('TagZ')] });
    expect(none.status).toBe(GetMessageStatus.NO_MATCHED_MESSAGE);
    expect(none.messageCount).toBe(0);
    expect(none.nextBeginOffset).toBe(5);
  });

  it('scans at most 800 filtered-out units per read, then resumes where it stopped', () => {
    const store = stores.open();
    const skipped = Array.from({ length: 900 }, () => goldenMessage({ properties: 'TAGS\x01TagB\x02' }));
    store.append([...skipped, goldenMessage({ properties: 'TAGS\x01TagA\x02KEYS\x01wanted\x02' })]);
    const tagCodes = [tagsCode('TagA')];
    const first = store.getMessages('TopicTest', 1, 0, 32, { tagCodes });
    expect(first).toMatchObject({ status: GetMessageStatus.NO_MATCHED_MESSAGE, nextBeginOffset: 800 });
    const second = store.getMessages('TopicTest', 1, first.nextBeginOffset, 32, { tagCodes });
    expect(second).toMatchObject({ status: GetMessageStatus.FOUND, nextBeginOffset: 901, messageCount: 1 });
    expect(keysOf(second.buffer)).toEqual(['wanted']);
  });
}

function describeDispatch(stores: StoreUnderTest): void {
  it('enqueues NOT and COMMIT records; PREPARED and ROLLBACK ones get queue offset 0 and no unit', () => {
    const store = stores.open();
    const types = [
      MessageSysFlag.TRANSACTION_PREPARED_TYPE,
      MessageSysFlag.TRANSACTION_NOT_TYPE,
      MessageSysFlag.TRANSACTION_ROLLBACK_TYPE,
      MessageSysFlag.TRANSACTION_COMMIT_TYPE,
    ];
    const result = store.append(types.map((sysFlag, i) => goldenMessage({ sysFlag, properties: `KEYS\x01t${i}\x02` })));
    expect(placements(result.offsets).map(([, queueOffset]) => queueOffset)).toEqual([0, 0, 0, 1]);
    expect(store.getMaxOffsetInQueue('TopicTest', 1)).toBe(2);
    expect(keysOf(store.getMessages('TopicTest', 1, 0, 32).buffer)).toEqual(['t1', 't3']);
    const now = Date.now();
    const indexed = (key: string) => store.queryMessage('TopicTest', key, 64, 0, now + 86_400_000).messageCount;
    expect([indexed('t0'), indexed('t1'), indexed('t2'), indexed('t3')]).toEqual([1, 1, 0, 1]);
  });

  it('gives SCHEDULE_TOPIC_XXXX units their deliver time as tags code (level clamped to the highest)', () => {
    const store = stores.open();
    const schedule = (delay: string, key: string) => {
      const properties = `DELAY\x01${delay}\x02KEYS\x01${key}\x02`;
      return goldenMessage({ topic: 'SCHEDULE_TOPIC_XXXX', queueId: 2, properties });
    };
    const batch = [schedule('3', 'level3'), schedule('99', 'clamped'), schedule('0', 'zero')];
    const { storeTimestamp } = store.append(batch);
    const withCode = (code: number) =>
      keysOf(store.getMessages('SCHEDULE_TOPIC_XXXX', 2, 0, 32, { tagCodes: [code] }).buffer);
    expect(withCode(storeTimestamp + 10_000)).toEqual(['level3']);
    expect(withCode(storeTimestamp + 7_200_000)).toEqual(['clamped']);
    expect(withCode(0)).toEqual(['zero']);
  });
}

function describeQueries(stores: StoreUnderTest): void {
  it('finds records by KEYS word and by UNIQ_KEY, newest first, within the time window', async () => {
    const store = stores.open();
    const first = store.append([goldenMessage(), goldenMessage({ properties: 'KEYS\x01K2 K3\x02TAGS\x01TagB\x02' })]);
    await stores.passTime(5);
    const second = store.append([goldenMessage({ topic: 'Other', properties: 'KEYS\x01K2\x02' })]);
    const endMs = Date.now() + 86_400_000;
    const k2 = store.queryMessage('TopicTest', 'K2', 64, 0, endMs);
    expect(k2.messageCount).toBe(2);
    expect(decodeStoredRecords(k2.buffer).map((r) => r.physicalOffset)).toEqual([168, 0]);
    const uniq = store.queryMessage('TopicTest', '7F000001000100000000000000000000', 64, 0, endMs);
    expect(decodeStoredRecords(uniq.buffer).map((r) => r.physicalOffset)).toEqual([0]);
    expect(store.queryMessage('TopicTest', 'K2', 1, 0, endMs).messageCount).toBe(1);
    expect(store.queryMessage('TopicTest', 'K9', 64, 0, endMs)).toMatchObject({ messageCount: 0 });
    expect(store.queryMessage('Other', 'K2', 64, 0, endMs).messageCount).toBe(1);
    expect(store.queryMessage('TopicTest', 'K1', 64, first.storeTimestamp + 60_000, endMs).messageCount).toBe(0);
    expect(store.queryMessage('TopicTest', 'K1', 64, 0, endMs).indexLastUpdateTimestamp).toBe(second.storeTimestamp);
  });

  it('reads records by physical offsets in the order asked, skipping offsets where none starts', () => {
    const store = stores.open();
    store.append([goldenMessage({ properties: 'KEYS\x01a\x02' }), goldenMessage({ properties: 'KEYS\x01b\x02' })]);
    const second = decodeStoredRecords(store.getMessages('TopicTest', 1, 1, 1).buffer)[0]?.physicalOffset ?? -1;
    expect(keysOf(store.getMessagesByOffsets([second, 0, 5, 1 << 20]))).toEqual(['b', 'a']);
    expect(store.getMessagesByOffsets([]).length).toBe(0);
    const copy = store.getMessageByOffset(0);
    copy.fill(0);
    expect(keysOf(store.getMessageByOffset(0))).toEqual(['a']);
  });

  it('finds queue offsets by store time and the earliest store time', async () => {
    const store = stores.open();
    expect(store.getEarliestMessageStoreTime('TopicTest', 1)).toBe(-1);
    expect(store.getOffsetInQueueByTime('TopicTest', 1, 0)).toBe(0);
    const a = store.append([goldenMessage(), goldenMessage()]);
    await stores.passTime(5);
    const b = store.append([goldenMessage()]);
    expect(b.storeTimestamp).toBeGreaterThan(a.storeTimestamp);
    expect(store.getEarliestMessageStoreTime('TopicTest', 1)).toBe(a.storeTimestamp);
    expect(store.getOffsetInQueueByTime('TopicTest', 1, 0)).toBe(0);
    expect(store.getOffsetInQueueByTime('TopicTest', 1, a.storeTimestamp)).toBe(0);
    expect(store.getOffsetInQueueByTime('TopicTest', 1, a.storeTimestamp + 1)).toBe(2);
    expect(store.getOffsetInQueueByTime('TopicTest', 1, b.storeTimestamp)).toBe(2);
    expect(store.getOffsetInQueueByTime('TopicTest', 1, b.storeTimestamp + 1)).toBe(3);
  });
}

function describeClosing(stores: StoreUnderTest): void {
  it('settles a flush wait for an appended batch', async () => {
    const store = stores.open({ flushDiskType: 'SYNC_FLUSH' });
    const { endOffset } = store.append([goldenMessage()]);
    await expect(store.whenFlushed(endOffset)).resolves.toBeUndefined();
  });

  it('closes idempotently, then refuses every call with ERR_STORE_CLOSED', () => {
    const store = stores.open();
    store.append([goldenMessage()]);
    store.close();
    store.close();
    const closed: unknown = expect.objectContaining({ code: StoreErrorCode.STORE_CLOSED, name: 'StoreError' });
    expect(() => store.append([goldenMessage()])).toThrow(closed);
    expect(() => store.getMessages('TopicTest', 1, 0, 1)).toThrow(closed);
    expect(() => store.getMessageByOffset(0)).toThrow(closed);
    expect(() => store.getMaxPhysicalOffset()).toThrow(closed);
    expect(() => store.getMaxOffsetInQueue('TopicTest', 1)).toThrow(closed);
    expect(() => store.queryMessage('TopicTest', 'K1', 1, 0, 1)).toThrow(closed);
  });
}
