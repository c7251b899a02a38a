// Retry, dead letters and delay levels over real TCP against the assembled broker: a DELAY send is
// parked in SCHEDULE_TOPIC_XXXX and re-stored to its topic no earlier than its level's delay (also
// across a restart, from delayOffset.json); CONSUMER_SEND_MSG_BACK re-stores to %RETRY%<group> with
// reconsumeTimes + 1 after the growing delay, and to %DLQ%<group> at the max; a %RETRY% send past
// the max goes to the DLQ; bad send-backs get Java's codes. Timer messages (TIMER_DELAY_MS / _SEC,
// TIMER_DELIVER_MS) are parked in rmq_sys_wheel_timer and delivered in deliver-time order, once,
// also across a restart; illegal ones are refused.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Broker } from '../../../ts/broker/server/broker.js';
import type { BrokerConfig } from '../../../ts/broker/server/broker-config.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import type { RemotingClient } from '../../../ts/remoting/remoting-client.js';
import { decodeStoredRecords, type StoredMessage } from '../../../ts/protocol/record-decoder.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from './broker-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

/** Short levels so the tests wait ~1 s: level n is n × 500 ms … */
const FAST_LEVELS: Partial<BrokerConfig> = { messageDelayLevel: '1s 1s 1s 1s 2s' };

async function setup(overrides: Partial<BrokerConfig> = {}) {
  const broker = await startTestBroker(cleanup, { ...FAST_LEVELS, ...overrides });
  return { broker, remoting: testClient(cleanup), address: `127.0.0.1:${broker.port}` };
}

function sendV2(topic: string, queueId: number, body: string, properties: string, extra: Record<string, string> = {}) {
  return createRequest(
    RequestCode.SEND_MESSAGE_V2,
    {
      a: 'pg',
      b: topic,
      c: 'TBW102',
      d: '4',
      e: String(queueId),
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: properties,
      j: '0',
      k: 'false',
      m: 'false',
      ...extra,
    },
    Buffer.from(body),
  );
}

function sendBack(offset: number, group: string, delayLevel: number, extra: Record<string, string> = {}) {
  return createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, {
    offset: String(offset),
    group,
    delayLevel: String(delayLevel),
    unitMode: 'false',
    ...extra,
  });
}

