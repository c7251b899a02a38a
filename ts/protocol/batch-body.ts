// The SEND_BATCH_MESSAGE (320) body: the client's concatenation of its messages as Java
// `MessageDecoder.encodeMessages` writes them (the client's batch-encoder.ts writes it with these
// offsets), split back into members by the broker. Bodies are views into the request body, not
// copies. Depends on nothing.
//
// Per member, big-endian:
//   offset  size  field
//   0       4     TOTALSIZE   i32 = 22 + BODYLEN + PROPLEN (this field included)
//   4       4     MAGICCODE   i32, 0 (ignored, as Java's decoder does)
//   8       4     BODYCRC     i32, 0 (ignored; the store computes it)
//   12      4     FLAG        i32, the member's Message.flag
//   16      4     BODYLEN     i32
//   20      n     BODY
//   20+n    2     PROPLEN     i16 (≤ 32767)
//   22+n    p     PROPERTIES  UTF-8 `name\x01value\x02...`
// Compat: Java's decoder skips TOTALSIZE; we check it, so a desynchronised body is refused, not misread.

export const BATCH_TOTAL_SIZE_OFFSET = 0;
export const BATCH_FLAG_OFFSET = 12;
export const BATCH_BODY_LENGTH_OFFSET = 16;
export const BATCH_BODY_OFFSET = 20;
/** The fixed bytes of a member: 5 × i32 + the i16 properties length. */
export const BATCH_MEMBER_FIXED_BYTES = BATCH_BODY_OFFSET + 2; // 22

/** One member of a client batch. */
export interface BatchMessage {
  readonly flag: number;
  /** A view into the request body. */
  readonly body: Uint8Array;
  /** The member's property string, as the client encoded it. */
  readonly properties: string;
}

/** A malformed batch body; answered as MESSAGE_ILLEGAL (13) at the api edge. */
export class BatchDecodeError extends Error {
  override readonly name = 'BatchDecodeError';
  constructor(
    /** The byte position of the member that failed to decode. */
    readonly position: number,
    /** The index of that member. */
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8');

/**
 * Splits a batch body into its members. Throws BatchDecodeError when the body is empty, a member is
 * cut short, a length is negative, or a TOTALSIZE disagrees with its BODYLEN and PROPLEN.
 */
export function decodeBatchMessages(body: Uint8Array): BatchMessage[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const members: BatchMessage[] = [];
  let position = 0;
  while (position < body.byteLength) {
    const index = members.length;
    const fail = (reason: string): never => {
      throw new BatchDecodeError(position, index, `batch member ${index} at byte ${position}: ${reason}`);
    };
    const remaining = body.byteLength - position;
    if (remaining < BATCH_MEMBER_FIXED_BYTES) fail(`${remaining} bytes left, a member needs at least 22`);
    const totalSize = view.getInt32(position + BATCH_TOTAL_SIZE_OFFSET);
    const flag = view.getInt32(position + BATCH_FLAG_OFFSET);
    const bodyLength = view.getInt32(position + BATCH_BODY_LENGTH_OFFSET);
    if (bodyLength < 0 || bodyLength > remaining - BATCH_MEMBER_FIXED_BYTES) {
      fail(`body length ${bodyLength} does not fit in the ${remaining} bytes left`);
    }
    const bodyStart = position + BATCH_BODY_OFFSET;
    const propertiesLength = view.getInt16(bodyStart + bodyLength);
    const propertiesStart = bodyStart + bodyLength + 2;
    if (propertiesLength < 0 || propertiesStart + propertiesLength > body.byteLength) {
      fail(`properties length ${propertiesLength} does not fit in the bytes left`);
    }
    const memberSize = BATCH_MEMBER_FIXED_BYTES + bodyLength + propertiesLength;
    if (totalSize !== memberSize) fail(`total size ${totalSize} is not 22 + body + properties = ${memberSize}`);
    members.push({
      flag,
      body: body.subarray(bodyStart, bodyStart + bodyLength),
      properties: utf8.decode(body.subarray(propertiesStart, propertiesStart + propertiesLength)),
    });
    position += memberSize;
  }
  if (members.length === 0) throw new BatchDecodeError(0, 0, 'the batch body holds no message');
  return members;
}
