// Replication faults between two Rust stores (docs/replication.md §2, §3): garbage from a would-be
// slave, the connection cut mid-transfer, and the master restarted under a connected slave. Each
// leaves both logs consistent and replication resuming (the slave reconnects after 5 s).

import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NativeMessageStore } from '../../ts/store/native-message-store.js';
import { freshStoreDir, goldenMessage, openStore } from '../store/store-fixtures.js';

const FILE_SIZE = 64 * 1024;
const HA = { transferBatchSizeBytes: 1000, heartbeatIntervalMs: 200, housekeepingIntervalMs: 5000 };

function appendMany(store: NativeMessageStore, batches: number, tag: string): void {
  for (let b = 0; b < batches; b += 1) {
    const body = (i: number) => Buffer.from(`${tag}-${b}-${i}-`.padEnd(200 + ((b * 13 + i) % 400), '.'));
    store.append(Array.from({ length: 20 }, (_, i) => goldenMessage({ queueId: i % 4, body: body(i) })));
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function digest(store: NativeMessageStore): string[] {
  return [0, 1, 2, 3].map((q) => {
    const result = store.getMessages('TopicTest', q, 0, 100_000, { maxSizeBytes: 256 * 1024 * 1024 });
    return `${result.messageCount}:${createHash('sha256').update(result.buffer).digest('hex')}`;
  });
}

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

/** A TCP proxy to `port` whose live connections `cut()` closes. */
async function proxyTo(port: number): Promise<{ port: number; cut: () => void; server: Server }> {
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.push(client, upstream);
    client.pipe(upstream).on('error', () => {});
    upstream.pipe(client).on('error', () => {});
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server, cut: () => sockets.splice(0).forEach((socket) => socket.destroy()) };
}

describe('replication faults', () => {
  it('garbage from a would-be slave closes only its connection; a real slave still replicates', async () => {
    const master = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    appendMany(master, 5, 'a');
    const port = master.startHaMaster(0, HA);
    const garbage = connect(port, '127.0.0.1');
    cleanup.push(() => garbage.destroy());
    const closed = new Promise((resolve) => garbage.once('close', resolve));
    garbage.on('error', () => {});
    garbage.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await closed;
    expect(master.getHaStatus().lastError).toMatch(/diverged \(or it sent garbage\)/);
    const slave = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    slave.startHaSlave(`127.0.0.1:${port}`, HA);
    await until(() => slave.getMaxPhysicalOffset() === master.getMaxPhysicalOffset(), 'the slave to catch up');
    expect(digest(slave)).toEqual(digest(master));
  });

  it('a connection cut during replication resumes from the slave end', async () => {
    const master = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    const port = master.startHaMaster(0, HA);
    const proxy = await proxyTo(port);
    const slave = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    slave.startHaSlave(`127.0.0.1:${proxy.port}`, HA);
    await until(() => master.getHaStatus().connections === 1, 'the slave to connect');
    appendMany(master, 40, 'b');
    await until(() => slave.getMaxPhysicalOffset() > 0, 'the transfer to start');
    proxy.cut();
    const cutAt = slave.getMaxPhysicalOffset();
    appendMany(master, 20, 'c');
    await until(() => slave.getMaxPhysicalOffset() === master.getMaxPhysicalOffset(), 'the slave to resume');
    expect(cutAt).toBeLessThan(master.getMaxPhysicalOffset());
    expect(digest(slave)).toEqual(digest(master));
  });

  it('a master restarted under a connected slave serves it again from its end', async () => {
    const masterDir = freshStoreDir();
    let master = openStore({ storePath: masterDir, commitLogFileSizeBytes: FILE_SIZE });
    const port = master.startHaMaster(0, HA);
    const slave = openStore({ commitLogFileSizeBytes: FILE_SIZE });
    slave.startHaSlave(`127.0.0.1:${port}`, HA);
    await until(() => master.getHaStatus().connections === 1, 'the slave to connect');
    appendMany(master, 20, 'd');
    await until(() => slave.getMaxPhysicalOffset() === master.getMaxPhysicalOffset(), 'the first catch-up');
    master.close();
    master = openStore({ storePath: masterDir, commitLogFileSizeBytes: FILE_SIZE });
    expect(master.startHaMaster(port, HA)).toBe(port);
    appendMany(master, 20, 'e');
    await until(() => slave.getMaxPhysicalOffset() === master.getMaxPhysicalOffset(), 'the catch-up after restart');
    expect(digest(slave)).toEqual(digest(master));
  });
});
