// The parts of a broker, each built by one small function from the config and the parts it needs:
// metadata managers, store, message arrivals and held pulls, delay and timer services, the
// protocol-neutral services, the Remoting server and the registry registration. broker.ts calls them
// in dependency order and adds their components to its Lifecycle. Every part that reads the clock or
// arms a timer gets the injected Scheduler. Depends on every broker layer.

import { totalmem } from 'node:os';
import type { Component } from '../../common/lifecycle.js';
import type { Logger } from '../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import { parseSocketAddress } from '../../common/socket-address.js';
import { RemotingClient } from '../../remoting/remoting-client.js';
import { frontDoorLimitsOf } from '../../remoting/front-door-limits.js';
import { RemotingServer } from '../../remoting/remoting-server.js';
import type { MessageStore } from '../../store/message-store-api.js';
import { releaseFreeMemory } from '../../store/native-memory.js';
import { ConsumerManager } from '../domain/client/consumer-manager.js';
import { ProducerManager } from '../domain/client/producer-manager.js';
import { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { MetaConfigStore } from '../domain/meta/meta-config-store.js';
import { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { RebalanceLockManager } from '../domain/order/rebalance-lock-manager.js';
import { PullRequestHoldService } from '../domain/pull/long-poll.js';
import { DelayLevelTable } from '../domain/schedule/delay-level-table.js';
import { ScheduleMessageService } from '../domain/schedule/schedule-message-service.js';
import { TimerMessageService } from '../domain/schedule/timer-message-service.js';
import { fakeIp, UniqueIdGenerator } from '../../protocol/unique-id.js';
import { AppendBatcher } from '../infra/append-batcher.js';
import { PeriodicPersister } from '../infra/meta/periodic-persister.js';
import { ReplicationComponent } from '../infra/replication-component.js';
import { SlaveSynchronizer } from '../infra/slave-synchronizer.js';
import { BrokerRegistryClient } from '../infra/registry-client.js';
import { type OpenStore, StoreComponent } from '../infra/store-component.js';
import {
  CLIENT_SCAN_INTERVAL_MS,
  PULL_HOLD_MAX_HELD_REQUESTS,
  PULL_HOLD_MAX_SUSPEND_TIMEOUT_MS,
  PULL_HOLD_RECHECK_INTERVAL_MS,
} from '../limits.js';
import { ClientService } from '../services/client-service.js';
import { ClientCommandRelays } from '../services/client-command-relay.js';
import { MessageArrivals } from '../services/message-arrival.js';
import { OffsetService } from '../services/offset-service.js';
import { PullService } from '../services/pull-service.js';
import { ClientConfigService } from '../services/client-config-service.js';
import { ConsumerFilterTable } from '../domain/filter/consumer-filter-table.js';
import { QueryService } from '../services/query-service.js';
import { type ReplyDeps, ReplyService } from '../services/reply-service.js';
import { SendService } from '../services/send-service.js';
import { RecallService } from '../services/recall-service.js';
import { type TransactionDeps, TransactionService, type TransactionSettings } from '../services/transaction-service.js';
import { BrokerAdmin } from './broker-admin.js';
import type { BrokerConfig } from './broker-config.js';
import { RMQ_SYS_SCHEDULE_TOPIC, TIMER_TOPIC } from '../../protocol/topics.js';
import { brokerConfigFilePaths } from '../infra/meta/config-file-paths.js';
import type { BrokerMetrics } from '../services/broker-metrics.js';
import { buildMetricsCounters } from './broker-metrics-part.js';

/** What every part may read: the config, the logger, the clock and timers, the randomness, the store factory. */
export interface BrokerContext {
  readonly config: BrokerConfig;
  readonly logger: Logger;
  readonly scheduler: Scheduler;
  /** [0, 1), like Math.random: random queue choices and the msgId process hash. */
  readonly random: () => number;
  readonly openStore: OpenStore;
  /** The metadata document at a path (topics.json, …): a ConfigJsonFile by default, in memory in tests. */
  readonly openMetaStore: (path: string, logger: Logger) => MetaConfigStore;
}

export interface MetadataParts {
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly files: ReturnType<typeof brokerConfigFilePaths>;
  readonly metaLogger: Logger;
}

/** The topic, subscription-group and consumer-offset managers over their JSON files. */
export function buildMetadata(ctx: BrokerContext, onTopicCreated: () => void): MetadataParts {
  const { config } = ctx;
  const files = brokerConfigFilePaths(config.storePathRootDir);
  const metaLogger = ctx.logger.child({ component: 'meta' });
  const nowMs = (): number => ctx.scheduler.now();
  const deps = (path: string) => ({ store: ctx.openMetaStore(path, metaLogger), logger: metaLogger, nowMs });
  return {
    topics: new TopicConfigManager(config, { ...deps(files.topicConfigPath), onTopicCreated }),
    groups: new SubscriptionGroupManager(config, deps(files.subscriptionGroupPath)),
    offsets: new ConsumerOffsetManager(config, deps(files.consumerOffsetPath)),
    files,
    metaLogger,
  };
}

export interface StoreParts {
  readonly storeComponent: StoreComponent;
  readonly admin: BrokerAdmin;
  /** The open store with puts and gets counted in the broker stats: what services read and append through. */
  readonly storeOf: () => MessageStore;
  readonly batcher: AppendBatcher;
  /** The RocketMQ 5 metrics: puts counted by storeOf, pulls and pops by their services (docs/metrics.md). */
  readonly metrics: BrokerMetrics;
  /** The store's HA master or slave (docs/replication.md), started after the store. */
  readonly replication: ReplicationComponent;
}

/** The store component (opened by the injected factory), the admin stats counting over it, the append batcher. */
export function buildStore(ctx: BrokerContext, meta: MetadataParts): StoreParts {
  const storeComponent = new StoreComponent(ctx.config, ctx.openStore, ctx.logger.child({ component: 'store' }));
  const admin = new BrokerAdmin(meta.topics, meta.offsets, ctx.scheduler);
  const metrics = buildMetricsCounters(ctx.config);
  const storeOf = admin.countingStore(() => storeComponent.store, metrics);
  const batcher = new AppendBatcher(storeOf, ctx.scheduler);
  return { storeComponent, admin, storeOf, batcher, metrics, replication: buildReplication(ctx, storeComponent) };
}

export interface ArrivalParts {
  readonly arrivals: MessageArrivals;
  readonly pullHolds: PullRequestHoldService;
  /** Answers held pulls at stop (after the server, while connections are open). */
  readonly pullHoldsComponent: Component;
  /** Re-checks held pulls against the store. */
  readonly pullHoldRecheck: Component;
}

/** The arrival listeners and the held pulls, which listen on every topic. */
export function buildArrivals(ctx: BrokerContext, store: () => MessageStore): ArrivalParts {
  const { config, scheduler } = ctx;
  const hold = { longPollingEnable: config.longPollingEnable, shortPollingTimeMs: config.shortPollingTimeMills };
  const pullHolds = new PullRequestHoldService(scheduler, hold);
  const arrivals = new MessageArrivals();
  arrivals.onEveryArrival((topic, queueId) => {
    // Most sends find no pull held on their queue: skip the store look-up (an N-API call) for those.
    if (pullHolds.heldCount === 0 || pullHolds.heldCountOf(topic, queueId) === 0) return;
    pullHolds.notifyMessageArriving(topic, queueId, store().getMaxOffsetInQueue(topic, queueId));
  });
  const pullHoldsComponent: Component = {
    name: 'pull-holds',
    start: () => undefined,
    stop: async () => {
      pullHolds.shutdown();
      // The released pulls answer through promise chains: let them reach their sockets first.
      await new Promise<void>((resolve) => scheduler.afterTurn(resolve));
    },
  };
  const recheckIntervalMs = config.longPollingEnable ? PULL_HOLD_RECHECK_INTERVAL_MS : config.shortPollingTimeMills;
  const pullHoldRecheck = repeatingComponent(scheduler, 'pull-hold-recheck', recheckIntervalMs, () =>
    pullHolds.recheck((topic, queueId) => store().getMaxOffsetInQueue(topic, queueId)),
  );
  return { arrivals, pullHolds, pullHoldsComponent, pullHoldRecheck };
}

export interface ScheduleParts {
  readonly delayLevels: DelayLevelTable;
  readonly schedule: ScheduleMessageService;
  readonly timers: TimerMessageService;
}

/** The delay-level and timer services; each listens for arrivals on its own topic. */
export function buildSchedule(
  ctx: BrokerContext,
  meta: MetadataParts,
  store: StoreParts,
  arrivals: MessageArrivals,
): ScheduleParts {
  const { config, scheduler, logger } = ctx;
  const delayLevels = new DelayLevelTable(config.messageDelayLevel);
  const onDelivered = (topic: string, queueId: number): void => arrivals.notify(topic, queueId);
  const schedule = new ScheduleMessageService({
    table: delayLevels,
    store: store.storeOf,
    deliver: (messages) => store.batcher.append(messages),
    onDelivered,
    scheduler,
    offsetStore: ctx.openMetaStore(meta.files.delayOffsetPath, meta.metaLogger),
    logger: logger.child({ component: 'schedule' }),
  });
  const timers = new TimerMessageService({
    store: store.storeOf,
    deliver: (messages) => store.batcher.append(messages),
    onDelivered,
    scheduler,
    progressStore: ctx.openMetaStore(meta.files.timerProgressPath, meta.metaLogger),
    logger: logger.child({ component: 'timer' }),
  });
  arrivals.onArrival(RMQ_SYS_SCHEDULE_TOPIC, (_topic, queueId) => schedule.notifyMessageArriving(queueId));
  arrivals.onArrival(TIMER_TOPIC, () => timers.notifyMessageArriving());
  return { delayLevels, schedule, timers };
}

export interface ClientParts {
  readonly consumers: ConsumerManager;
  readonly producers: ProducerManager;
  readonly locks: RebalanceLockManager;
  readonly clients: ClientService;
  /** How admin requests reach clients without a Remoting connection (gRPC clients register theirs). */
  readonly relays: ClientCommandRelays;
}

export function buildClients(ctx: BrokerContext, meta: MetadataParts): ClientParts {
  const consumers = new ConsumerManager();
  const producers = new ProducerManager();
  const locks = new RebalanceLockManager();
  const clients = new ClientService({
    consumers,
    producers,
    groups: meta.groups,
    topics: meta.topics,
    locks,
    clock: () => ctx.scheduler.now(),
    notifyConsumerIdsChangedEnable: ctx.config.notifyConsumerIdsChangedEnable,
    logger: ctx.logger.child({ component: 'client' }),
  });
  return { consumers, producers, locks, clients, relays: new ClientCommandRelays() };
}

/** The parts the services are built from. */
export interface ServiceInputs {
  readonly meta: MetadataParts;
  readonly store: StoreParts;
  readonly arrival: ArrivalParts;
  readonly schedule: ScheduleParts;
  readonly client: ClientParts;
}

export interface ServiceParts {
  readonly sends: SendService;
  readonly pulls: PullService;
  readonly offsetService: OffsetService;
  readonly queries: QueryService;
  /** CHECK_CLIENT_CONFIG: SQL92 subscriptions checked against the same compiled filters pulls use. */
  readonly clientConfig: ClientConfigService;
  /** Request-reply: replies delivered to their requesters and stored in the reply topic. */
  readonly replies: ReplyService;
  /** END_TRANSACTION and the transactional check. */
  readonly transactions: TransactionService;
  /** RECALL_MESSAGE and gRPC RecallMessage: recall markers parked through the send path. */
  readonly recalls: RecallService;
}

/** Bounds of held pulls (see long-poll.ts). */
const DEFAULT_HOLD_LIMITS = {
  maxSuspendTimeoutMs: PULL_HOLD_MAX_SUSPEND_TIMEOUT_MS,
  maxHeldRequests: PULL_HOLD_MAX_HELD_REQUESTS,
};

/**
 * The send settings over the live config: `rejectTransactionMessage` and `maxMessageSize` are read per send,
 * so UPDATE_BROKER_CONFIG changes them at once (docs/admin-cli.md §4); the rest are fixed at start.
 */
function sendSettingsOf(config: BrokerConfig, brokerAddr: () => string, store: StoreParts) {
  return {
    brokerClusterName: config.brokerClusterName,
    brokerName: config.brokerName,
    brokerPermission: config.brokerPermission,
    brokerIp: config.brokerIP1,
    storeHost: () => parseSocketAddress(brokerAddr()),
    get rejectTransactionMessage(): boolean {
      return config.rejectTransactionMessage;
    },
    get maxMessageSizeBytes(): number {
      return config.maxMessageSize;
    },
    syncFlush: config.flushDiskType === 'SYNC_FLUSH',
    syncFlushTimeoutMs: config.syncFlushTimeout,
    whenReplicated: config.brokerRole === 'SYNC_MASTER' ? (end: number) => store.replication.whenReplicated(end) : null,
  };
}

/** The protocol-neutral services every front calls. `brokerAddr` is read per send (the real port once listening). */
export function buildServices(ctx: BrokerContext, parts: ServiceInputs, brokerAddr: () => string): ServiceParts {
  const { config, scheduler, random } = ctx;
  const { meta, store, client } = parts;
  const nowMs = (): number => scheduler.now();
  const uniqueIds = new UniqueIdGenerator({
    ip: ipv4Bytes(config.brokerIP1) ?? fakeIp(scheduler.now()),
    pid: process.pid,
    processHash: (random() * 0x7fffffff) | 0,
    now: nowMs,
  });
  const sendSettings = sendSettingsOf(config, brokerAddr, store);
  const { timerWheelEnable, timerPrecisionMs, timerMaxDelaySec } = config;
  const timer = { timerWheelEnable, timerPrecisionMs, timerMaxDelaySec };
  const { delayLevels } = parts.schedule;
  const rules = { groups: meta.groups, locks: client.locks, delayLevels, timer, nowMs, random };
  const onStored = (topic: string, queueId: number): void => parts.arrival.arrivals.notify(topic, queueId);
  const nextUniqueId = (): string => uniqueIds.next();
  const sends = new SendService(store.batcher, store.storeOf, meta.topics, rules, sendSettings, nextUniqueId, onStored);
  const pullSettings = {
    brokerName: config.brokerName,
    brokerPermission: config.brokerPermission,
    slave: config.brokerRole === 'SLAVE',
    hold: {
      ...DEFAULT_HOLD_LIMITS,
      longPollingEnable: config.longPollingEnable,
      shortPollingTimeMs: config.shortPollingTimeMills,
    },
    enablePropertyFilter: config.enablePropertyFilter,
    slaveRead: config.slaveReadEnable ? { lagBytes: (totalmem() * config.accessMessageInMemoryMaxRatio) / 100 } : null,
  };
  const { topics, groups, offsets } = meta;
  const { pullHolds } = parts.arrival;
  const { consumers } = client;
  const filters = new ConsumerFilterTable();
  const pulls = new PullService(
    store.storeOf,
    topics,
    groups,
    consumers,
    offsets,
    pullHolds,
    pullSettings,
    nowMs,
    filters,
    store.metrics,
  );
  const offsetService = new OffsetService(offsets, store.storeOf);
  const clientConfig = new ClientConfigService(filters, config.enablePropertyFilter);
  const replies = buildReplyService(ctx, parts, { sends, onStored, storeHost: sendSettings.storeHost });
  const transactions = buildTransactions(ctx, parts, {
    nextUniqueId,
    onStored,
    storeHost: sendSettings.storeHost,
    schedule: (message, properties) => sends.schedule(message, properties),
  });
  const queries = new QueryService(store.storeOf);
  const recalls = buildRecallService(ctx, meta, sends);
  return { sends, pulls, offsetService, queries, replies, clientConfig, transactions, recalls };
}

/** Recalls of parked timer messages: markers parked through the send path (docs/grpc.md §8). */
function buildRecallService(ctx: BrokerContext, meta: MetadataParts, sends: SendService): RecallService {
  const { config, scheduler } = ctx;
  return new RecallService(meta.topics, sends, {
    recallMessageEnable: config.recallMessageEnable,
    brokerName: config.brokerName,
    slave: config.brokerRole === 'SLAVE',
    timerMaxDelaySec: config.timerMaxDelaySec,
    nowMs: () => scheduler.now(),
  });
}
/** The reply path of request-reply, over the send checks, the producer table and the append batcher. */
function buildReplyService(
  ctx: BrokerContext,
  parts: ServiceInputs,
  send: Pick<ReplyDeps, 'sends' | 'onStored' | 'storeHost'>,
): ReplyService {
  const { config, scheduler, random } = ctx;
  const deps: ReplyDeps = {
    ...send,
    producers: parts.client.producers,
    append: (messages) => parts.store.batcher.append(messages),
    nowMs: () => scheduler.now(),
    random,
    logger: ctx.logger.child({ component: 'reply' }),
  };
  const { storeReplyMessageEnable, maxMessageSize } = config;
  return new ReplyService(deps, { storeReplyMessageEnable, maxMessageSizeBytes: maxMessageSize });
}

/** END_TRANSACTION and the transactional check (its pass every `transactionCheckInterval`). */
function buildTransactions(
  ctx: BrokerContext,
  parts: ServiceInputs,
  broker: Pick<TransactionDeps, 'nextUniqueId' | 'onStored' | 'schedule'> & Pick<TransactionSettings, 'storeHost'>,
): TransactionService {
  const { config } = ctx;
  const { store, meta } = parts;
  const deps: TransactionDeps = {
    append: (messages) => store.batcher.append(messages),
    store: store.storeOf,
    topics: meta.topics,
    offsets: meta.offsets,
    producers: parts.client.producers,
    scheduler: ctx.scheduler,
    nextUniqueId: broker.nextUniqueId,
    schedule: broker.schedule,
    onStored: broker.onStored,
    logger: ctx.logger.child({ component: 'transaction' }),
    onEnded: (topic, committed) => store.metrics.recordTransactionEnd(topic, committed),
  };
  return new TransactionService(deps, {
    brokerName: config.brokerName,
    slave: config.brokerRole === 'SLAVE',
    storeHost: broker.storeHost,
    transactionTimeoutMs: config.transactionTimeOut,
    transactionCheckMax: config.transactionCheckMax,
    transactionCheckIntervalMs: config.transactionCheckInterval,
    transactionOpMsgMaxSizeBytes: config.transactionOpMsgMaxSize,
    fileReservedTimeMs: config.fileReservedTime * 3_600_000,
  });
}

/** Writes the metadata files every `flushConsumerOffsetInterval` ms and at stop. */
export function buildPersister(ctx: BrokerContext, meta: MetadataParts, schedule: ScheduleParts): PeriodicPersister {
  return new PeriodicPersister(
    [
      { name: 'topics.json', persist: () => meta.topics.persist() },
      { name: 'subscriptionGroup.json', persist: () => meta.groups.persist() },
      { name: 'consumerOffset.json', persist: () => meta.offsets.persist() },
      { name: 'delayOffset.json', persist: () => schedule.schedule.persist() },
      { name: 'timerProgress.json', persist: () => schedule.timers.persist() },
    ],
    ctx.config.flushConsumerOffsetInterval,
    meta.metaLogger,
    ctx.scheduler,
  );
}

/** Looks for silent clients every CLIENT_SCAN_INTERVAL_MS. */
export function buildClientScanner(ctx: BrokerContext, client: ClientParts): Component {
  const scan = (): void => client.clients.scanNotActiveChannels();
  return repeatingComponent(ctx.scheduler, 'client-scanner', CLIENT_SCAN_INTERVAL_MS, scan);
}

export interface RemotingParts {
  readonly server: RemotingServer;
  readonly registryRemoting: RemotingClient;
}

export function buildRemoting(ctx: BrokerContext): RemotingParts {
  const { config, logger } = ctx;
  return {
    server: new RemotingServer({
      name: 'broker-remoting',
      port: config.listenPort,
      logger: logger.child({ component: 'broker-remoting' }),
      limits: frontDoorLimitsOf(config),
      releaseFreeMemory,
    }),
    registryRemoting: new RemotingClient({
      name: 'registry-client',
      logger: logger.child({ component: 'registry-client' }),
    }),
  };
}

/** Replication (docs/replication.md): the store's HA master or slave, started after the store. */
function buildReplication(ctx: BrokerContext, storeComponent: StoreComponent): ReplicationComponent {
  const logger = ctx.logger.child({ component: 'replication' });
  return new ReplicationComponent(ctx.config, () => storeComponent.store, logger, ctx.scheduler);
}

/** A slave's copy of its master's metadata every 10 s (docs/replication.md §6). */
export function buildSlaveSynchronizer(
  ctx: BrokerContext,
  meta: MetadataParts,
  remoting: RemotingClient,
  replication: ReplicationComponent,
): SlaveSynchronizer {
  const logger = ctx.logger.child({ component: 'slave-synchronize' });
  return new SlaveSynchronizer(remoting, () => replication.masterAddr, meta, logger, ctx.scheduler);
}

/** Registration with the registries of `namesrvAddr`; null without one. `brokerAddr` is read at registration time. */
export function buildRegistryClient(
  ctx: BrokerContext,
  remoting: RemotingClient,
  topics: TopicConfigManager,
  brokerAddr: () => string,
  replication?: ReplicationComponent,
): BrokerRegistryClient | null {
  const { config } = ctx;
  if (config.namesrvAddr.trim() === '') return null;
  const identity = {
    clusterName: config.brokerClusterName,
    brokerName: config.brokerName,
    brokerId: config.brokerId,
    // Read at registration time: the real port once listening (listenPort 0 in tests).
    get brokerAddr() {
      return brokerAddr();
    },
    get haServerAddr() {
      return replication?.haServerAddr ?? '';
    },
  };
  const options = {
    namesrvAddr: config.namesrvAddr,
    registerPeriodMs: config.registerNameServerPeriod,
    registerTimeoutMs: config.registerBrokerTimeoutMills,
    heartbeatTimeoutMs: 120_000,
    onRegistered: (result: { haServerAddr: string; masterAddr: string }) => replication?.onRegistered(result),
  };
  const logger = ctx.logger.child({ component: 'registry-client' });
  return new BrokerRegistryClient(remoting, identity, topics, options, logger, ctx.scheduler);
}

/** The 4 bytes of a dotted IPv4 address, or null. */
export function ipv4Bytes(ip: string): Uint8Array | null {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return null;
  return Uint8Array.from(parts);
}

/** A repeating scheduler timer as a lifecycle component. */
export function repeatingComponent(
  scheduler: Scheduler,
  name: string,
  intervalMs: number,
  tick: () => void,
): Component {
  let timer: TimerHandle = undefined;
  return {
    name,
    start: () => {
      timer = scheduler.setRepeating(intervalMs, tick);
    },
    stop: () => {
      if (timer !== undefined) scheduler.clearTimer(timer);
      timer = undefined;
    },
  };
}
