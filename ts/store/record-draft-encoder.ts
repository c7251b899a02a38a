// Encodes a batch of StoreMessages into record drafts, back to back in one reused Buffer, in the
// exact CommitLog layout (ts/protocol/commit-log-record.ts) with BODYCRC, QUEUEOFFSET, PHYSICALOFFSET and
// STORETIMESTAMP left 0 for the store to fill. The append hot path: no BigInt, no per-message allocation.

import type { SocketAddress, StoreMessage } from './message-store-api.js';
import {
  MAX_PROPERTIES_SIZE_BYTES,
  MAX_TOPIC_SIZE_BYTES,
  MAX_V1_TOPIC_SIZE_BYTES,
  MessageMagicCode,
  MIN_RECORD_SIZE_BYTES,
  RecordOffset,
  writeInt64,
} from '../protocol/commit-log-record.js';
import { MessageSysFlag } from '../protocol/message-sys-flag.js';
import { StoreError, StoreErrorCode } from './store-errors.js';

const DEFAULT_INITIAL_SIZE_BYTES = 64 * 1024;
/** Encoded topics kept; the cache is cleared when full (topics are few, the bound guards abuse). */
const TOPIC_CACHE_MAX_ENTRIES = 4096;
const CACHED_TOPIC_MAX_BYTES = 255;
/** Every field but the two hosts, BODY, TOPIC and PROPERTIES, with a 2-byte topic length (worst case). */
const HEAD_AND_LENGTHS_MAX_BYTES = MIN_RECORD_SIZE_BYTES + 1 - 16;
// Imported constants copied into module locals: some loaders (tsx's CommonJS path, vitest) turn each
// access to an imported binding into a getter call, which costs more than the whole header here.
const MAGIC_V1 = MessageMagicCode.V1;
const MAGIC_V2 = MessageMagicCode.V2;
const BORNHOST_V6 = MessageSysFlag.BORNHOST_V6_FLAG;
const STOREHOST_V6 = MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
const {
  MAGIC_CODE: MAGIC_CODE_AT,
  BODY_CRC: BODY_CRC_AT,
  QUEUE_ID: QUEUE_ID_AT,
  FLAG: FLAG_AT,
  QUEUE_OFFSET: QUEUE_OFFSET_AT,
  PHYSICAL_OFFSET: PHYSICAL_OFFSET_AT,
  SYS_FLAG: SYS_FLAG_AT,
  BORN_TIMESTAMP: BORN_TIMESTAMP_AT,
  BORN_HOST: BORN_HOST_AT,
} = RecordOffset;
const HOST_FLAGS = BORNHOST_V6 | STOREHOST_V6;
/** Up to this size a byte loop copies the topic faster than TypedArray.set. */
const SHORT_TOPIC_MAX_BYTES = 32;
const V1_TOPIC_MAX_BYTES = MAX_V1_TOPIC_SIZE_BYTES;
const PROPERTIES_MAX_BYTES = MAX_PROPERTIES_SIZE_BYTES;
const setInt64 = writeInt64;

export class RecordDraftEncoder {
  private buffer: Buffer;
  private view: DataView;
  private readonly topicBytes = new Map<string, Buffer>();
  private lastTopic: string | undefined;
  private lastTopicBytes: Buffer = Buffer.alloc(0);

