// RECALL_MESSAGE (370) over RecallService on the memory store and the fake clock: the send reply of a timer
// message carries Apache's recall handle, a recall parks a marker and the message is never delivered, and each
// refusal gets Apache's code and remark. No TCP, no sleeps.

import { describe, expect, it } from 'vitest';
import { decodeRecallHandle, encodeRecallHandle } from '../../../ts/protocol/recall-handle.js';
import { TIMER_TOPIC } from '../../../ts/protocol/topics.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { advance, answer, handlerBroker, recordsIn, sendV2, type HandlerBroker } from './handler-fixtures.js';

function recall(topic: string, recallHandle: string) {
  return createRequest(RequestCode.RECALL_MESSAGE, { producerGroup: 'pg', topic, recallHandle });
}

/** A broker with recall on, its timer running, and a timer message to `topic` due in `delayMs`. */
async function withTimerMessage(delayMs: number, overrides = {}) {
  const broker = handlerBroker({ recallMessageEnable: true, ...overrides });
  broker.schedule.timers.start();
  const properties = `UNIQ_KEY\x01RECALLME\x02TIMER_DELAY_MS\x01${delayMs}\x02`;
  const sent = await answer(broker, sendV2('RecallTopic', 0, 'later', properties));
  expect(sent.code).toBe(ResponseCode.SUCCESS);
  return { broker, handle: sent.extFields['recallHandle'] ?? '' };
}

async function stop(broker: HandlerBroker): Promise<void> {
  const stopping = broker.schedule.timers.stop();
  await advance(broker, 100);
  await stopping;
}

describe('api: RECALL_MESSAGE', () => {
  it('a timer send answers the recall handle: v1, real topic, broker name, TIMER_OUT_MS + 1, UNIQ_KEY', async () => {
    const { broker, handle } = await withTimerMessage(5000);
    const [parked] = recordsIn(broker, TIMER_TOPIC, 0);
    const timerOutMs = parked?.properties.get('TIMER_OUT_MS');
    expect(decodeRecallHandle(handle)).toEqual({
      topic: 'RecallTopic',
      brokerName: 'broker-a',
      timestamp: String(Number(timerOutMs) + 1),
      messageId: 'RECALLME',
    });
    const plain = await answer(broker, sendV2('RecallTopic', 0, 'now'));
    expect(plain.extFields['recallHandle']).toBeUndefined();
    await stop(broker);
  });

  it('a recalled message is never delivered; another timer message is', async () => {
    const { broker, handle } = await withTimerMessage(3000);
    const other = await answer(broker, sendV2('RecallTopic', 0, 'kept', 'TIMER_DELAY_MS\x013000\x02'));
    expect(other.code).toBe(ResponseCode.SUCCESS);
    const reply = await answer(broker, recall('RecallTopic', handle));
    expect(reply).toMatchObject({ code: ResponseCode.SUCCESS, extFields: { msgId: 'RECALLME' } });
    const marker = recordsIn(broker, TIMER_TOPIC, 0)[2];
    expect(marker?.properties.get('TIMER_DEL_UNIQKEY')).toBe('RecallTopic+RECALLME');
    expect(marker?.properties.get('TAGS')).toBe('_RECALL_TAG_');
    await advance(broker, 5000);
    expect(recordsIn(broker, 'RecallTopic', 0).map((record) => record.body.toString())).toEqual(['kept']);
    await stop(broker);
  });

  it('is refused with NO_PERMISSION unless recallMessageEnable (Apache default false)', async () => {
    const { broker, handle } = await withTimerMessage(3000, { recallMessageEnable: false });
    const reply = await answer(broker, recall('RecallTopic', handle));
    expect(reply).toMatchObject({ code: ResponseCode.NO_PERMISSION, remark: 'recall failed, operation is forbidden' });
    await advance(broker, 4000);
    expect(recordsIn(broker, 'RecallTopic', 0)).toHaveLength(1);
    await stop(broker);
  });

  it('answers a forged, mismatched, foreign or past handle with Apache code and remark', async () => {
    const { broker, handle } = await withTimerMessage(3000);
    const refused = async (topic: string, recallHandle: string) => {
      const reply = await answer(broker, recall(topic, recallHandle));
      return { code: reply.code, remark: reply.remark };
    };
    const illegal = ResponseCode.ILLEGAL_OPERATION;
    expect(await refused('RecallTopic', 'not a handle!')).toEqual({
      code: illegal,
      remark: 'recall handle is invalid',
    });
    const v2 = Buffer.from('v2 RecallTopic broker-a 1 X').toString('base64url');
    expect(await refused('RecallTopic', v2)).toEqual({ code: illegal, remark: 'recall handle is invalid' });
    expect(await refused('Missing', handle)).toEqual({
      code: ResponseCode.TOPIC_NOT_EXIST,
      remark: 'recall failed, the topic[Missing] not exist',
    });
    await answer(broker, sendV2('OtherTopic', 0, 'x'));
    expect(await refused('OtherTopic', handle)).toEqual({ code: illegal, remark: 'recall failed, topic not match' });
    const fields = decodeRecallHandle(handle);
    const foreign = encodeRecallHandle({ ...fields, brokerName: 'broker-b' });
    expect(await refused('RecallTopic', foreign)).toEqual({
      code: illegal,
      remark: 'recall failed, broker service not available',
    });
    const past = encodeRecallHandle({ ...fields, timestamp: String(broker.clock.now() - 1) });
    expect(await refused('RecallTopic', past)).toEqual({ code: illegal, remark: 'recall failed, timestamp invalid' });
    await advance(broker, 4000);
    expect(recordsIn(broker, 'RecallTopic', 0)).toHaveLength(1);
    await stop(broker);
  });
});