/** Pulls (without holding) until the queue has a message at `queueOffset` or `timeoutMs` passes. */
async function pullUntil(
  remoting: RemotingClient,
  address: string,
  topic: string,
  queueId: number,
  queueOffset: number,
  timeoutMs = 8000,
): Promise<StoredMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await remoting.invoke(
      address,
      createRequest(RequestCode.PULL_MESSAGE, {
        consumerGroup: 'cg',
        topic,
        queueId: String(queueId),
        queueOffset: String(queueOffset),
        maxMsgNums: '32',
        sysFlag: '4',
        commitOffset: '0',
        suspendTimeoutMillis: '0',
        subscription: '*',
        subVersion: '1',
      }),
    );
    if (reply.code === ResponseCode.SUCCESS) return decodeStoredRecords(reply.body ?? Buffer.alloc(0));
    if (Date.now() > deadline) return [];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('broker: delay levels', () => {
  it('parks a DELAY message and delivers it to its topic and queue once due', async () => {
    const { remoting, address } = await setup();
    const sentAt = Date.now();
    const reply = await remoting.invoke(
      address,
      sendV2('DelayTopic', 2, 'later', 'DELAY\x015\x02UNIQ_KEY\x01U1\x02TAGS\x01T\x02'),
    );
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(reply.extFields['queueId']).toBe('2');
    // Not readable in its topic right away; parked in SCHEDULE_TOPIC_XXXX queue 4 (level 5).
    expect(await pullUntil(remoting, address, 'DelayTopic', 2, 0, 0)).toEqual([]);
    const parked = await pullUntil(remoting, address, 'SCHEDULE_TOPIC_XXXX', 4, 0, 0);
    expect(parked[0]?.properties.get('REAL_TOPIC')).toBe('DelayTopic');
    expect(parked[0]?.properties.get('REAL_QID')).toBe('2');
    const [delivered] = await pullUntil(remoting, address, 'DelayTopic', 2, 0);
    expect(delivered?.body.toString()).toBe('later');
    expect(delivered?.properties.get('UNIQ_KEY')).toBe('U1');
    expect(delivered?.properties.get('TAGS')).toBe('T');
    expect(delivered?.properties.has('DELAY')).toBe(false);
    expect(delivered!.storeTimestamp - parked[0]!.storeTimestamp).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(2000);
  });

  it('clamps a level above the max to the max level', async () => {
    const { remoting, address } = await setup();
    expect((await remoting.invoke(address, sendV2('ClampTopic', 0, 'x', 'DELAY\x0199\x02'))).code).toBe(
      ResponseCode.SUCCESS,
    );
    const parked = await pullUntil(remoting, address, 'SCHEDULE_TOPIC_XXXX', 4, 0, 0);
    expect(parked[0]?.properties.get('DELAY')).toBe('5');
  });

  it('delivers after a restart, resuming from delayOffset.json', async () => {
    const steps: CleanupStep[] = [];
    cleanup.push(() => runCleanup(steps));
    const first = await startTestBroker(steps, FAST_LEVELS);
    const remoting = testClient(cleanup);
    let address = `127.0.0.1:${first.port}`;
    await remoting.invoke(address, sendV2('RestartTopic', 0, 'first', 'DELAY\x011\x02'));
    expect((await pullUntil(remoting, address, 'RestartTopic', 0, 0))[0]?.body.toString()).toBe('first');
    await remoting.invoke(address, sendV2('RestartTopic', 0, 'second', 'DELAY\x015\x02'));
    await first.stop();
    const offsetFile = join(first.config.storePathRootDir, 'config', 'delayOffset.json');
    expect(existsSync(offsetFile)).toBe(true);
    expect((JSON.parse(readFileSync(offsetFile, 'utf8')) as { offsetTable: unknown }).offsetTable).toMatchObject({
      1: 1,
      5: 0,
    });

    const second = new Broker(first.config, createMemoryLogger());
    await second.start();
    cleanup.push(() => second.stop());
    address = `127.0.0.1:${second.port}`;
    const messages = await pullUntil(remoting, address, 'RestartTopic', 0, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages.map((m) => m.body.toString())).toEqual(['first']);
    const later = await pullUntil(remoting, address, 'RestartTopic', 0, 1);
    expect(later.map((m) => m.body.toString())).toEqual(['second']);
  });
});

