// The GET_BROKER_RUNTIME_INFO table (Java `AdminBrokerProcessor#prepareRuntimeInfo` over
// `DefaultMessageStore#getRuntimeInfo`): the keys `mqadmin brokerStatus` prints, from values the
// broker gathered (stats, CommitLog offsets, disk space, delay-level cursors), and the KVTable body.
// Pure. Depends on broker-stats.ts and admin-json.ts.

import { fastJsonBody, javaDouble } from './admin-json.js';
import type { BrokerStats } from './broker-stats.js';

/** MQVersion.Version.V5_5_0: the release whose behaviour we follow, as the peer broker reports it. */
export const BROKER_VERSION = 513;
export const BROKER_VERSION_DESC = 'V5_5_0';

/** The request pools whose queue keys Java reports (send, pull, litePull, query, ack). */
const REQUEST_POOLS = ['send', 'pull', 'litePull', 'query', 'ack'] as const;

/** Java `remainTransientStoreBufferNumbs()` without a transient store pool. */
const NO_TRANSIENT_POOL_BUFFERS = 2147483647;

/** Space of the file system holding a path (statfs), in bytes. */
export interface DiskSpace {
  readonly totalBytes: number;
  readonly freeBytes: number;
  /** Free to an unprivileged user (Java `getUsableSpace`). */
  readonly usableBytes: number;
}

/** The CommitLog's state the table reports. */
export interface CommitLogState {
  readonly minOffset: number;
  readonly maxOffset: number;
  readonly flushedOffset: number;
  /** Store time of the oldest CommitLog record; -1 when there is none. */
  readonly earliestMessageTimeMs: number;
}

/** Implemented over the store by infra (AdminStoreView). */
export interface CommitLogReader {
  commitLog(): CommitLogState;
}

/** Implemented over statfs by infra; null when the path does not exist. */
export type DiskSpaceReader = (path: string) => DiskSpace | null;

export interface RuntimeInfoSources {
  readonly stats: BrokerStats;
  readonly commitLog: CommitLogState;
  readonly commitLogPath: string;
  readonly commitLogDisk: DiskSpace | null;
  readonly consumeQueueDisk: DiskSpace | null;
  readonly storeRootDisk: DiskSpace | null;
  /** delay level → [cursor (next offset to deliver), max offset of its SCHEDULE_TOPIC_XXXX queue]. */
  readonly scheduleOffsets: ReadonlyMap<number, readonly [number, number]>;
  /** Java `isSpecialServiceRunning`: a master's schedule service runs. */
  readonly brokerActive: boolean;
  readonly transientStorePoolEnable: boolean;
}

/** The runtime info table, keys as Java names them. */
export function buildRuntimeInfo(sources: RuntimeInfoSources): Record<string, string> {
  const info: Record<string, string> = { ...sources.stats.storeRuntimeInfo() };
  // DefaultMessageStore#getRuntimeInfo
  const commitLogRatio = diskUsedRatio(sources.commitLogDisk);
  info[`commitLogDiskRatio_${sources.commitLogPath}`] = javaDouble(commitLogRatio);
  info.commitLogDiskRatio = javaDouble(commitLogRatio);
  info.consumeQueueDiskRatio = javaDouble(diskUsedRatio(sources.consumeQueueDisk));
  info.commitLogMinOffset = String(sources.commitLog.minOffset);
  info.commitLogMaxOffset = String(sources.commitLog.maxOffset);
  // ScheduleMessageService#buildRunningStats
  for (const [level, [delayOffset, maxOffset]] of sources.scheduleOffsets) {
    info[`scheduleMessageOffset_${level}`] = `${delayOffset},${maxOffset}`;
  }
  info.brokerActive = String(sources.brokerActive);
  info.brokerVersionDesc = BROKER_VERSION_DESC;
  info.brokerVersion = String(BROKER_VERSION);
  for (const [key, value] of Object.entries(sources.stats.dailyTotals())) info[key] = String(value);
  // The ConsumeQueues are written in the same call as the CommitLog: nothing waits for dispatch,
  // and no append holds the page cache lock while a request is being answered.
  info.dispatchBehindBytes = '0';
  info.pageCacheLockTimeMills = '0';
  info.earliestMessageTimeStamp = String(sources.commitLog.earliestMessageTimeMs);
  info.startAcceptSendRequestTimeStamp = '0';
  // Compat: TimerMessageService keeps no dequeue-lag, enqueue-lag, congestion or TPS counters;
  // these are Java's values for a broker whose timer wheel is off.
  info.timerReadBehind = '0';
  info.timerOffsetBehind = '0';
  info.timerCongestNum = '0';
  info.timerEnqueueTps = '0.0';
  info.timerDequeueTps = '0.0';
  if (!sources.transientStorePoolEnable) info.remainTransientStoreBufferNumbs = String(NO_TRANSIENT_POOL_BUFFERS);
  info.remainHowManyDataToFlush = humanReadableByteCount(
    Math.max(0, sources.commitLog.maxOffset - sources.commitLog.flushedOffset),
  );
  if (sources.storeRootDisk !== null) {
    const { totalBytes, freeBytes } = sources.storeRootDisk;
    info.commitLogDirCapacity =
      `Total : ${humanReadableByteCount(totalBytes)}, ` + `Free : ${humanReadableByteCount(freeBytes)}.`;
  }
  // Compat: requests run on the event loop as they arrive; no request waits in a thread-pool
  // queue, so the queue sizes and head waits are 0 (clusterList prints them). There are no pool
  // capacities to report, so Java's *ThreadPoolQueueCapacity keys are left out.
  for (const pool of REQUEST_POOLS) {
    info[`${pool}ThreadPoolQueueSize`] = '0';
    info[`${pool}ThreadPoolQueueHeadWaitTimeMills`] = '0';
  }
  info.EndTransactionQueueSize = '0';
  return info;
}

/** The KVTable body: `{"table":{…}}`. */
export function encodeKvTable(table: Record<string, string>): Buffer {
  return fastJsonBody({ table });
}

/**
 * Java `UtilAll.getDiskPartitionSpaceUsedPercent`: used / (used + usable), rounded up to a
 * hundredth, as a fraction; -1 when the path is missing.
 */
export function diskUsedRatio(disk: DiskSpace | null): number {
  if (disk === null || disk.totalBytes <= 0) return -1;
  const used = disk.totalBytes - disk.freeBytes;
  const entire = used + disk.usableBytes;
  if (entire <= 0) return -1;
  return Math.ceil((used * 100) / entire) / 100;
}

/** Java `MixAll.humanReadableByteCount(bytes, false)`: "512 B", "1.5 KiB", "93.1 GiB". */
export function humanReadableByteCount(bytes: number): string {
  const unit = 1024;
  if (bytes < unit) return `${bytes} B`;
  const exponent = Math.min(6, Math.floor(Math.log(bytes) / Math.log(unit)));
  const prefix = 'KMGTPE'.charAt(exponent - 1);
  return `${(bytes / unit ** exponent).toFixed(1)} ${prefix}iB`;
}
