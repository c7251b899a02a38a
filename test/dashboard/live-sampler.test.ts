// LiveSampler on a fake clock and a scripted backend: TPS from the change of the put/get totals and
// of a topic's summed max offsets, a total that goes back read as 0, groups without progress left
// out, the history bounded, and a failing backend logged without stopping the sampler.

import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import type { BrokerView, DashboardBackend, GroupView, TopicView } from '../../ts/dashboard/dashboard-backend.js';
import { HISTORY_SAMPLES } from '../../ts/dashboard/dashboard-limits.js';
import { LiveSampler, type LiveSnapshot } from '../../ts/dashboard/live-sampler.js';
import { FakeScheduler } from '../support/fake-scheduler.js';

class ScriptedBackend implements DashboardBackend {
  readonly mode = 'test';
  putTotal = 0;
  getTotal = 0;
  topicOffset = 0;
  fail = false;

  brokers(): Promise<BrokerView[]> {
    if (this.fail) return Promise.reject(new Error('broker unreachable'));
    const broker = { cluster: 'c', brokerName: 'b', brokerId: 0, address: 'h:1', role: 'MASTER', version: 'V5_5_0' };
    return Promise.resolve([{ ...broker, putTotal: this.putTotal, getTotal: this.getTotal }]);
  }
  topics(): Promise<TopicView[]> {
    const queues = [{ brokerName: 'b', queueId: 0, minOffset: 0, maxOffset: this.topicOffset }];
    return Promise.resolve([
      { topic: 'T', system: false, queues, messageCount: this.topicOffset, totalOffset: this.topicOffset },
    ]);
  }
  groups(): Promise<string[]> {
    return Promise.resolve(['G', 'Idle']);
  }
  group(group: string): Promise<GroupView> {
    const queues =
      group === 'G' ? [{ topic: 'T', brokerName: 'b', queueId: 0, brokerOffset: 10, consumerOffset: 4, lag: 6 }] : [];
    return Promise.resolve({ group, connections: [], messageModel: '', subscriptions: [], queues, lag: 6 });
  }
  createTopic = (): Promise<void> => Promise.resolve();
  deleteTopic = (): Promise<void> => Promise.resolve();
  resetOffset = (): Promise<void> => Promise.resolve();
  searchMessages = () => Promise.resolve([]);
  deliveries = () => Promise.resolve([]);
  producers = () => Promise.resolve([]);
  close = (): Promise<void> => Promise.resolve();
}

function sampler(backend: ScriptedBackend, scheduler: FakeScheduler) {
  const pushed: LiveSnapshot[] = [];
  const logger = createMemoryLogger();
  return { live: new LiveSampler(backend, scheduler, logger, (s) => pushed.push(s)), pushed, logger };
}

describe('dashboard: LiveSampler', () => {
  it('derives TPS in/out and topic TPS from the change of totals per second', async () => {
    const backend = new ScriptedBackend();
    const scheduler = new FakeScheduler();
    const { live, pushed } = sampler(backend, scheduler);
    await live.sample();
    backend.putTotal = 500;
    backend.getTotal = 200;
    backend.topicOffset = 300;
    scheduler.advance(2000);
    const second = await live.sample();
    expect(second?.brokers[0]).toMatchObject({ tpsIn: 250, tpsOut: 100 });
    expect(second?.topics).toEqual([{ topic: 'T', system: false, queueCount: 1, messageCount: 300, tps: 150 }]);
    expect(second?.groupLags).toEqual({ G: 6 });
    expect(pushed).toHaveLength(2);
    expect(pushed[0]?.brokers[0]).toMatchObject({ tpsIn: 0, tpsOut: 0 });
  });

  it('reads a total that went back (the daily totals at midnight) as 0', async () => {
    const backend = new ScriptedBackend();
    const scheduler = new FakeScheduler();
    const { live } = sampler(backend, scheduler);
    backend.putTotal = 1000;
    await live.sample();
    backend.putTotal = 10;
    scheduler.advance(1000);
    expect((await live.sample())?.brokers[0]?.tpsIn).toBe(0);
  });

  it('keeps at most HISTORY_SAMPLES snapshots, oldest dropped', async () => {
    const backend = new ScriptedBackend();
    const scheduler = new FakeScheduler();
    const { live } = sampler(backend, scheduler);
    for (let i = 0; i < HISTORY_SAMPLES + 5; i++) {
      scheduler.advance(1000);
      await live.sample();
    }
    expect(live.snapshots()).toHaveLength(HISTORY_SAMPLES);
    expect(live.snapshots()[0]?.atMs).toBe(1_700_000_000_000 + 6000);
  });

  it('logs a failing backend and goes on with the next sample', async () => {
    const backend = new ScriptedBackend();
    const scheduler = new FakeScheduler();
    const { live, logger, pushed } = sampler(backend, scheduler);
    backend.fail = true;
    expect(await live.sample()).toBeNull();
    expect(logger.lines.some((r) => r.message === 'dashboard snapshot failed')).toBe(true);
    backend.fail = false;
    expect(await live.sample()).not.toBeNull();
    expect(pushed).toHaveLength(1);
  });

  it('skips a tick while the previous sample is still running', async () => {
    const backend = new ScriptedBackend();
    const scheduler = new FakeScheduler();
    const { live } = sampler(backend, scheduler);
    const first = live.sample();
    expect(await live.sample()).toBeNull();
    expect(await first).not.toBeNull();
  });
});
