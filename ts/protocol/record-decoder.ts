// Decodes CommitLog records (a PULL body, a getMessageByOffset record, or a store draft) into their
// fields, checking the layout as RocketMQ's reader does (magic, lengths, the length formula). Bodies
// and strings are read in place: BODY is a view into the buffer. Depends on commit-log-record.ts,
// message-sys-flag.ts and the property codec.

import type { SocketAddress } from '../common/socket-address.js';
import {
  HEAD_SIZE_BYTES_WITHOUT_HOSTS,
  IPV4_HOST_SIZE_BYTES,
  IPV6_HOST_SIZE_BYTES,
  MessageMagicCode,
  MIN_RECORD_SIZE_BYTES,
  readInt64,
  RecordOffset,
  recordSizeBytes,
} from './commit-log-record.js';
import { parseMessageProperties } from './message-properties.js';
import { MessageSysFlag } from './message-sys-flag.js';

export interface StoredMessage {
  readonly totalSizeBytes: number;
  readonly magicCode: number;
  /** crc32(body) & 0x7FFFFFFF. */
  readonly bodyCrc: number;
  readonly queueId: number;
  readonly flag: number;
  readonly queueOffset: number;
  readonly physicalOffset: number;
  readonly sysFlag: number;
  readonly bornTimestamp: number;
  readonly bornHost: SocketAddress;
  readonly storeTimestamp: number;
  readonly storeHost: SocketAddress;
  readonly reconsumeTimes: number;
  readonly preparedTransactionOffset: number;
  /** A view into the decoded buffer, not a copy. */
  readonly body: Buffer;
  readonly topic: string;
  /** The raw property string. */
  readonly propertiesString: string;
  readonly properties: Map<string, string>;
}

/** Bytes that are not a valid record. `code` is the store's stable code for a corrupt record. */
export class RecordDecodeError extends Error {
  override readonly name = 'RecordDecodeError';
  readonly code = 'ERR_CORRUPT';
  constructor(
    /** Where the record starts in the decoded buffer. */
    readonly offset: number,
    reason: string,
  ) {
    super(`record at byte ${offset}: ${reason}`);
  }
}

/** The variable part of a record, from BORNHOST to the end of PROPERTIES. */
type RecordTail = Pick<
  StoredMessage,
  | 'bornHost'
  | 'storeTimestamp'
  | 'storeHost'
  | 'reconsumeTimes'
  | 'preparedTransactionOffset'
  | 'body'
  | 'topic'
  | 'propertiesString'
>;

/** Decodes the record starting at `offset`. Throws RecordDecodeError if it is not a valid record. */
export function decodeStoredRecord(buffer: Buffer, offset = 0): StoredMessage {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const remaining = buffer.byteLength - offset;
  if (remaining < 8) throw new RecordDecodeError(offset, `${remaining} bytes left, not a record`);
  const totalSizeBytes = view.getInt32(offset + RecordOffset.TOTAL_SIZE);
  const magicCode = view.getInt32(offset + RecordOffset.MAGIC_CODE);
  if (magicCode !== MessageMagicCode.V1 && magicCode !== MessageMagicCode.V2) {
    throw new RecordDecodeError(offset, `magic code 0x${(magicCode >>> 0).toString(16)}`);
  }
  if (totalSizeBytes < MIN_RECORD_SIZE_BYTES || totalSizeBytes > remaining) {
    throw new RecordDecodeError(offset, `TOTALSIZE ${totalSizeBytes}, ${remaining} bytes left`);
  }
  const sysFlag = view.getInt32(offset + RecordOffset.SYS_FLAG);
  const tail = decodeTail(buffer, view, offset, totalSizeBytes, sysFlag, magicCode === MessageMagicCode.V2);
  return {
    totalSizeBytes,
    magicCode,
    bodyCrc: view.getInt32(offset + RecordOffset.BODY_CRC),
    queueId: view.getInt32(offset + RecordOffset.QUEUE_ID),
    flag: view.getInt32(offset + RecordOffset.FLAG),
    queueOffset: readInt64(view, offset + RecordOffset.QUEUE_OFFSET),
    physicalOffset: readInt64(view, offset + RecordOffset.PHYSICAL_OFFSET),
    sysFlag,
    bornTimestamp: readInt64(view, offset + RecordOffset.BORN_TIMESTAMP),
    ...tail,
    properties: parseMessageProperties(tail.propertiesString),
  };
}

