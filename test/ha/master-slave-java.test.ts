// Our master and our slave (docs/replication.md), two `clean-rocketmq broker -c` processes: the slave
// registers under the master's brokerName with brokerId 1 and the route lists both; the official Java
// producer sends 100,000 messages to the master; the slave's CommitLog and ConsumeQueue files end
// byte-identical to the master's; the slave copies the master's topics and consumer offsets, serves
// pulls (the master, with slaveReadEnable, suggests it) and refuses sends with SERVICE_NOT_AVAILABLE.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import type { Registry } from '../../ts/registry/server/registry.js';
import { buildJavaProbes, startClientProbe } from '../compat/compat-fixtures.js';
import { startTestRegistry } from '../registry/registry-fixtures.js';
import {
  type BrokerProcess,
  createTopic,
  differingFiles,
  eventually,
  invoke,
  maxOffset,
  pullRequest,
  removeDir,
  sendRequest,
  startBrokerProcess,
  topicRoute,
} from './ha-fixtures.js';

const TOTAL = 100_000;
const TOPIC = 'HaTopic';
const QUEUES = 8;

describe('replication: our ASYNC_MASTER and our SLAVE with the official Java producer', () => {
  let registry: Registry;
  let namesrv: string;
  let master: BrokerProcess;
  let slave: BrokerProcess;

  beforeAll(async () => {
    await buildJavaProbes();
    ({ registry, address: namesrv } = await startTestRegistry());
    master = await startBrokerProcess({ namesrvAddr: namesrv, brokerRole: 'ASYNC_MASTER', slaveReadEnable: 'true' });
    slave = await startBrokerProcess({ namesrvAddr: namesrv, brokerRole: 'SLAVE', brokerId: 1 });
  }, 600_000);

  afterAll(async () => {
    await slave?.stop();
    await master?.stop();
    await registry?.stop();
    for (const broker of [master, slave]) if (broker !== undefined) removeDir(broker.dir);
  });

  it('replicates 100,000 messages byte for byte; the slave serves pulls and refuses sends', async () => {
    expect(await createTopic(master.address, TOPIC, QUEUES)).toBe(ResponseCode.SUCCESS);
    await eventually(
      'the route to list the master and the slave',
      async () => {
        const route = await topicRoute(namesrv, TOPIC).catch(() => null);
        const addrs = route?.brokerDatas.find((data) => data.brokerName === 'broker-a')?.brokerAddrs;
        return addrs?.[0] === master.address && addrs?.[1] === slave.address;
      },
      30_000,
    );
    // One message first, on the slave before the load: the slave replicates from the log's first byte
    // (an empty slave that connects late starts at the master's last file, as RocketMQ's does).
    expect(await createTopic(master.address, 'HaWarmup', 1)).toBe(ResponseCode.SUCCESS);
    expect((await invoke(master.address, sendRequest('HaWarmup', 'first'))).code).toBe(ResponseCode.SUCCESS);
    await eventually('the slave to connect', async () => (await maxOffset(slave.address, 'HaWarmup', 0)) === 1, 30_000);
    const producer = startClientProbe(
      'produce',
      namesrv,
      TOPIC,
      String(TOTAL),
      'batch',
      '--batch-size',
      '64',
      '--quiet',
      '--progress-ms',
      '1000',
    );
    expect(await producer.exited).toBe(0);
    expect(producer.lines.at(-1)).toMatchObject({ done: true, sent: TOTAL });

    const offsets = async (address: string) =>
      Promise.all(Array.from({ length: QUEUES }, (_, q) => maxOffset(address, TOPIC, q)));
    const onMaster = await offsets(master.address);
    expect(onMaster.reduce((a, b) => a + b, 0)).toBe(TOTAL);
    await eventually(
      'the slave to hold every message',
      async () => JSON.stringify(await offsets(slave.address)) === JSON.stringify(onMaster),
      60_000,
    );

    const pulled = await invoke(slave.address, pullRequest(TOPIC, 3, 0));
    expect([pulled.code, pulled.remark, pulled.extFields['nextBeginOffset']]).toEqual([
      ResponseCode.SUCCESS,
      'FOUND',
      '32',
    ]);
    const records = decodeStoredRecords(pulled.body ?? Buffer.alloc(0));
    expect(records).toHaveLength(32);
    expect(records[0]?.topic).toBe(TOPIC);

    // slaveReadEnable: a pull suggests the group's brokerId (here the slave, 1).
    const group = { groupName: 'ha_check_group', brokerId: 1 };
    const update = createRequest(
      RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
      {},
      Buffer.from(JSON.stringify(group)),
    );
    expect((await invoke(master.address, update)).code).toBe(ResponseCode.SUCCESS);
    const fromMaster = await invoke(master.address, pullRequest(TOPIC, 3, 0));
    expect([fromMaster.code, fromMaster.extFields['suggestWhichBrokerId']]).toEqual([ResponseCode.SUCCESS, '1']);

    // Metadata sync (every 10 s): a consumer offset committed on the master reaches the slave.
    const offsetHeader = { consumerGroup: 'ha_group', topic: TOPIC, queueId: '2' };
    const commit = createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, { ...offsetHeader, commitOffset: '77' });
    expect((await invoke(master.address, commit)).code).toBe(ResponseCode.SUCCESS);
    await eventually(
      'the offset on the slave',
      async () => {
        const reply = await invoke(slave.address, createRequest(RequestCode.QUERY_CONSUMER_OFFSET, offsetHeader));
        return reply.code === ResponseCode.SUCCESS && reply.extFields['offset'] === '77';
      },
      30_000,
    );

    const refused = await invoke(slave.address, sendRequest(TOPIC, 'to the slave'));
    expect(refused.code).toBe(ResponseCode.SERVICE_NOT_AVAILABLE);
    expect(refused.remark).toContain('messages are put to the slave');

    await slave.stop();
    await master.stop();
    expect(differingFiles(master.dir, slave.dir, 'commitlog')).toEqual([]);
    expect(differingFiles(master.dir, slave.dir, `consumequeue/${TOPIC}`)).toEqual([]);
  }, 300_000);
});
