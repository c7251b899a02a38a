// The official Go client (rocketmq-client-go/v2, driven by test/compat/go's client-probe) against
// our registry and broker over TCP: sync, async, oneway and batch sends all arrive at a clustering
// push consumer with their keys, bodies and tags; a tag expression keeps only its tags; and messages
// cross between the Go and the Java clients whole, compressed bodies included.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildJavaProbes,
  clientProbe as javaProbe,
  type CompatCluster,
  FAST_CLIENT,
  messageLines,
  type ProbeLine,
  startCompatCluster,
} from './compat-fixtures.js';
import { buildGoProbe, goProbe } from './go-fixtures.js';

const MODES = ['sync', 'async', 'oneway', 'batch'] as const;

/** key → body of the consumed messages; fails on a key delivered with two different bodies. */
function bodiesByKey(messages: readonly ProbeLine[]): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const m of messages) {
    const key = String(m['keys']);
    expect(bodies.get(key) ?? m['body'], `key ${key}`).toBe(m['body']);
    bodies.set(key, String(m['body']));
  }
  return bodies;
}

/** One short line per delivery, for assertion messages. */
function describeDeliveries(messages: readonly ProbeLine[]): string {
  return messages
    .map((m) => `${String(m['keys'])}@${String(m['queueId'])}:${String(m['queueOffset'])}/${String(m['msgId'])}`)
    .join(' ');
}

