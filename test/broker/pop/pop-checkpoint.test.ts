// Specification of the revive-log records: checkpoint and ack bodies in Apache's JSON (short keys,
// fastjson order), their unique keys and tags, and decoding of long key names and foreign records.

import { describe, expect, it } from 'vitest';
import {
  ackMessage,
  ackUniqueId,
  checkPointMessage,
  checkPointUniqueId,
  decodeAckRecord,
  decodeCheckPoint,
  encodeAckRecord,
  encodeCheckPoint,
  reviveTimeOf,
  reviveTopicOf,
} from '../../../ts/broker/domain/pop/pop-checkpoint.js';
import { parseMessageProperties } from '../../../ts/protocol/message-properties.js';
import { socketAddress } from '../../../ts/common/socket-address.js';

const ck = {
  startOffset: 100,
  popTime: 1_700_000_000_000,
  invisibleTime: 60_000,
  bitMap: 0,
  num: 3,
  queueId: 1,
  topic: 'TopicA',
  cid: 'GroupA',
  reviveOffset: 0,
  queueOffsetDiff: [0, 1, 3],
  brokerName: 'broker-a',
};

describe('revive log records', () => {
  it('writes a checkpoint as PopCheckPoint JSON and reads it back', () => {
    const body = encodeCheckPoint(ck);
    expect(body).toBe(
      '{"bm":0,"bn":"broker-a","c":"GroupA","d":[0,1,3],"it":60000,"n":3,"pt":1700000000000,' +
        '"q":1,"ro":0,"so":100,"t":"TopicA"}',
    );
    expect(decodeCheckPoint(body)).toEqual(ck);
    expect(reviveTimeOf(ck)).toBe(1_700_000_060_000);
    expect(decodeCheckPoint('{"t":"x"}')).toBeNull();
    expect(decodeCheckPoint('not json')).toBeNull();
  });

  it('writes acks as AckMsg / BatchAckMsg JSON and reads short or long names', () => {
    const ack = {
      ackOffset: 101,
      startOffset: 100,
      consumerGroup: 'GroupA',
      topic: 'TopicA',
      queueId: 1,
      popTime: 1_700_000_000_000,
      brokerName: 'broker-a',
    };
    expect(encodeAckRecord(ack)).toBe(
      '{"ao":101,"bn":"broker-a","c":"GroupA","pt":1700000000000,"q":1,"so":100,"t":"TopicA"}',
    );
    expect(decodeAckRecord(encodeAckRecord(ack))).toEqual(ack);
    const long =
      '{"ackOffset":-1,"ackOffsetList":[101,103],"consumerGroup":"G","popTime":5,' +
      '"queueId":0,"startOffset":100,"topic":"T"}';
    expect(decodeAckRecord(long)?.ackOffsets).toEqual([101, 103]);
  });

  it('tags and keys the records as Apache does', () => {
    const target = {
      reviveTopic: reviveTopicOf('DefaultCluster'),
      reviveQueueId: 3,
      storeHost: socketAddress('127.0.0.1', 10911),
      nowMs: 1,
    };
    expect(target.reviveTopic).toBe('rmq_sys_REVIVE_LOG_DefaultCluster');
    const ckMessage = checkPointMessage(ck, target);
    expect([ckMessage.topic, ckMessage.queueId]).toEqual(['rmq_sys_REVIVE_LOG_DefaultCluster', 3]);
    expect(Object.fromEntries(parseMessageProperties(ckMessage.properties ?? ''))).toEqual({
      TAGS: 'ck',
      UNIQ_KEY: 'TopicA@1@100@GroupA@1700000000000@broker-a@ck',
    });
    expect(checkPointUniqueId(ck)).toBe('TopicA@1@100@GroupA@1700000000000@broker-a@ck');
    const ack = {
      ackOffset: 101,
      startOffset: 100,
      consumerGroup: 'G',
      topic: 'T',
      queueId: 1,
      popTime: 5,
      brokerName: 'b',
    };
    expect(ackUniqueId(ack)).toBe('T@1@101@G@5@b@ack');
    expect(ackUniqueId({ ...ack, ackOffsets: [101, 102] })).toBe('T@1@[101, 102]@G@5@bAck');
    expect(parseMessageProperties(ackMessage({ ...ack, ackOffsets: [101] }, target).properties ?? '').get('TAGS')).toBe(
      'bAck',
    );
  });
});
