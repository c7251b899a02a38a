// The SEND_BATCH_MESSAGE (320) body (Java `MessageDecoder.encodeMessages`): the batch's messages
// back to back, each with its own properties (its own UNIQ_KEY), in the layout of
// ts/protocol/batch-body.ts (MAGICCODE and BODYCRC written 0). Depends on ts/protocol, ../client-error.ts.

import {
  BATCH_BODY_LENGTH_OFFSET,
  BATCH_BODY_OFFSET,
  BATCH_FLAG_OFFSET,
  BATCH_MEMBER_FIXED_BYTES,
  BATCH_TOTAL_SIZE_OFFSET,
} from '../../protocol/batch-body.js';
import { MAX_PROPERTIES_SIZE_BYTES } from '../../protocol/commit-log-record.js';
import { encodeMessageProperties } from '../../protocol/message-properties.js';
import { ResponseCode } from '../../remoting/codes.js';
import { ClientError } from '../client-error.js';

/** An i16 length: the properties of one message must fit in it. */
const MAX_PROPERTIES_BYTES = MAX_PROPERTIES_SIZE_BYTES;

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
      throw new ClientError(
        ResponseCode.MESSAGE_ILLEGAL,
        `message ${index} of the batch has ${properties.length} bytes of properties, more than ${MAX_PROPERTIES_BYTES}`,
      );
    }
    const head = Buffer.alloc(BATCH_BODY_OFFSET);
    head.writeInt32BE(BATCH_MEMBER_FIXED_BYTES + member.body.length + properties.length, BATCH_TOTAL_SIZE_OFFSET);
    head.writeInt32BE(member.flag, BATCH_FLAG_OFFSET);
    head.writeInt32BE(member.body.length, BATCH_BODY_LENGTH_OFFSET);
    const propertiesLength = Buffer.alloc(2);
    propertiesLength.writeInt16BE(properties.length, 0);
    parts.push(head, member.body, propertiesLength, properties);
  }
  return Buffer.concat(parts);
}
