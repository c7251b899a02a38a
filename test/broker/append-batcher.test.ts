// Specification of the AppendBatcher on the memory store and the fake scheduler: one store append per
// event-loop turn across requests, each request's own offsets, a bad message failing only its
// request, and the bound on pending messages (a SYSTEM_BUSY BrokerError). No sleeps.

import { describe, expect, it } from 'vitest';
import { APPEND_BATCHER_MAX_PENDING_MESSAGES } from '../../ts/broker/limits.js';
import { BrokerError, BrokerErrorCode } from '../../ts/broker/domain/broker-error.js';
import { AppendBatcher } from '../../ts/broker/infra/append-batcher.js';
import { MemoryMessageStore } from '../../ts/store/memory-message-store.js';
import type { MessageStore, StoreMessage } from '../../ts/store/message-store-api.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { FakeScheduler } from '../support/fake-scheduler.js';
import { goldenMessage, placements } from '../store/store-fixtures.js';

/** A memory store that counts its appends and the batch sizes they got. */
function countingStore(clock: FakeScheduler): { store: MessageStore; batches: number[] } {
  const memory = new MemoryMessageStore({ now: () => clock.now() });
  const batches: number[] = [];
  const store: MessageStore = Object.create(memory) as MessageStore;
  store.append = (messages) => {
    batches.push(messages.length);
    return memory.append(messages);
  };
  return { store, batches };
}

function messages(count: number, overrides: Partial<StoreMessage> = {}): StoreMessage[] {
  return Array.from({ length: count }, () => goldenMessage(overrides));
}

describe('append batcher', () => {
  it('appends every request of one turn in one store append and gives each its own offsets', async () => {
    const clock = new FakeScheduler();
    const { store, batches } = countingStore(clock);
    const batcher = new AppendBatcher(() => store, clock);
    const first = batcher.append(messages(2));
    const second = batcher.append(messages(1, { queueId: 3 }));
    const third = batcher.append(messages(1));
    expect(batches).toEqual([]);
    clock.runTurns();
    expect(batches).toEqual([4]);
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(placements(a.offsets)).toEqual([
      [0, 0],
      [168, 1],
    ]);
    expect(placements(b.offsets)).toEqual([[336, 0]]);
    expect(placements(c.offsets)).toEqual([[504, 2]]);
    expect([a.messageCount, b.messageCount, c.messageCount]).toEqual([2, 1, 1]);
    expect(a.storeTimestamp).toBe(clock.now());
    expect(a.endOffset).toBe(672);

    const next = batcher.append(messages(1));
    clock.runTurns();
    expect(placements((await next).offsets)).toEqual([[672, 3]]);
    expect(batches).toEqual([4, 1]);
  });

  it('retries each request alone when the combined batch is refused, so only the bad one fails', async () => {
    const clock = new FakeScheduler();
    const { store, batches } = countingStore(clock);
    const batcher = new AppendBatcher(() => store, clock);
    const good = batcher.append(messages(2));
    const bad = batcher.append([goldenMessage(), goldenMessage({ queueId: -1 })]);
    const alsoGood = batcher.append(messages(1));
    clock.runTurns();
    await expect(bad).rejects.toMatchObject({ name: 'StoreError', code: StoreErrorCode.QUEUE_ID_ILLEGAL });
    expect(placements((await good).offsets)).toEqual([
      [0, 0],
      [168, 1],
    ]);
    expect(placements((await alsoGood).offsets)).toEqual([[336, 2]]);
    expect(batches).toEqual([5, 2, 2, 1]);
  });
});

describe('append batcher: the pending bound', () => {
  // Java's answer to a full processing queue: SYSTEM_BUSY with this remark.
  const SYSTEM_BUSY = {
    code: BrokerErrorCode.SYSTEM_BUSY,
    message: '[OVERLOAD]system busy, start flow control for a while',
  };

  it('refuses a request past the pending bound with a SYSTEM_BUSY BrokerError, appending none of it', async () => {
    const clock = new FakeScheduler();
    const { store, batches } = countingStore(clock);
    const batcher = new AppendBatcher(() => store, clock, 4);
    const accepted = batcher.append(messages(3));
    const refused = batcher.append(messages(2));
    const fits = batcher.append(messages(1));
    await expect(refused).rejects.toBeInstanceOf(BrokerError);
    await expect(refused).rejects.toMatchObject(SYSTEM_BUSY);
    await expect(batcher.append(messages(1))).rejects.toMatchObject(SYSTEM_BUSY);
    clock.runTurns();
    expect(batches).toEqual([4]);
    expect((await accepted).messageCount + (await fits).messageCount).toBe(4);

    // The turn's append emptied the queue: the bound applies afresh.
    const again = batcher.append(messages(4));
    clock.runTurns();
    expect((await again).messageCount).toBe(4);
    await expect(batcher.append(messages(5))).rejects.toMatchObject(SYSTEM_BUSY);
  });

  it('is bounded by APPEND_BATCHER_MAX_PENDING_MESSAGES by default', async () => {
    const clock = new FakeScheduler();
    const { store, batches } = countingStore(clock);
    const batcher = new AppendBatcher(() => store, clock);
    const tooMany = Array.from({ length: APPEND_BATCHER_MAX_PENDING_MESSAGES + 1 }, () => goldenMessage());
    await expect(batcher.append(tooMany)).rejects.toBeInstanceOf(BrokerError);
    await expect(batcher.append(tooMany)).rejects.toMatchObject(SYSTEM_BUSY);
    clock.runTurns();
    expect(batches).toEqual([]);
  });
});
