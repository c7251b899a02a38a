// Specification of the transaction domain's pure parts: the half, committed and op messages, the
// check rules (Java's order of tests), the resolved-offset window and op progress, and the record
// re-addressed for CHECK_TRANSACTION_STATE.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { socketAddress } from '../../../ts/common/socket-address.js';
import { encodeMessageProperties } from '../../../ts/protocol/message-properties.js';
import { MessageSysFlag } from '../../../ts/protocol/message-sys-flag.js';
import { decodeStoredRecord, type StoredMessage } from '../../../ts/protocol/record-decoder.js';
import { withRecordDestination } from '../../../ts/protocol/record-destination.js';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../../../ts/protocol/topics.js';
import {
  checkImmunityMs,
  checkPrepareMessage,
  countCheck,
  decideHalf,
  rejectCommitOrRollback,
} from '../../../ts/broker/domain/transaction/check-rules.js';
import {
  groupOpOffsets,
  isTransactionPrepared,
  parseOpRecord,
  toCommittedMessage,
  toHalfMessage,
  toOpMessage,
} from '../../../ts/broker/domain/transaction/transactional-message.js';
import {
  OpRecordIndex,
  RecentOffsets,
  RecentValues,
  ResolvedHalfOffsets,
} from '../../../ts/broker/domain/transaction/transaction-progress.js';
import { RecordDraftEncoder } from '../../../ts/store/record-draft-encoder.js';
import type { StoreMessage } from '../../../ts/store/message-store-api.js';

const HOST = socketAddress('127.0.0.1', 10911);
const NOW = 1_700_000_100_000;
const SETTINGS = { transactionTimeoutMs: 6000, transactionCheckMax: 15, fileReservedTimeMs: 72 * 3_600_000 };

/** A stored record of `message` (as a store would stamp it). */
function stored(message: StoreMessage, fields: { queueOffset?: number; physicalOffset?: number; storeMs?: number }) {
  const record = Buffer.from(new RecordDraftEncoder().encode([message]));
  record.writeBigInt64BE(BigInt(fields.queueOffset ?? 0), 20);
  record.writeBigInt64BE(BigInt(fields.physicalOffset ?? 0), 28);
  record.writeBigInt64BE(BigInt(fields.storeMs ?? NOW - 10_000), 56);
  return { record, decoded: decodeStoredRecord(record) };
}

function half(properties: Record<string, string>, bornMs: number, storeMs = bornMs, queueOffset = 0): StoredMessage {
  const message: StoreMessage = {
    topic: RMQ_SYS_TRANS_HALF_TOPIC,
    queueId: 0,
    body: Buffer.from('body'),
    properties: encodeMessageProperties({ UNIQ_KEY: 'U1', PGROUP: 'g', REAL_TOPIC: 'T', REAL_QID: '2', ...properties }),
    bornTimestamp: bornMs,
    bornHost: HOST,
    storeHost: HOST,
  };
  return stored(message, { queueOffset, storeMs }).decoded;
}

const moment = (resolved: number[] = [], ids: string[] = []) => ({
  passStartMs: NOW,
  nowMs: NOW,
  isResolved: (offset: number) => resolved.includes(offset),
  isResolvedId: (id: string) => ids.includes(id),
});

