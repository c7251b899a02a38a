// Stored records as a broker returns them in PULL_MESSAGE (and QUERY/VIEW) bodies, as the client keeps
// them (Java `MessageDecoder.decodes`): the fields the protocol decoder reads, with the body copied and
// inflated when the sysFlag says it is compressed (zlib; zstd where the runtime has it). The layout is
// ts/protocol/commit-log-record.ts. Depends on node:zlib, ts/protocol/record-decoder.ts.

import * as zlib from 'node:zlib';
import { compressionType, MessageSysFlag } from '../../protocol/message-sys-flag.js';
import { decodeStoredRecords, type StoredMessage } from '../../protocol/record-decoder.js';

/** One pulled record. */
export interface PulledRecord extends StoredMessage {
  /** A copy, decompressed when the record was compressed with a codec this runtime has. */
  readonly body: Buffer;
  /** True when the body is still compressed (LZ4, or ZSTD without runtime support). */
  readonly bodyCompressed: boolean;
}

/** Inflates a compressed body (Java `UtilAll.uncompress` and the 5.x compressors). */
export function decompress(body: Buffer, sysFlag: number): { body: Buffer; compressed: boolean } {
  const type = compressionType(sysFlag);
  if (type === 0 || type === 3) return { body: zlib.inflateSync(body), compressed: false };
  const zstd = (zlib as { zstdDecompressSync?: (input: Buffer) => Buffer }).zstdDecompressSync;
  if (type === 2 && zstd !== undefined) return { body: zstd(body), compressed: false };
  return { body, compressed: true };
}

/** Decodes every record of a body, back to back; throws RecordDecodeError on a malformed one. */
export function decodePulledRecords(buffer: Buffer): PulledRecord[] {
  return decodeStoredRecords(buffer).map((record) => {
    // Copies, so a message kept by the application does not pin the whole pull response.
    const copied = Buffer.from(record.body);
    if ((record.sysFlag & MessageSysFlag.COMPRESSED_FLAG) === 0) {
      return { ...record, body: copied, bodyCompressed: false };
    }
    const { body, compressed } = decompress(copied, record.sysFlag);
    return { ...record, body, bodyCompressed: compressed };
  });
}
