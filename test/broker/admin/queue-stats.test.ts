// Specification of the queue views: TopicStatsTable (topicStatus) and ConsumeStats
// (consumerProgress): which queues and topics, the offsets and store times, and the fastjson bodies.

import { describe, expect, it } from 'vitest';
import {
  buildConsumeStats,
  consumedOffsetTotals,
  encodeConsumeStats,
  parseTopicList,
  topicsForCollecting,
  totalDiff,
} from '../../../ts/broker/domain/admin/consume-stats.js';
import {
  buildTopicStatsTable,
  encodeTopicStatsTable,
  type QueueOffsetsReader,
} from '../../../ts/broker/domain/admin/topic-stats.js';
import { newTopicConfig } from '../../../ts/broker/domain/meta/topic-config-manager.js';

/** Queue q of any topic holds offsets [min[q], max[q]); the message at offset o was stored at 1000 + o. */
function reader(min: number[], max: number[]): QueueOffsetsReader {
  return {
    getMinOffsetInQueue: (_topic, queueId) => min[queueId] ?? 0,
    getMaxOffsetInQueue: (_topic, queueId) => max[queueId] ?? 0,
    storeTimeAt: (_topic, queueId, offset) =>
      offset >= (min[queueId] ?? 0) && offset < (max[queueId] ?? 0) ? 1000 + offset : -1,
  };
}

describe('admin: topic stats', () => {
  it('lists max(read, write) queues with min, max and the newest store time', () => {
    const config = newTopicConfig('T', { readQueueNums: 2, writeQueueNums: 3 });
    const table = buildTopicStatsTable(config, 'broker-a', reader([0, 2, -1], [5, 2, 0]), 1.5);
    expect(table.offsetTable.map(([mq, offsets]) => [mq.queueId, offsets])).toEqual([
      [0, { lastUpdateTimestamp: 1004, maxOffset: 5, minOffset: 0 }],
      [1, { lastUpdateTimestamp: -1, maxOffset: 2, minOffset: 2 }],
      [2, { lastUpdateTimestamp: 0, maxOffset: 0, minOffset: 0 }],
    ]);
    expect(encodeTopicStatsTable({ offsetTable: table.offsetTable.slice(0, 1), topicPutTps: 1.5 }).toString()).toBe(
      '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:' +
        '{"lastUpdateTimestamp":1004,"maxOffset":5,"minOffset":0}},"topicPutTps":1.5}',
    );
  });
});

describe('admin: consume stats', () => {
  const view = (withOffsets: string[], subscribed: string[]) => ({
    topicsWithOffsets: () => withOffsets,
    subscribedTopics: () => new Set(subscribed),
  });

  it('collects the topics with offsets, minus those an online group does not subscribe to', () => {
    expect(topicsForCollecting('g', undefined, [], view(['A', 'B'], []))).toEqual(['A', 'B']);
    expect(topicsForCollecting('g', undefined, [], view(['A', 'B'], ['B', '%RETRY%g']))).toEqual(['B']);
    expect(topicsForCollecting('g', 'A', [], view([], []))).toEqual(['A']);
    expect(topicsForCollecting('g', 'A', [], view([], ['B']))).toEqual([]);
    // An explicit list skips the subscription check.
    expect(topicsForCollecting('g', 'A', ['C', 'D', 'C'], view([], ['B']))).toEqual(['C', 'D']);
  });

  it('splits the topicList header on ";"', () => {
    expect(parseTopicList(undefined)).toEqual([]);
    expect(parseTopicList('A;B;;')).toEqual(['A', 'B']);
  });

  it('reports per readable queue the broker offset, the committed offset and the last consumed store time', () => {
    const stats = buildConsumeStats({
      group: 'g',
      brokerName: 'broker-a',
      topics: [newTopicConfig('T', { readQueueNums: 3, writeQueueNums: 4 })],
      reader: reader([0, 0, 0], [5, 3, 0]),
      consumerOffset: (_topic, queueId) => [2, -1, 0][queueId] ?? -1,
      consumeTps: () => 2.5,
    });
    expect(stats.offsetTable.map(([mq, offsets]) => [mq.topic, mq.queueId, offsets])).toEqual([
      ['T', 0, { brokerOffset: 5, consumerOffset: 2, lastTimestamp: 1001, pullOffset: 2 }],
      ['T', 1, { brokerOffset: 3, consumerOffset: 0, lastTimestamp: 0, pullOffset: 0 }],
      ['T', 2, { brokerOffset: 0, consumerOffset: 0, lastTimestamp: 0, pullOffset: 0 }],
    ]);
    expect(stats.consumeTps).toBe(2.5);
    expect(totalDiff(stats)).toBe(6);
    expect(encodeConsumeStats({ consumeTps: 0, offsetTable: stats.offsetTable.slice(0, 1) }).toString()).toBe(
      '{"consumeTps":0,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:' +
        '{"brokerOffset":5,"consumerOffset":2,"lastTimestamp":1001,"pullOffset":2}}}',
    );
  });

  it('sums each topic@group pair of committed offsets as its consumed total', () => {
    const offsets = {
      groupTopicMap: () => new Map([['g', new Set(['A', 'B'])]]),
      queryOffsets: (_group: string, topic: string) =>
        topic === 'A'
          ? new Map([
              [0, 4],
              [1, 6],
            ])
          : new Map([[0, -1]]),
    };
    expect([...consumedOffsetTotals(offsets)]).toEqual([
      ['A@g', 10],
      ['B@g', 0],
    ]);
  });
});
