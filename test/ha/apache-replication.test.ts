// Replication across implementations (docs/replication.md): our slave of an Apache RocketMQ 5.5.0
// master, and an Apache 5.5.0 slave of our master. The official Java producer sends 10,000 messages
// to the master; the slave's CommitLog files end byte-identical to the master's. About 2.5 minutes (two
// Apache JVMs): outside `npm test`, run by `npm run test:ha-apache` (HA_APACHE=1).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCode } from '../../ts/remoting/codes.js';
import { type ApacheRocketMq, startApacheRocketMq } from '../client/apache-cluster.js';
import { buildJavaProbes, startClientProbe } from '../compat/compat-fixtures.js';
import {
  type BrokerProcess,
  createTopic,
  differingFiles,
  eventually,
  invoke,
  maxOffset,
  removeDir,
  sendRequest,
  startBrokerProcess,
} from './ha-fixtures.js';

const TOTAL = 10_000;
const QUEUES = 4;
const FILE_SIZE = 16 * 1024 * 1024;

/** The sum of the topic's queue max offsets on a broker. */
async function stored(address: string, topic: string): Promise<number[]> {
  return Promise.all(Array.from({ length: QUEUES }, (_, q) => maxOffset(address, topic, q)));
}

async function produce(namesrv: string, topic: string): Promise<void> {
  const producer = startClientProbe('produce', namesrv, topic, String(TOTAL), 'batch', '--batch-size', '32', '--quiet');
  expect(await producer.exited).toBe(0);
  expect(producer.lines.at(-1)).toMatchObject({ done: true, sent: TOTAL });
}

/** Sends one message to the master until the slave holds it: the slave is connected from the log's start. */
async function warmUp(masterAddr: string, slaveAddr: string): Promise<void> {
  expect(await createTopic(masterAddr, 'HaWarmup', 1)).toBe(ResponseCode.SUCCESS);
  await createTopic(slaveAddr, 'HaWarmup', 1);
  expect((await invoke(masterAddr, sendRequest('HaWarmup', 'first'))).code).toBe(ResponseCode.SUCCESS);
  await eventually('the slave to connect', async () => (await maxOffset(slaveAddr, 'HaWarmup', 0)) === 1, 60_000);
}

describe.skipIf(process.env['HA_APACHE'] !== '1')('replication with Apache RocketMQ 5.5.0', () => {
  beforeAll(async () => {
    await buildJavaProbes();
  }, 600_000);

  describe('our slave of an Apache master', () => {
    let apache: ApacheRocketMq;
    let apacheStore: string;
    let slave: BrokerProcess;

    beforeAll(async () => {
      apacheStore = mkdtempSync(join(tmpdir(), 'clean-rocketmq-ha-apache-master-'));
      apache = await startApacheRocketMq({ storePathRootDir: apacheStore, mappedFileSizeCommitLog: FILE_SIZE });
      const haPort = Number(apache.brokerAddr.split(':')[1]) + 1;
      slave = await startBrokerProcess({
        namesrvAddr: apache.namesrvAddr,
        brokerRole: 'SLAVE',
        brokerId: 1,
        haMasterAddress: `127.0.0.1:${haPort}`,
        mappedFileSizeCommitLog: FILE_SIZE,
      });
    }, 600_000);

    afterAll(async () => {
      await slave?.stop();
      await apache?.stop();
      if (slave !== undefined) removeDir(slave.dir);
      removeDir(apacheStore);
    });

    it('replicates 10,000 messages byte for byte', async () => {
      await warmUp(apache.brokerAddr, slave.address);
      expect(await createTopic(apache.brokerAddr, 'FromApache', QUEUES)).toBe(ResponseCode.SUCCESS);
      expect(await createTopic(slave.address, 'FromApache', QUEUES)).toBe(ResponseCode.SUCCESS);
      await produce(apache.namesrvAddr, 'FromApache');
      const onMaster = await stored(apache.brokerAddr, 'FromApache');
      expect(onMaster.reduce((a, b) => a + b, 0)).toBe(TOTAL);
      await eventually(
        'our slave to hold every message',
        async () => JSON.stringify(await stored(slave.address, 'FromApache')) === JSON.stringify(onMaster),
        60_000,
      );
      await slave.stop();
      await apache.stop();
      expect(differingFiles(apacheStore, slave.dir, 'commitlog')).toEqual([]);
    }, 300_000);
  });

  describe('an Apache slave of our master', () => {
    let apache: ApacheRocketMq;
    let apacheStore: string;
    let master: BrokerProcess;

    // Apache's slave learns its master's HA address from its name server (it ignores haMasterAddress
    // here), so our master registers with Apache's name server; 10 s is Apache's shortest period.
    beforeAll(async () => {
      apacheStore = mkdtempSync(join(tmpdir(), 'clean-rocketmq-ha-apache-slave-'));
      apache = await startApacheRocketMq({
        storePathRootDir: apacheStore,
        mappedFileSizeCommitLog: FILE_SIZE,
        brokerRole: 'SLAVE',
        brokerId: 1,
        registerNameServerPeriod: 10_000,
      });
      master = await startBrokerProcess({ namesrvAddr: apache.namesrvAddr, mappedFileSizeCommitLog: FILE_SIZE });
    }, 600_000);

    afterAll(async () => {
      await apache?.stop();
      await master?.stop();
      if (master !== undefined) removeDir(master.dir);
      removeDir(apacheStore);
    });

    it('replicates 10,000 messages byte for byte', async () => {
      await warmUp(master.address, apache.brokerAddr).catch((error: unknown) => {
        throw new Error(`${String(error)}; master log: ${master.logs.filter((l) => l.includes('replic')).join('\n')}`);
      });
      expect(await createTopic(master.address, 'ToApache', QUEUES)).toBe(ResponseCode.SUCCESS);
      await produce(apache.namesrvAddr, 'ToApache');
      const onMaster = await stored(master.address, 'ToApache');
      expect(onMaster.reduce((a, b) => a + b, 0)).toBe(TOTAL);
      await eventually(
        'the Apache slave to hold every message',
        async () => JSON.stringify(await stored(apache.brokerAddr, 'ToApache')) === JSON.stringify(onMaster),
        60_000,
      );
      await apache.stop();
      await master.stop();
      expect(differingFiles(master.dir, apacheStore, 'commitlog')).toEqual([]);
    }, 300_000);
  });
});
