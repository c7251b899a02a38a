// The official Java client (rocketmq-client 5.5.0, driven by test/compat/java's ClientProbe)
// against our registry and broker over TCP: sync, async, oneway and batch sends all arrive at a
// clustering push consumer, with their bodies, tags and keys; a tag filter keeps only its tag.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJavaProbes, clientProbe as probe, type CompatCluster, startCompatCluster } from './compat-fixtures.js';

describe('compat: the Java producer and push consumer against our broker', () => {
  let cluster: CompatCluster;
  let namesrv: string;

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster();
    namesrv = cluster.namesrv;
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('delivers sync, async, oneway and batch sends to a clustering consumer', async () => {
    const sent: Array<Record<string, unknown>> = [];
    for (const mode of ['sync', 'async', 'oneway', 'batch']) {
      const lines = await probe(
        'produce',
        namesrv,
        'CompatTopic',
        '8',
        mode,
        '--tag',
        'TagA',
        '--keys',
        `${mode}-{i}`,
        '--start-index',
        '0',
      );
      expect(lines.at(-1)).toMatchObject({ done: true, sent: 8 });
      sent.push(...lines.filter((line) => line['done'] === undefined));
    }
    expect(sent.filter((line) => line['status'] === 'SEND_OK')).toHaveLength(24);
    const received = await probe(
      'consume',
      namesrv,
      'compat_group',
      'CompatTopic',
      '*',
      '32',
      '60000',
      '--poll-namesrv-ms',
      '1000',
      '--rebalance-ms',
      '1000',
    );
    const done = received.at(-1);
    expect(done).toMatchObject({ done: true, distinct: 32 });
    const messages = received.filter((line) => line['done'] === undefined);
    expect(new Set(messages.map((m) => m['keys']))).toEqual(
      new Set(
        ['sync', 'async', 'oneway', 'batch'].flatMap((mode) => Array.from({ length: 8 }, (_, i) => `${mode}-${i}`)),
      ),
    );
    expect(messages.every((m) => m['tags'] === 'TagA' && String(m['body']).startsWith('msg-'))).toBe(true);
  }, 180_000);

  it('finds a message by key and by its offset msgId', async () => {
    const sent = await probe('produce', namesrv, 'LookupTopic', '1', 'sync', '--keys', 'lookup-key');
    const offsetMsgId = String(sent[0]?.['offsetMsgId']);
    const byKey = await probe('queryByKey', namesrv, 'LookupTopic', 'lookup-key');
    expect(byKey.at(-1)).toMatchObject({ done: true, found: 1 });
    expect(byKey[0]).toMatchObject({ keys: 'lookup-key', body: 'msg-0' });
    const byId = await probe('viewById', namesrv, 'LookupTopic', offsetMsgId, '--by', 'offset');
    expect(byId.at(-1)).toMatchObject({ done: true, found: 1 });
    expect(byId[0]).toMatchObject({ body: 'msg-0' });
  }, 180_000);

  it('filters by tag', async () => {
    await probe('produce', namesrv, 'TagTopic', '4', 'sync', '--tag', 'TagA');
    await probe('produce', namesrv, 'TagTopic', '4', 'sync', '--tag', 'TagB', '--start-index', '4');
    const received = await probe(
      'consume',
      namesrv,
      'tag_group',
      'TagTopic',
      'TagB',
      '4',
      '60000',
      '--poll-namesrv-ms',
      '1000',
      '--rebalance-ms',
      '1000',
      '--linger-ms',
      '1000',
    );
    const messages = received.filter((line) => line['done'] === undefined);
    expect(messages.map((m) => m['tags'])).toEqual(['TagB', 'TagB', 'TagB', 'TagB']);
  }, 180_000);
});
