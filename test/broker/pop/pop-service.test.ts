// Specification of pop consumption on the handlers (memory store, fake clock): pop, ack, invisible
// time changes, revive through the pop retry topic and then the DLQ, long polling, the merge buffer,
// and Apache's answers to bad input.

import { describe, expect, it } from 'vitest';
import { newTopicConfig } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import { REVIVE_GROUP, reviveTopicOf } from '../../../ts/broker/domain/pop/pop-checkpoint.js';
import { MessageProperty } from '../../../ts/protocol/message-properties.js';
import { decodeStoredRecords } from '../../../ts/protocol/record-decoder.js';
import { PERM_WRITE } from '../../../ts/protocol/route-types.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { RequestCode } from '../../../ts/remoting/codes.js';
import { encodeBatchAckBody } from '../../../ts/protocol/pop-batch-ack.js';
import {
  encodeNotificationRequestHeader,
  encodePeekMessageRequestHeader,
  encodePollingInfoRequestHeader,
} from '../../../ts/protocol/pop-headers.js';
import {
  ackRequest,
  advance,
  answer,
  bodies,
  changeInvisibleRequest,
  popBroker,
  type PopBroker,
  popped,
  popRequest,
  sendV2,
} from './pop-fixtures.js';
import { pullRequest } from '../api/handler-fixtures.js';

async function brokerWithMessages(count: number, overrides = {}): Promise<PopBroker> {
  const broker = popBroker(overrides);
  broker.meta.topics.createOrUpdate(newTopicConfig('TopicA', { readQueueNums: 2, writeQueueNums: 2 }));
  for (let i = 0; i < count; i++) await answer(broker, sendV2('TopicA', i % 2, `m${i}`));
  return broker;
}

function reviveRecords(broker: PopBroker) {
  const topic = reviveTopicOf(broker.config.brokerClusterName);
  return Array.from({ length: broker.config.reviveQueueNum }, (_, queueId) =>
    decodeStoredRecords(broker.store.getMessages(topic, queueId, 0, 1000).buffer),
  ).flat();
}

