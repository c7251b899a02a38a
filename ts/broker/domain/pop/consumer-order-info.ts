// Orderly pop state (Java `ConsumerOrderInfoManager`, docs/pop.md §5): per topic@group and queue, the
// offsets of the last orderly pop, which of them are acked, until when they are invisible, and how
// many times each was popped. A queue is blocked while its last pop is neither fully acked nor past
// its invisible time; a re-pop of the same offsets counts one more attempt. Kept in
// consumerOrderInfo.json through a MetaConfigStore. Pure apart from that store; the clock is passed in.

import type { MetaConfigStore } from '../meta/meta-config-store.js';

/** One queue's last orderly pop. Offsets: `offsets[0]` absolute, the others relative to it (Java's form). */
interface OrderInfo {
  popTime: number;
  invisibleTime: number;
  offsets: number[];
  /** Bit i: offset i is acked. */
  committedBits: number;
  /** Absolute offset → times popped before this pop (only counts > 0). */
  consumedCounts: Map<number, number>;
  attemptId?: string;
}

/** The per-offset and per-queue attempt counts of one orderly pop (for the response's orderCountInfo). */
export interface OrderCounts {
  readonly byOffset: ReadonlyMap<number, number>;
  /** The smallest count of the pop's offsets (Java's per-queue entry for old clients). */
  readonly minCount: number;
}

/** What an ack commits: the group's next consume offset, or why nothing is committed. */
export type OrderCommit =
  { readonly kind: 'next'; readonly nextOffset: number } | { readonly kind: 'stale' } | { readonly kind: 'not-found' };

export class ConsumerOrderInfoManager {
  private readonly table = new Map<string, Map<number, OrderInfo>>();
  private dirty = false;

  constructor(private readonly store: MetaConfigStore) {
    this.load();
  }

  /** Java `checkBlock`: the queue's last pop is neither fully acked nor past its invisible time. */
  isBlocked(topic: string, group: string, queueId: number, nowMs: number, attemptId?: string): boolean {
    const info = this.table.get(key(topic, group))?.get(queueId);
    if (info === undefined || allCommitted(info)) return false;
    if (attemptId !== undefined && info.attemptId === attemptId) return false;
    return nowMs < info.popTime + info.invisibleTime;
  }

  /** Java `update`: records an orderly pop of `queueOffsets` and returns their attempt counts. */
  update(
    topic: string,
    group: string,
    queueId: number,
    pop: { popTime: number; invisibleTime: number; queueOffsets: readonly number[]; attemptId?: string },
  ): OrderCounts {
    let queues = this.table.get(key(topic, group));
    if (queues === undefined) this.table.set(key(topic, group), (queues = new Map<number, OrderInfo>()));
    const previous = queues.get(queueId);
    const consumedCounts = new Map<number, number>();
    if (previous !== undefined) {
      const before = absoluteOffsets(previous);
      for (const offset of pop.queueOffsets) {
        if (before.includes(offset)) consumedCounts.set(offset, (previous.consumedCounts.get(offset) ?? 0) + 1);
      }
    }
    const first = pop.queueOffsets[0] ?? 0;
    queues.set(queueId, {
      popTime: pop.popTime,
      invisibleTime: pop.invisibleTime,
      offsets: pop.queueOffsets.map((offset, index) => (index === 0 ? offset : offset - first)),
      committedBits: 0,
      consumedCounts,
      ...(pop.attemptId !== undefined && { attemptId: pop.attemptId }),
    });
    this.dirty = true;
    const counts = [...consumedCounts.values()];
    const minCount = counts.length === pop.queueOffsets.length ? Math.min(...counts) : 0;
    return { byOffset: consumedCounts, minCount };
  }

  /** Java `commitAndNext`: marks `queueOffset` of the pop at `popTime` acked; the offset to commit next. */
  commitAndNext(topic: string, group: string, queueId: number, queueOffset: number, popTime: number): OrderCommit {
    const info = this.table.get(key(topic, group))?.get(queueId);
    if (info === undefined) return { kind: 'next', nextOffset: queueOffset + 1 };
    if (info.popTime !== popTime) return { kind: 'stale' };
    const offsets = absoluteOffsets(info);
    const index = offsets.indexOf(queueOffset);
    if (index < 0) return { kind: 'not-found' };
    info.committedBits = (info.committedBits | (1 << index)) >>> 0;
    this.dirty = true;
    const firstOpen = offsets.findIndex((_, i) => (info.committedBits & (1 << i)) === 0);
    const nextOffset = firstOpen < 0 ? (offsets[offsets.length - 1] as number) + 1 : (offsets[firstOpen] as number);
    return { kind: 'next', nextOffset };
  }

  /** Java `updateNextVisibleTime`: the queue's pop stays invisible until `nextVisibleTimeMs`. */
  updateNextVisibleTime(topic: string, group: string, queueId: number, popTime: number, nextVisibleTimeMs: number) {
    const info = this.table.get(key(topic, group))?.get(queueId);
    if (info === undefined || info.popTime !== popTime) return;
    info.invisibleTime = nextVisibleTimeMs - popTime;
    this.dirty = true;
  }

  /** Writes consumerOrderInfo.json when something changed. */
  persist(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const table: Record<string, Record<string, unknown>> = {};
    for (const [topicAtGroup, queues] of this.table) {
      const entries: Record<string, unknown> = {};
      for (const [queueId, info] of queues) {
        entries[String(queueId)] = {
          p: info.popTime,
          i: info.invisibleTime,
          o: info.offsets,
          cm: info.committedBits,
          cc: Object.fromEntries(info.consumedCounts),
          ...(info.attemptId !== undefined && { a: info.attemptId }),
        };
      }
      table[topicAtGroup] = entries;
    }
    this.store.save({ table });
  }

  private load(): void {
    const document = this.store.load() as { table?: Record<string, Record<string, Record<string, unknown>>> } | null;
    for (const [topicAtGroup, queues] of Object.entries(document?.table ?? {})) {
      const map = new Map<number, OrderInfo>();
      for (const [queueId, raw] of Object.entries(queues)) {
        const counts = Object.entries((raw['cc'] ?? {}) as Record<string, number>);
        map.set(Number(queueId), {
          popTime: Number(raw['p'] ?? 0),
          invisibleTime: Number(raw['i'] ?? 0),
          offsets: Array.isArray(raw['o']) ? (raw['o'] as number[]) : [],
          committedBits: Number(raw['cm'] ?? 0),
          consumedCounts: new Map(counts.map(([offset, count]) => [Number(offset), count])),
          ...(typeof raw['a'] === 'string' && { attemptId: raw['a'] }),
        });
      }
      this.table.set(topicAtGroup, map);
    }
  }
}

function key(topic: string, group: string): string {
  return `${topic}@${group}`;
}

function absoluteOffsets(info: OrderInfo): number[] {
  const first = info.offsets[0] ?? 0;
  return info.offsets.map((offset, index) => (index === 0 ? offset : first + offset));
}

function allCommitted(info: OrderInfo): boolean {
  const all = info.offsets.length >= 32 ? 0xffffffff : 2 ** info.offsets.length - 1;
  return (info.committedBits & all) >>> 0 === all;
}
