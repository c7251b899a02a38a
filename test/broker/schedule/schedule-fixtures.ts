// Shared by the schedule and timer unit tests: a memory store on a fake clock that counts its reads,
// time driven in small steps with the services' promise chains settled in between (no sleeps), and
// what a queue holds, by KEYS.

import { MemoryMessageStore } from '../../../ts/store/memory-message-store.js';
import type { GetMessagesResult, StoreMessage } from '../../../ts/store/message-store-api.js';
import { decodeStoredRecords, type StoredMessage } from '../../../ts/store/stored-record-decoder.js';
import type { FakeScheduler } from '../../support/fake-scheduler.js';

export const REAL_TOPIC = 'TopicTest';
export const REAL_QUEUE_ID = 1;

/** A memory store whose store time is the fake clock's, with a count of `getMessages` calls. */
export class CountingStore extends MemoryMessageStore {
  reads = 0;

  constructor(readonly clock: FakeScheduler) {
    super({ now: () => clock.now() });
  }

  override getMessages(...args: Parameters<MemoryMessageStore['getMessages']>): GetMessagesResult {
    this.reads += 1;
    return super.getMessages(...args);
  }

  /** Appends like the broker's batcher would hand the messages over. */
  deliver = (messages: readonly StoreMessage[]) => Promise.resolve(this.append(messages));
}

/** Lets the services' promise chains (read → append → re-arm) run to their next timer. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

/**
 * Moves the clock `ms` forward in `stepMs` steps, settling before and after each, so every timer a
 * pass re-arms is armed at the time the pass ran.
 */
export async function runFor(clock: FakeScheduler, ms: number, stepMs = 10): Promise<void> {
  let leftMs = ms;
  for (;;) {
    clock.advance(0);
    await settle();
    if (leftMs <= 0) return;
    const step = Math.min(stepMs, leftMs);
    clock.advance(step);
    leftMs -= step;
  }
}

/** Every record of (topic, queueId), oldest first. */
export function recordsOf(store: MemoryMessageStore, topic = REAL_TOPIC, queueId = REAL_QUEUE_ID): StoredMessage[] {
  return decodeStoredRecords(store.getMessages(topic, queueId, 0, 1000).buffer);
}

/** The KEYS of every record of (topic, queueId), oldest first. */
export function keysIn(store: MemoryMessageStore, topic = REAL_TOPIC, queueId = REAL_QUEUE_ID): string[] {
  return recordsOf(store, topic, queueId).map((record) => record.properties.get('KEYS') ?? '?');
}