/** Reads BORNHOST through PROPERTIES, checking each length against the record's end. */
function decodeTail(
  buffer: Buffer,
  view: DataView,
  offset: number,
  totalSizeBytes: number,
  sysFlag: number,
  isV2: boolean,
): RecordTail {
  const corrupt = (why: string): RecordDecodeError => new RecordDecodeError(offset, why);
  const bornHostSizeBytes = sysFlag & MessageSysFlag.BORNHOST_V6_FLAG ? IPV6_HOST_SIZE_BYTES : IPV4_HOST_SIZE_BYTES;
  const storeHostSizeBytes =
    sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG ? IPV6_HOST_SIZE_BYTES : IPV4_HOST_SIZE_BYTES;
  const end = offset + totalSizeBytes;
  // Everything up to BODY, plus the topic and properties lengths, must fit before reading on.
  const headSizeBytes = HEAD_SIZE_BYTES_WITHOUT_HOSTS + bornHostSizeBytes + storeHostSizeBytes;
  if (headSizeBytes + (isV2 ? 2 : 1) + 2 > totalSizeBytes) throw corrupt(`TOTALSIZE ${totalSizeBytes} too small`);

  let p = offset + RecordOffset.BORN_HOST;
  const bornHost = readHost(buffer, view, p, bornHostSizeBytes);
  p += bornHostSizeBytes;
  const storeTimestamp = readInt64(view, p);
  const storeHost = readHost(buffer, view, p + 8, storeHostSizeBytes);
  p += 8 + storeHostSizeBytes;
  const reconsumeTimes = view.getInt32(p);
  const preparedTransactionOffset = readInt64(view, p + 4);
  const bodySizeBytes = view.getInt32(p + 12);
  p += 16;
  if (bodySizeBytes < 0 || p + bodySizeBytes > end) throw corrupt(`BODYLENGTH ${bodySizeBytes}`);
  const body = buffer.subarray(p, p + bodySizeBytes);
  p += bodySizeBytes;
  const topicSizeBytes = isV2 ? view.getUint16(p) : view.getInt8(p);
  p += isV2 ? 2 : 1;
  if (topicSizeBytes < 0 || p + topicSizeBytes + 2 > end) throw corrupt(`TOPICLENGTH ${topicSizeBytes}`);
  const topic = buffer.toString('utf8', p, p + topicSizeBytes);
  p += topicSizeBytes;
  const propertiesSizeBytes = view.getInt16(p);
  p += 2;
  if (propertiesSizeBytes < 0 || p + propertiesSizeBytes > end) {
    throw corrupt(`PROPERTIESLENGTH ${propertiesSizeBytes}`);
  }
  const propertiesString = buffer.toString('utf8', p, p + propertiesSizeBytes);
  const sizes = [bodySizeBytes, topicSizeBytes, propertiesSizeBytes, bornHostSizeBytes, storeHostSizeBytes] as const;
  const expected = recordSizeBytes(...sizes, isV2);
  if (expected !== totalSizeBytes) throw corrupt(`TOTALSIZE ${totalSizeBytes} but the fields add up to ${expected}`);
  return {
    bornHost,
    storeTimestamp,
    storeHost,
    reconsumeTimes,
    preparedTransactionOffset,
    body,
    topic,
    propertiesString,
  };
}

/** Decodes records laid back to back (a PULL body or a batch of drafts) until the buffer ends. */
export function decodeStoredRecords(buffer: Buffer): StoredMessage[] {
  const messages: StoredMessage[] = [];
  let offset = 0;
  while (offset < buffer.byteLength) {
    const message = decodeStoredRecord(buffer, offset);
    messages.push(message);
    offset += message.totalSizeBytes;
  }
  return messages;
}

/**
 * The PROPERTIES string of the record at `offset` without decoding the rest (a filter reads only this).
 * The record must have been read from the store or checked by decodeStoredRecord: lengths are trusted.
 */
export function readRecordPropertiesString(buffer: Buffer, offset: number): string {
  const sysFlag = buffer.readInt32BE(offset + RecordOffset.SYS_FLAG);
  const isV2 = buffer.readInt32BE(offset + RecordOffset.MAGIC_CODE) === MessageMagicCode.V2;
  const bornHostSizeBytes = sysFlag & MessageSysFlag.BORNHOST_V6_FLAG ? IPV6_HOST_SIZE_BYTES : IPV4_HOST_SIZE_BYTES;
  const storeHostSizeBytes =
    sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG ? IPV6_HOST_SIZE_BYTES : IPV4_HOST_SIZE_BYTES;
  // BORNHOST, STORETIMESTAMP, STOREHOST, RECONSUMETIMES, PREPARED TRANSACTION OFFSET, then BODYLENGTH.
  let p = offset + RecordOffset.BORN_HOST + bornHostSizeBytes + 8 + storeHostSizeBytes + 4 + 8;
  p += 4 + buffer.readInt32BE(p);
  p += isV2 ? 2 + buffer.readUInt16BE(p) : 1 + buffer.readInt8(p);
  const propertiesSizeBytes = buffer.readInt16BE(p);
  return buffer.toString('utf8', p + 2, p + 2 + propertiesSizeBytes);
}

function readHost(buffer: Buffer, view: DataView, position: number, sizeBytes: number): SocketAddress {
  const addressSizeBytes = sizeBytes - 4;
  return {
    address: new Uint8Array(buffer.subarray(position, position + addressSizeBytes)),
    port: view.getInt32(position + addressSizeBytes),
  };
}
