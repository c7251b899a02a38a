// The pull handler over PullService on the memory store and the fake clock: messages found, a pull that
// finds nothing held and woken by an arrival (or answered at its deadline), an offset moved, and the
// group and topic checks. No TCP, no sleeps.

import { describe, expect, it } from 'vitest';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import type { RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { advance, answer, bodiesOf, handlerBroker, pullRequest, sendV2, settle } from './handler-fixtures.js';

describe('api: pull handler on the memory store', () => {
  it('answers FOUND with the records and the PullMessageResponseHeader offsets', async () => {
    const broker = handlerBroker();
    for (const body of ['a', 'b']) await answer(broker, sendV2('PullTopic', 0, body));
    const reply = await answer(broker, pullRequest('PullTopic', 0, 0));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(reply.remark).toBe('FOUND');
    const offsets = { nextBeginOffset: '2', minOffset: '0', maxOffset: '2', suggestWhichBrokerId: '0' };
    expect(reply.extFields).toMatchObject(offsets);
    expect(bodiesOf(reply)).toEqual(['a', 'b']);
  });

  it('holds a pull that finds nothing and answers it with the message that arrives', async () => {
    const broker = handlerBroker();
    await answer(broker, sendV2('HoldTopic', 0, 'first'));
    const held = broker.call(pullRequest('HoldTopic', 0, 1, true));
    expect(held).toBeInstanceOf(Promise);
    let reply: RemotingCommand | null | undefined;
    void (held as Promise<RemotingCommand | null>).then((value) => (reply = value));
    await settle(broker.clock);
    expect(reply).toBeUndefined();
    expect(broker.arrival.pullHolds.heldCount).toBe(1);
    await answer(broker, sendV2('HoldTopic', 0, 'second'));
    await settle(broker.clock);
    expect(reply?.code).toBe(ResponseCode.SUCCESS);
    expect(bodiesOf(reply)).toEqual(['second']);
  });

  it('answers a held pull PULL_NOT_FOUND at its deadline', async () => {
    const broker = handlerBroker();
    await answer(broker, sendV2('QuietTopic', 0, 'only'));
    let reply: RemotingCommand | null | undefined;
    const held = broker.call(pullRequest('QuietTopic', 0, 1, true)) as Promise<RemotingCommand | null>;
    void held.then((value) => (reply = value));
    await advance(broker, 14_900);
    expect(reply).toBeUndefined();
    await advance(broker, 200);
    expect(reply).toMatchObject({ code: ResponseCode.PULL_NOT_FOUND, remark: 'OFFSET_OVERFLOW_ONE' });
    expect(reply?.extFields['nextBeginOffset']).toBe('1');
  });

  it('moves an offset past the end back to the max (PULL_OFFSET_MOVED)', async () => {
    const broker = handlerBroker();
    await answer(broker, sendV2('MovedTopic', 0, 'x'));
    const reply = await answer(broker, pullRequest('MovedTopic', 0, 50));
    expect(reply).toMatchObject({ code: ResponseCode.PULL_OFFSET_MOVED, remark: 'OFFSET_OVERFLOW_BADLY' });
    expect(reply.extFields['nextBeginOffset']).toBe('1');
  });

  it("refuses an unknown topic and a queue past the topic's with Java's codes and remarks", async () => {
    const broker = handlerBroker();
    const noTopic = await answer(broker, pullRequest('NoSuchTopic', 0, 0));
    expect(noTopic.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(noTopic.remark).toMatch(/^topic\[NoSuchTopic\] not exist, apply first please!/);
    await answer(broker, sendV2('FourQueues', 0, 'x'));
    const badQueue = await answer(broker, pullRequest('FourQueues', 7, 0));
    expect(badQueue).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'queueId[7] is illegal, topic:[FourQueues] topicConfig.readQueueNums:[4] consumer:[cg]',
    });
  });
});
