// The FIFO queue of a message group: Java String#hashCode and Guava Hashing.consistentHash, checked
// against values printed by Guava 32.0.1 (jshell), so a group lands on the queue Apache's proxy picks.

import { describe, expect, it } from 'vitest';
import { consistentHash, fifoQueueId, javaStringHashCode } from '../../../ts/broker/grpc/fifo-queue-selector.js';

describe('grpc: FIFO queue selection', () => {
  it('hashes strings as Java String#hashCode does', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('g1')).toBe(3242);
    expect(javaStringHashCode('order-42')).toBe(1234255197);
    expect(javaStringHashCode('消息组')).toBe(27744189);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(javaStringHashCode('zzzzzzzzzz')).toBe(-1580979136);
  });

  it('picks the bucket Guava consistentHash picks', () => {
    const guava: Array<[string, number, number]> = [
      ['g1', 4, 0],
      ['g1', 8, 6],
      ['g1', 16, 9],
      ['order-42', 4, 3],
      ['order-42', 16, 10],
      ['abc', 8, 7],
      ['abc', 16, 8],
      ['消息组', 4, 2],
      ['消息组', 16, 7],
      ['polygenelubricants', 3, 2],
      ['polygenelubricants', 100, 58],
      ['zzzzzzzzzz', 100, 81],
      ['group-7', 8, 7],
      ['group-7', 100, 77],
    ];
    for (const [group, buckets, bucket] of guava)
      expect(fifoQueueId(group, buckets), `${group}/${buckets}`).toBe(bucket);
  });

  it('puts everything in bucket 0 of 1 and refuses 0 buckets', () => {
    expect(consistentHash(123456, 1)).toBe(0);
    expect(() => consistentHash(1, 0)).toThrow(RangeError);
  });
});
