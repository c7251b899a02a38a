// The official `mqadmin` (rocketmq-tools 5.5.0, org.apache.rocketmq.tools.command.MQAdminStartup)
// against our registry and broker over TCP: topicStatus, brokerStatus, clusterList, topicList,
// topicRoute, consumerProgress, consumerConnection, resetOffsetByTime (offline group, one queue,
// and pushed to an online Java consumer that then consumes again), updateSubGroup, getConsumerConfig
// and deleteSubGroup. mqadmin exits 0 even when a command fails, so every assertion reads its output.

import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFastJson } from '../../ts/common/fastjson.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { RequestCode } from '../../ts/remoting/codes.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import {
  buildJavaProbes,
  clientProbe,
  type CompatCluster,
  FAST_CLIENT,
  messageLines,
  type ProbeLine,
  startCompatCluster,
} from './compat-fixtures.js';

const execute = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const classpath = `${root}test/compat/java/target/classes:${root}test/compat/java/target/dependency/*`;
/** JVM flags: small and quick; logs (WARN+) to stderr instead of ~/logs/rocketmqlogs. */
const JVM = [
  '-Xmx256m',
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-Drmq.logback.configurationFile=rmq.compat.logback.xml',
];

interface AdminOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mqadmin <command> -n <namesrv> <args…>`. */
async function mqadmin(namesrv: string, command: string, ...args: string[]): Promise<AdminOutput> {
  const { stdout, stderr } = await execute(
    'java',
    [...JVM, '-cp', classpath, 'org.apache.rocketmq.tools.command.MQAdminStartup', command, '-n', namesrv, ...args],
    {
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return { stdout, stderr };
}

/** The whitespace-separated cells of the output lines that start with `first`. */
function rows(output: string, first: string): string[][] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells[0] === first);
}

/** brokerStatus lines `key : value` (the key padded to 32). */
function keyValues(output: string): Record<string, string> {
  const table: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^(\S+)\s*: (.*)$/.exec(line);
    if (match !== null) table[match[1] as string] = match[2] as string;
  }
  return table;
}

/** Messages sent per queue id, from ClientProbe produce lines. */
function perQueue(lines: readonly ProbeLine[]): number[] {
  const counts = [0, 0, 0, 0];
  for (const line of messageLines(lines)) counts[Number(line['queueId'])]! += 1;
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('compat: mqadmin 5.5.0 against our registry and broker', () => {
  const TOPIC = 'AdminTopic';
  let cluster: CompatCluster;
  let namesrv: string;
  let brokerAddr: string;
  let firstBatch: number[];
  let secondBatch: number[];
  let betweenBatchesMs: number;
  let remoting: RemotingClient;

  const totals = (): number[] => firstBatch.map((count, q) => count + (secondBatch[q] ?? 0));

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster();
    namesrv = cluster.namesrv;
    brokerAddr = cluster.broker.brokerAddr;
    remoting = new RemotingClient({ logger: createMemoryLogger() });
    firstBatch = perQueue(await clientProbe('produce', namesrv, TOPIC, '20', 'sync'));
    secondBatch = [0, 0, 0, 0];
  }, 600_000);

  afterAll(async () => {
    await remoting?.close();
    await cluster?.stop();
  });

  it('topicStatus prints every queue with its min and max offset and last update', async () => {
    const { stdout } = await mqadmin(namesrv, 'topicStatus', '-t', TOPIC);
    const queues = rows(stdout, 'broker-a');
    expect(queues.map((cells) => cells.slice(1, 4).map(Number))).toEqual(firstBatch.map((count, q) => [q, 0, count]));
    // Every queue got messages: its last-updated column holds a date and time.
    for (const cells of queues) expect(cells.slice(4).join(' ')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}$/);
    expect(stdout).toMatch(/Topic Put TPS: \d+\.\d+/);
  }, 60_000);

  it('brokerStatus prints the runtime table with real values', async () => {
    const startedAt = Date.now();
    const { stdout } = await mqadmin(namesrv, 'brokerStatus', '-b', brokerAddr);
    const table = keyValues(stdout);
    expect(table).toMatchObject({
      brokerVersionDesc: 'V5_5_0',
      brokerVersion: '513',
      brokerActive: 'true',
      commitLogMinOffset: '0',
      commitLogMaxOffset: String(cluster.broker.store.getMaxPhysicalOffset()),
      msgPutTotalTodayNow: '20',
      putMessageTimesTotal: '20',
      putMessageFailedTimes: '0',
      dispatchBehindBytes: '0',
    });
    expect(Number(table['bootTimestamp'])).toBeLessThanOrEqual(startedAt);
    expect(Number(table['earliestMessageTimeStamp'])).toBeGreaterThanOrEqual(Number(table['bootTimestamp']));
    expect(table['runtime']).toMatch(/^\[ 0 days, 0 hours, \d+ minutes, \d+ seconds \]$/);
    expect(table['putTps']).toMatch(/^\d+\.\d+(E-?\d+)? \d+\.\d+(E-?\d+)? \d+\.\d+(E-?\d+)?$/);
    expect(Number(table['putMessageSizeTotal'])).toBe(cluster.broker.store.getMaxPhysicalOffset());
    expect(Number(table['commitLogDiskRatio'])).toBeGreaterThan(0);
    expect(Number(table['commitLogDiskRatio'])).toBeLessThanOrEqual(1);
    expect(table['commitLogDirCapacity']).toMatch(/^Total : [\d.]+ [KMGTPE]iB, Free : [\d.]+ [KMGTPE]iB\.$/);
    expect(table['scheduleMessageOffset_1']).toBe('0,0');
  }, 60_000);

  it('clusterList, topicList and topicRoute show the broker and its topic', async () => {
    const clusterList = await mqadmin(namesrv, 'clusterList');
    const [line] = rows(clusterList.stdout, 'DefaultCluster');
    expect(line?.slice(0, 5)).toEqual(['DefaultCluster', 'broker-a', '0', brokerAddr, 'V5_5_0']);
    expect(line?.at(-1)).toBe('true');
    const topicList = await mqadmin(namesrv, 'topicList');
    expect(topicList.stdout.split('\n')).toContain(TOPIC);
    const route = parseFastJson((await mqadmin(namesrv, 'topicRoute', '-t', TOPIC)).stdout) as {
      brokerDatas: Array<{ brokerAddrs: Record<string, string>; brokerName: string }>;
      queueDatas: Array<{ readQueueNums: number; writeQueueNums: number; perm: number }>;
    };
    expect(route.brokerDatas).toMatchObject([{ brokerAddrs: { 0: brokerAddr }, brokerName: 'broker-a' }]);
    expect(route.queueDatas).toMatchObject([{ readQueueNums: 4, writeQueueNums: 4, perm: 6 }]);
  }, 60_000);

  it('consumerProgress prints the broker offset, the committed offset and the diff of every queue', async () => {
    const consumed = await clientProbe(
      'consume',
      namesrv,
      'progress_group',
      TOPIC,
      '*',
      '20',
      '60000',
      ...FAST_CLIENT,
      '--linger-ms',
      '1000',
    );
    expect(consumed.at(-1)).toMatchObject({ done: true, distinct: 20 });
    await sleep(20);
    betweenBatchesMs = Date.now();
    await sleep(20);
    secondBatch = perQueue(await clientProbe('produce', namesrv, TOPIC, '8', 'sync', '--start-index', '20'));

    const { stdout } = await mqadmin(namesrv, 'consumerProgress', '-g', 'progress_group');
    const queues = rows(stdout, TOPIC).map((cells) => cells.slice(2, 7).map(Number));
    // qid, broker offset, consumer offset, diff, inflight
    expect(queues).toEqual(totals().map((total, q) => [q, total, firstBatch[q], secondBatch[q], 0]));
    expect(stdout).toContain('Consume Diff Total: 8');

    const all = await mqadmin(namesrv, 'consumerProgress');
    const [group] = rows(all.stdout, 'progress_group');
    expect(group).toEqual(['progress_group', '0', 'OFFLINE', '0', '8']);
  }, 180_000);

  it('resetOffsetByTime moves the committed offsets of an offline group to the timestamp', async () => {
    const toStart = await mqadmin(namesrv, 'resetOffsetByTime', '-g', 'progress_group', '-t', TOPIC, '-s', '0');
    expect(
      rows(toStart.stdout, 'broker-a')
        .map((cells) => cells.slice(1).map(Number))
        .sort(),
    ).toEqual([0, 1, 2, 3].map((q) => [q, 0]));
    const progress = await mqadmin(namesrv, 'consumerProgress', '-g', 'progress_group');
    expect(rows(progress.stdout, TOPIC).map((cells) => Number(cells[4]))).toEqual([0, 0, 0, 0]);
    expect(progress.stdout).toContain('Consume Diff Total: 28');

    const toMiddle = await mqadmin(
      namesrv,
      'resetOffsetByTime',
      '-g',
      'progress_group',
      '-t',
      TOPIC,
      '-s',
      String(betweenBatchesMs),
    );
    expect(
      rows(toMiddle.stdout, 'broker-a')
        .map((cells) => cells.slice(1).map(Number))
        .sort(),
    ).toEqual(firstBatch.map((count, q) => [q, count]));
    for (const [queueId, count] of firstBatch.entries()) {
      const reply = await remoting.invoke(
        brokerAddr,
        createRequest(RequestCode.QUERY_CONSUMER_OFFSET, {
          consumerGroup: 'progress_group',
          topic: TOPIC,
          queueId: String(queueId),
        }),
      );
      expect(reply.extFields['offset']).toBe(String(count));
    }
  }, 120_000);

  it('resetOffsetByTime -b -q -o sets one queue, and reports an offset out of range', async () => {
    const one = await mqadmin(
      namesrv,
      'resetOffsetByTime',
      '-g',
      'progress_group',
      '-t',
      TOPIC,
      '-b',
      brokerAddr,
      '-q',
      '2',
      '-o',
      '1',
      '-s',
      'now',
    );
    expect(one.stdout).toContain('reset consumer offset to 1');
    expect(cluster.broker.offsets.queryOffset('progress_group', TOPIC, 2)).toBe(1);
    const max = totals()[2] ?? 0;
    const tooFar = await mqadmin(
      namesrv,
      'resetOffsetByTime',
      '-g',
      'progress_group',
      '-t',
      TOPIC,
      '-b',
      brokerAddr,
      '-q',
      '2',
      '-o',
      '99',
      '-s',
      'now',
    );
    expect(tooFar.stderr).toContain(`CODE: 1  DESC: Target offset 99 not in consume queue range [0-${max}]`);
  }, 120_000);

  it('consumerConnection, consumerProgress show a live Java consumer that re-consumes on a pushed reset', async () => {
    const group = 'live_group';
    const consumer = spawn(
      'java',
      [
        ...JVM,
        '-cp',
        classpath,
        'cleanrocketmq.compat.ClientProbe',
        'consume',
        namesrv,
        group,
        TOPIC,
        '*',
        '0',
        '45000',
        ...FAST_CLIENT,
      ],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let output = '';
    consumer.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => consumer.on('close', () => resolve()));
    try {
      // Online and caught up: every queue's committed offset at its max (the client persists every 5 s).
      const deadline = Date.now() + 30_000;
      while (totals().some((total, q) => cluster.broker.offsets.queryOffset(group, TOPIC, q) !== total)) {
        if (Date.now() > deadline) throw new Error(`consumer did not catch up: ${output.split('\n').length} lines`);
        await sleep(200);
      }
      const connection = await mqadmin(namesrv, 'consumerConnection', '-g', group);
      const [client] = connection.stdout.split('\n').filter((line) => / JAVA +V5_5_0/.test(line));
      expect(client).toMatch(/^\S+@\S+\s+127\.0\.0\.1:\d+\s+JAVA\s+V5_5_0/);
      expect(rows(connection.stdout, TOPIC)).toEqual([[TOPIC, '*']]);
      expect(connection.stdout).toContain('MessageModel: CLUSTERING');

      // -s true asks each client for its running info (GET_CONSUMER_RUNNING_INFO relayed by the broker).
      const progress = await mqadmin(namesrv, 'consumerProgress', '-g', group, '-s', 'true');
      const queues = rows(progress.stdout, TOPIC);
      expect(queues).toHaveLength(4);
      for (const cells of queues) expect(cells[5]).not.toBe('N/A');

      const resetAt = Date.now();
      const reset = await mqadmin(namesrv, 'resetOffsetByTime', '-g', group, '-t', TOPIC, '-s', '0');
      expect(rows(reset.stdout, 'broker-a').map((cells) => Number(cells[2]))).toEqual([0, 0, 0, 0]);
      await exited;
      const deliveries = messageLines(
        output
          .trim()
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as ProbeLine),
      );
      const again = deliveries.filter((line) => Number(line['receivedAtMs']) >= resetAt);
      expect(deliveries).toHaveLength(56);
      expect(new Set(again.map((line) => line['msgId'])).size).toBe(28);
      expect(again.every((line) => line['delivery'] === 2)).toBe(true);
    } finally {
      if (consumer.exitCode === null) consumer.kill();
    }
  }, 180_000);

  it('updateSubGroup creates a group that getConsumerConfig shows; deleteSubGroup removes it', async () => {
    const created = await mqadmin(
      namesrv,
      'updateSubGroup',
      '-b',
      brokerAddr,
      '-g',
      'admin_sub_group',
      '-r',
      '5',
      '-q',
      '2',
      '-s',
      'false',
    );
    expect(created.stdout).toContain(`create subscription group to ${brokerAddr} success.`);
    expect(cluster.broker.groups.get('admin_sub_group')).toMatchObject({
      retryMaxTimes: 5,
      retryQueueNums: 2,
      consumeEnable: false,
    });
    const shown = await mqadmin(namesrv, 'getConsumerConfig', '-g', 'admin_sub_group');
    expect(shown.stdout).toMatch(/groupName\s+=\s+admin_sub_group/);
    expect(shown.stdout).toMatch(/retryMaxTimes\s+=\s+5/);
    expect(shown.stdout).toMatch(/consumeEnable\s+=\s+false/);

    const refused = await mqadmin(
      namesrv,
      'updateSubGroup',
      '-b',
      brokerAddr,
      '-g',
      'admin_sub_group2',
      '--attributes',
      '+foo=bar',
    );
    expect(refused.stderr).toContain('CODE: 1  DESC: unsupported key: foo');
    expect(cluster.broker.groups.has('admin_sub_group2')).toBe(false);

    const deleted = await mqadmin(namesrv, 'deleteSubGroup', '-b', brokerAddr, '-g', 'admin_sub_group', '-r', 'true');
    expect(deleted.stdout).toContain(
      `delete subscription group [admin_sub_group] from broker [${brokerAddr}] success.`,
    );
    expect(cluster.broker.groups.has('admin_sub_group')).toBe(false);
    expect((await mqadmin(namesrv, 'getConsumerConfig', '-g', 'admin_sub_group')).stdout).not.toContain(
      'admin_sub_group',
    );
  }, 120_000);
});
