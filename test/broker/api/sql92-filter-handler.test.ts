// SQL92 property filters through the broker's handlers on the memory store (enablePropertyFilter on
// unless a test turns it off): pulls keep only the matching records and still move past the others,
// with the expression sent in the pull or registered by a heartbeat; bad expressions, huge and deeply
// nested ones get Apache's codes and leave the broker serving; CHECK_CLIENT_CONFIG (46) answers as
// Java's ClientManageProcessor does.

import { describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { answer, bodiesOf, handlerBroker, type HandlerBroker, sendV2 } from './handler-fixtures.js';

/** Sends `count` messages to queue 0: body m<i>, properties a=i, color red|blue, TAGS TagA|TagB. */
async function sendNumbered(broker: HandlerBroker, topic: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const color = i % 2 === 0 ? 'red' : 'blue';
    const tag = i % 2 === 0 ? 'TagA' : 'TagB';
    await answer(broker, sendV2(topic, 0, `m${i}`, `a\x01${i}\x02color\x01${color}\x02TAGS\x01${tag}\x02`));
  }
}

/** A PULL_MESSAGE; with `sql` it carries that SQL92 subscription (flag 0x4), else the heartbeat's is used. */
function sqlPull(topic: string, queueOffset: number, sql?: string, group = 'cg') {
  const subscription: Record<string, string> = sql === undefined ? {} : { subscription: sql, expressionType: 'SQL92' };
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: group,
    topic,
    queueId: '0',
    queueOffset: String(queueOffset),
    maxMsgNums: '32',
    sysFlag: String(sql === undefined ? 0 : 0x4),
    commitOffset: '0',
    suspendTimeoutMillis: '15000',
    subVersion: '1',
    expressionType: 'SQL92',
    ...subscription,
  });
}

function heartbeat(group: string, topic: string, sql: string) {
  const subscription = { topic, subString: sql, expressionType: 'SQL92', subVersion: 1, tagsSet: [], codeSet: [] };
  const consumer = {
    groupName: group,
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    subscriptionDataSet: [subscription],
  };
  const body = { clientID: '127.0.0.1@sql', producerDataSet: [], consumerDataSet: [consumer] };
  return createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body)));
}

function checkClientConfig(subscriptionData: Record<string, unknown> | null) {
  const body =
    subscriptionData === null ? null : Buffer.from(JSON.stringify({ clientId: 'c', group: 'cg', subscriptionData }));
  return createRequest(RequestCode.CHECK_CLIENT_CONFIG, {}, body);
}

const nested = (depth: number): string => `${'('.repeat(depth)}a > 1${')'.repeat(depth)}`;

