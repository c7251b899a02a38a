// The queue of a FIFO message: Apache's proxy hashes the message group with Java `String#hashCode` and
// Guava `Hashing.consistentHash` over the topic's write queues, so one group always lands on one queue
// and our broker picks the queue Apache picks. Depends on nothing.

/** Java `String#hashCode` (UTF-16 code units, 32-bit overflow). */
export function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

const MASK_64 = (1n << 64n) - 1n;
const LCG_MULTIPLIER = 2862933555777941757n;

/** Guava `Hashing.consistentHash(long, int)`: a bucket in [0, buckets) that moves little as buckets grow. */
export function consistentHash(input: number, buckets: number): number {
  if (buckets <= 0) throw new RangeError(`buckets must be positive: ${buckets}`);
  let state = BigInt.asUintN(64, BigInt(input));
  let candidate = 0;
  for (;;) {
    state = (LCG_MULTIPLIER * state + 1n) & MASK_64;
    // Java: (double) ((int) (state >>> 33) + 1) / 2^31
    const high = Number(BigInt.asIntN(32, state >> 33n));
    const next = Math.trunc((candidate + 1) / ((high + 1) / 0x80000000));
    if (next >= 0 && next < buckets) candidate = next;
    else return candidate;
  }
}

/** The write queue of a message group among `writeQueueNums` queues. */
export function fifoQueueId(messageGroup: string, writeQueueNums: number): number {
  return consistentHash(javaStringHashCode(messageGroup), writeQueueNums);
}
