// Specification of the in-flight checkpoint table: acks by queue offset, repeated and unknown acks,
// completion, due checkpoints, the revive progress per revive queue, and its bound.

import { describe, expect, it } from 'vitest';
import {
  checkpointKey,
  InflightCheckpoints,
  unackedOffsets,
} from '../../../ts/broker/domain/pop/inflight-checkpoints.js';

const ck = (startOffset: number, diffs: number[], popTime = 1_000, invisibleTime = 5_000) => ({
  startOffset,
  popTime,
  invisibleTime,
  bitMap: 0,
  num: diffs.length,
  queueId: 0,
  topic: 'T',
  cid: 'G',
  reviveOffset: 0,
  queueOffsetDiff: diffs,
  brokerName: 'b',
});

describe('in-flight checkpoints', () => {
  it('acks by queue offset; a repeated or unknown ack changes nothing; the last ack completes it', () => {
    const table = new InflightCheckpoints(10);
    const entry = table.add(ck(10, [0, 2]), 1, 1_000, true, 7);
    expect(entry.key).toBe(checkpointKey('G', 'T', 0, 10, 1_000));
    expect(table.messageCount).toBe(2);
    expect(table.ack(entry.key, 11)).toEqual({ kind: 'unknown' });
    expect(table.ack('nope', 10)).toEqual({ kind: 'unknown' });
    expect(table.ack(entry.key, 12)).toMatchObject({ kind: 'acked', complete: false });
    expect(table.ack(entry.key, 12)).toMatchObject({ kind: 'already-acked' });
    expect(unackedOffsets(entry)).toEqual([10]);
    expect(table.ack(entry.key, 10)).toMatchObject({ kind: 'acked', complete: true });
    expect([table.size, table.messageCount]).toEqual([0, 0]);
  });

  it('finds due checkpoints and each revive queue lowest written offset; bounded', () => {
    const table = new InflightCheckpoints(2);
    table.add(ck(0, [0], 1_000, 1_000), 0, 1_000, true, 5);
    table.add(ck(1, [0], 1_000, 9_000), 0, 1_000, true, 3);
    expect(table.isFull()).toBe(true);
    expect(table.due(2_000, 10).map((entry) => entry.ck.startOffset)).toEqual([0]);
    expect(table.lowestReviveLogOffsets(2)).toEqual([3, undefined]);
    expect(table.unstored(Infinity)).toEqual([]);
  });
});