  constructor(initialSizeBytes = DEFAULT_INITIAL_SIZE_BYTES) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(256, initialSizeBytes));
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  }

  /** Bytes currently reserved for drafts (grows by doubling, never shrinks). */
  get capacityBytes(): number {
    return this.buffer.byteLength;
  }

  /**
   * Encodes `messages` back to back and returns a view of the encoder's buffer, valid until the next
   * call. Throws StoreError for what the layout cannot hold: a topic over 65535 bytes
   * (ERR_MESSAGE_ILLEGAL) or properties over 32767 bytes (ERR_PROPERTIES_SIZE_EXCEEDED).
   */
  encode(messages: readonly StoreMessage[]): Buffer {
    let position = 0;
    for (let i = 0; i < messages.length; i++) {
      position = this.encodeOne(messages[i] as StoreMessage, position);
    }
    return this.buffer.subarray(0, position);
  }

  private encodeOne(message: StoreMessage, start: number): number {
    const topic = this.encodedTopic(message.topic);
    const topicSizeBytes = topic.length;
    const isV2 = topicSizeBytes > V1_TOPIC_MAX_BYTES;
    const body = message.body;
    const properties = message.properties ?? '';
    const bornHost = message.bornHost;
    const storeHost = message.storeHost;
    const bornHostSizeBytes = bornHost.address.length + 4;
    const storeHostSizeBytes = storeHost.address.length + 4;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: reserve that, write, then read the real size.
    const maxEndBytes =
      start +
      HEAD_AND_LENGTHS_MAX_BYTES +
      bornHostSizeBytes +
      storeHostSizeBytes +
      body.length +
      topicSizeBytes +
      properties.length * 3;
    if (maxEndBytes > this.buffer.byteLength) this.grow(maxEndBytes);
    const view = this.view;
    const buffer = this.buffer;
    let sysFlag = (message.sysFlag ?? 0) & ~HOST_FLAGS;
    if (bornHost.address.length === 16) sysFlag |= BORNHOST_V6;
    if (storeHost.address.length === 16) sysFlag |= STOREHOST_V6;

    view.setInt32(start + MAGIC_CODE_AT, isV2 ? MAGIC_V2 : MAGIC_V1);
    view.setInt32(start + BODY_CRC_AT, 0);
    view.setInt32(start + QUEUE_ID_AT, message.queueId);
    view.setInt32(start + FLAG_AT, message.flag ?? 0);
    view.setInt32(start + QUEUE_OFFSET_AT, 0);
    view.setInt32(start + QUEUE_OFFSET_AT + 4, 0);
    view.setInt32(start + PHYSICAL_OFFSET_AT, 0);
    view.setInt32(start + PHYSICAL_OFFSET_AT + 4, 0);
    view.setInt32(start + SYS_FLAG_AT, sysFlag);
    setInt64(view, start + BORN_TIMESTAMP_AT, message.bornTimestamp);
    let p = writeHost(buffer, view, start + BORN_HOST_AT, bornHost);
    view.setInt32(p, 0); // STORETIMESTAMP
    view.setInt32(p + 4, 0);
    p = writeHost(buffer, view, p + 8, storeHost);
    view.setInt32(p, message.reconsumeTimes ?? 0);
    setInt64(view, p + 4, message.preparedTransactionOffset ?? 0);
    view.setInt32(p + 12, body.length);
    p += 16;
    buffer.set(body, p);
    p += body.length;
    if (isV2) {
      view.setInt16(p, topicSizeBytes);
      p += 2;
    } else {
      buffer[p++] = topicSizeBytes;
    }
    if (topicSizeBytes <= SHORT_TOPIC_MAX_BYTES) {
      for (let i = 0; i < topicSizeBytes; i++) buffer[p + i] = topic[i] as number;
    } else {
      buffer.set(topic, p);
    }
    p += topicSizeBytes;
    const propertiesSizeBytes = properties.length === 0 ? 0 : buffer.write(properties, p + 2, 'utf8');
    if (propertiesSizeBytes > PROPERTIES_MAX_BYTES) {
      throw new StoreError(
        StoreErrorCode.PROPERTIES_SIZE_EXCEEDED,
        `properties of ${propertiesSizeBytes} bytes exceed ${PROPERTIES_MAX_BYTES} (topic ${message.topic})`,
      );
    }
    view.setInt16(p, propertiesSizeBytes);
    p += 2 + propertiesSizeBytes;
    view.setInt32(start, p - start); // TOTALSIZE
    return p;
  }

  private encodedTopic(topic: string): Buffer {
    // Batches usually hold one topic: check the last one before the map.
    if (topic === this.lastTopic) return this.lastTopicBytes;
    const cached = this.topicBytes.get(topic);
    if (cached !== undefined) {
      this.lastTopic = topic;
      this.lastTopicBytes = cached;
      return cached;
    }
    const encoded = Buffer.from(topic, 'utf8');
    if (encoded.length > MAX_TOPIC_SIZE_BYTES) {
      throw new StoreError(
        StoreErrorCode.MESSAGE_ILLEGAL,
        `topic of ${encoded.length} bytes exceeds ${MAX_TOPIC_SIZE_BYTES}: ${topic.slice(0, 64)}...`,
      );
    }
    if (this.topicBytes.size >= TOPIC_CACHE_MAX_ENTRIES) this.topicBytes.clear();
    // Only topics the store can accept are worth keeping (it refuses anything over 255 bytes).
    if (encoded.length <= CACHED_TOPIC_MAX_BYTES) this.topicBytes.set(topic, encoded);
    this.lastTopic = topic;
    this.lastTopicBytes = encoded;
    return encoded;
  }

  /** Replaces the buffer with one at least `requiredBytes` long (doubling), keeping its contents. */
  private grow(requiredBytes: number): void {
    let sizeBytes = this.buffer.byteLength * 2;
    while (sizeBytes < requiredBytes) sizeBytes *= 2;
    const grown = Buffer.allocUnsafeSlow(sizeBytes);
    this.buffer.copy(grown, 0, 0, this.buffer.byteLength);
    this.buffer = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}

/** Writes 4 or 16 address bytes and the i32 port; returns the position after them. */
function writeHost(buffer: Buffer, view: DataView, position: number, host: SocketAddress): number {
  const address = host.address;
  if (address.length === 4) {
    buffer[position] = address[0] as number;
    buffer[position + 1] = address[1] as number;
    buffer[position + 2] = address[2] as number;
    buffer[position + 3] = address[3] as number;
    view.setInt32(position + 4, host.port);
    return position + 8;
  }
  if (address.length !== 16) {
    throw new StoreError(StoreErrorCode.INVALID_ARG, `a host address has 4 or 16 bytes, not ${address.length}`);
  }
  buffer.set(address, position);
  view.setInt32(position + 16, host.port);
  return position + 20;
}
