// ReceiptRenewer on the fake clock with a recording AckService: a held handle is renewed 10 s before its invisible
// time ends, with 1 m then 3 m (Apache's RenewStrategyPolicy); an ack takes the latest handle and stops the
// renewal; a client gone from its group gets its messages back after 1 s; 3 h after the receive the message gets
// the group's retry delay once and is no longer renewed.

import { describe, expect, it } from 'vitest';
import { ReceiptRenewer } from '../../../ts/broker/grpc/receipt-renewer.js';
import type { AckRequest } from '../../../ts/broker/services/pop/ack-service.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { buildExtraInfo } from '../../../ts/protocol/pop-extra-info.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

function setup() {
  const clock = new FakeScheduler();
  const changes: Array<{ request: AckRequest; invisibleMs: number; atMs: number }> = [];
  let online = true;
  const acks = {
    changeInvisibleTime: (request: AckRequest, invisibleMs: number) => {
      changes.push({ request, invisibleMs, atMs: clock.now() });
      return Promise.resolve({ popTime: clock.now(), invisibleTime: invisibleMs, reviveQid: 0 });
    },
  };
  const renewer = new ReceiptRenewer({
    acks,
    isOnline: () => online,
    retryDelayMs: (_group: string, reconsumeTimes: number) => 10_000 * (reconsumeTimes + 1),
    scheduler: clock,
    brokerName: 'broker-a',
    logger: createMemoryLogger(),
  });
  const handle = (invisibleMs: number) =>
    `${buildExtraInfo({
      ckQueueOffset: 7,
      popTime: clock.now(),
      invisibleTime: invisibleMs,
      reviveQid: 0,
      topic: 'T',
      brokerName: 'broker-a',
      queueId: 1,
      queueOffset: 7,
    })} 4096`;
  return { clock, changes, renewer, handle, goOffline: () => (online = false) };
}

/** Advances in 1 s steps so that each renewal's promise settles before the next pass. */
async function advance(clock: FakeScheduler, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 1000) {
    clock.advance(Math.min(1000, left));
    await Promise.resolve();
    await Promise.resolve();
  }
}

describe('grpc: receipt handle renewal', () => {
  it('renews 10 s before the end with 1 m, then 3 m; an ack takes the latest handle and stops it', async () => {
    const { clock, changes, renewer, handle } = setup();
    const t0 = clock.now();
    const original = handle(60_000);
    renewer.start();
    renewer.add('c1', 'g', 'T', 'id-1', original);
    await advance(clock, 45_000);
    expect(changes).toEqual([]);
    await advance(clock, 5_000);
    expect(changes.map((change) => change.invisibleMs)).toEqual([60_000]);
    expect(changes[0]).toMatchObject({ atMs: t0 + 50_000, request: { queueId: 1, offset: 7, extraInfo: original } });
    await advance(clock, 50_000);
    expect(changes.map((change) => change.invisibleMs)).toEqual([60_000, 180_000]);
    const latest = renewer.take('c1', 'g', 'id-1', original);
    expect(latest).not.toBe(original);
    expect(latest.split(' ')).toEqual(['7', String(t0 + 100_000), '180000', '0', '0', 'broker-a', '1', '7', '4096']);
    await advance(clock, 400_000);
    expect(changes).toHaveLength(2);
    expect(renewer.size).toBe(0);
    expect(renewer.take('c1', 'g', 'unknown', 'h')).toBe('h');
    renewer.stop();
  });

  it('gives a gone client its messages back after 1 s, and stops renewing 3 h after the receive', async () => {
    const offline = setup();
    offline.renewer.start();
    offline.renewer.add('c1', 'g', 'T', 'id-1', offline.handle(60_000));
    offline.goOffline();
    await advance(offline.clock, 5_000);
    expect(offline.changes.map((change) => change.invisibleMs)).toEqual([1_000]);
    expect(offline.renewer.size).toBe(0);
    offline.renewer.stop();

    const long = setup();
    long.renewer.start();
    const t0 = long.clock.now();
    long.renewer.add('c1', 'g', 'T', 'id-1', long.handle(60_000));
    // Past 3 h, when its last (1 h) invisible time is about to end, the handle gets the group's retry delay once.
    await advance(long.clock, 4 * 60 * 60 * 1000 + 60_000);
    const last = long.changes.at(-1);
    expect(last?.invisibleMs).toBe(10_000);
    expect(last!.atMs - t0).toBeGreaterThanOrEqual(3 * 60 * 60 * 1000);
    expect(long.changes.slice(0, -1).every((change) => change.atMs - t0 < 3 * 60 * 60 * 1000)).toBe(true);
    expect(long.changes.length).toBeGreaterThan(5);
    expect(long.renewer.size).toBe(0);
    long.renewer.stop();
  });
});
