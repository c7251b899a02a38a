// Broker: the broker, assembled from its parts (broker-parts.ts) and its Remoting handler table
// (broker-handlers.ts), run through one Lifecycle in dependency order: store → metadata persister →
// delay and timer services → stats sampler → client scanner → Remoting server → pull holds → registry
// registration; stop runs in reverse (unregister first, held pulls answered while connections are open,
// store last). The Scheduler, randomness and store factory are injected; the Node defaults live here.
// Depends on every broker layer.

import { Lifecycle } from '../../common/lifecycle.js';
import type { Component } from '../../common/lifecycle.js';
import type { Logger } from '../../common/logger.js';
import { nodeScheduler } from '../../common/node-scheduler.js';
import type { Scheduler } from '../../common/scheduler.js';
import type { MessageStore } from '../../store/message-store-api.js';
import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { ProducerManager } from '../domain/client/producer-manager.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import type { RebalanceLockManager } from '../domain/order/rebalance-lock-manager.js';
import type { PullRequestHoldService } from '../domain/pull/long-poll.js';
import type { ScheduleMessageService } from '../domain/schedule/schedule-message-service.js';
import type { TimerMessageService } from '../domain/schedule/timer-message-service.js';
import type { BrokerRegistryClient } from '../infra/registry-client.js';
import type { ReplicationComponent } from '../infra/replication-component.js';
import { type OpenStore, openNativeStore, type StoreComponent } from '../infra/store-component.js';
import type { MessageArrivals } from '../services/message-arrival.js';
import type { TransactionService } from '../services/transaction-service.js';
import type { BrokerConfig } from './broker-config.js';
import { registerHandlers, remotingHandlers } from './broker-handlers.js';
import {
  type BrokerContext,
  buildArrivals,
  buildClients,
  buildClientScanner,
  buildMetadata,
  buildPersister,
  buildRegistryClient,
  buildRemoting,
  buildSchedule,
  buildServices,
  buildSlaveSynchronizer,
  buildStore,
  type RemotingParts,
} from './broker-parts.js';
import { ConfigJsonFile } from '../../common/json-file.js';
import type { GrpcServer } from '../grpc/grpc-server.js';
import { buildGrpc } from './broker-grpc.js';
import { buildPop } from './pop-parts.js';
import type { BrokerMetrics } from '../services/broker-metrics.js';
import { buildMetrics, type MetricsParts } from './broker-metrics-part.js';
import type { DashboardServer } from '../../dashboard/dashboard-server.js';
import { buildDashboard } from './broker-dashboard.js';

/** What a broker runs on besides its config; each has a Node default. */
export interface BrokerOptions {
  /** Clock and timers (default: the Node scheduler). */
  readonly scheduler?: Scheduler;
  /** [0, 1) like Math.random (default: Math.random). */
  readonly random?: () => number;
  /** Opens the store at start (default: the Rust store, NativeMessageStore). */
  readonly openStore?: OpenStore;
  /** The metadata documents (default: JSON files under storePathRootDir/config). */
  readonly openMetaStore?: BrokerContext['openMetaStore'];
}

/** The context every part is built with: the options given, else the Node defaults. */
function brokerContext(config: BrokerConfig, logger: Logger, options: BrokerOptions): BrokerContext {
  return {
    config,
    logger,
    scheduler: options.scheduler ?? nodeScheduler,
    random: options.random ?? Math.random,
    openStore: options.openStore ?? openNativeStore,
    openMetaStore: options.openMetaStore ?? ((path, metaLogger) => new ConfigJsonFile(path, metaLogger)),
  };
}

export class Broker {
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly producers: ProducerManager;
  readonly locks: RebalanceLockManager;
  /** Pulls suspended until a message arrives for their queue (long polling). */
  readonly pullHolds: PullRequestHoldService;
  /** Delivers SCHEDULE_TOPIC_XXXX messages (delay levels, retries) when due. */
  readonly schedule: ScheduleMessageService;
  /** Delivers timer messages (TIMER_DELAY_SEC / _MS, TIMER_DELIVER_MS) when due. */
  readonly timers: TimerMessageService;
  /** Listeners of message arrivals per topic (schedule, timer, held pulls). */
  readonly arrivals: MessageArrivals;
  /** END_TRANSACTION and the transactional check of half messages. */
  readonly transactions: TransactionService;
  /** The RocketMQ 5 metrics (docs/metrics.md): `snapshot()` for dashboards, `/metrics` when PROM. */
  readonly metrics: BrokerMetrics;
  private readonly metricsParts: MetricsParts;
  private readonly storeComponent: StoreComponent;
  private readonly remoting: RemotingParts;
  private readonly registryClient: BrokerRegistryClient | null;
  /** The gRPC endpoint for RocketMQ 5 clients; null when `grpcServerPort` is 0. */
  private readonly grpc: GrpcServer | null;
  /** The embedded dashboard (docs/dashboard.md); null when `dashboardPort` is 0. */
  private readonly dashboard: DashboardServer | null;
  private readonly lifecycle: Lifecycle;
  /** The store's HA master or slave (docs/replication.md). */
  readonly replication: ReplicationComponent;