describe('transaction: messages', () => {
  it('makes a TRAN_MSG send a half of queue 0 of the half topic, keeping its destination', () => {
    const properties = new Map([
      ['TRAN_MSG', 'true'],
      ['UNIQ_KEY', 'U1'],
    ]);
    const message = {
      topic: 'T',
      queueId: 3,
      body: Buffer.from('x'),
      bornTimestamp: 1,
      bornHost: HOST,
      storeHost: HOST,
    };
    const result = toHalfMessage({ ...message, sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE | 0x2 }, properties);
    expect(result).toMatchObject({ topic: RMQ_SYS_TRANS_HALF_TOPIC, queueId: 0, sysFlag: 0x2 });
    expect(Object.fromEntries(properties)).toMatchObject({ REAL_TOPIC: 'T', REAL_QID: '3', __transactionId__: 'U1' });
    expect(isTransactionPrepared(new Map([['TRAN_MSG', 'TRUE']]), 0)).toBe(true);
    expect(isTransactionPrepared(new Map([['TRAN_MSG', 'yes']]), 0)).toBe(false);
    expect(
      isTransactionPrepared(
        new Map([
          ['TRAN_MSG', 'true'],
          ['DELAY', '3'],
        ]),
        1,
      ),
    ).toBe(false);
  });

  it('commits a half to its real queue with the prepared offset and without the transaction marks', () => {
    const committed = toCommittedMessage({ ...half({ TRAN_MSG: 'true' }, NOW), physicalOffset: 4242 });
    expect(committed).toMatchObject({ topic: 'T', queueId: 2, preparedTransactionOffset: 4242 });
    expect((committed?.sysFlag ?? 0) & 0xc).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(committed?.properties).toBe(encodeMessageProperties({ UNIQ_KEY: 'U1', PGROUP: 'g' }));
    expect(toCommittedMessage(half({ REAL_QID: 'x' }, NOW))).toBeNull();
  });

  it('writes op records as "offset," bodies with tag d, and reads them back', () => {
    const op = toOpMessage([17, 18], { storeHost: HOST, nowMs: NOW, uniqueId: 'OP1' });
    expect(Buffer.from(op.body).toString()).toBe('17,18,');
    const record = stored(op, {}).decoded;
    expect(parseOpRecord(record)).toEqual([17, 18]);
    expect(parseOpRecord({ ...record, properties: new Map([['TAGS', 'x']]) })).toEqual([]);
  });

  it('merges offsets into op records filled while shorter than transactionOpMsgMaxSize, as Java', () => {
    expect(groupOpOffsets([7, 8, 9], 4096)).toEqual([[7, 8, 9]]);
    // "7,8," is 4 bytes: full at 4, so 9 starts the next record; at 5 the third entry still fits.
    expect(groupOpOffsets([7, 8, 9], 4)).toEqual([[7, 8], [9]]);
    expect(groupOpOffsets([7, 8, 9], 5)).toEqual([[7, 8, 9]]);
    expect(groupOpOffsets([1234, 5], 1)).toEqual([[1234], [5]]);
    expect(groupOpOffsets([], 4096)).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000), { maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (offsets, max) => {
        const groups = groupOpOffsets(offsets, max);
        expect(groups.flat()).toEqual(offsets);
        groups.forEach((group, i) => {
          const body = group.map((offset) => `${offset},`).join('');
          expect(body.length - `${group.at(-1)},`.length).toBeLessThan(max);
          if (i < groups.length - 1) expect(body.length).toBeGreaterThanOrEqual(max);
        });
      }),
    );
  });
});

