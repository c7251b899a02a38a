// The send handlers (SEND_MESSAGE_V2, SEND_BATCH_MESSAGE, CONSUMER_SEND_MSG_BACK) over SendService on the
// memory store and the fake clock: replies, where each message is stored, retry and DLQ routing, delay
// levels parked in SCHEDULE_TOPIC_XXXX, refusals with Java's codes. No TCP, no sleeps.

import { describe, expect, it } from 'vitest';
import { encodeBatchBody } from '../../../ts/client/message/batch-encoder.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { advance, answer, handlerBroker, recordsIn, sendV2 } from './handler-fixtures.js';

function sendBack(offset: number, group: string, delayLevel: number, extra: Record<string, string> = {}) {
  const fields = { offset: String(offset), group, delayLevel: String(delayLevel), unitMode: 'false', ...extra };
  return createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, fields);
}

describe('api: send handler on the memory store', () => {
  it('stores a single send in its queue and answers every send response field', async () => {
    const broker = handlerBroker();
    const reply = await answer(broker, sendV2('NewTopic', 1, 'hello', 'TAGS\x01TagA\x02WAIT\x01true\x02'));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    const fields = { queueId: '1', queueOffset: '0', MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' };
    expect(reply.extFields).toMatchObject(fields);
    // The offset msgId: store host 127.0.0.1:10911, physical offset 0.
    expect(reply.extFields['msgId']).toBe('7F00000100002A9F0000000000000000');
    const [stored] = recordsIn(broker, 'NewTopic', 1);
    expect(stored?.body.toString()).toBe('hello');
    expect(stored?.properties.get('UNIQ_KEY')).toBe(reply.extFields['transactionId']);
    expect(broker.meta.topics.get('NewTopic')?.writeQueueNums).toBe(4);
  });

  it('stores a batch in one append with one msgId per member', async () => {
    const broker = handlerBroker();
    const members = ['m1', 'm2', 'm3'].map((body) => ({
      flag: 0,
      body: Buffer.from(body),
      properties: new Map([['KEYS', body]]),
    }));
    const body = encodeBatchBody(members);
    const request = { ...sendV2('BatchTopic', 0, ''), code: RequestCode.SEND_BATCH_MESSAGE, body };
    const reply = await answer(broker, request);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(reply.extFields['msgId']?.split(',')).toHaveLength(3);
    expect(recordsIn(broker, 'BatchTopic', 0).map((record) => record.body.toString())).toEqual(['m1', 'm2', 'm3']);
  });

  it('parks a DELAY message in SCHEDULE_TOPIC_XXXX, queue level - 1, and delivers it when due', async () => {
    const broker = handlerBroker({ messageDelayLevel: '1s 5s 10s' });
    const reply = await answer(broker, sendV2('DelayTopic', 0, 'later', 'DELAY\x012\x02'));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(recordsIn(broker, 'DelayTopic', 0)).toEqual([]);
    const [parked] = recordsIn(broker, 'SCHEDULE_TOPIC_XXXX', 1);
    expect(parked?.properties.get('REAL_TOPIC')).toBe('DelayTopic');
    broker.schedule.schedule.start();
    await advance(broker, 4_900);
    expect(recordsIn(broker, 'DelayTopic', 0)).toEqual([]);
    await advance(broker, 200);
    expect(recordsIn(broker, 'DelayTopic', 0).map((record) => record.body.toString())).toEqual(['later']);
    await broker.schedule.schedule.stop();
  });

  it('sends a %RETRY% message past maxReconsumeTimes to %DLQ% with DELAY -1', async () => {
    const broker = handlerBroker();
    const reply = await answer(broker, sendV2('%RETRY%rg', 0, 'r2', 'RETRY_TOPIC\x01Orig\x02', { j: '17', l: '16' }));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    const [dead] = recordsIn(broker, '%DLQ%rg', 0);
    expect(dead?.body.toString()).toBe('r2');
    expect(dead?.properties.get('DELAY')).toBe('-1');
  });

  it("refuses with Java's codes: a forbidden topic, a queue past the topic's, an illegal batch", async () => {
    const broker = handlerBroker();
    const forbidden = await answer(broker, sendV2('SCHEDULE_TOPIC_XXXX', 0, 'x'));
    expect(forbidden).toMatchObject({
      code: ResponseCode.NO_PERMISSION,
      remark: 'Sending message to topic[SCHEDULE_TOPIC_XXXX] is forbidden.',
    });
    const badQueue = await answer(broker, sendV2('QTopic', 9, 'x'));
    expect(badQueue.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(badQueue.remark).toMatch(/^request queueId\[9\] is illegal, TopicConfig \[topicName=QTopic/);
    const batchToRetry = { ...sendV2('%RETRY%g', 0, ''), code: RequestCode.SEND_BATCH_MESSAGE };
    expect(await answer(broker, batchToRetry)).toMatchObject({
      code: ResponseCode.MESSAGE_ILLEGAL,
      remark: 'batch request does not support retry group %RETRY%g',
    });
  });
});

describe('api: send-back handler on the memory store', () => {
  it('re-stores a given-back message to %RETRY%<group> at level 3 + reconsumeTimes, then to %DLQ%', async () => {
    const broker = handlerBroker();
    await answer(broker, sendV2('RetryTopic', 0, 'payload', 'UNIQ_KEY\x01U9\x02'));
    const [original] = recordsIn(broker, 'RetryTopic', 0);
    const back = await answer(broker, sendBack(original!.physicalOffset, 'cg', 0));
    expect(back).toMatchObject({ code: ResponseCode.SUCCESS, remark: null });
    const [parked] = recordsIn(broker, 'SCHEDULE_TOPIC_XXXX', 2);
    expect(parked?.properties.get('DELAY')).toBe('3');
    expect(parked?.properties.get('REAL_TOPIC')).toBe('%RETRY%cg');
    expect(parked?.reconsumeTimes).toBe(1);
    const again = await answer(broker, sendBack(parked!.physicalOffset, 'cg', 0, { maxReconsumeTimes: '1' }));
    expect(again.code).toBe(ResponseCode.SUCCESS);
    const [dead] = recordsIn(broker, '%DLQ%cg', 0);
    expect(dead?.body.toString()).toBe('payload');
    expect(dead?.reconsumeTimes).toBe(2);
  });

  it('answers a missing record and an unknown group with Java codes', async () => {
    const broker = handlerBroker({ autoCreateSubscriptionGroup: false });
    expect(await answer(broker, sendBack(1 << 30, 'CID_RMQ_SYS_TRANS', 0))).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: `look message by offset failed, ${1 << 30}`,
    });
    const noGroup = await answer(broker, sendBack(0, 'unknown_group', 0));
    expect(noGroup).toMatchObject({
      code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      remark: 'subscription group not exist, unknown_group ',
    });
  });
});
