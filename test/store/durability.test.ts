// Specification of the store's durability through N-API: group-commit completions (one per flush
// pass, never per message), the sync flush timeout, the TransientStorePool, queries by key, and a
// writer child killed with SIGKILL in the middle of steady appends.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GetMessageStatus } from '../../ts/store/message-store-api.js';
import { NativeMessageStore } from '../../ts/store/native-message-store.js';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { CRASH_TOPIC, crashBody } from './crash-fixtures.js';
import { freshStoreDir, goldenMessage, openStore } from './store-fixtures.js';

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('store: flush', () => {
  it('signals SYNC_FLUSH completions once per group commit, never per message', async () => {
    const store = openStore({ flushDiskType: 'SYNC_FLUSH' });
    const waits: Promise<void>[] = [];
    let lastEnd = 0;
    for (let batch = 0; batch < 20; batch += 1) {
      const result = store.append(Array.from({ length: 50 }, () => goldenMessage()));
      waits.push(store.whenFlushed(result.endOffset));
      lastEnd = result.endOffset;
    }
    await Promise.all(waits);
    expect(store.getFlushedPhysicalOffset()).toBeGreaterThanOrEqual(lastEnd);
    expect(store.flushCompletions).toBeGreaterThanOrEqual(1);
    expect(store.flushCompletions).toBeLessThanOrEqual(20);
    expect(store.getMessages('TopicTest', 1, 0, 1000, { maxSizeBytes: 1 << 30 }).messageCount).toBe(1000);
  });

  it('reports the batch end offset', () => {
    const store = openStore();
    const result = store.append([goldenMessage(), goldenMessage({ body: Buffer.from('longer body') })]);
    expect(result.endOffset).toBe(168 + 174);
    expect(store.getMaxPhysicalOffset()).toBe(result.endOffset);
  });

  it('resolves ASYNC_FLUSH waits when the periodic flush passes them', async () => {
    const store = openStore({ flushIntervalCommitLogMs: 20, flushCommitLogThoroughIntervalMs: 50 });
    const result = store.append([goldenMessage()]);
    await store.whenFlushed(result.endOffset);
    expect(store.getFlushedPhysicalOffset()).toBeGreaterThanOrEqual(result.endOffset);
  });

  it('fails a wait with FLUSH_DISK_TIMEOUT when no flush covers it in time', async () => {
    const store = openStore({ flushIntervalCommitLogMs: 60_000, flushCommitLogThoroughIntervalMs: 60_000 });
    const result = store.append([goldenMessage()]);
    await expect(store.whenFlushed(result.endOffset, 100)).rejects.toMatchObject({
      code: StoreErrorCode.FLUSH_DISK_TIMEOUT,
    });
  });

  it('settles pending waits when the store closes cleanly', async () => {
    const store = NativeMessageStore.open({
      storePath: freshStoreDir(),
      flushIntervalCommitLogMs: 60_000,
      flushCommitLogThoroughIntervalMs: 60_000,
      maxHashSlotNum: 1024,
      maxIndexNum: 4096,
    });
    const wait = store.whenFlushed(store.append([goldenMessage()]).endOffset);
    store.close();
    await expect(wait).resolves.toBeUndefined();
  });
});

describe('store: TransientStorePool', () => {
  it('shows appends to readers once the commit thread has written them', async () => {
    const store = openStore({
      commitLogFileSizeBytes: 64 * 1024,
      transientStorePoolEnable: true,
      transientStorePoolSize: 2,
      commitIntervalCommitLogMs: 20,
      commitCommitLogThoroughIntervalMs: 20,
    });
    for (let i = 0; i < 10; i += 1) store.append(Array.from({ length: 100 }, () => goldenMessage()));
    const readable = () => store.getMessages('TopicTest', 1, 0, 2000, { maxSizeBytes: 1 << 30 }).messageCount;
    await eventually(() => readable() === 1000);
    expect(store.getMaxOffsetInQueue('TopicTest', 1)).toBe(1000);
  });
});

describe('store: query by key', () => {
  it('finds messages by KEYS and UNIQ_KEY within a time range', () => {
    const store = openStore();
    store.append([
      goldenMessage({ properties: 'KEYS\x01order-1 order-2\x02UNIQ_KEY\x01AAAA\x02', body: Buffer.from('first') }),
      goldenMessage({ properties: 'KEYS\x01order-2\x02', body: Buffer.from('second') }),
    ]);
    const bodies = (topic: string, key: string, begin = 0, end = Date.now() + 60_000) =>
      decodeStoredRecords(store.queryMessage(topic, key, 32, begin, end).buffer).map((m) => m.body.toString());
    expect(bodies('TopicTest', 'order-2')).toEqual(['second', 'first']);
    expect(bodies('TopicTest', 'AAAA')).toEqual(['first']);
    expect(bodies('OtherTopic', 'order-2')).toEqual([]);
    expect(bodies('TopicTest', 'order-2', 0, 1000)).toEqual([]);
  });
});

describe('store: SIGKILL in the middle of steady appends', () => {
  const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));

  /** Runs the writer until `batches` acknowledgements, kills it with SIGKILL; returns the acked count. */
  async function runAndKill(storePath: string, flushDiskType: string, batches: number): Promise<number> {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, storePath, flushDiskType], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acked = 0;
    let seen = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const [word, value] = line.split(' ');
      if (word !== 'acked') continue;
      acked = Number(value);
      seen += 1;
      if (seen >= batches) break;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    return acked;
  }

  /** Reads the queue from 0, checking every record against the body its sequence implies. */
  function readAllChecked(store: NativeMessageStore): number {
    let offset = 0;
    for (;;) {
      const result = store.getMessages(CRASH_TOPIC, 0, offset, 64, { maxSizeBytes: 1 << 20 });
      if (result.status !== GetMessageStatus.FOUND) {
        expect([GetMessageStatus.OFFSET_OVERFLOW_ONE, GetMessageStatus.NO_MESSAGE_IN_QUEUE]).toContain(result.status);
        return offset;
      }
      for (const message of decodeStoredRecords(result.buffer)) {
        expect(message.queueOffset).toBe(offset);
        expect(message.bodyCrc).toBe(crc32(message.body) & 0x7fffffff);
        expect(message.body.equals(crashBody(offset))).toBe(true);
        offset += 1;
      }
    }
  }

  for (const flushDiskType of ['SYNC_FLUSH', 'ASYNC_FLUSH']) {
    it(`keeps every acknowledged message with ${flushDiskType}`, async () => {
      const storePath = freshStoreDir();
      const acked = await runAndKill(storePath, flushDiskType, 150);
      expect(acked).toBeGreaterThan(0);
      const store = openStore({ storePath, commitLogFileSizeBytes: 256 * 1024, consumeQueueUnitsPerFile: 1000 });
      const readable = readAllChecked(store);
      expect(readable).toBeGreaterThanOrEqual(acked);
      // The recovered store takes appends again, continuing the queue.
      const result = store.append([{ ...goldenMessage(), topic: CRASH_TOPIC, queueId: 0, body: crashBody(readable) }]);
      expect(result.offsets[1]).toBe(readable);
    }, 60_000);
  }
});
