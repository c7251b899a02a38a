import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { MemoryMetaConfigStore } from '../../../ts/broker/domain/meta/meta-config-store.js';
import { ConsumerOffsetManager } from '../../../ts/broker/domain/meta/consumer-offset-manager.js';
import { steppingClock } from './meta-fixtures.js';

const OPTIONS = { consumerOffsetUpdateVersionStep: 500, useServerSideResetOffset: true };

function manager(options = OPTIONS, store = new MemoryMetaConfigStore()) {
  const logger = createMemoryLogger();
  return { offsets: new ConsumerOffsetManager(options, { store, logger, nowMs: steppingClock() }), store, logger };
}

describe('meta: consumer offset manager', () => {
  it('answers -1 for an unknown offset and the committed one after a commit', () => {
    const { offsets } = manager();
    expect(offsets.queryOffset('cg', 'T', 0)).toBe(-1);
    offsets.commitOffset('10.0.0.5:5000', 'cg', 'T', 0, 42);
    offsets.commitOffset('10.0.0.5:5000', 'cg', 'T', 1, 7);
    expect(offsets.queryOffset('cg', 'T', 0)).toBe(42);
    expect(offsets.queryOffset('cg', 'T', 2)).toBe(-1);
    expect(offsets.queryOffset('other', 'T', 0)).toBe(-1);
    expect(offsets.queryOffsets('cg', 'T')).toEqual(
      new Map([
        [0, 42],
        [1, 7],
      ]),
    );
    expect(offsets.queryOffsets('cg', 'U')).toBeUndefined();
  });

  it('accepts a smaller offset but logs it', () => {
    const { offsets, logger } = manager();
    offsets.commitOffset('h', 'cg', 'T', 0, 10);
    offsets.commitOffset('h', 'cg', 'T', 0, 5);
    expect(offsets.queryOffset('cg', 'T', 0)).toBe(5);
    expect(logger.lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it('moves the data version once per consumerOffsetUpdateVersionStep commits', () => {
    const { offsets } = manager({ ...OPTIONS, consumerOffsetUpdateVersionStep: 2 });
    offsets.commitOffset('h', 'cg', 'T', 0, 1);
    expect(offsets.dataVersion.counter).toBe(0);
    offsets.commitOffset('h', 'cg', 'T', 0, 2);
    expect(offsets.dataVersion.counter).toBe(1);
  });

  it('maps topics to groups and back, clones and removes', () => {
    const { offsets } = manager();
    offsets.commitOffset('h', 'g1', 'T1', 0, 1);
    offsets.commitOffset('h', 'g1', 'T2', 0, 2);
    offsets.commitOffset('h', 'g2', 'T1', 0, 3);
    expect(offsets.whichTopicByConsumer('g1')).toEqual(new Set(['T1', 'T2']));
    expect(offsets.whichGroupByTopic('T1')).toEqual(new Set(['g1', 'g2']));
    offsets.cloneOffset('g1', 'g3', 'T2');
    expect(offsets.queryOffset('g3', 'T2', 0)).toBe(2);
    expect(offsets.removeOffset('g1')).toBe(true);
    expect(offsets.whichTopicByConsumer('g1')).toEqual(new Set());
    expect(offsets.queryOffset('g2', 'T1', 0)).toBe(3);
    offsets.cleanOffsetByTopic('T1');
    expect(offsets.whichGroupByTopic('T1')).toEqual(new Set());
  });

  it('answers a server-side reset first until it is taken', () => {
    const { offsets } = manager();
    offsets.commitOffset('h', 'cg', 'T', 0, 100);
    offsets.assignResetOffset('T', 'cg', 0, 10);
    expect(offsets.hasOffsetReset('T', 'cg', 0)).toBe(true);
    offsets.commitOffset('h', 'cg', 'T', 0, 101);
    expect(offsets.queryOffset('cg', 'T', 0)).toBe(10);
    expect(offsets.queryThenEraseResetOffset('T', 'cg', 0)).toBe(10);
    expect(offsets.queryOffset('cg', 'T', 0)).toBe(101);
    offsets.assignResetOffset('T', 'cg', -1, 10);
    expect(offsets.hasOffsetReset('T', 'cg', -1)).toBe(false);
  });

  it('encodes consumerOffset.json and reloads it, ignoring groupTopicMap', () => {
    const { offsets, store } = manager();
    offsets.commitOffset('h', 'cg', 'T', 0, 6);
    offsets.commitOffset('h', 'cg', 'T', 1, 3);
    offsets.persist();
    expect(store.document).toMatchObject({ groupTopicMap: { cg: ['T'] }, offsetTable: { 'T@cg': { 0: 6, 1: 3 } } });
    const deps = { store, logger: createMemoryLogger(), nowMs: steppingClock() };
    const reloaded = new ConsumerOffsetManager(OPTIONS, deps);
    expect(reloaded.queryOffsets('cg', 'T')).toEqual(
      new Map([
        [0, 6],
        [1, 3],
      ]),
    );
  });
});