describe('pop: receive and ack', () => {
  it('pops every message once across queues, with the offset infos the Java client reads', async () => {
    const broker = await brokerWithMessages(6);
    const reply = await answer(broker, popRequest('TopicA', { maxMsgNums: 32 }));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(bodies(reply).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(reply.extFields['startOffsetInfo']?.split(';').sort()).toEqual(['0 0 0', '0 1 0']);
    expect(reply.extFields['msgOffsetInfo']?.split(';').sort()).toEqual(['0 0 0,1,2', '0 1 0,1,2']);
    const again = await answer(broker, popRequest('TopicA'));
    expect(again.code).toBe(ResponseCode.POLLING_TIMEOUT);
    expect(again.remark).toBe('NO_MESSAGE_IN_QUEUE');
  });

  it('writes one checkpoint per queue popped and an ack record per ack; acked messages never come back', async () => {
    const broker = await brokerWithMessages(2);
    const messages = popped(await answer(broker, popRequest('TopicA', { invisibleTime: 10_000 })));
    expect(reviveRecords(broker).map((record) => record.properties.get(MessageProperty.TAGS))).toEqual(['ck', 'ck']);
    for (const message of messages) expect((await answer(broker, ackRequest(message))).code).toBe(ResponseCode.SUCCESS);
    const tags = reviveRecords(broker).map((record) => record.properties.get(MessageProperty.TAGS));
    expect(tags.sort()).toEqual(['ack', 'ack', 'ck', 'ck']);
    await advance(broker, 15_000);
    expect(broker.store.getMaxOffsetInQueue('%RETRY%pg_TopicA', 0)).toBe(0);
    expect(broker.pop.inflight.size).toBe(0);
  });

  it('moves the revive progress past checkpoints that are done', async () => {
    const broker = await brokerWithMessages(1);
    const [message] = popped(await answer(broker, popRequest('TopicA')));
    await answer(broker, ackRequest(message!));
    await advance(broker, 2_000);
    const topic = reviveTopicOf(broker.config.brokerClusterName);
    const rq = Number(message!.receipt.split(' ')[3]);
    expect(broker.meta.offsets.queryOffset(REVIVE_GROUP, topic, rq)).toBe(broker.store.getMaxOffsetInQueue(topic, rq));
  });
});

describe('pop: revive', () => {
  it('revives an un-acked message in %RETRY%<group>_<topic>, reconsumeTimes 1, after its invisible time', async () => {
    const broker = await brokerWithMessages(1);
    const [first] = popped(await answer(broker, popRequest('TopicA', { invisibleTime: 5_000 })));
    await advance(broker, 4_000);
    expect((await answer(broker, popRequest('TopicA'))).code).toBe(ResponseCode.POLLING_TIMEOUT);
    await advance(broker, 2_000);
    const retried = popped(await answer(broker, popRequest('TopicA', { invisibleTime: 5_000 })));
    expect(retried).toHaveLength(1);
    expect(retried[0]!.record.topic).toBe('%RETRY%pg_TopicA');
    expect(retried[0]!.record.reconsumeTimes).toBe(1);
    expect(retried[0]!.record.body.toString()).toBe(first!.record.body.toString());
    expect(retried[0]!.receipt.split(' ')[4]).toBe('1');
    expect(retried[0]!.record.properties.get(MessageProperty.FIRST_POP_TIME)).toBeDefined();
    expect((await answer(broker, ackRequest(retried[0]!))).code).toBe(ResponseCode.SUCCESS);
    await advance(broker, 10_000);
    expect(broker.store.getMaxOffsetInQueue('%RETRY%pg_TopicA', 0)).toBe(1);
  });

  it('sends a message to %DLQ%<group> once it was consumed the group max reconsume times', async () => {
    const broker = await brokerWithMessages(1);
    const group = broker.meta.groups.findSubscriptionGroupConfig('pg')!;
    broker.meta.groups.update({ ...group, retryMaxTimes: 2 });
    const seen: number[] = [];
    for (let round = 0; round < 4; round++) {
      const reply = await answer(broker, popRequest('TopicA', { invisibleTime: 1_000 }));
      for (const message of popped(reply)) seen.push(message.record.reconsumeTimes);
      await advance(broker, 2_100);
    }
    expect(seen).toEqual([0, 1, 2]);
    const dead = decodeStoredRecords(broker.store.getMessages('%DLQ%pg', 0, 0, 10).buffer);
    expect(dead.map((record) => [record.body.toString(), record.reconsumeTimes])).toEqual([['m0', 3]]);
  });

  it('a negative invisible time makes the message come back at the next revive pass', async () => {
    const broker = await brokerWithMessages(1);
    expect(popped(await answer(broker, popRequest('TopicA', { invisibleTime: -1 })))).toHaveLength(1);
    await advance(broker, 1_000);
    expect(popped(await answer(broker, popRequest('TopicA')))[0]?.record.reconsumeTimes).toBe(1);
  });
});

describe('pop: change invisible time', () => {
  it('extends a message past its first deadline; it comes back after the new one', async () => {
    const broker = await brokerWithMessages(1);
    const [message] = popped(await answer(broker, popRequest('TopicA', { invisibleTime: 5_000 })));
    await advance(broker, 3_000);
    const changed = await answer(broker, changeInvisibleRequest(message!, 10_000));
    expect(changed.code).toBe(ResponseCode.SUCCESS);
    expect(changed.extFields['invisibleTime']).toBe('10000');
    expect(changed.extFields['popTime']).toBe(String(broker.clock.now()));
    await advance(broker, 5_000);
    expect((await answer(broker, popRequest('TopicA'))).code).toBe(ResponseCode.POLLING_TIMEOUT);
    await advance(broker, 6_000);
    expect(bodies(await answer(broker, popRequest('TopicA')))).toEqual(['m0']);
  });

  it('on an acked message answers SUCCESS and the message stays acked', async () => {
    const broker = await brokerWithMessages(1);
    const [message] = popped(await answer(broker, popRequest('TopicA', { invisibleTime: 5_000 })));
    await answer(broker, ackRequest(message!));
    expect((await answer(broker, changeInvisibleRequest(message!, 1_000))).code).toBe(ResponseCode.SUCCESS);
    await advance(broker, 8_000);
    expect((await answer(broker, popRequest('TopicA'))).code).toBe(ResponseCode.POLLING_TIMEOUT);
  });
});

describe('pop: long polling', () => {
  it('holds a pop that found nothing and wakes it when a message arrives', async () => {
    const broker = await brokerWithMessages(0);
    const held = broker.call(popRequest('TopicA', { pollTime: 15_000 }, broker.clock.now()));
    await advance(broker, 1_000);
    expect(broker.pop.polling.heldCount).toBe(1);
    await answer(broker, sendV2('TopicA', 1, 'late'));
    const reply = await held;
    expect(reply?.code).toBe(ResponseCode.SUCCESS);
    expect(bodies(reply!)).toEqual(['late']);
  });

  it('answers POLLING_TIMEOUT at the poll time, and POLLING_FULL past maxPopPollingSize', async () => {
    const broker = popBroker({ maxPopPollingSize: 1 });
    broker.meta.topics.createOrUpdate(newTopicConfig('TopicA', { readQueueNums: 1, writeQueueNums: 1 }));
    const held = broker.call(popRequest('TopicA', { pollTime: 5_000 }, broker.clock.now()));
    await advance(broker, 100);
    const full = await answer(broker, popRequest('TopicA', { pollTime: 5_000 }, broker.clock.now()));
    expect(full.code).toBe(ResponseCode.POLLING_FULL);
    await advance(broker, 5_000);
    expect((await held)?.code).toBe(ResponseCode.POLLING_TIMEOUT);
  });

  it('answers a pop that arrives long after its poll time at once (timeout too much)', async () => {
    const broker = await brokerWithMessages(1);
    const late = await answer(broker, popRequest('TopicA', { pollTime: 1_000 }, broker.clock.now() - 5_000));
    expect(late.code).toBe(ResponseCode.POLLING_TIMEOUT);
    expect(late.remark).toBe('the broker[127.0.0.1] pop message is timeout too much');
  });
});

describe('pop: merge buffer', () => {
  it('writes nothing to the revive log for a pop acked within popCkStayBufferTime', async () => {
    const broker = await brokerWithMessages(2, { enablePopBufferMerge: true, popCkStayBufferTime: 5_000 });
    const messages = popped(await answer(broker, popRequest('TopicA')));
    for (const message of messages) await answer(broker, ackRequest(message));
    await advance(broker, 8_000);
    expect(reviveRecords(broker)).toHaveLength(0);
  });

  it('writes a checkpoint that stayed its time, with the acks merged so far as its bitmap', async () => {
    const broker = await brokerWithMessages(2, { enablePopBufferMerge: true, popCkStayBufferTime: 2_000 });
    const messages = popped(await answer(broker, popRequest('TopicA', { queueId: 0, maxMsgNums: 2 })));
    expect(messages).toHaveLength(1);
    await advance(broker, 3_100);
    const records = reviveRecords(broker);
    expect(records.map((record) => record.properties.get(MessageProperty.TAGS))).toEqual(['ck']);
    expect(JSON.parse(records[0]!.body.toString())).toMatchObject({ bm: 0, c: 'pg', n: 1, so: 0, t: 'TopicA', q: 0 });
  });
});

describe('pop: bad input gets Apache codes and remarks, and the broker keeps serving', () => {
  it('maxMsgNums 100,000 is INVALID_PARAMETER; 0 pops nothing', async () => {
    const broker = await brokerWithMessages(1);
    const tooMany = await answer(broker, popRequest('TopicA', { maxMsgNums: 100_000 }));
    expect(tooMany.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(tooMany.remark).toBe("the broker[127.0.0.1] pop message's num is greater than 32");
    expect((await answer(broker, popRequest('TopicA', { maxMsgNums: 0 }))).code).toBe(ResponseCode.POLLING_TIMEOUT);
    expect(bodies(await answer(broker, popRequest('TopicA')))).toEqual(['m0']);
  });

  it('a topic the group may not read is NO_PERMISSION; an unknown one TOPIC_NOT_EXIST', async () => {
    const broker = await brokerWithMessages(0);
    broker.meta.topics.createOrUpdate(
      newTopicConfig('WriteOnly', { readQueueNums: 1, writeQueueNums: 1, perm: PERM_WRITE }),
    );
    const denied = await answer(broker, popRequest('WriteOnly'));
    expect(denied.code).toBe(ResponseCode.NO_PERMISSION);
    expect(denied.remark).toBe('the topic[WriteOnly] peeking message is forbidden');
    expect((await answer(broker, popRequest('Nope'))).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    const group = broker.meta.groups.findSubscriptionGroupConfig('pg')!;
    broker.meta.groups.update({ ...group, consumeEnable: false });
    const disabled = await answer(broker, popRequest('TopicA'));
    expect([disabled.code, disabled.remark]).toEqual([
      ResponseCode.NO_PERMISSION,
      'subscription group no permission, pg',
    ]);
  });

  it('a forged receipt is SYSTEM_ERROR, an offset the queue lacks NO_MESSAGE, a stale receipt SUCCESS', async () => {
    const broker = await brokerWithMessages(1);
    const [message] = popped(await answer(broker, popRequest('TopicA')));
    const forged = await answer(broker, ackRequest({ ...message!, receipt: 'forged' }));
    expect(forged.code).toBe(ResponseCode.SYSTEM_ERROR);
    const outside = await answer(broker, ackRequest({ ...message!, record: { ...message!.record, queueOffset: 99 } }));
    expect(outside.code).toBe(ResponseCode.NO_MESSAGE);
    expect(outside.remark).toBe(`offset is illegal, key:TopicA@${message!.record.queueId}, commit:99, store:0~1`);
    expect((await answer(broker, ackRequest(message!))).code).toBe(ResponseCode.SUCCESS);
    expect((await answer(broker, ackRequest(message!))).code).toBe(ResponseCode.SUCCESS);
    await answer(broker, sendV2('TopicA', 0, 'after'));
    expect(bodies(await answer(broker, popRequest('TopicA')))).toEqual(['after']);
  });

  it('BATCH_ACK acks the offsets of its bit set; an empty body is NO_MESSAGE', async () => {
    const broker = await brokerWithMessages(4);
    const messages = popped(await answer(broker, popRequest('TopicA', { queueId: 0, invisibleTime: 5_000 })));
    expect(messages).toHaveLength(2);
    const header = messages[0]!.receipt.split(' ');
    const body = encodeBatchAckBody({
      acks: [
        {
          consumerGroup: 'pg',
          topic: 'TopicA',
          retry: '0',
          startOffset: Number(header[0]),
          queueId: 0,
          reviveQueueId: Number(header[3]),
          popTime: Number(header[1]),
          invisibleTime: 5_000,
          ackOffsets: messages.map((message) => message.record.queueOffset),
        },
      ],
    });
    expect((await answer(broker, createRequest(RequestCode.BATCH_ACK_MESSAGE, {}, body))).code).toBe(
      ResponseCode.SUCCESS,
    );
    expect(broker.pop.inflight.size).toBe(0);
    expect((await answer(broker, createRequest(RequestCode.BATCH_ACK_MESSAGE, {}))).code).toBe(ResponseCode.NO_MESSAGE);
  });
});

describe('pop: PEEK, NOTIFICATION and POLLING_INFO', () => {
  const peek = (maxMsgNums = 32) =>
    createRequest(
      RequestCode.PEEK_MESSAGE,
      encodePeekMessageRequestHeader({ consumerGroup: 'pg', topic: 'TopicA', queueId: -1, maxMsgNums }),
    );
  const notification = (pollTime: number, bornTime: number) =>
    createRequest(
      RequestCode.NOTIFICATION,
      encodeNotificationRequestHeader({ consumerGroup: 'pg', topic: 'TopicA', queueId: -1, pollTime, bornTime }),
    );

  it('PEEK returns what a pop would, without making it invisible; nothing left is PULL_NOT_FOUND', async () => {
    const broker = await brokerWithMessages(2);
    expect(bodies(await answer(broker, peek())).sort()).toEqual(['m0', 'm1']);
    expect(bodies(await answer(broker, popRequest('TopicA'))).sort()).toEqual(['m0', 'm1']);
    const none = await answer(broker, peek());
    expect(none.code).toBe(ResponseCode.PULL_NOT_FOUND);
  });

  it('NOTIFICATION tells whether a pop would find messages, held up to pollTime; POLLING_INFO counts it', async () => {
    const broker = await brokerWithMessages(0);
    expect((await answer(broker, notification(0, broker.clock.now()))).extFields['hasMsg']).toBe('false');
    const held = broker.call(notification(10_000, broker.clock.now()));
    await advance(broker, 100);
    const info = await answer(
      broker,
      createRequest(
        RequestCode.POLLING_INFO,
        encodePollingInfoRequestHeader({ consumerGroup: 'pg', topic: 'TopicA', queueId: 0 }),
      ),
    );
    expect(info.extFields['pollingNum']).toBe('1');
    await answer(broker, sendV2('TopicA', 0, 'x'));
    expect((await held)?.extFields['hasMsg']).toBe('true');
  });
});

describe('pop: a full checkpoint of 32 messages', () => {
  it('is done once all 32 are acked (bit 31 included)', async () => {
    const broker = popBroker();
    broker.meta.topics.createOrUpdate(newTopicConfig('Big', { readQueueNums: 1, writeQueueNums: 1 }));
    for (let i = 0; i < 32; i++) await answer(broker, sendV2('Big', 0, `b${i}`));
    const messages = popped(await answer(broker, popRequest('Big', { maxMsgNums: 32 })));
    expect(messages).toHaveLength(32);
    for (const message of messages) await answer(broker, ackRequest(message));
    expect(broker.pop.inflight.size).toBe(0);
  });
});

describe('pop: filters, init mode and other groups', () => {
  async function taggedBroker() {
    const broker = popBroker({ enablePropertyFilter: true });
    broker.meta.topics.createOrUpdate(newTopicConfig('Tagged', { readQueueNums: 1, writeQueueNums: 1 }));
    await answer(broker, sendV2('Tagged', 0, 'a1', 'TAGS\x01TagA\x02color\x01red\x02'));
    await answer(broker, sendV2('Tagged', 0, 'b1', 'TAGS\x01TagB\x02color\x01blue\x02'));
    await answer(broker, sendV2('Tagged', 0, 'a2', 'TAGS\x01TagA\x02color\x01blue\x02'));
    return broker;
  }

  it('pops only the messages of its tag expression, and moves past the others', async () => {
    const broker = await taggedBroker();
    const reply = await answer(broker, popRequest('Tagged', { expType: 'TAG', exp: 'TagA' }));
    expect(bodies(reply)).toEqual(['a1', 'a2']);
    expect(reply.extFields['msgOffsetInfo']).toBe('0 0 0,2');
    expect(broker.meta.offsets.queryOffset('pg', 'Tagged', 0)).toBe(3);
  });

  it('pops only the messages its SQL92 expression matches', async () => {
    const broker = await taggedBroker();
    const reply = await answer(broker, popRequest('Tagged', { expType: 'SQL92', exp: "color = 'blue'" }));
    expect(bodies(reply)).toEqual(['b1', 'a2']);
    const bad = await answer(
      broker,
      popRequest('Tagged', { consumerGroup: 'other', expType: 'SQL92', exp: 'color =' }),
    );
    expect(bad.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
  });

  it('a new group starts at the queue minimum, initMode MAX too while the queue still starts at 0', async () => {
    // Apache `initPopOffsetByCheckMsgInMem`: a MAX group starts at 0 when the queue's first message is stored.
    const broker = await taggedBroker();
    const fromMin = await answer(broker, popRequest('Tagged', { consumerGroup: 'min', initMode: 0 }));
    expect(bodies(fromMin)).toEqual(['a1', 'b1', 'a2']);
    const fromMax = await answer(broker, popRequest('Tagged', { consumerGroup: 'max', initMode: 1 }));
    expect(bodies(fromMax)).toEqual(['a1', 'b1', 'a2']);
  });

  it('a pop group and a pull group keep their own offsets', async () => {
    const broker = await taggedBroker();
    expect(bodies(await answer(broker, popRequest('Tagged')))).toEqual(['a1', 'b1', 'a2']);
    expect(broker.meta.offsets.queryOffset('pg', 'Tagged', 0)).toBe(3);
    expect(broker.meta.offsets.queryOffset('cg', 'Tagged', 0)).toBe(-1);
    const pulled = await answer(broker, pullRequest('Tagged', 0, 0));
    expect(bodies(pulled)).toEqual(['a1', 'b1', 'a2']);
    expect(bodies(await answer(broker, popRequest('Tagged', { consumerGroup: 'pg2' })))).toEqual(['a1', 'b1', 'a2']);
  });
});

describe('pop: the revive log after a restart', () => {
  it('rebuilds the live checkpoints and does not revive again what was revived before', async () => {
    const broker = await brokerWithMessages(2);
    const [longLived] = popped(await answer(broker, popRequest('TopicA', { queueId: 0, invisibleTime: 60_000 })));
    const [shortLived] = popped(await answer(broker, popRequest('TopicA', { queueId: 1, invisibleTime: 1_000 })));
    expect([longLived?.record.body.toString(), shortLived?.record.body.toString()]).toEqual(['m0', 'm1']);
    await advance(broker, 2_000);
    expect(broker.store.getMaxOffsetInQueue('%RETRY%pg_TopicA', 0)).toBe(1);
    const tags = reviveRecords(broker).map((record) => record.properties.get(MessageProperty.TAGS));
    expect(tags.sort()).toEqual(['bAck', 'ck', 'ck']);
    const restarted = await broker.restartPop();
    expect(restarted.inflight.size).toBe(1);
    await advance(broker, 5_000);
    expect(broker.store.getMaxOffsetInQueue('%RETRY%pg_TopicA', 0)).toBe(1);
    await advance(broker, 60_000);
    const retried = decodeStoredRecords(broker.store.getMessages('%RETRY%pg_TopicA', 0, 0, 10).buffer);
    expect(retried.map((record) => record.body.toString())).toEqual(['m1', 'm0']);
  });
});
