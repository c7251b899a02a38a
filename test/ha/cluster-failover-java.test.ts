// The two-group cluster of scripts/cluster.sh (docs/replication.md §9) under the official Java clients: two
// registries, broker-a and broker-b (SYNC_MASTER + SLAVE each). The Java producer sends through both
// registries; then broker-a's master and registry-1 are killed with SIGKILL, and a Java push consumer started
// after that receives every acknowledged message, from broker-b and from broker-a's slave.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import { buildJavaProbes, FAST_CLIENT, startClientProbe } from '../compat/compat-fixtures.js';
import { createTopic, eventually, invoke, maxOffset, removeDir, sendRequest, topicRoute } from './ha-fixtures.js';

const TOTAL = 2000;
const TOPIC = 'ClusterTopic';
const QUEUES = 4;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const script = join(repo, 'scripts', 'cluster.sh');
const run = promisify(execFile);

function cluster(command: 'start' | 'stop', dir: string) {
  const env = {
    ...process.env,
    NAMESRV_ADDR: '',
    CLEAN_ROCKETMQ_CLI: `${process.execPath} --import tsx ${join(repo, 'ts', 'cli', 'main.ts')}`,
    CLUSTER_MASTER_ROLE: 'SYNC_MASTER',
    CLUSTER_EXTRA_CONF: 'mappedFileSizeCommitLog=16777216\nmaxHashSlotNum=1024\nmaxIndexNum=4096',
  };
  return run('bash', [script, command, dir], { env, cwd: repo, timeout: 240_000 });
}

/** A Java client that asks the dead registry first fails to start (half the starts); each retry is a new JVM. */
const CONSUMER_START_ATTEMPTS = 8;

/**
 * The Java push consumer over both registries, from the first offset. A client whose first registry call
 * picks the dead registry fails to start (the Java client reports the connect error): it is started again,
 * under a fresh group so that nothing the failed one consumed is skipped.
 */
async function consumeAll(namesrv: string) {
  for (let attempt = 1; ; attempt++) {
    const consumer = startClientProbe(
      'consume',
      namesrv,
      `cluster_group_${attempt}`,
      TOPIC,
      '*',
      String(TOTAL),
      '90000',
      '--quiet',
      '--from',
      'first',
      ...FAST_CLIENT,
    );
    const exitCode = await consumer.exited;
    const last = consumer.lines.at(-1);
    const error = last?.['error'];
    const connectFailure = typeof error === 'string' && error.includes('RemotingConnectException');
    if (exitCode === 0 || !connectFailure || attempt === CONSUMER_START_ATTEMPTS) {
      expect(last).toMatchObject({ done: true });
      return consumer;
    }
  }
}

describe('cluster.sh: two registries, two groups, failover under the Java clients', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-cluster-'));
  const file = (name: string): string => readFileSync(join(dir, name), 'utf8').trim();
  let started = '';

  beforeAll(async () => {
    await buildJavaProbes();
    started = (await cluster('start', dir)).stdout;
  }, 600_000);

  afterAll(async () => {
    await cluster('stop', dir);
    removeDir(dir);
  }, 120_000);

  it('prints every process and both registries', () => {
    for (const name of ['registry-1', 'registry-2', 'broker-a-master', 'broker-a-slave', 'broker-b-master'])
      expect(started).toMatch(new RegExp(`^${name} 127\\.0\\.0\\.1:\\d+ pid \\d+$`, 'm'));
    expect(file('namesrv.addr')).toBe(`${file('registry-1.addr')};${file('registry-2.addr')}`);
  });

  it('consumes every acknowledged message after kill -9 of broker-a master and of registry-1', async () => {
    const namesrv = file('namesrv.addr');
    const masters = [file('broker-a-master.addr'), file('broker-b-master.addr')];
    for (const master of masters) {
      expect(await createTopic(master, TOPIC, QUEUES)).toBe(ResponseCode.SUCCESS);
      await eventually(
        `a send the slave of ${master} confirms`,
        async () => (await invoke(master, sendRequest('ClusterWarmup', 'w'))).code === ResponseCode.SUCCESS,
        60_000,
      );
    }
    const producer = startClientProbe('produce', namesrv, TOPIC, String(TOTAL), 'sync');
    expect(await producer.exited).toBe(0);
    const acked = producer.lines.filter((line) => line['status'] === 'SEND_OK').map((line) => Number(line['i']));
    expect(acked.length).toBe(TOTAL);
    const stored = async (address: string) =>
      (await Promise.all(Array.from({ length: QUEUES }, (_, q) => maxOffset(address, TOPIC, q)))).join(',');
    for (const master of masters) expect(await stored(master)).not.toBe('0,0,0,0');
    const onMasterA = await stored(masters[0]!);
    await eventually(
      'broker-a slave to hold the topic',
      async () => (await stored(file('broker-a-slave.addr'))) === onMasterA,
      60_000,
    );

    // GET_BROKER_HA_STATUS (docs/replication.md §10): the master's in-sync slave, the slave's client state.
    const haStatus = async (address: string) => {
      const reply = await invoke(address, createRequest(RequestCode.GET_BROKER_HA_STATUS, {}));
      expect(reply.code).toBe(ResponseCode.SUCCESS);
      return JSON.parse(reply.body?.toString('utf8') ?? '{}') as Record<string, unknown>;
    };
    const onMaster = await haStatus(masters[0]!);
    expect(onMaster).toMatchObject({ master: true, inSyncSlaveNums: 1 });
    expect(onMaster['masterCommitLogMaxOffset']).toBeGreaterThan(0);
    const onSlave = await haStatus(file('broker-a-slave.addr'));
    expect(onSlave).toMatchObject({ master: false, haClientRuntimeInfo: { activated: true } });
    expect((onSlave['haClientRuntimeInfo'] as { maxOffset: number }).maxOffset).toBeGreaterThan(0);
    // A slave copies its master's topics every 10 s (docs/replication.md §6); without the topic it serves no pull.
    await eventually(
      'broker-a slave to know the topic',
      async () => {
        const reply = await invoke(file('broker-a-slave.addr'), createRequest(RequestCode.GET_ALL_TOPIC_CONFIG, {}));
        return reply.body?.toString('utf8').includes(`"${TOPIC}"`) === true;
      },
      60_000,
    );
    process.kill(Number(file('broker-a-master.pid')), 'SIGKILL');
    process.kill(Number(file('registry-1.pid')), 'SIGKILL');
    await eventually(
      'registry-2 to route broker-a to its slave only',
      async () => {
        const route = await topicRoute(file('registry-2.addr'), TOPIC);
        const groupA = route.brokerDatas.find((data) => data.brokerName === 'broker-a');
        return groupA !== undefined && groupA.brokerAddrs['0'] === undefined;
      },
      60_000,
    );
    const consumer = await consumeAll(namesrv);
    const ranges = (consumer.lines.at(-1)?.['indexRanges'] ?? []) as Array<[number, number]>;
    const received = (i: number): boolean => ranges.some(([from, to]) => i >= from && i <= to);
    expect(acked.filter((i) => !received(i))).toEqual([]);
  }, 300_000);
});
