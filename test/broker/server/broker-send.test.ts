// SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE over real TCP against the assembled broker: the topic is
// auto-created from TBW102, every response field is filled, the messages pull back byte for byte,
// a held pull wakes when a send arrives, and bad input gets Java's codes.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerConfig } from '../../../ts/broker/server/broker-config.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { decodeStoredRecords } from '../../../ts/protocol/record-decoder.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from './broker-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

async function setup(overrides: Partial<BrokerConfig> = {}) {
  const broker = await startTestBroker(cleanup, overrides);
  return { broker, remoting: testClient(cleanup), address: `127.0.0.1:${broker.port}` };
}

/** A SEND_MESSAGE_V2 as the Java producer sends it (one-letter keys). */
function sendV2(topic: string, queueId: number, body: string, properties = 'TAGS\x01TagA\x02WAIT\x01true\x02') {
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
    },
    Buffer.from(body),
  );
}

function pull(topic: string, queueId: number, queueOffset: number) {
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'cg',
    topic,
    queueId: String(queueId),
    queueOffset: String(queueOffset),
    maxMsgNums: '32',
    sysFlag: String(0x2 | 0x4),
    commitOffset: '0',
    suspendTimeoutMillis: '15000',
    subscription: '*',
    subVersion: '1',
  });
}

