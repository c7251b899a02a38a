// BrokerStats: the broker's running counters behind GET_BROKER_RUNTIME_INFO, GET_TOPIC_STATS_INFO and
// GET_CONSUME_STATS (Java `StoreStatsService` + `BrokerStats` + the minute TPS of `BrokerStatsManager`):
// puts and gets with their latencies, 1 s snapshots for the 10/60/600 s TPS, 10 s snapshots per
// topic (puts) and per topic@group (consumed offsets) for the minute TPS, and the totals at the
// start of today and yesterday. Pure: the clock is injected and `sample()` is driven by a timer.
// Depends on admin-json.ts.

import { javaDouble } from './admin-json.js';
import {
  DISTRIBUTION_PERIOD_MS,
  KEYED_SAMPLE_INTERVAL_MS,
  MAX_KEYED_SERIES,
  MAX_KEYED_SNAPSHOTS,
  MAX_STORE_SNAPSHOTS,
} from '../../limits.js';

const TPS_WINDOWS_S = [10, 60, 600] as const;

/** Java `PUT_MESSAGE_ENTIRE_TIME_MAX_DESC`: the 13 put-latency ranges. */
const DISTRIBUTION_RANGES = [
  '[<=0ms]',
  '[0~10ms]',
  '[10~50ms]',
  '[50~100ms]',
  '[100~200ms]',
  '[200~500ms]',
  '[500ms~1s]',
  '[1~2s]',
  '[2~3s]',
  '[3~4s]',
  '[4~5s]',
  '[5~10s]',
  '[10s~]',
] as const;
const DISTRIBUTION_UPPER_MS = [0, 10, 50, 100, 200, 500, 1000, 2000, 3000, 4000, 5000, 10_000];

/** Java `PUT_MESSAGE_ENTIRE_TIME_BUCKETS`: (step ms, count) → upper bounds 1…20, 22…50, …, 10 s, then ∞. */
const LATENCY_BUCKET_STEPS: ReadonlyArray<readonly [number, number]> = [
  [1, 20],
  [2, 15],
  [5, 10],
  [10, 10],
  [50, 6],
  [100, 5],
  [1000, 9],
];
const LATENCY_BUCKET_UPPER_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  let bound = 0;
  for (const [step, count] of LATENCY_BUCKET_STEPS) {
    for (let i = 0; i < count; i++) bounds.push((bound += step));
  }
  bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
})();

interface StoreSnapshot {
  readonly atMs: number;
  readonly putTimes: number;
  readonly getFound: number;
  readonly getMiss: number;
  readonly transferred: number;
}

interface KeyedSnapshot {
  readonly atMs: number;
  readonly total: number;
}

export interface BrokerStatsDeps {
  readonly nowMs: () => number;
  /** Java `TopicValidator.isSystemTopic`: such topics stay out of the broker's daily totals. */
  readonly isSystemTopic: (topic: string) => boolean;
  /** `topic@group` → the sum of the pair's committed offsets (messages consumed so far), read every 10 s. */
  readonly consumedTotals?: () => Iterable<readonly [string, number]>;
}

export class BrokerStats {
  readonly bootTimestampMs: number;
  private readonly putTimesByTopic = new Map<string, number>();
  private putTimesTotal = 0;
  private putSizeTotalBytes = 0;
  private putFailedTimes = 0;
  private getFoundTimes = 0;
  private getMissTimes = 0;
  private transferredCount = 0;
  private putTimeMaxMs = 0;
  private getTimeMaxMs = 0;
  private putWithoutSystemTopic = 0;
  private getWithoutSystemTopic = 0;
  private putTotalTodayMorning = 0;
  private putTotalYesterdayMorning = 0;
  private getTotalTodayMorning = 0;
  private getTotalYesterdayMorning = 0;
  private distribution = new Array<number>(DISTRIBUTION_RANGES.length).fill(0);
  private lastDistribution: number[] | null = null;
  private latencyBuckets = new Array<number>(LATENCY_BUCKET_UPPER_MS.length).fill(0);
  private lastLatencyBuckets: number[] | null = null;
  private distributionSinceMs: number;
  private readonly snapshots: StoreSnapshot[] = [];
  private readonly topicPutSeries = new Map<string, KeyedSnapshot[]>();
  private readonly groupConsumeSeries = new Map<string, KeyedSnapshot[]>();
  private lastKeyedSampleMs = Number.NEGATIVE_INFINITY;
  private day: string;

  constructor(private readonly deps: BrokerStatsDeps) {
    this.bootTimestampMs = deps.nowMs();
    this.distributionSinceMs = this.bootTimestampMs;
    this.day = localDay(this.bootTimestampMs);
    this.sample();
  }

