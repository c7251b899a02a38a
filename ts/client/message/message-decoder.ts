// Stored records as a broker returns them in PULL_MESSAGE (and QUERY/VIEW) bodies, decoded the way
// Java `MessageDecoder.decodes` does: V1/V2 magic, IPv4/IPv6 hosts, and bodies inflated when the
// sysFlag says they are compressed (zlib; zstd where the runtime has it). Depends on node:zlib,
// ts/common/message-properties.ts.
//
// | off (IPv4, V1) | size      | field                                                  |
// |----------------|-----------|--------------------------------------------------------|
// | 0              | 4         | TOTALSIZE                                              |
// | 4              | 4         | MAGICCODE: V1 0xDAA320A7, V2 0xDAA320AB (2-byte topic length) |
// | 8              | 4         | BODYCRC                                                |
// | 12             | 4         | QUEUEID                                                |
// | 16             | 4         | FLAG                                                   |
// | 20             | 8         | QUEUEOFFSET                                            |
// | 28             | 8         | PHYSICALOFFSET (commit log offset)                     |
// | 36             | 4         | SYSFLAG                                                |
// | 40             | 8         | BORNTIMESTAMP                                          |
// | 48             | 8 / 20    | BORNHOST address + port (20 when SYSFLAG & 0x10)       |
// | 56             | 8         | STORETIMESTAMP                                         |
// | 64             | 8 / 20    | STOREHOST (20 when SYSFLAG & 0x20)                     |
// | 72             | 4         | RECONSUMETIMES                                         |
// | 76             | 8         | PREPARED TRANSACTION OFFSET                            |
// | 84             | 4 + n     | BODYLEN, BODY                                          |
// | …              | 1/2 + n   | TOPICLEN (1 byte V1, 2 bytes V2), TOPIC                |
// | …              | 2 + n     | PROPERTIESLEN, PROPERTIES                              |

import * as zlib from 'node:zlib';
import { parseMessageProperties } from '../../protocol/message-properties.js';

export const MAGIC_CODE_V1 = 0xdaa320a7 | 0;
export const MAGIC_CODE_V2 = 0xdaa320ab | 0;

/** Java `MessageSysFlag`. */
export const MessageSysFlag = {
  COMPRESSED: 0x1,
  MULTI_TAGS: 0x2,
  TRANSACTION_PREPARED: 0x4,
  TRANSACTION_COMMIT: 0x8,
  BORN_HOST_V6: 0x10,
  STORE_HOST_V6: 0x20,
  NEED_UNWRAP: 0x40,
  INNER_BATCH: 0x80,
  /** Bits 8–10: 0 or 3 zlib, 1 LZ4, 2 ZSTD. */
  COMPRESSION_TYPE_MASK: 0x700,
} as const;

const TWO_POW_32 = 0x1_0000_0000;

/** One decoded record. */
export interface DecodedRecord {
  readonly queueId: number;
  readonly flag: number;
  readonly queueOffset: number;
  readonly commitLogOffset: number;
  readonly sysFlag: number;
  readonly bornTimestamp: number;
  readonly bornHostAddress: Buffer;
  readonly bornHostPort: number;
  readonly storeTimestamp: number;
  readonly storeHostAddress: Buffer;
  readonly storeHostPort: number;
  readonly reconsumeTimes: number;
  readonly preparedTransactionOffset: number;
  /** Decompressed when the record was compressed with a codec this runtime has. */
  readonly body: Buffer;
  /** True when the body is still compressed (LZ4, or ZSTD without runtime support). */
  readonly bodyCompressed: boolean;
  readonly topic: string;
  readonly properties: Map<string, string>;
  readonly storeSizeBytes: number;
}

export class MessageDecodeError extends Error {
  override readonly name = 'MessageDecodeError';
}

function readLong(buffer: Buffer, offset: number): number {
  return buffer.readInt32BE(offset) * TWO_POW_32 + buffer.readUInt32BE(offset + 4);
}