  constructor(
    readonly config: BrokerConfig,
    private readonly logger: Logger,
    options: BrokerOptions = {},
  ) {
    const ctx = brokerContext(config, logger, options);
    const brokerAddr = (): string => this.brokerAddr;
    const registerAll = (): void => void this.registryClient?.registerAll();
    const meta = buildMetadata(ctx, registerAll);
    const store = buildStore(ctx, meta);
    const arrival = buildArrivals(ctx, () => this.store);
    const schedule = buildSchedule(ctx, meta, store, arrival.arrivals);
    const client = buildClients(ctx, meta);
    const services = buildServices(ctx, { meta, store, arrival, schedule, client }, brokerAddr);
    const pop = buildPop(ctx, { meta, store, arrivals: arrival.arrivals }, brokerAddr);
    this.remoting = buildRemoting(ctx);
    const { server } = this.remoting;
    const handlerParts = { meta, store, schedule, client, services, server, registerAll, pop };
    this.metrics = store.metrics;
    this.metricsParts = buildMetrics(ctx, { meta, store, client, transactions: services.transactions });
    registerHandlers(server, remotingHandlers(ctx, handlerParts), (code, response, elapsedMs) =>
      this.metrics.recordRpc(code, response, elapsedMs),
    );
    this.dashboard = buildDashboard(ctx, handlerParts, brokerAddr);
    this.grpc = buildGrpc(ctx, { meta, client, services, pop }, () => this.grpcPort ?? 0);
    this.replication = store.replication;
    const registryRemoting = this.remoting.registryRemoting;
    this.registryClient = buildRegistryClient(ctx, registryRemoting, meta.topics, brokerAddr, this.replication);
    ({ topics: this.topics, groups: this.groups, offsets: this.offsets } = meta);
    ({ consumers: this.consumers, producers: this.producers, locks: this.locks } = client);
    ({ schedule: this.schedule, timers: this.timers } = schedule);
    ({ arrivals: this.arrivals, pullHolds: this.pullHolds } = arrival);
    this.storeComponent = store.storeComponent;
    this.transactions = services.transactions;
    this.lifecycle = new Lifecycle(logger);
    const timers = this.timers;
    const timerComponent: Component = { name: 'timer', start: () => timers.start(), stop: () => timers.stop() };
    // A slave's store takes only its master's bytes: the services that write messages run on the master.
    const master = config.brokerRole !== 'SLAVE';
    const components: Array<Component | null> = [
      store.storeComponent,
      this.replication,
      buildPersister(ctx, meta, schedule),
      // After the persister: it stops first and commits the revive progress before the last offsets write.
      master ? pop.reviveComponent : null,
      master ? { name: 'schedule', start: () => this.schedule.start(), stop: () => this.schedule.stop() } : null,
      master && config.timerWheelEnable ? timerComponent : null,
      store.admin.sampler,
      buildClientScanner(ctx, client),
      this.remoting.server,
      this.grpc,
      this.metricsParts.http,
      this.dashboard,
      // After the server: checks start once it listens and stop (committing their progress) before it closes.
      { name: 'transaction-check', start: () => this.transactions.start(), stop: () => this.transactions.stop() },
      // After the server, so it stops first while connections are open: held pulls get their answer.
      arrival.pullHoldsComponent,
      pop.pollingComponent,
      arrival.pullHoldRecheck,
      this.registryClient === null ? null : this.remoting.registryRemoting,
      this.registryClient,
      master ? null : buildSlaveSynchronizer(ctx, meta, this.remoting.registryRemoting, this.replication),
    ];
    for (const component of components) if (component !== null) this.lifecycle.add(component);
  }

  /** The open store (between start and stop). */
  get store(): MessageStore {
    return this.storeComponent.store;
  }

  /** Tells the arrival listeners (delay and timer services, held pulls) that messages are readable on a queue. */
  notifyMessageArriving(topic: string, queueId: number): void {
    this.arrivals.notify(topic, queueId);
  }

  /** The address clients dial: `brokerIP1:port`. */
  get brokerAddr(): string {
    return `${this.config.brokerIP1}:${this.remoting.server.port}`;
  }

  get port(): number {
    return this.remoting.server.port;
  }

  /** The gRPC endpoint's port once listening; null without one. */
  get grpcPort(): number | null {
    return this.grpc === null ? null : this.grpc.port;
  }

  /** The address RocketMQ 5 clients dial, `brokerIP1:grpcPort`; null without a gRPC endpoint. */
  get grpcAddress(): string | null {
    return this.grpc === null ? null : `${this.config.brokerIP1}:${this.grpc.port}`;
  }

  /** `http://host:port/metrics` once listening; null unless `metricsExporterType=PROM` (and listening). */
  get metricsUrl(): string | null {
    return this.metricsParts.http?.url ?? null;
  }

  /** The Prometheus text of every metric now (whether or not the endpoint is on). */
  renderMetrics(): Promise<string> {
    return this.metricsParts.prometheus().render();
  }

  /** The dashboard's HTTP port once listening; null without one. */
  get dashboardPort(): number | null {
    return this.dashboard === null ? null : this.dashboard.port;
  }

  async start(): Promise<void> {
    await this.lifecycle.start();
    this.logger.info('broker started', { brokerName: this.config.brokerName, addr: this.brokerAddr });
  }

  async stop(): Promise<void> {
    await this.lifecycle.stop();
  }

  stopOnSignals(onStopped: (exitCode: number) => void): () => void {
    return this.lifecycle.stopOnSignals(onStopped);
  }
}