describe('api: SQL92 filtered pulls', () => {
  it('delivers only the matching records and moves the offset past the others', async () => {
    const broker = handlerBroker({ enablePropertyFilter: true });
    await sendNumbered(broker, 'SqlTopic', 8);
    const reply = await answer(broker, sqlPull('SqlTopic', 0, "a >= 3 AND color = 'blue'"));
    expect(reply).toMatchObject({ code: ResponseCode.SUCCESS, remark: 'FOUND' });
    expect(bodiesOf(reply)).toEqual(['m3', 'm5', 'm7']);
    expect(reply.extFields['nextBeginOffset']).toBe('8');
  });

  it('answers PULL_RETRY_IMMEDIATELY (NO_MATCHED_MESSAGE) past a read where nothing matched', async () => {
    const broker = handlerBroker({ enablePropertyFilter: true });
    await sendNumbered(broker, 'SqlTopic', 4);
    const reply = await answer(broker, sqlPull('SqlTopic', 0, "TAGS = 'TagC' OR missing IS NOT NULL"));
    expect(reply).toMatchObject({ code: ResponseCode.PULL_RETRY_IMMEDIATELY, remark: 'NO_MATCHED_MESSAGE' });
    expect(reply.extFields['nextBeginOffset']).toBe('4');
    expect(bodiesOf(reply)).toEqual([]);
  });

  it("filters with the heartbeat's expression when the pull carries none", async () => {
    const broker = handlerBroker({ enablePropertyFilter: true });
    await sendNumbered(broker, 'SqlTopic', 6);
    expect((await answer(broker, heartbeat('cg', 'SqlTopic', "a IN ('1', '4')"))).code).toBe(ResponseCode.SUCCESS);
    expect(bodiesOf(await answer(broker, sqlPull('SqlTopic', 0)))).toEqual(['m1', 'm4']);
  });

  it('answers FILTER_DATA_NOT_EXIST when the heartbeat registered an expression that does not compile', async () => {
    const broker = handlerBroker({ enablePropertyFilter: true });
    await sendNumbered(broker, 'SqlTopic', 2);
    await answer(broker, heartbeat('cg', 'SqlTopic', 'a >'));
    const reply = await answer(broker, sqlPull('SqlTopic', 0));
    expect(reply).toMatchObject({
      code: ResponseCode.FILTER_DATA_NOT_EXIST,
      remark: "The broker's consumer filter data is not exist!Your expression may be wrong!",
    });
  });

  it('refuses malformed, 10,000-char and 1,000-deep expressions (PARSE_FAILED), then serves on', async () => {
    const broker = handlerBroker({ enablePropertyFilter: true });
    await sendNumbered(broker, 'SqlTopic', 3);
    const huge = `a = '${'x'.repeat(10_000)}'`;
    for (const sql of ['a >', "a = 'open", 'a BETWEEN 5 AND 1', huge, nested(1000), 'NOT NOT 5']) {
      const reply = await answer(broker, sqlPull('SqlTopic', 0, sql));
      expect(reply, sql.slice(0, 40)).toMatchObject({
        code: ResponseCode.SUBSCRIPTION_PARSE_FAILED,
        remark: "parse the consumer's subscription failed",
      });
    }
    expect(bodiesOf(await answer(broker, sqlPull('SqlTopic', 0, 'a < 2')))).toEqual(['m0', 'm1']);
  });

  it('refuses SQL92 with SYSTEM_ERROR when enablePropertyFilter is off (the default)', async () => {
    const broker = handlerBroker();
    await sendNumbered(broker, 'SqlTopic', 1);
    const reply = await answer(broker, sqlPull('SqlTopic', 0, 'a > 0'));
    expect(reply).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'The broker does not support consumer to filter message by SQL92',
    });
  });
});

describe('api: CHECK_CLIENT_CONFIG (46)', () => {
  const sql = (subString: string) => ({ topic: 'T', subString, expressionType: 'SQL92', subVersion: 1 });

  it('accepts a valid SQL92 expression, a TAG subscription and a body without one', async () => {
    const broker = handlerBroker({ enablePropertyFilter: true });
    expect((await answer(broker, checkClientConfig(sql('a > 1 AND b IS NULL')))).code).toBe(ResponseCode.SUCCESS);
    const tag = { topic: 'T', subString: 'TagA', expressionType: 'TAG' };
    expect((await answer(broker, checkClientConfig(tag))).code).toBe(ResponseCode.SUCCESS);
    expect((await answer(broker, checkClientConfig(null))).code).toBe(ResponseCode.SUCCESS);
  });

  it('answers SUBSCRIPTION_PARSE_FAILED with the compile error for a bad expression', async () => {
    const broker = handlerBroker({ enablePropertyFilter: true });
    for (const bad of ['a >', nested(1000), `a = '${'y'.repeat(10_000)}'`]) {
      const reply = await answer(broker, checkClientConfig(sql(bad)));
      expect(reply.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
      expect(reply.remark).toMatch(/^Invalid MessageSelector\. /);
    }
  });

  it('answers SYSTEM_ERROR for SQL92 when enablePropertyFilter is off', async () => {
    const broker = handlerBroker();
    const reply = await answer(broker, checkClientConfig(sql('a > 1')));
    expect(reply).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'The broker does not support consumer to filter message by SQL92',
    });
  });
});
