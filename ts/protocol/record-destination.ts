// A stored record re-addressed to another topic and queue, every other byte kept: what the broker
// sends as the body of CHECK_TRANSACTION_STATE (the half as its real message, Java
// `MessageDecoder.encode` of the half with its real topic and queue). Depends on commit-log-record.ts
// and the record decoder.

import { MAX_V1_TOPIC_SIZE_BYTES, MessageMagicCode, RecordOffset } from './commit-log-record.js';
import { decodeStoredRecord } from './record-decoder.js';

/** `record` (one whole record) with TOPIC and QUEUEID replaced; V1 unless the topic needs V2. */
export function withRecordDestination(record: Buffer, topic: string, queueId: number): Buffer {
  const decoded = decodeStoredRecord(record);
  const isV2 = decoded.magicCode === MessageMagicCode.V2;
  const bodyEnd = decoded.body.byteOffset - record.byteOffset + decoded.body.byteLength;
  const oldTopicBytes = Buffer.byteLength(decoded.topic, 'utf8');
  const propertiesStart = bodyEnd + (isV2 ? 2 : 1) + oldTopicBytes;
  const topicBytes = Buffer.from(topic, 'utf8');
  const newIsV2 = topicBytes.length > MAX_V1_TOPIC_SIZE_BYTES;
  const lengthBytes = Buffer.alloc(newIsV2 ? 2 : 1);
  if (newIsV2) lengthBytes.writeUInt16BE(topicBytes.length);
  else lengthBytes.writeUInt8(topicBytes.length);
  const out = Buffer.concat([
    record.subarray(0, bodyEnd),
    lengthBytes,
    topicBytes,
    record.subarray(propertiesStart, decoded.totalSizeBytes),
  ]);
  out.writeInt32BE(out.length, RecordOffset.TOTAL_SIZE);
  out.writeInt32BE(newIsV2 ? MessageMagicCode.V2 : MessageMagicCode.V1, RecordOffset.MAGIC_CODE);
  out.writeInt32BE(queueId, RecordOffset.QUEUE_ID);
  return out;
}
