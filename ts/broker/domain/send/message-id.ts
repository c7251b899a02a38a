// The two message ids of a send (store.md §3): the offset msgId (store host + physical offset, what
// VIEW_MESSAGE_BY_ID decodes) and the UNIQ_KEY generator (Java `MessageClientIDSetter`, the id users
// see). Both are uppercase hex. Depends on common/socket-address.ts (the type only).
//
// Offset msgId (Java `MessageDecoder.createMessageId` / `decodeMessageId`), big-endian:
//   +------------------------+----------+--------------------+
//   | store host address 4|16| port i32 | physical offset i64|   = 16 bytes (32 hex) | 28 bytes (56 hex)
//   +------------------------+----------+--------------------+
// UNIQ_KEY (Java `MessageClientIDSetter.createUniqID`), big-endian:
//   +-----------+---------+-----------------+-------------------------------+-------------+
//   | IP 4 | 16 | pid i16 | class hash i32  | ms since month start (local) i32 | counter i16 |
//   +-----------+---------+-----------------+-------------------------------+-------------+
//   \---------- fixed per process ---------/

import type { SocketAddress } from '../../../common/socket-address.js';

const IPV4_BYTES = 4;
const IPV6_BYTES = 16;
const PORT_BYTES = 4;
const OFFSET_BYTES = 8;
/** Offset msgId lengths in hex chars: 2 × (address + port + offset). */
export const OFFSET_MSG_ID_IPV4_LENGTH = 2 * (IPV4_BYTES + PORT_BYTES + OFFSET_BYTES); // 32
export const OFFSET_MSG_ID_IPV6_LENGTH = 2 * (IPV6_BYTES + PORT_BYTES + OFFSET_BYTES); // 56

const TWO_POW_32 = 0x1_0000_0000;
const HEX = /^[0-9a-fA-F]*$/;

/** A string that is not an offset msgId; VIEW_MESSAGE_BY_ID answers it as an error at the api edge. */
export class MessageIdError extends Error {
  override readonly name = 'MessageIdError';
  constructor(
    readonly messageId: string,
    message: string,
  ) {
    super(message);
  }
}

/** A decoded offset msgId: the store host that wrote the record and the record's physical offset. */
export interface OffsetMessageId extends SocketAddress {
  readonly physicalOffset: number;
}

/** Uppercase hex of `bytes` (Java `UtilAll.bytes2string`). */
function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** Uppercase hex of every byte value. */
const HEX_OF_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));

/** Uppercase hex of a uint32, 8 chars. */
function hexOfUint32(value: number): string {
  return (
    (HEX_OF_BYTE[value >>> 24] as string) +
    (HEX_OF_BYTE[(value >>> 16) & 0xff] as string) +
    (HEX_OF_BYTE[(value >>> 8) & 0xff] as string) +
    (HEX_OF_BYTE[value & 0xff] as string)
  );
}

/**
 * The offset msgId of the record at `physicalOffset` written by `storeHost` (32 or 56 uppercase hex
 * chars). One per send reply: built from a byte-to-hex table, without a buffer.
 */
export function createOffsetMessageId(storeHost: SocketAddress, physicalOffset: number): string {
  const address = storeHost.address;
  if (address.length !== IPV4_BYTES && address.length !== IPV6_BYTES) {
    throw new RangeError(`a store host address has 4 or 16 bytes, not ${address.length}`);
  }
  if (!Number.isSafeInteger(physicalOffset) || physicalOffset < 0) {
    throw new RangeError(`physical offset ${physicalOffset} is not a non-negative safe integer`);
  }
  let id = '';
  for (let i = 0; i < address.length; i++) id += HEX_OF_BYTE[address[i] as number] as string;
  return id + hexOfUint32(storeHost.port >>> 0) + hexOfUint32(Math.floor(physicalOffset / TWO_POW_32)) + hexOfUint32(physicalOffset >>> 0);
}

/**
 * Decodes an offset msgId (Java `decodeMessageId`: 32 chars mean IPv4, 56 IPv6; either case of hex).
 * Throws MessageIdError for another length, a non-hex char, a port outside [0, 65535] or an offset that
 * is negative or beyond 2^53.
 */
export function decodeOffsetMessageId(messageId: string): OffsetMessageId {
  const length = messageId.length;
  if (length !== OFFSET_MSG_ID_IPV4_LENGTH && length !== OFFSET_MSG_ID_IPV6_LENGTH) {
    throw new MessageIdError(messageId, `message id ${JSON.stringify(messageId)} has ${length} chars, not 32 or 56`);
  }
  if (!HEX.test(messageId)) {
    throw new MessageIdError(messageId, `message id ${JSON.stringify(messageId)} is not hex`);
  }
  const bytes = Uint8Array.from(Buffer.from(messageId, 'hex'));
  const view = new DataView(bytes.buffer);
  const addressBytes = length === OFFSET_MSG_ID_IPV4_LENGTH ? IPV4_BYTES : IPV6_BYTES;
  const port = view.getInt32(addressBytes);
  if (port < 0 || port > 65535) {
    throw new MessageIdError(messageId, `message id ${JSON.stringify(messageId)} has port ${port}`);
  }
  const high = view.getInt32(addressBytes + PORT_BYTES);
  const low = view.getUint32(addressBytes + PORT_BYTES + 4);
  const physicalOffset = high * TWO_POW_32 + low;
  if (high < 0 || !Number.isSafeInteger(physicalOffset)) {
    throw new MessageIdError(messageId, `message id ${JSON.stringify(messageId)} has an offset out of range`);
  }
  return { address: bytes.slice(0, addressBytes), port, physicalOffset };
}

