// MemoryKeyIndex: the memory store's index by key (`topic#key` for UNIQ_KEY and each KEYS word) for
// `queryMessage`. Exact keys and exact store times, where the native IndexFile matches key hashes and
// times to the second; callers re-check keys either way. Depends on nothing.

interface IndexEntry {
  readonly physicalOffset: number;
  readonly storeTimestampMs: number;
}

export interface KeyQueryResult {
  readonly physicalOffsets: number[];
  /** Store time and physical offset of the last record indexed (Java `indexLastUpdate*`); 0 before any. */
  readonly lastUpdateTimestampMs: number;
  readonly lastUpdatePhysicalOffset: number;
}

export class MemoryKeyIndex {
  private readonly entries = new Map<string, IndexEntry[]>();
  private lastUpdateTimestampMs = 0;
  private lastUpdatePhysicalOffset = 0;

  /** Indexes one record under each of `keys` (a key listed twice is indexed twice, as in Java). */
  put(topic: string, keys: readonly string[], physicalOffset: number, storeTimestampMs: number): void {
    if (keys.length === 0) return;
    for (const key of keys) {
      const indexKey = `${topic}#${key}`;
      let list = this.entries.get(indexKey);
      if (list === undefined) {
        list = [];
        this.entries.set(indexKey, list);
      }
      list.push({ physicalOffset, storeTimestampMs });
    }
    this.lastUpdateTimestampMs = storeTimestampMs;
    this.lastUpdatePhysicalOffset = physicalOffset;
  }

  /** Offsets of records indexed under `topic#key` stored within [beginMs, endMs], newest first. */
  query(topic: string, key: string, maxCount: number, beginMs: number, endMs: number): KeyQueryResult {
    const list = this.entries.get(`${topic}#${key}`) ?? [];
    const physicalOffsets: number[] = [];
    for (let i = list.length - 1; i >= 0 && physicalOffsets.length < maxCount; i -= 1) {
      const entry = list[i] as IndexEntry;
      if (entry.storeTimestampMs < beginMs) break;
      if (entry.storeTimestampMs <= endMs) physicalOffsets.push(entry.physicalOffset);
    }
    return {
      physicalOffsets,
      lastUpdateTimestampMs: this.lastUpdateTimestampMs,
      lastUpdatePhysicalOffset: this.lastUpdatePhysicalOffset,
    };
  }
}
