// SYNC_MASTER (docs/replication.md §4): a send is answered once a slave has confirmed it. With no slave
// it is stored and answered SLAVE_NOT_AVAILABLE (11); with a slave that connects but never confirms,
// FLUSH_SLAVE_TIMEOUT (12) after slaveTimeout; with our slave, SUCCESS, and the official Java producer's
// 10,000 messages are all SEND_OK and all on the slave when the producer is done.

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCode } from '../../ts/remoting/codes.js';
import type { Registry } from '../../ts/registry/server/registry.js';
import { buildJavaProbes, startClientProbe } from '../compat/compat-fixtures.js';
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

const TOTAL = 10_000;
const TOPIC = 'SyncTopic';

describe('replication: SYNC_MASTER', () => {
  let registry: Registry;
  let namesrv: string;
  let haPort: number;
  let master: BrokerProcess;
  let slave: BrokerProcess | undefined;

  beforeAll(async () => {
    await buildJavaProbes();
    ({ registry, address: namesrv } = await startTestRegistry());
    haPort = await freePort();
    const keys = { namesrvAddr: namesrv, brokerRole: 'SYNC_MASTER', haListenPort: haPort, slaveTimeout: 1000 };
    master = await startBrokerProcess(keys);
    expect(await createTopic(master.address, TOPIC, 4)).toBe(ResponseCode.SUCCESS);
  }, 600_000);

  afterAll(async () => {
    await slave?.stop();
    await master?.stop();
    await registry?.stop();
    for (const broker of [master, slave]) if (broker !== undefined) removeDir(broker.dir);
  });

  it('answers SLAVE_NOT_AVAILABLE without a slave; the message is stored', async () => {
    const reply = await invoke(master.address, sendRequest(TOPIC, 'no slave'));
    expect(reply.code).toBe(ResponseCode.SLAVE_NOT_AVAILABLE);
    expect(reply.extFields['msgId']).toMatch(/^[0-9A-F]{32}$/);
    expect(await maxOffset(master.address, TOPIC, 0)).toBe(1);
  });

  it('answers FLUSH_SLAVE_TIMEOUT when the connected slave never confirms', async () => {
    const silent = connect(haPort, '127.0.0.1');
    try {
      await new Promise<void>((resolve, reject) => silent.once('connect', resolve).once('error', reject));
      silent.write(Buffer.alloc(8)); // reports offset 0, then reads nothing and confirms nothing
      silent.on('data', () => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      const reply = await invoke(master.address, sendRequest(TOPIC, 'silent slave'));
      expect(reply.code).toBe(ResponseCode.FLUSH_SLAVE_TIMEOUT);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(reply.extFields['queueOffset']).toBe('1');
    } finally {
      silent.destroy();
    }
  });

  it("answers SUCCESS once our slave confirms; the Java producer's 10,000 sends all reach the slave", async () => {
    slave = await startBrokerProcess({ namesrvAddr: namesrv, brokerRole: 'SLAVE', brokerId: 1 });
    expect(await createTopic(slave.address, TOPIC, 4)).toBe(ResponseCode.SUCCESS);
    await eventually(
      'a send the slave confirms',
      async () => (await invoke(master.address, sendRequest(TOPIC, 'slave up'))).code === ResponseCode.SUCCESS,
      30_000,
    );
    const producer = startClientProbe(
      'produce',
      namesrv,
      TOPIC,
      String(TOTAL),
      'batch',
      '--batch-size',
      '16',
      '--quiet',
    );
    expect(await producer.exited).toBe(0);
    expect(producer.lines.at(-1)).toMatchObject({ done: true, sent: TOTAL });
    // Every acknowledged message was on the slave when its reply left: compare right away, no waiting.
    const stored = async (address: string) => {
      const offsets = await Promise.all([0, 1, 2, 3].map((q) => maxOffset(address, TOPIC, q)));
      return offsets.reduce((a, b) => a + b, 0);
    };
    const onMaster = await stored(master.address);
    expect(onMaster).toBeGreaterThanOrEqual(TOTAL);
    expect(await stored(slave.address)).toBe(onMaster);
  }, 180_000);
});