/** Inflates a compressed body (Java `UtilAll.uncompress` and the 5.x compressors). */
function decompress(body: Buffer, sysFlag: number): { body: Buffer; compressed: boolean } {
  const type = (sysFlag & MessageSysFlag.COMPRESSION_TYPE_MASK) >> 8;
  if (type === 0 || type === 3) return { body: zlib.inflateSync(body), compressed: false };
  const zstd = (zlib as { zstdDecompressSync?: (input: Buffer) => Buffer }).zstdDecompressSync;
  if (type === 2 && zstd !== undefined) return { body: zstd(body), compressed: false };
  return { body, compressed: true };
}

/** Decodes the record at `offset`; throws MessageDecodeError when it does not fit or has a bad magic. */
export function decodeRecord(buffer: Buffer, offset: number): DecodedRecord {
  const fail = (reason: string): never => {
    throw new MessageDecodeError(`record at byte ${offset}: ${reason}`);
  };
  if (buffer.length - offset < 8) fail('truncated header');
  const storeSizeBytes = buffer.readInt32BE(offset);
  const magic = buffer.readInt32BE(offset + 4);
  if (magic !== MAGIC_CODE_V1 && magic !== MAGIC_CODE_V2) fail(`bad magic code 0x${(magic >>> 0).toString(16)}`);
  if (storeSizeBytes < 91 || offset + storeSizeBytes > buffer.length) fail(`total size ${storeSizeBytes} does not fit`);
  const sysFlag = buffer.readInt32BE(offset + 36);
  const bornHostBytes = sysFlag & MessageSysFlag.BORN_HOST_V6 ? 16 : 4;
  const storeHostBytes = sysFlag & MessageSysFlag.STORE_HOST_V6 ? 16 : 4;
  let at = offset + 48;
  const bornHostAddress = Buffer.from(buffer.subarray(at, at + bornHostBytes));
  const bornHostPort = buffer.readInt32BE(at + bornHostBytes);
  at += bornHostBytes + 4;
  const storeTimestamp = readLong(buffer, at);
  at += 8;
  const storeHostAddress = Buffer.from(buffer.subarray(at, at + storeHostBytes));
  const storeHostPort = buffer.readInt32BE(at + storeHostBytes);
  at += storeHostBytes + 4;
  const reconsumeTimes = buffer.readInt32BE(at);
  const preparedTransactionOffset = readLong(buffer, at + 4);
  at += 12;
  const bodyLength = buffer.readInt32BE(at);
  at += 4;
  // Copies, so a message kept by the application does not pin the whole pull response.
  let body: Buffer = Buffer.from(buffer.subarray(at, at + bodyLength));
  at += bodyLength;
  let bodyCompressed = false;
  if (sysFlag & MessageSysFlag.COMPRESSED) ({ body, compressed: bodyCompressed } = decompress(body, sysFlag));
  const topicLength = magic === MAGIC_CODE_V2 ? buffer.readInt16BE(at) : buffer.readInt8(at) & 0xff;
  at += magic === MAGIC_CODE_V2 ? 2 : 1;
  const topic = buffer.toString('utf8', at, at + topicLength);
  at += topicLength;
  const propertiesLength = buffer.readInt16BE(at);
  at += 2;
  const properties = parseMessageProperties(buffer.toString('utf8', at, at + propertiesLength));
  if (at + propertiesLength !== offset + storeSizeBytes) fail('fields do not add up to the total size');
  return {
    queueId: buffer.readInt32BE(offset + 12),
    flag: buffer.readInt32BE(offset + 16),
    queueOffset: readLong(buffer, offset + 20),
    commitLogOffset: readLong(buffer, offset + 28),
    sysFlag,
    bornTimestamp: readLong(buffer, offset + 40),
    bornHostAddress,
    bornHostPort,
    storeTimestamp,
    storeHostAddress,
    storeHostPort,
    reconsumeTimes,
    preparedTransactionOffset,
    body,
    bodyCompressed,
    topic,
    properties,
    storeSizeBytes,
  };
}

/** Decodes every record of a body, back to back. */
export function decodeRecords(buffer: Buffer): DecodedRecord[] {
  const records: DecodedRecord[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const record = decodeRecord(buffer, offset);
    records.push(record);
    offset += record.storeSizeBytes;
  }
  return records;
}
