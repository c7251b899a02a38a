// Request-reply with the official Java client 5.5.0 (test/compat/java's RequestReplyProbe) against our
// registry and broker: DefaultMQProducer.request, sync and async, answered by a Java replier (a push
// consumer that replies with MessageUtil.createReplyMessage, sent as SEND_REPLY_MESSAGE_V2); and the same
// requester answered by a replier of our SDK.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import { Producer } from '../../ts/client/producer/producer.js';
import { createReplyMessage } from '../../ts/client/producer/reply-message.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { Admin } from '../../ts/client/admin/admin.js';
import {
  buildJavaProbes,
  type CompatCluster,
  type ProbeLine,
  run,
  startCompatCluster,
  type RunningProbe,
  waitUntil,
} from './compat-fixtures.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const root = new URL('../../', import.meta.url).pathname;
const JAVA_ARGS = [
  '-Xmx256m',
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-cp',
  `${root}test/compat/java/target/classes:${root}test/compat/java/target/dependency/*`,
  'cleanrocketmq.compat.RequestReplyProbe',
];

/** Runs a RequestReplyProbe command to its end; its JSON lines. */
async function requestProbe(...args: string[]): Promise<ProbeLine[]> {
  const { stdout } = await run('java', [...JAVA_ARGS, ...args], { timeout: 120_000 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return parseLines(stdout);
}

function parseLines(stdout: string): ProbeLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ProbeLine);
}

/** Starts the Java replier; stopped with "stop" on stdin. */
function startJavaReplier(namesrv: string, group: string, topic: string): RunningProbe & { lines: ProbeLine[] } {
  const child = spawn('java', [...JAVA_ARGS, 'replier', namesrv, group, topic, '120000'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: ProbeLine[] = [];
  child.stderr.resume();
  child.stdin.on('error', () => undefined);
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.trim() !== '') lines.push(JSON.parse(line) as ProbeLine);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    lines,
    exited,
    waitFor: (what, until, timeoutMs) => waitUntil(what, () => until(lines), timeoutMs),
    stop: async () => {
      child.stdin.end('stop\n');
      return exited;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

describe('compat: Java request-reply against our broker', () => {
  let cluster: CompatCluster;

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster();
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** A topic of one queue, created through the admin API and routed by the registry. */
  async function createTopic(topic: string): Promise<void> {
    const admin = new Admin({ namesrvAddr: cluster.namesrv, clientIp: '127.0.0.1', logger: createMemoryLogger() });
    await admin.startup();
    try {
      await admin.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
      const routed = async (): Promise<boolean> => (await admin.topicRoute(topic).catch(() => null)) !== null;
      for (let tries = 0; !(await routed()); tries++) {
        if (tries > 100) throw new Error(`no route of ${topic}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await admin.shutdown();
    }
  }

  it('round-trips DefaultMQProducer.request, sync and async, with a Java replier', async () => {
    await createTopic('JavaRequestTopic');
    const replier = startJavaReplier(cluster.namesrv, 'java_replier', 'JavaRequestTopic');
    try {
      await replier.waitFor('the replier to start', (lines) => lines.some((line) => line['ready'] === true), 60_000);
      const sync = await requestProbe('request', cluster.namesrv, 'JavaRequestTopic', '3', 'sync');
      expect(sync.at(-1)).toEqual({ done: true, replies: 3, failed: 0 });
      expect(sync.slice(0, 3).map((line) => line['reply'])).toEqual(['reply:req-0', 'reply:req-1', 'reply:req-2']);
      expect(sync.every((line) => line['done'] === true || line['topic'] === 'DefaultCluster_REPLY_TOPIC')).toBe(true);
      const async = await requestProbe('request', cluster.namesrv, 'JavaRequestTopic', '4', 'async');
      expect(async.at(-1)).toEqual({ done: true, replies: 4, failed: 0 });
      const replies = async.filter((line) => line['reply'] !== undefined).map((line) => line['reply']);
      expect(replies.sort()).toEqual(['reply:req-0', 'reply:req-1', 'reply:req-2', 'reply:req-3']);
      await replier.waitFor(
        '7 replies sent',
        (lines) => lines.filter((l) => l['status'] === 'SEND_OK').length === 7,
        10_000,
      );
    } finally {
      await replier.stop();
    }
  }, 180_000);

  it('round-trips a Java request answered by a replier of our SDK', async () => {
    await createTopic('JavaToTsRequestTopic');
    const options = { namesrvAddr: cluster.namesrv, clientIp: '127.0.0.1', logger: createMemoryLogger() };
    const replyProducer = new Producer({ ...options, producerGroup: 'ts_replier_pg' });
    await replyProducer.startup();
    const consumer = new PushConsumer({
      ...options,
      consumerGroup: 'ts_replier',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      subscriptions: new Map([['JavaToTsRequestTopic', '*']]),
      messageListener: {
        consume: async (request) => {
          await replyProducer.sendReply(createReplyMessage(request, `ts:${request.body.toString()}`));
          return ConsumeResult.SUCCESS;
        },
      },
    });
    await consumer.startup();
    try {
      const lines = await requestProbe('request', cluster.namesrv, 'JavaToTsRequestTopic', '2', 'sync');
      expect(lines.at(-1)).toEqual({ done: true, replies: 2, failed: 0 });
      expect(lines.slice(0, 2).map((line) => line['reply'])).toEqual(['ts:req-0', 'ts:req-1']);
    } finally {
      await consumer.shutdown();
      await replyProducer.shutdown();
    }
  }, 180_000);
});
