// A gRPC message as the send path stores it: Apache's proxy checks, each with its Code, and the
// RocketMQ properties built from the system properties (tag, keys, id, transaction, delivery time,
// message group, born host and time).

import { create } from '@bufbuild/protobuf';
import { durationFromMs, timestampFromMs } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { GrpcError } from '../../../ts/broker/grpc/grpc-status.js';
import {
  validateConsumerGroupResource,
  validateMessage,
  validateTopicResource,
} from '../../../ts/broker/grpc/message-validation.js';
import {
  Code,
  Encoding,
  MessageSchema,
  MessageType,
  ResourceSchema,
  SystemPropertiesSchema,
} from '../../../ts/protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import { MessageSysFlag } from '../../../ts/protocol/message-sys-flag.js';

const NOW = 1_700_000_000_000;
const SETTINGS = { maxBodyBytes: 4 * 1024 * 1024, nowMs: NOW, remoteAddress: '10.0.0.7:5555' };

function message(system: Record<string, unknown> = {}, userProperties: Record<string, string> = {}, body = 'b') {
  return create(MessageSchema, {
    topic: create(ResourceSchema, { name: 'T' }),
    body: Buffer.from(body),
    userProperties,
    systemProperties: create(SystemPropertiesSchema, { messageId: '01ABCDEF', ...system }),
  });
}

function codeOf(action: () => unknown): Code | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof GrpcError) return error.code;
    throw error;
  }
  return undefined;
}

describe('grpc: message checks', () => {
  it('builds the properties a RocketMQ message carries', () => {
    const checked = validateMessage(
      message(
        {
          tag: 'TagA',
          keys: ['k1', 'k2'],
          messageGroup: 'g',
          bornTimestamp: timestampFromMs(NOW - 5),
          deliveryAttempt: 2,
          traceContext: 'trace',
        },
        { color: 'blue' },
      ),
      'T',
      SETTINGS,
    );
    expect(Object.fromEntries(checked.properties)).toEqual({
      color: 'blue',
      TAGS: 'TagA',
      KEYS: 'k1 k2',
      UNIQ_KEY: '01ABCDEF',
      RECONSUME_TIME: '2',
      PGROUP: 'T',
      __SHARDINGKEY: 'g',
      TRACE_CONTEXT: 'trace',
      __BORNHOST: '10.0.0.7:5555',
      BORN_TIMESTAMP: String(NOW - 5),
    });
    expect(checked).toMatchObject({ sysFlag: 0, bornTimestampMs: NOW - 5, reconsumeTimes: 2, messageGroup: 'g' });
  });

  it('marks transactions and GZIP bodies in sysFlag, and parks a delivery time as TIMER_DELIVER_MS', () => {
    const transactional = validateMessage(
      message({
        messageType: MessageType.TRANSACTION,
        bodyEncoding: Encoding.GZIP,
        orphanedTransactionRecoveryDuration: durationFromMs(30_000),
      }),
      'T',
      SETTINGS,
    );
    expect(transactional.sysFlag).toBe(MessageSysFlag.TRANSACTION_PREPARED_TYPE | MessageSysFlag.COMPRESSED_FLAG);
    expect(transactional.properties.get('TRAN_MSG')).toBe('true');
    expect(transactional.properties.get('CHECK_IMMUNITY_TIME_IN_SECONDS')).toBe('30');
    const delayed = validateMessage(message({ deliveryTimestamp: timestampFromMs(NOW + 60_000) }), 'T', SETTINGS);
    expect(delayed.properties.get('TIMER_DELIVER_MS')).toBe(String(NOW + 60_000));
  });

  it('refuses each bad message with Apache Code', () => {
    const check = (m: ReturnType<typeof message>): Code | undefined => codeOf(() => validateMessage(m, 'T', SETTINGS));
    expect(check(message({}, {}, ''))).toBe(Code.MESSAGE_BODY_EMPTY);
    expect(check(message({}, {}, 'x'.repeat(4 * 1024 * 1024 + 1)))).toBe(Code.MESSAGE_BODY_TOO_LARGE);
    expect(check(message({}, { 'bad\u0001key': 'v' }))).toBe(Code.ILLEGAL_MESSAGE_PROPERTY_KEY);
    expect(check(message({}, { k: 'bad\u0002value' }))).toBe(Code.ILLEGAL_MESSAGE_PROPERTY_KEY);
    expect(check(message({}, { KEYS: 'x' }))).toBe(Code.ILLEGAL_MESSAGE_PROPERTY_KEY);
    expect(check(message({}, { big: 'v'.repeat(16 * 1024) }))).toBe(Code.MESSAGE_PROPERTIES_TOO_LARGE);
    expect(check(message({ tag: '  ' }))).toBe(Code.ILLEGAL_MESSAGE_TAG);
    expect(check(message({ tag: 'a\tb' }))).toBe(Code.ILLEGAL_MESSAGE_TAG);
    expect(check(message({ keys: [' '] }))).toBe(Code.ILLEGAL_MESSAGE_KEY);
    expect(check(message({ messageGroup: 'g'.repeat(64) }))).toBe(Code.ILLEGAL_MESSAGE_GROUP);
    expect(check(message({ messageGroup: 'g'.repeat(63) }))).toBeUndefined();
    expect(check(message({ messageId: '' }))).toBe(Code.ILLEGAL_MESSAGE_ID);
    expect(check(message({ deliveryTimestamp: timestampFromMs(NOW + 86_400_001) }))).toBe(Code.ILLEGAL_DELIVERY_TIME);
    const tooLong = {
      messageType: MessageType.TRANSACTION,
      orphanedTransactionRecoveryDuration: durationFromMs(3_601_000),
    };
    expect(check(message(tooLong))).toBe(Code.BAD_REQUEST);
  });

  it('refuses illegal and system topics and groups', () => {
    const topic = (name: string) => codeOf(() => validateTopicResource(create(ResourceSchema, { name })));
    expect(topic('ok_topic-1')).toBeUndefined();
    expect(topic('')).toBe(Code.ILLEGAL_TOPIC);
    expect(topic('a b')).toBe(Code.ILLEGAL_TOPIC);
    expect(topic('t'.repeat(128))).toBe(Code.ILLEGAL_TOPIC);
    expect(topic('RMQ_SYS_TRANS_HALF_TOPIC')).toBe(Code.ILLEGAL_TOPIC);
    expect(topic('rmq_sys_anything')).toBe(Code.ILLEGAL_TOPIC);
    const group = (name: string) => codeOf(() => validateConsumerGroupResource(create(ResourceSchema, { name })));
    expect(group('group-1')).toBeUndefined();
    expect(group('a/b')).toBe(Code.ILLEGAL_CONSUMER_GROUP);
    expect(group('CID_RMQ_SYS_TRANS')).toBe(Code.ILLEGAL_CONSUMER_GROUP);
  });
});
