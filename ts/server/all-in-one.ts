// All-in-one: a registry and a broker in one process (`clean-rocketmq start`), the broker
// registered with the registry, both on one Lifecycle (registry first, broker second; stopped in
// reverse). Data lives under one folder (`--data-dir`, default ~/clean-rocketmq), or nowhere with
// `store: 'memory'` (MemoryMessageStore, metadata and KV config in memory). Depends on the registry and
// broker servers, and the memory store.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { MemoryMetaConfigStore } from '../broker/domain/meta/meta-config-store.js';
import { Broker, type BrokerOptions } from '../broker/server/broker.js';
import { type BrokerConfig, defaultBrokerConfig } from '../broker/server/broker-config.js';
import type { Logger } from '../common/logger.js';
import { nodeScheduler } from '../common/node-scheduler.js';
import { Registry } from '../registry/server/registry.js';
import { defaultRegistryConfig } from '../registry/server/registry-config.js';
import { MemoryMessageStore } from '../store/memory-message-store.js';

export interface AllInOneOptions {
  readonly dataDir?: string;
  /** Default 9876; 0 picks a free port. */
  readonly registryPort?: number;
  /** Default 10911; 0 picks a free port. */
  readonly brokerPort?: number;
  /** The gRPC endpoint's port (RocketMQ 5 clients); default 0: none (the CLI gives 8081). */
  readonly grpcPort?: number;
  /** Address clients dial for both (default 127.0.0.1). */
  readonly host?: string;
  /** Extra broker settings (broker.conf keys); the ports above and the registry address win. */
  readonly broker?: Partial<BrokerConfig>;
  /** `disk` (default): the Rust store under the data folder; `memory`: no files at all. */
  readonly store?: 'memory' | 'disk';
}

export const DEFAULT_DATA_DIR = join(homedir(), 'clean-rocketmq');

export class AllInOne {
  readonly registry: Registry;
  private broker: Broker | null = null;

  constructor(
    private readonly options: AllInOneOptions,
    private readonly logger: Logger,
  ) {
    const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
    this.registry = new Registry(
      defaultRegistryConfig({
        listenPort: options.registryPort ?? 9876,
        listenHost: options.host ?? '127.0.0.1',
        kvConfigPath: options.store === 'memory' ? null : join(dataDir, 'namesrv', 'kvConfig.json'),
      }),
      logger.child({ role: 'registry' }),
      nodeScheduler,
    );
  }

  get registryAddress(): string {
    return `${this.options.host ?? '127.0.0.1'}:${this.registry.port}`;
  }

  get brokerAddress(): string {
    if (this.broker === null) throw new Error('the broker is not started');
    return this.broker.brokerAddr;
  }

  /** The running broker (its tables, for tests and embedding). */
  get brokerServer(): Broker {
    if (this.broker === null) throw new Error('the broker is not started');
    return this.broker;
  }

  /** The gRPC address (`host:port`), or null without a gRPC endpoint. */
  get grpcAddress(): string | null {
    if (this.broker === null) throw new Error('the broker is not started');
    return this.broker.grpcAddress;
  }

  /** Starts the registry, then a broker registered with it. */
  async start(): Promise<void> {
    await this.registry.start();
    const dataDir = this.options.dataDir ?? DEFAULT_DATA_DIR;
    const config: BrokerConfig = {
      ...defaultBrokerConfig(),
      brokerName: 'broker-a',
      brokerIP1: this.options.host ?? '127.0.0.1',
      grpcServerPort: this.options.grpcPort ?? 0,
      storePathRootDir: join(dataDir, 'store'),
      ...this.options.broker,
      listenPort: this.options.brokerPort ?? this.options.broker?.listenPort ?? 10911,
      namesrvAddr: this.registryAddress,
    };
    const storeOptions = this.options.store === 'memory' ? memoryStoreOptions(config) : {};
    this.broker = new Broker(config, this.logger.child({ role: 'broker' }), storeOptions);
    try {
      await this.broker.start();
    } catch (error) {
      await this.registry.stop();
      throw error;
    }
  }

  /** Stops the broker (it unregisters), then the registry. */
  async stop(): Promise<void> {
    await this.broker?.stop();
    await this.registry.stop();
  }
}

/** A broker on MemoryMessageStore with its metadata documents in memory: it opens no file. */
function memoryStoreOptions(config: BrokerConfig): BrokerOptions {
  const openStore = () => {
    const store = new MemoryMessageStore({
      now: () => nodeScheduler.now(),
      maxMessageSizeBytes: config.maxMessageSize,
      messageDelayLevel: config.messageDelayLevel,
      messageIndexEnable: config.messageIndexEnable,
    });
    // Memory is "flushed" as soon as it is written.
    return Object.assign(store, { getFlushedPhysicalOffset: () => store.getMaxPhysicalOffset() });
  };
  return { openStore, openMetaStore: () => new MemoryMetaConfigStore() };
}
