// Registry: the name server, assembled. Builds the domain (routes, KV config), the api handlers and
// the Remoting server, and runs them through one Lifecycle: the server starts last and stops first;
// a scanner drops brokers silent past their timeout and a closed connection drops its brokers.
// The clock and the scanner's timer come from the injected Scheduler (ts/common/node-scheduler.ts in
// the processes that run it). Depends on every registry layer, ts/remoting and ts/common.

import type { Component } from '../../common/lifecycle.js';
import { Lifecycle } from '../../common/lifecycle.js';
import type { Logger } from '../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import { frontDoorLimitsOf } from '../../remoting/front-door-limits.js';
import { RemotingServer } from '../../remoting/remoting-server.js';
import { releaseFreeMemory } from '../../store/native-memory.js';
import { BrokerRegistrationHandler } from '../api/broker-registration-handler.js';
import { KvConfigHandler } from '../api/kv-config-handler.js';
import type { RegistryRequestHandler } from '../api/request-fields.js';
import { RouteHandler } from '../api/route-handler.js';
import { KvConfigManager } from '../domain/kv-config-manager.js';
import { RouteInfoManager } from '../domain/route-info-manager.js';
import { KvConfigFile } from '../infra/kv-config-file.js';
import type { RegistryConfig } from './registry-config.js';

export class Registry {
  readonly routes = new RouteInfoManager();
  readonly kvConfig: KvConfigManager;
  private readonly server: RemotingServer;
  private readonly lifecycle: Lifecycle;

  constructor(
    readonly config: RegistryConfig,
    private readonly logger: Logger,
    private readonly scheduler: Scheduler,
  ) {
    const clock = (): number => scheduler.now();
    this.kvConfig = new KvConfigManager(
      config.kvConfigPath === null
        ? null
        : new KvConfigFile(config.kvConfigPath, logger.child({ component: 'kv-config' })),
    );
    this.server = new RemotingServer({
      name: 'registry-remoting',
      port: config.listenPort,
      host: config.listenHost,
      logger: logger.child({ component: 'registry-remoting' }),
      limits: frontDoorLimitsOf(config),
      releaseFreeMemory,
    });
    const handlers: RegistryRequestHandler[] = [
      new BrokerRegistrationHandler(this.routes, this.kvConfig, clock, config.brokerExpiredMs),
      new RouteHandler(this.routes),
      new KvConfigHandler(this.kvConfig),
    ];
    for (const handler of handlers) {
      this.server.registerProcessor(handler.codes, (request, connection) => handler.handle(request, connection));
    }
    this.server.onClose((connection) =>
      this.dropBrokers(this.routes.onConnectionClosed(connection.remoteAddress), 'connection closed'),
    );
    this.lifecycle = new Lifecycle(logger);
    this.lifecycle.add(this.brokerScanner());
    this.lifecycle.add(this.server);
  }

  /** The port the registry listens on (the real one when configured as 0). */
  get port(): number {
    return this.server.port;
  }

  async start(): Promise<void> {
    await this.lifecycle.start();
    this.logger.info('registry started', { port: this.port });
  }

  async stop(): Promise<void> {
    await this.lifecycle.stop();
  }

  /** Stops on SIGTERM/SIGINT (see Lifecycle.stopOnSignals). */
  stopOnSignals(onStopped: (exitCode: number) => void): () => void {
    return this.lifecycle.stopOnSignals(onStopped);
  }

  /** `scanNotActiveBroker` every `scanNotActiveBrokerIntervalMs`. */
  private brokerScanner(): Component {
    let timer: TimerHandle = undefined;
    return {
      name: 'broker-liveness-scanner',
      start: () => {
        timer = this.scheduler.setRepeating(this.config.scanNotActiveBrokerIntervalMs, () => {
          this.dropBrokers(this.routes.scanNotActiveBrokers(this.scheduler.now()), 'heartbeat timeout');
        });
      },
      stop: () => this.scheduler.clearTimer(timer),
    };
  }

  private dropBrokers(removed: ReadonlyArray<{ brokerAddr: string; brokerName: string | null }>, reason: string): void {
    for (const broker of removed) this.logger.warn('broker dropped', { ...broker, reason });
  }
}