describe('broker: CONSUMER_SEND_MSG_BACK', () => {
  it('re-stores to %RETRY%<group> after the delay of level 3 + reconsumeTimes, then to %DLQ% at the max', async () => {
    const { remoting, address } = await setup();
    await remoting.invoke(address, sendV2('RetryTopic', 0, 'payload', 'UNIQ_KEY\x01U9\x02KEYS\x01k1\x02'));
    const [original] = await pullUntil(remoting, address, 'RetryTopic', 0, 0);
    const back = await remoting.invoke(
      address,
      sendBack(original!.physicalOffset, 'cg', 0, { originMsgId: 'U9', originTopic: 'RetryTopic' }),
    );
    expect(back.code).toBe(ResponseCode.SUCCESS);
    const parked = await pullUntil(remoting, address, 'SCHEDULE_TOPIC_XXXX', 2, 0, 0);
    expect(parked[0]?.properties.get('DELAY')).toBe('3');
    const [retry] = await pullUntil(remoting, address, '%RETRY%cg', 0, 0);
    expect(retry?.body.toString()).toBe('payload');
    expect(retry?.reconsumeTimes).toBe(1);
    expect(retry?.properties.get('RETRY_TOPIC')).toBe('RetryTopic');
    expect(retry?.properties.get('UNIQ_KEY')).toBe('U9');
    expect(retry?.properties.get('KEYS')).toBe('k1');
    expect(retry?.properties.get('ORIGIN_MESSAGE_ID')).toMatch(/^7F000001[0-9A-F]{24}$/);
    // Given back again with maxReconsumeTimes 1: reconsumeTimes 1 ≥ 1, so the DLQ, at once.
    const again = await remoting.invoke(address, sendBack(retry!.physicalOffset, 'cg', 0, { maxReconsumeTimes: '1' }));
    expect(again.code).toBe(ResponseCode.SUCCESS);
    const [dead] = await pullUntil(remoting, address, '%DLQ%cg', 0, 0, 0);
    expect(dead?.body.toString()).toBe('payload');
    expect(dead?.reconsumeTimes).toBe(2);
    expect(dead?.properties.get('RETRY_TOPIC')).toBe('RetryTopic');
    expect(dead?.properties.get('ORIGIN_MESSAGE_ID')).toBe(retry?.properties.get('ORIGIN_MESSAGE_ID'));
  });

  it('sends a negative delay level straight to the DLQ', async () => {
    const { remoting, address } = await setup();
    await remoting.invoke(address, sendV2('NegTopic', 0, 'neg', ''));
    const [original] = await pullUntil(remoting, address, 'NegTopic', 0, 0);
    expect((await remoting.invoke(address, sendBack(original!.physicalOffset, 'cg2', -1))).code).toBe(
      ResponseCode.SUCCESS,
    );
    const [dead] = await pullUntil(remoting, address, '%DLQ%cg2', 0, 0, 0);
    expect(dead?.body.toString()).toBe('neg');
  });

  it('answers a bad offset, a missing group and a missing field with Java codes', async () => {
    const { remoting, address } = await setup({ autoCreateSubscriptionGroup: false });
    const badOffset = await remoting.invoke(address, sendBack(1 << 30, 'CID_RMQ_SYS_TRANS', 0));
    expect(badOffset.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badOffset.remark).toBe(`look message by offset failed, ${1 << 30}`);
    const noGroup = await remoting.invoke(address, sendBack(0, 'unknown_group', 0));
    expect(noGroup.code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    expect(noGroup.remark).toContain('subscription group not exist, unknown_group');
    const missing = await remoting.invoke(address, createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, { group: 'cg' }));
    expect(missing.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing.remark).toContain('offset');
  });
});

describe('broker: sends to %RETRY%<group>', () => {
  it('delays a retry send and dead-letters one past maxReconsumeTimes', async () => {
    const { remoting, address } = await setup();
    const retry = await remoting.invoke(
      address,
      sendV2('%RETRY%rg', 0, 'r1', 'RETRY_TOPIC\x01Orig\x02DELAY\x011\x02', { j: '1', l: '16' }),
    );
    expect(retry.code).toBe(ResponseCode.SUCCESS);
    const [delivered] = await pullUntil(remoting, address, '%RETRY%rg', 0, 0);
    expect(delivered?.body.toString()).toBe('r1');
    expect(delivered?.reconsumeTimes).toBe(1);
    const dead = await remoting.invoke(
      address,
      sendV2('%RETRY%rg', 0, 'r2', 'RETRY_TOPIC\x01Orig\x02DELAY\x011\x02', { j: '17', l: '16' }),
    );
    expect(dead.code).toBe(ResponseCode.SUCCESS);
    const [inDlq] = await pullUntil(remoting, address, '%DLQ%rg', 0, 0, 0);
    expect(inDlq?.body.toString()).toBe('r2');
    expect(inDlq?.properties.get('DELAY')).toBe('-1');
  });
});

