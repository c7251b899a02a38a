// The official Java push consumer 5.5.0 in POP mode (test/compat/java PopProbe: clientRebalance=false, the
// group set to POP with SET_MESSAGE_REQUEST_MODE as `mqadmin setConsumeMode` sends it) against our broker,
// or with CLIENT_TEST_TARGET=apache against Apache RocketMQ 5.5.0: two consumers of one group share 1,000
// messages with no duplicates; RECONSUME_LATER brings a message back with reconsumeTimes 1, 2 after the
// client's pop delays (10 s, 30 s); messages held by a consumer killed with SIGKILL come back to another after
// the invisible time; past the group's retryMaxTimes our broker dead-letters it. Lower time bounds, generous waits.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../ts/client/admin/admin.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import { startApacheRocketMq } from '../client/apache-cluster.js';
import { clusterTarget, createTopic, uniqueName } from '../client/client-fixtures.js';
import {
  buildJavaProbes,
  clientProbe,
  type CompatCluster,
  type ProbeLine,
  type RunningProbe,
  startCompatCluster,
  startJavaProbe,
} from './compat-fixtures.js';

interface Target {
  readonly namesrv: string;
  readonly brokerAddr: string;
  /** Our broker (in this process); undefined for Apache RocketMQ. */
  readonly ours?: CompatCluster;
  stop(): Promise<void>;
}

async function startTarget(): Promise<Target> {
  if (clusterTarget() === 'apache') {
    const apache = await startApacheRocketMq({});
    return { namesrv: apache.namesrvAddr, brokerAddr: apache.brokerAddr, stop: () => apache.stop() };
  }
  const cluster = await startCompatCluster();
  const brokerAddr = `127.0.0.1:${cluster.broker.port}`;
  return { namesrv: cluster.namesrv, brokerAddr, ours: cluster, stop: () => cluster.stop() };
}

const deliveries = (lines: readonly ProbeLine[]): ProbeLine[] => lines.filter((line) => line['msgId'] !== undefined);