describe('broker: send', () => {
  it('auto-creates the topic, fills the response and pulls the message back', async () => {
    const { remoting, address } = await setup();
    const reply = await remoting.invoke(address, sendV2('NewTopic', 1, 'hello'));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(reply.extFields).toMatchObject({
      queueId: '1',
      queueOffset: '0',
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
    });
    expect(reply.extFields['msgId']).toMatch(/^7F000001[0-9A-F]{24}$/);
    expect(reply.extFields['transactionId']).toMatch(/^[0-9A-F]{32}$/);
    const pulled = await remoting.invoke(address, pull('NewTopic', 1, 0));
    const [message] = decodeStoredRecords(pulled.body ?? Buffer.alloc(0));
    expect(message?.body.toString()).toBe('hello');
    expect(message?.properties.get('UNIQ_KEY')).toBe(reply.extFields['transactionId']);
    expect(message?.properties.get('CLUSTER')).toBe('DefaultCluster');
  });

  it('wakes a held pull when a send arrives, and stores batches in order', async () => {
    const { remoting, address } = await setup();
    await remoting.invoke(address, sendV2('BatchTopic', 0, 'first'));
    const held = remoting.invoke(address, pull('BatchTopic', 0, 1), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const members = ['a', 'b', 'c'].map((body) => {
      const props = Buffer.from(`UNIQ_KEY\x01${body.toUpperCase().repeat(32)}\x02`);
      const total = 4 + 4 + 4 + 4 + 4 + body.length + 2 + props.length;
      const out = Buffer.alloc(total);
      out.writeInt32BE(total, 0);
      out.writeInt32BE(body.length, 16);
      out.write(body, 20);
      out.writeInt16BE(props.length, 20 + body.length);
      props.copy(out, 22 + body.length);
      return out;
    });
    const batch = createRequest(
      RequestCode.SEND_BATCH_MESSAGE,
      {
        a: 'pg',
        b: 'BatchTopic',
        c: 'TBW102',
        d: '4',
        e: '0',
        f: '0',
        g: String(Date.now()),
        h: '0',
        i: '',
        j: '0',
        k: 'false',
        m: 'true',
      },
      Buffer.concat(members),
    );
    const reply = await remoting.invoke(address, batch);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(reply.extFields['msgId']?.split(',')).toHaveLength(3);
    expect(reply.extFields['queueOffset']).toBe('1');
    const woken = await held;
    expect(woken.code).toBe(ResponseCode.SUCCESS);
    expect(decodeStoredRecords(woken.body ?? Buffer.alloc(0)).map((m) => m.body.toString())).toEqual(['a', 'b', 'c']);
  });

  it("answers Java's codes for an illegal topic, an oversized body and a bad queue", async () => {
    const { remoting, address } = await setup({ maxMessageSize: 1024 });
    expect((await remoting.invoke(address, sendV2('bad topic!', 0, 'x'))).code).toBe(ResponseCode.INVALID_PARAMETER);
    const big = await remoting.invoke(address, sendV2('TopicA', 0, 'x'.repeat(2000)));
    expect(big.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect((await remoting.invoke(address, sendV2('TopicA', 99, 'x'))).code).toBe(ResponseCode.INVALID_PARAMETER);
    expect((await remoting.invoke(address, sendV2('TopicA', 0, 'still works'))).code).toBe(ResponseCode.SUCCESS);
  });

  it('answers after the group commit under SYNC_FLUSH', async () => {
    const { remoting, address, broker } = await setup({ flushDiskType: 'SYNC_FLUSH' });
    const reply = await remoting.invoke(address, sendV2('SyncTopic', 0, 'durable'));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(broker.store.getMaxPhysicalOffset()).toBeGreaterThan(0);
  });
});

describe('broker: offsets by time', () => {
  it('searches a queue offset by store time and answers the earliest store time', async () => {
    const { remoting, address } = await setup();
    const queue = { topic: 'TimeTopic', queueId: '0' };
    const earliestEmpty = await remoting.invoke(address, createRequest(RequestCode.GET_EARLIEST_MSG_STORETIME, queue));
    expect(earliestEmpty.extFields['timestamp']).toBe('-1');
    await remoting.invoke(address, sendV2('TimeTopic', 0, 'early'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await remoting.invoke(address, sendV2('TimeTopic', 0, 'late'));
    const search = (timestamp: number) =>
      remoting.invoke(
        address,
        createRequest(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { ...queue, timestamp: String(timestamp) }),
      );
    expect((await search(0)).extFields['offset']).toBe('0');
    expect((await search(between)).extFields['offset']).toBe('1');
    expect((await search(Date.now() + 60_000)).extFields['offset']).toBe('2');
    const pulled = await remoting.invoke(address, pull('TimeTopic', 0, 0));
    const first = decodeStoredRecords(pulled.body ?? Buffer.alloc(0))[0];
    const earliest = await remoting.invoke(address, createRequest(RequestCode.GET_EARLIEST_MSG_STORETIME, queue));
    expect(earliest.extFields['timestamp']).toBe(String(first?.storeTimestamp));
  });
});

describe('broker: lookups', () => {
  it('finds messages by key (QUERY_MESSAGE) and by offset msgId (VIEW_MESSAGE_BY_ID)', async () => {
    const { remoting, address } = await setup();
    const sent = await remoting.invoke(
      address,
      sendV2('KeyTopic', 0, 'keyed', 'TAGS\x01TagA\x02KEYS\x01order-7 order-8\x02'),
    );
    const query = (key: string) =>
      remoting.invoke(
        address,
        createRequest(RequestCode.QUERY_MESSAGE, {
          topic: 'KeyTopic',
          key,
          maxNum: '32',
          beginTimestamp: '0',
          endTimestamp: String(Date.now() + 60_000),
        }),
      );
    const found = await query('order-8');
    expect(found.code).toBe(ResponseCode.SUCCESS);
    expect(decodeStoredRecords(found.body ?? Buffer.alloc(0)).map((m) => m.body.toString())).toEqual(['keyed']);
    expect(Number(found.extFields['indexLastUpdateTimestamp'])).toBeGreaterThan(0);
    const missing = await query('nope');
    expect(missing.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    // The offset msgId carries the physical offset in its last 16 hex digits.
    const physicalOffset = Number.parseInt(sent.extFields['msgId']?.slice(-16) ?? '', 16);
    const view = await remoting.invoke(
      address,
      createRequest(RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(physicalOffset) }),
    );
    expect(decodeStoredRecords(view.body ?? Buffer.alloc(0))[0]?.body.toString()).toBe('keyed');
    const bad = await remoting.invoke(address, createRequest(RequestCode.VIEW_MESSAGE_BY_ID, { offset: '3' }));
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('keeps the CommitLog in storePathCommitLog when it is set', async () => {
    const commitLogDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-commitlog-'));
    cleanup.push(() => rmSync(commitLogDir, { recursive: true, force: true }));
    const { remoting, address, broker } = await setup({ storePathCommitLog: commitLogDir });
    expect((await remoting.invoke(address, sendV2('SplitTopic', 0, 'elsewhere'))).code).toBe(ResponseCode.SUCCESS);
    expect(readdirSync(commitLogDir)).toContain('00000000000000000000');
    expect(existsSync(join(broker.config.storePathRootDir, 'commitlog'))).toBe(false);
    expect(existsSync(join(broker.config.storePathRootDir, 'consumequeue', 'SplitTopic'))).toBe(true);
    const pulled = await remoting.invoke(address, pull('SplitTopic', 0, 0));
    expect(decodeStoredRecords(pulled.body ?? Buffer.alloc(0))[0]?.body.toString()).toBe('elsewhere');
  });
});
