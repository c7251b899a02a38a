// A small HDR-style latency histogram for the load generators: log-linear buckets (64 per power of
// two, so a recorded value is off by at most 1.6 %), exact count, sum, min and max. Values are in
// microseconds. Depends on nothing.

const SUB_BUCKETS = 64;
const SUB_BUCKET_BITS = 6;
/** Powers of two covered above 1 µs: up to 2^40 µs (about 12 days). */
const MAGNITUDES = 41;

export interface LatencySummary {
  readonly count: number;
  readonly minUs: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(MAGNITUDES * SUB_BUCKETS + 1);
  private total = 0;
  private sumUs = 0;
  private minUs = Number.POSITIVE_INFINITY;
  private maxUs = 0;

  get count(): number {
    return this.total;
  }

  record(valueUs: number): void {
    const value = valueUs > 0 ? valueUs : 0;
    this.counts[bucketOf(value)]! += 1;
    this.total += 1;
    this.sumUs += value;
    if (value < this.minUs) this.minUs = value;
    if (value > this.maxUs) this.maxUs = value;
  }

  /** Adds every value of `other` to this one. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.sumUs += other.sumUs;
    this.minUs = Math.min(this.minUs, other.minUs);
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sumUs = 0;
    this.minUs = Number.POSITIVE_INFINITY;
    this.maxUs = 0;
  }

  /** The value at quantile `q` (0..1): the upper edge of its bucket, never above the true max. */
  valueAt(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperEdgeOf(i), this.maxUs);
    }
    return this.maxUs;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      minUs: this.total === 0 ? 0 : this.minUs,
      meanUs: this.total === 0 ? 0 : this.sumUs / this.total,
      p50Us: this.valueAt(0.5),
      p90Us: this.valueAt(0.9),
      p99Us: this.valueAt(0.99),
      p999Us: this.valueAt(0.999),
      maxUs: this.maxUs,
    };
  }
}

/** Bucket 0 holds values below 1 µs; then 64 linear sub-buckets per power of two. */
function bucketOf(valueUs: number): number {
  if (valueUs < 1) return 0;
  const magnitude = Math.min(Math.floor(Math.log2(valueUs)), MAGNITUDES - 1);
  const base = 2 ** magnitude;
  const sub = Math.min(Math.floor(((valueUs - base) / base) * SUB_BUCKETS), SUB_BUCKETS - 1);
  return 1 + (magnitude << SUB_BUCKET_BITS) + sub;
}

function upperEdgeOf(bucket: number): number {
  if (bucket === 0) return 1;
  const index = bucket - 1;
  const base = 2 ** (index >> SUB_BUCKET_BITS);
  return base + (base * ((index & (SUB_BUCKETS - 1)) + 1)) / SUB_BUCKETS;
}

/** "p50 1.23 ms | p99 … " in milliseconds with three decimals. */
export function formatSummaryMs(summary: LatencySummary): string {
  const ms = (us: number): string => (us / 1000).toFixed(3);
  return (
    `p50 ${ms(summary.p50Us)} ms | p90 ${ms(summary.p90Us)} ms | p99 ${ms(summary.p99Us)} ms | ` +
    `p99.9 ${ms(summary.p999Us)} ms | max ${ms(summary.maxUs)} ms | mean ${ms(summary.meanUs)} ms (n=${summary.count})`
  );
}
