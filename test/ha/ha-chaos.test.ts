// SYNC_MASTER under load with kill -9 of the master (docs/replication.md §4): the official Java producer
// sends 20,000 messages asynchronously (thousands in flight) to our SYNC_MASTER; a third of the way in the
// master is killed with SIGKILL. Every message the producer got SEND_OK for is on the slave and a Java
// push consumer receives it from there: zero acknowledged messages lost. In `npm test` once with 5,000
// messages; `npm run test:ha-chaos` (HA_CHAOS=1) runs the 20,000-message form five times in a row.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCode } from '../../ts/remoting/codes.js';
import type { Registry } from '../../ts/registry/server/registry.js';
import { buildJavaProbes, FAST_CLIENT, startClientProbe } from '../compat/compat-fixtures.js';
import { startTestRegistry } from '../registry/registry-fixtures.js';
import { freePort } from '../support/free-port.js';
import {
  type BrokerProcess,
  createTopic,
  eventually,
  invoke,
  maxOffset,
  removeDir,
  sendRequest,
  startBrokerProcess,
} from './ha-fixtures.js';

const TOTAL = process.env['HA_CHAOS'] === '1' ? 20_000 : 5000;
const TOPIC = 'ChaosTopic';
const QUEUES = 8;

describe('replication chaos: SYNC_MASTER killed under load', () => {
  let registry: Registry;
  let namesrv: string;
  let master: BrokerProcess;
  let slave: BrokerProcess;

  beforeAll(async () => {
    await buildJavaProbes();
    ({ registry, address: namesrv } = await startTestRegistry());
    const haListenPort = await freePort();
    master = await startBrokerProcess({ namesrvAddr: namesrv, brokerRole: 'SYNC_MASTER', haListenPort });
    slave = await startBrokerProcess({ namesrvAddr: namesrv, brokerRole: 'SLAVE', brokerId: 1 });
  }, 600_000);

  afterAll(async () => {
    await slave?.stop();
    await master?.kill9();
    await registry?.stop();
    for (const broker of [master, slave]) if (broker !== undefined) removeDir(broker.dir);
  });

  it('loses no acknowledged message', async () => {
    expect(await createTopic(master.address, TOPIC, QUEUES)).toBe(ResponseCode.SUCCESS);
    await eventually(
      'a send the slave confirms',
      async () => (await invoke(master.address, sendRequest('ChaosWarmup', 'w'))).code === ResponseCode.SUCCESS,
      30_000,
    );
    const producer = startClientProbe('produce', namesrv, TOPIC, String(TOTAL), 'async', '--send-timeout-ms', '5000');
    await producer.waitFor('a third acknowledged', (lines) => lines.length >= TOTAL / 3, 120_000);
    await master.kill9();
    await producer.exited;
    const acked = producer.lines.filter((line) => line['status'] === 'SEND_OK').map((line) => Number(line['i']));
    expect(acked.length).toBeGreaterThanOrEqual(TOTAL / 3);

    const onSlave = (await Promise.all(Array.from({ length: QUEUES }, (_, q) => maxOffset(slave.address, TOPIC, q))))
      .filter((offset) => offset > 0)
      .reduce((a, b) => a + b, 0);
    expect(onSlave).toBeGreaterThanOrEqual(acked.length);
    const consumer = startClientProbe(
      'consume',
      namesrv,
      'chaos_group',
      TOPIC,
      '*',
      String(onSlave),
      '90000',
      '--quiet',
      ...FAST_CLIENT,
    );
    expect(await consumer.exited).toBe(0);
    const ranges = (consumer.lines.at(-1)?.['indexRanges'] ?? []) as Array<[number, number]>;
    const received = (i: number): boolean => ranges.some(([from, to]) => i >= from && i <= to);
    expect(acked.filter((i) => !received(i))).toEqual([]);
  }, 300_000);
});
