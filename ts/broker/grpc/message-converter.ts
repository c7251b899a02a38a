// A stored message as a gRPC `Message` (Java `GrpcConverter#buildMessage`): reserved properties become system
// properties (tag, keys, id, group, times, hosts, queue, attempt, body MD5), the others stay user properties.
// Used for transaction check-backs, later for received messages. Depends on the protos and ts/protocol.

import { createHash } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import {
  DigestSchema,
  DigestType,
  Encoding,
  MessageSchema,
  MessageType,
  ResourceSchema,
  SystemPropertiesSchema,
  type Message,
  type SystemProperties,
} from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { formatSocketAddress } from '../../common/socket-address.js';
import { KEY_SEPARATOR, MessageProperty } from '../../protocol/message-properties.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import type { StoredMessage } from '../../protocol/record-decoder.js';
import {
  BORN_HOST_PROPERTY,
  SYSTEM_PROPERTY_NAMES,
  TRACE_CONTEXT_PROPERTY,
} from '../../protocol/system-property-names.js';

/** The message as a client sees it; `topic` is the name to show (e.g. the real topic of a half). */
export function toGrpcMessage(stored: StoredMessage, topic: string = stored.topic): Message {
  const userProperties: { [key: string]: string } = {};
  for (const [key, value] of stored.properties) if (!SYSTEM_PROPERTY_NAMES.has(key)) userProperties[key] = value;
  return create(MessageSchema, {
    topic: create(ResourceSchema, { name: topic }),
    userProperties,
    systemProperties: systemProperties(stored),
    body: stored.body,
  });
}

function systemProperties(stored: StoredMessage): SystemProperties {
  const p = stored.properties;
  const keys = p.get(MessageProperty.KEYS);
  const deliverMs = p.get(MessageProperty.TIMER_DELIVER_MS);
  const group = p.get(MessageProperty.SHARDING_KEY);
  const trace = p.get(TRACE_CONTEXT_PROPERTY);
  const compressed = (stored.sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0;
  const bornHost = p.get(BORN_HOST_PROPERTY) ?? formatSocketAddress(stored.bornHost);
  return create(SystemPropertiesSchema, {
    ...(p.has(MessageProperty.TAGS) && { tag: p.get(MessageProperty.TAGS) }),
    keys: keys === undefined ? [] : keys.split(KEY_SEPARATOR),
    messageId: p.get(MessageProperty.UNIQ_KEY) ?? '',
    bodyDigest: create(DigestSchema, { type: DigestType.MD5, checksum: md5Hex(stored.body) }),
    bodyEncoding: compressed ? Encoding.GZIP : Encoding.IDENTITY,
    messageType: messageTypeOf(p),
    bornTimestamp: timestampFromMs(stored.bornTimestamp),
    bornHost,
    storeTimestamp: timestampFromMs(stored.storeTimestamp),
    storeHost: formatSocketAddress(stored.storeHost),
    ...(deliverMs !== undefined &&
      Number.isFinite(Number(deliverMs)) && { deliveryTimestamp: timestampFromMs(Number(deliverMs)) }),
    ...(p.has(MessageProperty.POP_CK) && { receiptHandle: p.get(MessageProperty.POP_CK) }),
    queueId: stored.queueId,
    queueOffset: BigInt(stored.queueOffset),
    deliveryAttempt: stored.reconsumeTimes + 1,
    ...(group !== undefined && { messageGroup: group }),
    ...(trace !== undefined && { traceContext: trace }),
  });
}

function messageTypeOf(properties: ReadonlyMap<string, string>): MessageType {
  if (properties.get(MessageProperty.TRAN_MSG) === 'true') return MessageType.TRANSACTION;
  const delayed = [MessageProperty.DELAY, MessageProperty.TIMER_DELIVER_MS, MessageProperty.TIMER_DELAY_SEC];
  if (delayed.some((name) => properties.has(name))) return MessageType.DELAY;
  if (properties.has(MessageProperty.SHARDING_KEY)) return MessageType.FIFO;
  return MessageType.NORMAL;
}

/** Upper-case hex MD5, as Apache sends it (the client compares it with the body's). */
function md5Hex(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex').toUpperCase();
}
