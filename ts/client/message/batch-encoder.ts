// The SEND_BATCH_MESSAGE (320) body (protocol.md §3.4; Java `MessageDecoder.encodeMessages`): the
// batch's messages back to back, each with its own properties (its own UNIQ_KEY). Depends on
// ts/common/message-properties.ts, ../client-error.ts.
//
// Per message, big-endian:
//   offset  size  field
//   0       4     TOTALSIZE   i32 = 22 + BODYLEN + PROPLEN (this field included)
//   4       4     MAGICCODE   i32, 0
//   8       4     BODYCRC     i32, 0 (the broker computes it)
//   12      4     FLAG        i32
//   16      4     BODYLEN     i32
//   20      n     BODY
//   20+n    2     PROPLEN     i16 (≤ 32767)
//   22+n    p     PROPERTIES  UTF-8 `name\x01value\x02...`

import { encodeMessageProperties } from '../../protocol/message-properties.js';
import { ResponseCode } from '../../remoting/codes.js';
import { ClientError } from '../client-error.js';

/** The fixed bytes of one member: five i32 and the i16 properties length. */
export const BATCH_MEMBER_FIXED_BYTES = 22;
/** An i16 length: the properties of one message must fit in it. */
export const MAX_PROPERTIES_BYTES = 32767;

export interface BatchMember {
  readonly flag: number;
  readonly body: Buffer;
  readonly properties: ReadonlyMap<string, string>;
}

/** Encodes the members into one body. Throws MESSAGE_ILLEGAL when a member's properties are too long. */
export function encodeBatchBody(members: readonly BatchMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const [index, member] of members.entries()) {
    const properties = Buffer.from(encodeMessageProperties(member.properties), 'utf8');
    if (properties.length > MAX_PROPERTIES_BYTES) {
      throw new ClientError(ResponseCode.MESSAGE_ILLEGAL, `message ${index} of the batch has ${properties.length} bytes of properties, more than ${MAX_PROPERTIES_BYTES}`);
    }
    const head = Buffer.alloc(20);
    head.writeInt32BE(BATCH_MEMBER_FIXED_BYTES + member.body.length + properties.length, 0);
    head.writeInt32BE(member.flag, 12);
    head.writeInt32BE(member.body.length, 16);
    const propertiesLength = Buffer.alloc(2);
    propertiesLength.writeInt16BE(properties.length, 0);
    parts.push(head, member.body, propertiesLength, properties);
  }
  return Buffer.concat(parts);
}