describe('compat: the Go producer and push consumer against our broker', () => {
  let cluster: CompatCluster;
  let namesrv: string;

  beforeAll(async () => {
    await Promise.all([buildGoProbe(), buildJavaProbes()]);
    cluster = await startCompatCluster();
    namesrv = cluster.namesrv;
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('delivers sync, async, oneway and batch sends to a clustering consumer', async () => {
    const sentIds = new Set<string>();
    for (const mode of MODES) {
      const lines = await goProbe(
        'produce',
        namesrv,
        'GoCompatTopic',
        '8',
        mode,
        '--tag',
        'TagA',
        '--keys',
        `${mode}-{i}`,
      );
      expect(lines.at(-1)).toMatchObject({ done: true, sent: 8 });
      const sent = messageLines(lines);
      expect(sent).toHaveLength(8);
      if (mode === 'oneway') continue;
      expect(sent.every((line) => line['status'] === 'SEND_OK' && line['brokerName'] === 'broker-a')).toBe(true);
      // Batch members carry no client unique key (the Go client sets none), so only count singles.
      if (mode !== 'batch') for (const line of sent) sentIds.add(String(line['msgId']));
    }

    const received = await goProbe('consume', namesrv, 'go_compat_group', 'GoCompatTopic', '*', '32', '30000');
    expect(received.at(-1)).toMatchObject({ done: true, distinct: 32 });
    const messages = messageLines(received);
    const expected = new Map(
      MODES.flatMap((mode) => Array.from({ length: 8 }, (_, i) => [`${mode}-${i}`, `msg-${i}`] as const)),
    );
    expect(bodiesByKey(messages), describeDeliveries(messages)).toEqual(expected);
    for (const m of messages) {
      expect(m).toMatchObject({ topic: 'GoCompatTopic', tags: 'TagA', brokerName: 'broker-a' });
      expect(m['queueId']).toBeGreaterThanOrEqual(0);
      expect(m['queueOffset']).toBeGreaterThanOrEqual(0);
      expect(String(m['offsetMsgId'])).toMatch(/^7F000001[0-9A-F]{24}$/);
    }
    const receivedIds = new Set(messages.map((m) => String(m['msgId'])));
    expect([...sentIds].every((id) => receivedIds.has(id))).toBe(true);

    // The offsets were committed at shutdown: the group gets nothing more.
    const again = await goProbe('consume', namesrv, 'go_compat_group', 'GoCompatTopic', '*', '0', '2000');
    expect(messageLines(again)).toEqual([]);
  }, 120_000);

  it('filters by tag', async () => {
    await goProbe('produce', namesrv, 'GoTagTopic', '4', 'sync', '--tag', 'TagA', '--keys', 'a-{i}');
    await goProbe(
      'produce',
      namesrv,
      'GoTagTopic',
      '4',
      'sync',
      '--tag',
      'TagB',
      '--keys',
      'b-{i}',
      '--start-index',
      '4',
    );
    await goProbe(
      'produce',
      namesrv,
      'GoTagTopic',
      '2',
      'sync',
      '--tag',
      'TagC',
      '--keys',
      'c-{i}',
      '--start-index',
      '8',
    );
    const received = await goProbe(
      'consume',
      namesrv,
      'go_tag_group',
      'GoTagTopic',
      'TagB || TagC',
      '6',
      '30000',
      '--linger-ms',
      '1000',
    );
    const messages = messageLines(received);
    expect(messages.map((m) => m['tags']).sort()).toEqual(['TagB', 'TagB', 'TagB', 'TagB', 'TagC', 'TagC']);
    expect(bodiesByKey(messages)).toEqual(
      new Map([
        ['b-4', 'msg-4'],
        ['b-5', 'msg-5'],
        ['b-6', 'msg-6'],
        ['b-7', 'msg-7'],
        ['c-8', 'msg-8'],
        ['c-9', 'msg-9'],
      ]),
    );
  }, 120_000);

  it('hands Go-produced messages whole to the Java consumer, compressed bodies included', async () => {
    await goProbe('produce', namesrv, 'GoToJavaTopic', '4', 'sync', '--tag', 'TagG', '--keys', 'g-{i}');
    await goProbe(
      'produce',
      namesrv,
      'GoToJavaTopic',
      '4',
      'batch',
      '--tag',
      'TagG',
      '--keys',
      'gb-{i}',
      '--start-index',
      '4',
    );
    // Over the Go client's 4 KiB threshold: zlib-compressed, sysFlag bit 0x1.
    await goProbe(
      'produce',
      namesrv,
      'GoToJavaTopic',
      '2',
      'sync',
      '--tag',
      'TagG',
      '--keys',
      'gz-{i}',
      '--start-index',
      '8',
      '--body-size',
      '10000',
    );
    const received = await javaProbe(
      'consume',
      namesrv,
      'go_to_java_group',
      'GoToJavaTopic',
      'TagG',
      '10',
      '60000',
      ...FAST_CLIENT,
    );
    expect(received.at(-1)).toMatchObject({ done: true, distinct: 10 });
    const messages = messageLines(received);
    expect(messages.every((m) => m['tags'] === 'TagG')).toBe(true);
    const bodies = bodiesByKey(messages);
    expect([...bodies.keys()].sort(), describeDeliveries(messages)).toEqual([
      'g-0',
      'g-1',
      'g-2',
      'g-3',
      'gb-4',
      'gb-5',
      'gb-6',
      'gb-7',
      'gz-8',
      'gz-9',
    ]);
    expect(bodies.get('gb-6')).toBe('msg-6');
    expect(bodies.get('gz-9')).toBe(`msg-9${'x'.repeat(10_000 - 'msg-9'.length)}`);
  }, 120_000);

  it('hands Java-produced messages whole to the Go consumer, compressed bodies included', async () => {
    await javaProbe('produce', namesrv, 'JavaToGoTopic', '4', 'sync', '--tag', 'TagJ', '--keys', 'j-{i}');
    await javaProbe(
      'produce',
      namesrv,
      'JavaToGoTopic',
      '4',
      'batch',
      '--tag',
      'TagJ',
      '--keys',
      'jb-{i}',
      '--start-index',
      '4',
    );
    await javaProbe(
      'produce',
      namesrv,
      'JavaToGoTopic',
      '2',
      'sync',
      '--tag',
      'TagJ',
      '--keys',
      'jz-{i}',
      '--start-index',
      '8',
      '--body-size',
      '10000',
    );
    const received = await goProbe('consume', namesrv, 'java_to_go_group', 'JavaToGoTopic', 'TagJ', '10', '30000');
    expect(received.at(-1)).toMatchObject({ done: true, distinct: 10 });
    const messages = messageLines(received);
    expect(messages.every((m) => m['tags'] === 'TagJ')).toBe(true);
    const bodies = bodiesByKey(messages);
    expect([...bodies.keys()].sort(), describeDeliveries(messages)).toEqual([
      'j-0',
      'j-1',
      'j-2',
      'j-3',
      'jb-4',
      'jb-5',
      'jb-6',
      'jb-7',
      'jz-8',
      'jz-9',
    ]);
    expect(bodies.get('jb-5')).toBe('msg-5');
    expect(bodies.get('jz-8')).toBe(`msg-8${'x'.repeat(10_000 - 'msg-8'.length)}`);
  }, 120_000);
});
