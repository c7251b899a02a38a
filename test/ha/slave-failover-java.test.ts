// Consumers keep consuming from the slave once the master is gone (docs/replication.md): the official
// Java producer sends 5,000 messages to our ASYNC_MASTER; once the slave holds them all, the master is
// killed with SIGKILL; a Java push consumer started after that receives every message from the slave.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCode } from '../../ts/remoting/codes.js';
import type { Registry } from '../../ts/registry/server/registry.js';
import { buildJavaProbes, FAST_CLIENT, startClientProbe } from '../compat/compat-fixtures.js';
import { startTestRegistry } from '../registry/registry-fixtures.js';
import {
  type BrokerProcess,
  createTopic,
  eventually,
  maxOffset,
  removeDir,
  startBrokerProcess,
} from './ha-fixtures.js';

const TOTAL = 5000;
const TOPIC = 'FailoverTopic';
const QUEUES = 4;

describe('replication: consuming from the slave after the master is killed', () => {
  let registry: Registry;
  let namesrv: string;
  let master: BrokerProcess;
  let slave: BrokerProcess;

  beforeAll(async () => {
    await buildJavaProbes();
    ({ registry, address: namesrv } = await startTestRegistry());
    master = await startBrokerProcess({ namesrvAddr: namesrv, brokerRole: 'ASYNC_MASTER' });
    slave = await startBrokerProcess({ namesrvAddr: namesrv, brokerRole: 'SLAVE', brokerId: 1 });
  }, 600_000);

  afterAll(async () => {
    await slave?.stop();
    await master?.kill9();
    await registry?.stop();
    for (const broker of [master, slave]) if (broker !== undefined) removeDir(broker.dir);
  });

  it('a Java push consumer receives every message from the slave', async () => {
    expect(await createTopic(master.address, TOPIC, QUEUES)).toBe(ResponseCode.SUCCESS);
    const producer = startClientProbe(
      'produce',
      namesrv,
      TOPIC,
      String(TOTAL),
      'batch',
      '--batch-size',
      '32',
      '--quiet',
    );
    expect(await producer.exited).toBe(0);
    const offsets = async (address: string) =>
      JSON.stringify(await Promise.all(Array.from({ length: QUEUES }, (_, q) => maxOffset(address, TOPIC, q))));
    const onMaster = await offsets(master.address);
    await eventually(
      'the slave to hold every message',
      async () => (await offsets(slave.address)) === onMaster,
      60_000,
    );

    await master.kill9();
    const consumer = startClientProbe(
      'consume',
      namesrv,
      'failover_group',
      TOPIC,
      '*',
      String(TOTAL),
      '90000',
      '--quiet',
      '--from',
      'first',
      ...FAST_CLIENT,
    );
    expect(await consumer.exited).toBe(0);
    const done = consumer.lines.at(-1);
    expect(done).toMatchObject({ done: true });
    expect(done?.['indexRanges']).toEqual([[0, TOTAL - 1]]);
  }, 180_000);
});
