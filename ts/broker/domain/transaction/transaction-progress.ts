// The bookkeeping of the transactional check (Java keeps it in the maps of
// `TransactionalMessageServiceImpl#check`): which half queue offsets have an op record, as one bit
// each in a window that slides with the half progress, which op records still name a half at or
// after that progress (the op progress), and the latest resolutions. Bounded; pure. Depends on nothing.

const BITS_PER_WORD = 32;

/**
 * Half queue offsets with an op record, from `base` (≤ the half progress) on: one bit each, so that
 * the halves between the progress and the newest (about (check interval + timeout) × TPS of them)
 * cost an eighth of a byte each. Offsets past `maxSpan` ahead of `base` are not kept (the check
 * then asks about them, and the answer is refused as already resolved).
 */
export class ResolvedHalfOffsets {
  private words = new Uint32Array(1024);
  private base = 0;

  constructor(private readonly maxSpan: number) {}

  /** Marks `offset` resolved; false when it is before the window or beyond its bound. */
  add(offset: number): boolean {
    const index = offset - this.base;
    if (index < 0) return false;
    if (index >= this.words.length * BITS_PER_WORD && !this.grow(index)) return false;
    const word = Math.floor(index / BITS_PER_WORD);
    this.words[word] = (this.words[word] as number) | (1 << (index % BITS_PER_WORD));
    return true;
  }

  has(offset: number): boolean {
    const index = offset - this.base;
    if (index < 0 || index >= this.words.length * BITS_PER_WORD) return false;
    return ((this.words[Math.floor(index / BITS_PER_WORD)] as number) & (1 << (index % BITS_PER_WORD))) !== 0;
  }

  /** Forgets the offsets before `offset` (the half progress moved there). */
  forgetBefore(offset: number): void {
    const shiftWords = Math.floor((offset - this.base) / BITS_PER_WORD);
    if (shiftWords <= 0) return;
    if (shiftWords >= this.words.length) {
      this.words.fill(0);
    } else {
      this.words.copyWithin(0, shiftWords);
      this.words.fill(0, this.words.length - shiftWords);
    }
    this.base += shiftWords * BITS_PER_WORD;
  }

  /** Starts the window at `offset` (the loaded half progress), everything forgotten. */
  reset(offset: number): void {
    this.words.fill(0);
    this.base = offset - (offset % BITS_PER_WORD);
  }

  private grow(index: number): boolean {
    if (index >= this.maxSpan) return false;
    let words = this.words.length * 2;
    while (words * BITS_PER_WORD <= index) words *= 2;
    const grown = new Uint32Array(Math.min(words, Math.ceil(this.maxSpan / BITS_PER_WORD)));
    grown.set(this.words);
    this.words = grown;
    return true;
  }
}

/**
 * Op records by queue offset with the highest half offset each names, oldest first: the op progress
 * is the first one that names a half at or after the half progress (Java `calculateOpOffset`).
 */
export class OpRecordIndex {
  private opOffsets: number[] = [];
  private maxHalfOffsets: number[] = [];
  private head = 0;

  get size(): number {
    return this.opOffsets.length - this.head;
  }

  add(opOffset: number, maxHalfOffset: number): void {
    this.opOffsets.push(opOffset);
    this.maxHalfOffsets.push(maxHalfOffset);
  }

  /** Drops the op records whose halves are all before `halfProgress`, up to the first that is not. */
  pruneBefore(halfProgress: number): void {
    while (this.head < this.opOffsets.length && (this.maxHalfOffsets[this.head] as number) < halfProgress) {
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.opOffsets.length) {
      this.opOffsets = this.opOffsets.slice(this.head);
      this.maxHalfOffsets = this.maxHalfOffsets.slice(this.head);
      this.head = 0;
    }
  }

  /** The op progress: the oldest op record still needed, else `readOffset` (all read are done). */
  progress(readOffset: number): number {
    return this.opOffsets[this.head] ?? readOffset;
  }
}

/**
 * The latest `capacity` values added (resolved half offsets, transaction ids): a Map from each value
 * to its slot in a ring of insertion order, so forgetting the oldest is O(1). (Deleting a Set's first
 * entry found through its iterator is not: V8 leaves deleted entries in place until a rehash, and the
 * iterator walks them.)
 */
export class RecentValues<T> {
  private readonly slots = new Map<T, number>();
  private readonly ring: (T | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<T | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.slots.size;
  }

  has(value: T): boolean {
    return this.slots.has(value);
  }

  /** Adds `value`, forgetting the oldest value once `capacity` were added. */
  add(value: T): void {
    if (this.slots.has(value)) return;
    const slot = this.next;
    const oldest = this.ring[slot];
    if (oldest !== undefined && this.slots.get(oldest) === slot) this.slots.delete(oldest);
    this.ring[slot] = value;
    this.slots.set(value, slot);
    this.next = (slot + 1) % this.capacity;
  }

  /** Forgets `value` now (an append that failed); its ring slot is reused in turn. */
  delete(value: T): void {
    this.slots.delete(value);
  }
}

/**
 * Resolved half queue offsets among the newest ones: a direct-mapped table (slot = offset mod
 * `capacity`) keeping the newest offset added per slot, so a lookup is one array read and no hashing.
 * Half offsets grow by one per half, so it holds every resolved offset within `capacity` of the newest
 * one, and forgets older ones as newer ones take their slots.
 */
export class RecentOffsets {
  private readonly slots: Float64Array;

  constructor(private readonly capacity: number) {
    this.slots = new Float64Array(capacity).fill(-1);
  }

  has(offset: number): boolean {
    return offset >= 0 && this.slots[offset % this.capacity] === offset;
  }

  /** Adds `offset` unless its slot holds a newer one. */
  add(offset: number): void {
    const slot = offset % this.capacity;
    if (offset > (this.slots[slot] as number)) this.slots[slot] = offset;
  }

  /** Forgets `offset` now (an append that failed). */
  delete(offset: number): void {
    if (this.has(offset)) this.slots[offset % this.capacity] = -1;
  }
}
