// Bad input over real TCP, all on one connection to one broker: a send to an illegally named topic,
// a body over maxMessageSize, a pull with a queue id past the topic's queues, an unknown request
// code and a send-back for a record that does not exist each get RocketMQ's response code and
// remark, and the same connection then sends and pulls normally. A malformed frame closes only its
// own connection; the broker keeps serving others.

import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { decodeStoredRecords } from '../../../ts/protocol/record-decoder.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from './broker-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

function sendV2(topic: string, queueId: number, body: string) {
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
      i: 'TAGS\x01A\x02',
      j: '0',
      k: 'false',
      m: 'false',
    },
    Buffer.from(body),
  );
}

function pull(topic: string, queueId: number) {
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'cg',
    topic,
    queueId: String(queueId),
    queueOffset: '0',
    maxMsgNums: '32',
    sysFlag: '4',
    commitOffset: '0',
    suspendTimeoutMillis: '0',
    subscription: '*',
    subVersion: '1',
  });
}

describe('broker: bad input', () => {
  it('answers each bad request with its code and remark and keeps the connection working', async () => {
    const broker = await startTestBroker(cleanup, { maxMessageSize: 1024 });
    const remoting = testClient(cleanup);
    const address = `127.0.0.1:${broker.port}`;

    const illegalName = await remoting.invoke(address, sendV2('bad topic!', 0, 'x'));
    expect(illegalName.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(illegalName.remark).toContain('bad topic!');
    expect(illegalName.remark).toContain('illegal');

    const oversized = await remoting.invoke(address, sendV2('GoodTopic', 0, 'x'.repeat(2000)));
    expect(oversized.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(oversized.remark).toContain('1024');

    expect((await remoting.invoke(address, sendV2('GoodTopic', 0, 'first'))).code).toBe(ResponseCode.SUCCESS);
    const badQueue = await remoting.invoke(address, pull('GoodTopic', 99));
    expect(badQueue.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badQueue.remark).toMatch(/^queueId\[99\] is illegal, topic:\[GoodTopic\]/);

    const unknown = await remoting.invoke(address, createRequest(4242, {}));
    expect(unknown.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(unknown.remark).toBe(' request type 4242 not supported');

    const noRecord = await remoting.invoke(
      address,
      createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: String(1 << 30), group: 'cg', delayLevel: '0' }),
    );
    expect(noRecord.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(noRecord.remark).toBe(`look message by offset failed, ${1 << 30}`);

    expect((await remoting.invoke(address, sendV2('GoodTopic', 0, 'second'))).code).toBe(ResponseCode.SUCCESS);
    const pulled = await remoting.invoke(address, pull('GoodTopic', 0));
    expect(pulled.code).toBe(ResponseCode.SUCCESS);
    expect(decodeStoredRecords(pulled.body ?? Buffer.alloc(0)).map((m) => m.body.toString())).toEqual([
      'first',
      'second',
    ]);
  });

  it('closes only the connection that sent a malformed frame', async () => {
    const broker = await startTestBroker(cleanup);
    const remoting = testClient(cleanup);
    const address = `127.0.0.1:${broker.port}`;
    expect((await remoting.invoke(address, sendV2('FrameTopic', 0, 'before'))).code).toBe(ResponseCode.SUCCESS);

    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(broker.port, '127.0.0.1', () => {
        // Frame length 8, header length 0x7fffffff: a header longer than the frame.
        socket.write(Buffer.from([0, 0, 0, 8, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4]));
      });
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
      setTimeout(() => resolve(false), 5000).unref();
    });
    expect(closed).toBe(true);
    expect((await remoting.invoke(address, sendV2('FrameTopic', 0, 'after'))).code).toBe(ResponseCode.SUCCESS);
  });
});
