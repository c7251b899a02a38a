// The BATCH_ACK_MESSAGE (200151) body (Java `BatchAckMessageRequestBody` with `BatchAck` entries):
// JSON with short keys (`c` group, `t` topic, `r` topic mark, `so` start offset, `q` queue, `rq` revive
// queue, `pt` pop time, `it` invisible time, `b` the acked offsets as a base64 `java.util.BitSet`
// byte array, bit i = startOffset + i); docs/pop.md §1. Depends on nothing.

/** One queue's acks of one pop. */
export interface BatchAck {
  readonly consumerGroup: string;
  /** The original topic (not the retry topic; `retry` marks which one). */
  readonly topic: string;
  /** pop-extra-info.ts PopTopicMark. */
  readonly retry: string;
  readonly startOffset: number;
  readonly queueId: number;
  readonly reviveQueueId: number;
  readonly popTime: number;
  readonly invisibleTime: number;
  /** Acked queue offsets, each ≥ startOffset. */
  readonly ackOffsets: readonly number[];
}

export interface BatchAckBody {
  readonly brokerName?: string;
  readonly acks: readonly BatchAck[];
}

/** A body that is not a BatchAckMessageRequestBody. */
export class BatchAckBodyError extends Error {
  override readonly name = 'BatchAckBodyError';
}

/** `BitSet.toByteArray`: little-endian bytes, bit i in byte i>>3 at (i & 7), trailing zero bytes trimmed. */
export function bitSetBytes(indexes: readonly number[]): Buffer {
  const length = indexes.length === 0 ? 0 : (Math.max(...indexes) >> 3) + 1;
  const bytes = Buffer.alloc(length);
  for (const index of indexes) bytes[index >> 3]! |= 1 << (index & 7);
  return bytes;
}

/** `BitSet.valueOf(bytes)`: the set bit indexes, ascending. */
export function bitSetIndexes(bytes: Uint8Array): number[] {
  const indexes: number[] = [];
  for (let at = 0; at < bytes.length; at++) {
    for (let bit = 0; bit < 8; bit++) if ((bytes[at]! & (1 << bit)) !== 0) indexes.push(at * 8 + bit);
  }
  return indexes;
}

/** The body as the Java client writes it (fastjson: keys sorted). */
export function encodeBatchAckBody(body: BatchAckBody): Buffer {
  const acks = body.acks.map((ack) => ({
    b: bitSetBytes(ack.ackOffsets.map((offset) => offset - ack.startOffset)).toString('base64'),
    c: ack.consumerGroup,
    it: ack.invisibleTime,
    pt: ack.popTime,
    q: ack.queueId,
    r: ack.retry,
    rq: ack.reviveQueueId,
    so: ack.startOffset,
    t: ack.topic,
  }));
  return Buffer.from(JSON.stringify({ acks, ...(body.brokerName !== undefined && { brokerName: body.brokerName }) }));
}

/** Decodes the body, short or long key names (`alternateNames`); throws BatchAckBodyError. */
export function decodeBatchAckBody(bytes: Uint8Array): BatchAckBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new BatchAckBodyError(`batch ack body is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new BatchAckBodyError('batch ack body is not an object');
  const record = parsed as Record<string, unknown>;
  const acks = record['acks'] ?? [];
  if (!Array.isArray(acks)) throw new BatchAckBodyError('batch ack body: acks is not a list');
  const brokerName = typeof record['brokerName'] === 'string' ? record['brokerName'] : undefined;
  return { ...(brokerName !== undefined && { brokerName }), acks: acks.map(decodeBatchAck) };
}

function decodeBatchAck(entry: unknown): BatchAck {
  if (typeof entry !== 'object' || entry === null) throw new BatchAckBodyError('batch ack entry is not an object');
  const fields = entry as Record<string, unknown>;
  const startOffset = numberField(fields, 'so', 'startOffset');
  const bits = fields['b'] ?? fields['bitSet'];
  const indexes = typeof bits === 'string' ? bitSetIndexes(Buffer.from(bits, 'base64')) : [];
  return {
    consumerGroup: stringField(fields, 'c', 'consumerGroup'),
    topic: stringField(fields, 't', 'topic'),
    retry: stringField(fields, 'r', 'retry'),
    startOffset,
    queueId: numberField(fields, 'q', 'queueId'),
    reviveQueueId: numberField(fields, 'rq', 'reviveQueueId'),
    popTime: numberField(fields, 'pt', 'popTime'),
    invisibleTime: numberField(fields, 'it', 'invisibleTime'),
    ackOffsets: indexes.map((index) => startOffset + index),
  };
}

function stringField(fields: Record<string, unknown>, short: string, long: string): string {
  const value = fields[short] ?? fields[long];
  if (typeof value !== 'string') throw new BatchAckBodyError(`batch ack entry: ${short} is not a string`);
  return value;
}

function numberField(fields: Record<string, unknown>, short: string, long: string): number {
  const value = fields[short] ?? fields[long];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new BatchAckBodyError(`batch ack entry: ${short} is not an integer`);
  }
  return value;
}