/** The offset msgIds of a traditional batch, comma-joined (store.md §3). */
export function joinOffsetMessageIds(storeHost: SocketAddress, physicalOffsets: Iterable<number>): string {
  const ids: string[] = [];
  for (const offset of physicalOffsets) ids.push(createOffsetMessageId(storeHost, offset));
  return ids.join(',');
}

export interface UniqueIdGeneratorOptions {
  /** The host's IP: 4 or 16 bytes (Java `UtilAll.getIP()`; `fakeIp` when there is none). */
  readonly ip: Uint8Array;
  /** The process id; only its low 16 bits are written. */
  readonly pid: number;
  /** Stands in for Java's `ClassLoader.hashCode()`: any i32 fixed for the process. */
  readonly processHash: number;
  /** The clock, ms since the epoch. */
  readonly now: () => number;
}

/** Java `createFakeIP`: the low 4 bytes of the current time in ms. */
export function fakeIp(nowMs: number): Uint8Array {
  const bytes = new Uint8Array(IPV4_BYTES);
  new DataView(bytes.buffer).setUint32(0, nowMs >>> 0);
  return bytes;
}

/** Local midnight of the first day of the month holding `ms`, and of the next month. */
function monthBounds(ms: number): { start: number; next: number } {
  const date = new Date(ms);
  return {
    start: new Date(date.getFullYear(), date.getMonth(), 1).getTime(),
    next: new Date(date.getFullYear(), date.getMonth() + 1, 1).getTime(),
  };
}

/**
 * Generates UNIQ_KEYs as Java `MessageClientIDSetter.createUniqID` does. One instance per broker
 * (the counter is its state); constructed with its clock so tests need no real time.
 */
export class UniqueIdGenerator {
  private readonly prefix: string;
  private readonly now: () => number;
  private monthStart = 0;
  private nextMonthStart = 0;
  private counter = 0;

  constructor(options: UniqueIdGeneratorOptions) {
    const { ip } = options;
    if (ip.length !== IPV4_BYTES && ip.length !== IPV6_BYTES) {
      throw new RangeError(`an IP has 4 or 16 bytes, not ${ip.length}`);
    }
    const fixed = new Uint8Array(ip.length + 2 + 4);
    const view = new DataView(fixed.buffer);
    fixed.set(ip, 0);
    view.setUint16(ip.length, options.pid & 0xffff);
    view.setInt32(ip.length + 2, options.processHash | 0);
    this.prefix = toHex(fixed);
    this.now = options.now;
  }

  /** The next UNIQ_KEY: 32 (IPv4) or 56 (IPv6) uppercase hex chars. */
  next(): string {
    const current = this.now();
    if (current >= this.nextMonthStart) this.resetMonth(current);
    let diff = (current - this.monthStart) | 0;
    // Java: a small negative span is NTP stepping the clock back.
    if (diff < 0 && diff > -1_000_000) diff = 0;
    const tail = new Uint8Array(6);
    const view = new DataView(tail.buffer);
    view.setInt32(0, diff);
    view.setUint16(4, this.counter & 0xffff);
    this.counter = (this.counter + 1) | 0;
    return this.prefix + toHex(tail);
  }

  private resetMonth(current: number): void {
    const bounds = monthBounds(current);
    this.monthStart = bounds.start;
    this.nextMonthStart = bounds.next;
  }
}

/**
 * The approximate time a UNIQ_KEY was made (Java `getNearlyTimeFromID`): its span added to the start
 * of the current local month, or of the previous one when that would lie in the future.
 */
export function uniqueIdTimestamp(uniqueId: string, nowMs: number): number {
  if (!HEX.test(uniqueId) || (uniqueId.length !== 32 && uniqueId.length !== 56)) {
    throw new MessageIdError(uniqueId, `unique id ${JSON.stringify(uniqueId)} is not 32 or 56 hex chars`);
  }
  const ipBytes = uniqueId.length === 56 ? IPV6_BYTES : IPV4_BYTES;
  const spanStart = 2 * (ipBytes + 2 + 4);
  const spanMs = parseInt(uniqueId.slice(spanStart, spanStart + 8), 16); // read unsigned, as Java does
  const now = new Date(nowMs);
  let monthStart = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  if (monthStart + spanMs >= nowMs) monthStart = new Date(now.getFullYear(), now.getMonth() - 1, 1).getTime();
  return monthStart + spanMs;
}
