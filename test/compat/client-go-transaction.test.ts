// The official Go client's TransactionProducer (rocketmq-client-go/v2, test/compat/go's
// `transaction` command) against our broker: a committed, a rolled-back and an "unknown" transaction
// that the broker's check-back gets committed; the Go push consumer receives exactly the committed two.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTopicConfig } from '../../ts/broker/domain/meta/topic-config-manager.js';
import { type CompatCluster, messageLines, startCompatCluster } from './compat-fixtures.js';
import { buildGoProbe, goProbe } from './go-fixtures.js';

describe('compat: the Go transaction producer against our broker', () => {
  let cluster: CompatCluster;
  let namesrv: string;

  beforeAll(async () => {
    await buildGoProbe();
    cluster = await startCompatCluster({ transactionCheckInterval: 1000, transactionTimeOut: 1000 });
    namesrv = cluster.namesrv;
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('commits, rolls back, and commits an "unknown" transaction when the check-back asks', async () => {
    const topic = 'GoTxTopic';
    cluster.broker.topics.createTopicIfAbsent(newTopicConfig(topic, { readQueueNums: 4, writeQueueNums: 4 }));
    const lines = await goProbe(
      'transaction',
      namesrv,
      'go_tx_group',
      topic,
      'commit,rollback,unknown',
      '--expect-checks',
      '1',
    );
    const sends = lines.filter((line) => line['sendStatus'] !== undefined);
    expect(sends.map((line) => [line['sendStatus'], line['state']])).toEqual([
      ['SEND_OK', 'COMMIT_MESSAGE'],
      ['SEND_OK', 'ROLLBACK_MESSAGE'],
      ['SEND_OK', 'UNKNOW'],
    ]);
    const check = lines.find((line) => line['check'] === true);
    expect(check).toMatchObject({ body: 'tx-2', topic, queueId: sends[2]?.['queueId'] });
    const consumed = await goProbe(
      'consume',
      namesrv,
      'go_tx_consumer',
      topic,
      '*',
      '2',
      '30000',
      '--linger-ms',
      '2000',
    );
    const bodies = [...new Set(messageLines(consumed).map((line) => String(line['body'])))].sort();
    expect(bodies).toEqual(['tx-0', 'tx-2']);
  }, 180_000);
});
