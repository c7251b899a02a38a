// Broker: the broker, assembled. Builds the domain managers (topics, groups, offsets, clients,
// locks), the api handlers, the store, the Remoting server and the registry registration, and
// runs them through one Lifecycle in dependency order: store → metadata persister → delay and
// timer services → client scanner → Remoting server → pull holds → registry registration; stop
// runs in reverse (unregister first, held pulls answered while connections are open, store last).
// Depends on every broker layer.

import { Lifecycle } from '../../common/lifecycle.js';
import type { Component } from '../../common/lifecycle.js';
import type { Logger } from '../../common/logger.js';
import { RemotingClient } from '../../remoting/remoting-client.js';
import { RemotingServer } from '../../remoting/remoting-server.js';
import { ClientHandler } from '../api/client-handler.js';
import { LockHandler } from '../api/lock-handler.js';
import { OffsetHandler } from '../api/offset-handler.js';
import { PullHandler } from '../api/pull-handler.js';
import { QueryHandler } from '../api/query-handler.js';
import { SendBackHandler } from '../api/send-back-handler.js';
import { SendHandler } from '../api/send-handler.js';
import type { BrokerRequestHandler } from '../api/request-fields.js';
import { TopicAdminHandler } from '../api/topic-admin-handler.js';
import { ClientService } from '../services/client-service.js';
import { OffsetService } from '../services/offset-service.js';
import { PullService } from '../services/pull-service.js';
import { QueryService } from '../services/query-service.js';
import { SendService } from '../services/send-service.js';
import { ConsumerManager } from '../domain/client/consumer-manager.js';
import { ProducerManager } from '../domain/client/producer-manager.js';
import { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { RebalanceLockManager } from '../domain/order/rebalance-lock-manager.js';
import { PullRequestHoldService } from '../domain/pull/long-poll.js';
import { DelayLevelTable } from '../domain/schedule/delay-level-table.js';
import { ScheduleMessageService } from '../domain/schedule/schedule-message-service.js';
import { TimerMessageService } from '../domain/schedule/timer-message-service.js';
import { RMQ_SYS_SCHEDULE_TOPIC, TIMER_TOPIC } from '../domain/meta/topic-validator.js';
import { fakeIp, UniqueIdGenerator } from '../domain/send/message-id.js';
import { AppendBatcher } from '../infra/append-batcher.js';
import { brokerConfigFilePaths, ConfigJsonFile } from '../infra/meta/config-json-file.js';
import { PeriodicPersister } from '../infra/meta/periodic-persister.js';
import { BrokerRegistryClient } from '../infra/registry-client.js';
import { nodeScheduler } from '../../common/node-scheduler.js';
import { StoreComponent } from '../infra/store-component.js';
import type { MessageStore } from '../../store/message-store-api.js';
import { parseSocketAddress } from '../../common/socket-address.js';
import {
  CLIENT_SCAN_INTERVAL_MS,
  PULL_HOLD_MAX_HELD_REQUESTS,
  PULL_HOLD_MAX_SUSPEND_TIMEOUT_MS,
  PULL_HOLD_RECHECK_INTERVAL_MS,
} from '../limits.js';
import type { BrokerConfig } from './broker-config.js';
import { BrokerAdmin } from './broker-admin.js';

/** Bounds of held pulls (see long-poll.ts). */
const DEFAULT_HOLD_LIMITS = { maxSuspendTimeoutMs: PULL_HOLD_MAX_SUSPEND_TIMEOUT_MS, maxHeldRequests: PULL_HOLD_MAX_HELD_REQUESTS };

export class Broker {
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers = new ConsumerManager();
  readonly producers = new ProducerManager();
  readonly locks = new RebalanceLockManager();
  /** Pulls suspended until a message arrives for their queue (long polling). */
  readonly pullHolds: PullRequestHoldService;
  /** Delivers SCHEDULE_TOPIC_XXXX messages (delay levels, retries) when due. */
  readonly schedule: ScheduleMessageService;
  /** Delivers timer messages (TIMER_DELAY_SEC / _MS, TIMER_DELIVER_MS) when due. */
  readonly timers: TimerMessageService;
  private readonly storeComponent: StoreComponent;
  private readonly server: RemotingServer;
  private readonly registryRemoting: RemotingClient;
  private readonly registryClient: BrokerRegistryClient | null;
  private readonly lifecycle: Lifecycle;

  constructor(
    readonly config: BrokerConfig,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    const files = brokerConfigFilePaths(config.storePathRootDir);
    const metaLogger = logger.child({ component: 'meta' });
    this.topics = new TopicConfigManager(config, {
      store: new ConfigJsonFile(files.topicConfigPath, metaLogger),
      logger: metaLogger,
      onTopicCreated: () => void this.registryClient?.registerAll(),
    });
    this.groups = new SubscriptionGroupManager(config, { store: new ConfigJsonFile(files.subscriptionGroupPath, metaLogger), logger: metaLogger });
    this.offsets = new ConsumerOffsetManager(config, { store: new ConfigJsonFile(files.consumerOffsetPath, metaLogger), logger: metaLogger });
    this.storeComponent = new StoreComponent(config);
    this.server = new RemotingServer({ name: 'broker-remoting', port: config.listenPort, logger: logger.child({ component: 'broker-remoting' }) });
    this.registryRemoting = new RemotingClient({ name: 'registry-client', logger: logger.child({ component: 'registry-client' }) });
    const clients = new ClientService({
      consumers: this.consumers,
      producers: this.producers,
      groups: this.groups,
      topics: this.topics,
      locks: this.locks,
      clock,
      notifyConsumerIdsChangedEnable: config.notifyConsumerIdsChangedEnable,
      onConsumerIdsChanged: (group, connectionIds) => clientHandler.notifyConsumerIdsChanged(group, connectionIds),
    });
    const clientHandler = new ClientHandler(clients);
    const hold = { longPollingEnable: config.longPollingEnable, shortPollingTimeMs: config.shortPollingTimeMills };
    this.pullHolds = new PullRequestHoldService(nodeScheduler, hold);
    const admin = new BrokerAdmin(this.topics, this.offsets, clock);
    const storeOf = admin.countingStore(() => this.storeComponent.store);
    const pullSettings = {
      brokerName: config.brokerName,
      brokerPermission: config.brokerPermission,
      slave: config.brokerRole === 'SLAVE',
      hold: { ...DEFAULT_HOLD_LIMITS, ...hold },
    };
    const uniqueIds = new UniqueIdGenerator({
      ip: ipv4Bytes(config.brokerIP1) ?? fakeIp(Date.now()),
      pid: process.pid,
      processHash: (Math.random() * 0x7fffffff) | 0,
      now: Date.now,
    });
    const sendSettings = {
      brokerClusterName: config.brokerClusterName,
      brokerPermission: config.brokerPermission,
      brokerIp: config.brokerIP1,
      storeHost: () => parseSocketAddress(this.brokerAddr),
      maxMessageSizeBytes: config.maxMessageSize,
      syncFlush: config.flushDiskType === 'SYNC_FLUSH',
      syncFlushTimeoutMs: config.syncFlushTimeout,
    };
    const batcher = new AppendBatcher(storeOf);
    const delayLevels = new DelayLevelTable(config.messageDelayLevel);
    const onStored = (topic: string, queueId: number): void => this.notifyMessageArriving(topic, queueId);
    this.schedule = new ScheduleMessageService({
      table: delayLevels,
      store: storeOf,
      deliver: (messages) => batcher.append(messages),
      onDelivered: onStored,
      scheduler: nodeScheduler,
      offsetStore: new ConfigJsonFile(files.delayOffsetPath, metaLogger),
      logger: logger.child({ component: 'schedule' }),
    });
    this.timers = new TimerMessageService({
      store: storeOf,
      deliver: (messages) => batcher.append(messages),
      onDelivered: onStored,
      scheduler: nodeScheduler,
      progressStore: new ConfigJsonFile(files.timerProgressPath, metaLogger),
      logger: logger.child({ component: 'timer' }),
    });
    const timer = { timerWheelEnable: config.timerWheelEnable, timerPrecisionMs: config.timerPrecisionMs, timerMaxDelaySec: config.timerMaxDelaySec };
    const sendRules = { groups: this.groups, locks: this.locks, delayLevels, timer, nowMs: clock, random: Math.random };
    const sends = new SendService(batcher, storeOf, this.topics, sendRules, sendSettings, () => uniqueIds.next(), onStored);
    this.registerHandlers([
      new SendHandler(sends),
      new SendBackHandler(sends),
      clientHandler,
      new OffsetHandler(new OffsetService(this.offsets, storeOf)),
      new PullHandler(new PullService(storeOf, this.topics, this.groups, this.consumers, this.offsets, this.pullHolds, pullSettings, clock)),
      new LockHandler(clients),
      new QueryHandler(new QueryService(storeOf)),
      new TopicAdminHandler(this.topics, this.offsets, config.validateSystemTopicWhenUpdateTopic, () => {
        void this.registryClient?.registerAll();
      }),
      ...admin.handlers({
        config,
        server: this.server,
        store: () => this.storeComponent.store,
        topics: this.topics,
        groups: this.groups,
        offsets: this.offsets,
        consumers: this.consumers,
        scheduleOffsets: () => this.schedule.offsets(),
      }),
    ]);
    this.server.onClose((connection) => clientHandler.onConnectionClosed(connection.remoteAddress));
    this.registryClient = this.createRegistryClient();
    this.lifecycle = new Lifecycle(logger);
    this.lifecycle.add(this.storeComponent);
    this.lifecycle.add(
      new PeriodicPersister(
        [
          { name: 'topics.json', persist: () => this.topics.persist() },
          { name: 'subscriptionGroup.json', persist: () => this.groups.persist() },
          { name: 'consumerOffset.json', persist: () => this.offsets.persist() },
          { name: 'delayOffset.json', persist: () => this.schedule.persist() },
          { name: 'timerProgress.json', persist: () => this.timers.persist() },
        ],
        config.flushConsumerOffsetInterval,
        metaLogger,
      ),
    );
    this.lifecycle.add({ name: 'schedule', start: () => this.schedule.start(), stop: () => this.schedule.stop() });
    if (config.timerWheelEnable) this.lifecycle.add({ name: 'timer', start: () => this.timers.start(), stop: () => this.timers.stop() });
    this.lifecycle.add(admin.sampler);
    this.lifecycle.add(intervalComponent('client-scanner', CLIENT_SCAN_INTERVAL_MS, () => clients.scanNotActiveChannels()));
    this.lifecycle.add(this.server);
    // After the server, so it stops first while connections are open: held pulls get their answer.
    this.lifecycle.add({
      name: 'pull-holds',
      start: () => undefined,
      stop: async () => {
        this.pullHolds.shutdown();
        // The released pulls answer through promise chains: let them reach their sockets first.
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    this.lifecycle.add(
      intervalComponent('pull-hold-recheck', config.longPollingEnable ? PULL_HOLD_RECHECK_INTERVAL_MS : config.shortPollingTimeMills, () =>
        this.pullHolds.recheck((topic, queueId) => this.store.getMaxOffsetInQueue(topic, queueId)),
      ),
    );
    if (this.registryClient !== null) {
      this.lifecycle.add(this.registryRemoting);
      this.lifecycle.add(this.registryClient);
    }
  }

  private registerHandlers(handlers: readonly BrokerRequestHandler[]): void {
    for (const handler of handlers) {
      this.server.registerProcessor(handler.codes, (request, connection) => handler.handle(request, connection));
    }
  }

  private createRegistryClient(): BrokerRegistryClient | null {
    const { config } = this;
    if (config.namesrvAddr.trim() === '') return null;
    const addressOf = (): string => this.brokerAddr;
    return new BrokerRegistryClient(
      this.registryRemoting,
      {
        clusterName: config.brokerClusterName,
        brokerName: config.brokerName,
        brokerId: config.brokerId,
        // Read at registration time: the real port once listening (listenPort 0 in tests).
        get brokerAddr() {
          return addressOf();
        },
        haServerAddr: '',
      },
      this.topics,
      {
        namesrvAddr: config.namesrvAddr,
        registerPeriodMs: config.registerNameServerPeriod,
        registerTimeoutMs: config.registerBrokerTimeoutMills,
        heartbeatTimeoutMs: 120_000,
      },
      this.logger.child({ component: 'registry-client' }),
    );
  }

  /** The open store (between start and stop). */
  get store(): MessageStore {
    return this.storeComponent.store;
  }

  /** Wakes the pulls held on a queue once new messages are readable there. */
  notifyMessageArriving(topic: string, queueId: number): void {
    if (topic === RMQ_SYS_SCHEDULE_TOPIC) this.schedule.notifyMessageArriving(queueId);
    if (topic === TIMER_TOPIC) this.timers.notifyMessageArriving();
    // Most sends find no pull held on their queue: skip the store look-up (an N-API call) for those.
    if (this.pullHolds.heldCount === 0 || this.pullHolds.heldCountOf(topic, queueId) === 0) return;
    this.pullHolds.notifyMessageArriving(topic, queueId, this.store.getMaxOffsetInQueue(topic, queueId));
  }

  /** The address clients dial: `brokerIP1:port`. */
  get brokerAddr(): string {
    return `${this.config.brokerIP1}:${this.server.port}`;
  }

  get port(): number {
    return this.server.port;
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

/** The 4 bytes of a dotted IPv4 address, or null. */
function ipv4Bytes(ip: string): Uint8Array | null {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return null;
  return Uint8Array.from(parts);
}

/** A repeating timer as a lifecycle component (unref'd). */
function intervalComponent(name: string, intervalMs: number, tick: () => void): Component {
  let timer: NodeJS.Timeout | undefined;
  return {
    name,
    start: () => {
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