describe('transaction: check rules', () => {
  it('skips resolved halves (by offset or by transaction id), before anything else', () => {
    expect(decideHalf(half({}, NOW - 60_000), moment([0]), SETTINGS).kind).toBe('resolved');
    expect(decideHalf(half({}, NOW - 60_000), moment([], ['U1']), SETTINGS).kind).toBe('resolved');
  });

  it('discards a half checked transactionCheckMax times or older than the files are kept', () => {
    expect(decideHalf(half({ TRANSACTION_CHECK_TIMES: '15' }, NOW - 60_000), moment(), SETTINGS).kind).toBe('discard');
    const ancient = NOW - SETTINGS.fileReservedTimeMs - 1;
    expect(decideHalf(half({}, ancient, NOW - 60_000), moment(), SETTINGS).kind).toBe('discard');
  });

  it('stops at halves stored after the pass began or younger than the timeout', () => {
    expect(decideHalf(half({}, NOW - 60_000, NOW), moment(), SETTINGS).kind).toBe('stop');
    expect(decideHalf(half({}, NOW - 6000, NOW - 6000), moment(), SETTINGS).kind).toBe('stop');
  });

  it('checks older halves, counting TRANSACTION_CHECK_TIMES from 1', () => {
    const first = decideHalf(half({}, NOW - 6001), moment(), SETTINGS);
    expect(first.kind === 'check' && first.properties.get('TRANSACTION_CHECK_TIMES')).toBe('1');
    const again = decideHalf(half({ TRANSACTION_CHECK_TIMES: '4' }, NOW - 6001), moment(), SETTINGS);
    expect(again.kind === 'check' && again.properties.get('TRANSACTION_CHECK_TIMES')).toBe('5');
    expect(countCheck(new Map([['TRANSACTION_CHECK_TIMES', 'x']]), 15)?.get('TRANSACTION_CHECK_TIMES')).toBe('0');
  });

  it('copies a half within CHECK_IMMUNITY_TIME_IN_SECONDS forward, remembering its first offset', () => {
    const young = half({ CHECK_IMMUNITY_TIME_IN_SECONDS: '60' }, NOW - 30_000, NOW - 30_000, 7);
    const copy = decideHalf(young, moment(), SETTINGS);
    expect(copy.kind === 'immunityCopy' && copy.properties.get('TRAN_PREPARED_QUEUE_OFFSET')).toBe('7');
    const copied = half({ CHECK_IMMUNITY_TIME_IN_SECONDS: '60', TRAN_PREPARED_QUEUE_OFFSET: '7' }, NOW - 30_000);
    expect(decideHalf(copied, moment([7]), SETTINGS).kind).toBe('resolved');
    expect(decideHalf(copied, moment(), SETTINGS).kind).toBe('immunityCopy');
    const old = half({ CHECK_IMMUNITY_TIME_IN_SECONDS: '60', TRAN_PREPARED_QUEUE_OFFSET: '7' }, NOW - 61_000);
    expect(decideHalf(old, moment(), SETTINGS).kind).toBe('check');
  });

  it('reads immunity times as the check and as END_TRANSACTION do', () => {
    expect(checkImmunityMs('2', 6000, false)).toBe(2000);
    expect(checkImmunityMs('2', 6000, true)).toBe(6000);
    expect(checkImmunityMs('x', 6000, false)).toBe(6000);
    const immune = half({ CHECK_IMMUNITY_TIME_IN_SECONDS: '10' }, NOW - 11_000);
    expect(rejectCommitOrRollback(immune, false, NOW, 6000)).toBe(true);
    expect(rejectCommitOrRollback(immune, true, NOW, 6000)).toBe(false);
    expect(rejectCommitOrRollback(half({}, NOW - 100_000), false, NOW, 6000)).toBe(false);
  });

  it('names what is wrong with an END_TRANSACTION, in Java order', () => {
    const target = { producerGroup: 'g', tranStateTableOffset: 0, commitLogOffset: 0 };
    const record = half({}, NOW);
    expect(checkPrepareMessage(record, target)).toBeNull();
    expect(checkPrepareMessage(null, target)).toBe('Find prepared transaction message failed');
    expect(checkPrepareMessage({ ...record, topic: 'T' }, target)).toBe('Find prepared transaction message failed');
    expect(checkPrepareMessage(record, { ...target, producerGroup: 'h' })).toBe('The producer group wrong');
    expect(checkPrepareMessage(record, { ...target, tranStateTableOffset: 1 })).toBe(
      'The transaction state table offset wrong',
    );
    expect(checkPrepareMessage(record, { ...target, commitLogOffset: 9 })).toBe('The commit log offset wrong');
  });
});

