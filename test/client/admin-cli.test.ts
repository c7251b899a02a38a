// `clean-rocketmq admin <command>` run in-process (captured output, exit codes) against the broker under
// test: ours, and with CLIENT_TEST_TARGET=apache Apache RocketMQ 5.5.0, the reference, with the same
// assertions (topics, routes, offsets, messages). One topic and group walk through every command.

import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../ts/admin/admin-program.js';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import { Producer } from '../../ts/client/producer/producer.js';
import { type CleanupStep, type TestCluster, uniqueName, useTestCluster, waitFor } from './client-fixtures.js';

let cluster: TestCluster;
const cleanup: CleanupStep[] = [];
useTestCluster(cleanup, (started) => (cluster = started));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function admin(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(argv, {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    env,
    setExitCode: () => undefined,
  });
  return { code, stdout, stderr };
}

/** Runs `command -n <namesrv> …` and expects exit code 0 with nothing on stderr. */
async function ok(command: string, ...args: string[]): Promise<string> {
  const run = await admin([command, '-n', cluster.namesrvAddr, ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

async function okJson<T>(command: string, ...args: string[]): Promise<T> {
  return JSON.parse(await ok(command, ...args, '--json')) as T;
}

/** The whitespace-separated cells of the lines whose first cell is `first`. */
function rows(output: string, first: string): string[][] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells[0] === first);
}

function expectOneLineFailure(run: Run, pattern: RegExp): void {
  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('clean-rocketmq admin: bad input', () => {
  it('refuses an unknown command with one line and exit code 1', async () => {
    expectOneLineFailure(await admin(['noSuchCommand', '-n', cluster.namesrvAddr]), /unknown command 'noSuchCommand'/);
  });

  it('takes the name server from NAMESRV_ADDR, and says so in one line when neither it nor -n is given', async () => {
    expectOneLineFailure(await admin(['topicList']), /no name server address: give -n <host:port> or set NAMESRV_ADDR/);
    const run = await admin(['topicList'], { NAMESRV_ADDR: cluster.namesrvAddr });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toContain('TBW102');
  });

  it('reports an unreachable name server in one line', async () => {
    expectOneLineFailure(await admin(['topicList', '-n', '127.0.0.1:1']), /topicList command failed: .*127\.0\.0\.1:1/);
  });

  it('reports a topic that does not exist in one line', async () => {
    const topic = uniqueName('Missing');
    for (const command of ['topicRoute', 'topicStatus']) {
      expectOneLineFailure(
        await admin([command, '-n', cluster.namesrvAddr, '-t', topic]),
        new RegExp(`${command} command failed: TOPIC_NOT_EXIST \\(17\\).*${topic}`),
      );
    }
  });

  it('refuses a missing required flag in one line', async () => {
    expectOneLineFailure(
      await admin(['topicRoute', '-n', cluster.namesrvAddr]),
      /required option '-t, --topic <topic>'/,
    );
  });
});

interface RouteJson {
  brokerDatas: { brokerName: string; cluster: string; brokerAddrs: Record<string, string> }[];
  queueDatas: { brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number }[];
}

interface MessageJson {
  messageId: string;
  offsetMsgId: string;
  topic: string;
  tag: string | null;
  keys: string[];
  queueId: number;
  queueOffset: number;
  body: string;
}

describe('clean-rocketmq admin: every command on one topic and group', () => {
  it('creates, routes, lists, sends, queries, consumes, tracks progress, resets and deletes', async () => {
    const topic = uniqueName('CliTopic');
    const group = uniqueName('CliGroup');
    const brokerAddr = cluster.brokerAddr;

    // updateTopic, topicList, topicRoute
    const created = await ok('updateTopic', '-c', 'DefaultCluster', '-t', topic, '-r', '2', '-w', '2');
    expect(created).toContain(`create topic to ${brokerAddr} success.`);
    expect(created).toContain(`TopicConfig [topicName=${topic}, readQueueNums=2, writeQueueNums=2, perm=RW-`);
    await waitFor('the topic in topicList', async () => (await ok('topicList')).split('\n').includes(topic));
    const route = await okJson<RouteJson>('topicRoute', '-t', topic);
    expect(route.queueDatas).toEqual([
      expect.objectContaining({ brokerName: 'broker-a', readQueueNums: 2, writeQueueNums: 2, perm: 6 }),
    ]);
    expect(route.brokerDatas.map((b) => [b.cluster, b.brokerName, b.brokerAddrs['0']])).toEqual([
      ['DefaultCluster', 'broker-a', brokerAddr],
    ]);
    expect(rows(await ok('topicRoute', '-t', topic, '-l'), 'DefaultCluster')).toEqual([
      ['DefaultCluster', 'broker-a', `{0=${brokerAddr}}`, '2', '2', '6'],
    ]);

    // sendMessage: three to queue 0, one to queue 1
    const sent: string[] = [];
    for (const body of ['m0', 'm1', 'm2']) {
      const out = await ok(
        'sendMessage',
        '-t',
        topic,
        '-p',
        body,
        '-k',
        `key-${body}`,
        '-c',
        'TagA',
        '-b',
        'broker-a',
        '-i',
        '0',
      );
      const [row] = rows(out, 'broker-a');
      expect(row?.slice(0, 3)).toEqual(['broker-a', '0', 'SEND_OK']);
      sent.push(row?.[3] ?? '');
    }
    await ok('sendMessage', '-t', topic, '-p', 'q1', '-b', 'broker-a', '-i', '1');

    // topicStatus
    const status = rows(await ok('topicStatus', '-t', topic), 'broker-a');
    expect(status.map((cells) => cells.slice(0, 4))).toEqual([
      ['broker-a', '0', '0', '3'],
      ['broker-a', '1', '0', '1'],
    ]);

    // queryMsgByKey (the index is built asynchronously), queryMsgById by UNIQ_KEY and by offset msgId
    let byKey: MessageJson[] = [];
    await waitFor('the key in the index', async () => {
      byKey = await okJson<MessageJson[]>('queryMsgByKey', '-t', topic, '-k', 'key-m1');
      return byKey.length === 1;
    });
    expect(byKey.map((m) => [m.messageId, m.queueId, m.queueOffset, m.body])).toEqual([[sent[1], 0, 1, 'm1']]);
    const keyRows = rows(await ok('queryMsgByKey', '-t', topic, '-k', 'key-m1'), sent[1] ?? '');
    expect(keyRows.map((cells) => cells.slice(0, 3))).toEqual([[sent[1], '0', '1']]);
    expect(keyRows[0]?.[3]).toMatch(new RegExp(`^\\d+@${topic}@K@key-m1@${sent[1]}@\\d+$`));
    const [byUniqKey] = await okJson<MessageJson[]>('queryMsgById', '-t', topic, '-i', sent[2] ?? '');
    expect([byUniqKey?.body, byUniqKey?.queueOffset, byUniqKey?.tag, byUniqKey?.keys]).toEqual([
      'm2',
      2,
      'TagA',
      ['key-m2'],
    ]);
    const byOffsetId = await ok('queryMsgById', '-t', topic, '-i', byUniqKey?.offsetMsgId ?? '');
    expect(byOffsetId).toMatch(new RegExp(`OffsetID: +${byUniqKey?.offsetMsgId}\n`));
    expect(byOffsetId).toMatch(/Queue Offset: +2\n/);
    expect(byOffsetId).toMatch(/Message Body: +m2\n/);

    // queryMsgByOffset
    const atOffset = await ok('queryMsgByOffset', '-t', topic, '-b', 'broker-a', '-i', '0', '-o', '0');
    expect(atOffset).toMatch(/Tags: +\[TagA\]\n/);
    expect(atOffset).toMatch(/Keys: +\[key-m0\]\n/);
    expect(atOffset).toMatch(/Message Body: +m0\n/);

    // consumeMessage: one queue from an offset, then the whole topic
    const fromOne = await okJson<MessageJson[]>('consumeMessage', '-t', topic, '-b', 'broker-a', '-i', '0', '-o', '1');
    expect(fromOne.map((m) => m.body)).toEqual(['m1', 'm2']);
    const cut = await ok('consumeMessage', '-t', topic, '-b', 'broker-a', '-i', '0', '-c', '2');
    expect(cut).toMatch(/^The oldler 2 message will be provided\nConsume ok\n/);
    expect(cut.match(/ BODY: \S+/g)).toEqual([' BODY: m0', ' BODY: m1']);
    const pastEnd = await ok('consumeMessage', '-t', topic, '-b', 'broker-a', '-i', '0', '-o', '10');
    expect(pastEnd).toBe(`MessageQueue [topic=${topic}, brokerName=broker-a, queueId=0] no matched msg, offset=10\n`);
    const all = await okJson<MessageJson[]>('consumeMessage', '-t', topic);
    expect(all.map((m) => m.body).sort()).toEqual(['m0', 'm1', 'm2', 'q1']);
    expect(await ok('consumeMessage', '-t', topic, '-b', 'broker-a', '-i', '1')).toMatch(
      /^Consume ok\nMSGID: \S+ .* BODY: q1\n/,
    );

    // updateSubGroup, then a push consumer of the group: consumerConnection while online
    const subGroup = await ok('updateSubGroup', '-c', 'DefaultCluster', '-g', group, '-r', '3');
    expect(subGroup).toContain(`create subscription group to ${brokerAddr} success.`);
    expect(subGroup).toContain(`SubscriptionGroupConfig [groupName=${group}, consumeEnable=true`);
    expect(subGroup).toContain('retryQueueNums=1, retryMaxTimes=3,');
    let consumed = 0;
    const consumer = new PushConsumer({
      ...cluster.clientOptions(),
      consumerGroup: group,
      subscriptions: { [topic]: '*' },
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      messageListener: {
        consume: () => {
          consumed += 1;
          return ConsumeResult.SUCCESS;
        },
      },
    });
    await consumer.startup();
    cleanup.push(() => consumer.shutdown());
    await waitFor('consumption', () => consumed === 4);
    const connection = await ok('consumerConnection', '-g', group);
    expect(rows(connection, '#ClientId')).toHaveLength(1);
    expect(connection).toMatch(/\n\S+@\S+ +127\.0\.0\.1:\d+ +\S+ +V\d_\d_\d/);
    expect(rows(connection, topic)).toEqual([[topic, '*']]);
    expect(connection).toContain('ConsumeType: CONSUME_PASSIVELY\nMessageModel: CLUSTERING\n');
    await consumer.shutdown();

    // consumerProgress once the group's offsets are committed
    const progress = (await ok('consumerProgress', '-g', group, '-t', topic)).split('\n');
    expect(rows(progress.join('\n'), topic).map((cells) => cells.slice(1, 6))).toEqual([
      ['broker-a', '0', '3', '3', '0'],
      ['broker-a', '1', '1', '1', '0'],
    ]);
    expect(progress).toContain('Consume Diff Total: 0');

    // resetOffsetByTime to the beginning (5.x brokers reset on the server side, online or not)
    const reset = await ok('resetOffsetByTime', '-g', group, '-t', topic, '-s', '0');
    expect(reset).toContain(`start reset consumer offset by specified, group[${group}], topic[${topic}], force[true]`);
    expect(rows(reset, 'broker-a').map((cells) => [cells[1], cells.at(-1)])).toEqual([
      ['0', '0'],
      ['1', '0'],
    ]);
    expect(await ok('consumerProgress', '-g', group, '-t', topic)).toContain('Consume Diff Total: 4');
    // consumerProgress without -g: one line per group (every %RETRY% topic), offline here
    expect(rows(await ok('consumerProgress'), group)).toEqual([[group, '0', 'OFFLINE', '0', '4']]);

    // setConsumeMode, deleteSubGroup
    const mode = await ok('setConsumeMode', '-c', 'DefaultCluster', '-t', topic, '-g', group, '-m', 'POP', '-q', '1');
    expect(mode).toContain(`set consume mode to ${brokerAddr} success.`);
    expect(mode).toContain(`topic[${topic}] group[${group}] consume mode[POP] popShareQueueNum[1]`);
    expect((await ok('topicList')).split('\n')).toContain(`%RETRY%${group}`);
    expect(await ok('deleteSubGroup', '-c', 'DefaultCluster', '-g', group)).toBe(
      `delete subscription group [${group}] from broker [${brokerAddr}] in cluster [DefaultCluster] success.\n`,
    );
    expect((await ok('topicList')).split('\n')).not.toContain(`%RETRY%${group}`);

    // deleteTopic
    expect(await ok('deleteTopic', '-c', 'DefaultCluster', '-t', topic)).toBe(
      `delete topic [${topic}] from cluster [DefaultCluster] success.\n` +
        `delete topic [${topic}] from NameServer success.\n`,
    );
    expect((await ok('topicList')).split('\n')).not.toContain(topic);
  });
});

describe('clean-rocketmq admin: cluster and broker', () => {
  it('lists the cluster and its broker, and reads the broker status', async () => {
    const listed = rows(await ok('clusterList'), 'DefaultCluster');
    expect(listed.map((cells) => cells.slice(0, 4))).toEqual([['DefaultCluster', 'broker-a', '0', cluster.brokerAddr]]);
    const json = await okJson<{ clusterName: string; brokerName: string; address: string }[]>('clusterList');
    expect(json.map((b) => [b.clusterName, b.brokerName, b.address])).toEqual([
      ['DefaultCluster', 'broker-a', cluster.brokerAddr],
    ]);
    const status = await okJson<Record<string, Record<string, string>>>('brokerStatus', '-b', cluster.brokerAddr);
    expect(status[cluster.brokerAddr]).toHaveProperty('brokerVersionDesc');
    expect(status[cluster.brokerAddr]).toHaveProperty('msgPutTotalTodayNow');
    expect(await ok('brokerStatus', '-b', cluster.brokerAddr)).toMatch(/^brokerVersionDesc +: V\d_\d_\d/m);
  });

  it('reports the producers of a group on a topic', async () => {
    const topic = uniqueName('CliProducerTopic');
    await ok('updateTopic', '-b', cluster.brokerAddr, '-t', topic);
    const producerGroup = uniqueName('CliProducerGroup');
    const producer = new Producer({ ...cluster.clientOptions(), producerGroup });
    await producer.startup();
    cleanup.push(() => producer.shutdown());
    await waitFor(
      'the route',
      async () => (await admin(['topicRoute', '-n', cluster.namesrvAddr, '-t', topic])).code === 0,
    );
    await producer.send({ topic, body: 'p' });
    const out = await ok('producerConnection', '-g', producerGroup, '-t', topic);
    expect(rows(out, '0001')).toEqual([
      [
        '0001',
        expect.stringMatching(/@/),
        expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        'JAVA',
        expect.stringMatching(/^V\d_\d_\d/),
      ],
    ]);
    const json = await okJson<{ clientId: string }[]>('producerConnection', '-g', producerGroup, '-t', topic);
    expect(json).toHaveLength(1);
    const missing = await admin([
      'producerConnection',
      '-n',
      cluster.namesrvAddr,
      '-g',
      uniqueName('NoPg'),
      '-t',
      topic,
    ]);
    expectOneLineFailure(missing, /SYSTEM_ERROR \(1\).*not exist/);
  });

  it('reads the broker config and updates it, refusing a black-listed key', async () => {
    const config = await okJson<Record<string, Record<string, string>>>('getBrokerConfig', '-b', cluster.brokerAddr);
    expect(config[cluster.brokerAddr]).toMatchObject({ brokerName: 'broker-a', brokerClusterName: 'DefaultCluster' });
    const text = await ok('getBrokerConfig', '-c', 'DefaultCluster');
    expect(text).toContain(`============Master: ${cluster.brokerAddr}============\n`);
    expect(text).toMatch(/\nbrokerName += {2}broker-a\n/);
    const update = await admin(
      ['updateBrokerConfig', '-n', cluster.namesrvAddr, '-b', cluster.brokerAddr].concat([
        '-k',
        'maxMessageSize',
        '-v',
        '4194304',
      ]),
    );
    expect(update.stdout).toBe(`update broker config success, ${cluster.brokerAddr}\n`);
    const after = await okJson<Record<string, Record<string, string>>>('getBrokerConfig', '-b', cluster.brokerAddr);
    expect(after[cluster.brokerAddr]).toMatchObject({ maxMessageSize: '4194304' });
    const blackListed = await admin(
      ['updateBrokerConfig', '-n', cluster.namesrvAddr, '-b', cluster.brokerAddr].concat([
        '-k',
        'brokerConfigPath',
        '-v',
        '/tmp/elsewhere.conf',
      ]),
    );
    expectOneLineFailure(blackListed, /NO_PERMISSION \(16\).*Can not update config in black list/);
  });
});
