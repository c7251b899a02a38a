// Specification of TimerMessageService on the memory store and the fake clock (no sleeps): parked
// timer messages delivered at their TIMER_OUT_MS in deliver-time order, and, across a "restart" (a new
// service over the same store and progress document), the restart point and the delivered watermark:
// nothing delivered before the stop is delivered again, nothing pending is lost.

import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { encodeMessageProperties } from '../../../ts/protocol/message-properties.js';
import { MemoryMetaConfigStore } from '../../../ts/broker/domain/meta/meta-config-store.js';
import { TIMER_TOPIC } from '../../../ts/protocol/topics.js';
import {
  type TimerProgressDocument,
  TimerMessageService,
} from '../../../ts/broker/domain/schedule/timer-message-service.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';
import { goldenMessage } from '../../store/store-fixtures.js';
import { CountingStore, keysIn, REAL_QUEUE_ID, REAL_TOPIC, recordsOf, runFor } from './schedule-fixtures.js';

function setup(
  clock = new FakeScheduler(),
  store = new CountingStore(clock),
  progressStore = new MemoryMetaConfigStore(),
) {
  const delivered: Array<[string, number]> = [];
  const service = new TimerMessageService({
    store: () => store,
    deliver: store.deliver,
    onDelivered: (topic, queueId) => delivered.push([topic, queueId]),
    scheduler: clock,
    progressStore,
    logger: createMemoryLogger(),
  });
  return { clock, store, progressStore, service, delivered };
}

/** Parks a timer message with KEYS `key` due at `deliverMs`, as the send path does. */
function park(store: CountingStore, key: string, deliverMs: number): void {
  const properties = encodeMessageProperties({
    KEYS: key,
    TIMER_OUT_MS: String(deliverMs),
    REAL_TOPIC,
    REAL_QID: String(REAL_QUEUE_ID),
  });
  store.append([goldenMessage({ topic: TIMER_TOPIC, queueId: 0, properties })]);
}

describe('timer: delivery at TIMER_OUT_MS', () => {
  it('delivers in deliver-time order (queue order on ties) at each deliver time', async () => {
    const { clock, store, service, delivered } = setup();
    const t0 = clock.now();
    park(store, 'c', t0 + 3000);
    park(store, 'a', t0 + 1000);
    park(store, 'b', t0 + 2000);
    park(store, 'a2', t0 + 1000);
    service.start();
    await runFor(clock, 990);
    expect(keysIn(store)).toEqual([]);
    expect(service.pendingCount).toBe(4);
    await runFor(clock, 10);
    expect(keysIn(store)).toEqual(['a', 'a2']);
    expect(delivered).toEqual([[REAL_TOPIC, REAL_QUEUE_ID]]);
    await runFor(clock, 990);
    expect(keysIn(store)).toEqual(['a', 'a2']);
    await runFor(clock, 10);
    expect(keysIn(store)).toEqual(['a', 'a2', 'b']);
    await runFor(clock, 1000);
    expect(keysIn(store)).toEqual(['a', 'a2', 'b', 'c']);
    expect(service.pendingCount).toBe(0);
    const [a] = recordsOf(store);
    expect(a?.properties.get('TIMER_OUT_MS')).toBe(String(t0 + 1000));
    expect(a?.properties.has('REAL_TOPIC')).toBe(false);
    expect(a?.storeTimestamp).toBe(t0 + 1000);
    await service.stop();
  });

  it('scans at once when a message is parked, and delivers what is already due', async () => {
    const { clock, store, service } = setup();
    service.start();
    await runFor(clock, 300);
    park(store, 'late', clock.now() - 1);
    service.notifyMessageArriving();
    await runFor(clock, 0);
    expect(keysIn(store)).toEqual(['late']);
    await service.stop();
  });
});

