// Replication between two Rust stores in one process (docs/replication.md): the master's HA threads
// stream the CommitLog, the slave's append it byte for byte and dispatch its ConsumeQueues; a slave
// restarted resumes from its end; a slave whose log is ahead of the master's is refused.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NativeMessageStore } from '../../ts/store/native-message-store.js';
import { freshStoreDir, goldenMessage, openStore } from '../store/store-fixtures.js';

const FILE_SIZE = 64 * 1024;
/** Small frames and files: records are cut by frames and the log rolls over files. */
const HA = { transferBatchSizeBytes: 3000, heartbeatIntervalMs: 200, housekeepingIntervalMs: 5000 };

function appendMany(store: NativeMessageStore, batches: number, perBatch: number, tag = 'x'): void {
  for (let b = 0; b < batches; b += 1) {
    const messages = Array.from({ length: perBatch }, (_, i) =>
      goldenMessage({
        queueId: (b + i) % 4,
        body: Buffer.from(`${tag}-${b}-${i}-`.padEnd(100 + ((b * 7 + i) % 300), '.')),
      }),
    );
    store.append(messages);
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function commitLogBytes(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(join(dir, 'commitlog')).sort())
    files.set(name, readFileSync(join(dir, 'commitlog', name)));
  return files;
}

/** The queue's records from `from` as [count, sha256 of the bytes] (whole buffers make unreadable diffs). */
function queueDigest(store: NativeMessageStore, queueId: number, from = 0): [number, string] {
  const result = store.getMessages('TopicTest', queueId, from, 10_000, { maxSizeBytes: 64 * 1024 * 1024 });
  return [result.messageCount, createHash('sha256').update(result.buffer).digest('hex')];
}

describe('store replication', () => {
  it('a slave holds byte-identical CommitLog files and the same ConsumeQueues', async () => {
    const masterDir = freshStoreDir();
    const slaveDir = freshStoreDir();
    const master = openStore({ storePath: masterDir, commitLogFileSizeBytes: FILE_SIZE });
    const slave = openStore({ storePath: slaveDir, commitLogFileSizeBytes: FILE_SIZE });
    const port = master.startHaMaster(0, HA);
    slave.startHaSlave(`127.0.0.1:${port}`, HA);
    await until(() => master.getHaStatus().connections === 1, 'the slave to connect');
    appendMany(master, 60, 25);
    const end = master.getMaxPhysicalOffset();
    expect(end).toBeGreaterThan(3 * FILE_SIZE);
    await until(() => slave.getMaxPhysicalOffset() === end, 'the slave to catch up');
    await until(() => master.getHaStatus().ackedOffset === end, 'the master to hear the ack');
    expect(slave.getHaStatus()).toMatchObject({ role: 'SLAVE', connected: true, masterOffset: end });
    expect(master.getHaStatus()).toMatchObject({ role: 'MASTER', connections: 1 });
    for (let q = 0; q < 4; q += 1) {
      expect(slave.getMaxOffsetInQueue('TopicTest', q)).toBe(master.getMaxOffsetInQueue('TopicTest', q));
      expect(queueDigest(slave, q)).toEqual(queueDigest(master, q));
      expect(queueDigest(slave, q)[0]).toBeGreaterThan(300);
    }
    slave.close();
    master.close();
    const masterFiles = commitLogBytes(masterDir);
    const slaveFiles = commitLogBytes(slaveDir);
    expect([...slaveFiles.keys()]).toEqual([...masterFiles.keys()]);
    for (const [name, bytes] of masterFiles) expect(slaveFiles.get(name)?.equals(bytes), name).toBe(true);
  });

  it('a restarted slave resumes from its end', async () => {
    const slaveDir = freshStoreDir();
    const master = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    const port = master.startHaMaster(0, HA);
    appendMany(master, 10, 10);
    let slave = openStore({ storePath: slaveDir, commitLogFileSizeBytes: FILE_SIZE });
    slave.startHaSlave(`127.0.0.1:${port}`, HA);
    await until(() => slave.getMaxPhysicalOffset() === master.getMaxPhysicalOffset(), 'the first catch-up');
    slave.close();
    appendMany(master, 10, 10, 'after');
    slave = openStore({ storePath: slaveDir, commitLogFileSizeBytes: FILE_SIZE });
    slave.startHaSlave(`127.0.0.1:${port}`, HA);
    await until(() => slave.getMaxPhysicalOffset() === master.getMaxPhysicalOffset(), 'the catch-up after restart');
    for (let q = 0; q < 4; q += 1) expect(queueDigest(slave, q)).toEqual(queueDigest(master, q));
  });

  it("an empty slave joining late starts at the start of the master's last file (RocketMQ's rule)", async () => {
    const master = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    appendMany(master, 30, 25);
    const lastFileStart = master.getMaxPhysicalOffset() - (master.getMaxPhysicalOffset() % FILE_SIZE);
    expect(lastFileStart).toBeGreaterThan(0);
    const slave = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    slave.startHaSlave(`127.0.0.1:${master.startHaMaster(0, HA)}`, HA);
    await until(() => slave.getMaxPhysicalOffset() === master.getMaxPhysicalOffset(), 'the slave to catch up');
    expect(slave.getMinPhysicalOffset()).toBe(lastFileStart);
    const from = slave.getMinOffsetInQueue('TopicTest', 2);
    expect(from).toBeGreaterThan(0);
    expect(queueDigest(slave, 2, from)).toEqual(queueDigest(master, 2, from));
  });

  it('a slave ahead of its master is refused, and the master says so', async () => {
    const master = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    const slave = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    appendMany(master, 2, 5);
    appendMany(slave, 4, 5);
    const slaveEnd = slave.getMaxPhysicalOffset();
    const port = master.startHaMaster(0, HA);
    slave.startHaSlave(`127.0.0.1:${port}`, HA);
    await until(() => master.getHaStatus().lastError !== '', 'the master to refuse the slave');
    expect(master.getHaStatus().lastError).toMatch(/past this master's CommitLog end .*diverged/);
    expect(slave.getMaxPhysicalOffset()).toBe(slaveEnd);
    expect(master.getHaStatus().ackedOffset).toBe(0);
  });
});
