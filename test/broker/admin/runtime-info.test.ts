// Specification of the GET_BROKER_RUNTIME_INFO table: the keys `mqadmin brokerStatus` and
// `clusterList` read, built from the stats, the CommitLog, the disks and the delay-level cursors.

import { describe, expect, it } from 'vitest';
import { BrokerStats } from '../../../ts/broker/domain/admin/broker-stats.js';
import {
  BROKER_VERSION,
  buildRuntimeInfo,
  diskUsedRatio,
  encodeKvTable,
  humanReadableByteCount,
  type RuntimeInfoSources,
} from '../../../ts/broker/domain/admin/runtime-info.js';

const GIB = 1024 ** 3;

function sources(overrides: Partial<RuntimeInfoSources> = {}): RuntimeInfoSources {
  const stats = new BrokerStats({ nowMs: () => 1_700_000_000_000, isSystemTopic: () => false });
  stats.recordPut('T', 3, 600);
  return {
    stats,
    commitLog: { minOffset: 0, maxOffset: 600, flushedOffset: 88, earliestMessageTimeMs: 1_700_000_000_123 },
    commitLogPath: '/store/commitlog',
    commitLogDisk: { totalBytes: 100 * GIB, freeBytes: 40 * GIB, usableBytes: 35 * GIB },
    consumeQueueDisk: { totalBytes: 100 * GIB, freeBytes: 40 * GIB, usableBytes: 35 * GIB },
    storeRootDisk: { totalBytes: 100 * GIB, freeBytes: 40 * GIB, usableBytes: 35 * GIB },
    scheduleOffsets: new Map([
      [1, [4, 6]],
      [3, [0, 0]],
    ]),
    brokerActive: true,
    transientStorePoolEnable: false,
    ...overrides,
  };
}

describe('admin: broker runtime info', () => {
  it('reports the CommitLog, disks, versions, delay levels and daily totals', () => {
    const info = buildRuntimeInfo(sources());
    expect(info).toMatchObject({
      commitLogMinOffset: '0',
      commitLogMaxOffset: '600',
      'commitLogDiskRatio_/store/commitlog': '0.64',
      commitLogDiskRatio: '0.64',
      consumeQueueDiskRatio: '0.64',
      scheduleMessageOffset_1: '4,6',
      scheduleMessageOffset_3: '0,0',
      brokerActive: 'true',
      brokerVersionDesc: 'V5_5_0',
      brokerVersion: String(BROKER_VERSION),
      msgPutTotalTodayNow: '3',
      msgPutTotalTodayMorning: '0',
      msgGetTotalTodayNow: '0',
      earliestMessageTimeStamp: '1700000000123',
      remainHowManyDataToFlush: '512 B',
      remainTransientStoreBufferNumbs: '2147483647',
      commitLogDirCapacity: 'Total : 100.0 GiB, Free : 40.0 GiB.',
      dispatchBehindBytes: '0',
      putMessageTimesTotal: '3',
      putMessageSizeTotal: '600',
      sendThreadPoolQueueSize: '0',
      pullThreadPoolQueueHeadWaitTimeMills: '0',
      timerReadBehind: '0',
      timerEnqueueTps: '0.0',
    });
    expect(BROKER_VERSION).toBe(513);
  });

  it('reports -1 for a missing disk and leaves the pool key out when the pool is on', () => {
    const info = buildRuntimeInfo(
      sources({ consumeQueueDisk: null, storeRootDisk: null, transientStorePoolEnable: true }),
    );
    expect(info.consumeQueueDiskRatio).toBe('-1.0');
    expect(info).not.toHaveProperty('commitLogDirCapacity');
    expect(info).not.toHaveProperty('remainTransientStoreBufferNumbs');
  });

  it('computes the used ratio as Java: used / (used + usable), rounded up to a hundredth', () => {
    expect(diskUsedRatio({ totalBytes: 1000, freeBytes: 500, usableBytes: 500 })).toBe(0.5);
    expect(diskUsedRatio({ totalBytes: 3000, freeBytes: 2000, usableBytes: 2000 })).toBe(0.34);
    expect(diskUsedRatio({ totalBytes: 0, freeBytes: 0, usableBytes: 0 })).toBe(-1);
  });

  it('writes byte counts as Java humanReadableByteCount(bytes, false)', () => {
    expect(humanReadableByteCount(0)).toBe('0 B');
    expect(humanReadableByteCount(1023)).toBe('1023 B');
    expect(humanReadableByteCount(1536)).toBe('1.5 KiB');
    expect(humanReadableByteCount(5 * 1024 * 1024)).toBe('5.0 MiB');
  });

  it('encodes the KVTable body', () => {
    expect(encodeKvTable({ a: '1', b: 'x y' }).toString()).toBe('{"table":{"a":"1","b":"x y"}}');
  });
});
