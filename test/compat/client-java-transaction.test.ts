// The official Java TransactionMQProducer (rocketmq-client 5.5.0, via test/compat/java's
// TransactionProbe) against our broker: commit, rollback, and "unknown" answered by a check-back;
// a check-back answered by a new producer of the group after the first one stopped; a half message
// that survives a broker restart and is committed after it. What reaches consumers is read with the
// official push consumer (ClientProbe). The check runs every second here (transactionCheckInterval).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTopicConfig } from '../../ts/broker/domain/meta/topic-config-manager.js';
import {
  buildJavaProbes,
  clientProbe,
  type CompatCluster,
  FAST_CLIENT,
  messageLines,
  type ProbeLine,
  run,
  startCompatCluster,
} from './compat-fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const classpath = `${root}test/compat/java/target/classes:${root}test/compat/java/target/dependency/*`;

/** Runs TransactionProbe with `args`; returns its JSON lines. */
async function transactionProbe(...args: string[]): Promise<ProbeLine[]> {
  const java = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', classpath];
  const { stdout } = await run('java', [...java, 'cleanrocketmq.compat.TransactionProbe', ...args], {
    timeout: 120_000,
  });
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ProbeLine);
}

/** The distinct bodies a fresh consumer group receives from `topic` within a few seconds. */
async function consumedBodies(namesrv: string, group: string, topic: string, expected: number): Promise<string[]> {
  const lines = await clientProbe(
    'consume',
    namesrv,
    group,
    topic,
    '*',
    String(expected),
    '30000',
    '--linger-ms',
    '2000',
    ...FAST_CLIENT,
  );
  return [...new Set(messageLines(lines).map((line) => String(line['body'])))].sort();
}

describe('compat: Java TransactionMQProducer', () => {
  let cluster: CompatCluster;
  let namesrv: string;

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster({
      transactionCheckInterval: 1000,
      transactionTimeOut: 1000,
      // Checks are counted while no producer is connected; keep the half for the later tests.
      transactionCheckMax: 1000,
    });
    namesrv = cluster.namesrv;
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  function createTopic(topic: string): void {
    cluster.broker.topics.createTopicIfAbsent(newTopicConfig(topic, { readQueueNums: 4, writeQueueNums: 4 }));
  }

  it('delivers committed messages, drops rolled-back ones, and commits an "unknown" one on check-back', async () => {
    createTopic('TxTopic');
    const lines = await transactionProbe(
      'send',
      namesrv,
      'tx_group_a',
      'TxTopic',
      'commit,rollback,unknown',
      '--answer',
      'commit',
      '--expect-checks',
      '1',
    );
    const sends = lines.filter((line) => line['sendStatus'] !== undefined);
    expect(sends.map((line) => [line['sendStatus'], line['state']])).toEqual([
      ['SEND_OK', 'COMMIT_MESSAGE'],
      ['SEND_OK', 'ROLLBACK_MESSAGE'],
      ['SEND_OK', 'UNKNOW'],
    ]);
    const checks = lines.filter((line) => line['check'] === true);
    expect(checks[0]).toMatchObject({ body: 'tx-2', topic: 'TxTopic', transactionId: sends[2]?.['transactionId'] });
    expect(checks[0]?.['queueId']).toBe(sends[2]?.['queueId']);
    expect(await consumedBodies(namesrv, 'tx_consumer_a', 'TxTopic', 2)).toEqual(['tx-0', 'tx-2']);
  }, 180_000);

  it('asks a new producer of the group once the first one stopped, and commits its answer', async () => {
    createTopic('TxTopicB');
    const first = await transactionProbe('send', namesrv, 'tx_group_b', 'TxTopicB', 'unknown');
    expect(first.at(-1)).toMatchObject({ done: true, sent: 1, checks: 0 });
    const second = await transactionProbe('check', namesrv, 'tx_group_b', 'TxTopicB', '--answer', 'commit');
    expect(second.find((line) => line['check'] === true)).toMatchObject({ body: 'tx-0', topic: 'TxTopicB' });
    expect(await consumedBodies(namesrv, 'tx_consumer_b', 'TxTopicB', 1)).toEqual(['tx-0']);
  }, 180_000);

  it('keeps a half message across a broker restart and commits it when the producer answers after it', async () => {
    createTopic('TxTopicC');
    const sent = await transactionProbe('send', namesrv, 'tx_group_c', 'TxTopicC', 'unknown');
    expect(sent[0]).toMatchObject({ sendStatus: 'SEND_OK', state: 'UNKNOW' });
    await cluster.restartBroker();
    const answered = await transactionProbe('check', namesrv, 'tx_group_c', 'TxTopicC', '--answer', 'commit');
    expect(answered.find((line) => line['check'] === true)).toMatchObject({ body: 'tx-0', topic: 'TxTopicC' });
    expect(await consumedBodies(namesrv, 'tx_consumer_c', 'TxTopicC', 1)).toEqual(['tx-0']);
  }, 180_000);
});
