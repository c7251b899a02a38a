// The offset msgId (Java `MessageDecoder.createMessageId` / `decodeMessageId`): the store host that
// wrote a record and its physical offset, as uppercase hex. The broker returns it on a send and
// VIEW_MESSAGE_BY_ID decodes it; clients show it as `offsetMsgId`. Depends on
// ts/common/socket-address.ts (the type only).
//
// Big-endian:
//   +------------------------+----------+--------------------+
//   | store host address 4|16| port i32 | physical offset i64|   = 16 bytes (32 hex) | 28 bytes (56 hex)
//   +------------------------+----------+--------------------+

import type { SocketAddress } from '../common/socket-address.js';

const IPV4_BYTES = 4;
const IPV6_BYTES = 16;
const PORT_BYTES = 4;
const OFFSET_BYTES = 8;
/** Offset msgId lengths in hex chars: 2 × (address + port + offset). */
export const OFFSET_MSG_ID_IPV4_LENGTH = 2 * (IPV4_BYTES + PORT_BYTES + OFFSET_BYTES); // 32
export const OFFSET_MSG_ID_IPV6_LENGTH = 2 * (IPV6_BYTES + PORT_BYTES + OFFSET_BYTES); // 56

const TWO_POW_32 = 0x1_0000_0000;
const HEX = /^[0-9a-fA-F]*$/;

/** A string that is not a message id of the expected kind; the broker answers it as an error at its edge. */
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

/** Uppercase hex of every byte value. */
const HEX_OF_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).toUpperCase().padStart(2, '0'),
);

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
  const high = Math.floor(physicalOffset / TWO_POW_32);
  return id + hexOfUint32(storeHost.port >>> 0) + hexOfUint32(high) + hexOfUint32(physicalOffset >>> 0);
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

/** The offset msgIds of a traditional batch, comma-joined, as the send reply's msgId carries them. */
export function joinOffsetMessageIds(storeHost: SocketAddress, physicalOffsets: Iterable<number>): string {
  const ids: string[] = [];
  for (const offset of physicalOffsets) ids.push(createOffsetMessageId(storeHost, offset));
  return ids.join(',');
}
