// The CommitLog record layout (Java `CommitLog` / `MessageDecoder`), shared by the store's draft encoder,
// the record decoder and the client's pull path: magic codes, fixed offsets, field sizes and the length
// formula. Depends on nothing.
//
//  offset  size  field                        note
//  ------  ----  ---------------------------  ------------------------------------------------
//       0     4  TOTALSIZE                    whole record, this field included
//       4     4  MAGICCODE                    V1 0xDAA320A7 (1-byte topic length), V2 0xDAA320AB (2-byte)
//       8     4  BODYCRC                      crc32(body) & 0x7FFFFFFF  (draft: 0, the store fills it)
//      12     4  QUEUEID
//      16     4  FLAG
//      20     8  QUEUEOFFSET                  (draft: 0)
//      28     8  PHYSICALOFFSET               (draft: 0)
//      36     4  SYSFLAG                      MessageSysFlag: 0x10 BORNHOST is IPv6, 0x20 STOREHOST is IPv6
//      40     8  BORNTIMESTAMP                ms
//      48  8/20  BORNHOST                     4 or 16 address bytes + i32 port
//       h     8  STORETIMESTAMP               ms (draft: 0)                       h = 56 or 68
//     h+8  8/20  STOREHOST
//       r     4  RECONSUMETIMES                                                    r = h+16 or h+28
//     r+4     8  PREPARED TRANSACTION OFFSET
//    r+12     4  BODYLENGTH, then BODY
//       .   1/2  TOPICLENGTH (V1: 1 byte, V2: 2 bytes), then TOPIC (UTF-8)
//       .     2  PROPERTIESLENGTH (i16, <= 32767), then PROPERTIES (UTF-8)
// All integers are big-endian, two's complement.

export const MessageMagicCode = {
  V1: 0xdaa320a7 | 0,
  V2: 0xdaa320ab | 0,
  /** The blank record closing a CommitLog file. */
  BLANK: 0xcbd43194 | 0,
} as const;

export const RecordOffset = {
  TOTAL_SIZE: 0,
  MAGIC_CODE: 4,
  BODY_CRC: 8,
  QUEUE_ID: 12,
  FLAG: 16,
  QUEUE_OFFSET: 20,
  PHYSICAL_OFFSET: 28,
  SYS_FLAG: 36,
  BORN_TIMESTAMP: 40,
  BORN_HOST: 48,
} as const;

/** A V1 topic length is read as a signed byte. */
export const MAX_V1_TOPIC_SIZE_BYTES = 127;
export const MAX_TOPIC_SIZE_BYTES = 0xffff;
export const MAX_PROPERTIES_SIZE_BYTES = 32767;
/** Host field sizes: address + i32 port. */
export const IPV4_HOST_SIZE_BYTES = 8;
export const IPV6_HOST_SIZE_BYTES = 20;

/** Bytes of every field but BODY, TOPIC, PROPERTIES and the two hosts, with a 1-byte topic length. */
const FIXED_SIZE_BYTES = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 4 + 8 + 4 + 1 + 2;
/** The smallest record: V1, two IPv4 hosts, empty body, topic and properties. */
export const MIN_RECORD_SIZE_BYTES = FIXED_SIZE_BYTES + 2 * IPV4_HOST_SIZE_BYTES; // 91
/** Bytes from TOTALSIZE through BODYLENGTH, not counting the two hosts. */
export const HEAD_SIZE_BYTES_WITHOUT_HOSTS = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 4 + 8 + 4; // 72

/** `MessageExtEncoder.calMsgLength`: 91 + body + topic + props for V1 with two IPv4 hosts. */
export function recordSizeBytes(
  bodySizeBytes: number,
  topicSizeBytes: number,
  propertiesSizeBytes: number,
  bornHostSizeBytes: number,
  storeHostSizeBytes: number,
  isV2: boolean,
): number {
  return (
    FIXED_SIZE_BYTES +
    bornHostSizeBytes +
    storeHostSizeBytes +
    (isV2 ? 1 : 0) +
    bodySizeBytes +
    topicSizeBytes +
    propertiesSizeBytes
  );
}

const TWO_POW_32 = 4294967296;

/** Writes a safe integer as a big-endian i64 without BigInt (high and low 32-bit halves). */
export function writeInt64(view: DataView, offset: number, value: number): void {
  view.setInt32(offset, Math.floor(value / TWO_POW_32));
  view.setUint32(offset + 4, value >>> 0);
}

/** Reads a big-endian i64 as a number (exact below 2^53). */
export function readInt64(view: DataView, offset: number): number {
  return view.getInt32(offset) * TWO_POW_32 + view.getUint32(offset + 4);
}