describe('transaction: progress bookkeeping', () => {
  it('keeps resolved offsets from the window base on, forgetting those the progress passed', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }),
        fc.nat(5000),
        (offsets, cut) => {
          const window = new ResolvedHalfOffsets(1 << 20);
          window.reset(0);
          for (const offset of offsets) expect(window.add(offset)).toBe(true);
          const added = new Set(offsets);
          window.forgetBefore(cut);
          const wrong: number[] = [];
          for (let offset = cut; offset <= 5000; offset += 1)
            if (window.has(offset) !== added.has(offset)) wrong.push(offset);
          expect(wrong).toEqual([]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses offsets past its bound or before its base', () => {
    const window = new ResolvedHalfOffsets(64 * 1024);
    window.reset(100);
    expect(window.add(10)).toBe(false);
    expect(window.add(96 + 64 * 1024)).toBe(false);
    expect(window.add(96 + 64 * 1024 - 1)).toBe(true);
  });

  it('gives as op progress the first op record naming a half at or after the half progress', () => {
    const ops = new OpRecordIndex();
    ops.add(0, 3);
    ops.add(1, 9);
    ops.add(2, 4);
    ops.pruneBefore(5);
    expect(ops.progress(3)).toBe(1);
    ops.pruneBefore(10);
    expect(ops.progress(3)).toBe(3);
  });
  it('remembers the latest values added, forgetting the oldest first, like a bounded FIFO', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 })), { maxLength: 300 }),
        (capacity, operations) => {
          const recent = new RecentValues<number>(capacity);
          // The model: values in insertion order, the oldest evicted when the ring comes round.
          const ring: (number | undefined)[] = new Array<number | undefined>(capacity).fill(undefined);
          const live = new Map<number, number>();
          let next = 0;
          for (const [remove, value] of operations) {
            if (remove) {
              recent.delete(value);
              live.delete(value);
              continue;
            }
            recent.add(value);
            if (live.has(value)) continue;
            const oldest = ring[next];
            if (oldest !== undefined && live.get(oldest) === next) live.delete(oldest);
            ring[next] = value;
            live.set(value, next);
            next = (next + 1) % capacity;
          }
          for (let value = 0; value <= 40; value += 1) expect(recent.has(value)).toBe(live.has(value));
          expect(recent.size).toBeLessThanOrEqual(capacity);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('remembers resolved half offsets within capacity of the newest, a late old one never evicting a newer', () => {
    const recent = new RecentOffsets(8);
    for (const offset of [0, 1, 2, 5, 9]) recent.add(offset);
    expect([0, 1, 2, 3, 5, 9].map((offset) => recent.has(offset))).toEqual([true, false, true, false, true, true]);
    recent.add(1); // older than 9, which holds its slot
    expect(recent.has(1)).toBe(false);
    expect(recent.has(9)).toBe(true);
    recent.delete(9);
    expect(recent.has(9)).toBe(false);
    recent.delete(2);
    expect(recent.has(2)).toBe(false);
    expect(recent.has(-1)).toBe(false);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(1000), { maxLength: 100 }), (offsets) => {
        const table = new RecentOffsets(64);
        const sorted = [...offsets].sort((a, b) => a - b);
        for (const offset of sorted) table.add(offset);
        const newest = sorted.at(-1) ?? 0;
        for (const offset of sorted) {
          const overwritten = sorted.some((other) => other > offset && other % 64 === offset % 64);
          expect(table.has(offset)).toBe(!overwritten);
          if (offset > newest - 64) expect(table.has(offset)).toBe(true);
        }
      }),
    );
  });

  it('keeps exactly the last capacity values of a long run', () => {
    const recent = new RecentValues<string>(1000);
    for (let i = 0; i < 100_000; i += 1) recent.add(`id-${i}`);
    expect(recent.size).toBe(1000);
    expect(recent.has('id-98999')).toBe(false);
    expect(recent.has('id-99000')).toBe(true);
    expect(recent.has('id-99999')).toBe(true);
  });
});

describe('transaction: the record of a check-back', () => {
  it('re-addresses a stored record to its real topic and queue, every other field kept', () => {
    const message: StoreMessage = {
      topic: RMQ_SYS_TRANS_HALF_TOPIC,
      queueId: 0,
      body: Buffer.from('payload'),
      properties: encodeMessageProperties({ REAL_TOPIC: 'RealTopic', REAL_QID: '5', UNIQ_KEY: 'U' }),
      bornTimestamp: 123,
      bornHost: HOST,
      storeHost: HOST,
      reconsumeTimes: 2,
    };
    const { record, decoded } = stored(message, { queueOffset: 8, physicalOffset: 999 });
    for (const topic of ['RealTopic', 'T'.repeat(200)]) {
      const moved = decodeStoredRecord(withRecordDestination(record, topic, 5));
      expect(moved.topic).toBe(topic);
      expect(moved.queueId).toBe(5);
      expect(moved.magicCode === decoded.magicCode).toBe(topic.length <= 127);
      const kept = (r: StoredMessage) => [r.body, r.propertiesString, r.bornTimestamp, r.queueOffset, r.physicalOffset];
      expect(kept(moved)).toEqual(kept(decoded));
      expect([moved.reconsumeTimes, moved.sysFlag, moved.storeTimestamp]).toEqual([2, decoded.sysFlag, NOW - 10_000]);
    }
  });
});
