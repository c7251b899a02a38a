// All-in-one: a registry and a broker in one process (`clean-rocketmq start`), the broker
// registered with the registry, both on one Lifecycle (registry first, broker second; stopped in
// reverse). Data lives under one folder (`--data-dir`, default ~/clean-rocketmq).
// Depends on the registry and broker servers.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../broker/server/broker.js';
import { type BrokerConfig, defaultBrokerConfig } from '../broker/server/broker-config.js';
import type { Logger } from '../common/logger.js';
import { nodeScheduler } from '../common/node-scheduler.js';
import { Registry } from '../registry/server/registry.js';
import { defaultRegistryConfig } from '../registry/server/registry-config.js';

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
  /** Extra broker settings (broker.conf keys). */
  readonly broker?: Partial<BrokerConfig>;
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
        kvConfigPath: join(dataDir, 'namesrv', 'kvConfig.json'),
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
    this.broker = new Broker(
      {
        ...defaultBrokerConfig(),
        brokerName: 'broker-a',
        brokerIP1: this.options.host ?? '127.0.0.1',
        listenPort: this.options.brokerPort ?? 10911,
        grpcServerPort: this.options.grpcPort ?? 0,
        namesrvAddr: this.registryAddress,
        storePathRootDir: join(dataDir, 'store'),
        ...this.options.broker,
      },
      this.logger.child({ role: 'broker' }),
    );
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