  /** `messageCount` messages of one topic stored in one append (`sizeBytes` of records). */
  recordPut(topic: string, messageCount: number, sizeBytes: number): void {
    this.putTimesByTopic.set(topic, (this.putTimesByTopic.get(topic) ?? 0) + messageCount);
    this.putTimesTotal += messageCount;
    this.putSizeTotalBytes += sizeBytes;
    if (!this.deps.isSystemTopic(topic)) this.putWithoutSystemTopic += messageCount;
  }

  /** Java `setPutMessageEntireTimeMax`: one append took `elapsedMs`. */
  recordPutTime(elapsedMs: number): void {
    const ms = Math.max(0, Math.round(elapsedMs));
    const range = DISTRIBUTION_UPPER_MS.findIndex((upper, i) => (i === 0 ? ms <= 0 : ms < upper));
    this.distribution[range < 0 ? DISTRIBUTION_RANGES.length - 1 : range]! += 1;
    this.latencyBuckets[LATENCY_BUCKET_UPPER_MS.findIndex((upper) => ms <= upper)]! += 1;
    this.putTimeMaxMs = Math.max(this.putTimeMaxMs, ms);
  }

  recordPutFailure(): void {
    this.putFailedTimes += 1;
  }

  /** One read of a queue: `messageCount` messages found (0 is a miss), in `elapsedMs`. */
  recordGet(topic: string, messageCount: number, elapsedMs: number): void {
    if (messageCount > 0) {
      this.getFoundTimes += 1;
      this.transferredCount += messageCount;
      if (!this.deps.isSystemTopic(topic)) this.getWithoutSystemTopic += messageCount;
    } else {
      this.getMissTimes += 1;
    }
    this.getTimeMaxMs = Math.max(this.getTimeMaxMs, Math.round(elapsedMs));
  }

  /** Run every SAMPLE_INTERVAL_MS: snapshots, the minute roll of latencies, the daily totals. */
  sample(): void {
    const now = this.deps.nowMs();
    this.snapshots.push({
      atMs: now,
      putTimes: this.putTimesTotal,
      getFound: this.getFoundTimes,
      getMiss: this.getMissTimes,
      transferred: this.transferredCount,
    });
    if (this.snapshots.length > MAX_STORE_SNAPSHOTS) this.snapshots.shift();
    if (now - this.distributionSinceMs >= DISTRIBUTION_PERIOD_MS) this.rollDistributions(now);
    if (now - this.lastKeyedSampleMs >= KEYED_SAMPLE_INTERVAL_MS) this.sampleKeyed(now);
    const today = localDay(now);
    if (today !== this.day) {
      this.day = today;
      this.recordMorning();
    }
  }

  /** Java `StoreStatsService#getRuntimeInfo`: the store's keys of the runtime info table. */
  storeRuntimeInfo(): Record<string, string> {
    // Java reports 1 when nothing was put (it divides by this count).
    const totalTimes = this.putTimesTotal === 0 ? 1 : this.putTimesTotal;
    return {
      bootTimestamp: String(this.bootTimestampMs),
      runtime: formatRuntime(this.deps.nowMs() - this.bootTimestampMs),
      putMessageEntireTimeMax: String(this.putTimeMaxMs),
      putMessageTimesTotal: String(totalTimes),
      putMessageFailedTimes: String(this.putFailedTimes),
      putMessageSizeTotal: String(this.putSizeTotalBytes),
      putMessageDistributeTime: this.distributionText(),
      putMessageAverageSize: javaDouble(this.putSizeTotalBytes / totalTimes),
      dispatchMaxBuffer: '0',
      getMessageEntireTimeMax: String(this.getTimeMaxMs),
      putTps: this.tpsText((s) => s.putTimes),
      getFoundTps: this.tpsText((s) => s.getFound),
      getMissTps: this.tpsText((s) => s.getMiss),
      getTotalTps: this.tpsText((s) => s.getFound + s.getMiss),
      getTransferredTps: this.tpsText((s) => s.transferred),
      putLatency99: this.putLatencyPercentile(0.99).toFixed(2),
      putLatency999: this.putLatencyPercentile(0.999).toFixed(2),
    };
  }

  /** Java `BrokerStats`: messages put and got (system topics excluded) now and at the last two midnights. */
  dailyTotals(): {
    msgPutTotalYesterdayMorning: number;
    msgPutTotalTodayMorning: number;
    msgPutTotalTodayNow: number;
    msgGetTotalYesterdayMorning: number;
    msgGetTotalTodayMorning: number;
    msgGetTotalTodayNow: number;
  } {
    return {
      msgPutTotalYesterdayMorning: this.putTotalYesterdayMorning,
      msgPutTotalTodayMorning: this.putTotalTodayMorning,
      msgPutTotalTodayNow: this.putWithoutSystemTopic,
      msgGetTotalYesterdayMorning: this.getTotalYesterdayMorning,
      msgGetTotalTodayMorning: this.getTotalTodayMorning,
      msgGetTotalTodayNow: this.getWithoutSystemTopic,
    };
  }