describe('timer: restart', () => {
  it('rescans from the lowest pending offset and skips what the watermark says was delivered', async () => {
    const first = setup();
    const t0 = first.clock.now();
    park(first.store, 'x-late', t0 + 5000);
    park(first.store, 'y-early', t0 + 1000);
    park(first.store, 'z-early', t0 + 1000);
    first.service.start();
    await runFor(first.clock, 1000);
    expect(keysIn(first.store)).toEqual(['y-early', 'z-early']);
    await first.service.stop();
    const progress = first.progressStore.document as TimerProgressDocument;
    expect(progress).toEqual({ minPendingOffset: 0, watermarkDeliverMs: t0 + 1000, watermarkScanOffset: 3 });

    park(first.store, 'w-while-stopped', t0 + 2000);
    const second = setup(first.clock, first.store, first.progressStore);
    second.service.start();
    await runFor(second.clock, 0);
    expect(second.service.pendingCount).toBe(2);
    await runFor(second.clock, 1000);
    expect(keysIn(second.store)).toEqual(['y-early', 'z-early', 'w-while-stopped']);
    await runFor(second.clock, 3000);
    expect(keysIn(second.store)).toEqual(['y-early', 'z-early', 'w-while-stopped', 'x-late']);
    await second.service.stop();
    expect(second.progressStore.document).toMatchObject({ minPendingOffset: 4, watermarkScanOffset: 4 });
  });

  it('starts after the delivered prefix when nothing before it is pending', async () => {
    const first = setup();
    const t0 = first.clock.now();
    park(first.store, 'first', t0 + 1000);
    park(first.store, 'second', t0 + 9000);
    first.service.start();
    await runFor(first.clock, 1000);
    await first.service.stop();
    expect(first.progressStore.document).toMatchObject({ minPendingOffset: 1 });

    const second = setup(first.clock, first.store, first.progressStore);
    second.service.start();
    await runFor(second.clock, 8000);
    expect(keysIn(second.store)).toEqual(['first', 'second']);
    await second.service.stop();
  });
});

/** Parks a message with UNIQ_KEY `uniqKey` (and KEYS `uniqKey`), or its recall marker, due at `deliverMs`. */
function parkWithId(store: CountingStore, uniqKey: string, deliverMs: number, marker = false): void {
  const properties = encodeMessageProperties({
    KEYS: uniqKey,
    UNIQ_KEY: uniqKey,
    TIMER_OUT_MS: String(deliverMs),
    REAL_TOPIC,
    REAL_QID: String(REAL_QUEUE_ID),
    ...(marker && { TIMER_DEL_UNIQKEY: `${REAL_TOPIC}+${uniqKey}`, TAGS: '_RECALL_TAG_' }),
  });
  store.append([goldenMessage({ topic: TIMER_TOPIC, queueId: 0, properties })]);
}

describe('timer: recall markers', () => {
  it('a marker cancels the message it names; neither is delivered, others are', async () => {
    const { clock, store, service } = setup();
    const t0 = clock.now();
    parkWithId(store, 'kept', t0 + 1000);
    parkWithId(store, 'recalled', t0 + 1000);
    service.start();
    await runFor(clock, 100);
    parkWithId(store, 'recalled', t0 + 1000, true);
    service.notifyMessageArriving();
    await runFor(clock, 0);
    expect(service.isRecalled(REAL_TOPIC, 'recalled')).toBe(true);
    await runFor(clock, 1000);
    expect(keysIn(store)).toEqual(['kept']);
    expect(service.pendingCount).toBe(0);
    expect(service.isRecalled(REAL_TOPIC, 'recalled')).toBe(false);
    await service.stop();
  });

  it('the marker survives a restart: the recalled message is still not delivered', async () => {
    const first = setup();
    const t0 = first.clock.now();
    parkWithId(first.store, 'recalled', t0 + 5000);
    parkWithId(first.store, 'early', t0 + 1000);
    parkWithId(first.store, 'recalled', t0 + 5000, true);
    first.service.start();
    await runFor(first.clock, 1000);
    expect(keysIn(first.store)).toEqual(['early']);
    await first.service.stop();

    const second = setup(first.clock, first.store, first.progressStore);
    second.service.start();
    await runFor(second.clock, 0);
    expect(second.service.isRecalled(REAL_TOPIC, 'recalled')).toBe(true);
    await runFor(second.clock, 5000);
    expect(keysIn(second.store)).toEqual(['early']);
    expect(second.service.pendingCount).toBe(0);
    await second.service.stop();
  });

  it('a marker for an unknown message is harmless and is forgotten at its time', async () => {
    const { clock, store, service } = setup();
    const t0 = clock.now();
    parkWithId(store, 'ghost', t0 + 1000, true);
    parkWithId(store, 'other', t0 + 1000);
    service.start();
    await runFor(clock, 1000);
    expect(keysIn(store)).toEqual(['other']);
    expect(service.isRecalled(REAL_TOPIC, 'ghost')).toBe(false);
    await service.stop();
  });
});