describe('compat: the official Java push consumer in POP mode', () => {
  let target: Target;
  const probes: RunningProbe[] = [];

  beforeAll(async () => {
    await buildJavaProbes();
    target = await startTarget();
  }, 600_000);

  afterAll(async () => {
    for (const probe of probes) probe.kill();
    await target?.stop();
  });

  /** A topic of `queueNums` queues and a group set to POP on it (popShareQueueNum 0: every queue). */
  async function popTopic(queueNums: number): Promise<{ topic: string; group: string }> {
    const topic = uniqueName('PopJava');
    const group = uniqueName('pop_group');
    const admin = new Admin({ namesrvAddr: target.namesrv, clientIp: '127.0.0.1', logger: createMemoryLogger() });
    await admin.startup();
    try {
      await createTopic(admin, topic, queueNums);
    } finally {
      await admin.shutdown();
    }
    const set = startJavaProbe('PopProbe', 'setMode', target.namesrv, target.brokerAddr, topic, group, 'POP', '0');
    expect(await set.exited).toBe(0);
    expect(set.lines.at(-1)).toEqual({ done: true });
    return { topic, group };
  }

  function consumer(group: string, topic: string, expected: number, ...options: string[]): RunningProbe {
    const probe = startJavaProbe(
      'PopProbe',
      'consume',
      target.namesrv,
      group,
      topic,
      String(expected),
      '180000',
      ...options,
    );
    probes.push(probe);
    return probe;
  }

  const started = (probe: RunningProbe) =>
    probe.waitFor('the consumer to start', (lines) => lines.some((line) => line['started'] === true), 60_000);

  it('two consumers of one group share 1,000 messages with no duplicates', async () => {
    const { topic, group } = await popTopic(4);
    const first = consumer(group, topic, 0, '--stop-on-stdin', '--consume-delay-ms', '5', '--instance', 'pop-a');
    const second = consumer(group, topic, 0, '--stop-on-stdin', '--consume-delay-ms', '5', '--instance', 'pop-b');
    await Promise.all([started(first), started(second)]);
    const produced = await clientProbe('produce', target.namesrv, topic, '1000', 'sync', '--quiet');
    expect(produced.at(-1)).toMatchObject({ done: true, sent: 1000 });
    const distinct = (): number =>
      new Set([...deliveries(first.lines), ...deliveries(second.lines)].map((line) => line['msgId'])).size;
    await first.waitFor('1,000 messages consumed by the group', () => distinct() >= 1000, 120_000);
    const [firstExit, secondExit] = await Promise.all([first.stop(), second.stop()]);
    expect([firstExit, secondExit]).toEqual([0, 0]);
    const byFirst = deliveries(first.lines).map((line) => line['msgId'] as string);
    const bySecond = deliveries(second.lines).map((line) => line['msgId'] as string);
    expect(byFirst.length + bySecond.length).toBe(1000);
    expect(new Set([...byFirst, ...bySecond]).size).toBe(1000);
    expect(byFirst.length).toBeGreaterThan(0);
    expect(bySecond.length).toBeGreaterThan(0);
    for (const probe of [first, second]) expect(probe.lines.at(-1)).toMatchObject({ done: true, duplicates: 0 });
  }, 300_000);

  it('RECONSUME_LATER brings the message back with reconsumeTimes 1, then 2, after the pop delays', async () => {
    const { topic, group } = await popTopic(2);
    const probe = consumer(group, topic, 1, '--reconsume-later', '2');
    await started(probe);
    await clientProbe('produce', target.namesrv, topic, '1', 'sync');
    expect(await probe.exited).toBe(0);
    const seen = deliveries(probe.lines);
    expect(seen.map((line) => [line['reconsumeTimes'], line['result']])).toEqual([
      [0, 'RECONSUME_LATER'],
      [1, 'RECONSUME_LATER'],
      [2, 'CONSUME_SUCCESS'],
    ]);
    const at = seen.map((line) => line['receivedAtMs'] as number);
    // The client's pop delay levels: 10 s after the first failure, 30 s after the second.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(9_500);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(29_500);
  }, 240_000);

  it('messages held by a consumer killed with SIGKILL come back to another after the invisible time', async () => {
    const { topic, group } = await popTopic(2);
    await clientProbe('produce', target.namesrv, topic, '10', 'sync');
    const holder = consumer(group, topic, 0, '--hold', '--invisible-ms', '5000');
    await holder.waitFor('10 messages held', (lines) => deliveries(lines).length >= 10, 60_000);
    holder.kill();
    await holder.exited;
    // The holder's popTime, from each receipt handle (`ckOffset popTime invisibleTime …`, docs/pop.md §2).
    const popTime = (line: ProbeLine): number => Number((line['popCk'] as string).split(' ')[1]);
    const heldAt = new Map(deliveries(holder.lines).map((line) => [line['msgId'], popTime(line)]));
    expect(heldAt.size).toBe(10);

    const survivor = consumer(group, topic, 10);
    expect(await survivor.exited).toBe(0);
    const again = deliveries(survivor.lines);
    expect(new Set(again.map((line) => line['msgId']))).toEqual(new Set(heldAt.keys()));
    for (const line of again) {
      expect(line['reconsumeTimes']).toBeGreaterThanOrEqual(1);
      // Not before the holder's invisible time (5 s from its pop on the broker's clock, this machine's) ended.
      expect(line['receivedAtMs'] as number).toBeGreaterThanOrEqual(heldAt.get(line['msgId'])! + 5_000);
    }
  }, 240_000);

  // Apache 5.5.0's broker-side revive keeps re-storing to the pop retry topic (docs/pop-clients.md §3).
  it.skipIf(clusterTarget() === 'apache')(
    "past the group's retryMaxTimes the revive moves the message to %DLQ%<group>",
    async () => {
      const { topic, group } = await popTopic(2);
      const admin = new RemotingClient({ logger: createMemoryLogger() });
      const body = Buffer.from(JSON.stringify({ groupName: group, retryMaxTimes: 1 }));
      const update = createRequest(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, body);
      expect((await admin.invoke(target.brokerAddr, update, 5000)).code).toBe(ResponseCode.SUCCESS);
      await admin.close();
      const probe = consumer(group, topic, 0, '--reconsume-later', '1000', '--stop-on-stdin');
      await started(probe);
      await clientProbe('produce', target.namesrv, topic, '1', 'sync');
      const store = () => target.ours!.broker.store;
      const dlq = `%DLQ%${group}`;
      await probe.waitFor('the message in the DLQ', () => store().getMaxOffsetInQueue(dlq, 0) >= 1, 150_000);
      expect(await probe.stop()).toBe(0);
      // Deliveries with reconsumeTimes 0 and 1 (retryMaxTimes), then none: the message is dead-lettered.
      expect(deliveries(probe.lines).map((line) => line['reconsumeTimes'])).toEqual([0, 1]);
      expect(store().getMaxOffsetInQueue(dlq, 0)).toBe(1);
    },
    240_000,
  );
});