  /** Java `tpsTopicPutNums`: messages put to the topic per second over the last minute. */
  topicPutTps(topic: string): number {
    return windowTps(this.topicPutSeries.get(topic));
  }

  /**
   * Java `tpsGroupGetNums` counts messages pulled by the group; we count messages the group
   * committed (its consumed offsets' progress) over the last minute. Never negative (resets).
   */
  groupConsumeTps(group: string, topic: string): number {
    return Math.max(0, windowTps(this.groupConsumeSeries.get(`${topic}@${group}`)));
  }

  /** Java `BrokerStats#record`, run at local midnight. */
  private recordMorning(): void {
    this.putTotalYesterdayMorning = this.putTotalTodayMorning;
    this.getTotalYesterdayMorning = this.getTotalTodayMorning;
    this.putTotalTodayMorning = this.putWithoutSystemTopic;
    this.getTotalTodayMorning = this.getWithoutSystemTopic;
  }

  private rollDistributions(now: number): void {
    this.lastDistribution = this.distribution;
    this.distribution = new Array<number>(DISTRIBUTION_RANGES.length).fill(0);
    this.lastLatencyBuckets = this.latencyBuckets;
    this.latencyBuckets = new Array<number>(LATENCY_BUCKET_UPPER_MS.length).fill(0);
    this.distributionSinceMs = now;
  }

  private sampleKeyed(now: number): void {
    this.lastKeyedSampleMs = now;
    for (const [topic, total] of this.putTimesByTopic) appendKeyed(this.topicPutSeries, topic, now, total);
    for (const [key, total] of this.deps.consumedTotals?.() ?? [])
      appendKeyed(this.groupConsumeSeries, key, now, total);
  }

  /**
   * "tps10 tps60 tps600" as Java's `getPutTps()`. // Compat: Java leaves a window empty until the
   * broker has run that long; we compute it over the history there is (0.0 without any).
   */
  private tpsText(count: (snapshot: StoreSnapshot) => number): string {
    const last = this.snapshots[this.snapshots.length - 1];
    return TPS_WINDOWS_S.map((seconds) => {
      const first = this.snapshots[Math.max(0, this.snapshots.length - 1 - seconds)];
      if (last === undefined || first === undefined || last.atMs <= first.atMs) return '0.0';
      return javaDouble(((count(last) - count(first)) * 1000) / (last.atMs - first.atMs));
    }).join(' ');
  }

  /** Java `putMessageDistributeTimeToString` of the last whole minute (// Compat: the current one before that). */
  private distributionText(): string {
    const counts = this.lastDistribution ?? this.distribution;
    return counts.map((count, i) => `${DISTRIBUTION_RANGES[i]}:${count} `).join('');
  }

  /** Java `findPutMessageEntireTimePX`: interpolated within the bucket holding the percentile. */
  private putLatencyPercentile(px: number): number {
    const buckets = this.lastLatencyBuckets ?? this.latencyBuckets;
    const total = buckets.reduce((sum, count) => sum + count, 0);
    const index = Math.floor(total * px);
    let passed = 0;
    for (let i = 0; i < buckets.length; i++) {
      const count = buckets[i] ?? 0;
      if (index <= passed + count) {
        const lower = i === 0 ? 0 : (LATENCY_BUCKET_UPPER_MS[i - 1] ?? 0);
        const upper = LATENCY_BUCKET_UPPER_MS[i] ?? lower;
        if (count === 0) return lower;
        return lower + (Number.isFinite(upper) ? ((upper - lower) * (index - passed)) / count : 0);
      }
      passed += count;
    }
    return 0;
  }
}

function appendKeyed(series: Map<string, KeyedSnapshot[]>, key: string, atMs: number, total: number): void {
  let snapshots = series.get(key);
  if (snapshots === undefined) {
    if (series.size >= MAX_KEYED_SERIES) return;
    snapshots = [];
    series.set(key, snapshots);
  }
  snapshots.push({ atMs, total });
  if (snapshots.length > MAX_KEYED_SNAPSHOTS) snapshots.shift();
}

/** Java `StatsItem#computeStatsData`: (last − first) per second; 0 without two snapshots. */
function windowTps(snapshots: readonly KeyedSnapshot[] | undefined): number {
  const first = snapshots?.[0];
  const last = snapshots?.[snapshots.length - 1];
  if (first === undefined || last === undefined || last.atMs <= first.atMs) return 0;
  return ((last.total - first.total) * 1000) / (last.atMs - first.atMs);
}

/** Java `getFormatRuntime`: "[ d days, h hours, m minutes, s seconds ]". */
export function formatRuntime(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `[ ${days} days, ${hours} hours, ${minutes} minutes, ${seconds % 60} seconds ]`;
}

function localDay(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}
