// startAllInOne: the all-in-one started from code (a registry and a broker in this process, on
// ephemeral ports of 127.0.0.1), for people's own test suites; `stop()` closes every timer, socket and
// file it opened and removes the temp data folder it made. Depends on ts/server/all-in-one.ts.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerConfig } from '../broker/server/broker-config.js';
import { createJsonLogger, type Logger } from '../common/logger.js';
import { AllInOne } from './all-in-one.js';

export interface StartAllInOneOptions {
  /** Where the disk store lives; default a fresh temp folder, deleted by `stop()`. Unused for `memory`. */
  readonly dataDir?: string;
  /** broker.conf keys (RocketMQ's names), e.g. `{ flushDiskType: 'SYNC_FLUSH', enablePropertyFilter: true }`. */
  readonly brokerConfig?: Partial<BrokerConfig>;
  /** `disk` (default): the Rust store; `memory`: MemoryMessageStore, no files at all. */
  readonly store?: 'memory' | 'disk';
  /** Serve RocketMQ 5's gRPC protocol too, on a free port (default false). */
  readonly grpc?: boolean;
  /** Where the registry and broker log (default: warnings and errors as JSON lines on stderr). */
  readonly logger?: Logger;
}

export interface RunningAllInOne {
  /** The registry (name server), `127.0.0.1:port`: what clients take as `namesrvAddr`. */
  readonly namesrvAddr: string;
  /** The broker's Remoting address, `127.0.0.1:port`. */
  readonly brokerAddr: string;
  /** The broker's gRPC address, with `grpc: true`. */
  readonly grpcAddr?: string;
  /** Stops the broker, then the registry; deletes the temp data folder if one was made. */
  stop(): Promise<void>;
}

/** A registry and a broker in this process on ephemeral ports of 127.0.0.1, started and ready. */
export async function startAllInOne(options: StartAllInOneOptions = {}): Promise<RunningAllInOne> {
  const memory = options.store === 'memory';
  const tempDir = memory || options.dataDir !== undefined ? null : mkdtempSync(join(tmpdir(), 'clean-rocketmq-'));
  const removeTempDir = (): void => {
    if (tempDir !== null) rmSync(tempDir, { recursive: true, force: true });
  };
  const server = new AllInOne(
    {
      // The memory store never reads it; the registry's KV config stays in memory too.
      dataDir: tempDir ?? options.dataDir ?? join(tmpdir(), 'clean-rocketmq-memory'),
      registryPort: 0,
      brokerPort: 0,
      grpcPort: options.grpc === true ? await freePort() : 0,
      host: '127.0.0.1',
      store: memory ? 'memory' : 'disk',
      ...(options.brokerConfig === undefined ? {} : { broker: options.brokerConfig }),
    },
    options.logger ?? createJsonLogger('warn', { role: 'all-in-one' }),
  );
  try {
    await server.start();
  } catch (error) {
    removeTempDir();
    throw error;
  }
  const grpcAddr = server.grpcAddress;
  return {
    namesrvAddr: server.registryAddress,
    brokerAddr: server.brokerAddress,
    ...(grpcAddr === null ? {} : { grpcAddr }),
    stop: async () => {
      await server.stop();
      removeTempDir();
    },
  };
}

/** A free port of 127.0.0.1 (the gRPC endpoint treats port 0 as "off"): bound and released at once. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port for the gRPC endpoint');
  return address.port;
}
