// The client's pure parts, checked against Java's rules and against the broker's own codecs:
// AllocateMessageQueueAveragely, SelectMessageQueueByHash, tag expressions, the batch body, stored
// records (V1/V2 magic, IPv6 hosts, zlib bodies), message ids, fastjson object-keyed maps, routes,
// the process queue's commit offset, and the concurrency limiter.

import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBatchMessages } from '../../ts/protocol/batch-body.js';
import { parseFastJsonWithObjectKeys } from '../../ts/client/admin/fastjson-map-reader.js';
import { decodeConsumeStats } from '../../ts/client/admin/consume-stats.js';
import { allocateMessageQueueAveragely } from '../../ts/client/consumer/allocate-strategy.js';
import { clientUniqueIdGenerator } from '../../ts/client/client-options.js';
import { ConcurrencyLimiter } from '../../ts/client/consumer/concurrency-limiter.js';
import { buildSubscriptionData, matchesSubscription } from '../../ts/client/consumer/filter-expression.js';
import { ProcessQueue } from '../../ts/client/consumer/process-queue.js';
import { messageQueue, type MessageQueue } from '../../ts/client/message-queue.js';
import { encodeBatchBody } from '../../ts/client/message/batch-encoder.js';
import { decodePulledRecords } from '../../ts/client/message/pulled-record.js';
import { toMessageView, type MessageView } from '../../ts/client/message/message-view.js';
import { isRetryableSendError } from '../../ts/client/producer/message-sender.js';
import { selectMessageQueueByHash, TopicPublishInfo } from '../../ts/client/producer/queue-selector.js';
import { ClientError, ClientErrorCode } from '../../ts/client/client-error.js';
import { ResponseCode } from '../../ts/remoting/codes.js';
import { decodeTopicRouteData, publishQueues, subscribeQueues } from '../../ts/client/topic-route.js';
import { socketAddress } from '../../ts/common/socket-address.js';
import { javaStringHashCode } from '../../ts/protocol/tag-code.js';
import { RecordDraftEncoder } from '../../ts/store/record-draft-encoder.js';

const queues = (n: number, topic = 'T'): MessageQueue[] =>
  Array.from({ length: n }, (_, i) => messageQueue(topic, 'broker-a', i));
const ids = (mqs: MessageQueue[]): number[] => mqs.map((mq) => mq.queueId);

