// Specification of ScheduleMessageService on the memory store and the fake clock (no sleeps): each
// delay level delivered at its time in queue order to its REAL_TOPIC / REAL_QID, the level cursors
// persisted and restored (and corrected into the queue's bounds), and a pass run at once when a
// message arrives. The same rules over TCP: test/broker/server/broker-retry-delay.test.ts.

import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { encodeMessageProperties } from '../../../ts/protocol/message-properties.js';
import { MemoryMetaConfigStore } from '../../../ts/broker/domain/meta/meta-config-store.js';
import { DelayLevelTable, withDelayScheduling } from '../../../ts/broker/domain/schedule/delay-level-table.js';
import { ScheduleMessageService } from '../../../ts/broker/domain/schedule/schedule-message-service.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';
import { goldenMessage } from '../../store/store-fixtures.js';
import { CountingStore, keysIn, REAL_QUEUE_ID, REAL_TOPIC, recordsOf, runFor } from './schedule-fixtures.js';

const table = new DelayLevelTable('1s 5s 10s');

function setup(
  clock = new FakeScheduler(),
  store = new CountingStore(clock),
  offsetStore = new MemoryMetaConfigStore(),
) {
  const delivered: Array<[string, number]> = [];
  const logger = createMemoryLogger();
  const service = new ScheduleMessageService({
    table,
    store: () => store,
    deliver: store.deliver,
    onDelivered: (topic, queueId) => delivered.push([topic, queueId]),
    scheduler: clock,
    offsetStore,
    logger,
  });
  return { clock, store, offsetStore, service, delivered, logger };
}

/** Parks a message with KEYS `key` at delay `level`, as the send path does. */
function park(store: CountingStore, key: string, level: number): void {
  const properties = new Map([
    ['KEYS', key],
    ['DELAY', String(level)],
  ]);
  const encoded = encodeMessageProperties(properties);
  const message = goldenMessage({ topic: REAL_TOPIC, queueId: REAL_QUEUE_ID, properties: encoded });
  store.append([withDelayScheduling(message, properties, table)]);
}

describe('schedule: delay-level delivery', () => {
  it('delivers each level at its time, in queue order, to REAL_TOPIC / REAL_QID without DELAY', async () => {
    const { clock, store, service, delivered } = setup();
    park(store, 'slow', 2);
    park(store, 'b1', 1);
    park(store, 'b2', 1);
    service.start();
    await runFor(clock, 990);
    expect(keysIn(store)).toEqual([]);
    await runFor(clock, 10);
    expect(keysIn(store)).toEqual(['b1', 'b2']);
    expect(delivered).toEqual([[REAL_TOPIC, REAL_QUEUE_ID]]);
    const [b1] = recordsOf(store);
    expect(b1?.properties.has('DELAY')).toBe(false);
    expect(b1?.properties.get('REAL_TOPIC')).toBe(REAL_TOPIC);
    expect(b1?.storeTimestamp).toBe(clock.now());

    await runFor(clock, 3990);
    expect(keysIn(store)).toEqual(['b1', 'b2']);
    await runFor(clock, 10);
    expect(keysIn(store)).toEqual(['b1', 'b2', 'slow']);
    expect(service.offsets()).toEqual(
      new Map([
        [1, 2],
        [2, 1],
        [3, 0],
      ]),
    );
    await service.stop();
  });
});

describe('schedule: restart', () => {
  it('persists the level cursors on stop and resumes from them in a new service over the same store', async () => {
    const first = setup();
    park(first.store, 'before', 1);
    first.service.start();
    await runFor(first.clock, 1000);
    await first.service.stop();
    const saved = first.offsetStore.document as { offsetTable: Record<string, number> };
    expect(saved.offsetTable).toEqual({ '1': 1, '2': 0, '3': 0 });

    park(first.store, 'while-stopped', 1);
    const second = setup(first.clock, first.store, first.offsetStore);
    second.service.start();
    expect(second.service.offsets().get(1)).toBe(1);
    await runFor(second.clock, 1000);
    expect(keysIn(second.store)).toEqual(['before', 'while-stopped']);
    await second.service.stop();
  });
});

describe('schedule: level cursors and wake-ups', () => {
  it('corrects a persisted cursor outside its queue into the queue bounds on start', async () => {
    const offsetStore = new MemoryMetaConfigStore({ offsetTable: { '1': 99, '2': 0 } });
    const { clock, store, service, logger } = setup(undefined, undefined, offsetStore);
    park(store, 'parked', 1);
    service.start();
    expect(service.offsets().get(1)).toBe(1);
    expect(logger.lines.some((line) => line.message === 'schedule offset corrected')).toBe(true);
    await runFor(clock, 1000);
    expect(keysIn(store)).toEqual([]);
    await service.stop();
  });

  it('runs a pass at once when a message arrives, and not before start', async () => {
    const { clock, store, service } = setup();
    service.notifyMessageArriving(0);
    await runFor(clock, 0);
    expect(store.reads).toBe(0);
    service.start();
    await runFor(clock, 200);
    const readsBefore = store.reads;
    park(store, 'arrived', 1);
    service.notifyMessageArriving(0);
    await runFor(clock, 0);
    expect(store.reads).toBe(readsBefore + 1);
    await runFor(clock, 990);
    expect(keysIn(store)).toEqual([]);
    await runFor(clock, 10);
    expect(keysIn(store)).toEqual(['arrived']);
    await service.stop();
  });
});