describe('broker: timer messages', () => {
  it('parks timer messages and delivers them in deliver-time order, not send order', async () => {
    const { remoting, address } = await setup();
    const sentAt = Date.now();
    for (const [body, delayMs] of [
      ['c', 2600],
      ['a', 600],
      ['b', 1600],
    ] as const) {
      const reply = await remoting.invoke(address, sendV2('TimerTopic', 0, body, `TIMER_DELAY_MS\x01${delayMs}\x02`));
      expect(reply.code).toBe(ResponseCode.SUCCESS);
    }
    const parked = await pullUntil(remoting, address, 'rmq_sys_wheel_timer', 0, 0, 0);
    expect(parked.map((m) => m.properties.get('REAL_TOPIC'))).toEqual(['TimerTopic', 'TimerTopic', 'TimerTopic']);
    const outMs = parked.map((m) => Number(m.properties.get('TIMER_OUT_MS')));
    expect(outMs.every((ms) => ms % 1000 === 0 && ms > sentAt - 1000)).toBe(true);
    const delivered: StoredMessage[] = [];
    while (delivered.length < 3)
      delivered.push(...(await pullUntil(remoting, address, 'TimerTopic', 0, delivered.length)));
    expect(delivered.map((m) => m.body.toString())).toEqual(['a', 'b', 'c']);
    for (const message of delivered) {
      expect(message.storeTimestamp).toBeGreaterThanOrEqual(Number(message.properties.get('TIMER_OUT_MS')));
      expect(message.properties.has('REAL_TOPIC')).toBe(false);
    }
  });

  it('refuses unparsable and too distant timers, and all timers when the wheel is off', async () => {
    const { remoting, address } = await setup({ timerMaxDelaySec: 10 });
    const unparsable = await remoting.invoke(address, sendV2('TimerTopic', 0, 'x', 'TIMER_DELAY_SEC\x01soon\x02'));
    expect(unparsable.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(unparsable.remark).toContain(
      'timer message illegal, the delay time should not be bigger than the max delay 10000ms',
    );
    expect((await remoting.invoke(address, sendV2('TimerTopic', 0, 'x', 'TIMER_DELAY_SEC\x0160\x02'))).code).toBe(
      ResponseCode.MESSAGE_ILLEGAL,
    );
    const past = await remoting.invoke(
      address,
      sendV2('TimerTopic', 0, 'now', `TIMER_DELIVER_MS\x01${Date.now() - 5000}\x02`),
    );
    expect(past.code).toBe(ResponseCode.SUCCESS);
    expect((await pullUntil(remoting, address, 'TimerTopic', 0, 0, 0))[0]?.body.toString()).toBe('now');

    const off = await setup({ timerWheelEnable: false });
    const refused = await off.remoting.invoke(off.address, sendV2('TimerTopic', 0, 'x', 'TIMER_DELAY_SEC\x011\x02'));
    expect(refused.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(refused.remark).toBe('accurate timer message is not enabled, timerWheelEnable is false');
  });

  it('delivers each timer message once across a restart', async () => {
    const steps: CleanupStep[] = [];
    cleanup.push(() => runCleanup(steps));
    const first = await startTestBroker(steps, FAST_LEVELS);
    const remoting = testClient(cleanup);
    let address = `127.0.0.1:${first.port}`;
    await remoting.invoke(address, sendV2('TimerRestart', 0, 'late', 'TIMER_DELAY_MS\x013000\x02'));
    await remoting.invoke(address, sendV2('TimerRestart', 0, 'early', 'TIMER_DELAY_MS\x01500\x02'));
    expect((await pullUntil(remoting, address, 'TimerRestart', 0, 0)).map((m) => m.body.toString())).toEqual(['early']);
    await first.stop();
    const second = new Broker(first.config, createMemoryLogger());
    await second.start();
    cleanup.push(() => second.stop());
    address = `127.0.0.1:${second.port}`;
    expect((await pullUntil(remoting, address, 'TimerRestart', 0, 1)).map((m) => m.body.toString())).toEqual(['late']);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await pullUntil(remoting, address, 'TimerRestart', 0, 2, 0)).toEqual([]);
  });
});