describe('allocateMessageQueueAveragely (Java AllocateMessageQueueAveragely)', () => {
  it('gives contiguous blocks, the first clients one more', () => {
    const cids = ['c0', 'c1', 'c2'];
    expect(cids.map((cid) => ids(allocateMessageQueueAveragely('g', cid, queues(8), cids)))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
    expect(cids.map((cid) => ids(allocateMessageQueueAveragely('g', cid, queues(4), cids)))).toEqual([
      [0, 1],
      [2],
      [3],
    ]);
  });

  it('leaves clients beyond the queue count empty, and a client not in the list gets nothing', () => {
    const cids = ['c0', 'c1', 'c2'];
    expect(cids.map((cid) => ids(allocateMessageQueueAveragely('g', cid, queues(2), cids)))).toEqual([[0], [1], []]);
    expect(allocateMessageQueueAveragely('g', 'other', queues(4), cids)).toEqual([]);
  });
});

describe('queue selection', () => {
  it('hashes a sharding key as Java SelectMessageQueueByHash: abs(hashCode % size)', () => {
    expect(javaStringHashCode('order-1')).toBe(-1207111310);
    expect(selectMessageQueueByHash(queues(4), 'abc').queueId).toBe(2);
    expect(selectMessageQueueByHash(queues(4), 'order-1').queueId).toBe(2);
    expect(selectMessageQueueByHash(queues(4), 'hello world!').queueId).toBe(3);
    expect(selectMessageQueueByHash(queues(4), 'polygenelubricants').queueId).toBe(0);
  });

  it('goes round the queues and avoids the broker that just failed', () => {
    const mqs = [messageQueue('T', 'a', 0), messageQueue('T', 'a', 1), messageQueue('T', 'b', 0)];
    const info = new TopicPublishInfo(mqs);
    const picked = [info.selectOneMessageQueue(), info.selectOneMessageQueue(), info.selectOneMessageQueue()];
    expect(new Set(picked)).toEqual(new Set(mqs));
    for (let i = 0; i < 6; i++) expect(info.selectOneMessageQueue('a').brokerName).toBe('b');
  });
});

describe('send retries (Java DefaultMQProducer.retryResponseCodes)', () => {
  it('retries the retryable response codes and transport failures, nothing else', () => {
    for (const code of [17, 14, 1, 2, 16, 204, 205, 1500])
      expect(isRetryableSendError(new ClientError(code, null))).toBe(true);
    for (const code of [
      ClientErrorCode.CONNECT_BROKER_EXCEPTION,
      ClientErrorCode.ACCESS_BROKER_TIMEOUT,
      ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION,
    ]) {
      expect(isRetryableSendError(new ClientError(code, null))).toBe(true);
    }
    for (const code of [
      ResponseCode.MESSAGE_ILLEGAL,
      ResponseCode.INVALID_PARAMETER,
      ClientErrorCode.ILLEGAL_ARGUMENT,
    ]) {
      expect(isRetryableSendError(new ClientError(code, null))).toBe(false);
    }
    expect(isRetryableSendError(new Error('x'))).toBe(false);
  });
});

describe('tag expressions (Java FilterAPI)', () => {
  it('"*" and "" match everything', () => {
    for (const expression of ['*', '', '  ']) {
      const sub = buildSubscriptionData('T', expression, 1);
      expect(sub.subString).toBe('*');
      expect(sub.tagsSet).toEqual([]);
      expect(matchesSubscription(sub, undefined)).toBe(true);
    }
  });

  it('"A || B" gives the tags and their Java hash codes, and matches only exact tags', () => {
    const sub = buildSubscriptionData('T', 'TagA || TagB ||TagA', 7);
    expect(sub.tagsSet).toEqual(['TagA', 'TagB']);
    expect(sub.codeSet).toEqual([javaStringHashCode('TagA'), javaStringHashCode('TagB')]);
    expect(sub.subVersion).toBe(7);
    expect(matchesSubscription(sub, 'TagB')).toBe(true);
    expect(matchesSubscription(sub, 'TagC')).toBe(false);
    expect(matchesSubscription(sub, undefined)).toBe(false);
  });
});

describe('batch body (Java MessageDecoder.encodeMessages)', () => {
  it('writes the golden layout and the broker decodes it back', () => {
    const body = encodeBatchBody([
      { flag: 1, body: Buffer.from('ab'), properties: new Map([['K', 'v']]) },
      { flag: 0, body: Buffer.from('xyz'), properties: new Map() },
    ]);
    expect(body.subarray(0, 28).toString('hex')).toBe(
      '0000001c' + '00000000' + '00000000' + '00000001' + '00000002' + '6162' + '0004' + '4b017602',
    );
    const members = decodeBatchMessages(body);
    expect(members.map((m) => [m.flag, Buffer.from(m.body).toString(), m.properties])).toEqual([
      [1, 'ab', 'K\x01v\x02'],
      [0, 'xyz', ''],
    ]);
  });
});

describe('stored records (Java MessageDecoder.decodes)', () => {
  const encoder = new RecordDraftEncoder();

  function record(topic: string, body: Buffer, sysFlag: number, bornHost = socketAddress('10.0.0.5', 50000)): Buffer {
    const draft = Buffer.from(
      encoder.encode([
        {
          topic,
          queueId: 3,
          body,
          flag: 9,
          properties: 'TAGS\x01T1\x02KEYS\x01k1 k2\x02UNIQ_KEY\x01ABC\x02color\x01red\x02',
          sysFlag,
          bornTimestamp: 1_700_000_000_000,
          bornHost,
          storeHost: socketAddress('127.0.0.1', 10911),
          reconsumeTimes: 2,
        },
      ]),
    );
    return draft;
  }

  it('decodes a V1 record with IPv4 hosts into a MessageView', () => {
    const [decoded] = decodePulledRecords(record('TopicA', Buffer.from('payload'), 0));
    const view = toMessageView(decoded!, 'broker-a');
    expect(view.topic).toBe('TopicA');
    expect(view.body.toString()).toBe('payload');
    expect(view.messageQueue).toEqual(messageQueue('TopicA', 'broker-a', 3));
    expect(view.tag).toBe('T1');
    expect(view.keys).toEqual(['k1', 'k2']);
    expect(view.messageId).toBe('ABC');
    expect([...view.properties]).toEqual([['color', 'red']]);
    expect(view.bornHost).toBe('10.0.0.5:50000');
    expect(view.storeHost).toBe('127.0.0.1:10911');
    expect(view.bornTimestamp.getTime()).toBe(1_700_000_000_000);
    expect(view.flag).toBe(9);
    expect(view.reconsumeTimes).toBe(2);
    expect(view.deliveryAttempt).toBe(3);
  });

  it('decodes V2 (long topic), an IPv6 born host and a zlib body', () => {
    const topic = 'L'.repeat(200);
    const body = Buffer.alloc(10_000, 'q');
    const bytes = Buffer.concat([
      record(topic, deflateSync(body), 0x1, socketAddress('::1', 7)),
      record('Short', Buffer.from('s'), 0),
    ]);
    const [long, short] = decodePulledRecords(bytes);
    expect(long?.topic).toBe(topic);
    expect(long?.body.equals(body)).toBe(true);
    expect(long?.bodyCompressed).toBe(false);
    expect(toMessageView(long!, 'b').bornHost).toBe('[0:0:0:0:0:0:0:1]:7');
    expect(short?.topic).toBe('Short');
  });

  it('shows a retry record under its original topic', () => {
    const [decoded] = decodePulledRecords(record('%RETRY%cg', Buffer.from('r'), 0));
    const view = toMessageView({ ...decoded!, properties: new Map([['RETRY_TOPIC', 'Orig']]) }, 'b');
    expect(view.topic).toBe('Orig');
    expect(view.messageQueue.topic).toBe('%RETRY%cg');
  });
});

describe('message ids', () => {
  it('makes 32-char UNIQ_KEYs with the client IP first, each distinct', () => {
    const generator = clientUniqueIdGenerator('127.0.0.1', () => Date.UTC(2025, 5, 15));
    const keys = Array.from({ length: 1000 }, () => generator.next());
    expect(keys.every((key) => /^7F000001[0-9A-F]{24}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(1000);
  });
});

describe('fastjson maps and consume stats', () => {
  it('reads object keys, unquoted integer keys and escapes', () => {
    const parsed = parseFastJsonWithObjectKeys(
      '{{"a":1}:[1,2.5,-3e2],0:"x\\"y",  "s" : {"n":null,"t":true}}',
    ) as Record<string, unknown>;
    expect(parsed).toEqual({ '{"a":1}': [1, 2.5, -300], '0': 'x"y', s: { n: null, t: true } });
  });

  it('decodes a Java ConsumeStats body into per-queue lag', () => {
    const body =
      '{"consumeTps":1.5,"offsetTable":{{"brokerName":"b","queueId":1,"topic":"T"}:' +
      '{"brokerOffset":10,"consumerOffset":4,"lastTimestamp":5,"pullOffset":6},' +
      '{"brokerName":"b","queueId":0,"topic":"T"}:' +
      '{"brokerOffset":3,"consumerOffset":3,"lastTimestamp":0,"pullOffset":3}}}';
    const stats = decodeConsumeStats(Buffer.from(body));
    expect(stats.consumeTps).toBe(1.5);
    expect(
      stats.queues.map((q) => [q.messageQueue.queueId, q.brokerOffset, q.consumerOffset, q.pullOffset, q.lag]),
    ).toEqual([
      [0, 3, 3, 3, 0],
      [1, 10, 4, 6, 6],
    ]);
    expect(stats.totalLag).toBe(6);
  });
});

describe('routes', () => {
  it('reads fastjson routes and keeps writable master queues for producers, readable ones for consumers', () => {
    const route = decodeTopicRouteData(
      Buffer.from(
        '{"brokerDatas":[{"brokerAddrs":{0:"127.0.0.1:1"},"brokerName":"b","cluster":"C"},' +
          '{"brokerAddrs":{1:"127.0.0.1:3"},"brokerName":"slaveOnly","cluster":"C"},' +
          '{"brokerAddrs":{0:"127.0.0.1:2"},"brokerName":"a","cluster":"C"}],"filterServerTable":{},' +
          '"queueDatas":[{"brokerName":"b","perm":6,"readQueueNums":2,"writeQueueNums":1,"topicSysFlag":0},' +
          '{"brokerName":"a","perm":4,"readQueueNums":1,"writeQueueNums":1,"topicSysFlag":0},' +
          '{"brokerName":"slaveOnly","perm":6,"readQueueNums":1,"writeQueueNums":1,"topicSysFlag":0}]}',
      ),
    );
    expect(route.brokerDatas[0]?.brokerAddrs['0']).toBe('127.0.0.1:1');
    expect(publishQueues('T', route).map((mq) => `${mq.brokerName}:${mq.queueId}`)).toEqual(['b:0']);
    expect(subscribeQueues('T', route).map((mq) => `${mq.brokerName}:${mq.queueId}`)).toEqual([
      'a:0',
      'b:0',
      'b:1',
      'slaveOnly:0',
    ]);
  });
});

describe('ProcessQueue', () => {
  const view = (offset: number): MessageView => ({ offset, body: Buffer.alloc(10) }) as MessageView;

  it('commits up to the smallest offset still cached, then past the highest', () => {
    const pq = new ProcessQueue(messageQueue('T', 'b', 0));
    expect(pq.removeMessages([])).toBe(-1);
    expect(pq.putMessages([view(5), view(6), view(7)])).toHaveLength(3);
    expect(pq.putMessages([view(6)])).toHaveLength(0);
    expect(pq.cachedMessageCount).toBe(3);
    expect(pq.cachedMessageSizeBytes).toBe(30);
    expect(pq.maxSpan).toBe(2);
    expect(pq.removeMessages([view(6)])).toBe(5);
    expect(pq.removeMessages([view(5)])).toBe(7);
    expect(pq.removeMessages([view(7)])).toBe(8);
    expect(pq.cachedMessageSizeBytes).toBe(0);
  });
});

describe('ConcurrencyLimiter', () => {
  it('runs at most its limit at once and reports idle', async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let max = 0;
    const task = async (): Promise<void> => {
      running += 1;
      max = Math.max(max, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    };
    const all = Array.from({ length: 10 }, () => limiter.run(task));
    expect(limiter.pending).toBe(10);
    await limiter.idle();
    await Promise.all(all);
    expect(max).toBe(2);
    expect(limiter.pending).toBe(0);
  });
});
