// The child process of the SIGKILL test: opens a store with the given flush mode and appends batches
// of 16 messages forever, printing `acked <next sequence>` once a batch is acknowledged: for
// SYNC_FLUSH when its group commit is on disk, for ASYNC_FLUSH when the append returns.
// Usage: node --import tsx crash-writer.ts <storePath> <SYNC_FLUSH|ASYNC_FLUSH>

import { crashBody, crashMessage } from './crash-fixtures.js';
import { NativeMessageStore } from '../../ts/store/native-message-store.js';

const [storePath, flushDiskType] = process.argv.slice(2) as [string, string];
const BATCH = 16;
const store = NativeMessageStore.open({
  storePath,
  flushDiskType,
  commitLogFileSizeBytes: 256 * 1024,
  consumeQueueUnitsPerFile: 1000,
  flushIntervalCommitLogMs: 20,
  maxHashSlotNum: 1024,
  maxIndexNum: 4096,
});

let sequence = 0;
for (;;) {
  const batch = Array.from({ length: BATCH }, (_, i) => crashMessage(sequence + i, crashBody(sequence + i)));
  const result = store.append(batch);
  sequence += BATCH;
  if (flushDiskType === 'SYNC_FLUSH') await store.whenFlushed(result.endOffset);
  process.stdout.write(`acked ${sequence}\n`);
  if (sequence % (BATCH * 8) === 0) await new Promise((resolve) => setImmediate(resolve));
}
