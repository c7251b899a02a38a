// BrokerAdmin: the assembly of the admin side of the broker, so broker.ts only hooks it in: the
// BrokerStats with its 1 s sampler, the counting store every handler reads and appends through, and
// the admin handlers (statistics, consumer and producer views, broker config, subscription groups, offset
// reset) with the store view and client connections they use. Depends on the admin api, domain and infra files.

import { join } from 'node:path';
import type { Component } from '../../common/lifecycle.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import type { MessageStore } from '../../store/message-store-api.js';
import type { RemotingServer } from '../../remoting/remoting-server.js';
import { AdminStatsHandler } from '../api/admin-stats-handler.js';
import { BrokerConfigHandler } from '../api/broker-config-handler.js';
import { ConsumerAdminHandler } from '../api/consumer-admin-handler.js';
import { ProducerAdminHandler } from '../api/producer-admin-handler.js';
import type { BrokerRequestHandler } from '../api/request-fields.js';
import { ResetOffsetHandler } from '../api/reset-offset-handler.js';
import { SubscriptionGroupHandler } from '../api/subscription-group-handler.js';
import { BrokerStats } from '../domain/admin/broker-stats.js';
import { SAMPLE_INTERVAL_MS } from '../limits.js';
import { consumedOffsetTotals } from '../domain/admin/consume-stats.js';
import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { ProducerManager } from '../domain/client/producer-manager.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { type AdminStore, AdminStoreView, readDiskSpace } from '../infra/admin-store-view.js';
import { ClientConnections } from '../infra/client-connections.js';
import { RelayingClientInvoker } from '../api/relaying-client-invoker.js';
import type { ClientCommandRelay } from '../services/client-command-relay.js';
import { type PutMetrics, StatsMessageStore } from '../infra/stats-message-store.js';
import { AdminStatsService } from '../services/admin-stats-service.js';
import { ConsumerAdminService } from '../services/consumer-admin-service.js';
import { ProducerAdminService } from '../services/producer-admin-service.js';
import { ResetOffsetService } from '../services/reset-offset-service.js';
import { SubscriptionGroupService } from '../services/subscription-group-service.js';
import { BrokerConfigService } from '../services/broker-config-service.js';
import { type BrokerConfig, commitLogDir, convertBrokerConfValues } from './broker-config.js';
import { persistBrokerConf } from './broker-conf-file.js';

export interface BrokerAdminParts {
  readonly config: BrokerConfig;
  readonly server: Pick<RemotingServer, 'onConnection' | 'onClose'>;
  /** The open store itself (admin reads are not counted as consumption). */
  readonly store: () => AdminStore;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly producers: ProducerManager;
  /** Delay level → the schedule service's next offset to deliver. */
  readonly scheduleOffsets: () => ReadonlyMap<number, number>;
  /** Reaches clients without a Remoting connection (gRPC clients' Telemetry streams). */
  readonly relay?: ClientCommandRelay;
}

export class BrokerAdmin {
  readonly stats: BrokerStats;
  /** Samples the stats every second while the broker runs. */
  readonly sampler: Component;

  constructor(topics: TopicConfigManager, offsets: ConsumerOffsetManager, scheduler: Scheduler) {
    this.stats = new BrokerStats({
      nowMs: () => scheduler.now(),
      isSystemTopic: (topic) => topics.isSystemTopic(topic),
      consumedTotals: () => consumedOffsetTotals(offsets),
    });
    let timer: TimerHandle = undefined;
    this.sampler = {
      name: 'broker-stats',
      start: () => {
        timer = scheduler.setRepeating(SAMPLE_INTERVAL_MS, () => this.stats.sample());
      },
      stop: () => {
        if (timer !== undefined) scheduler.clearTimer(timer);
      },
    };
  }

  /** `inner` with puts and gets counted in the stats (and puts in `metrics` when given). */
  countingStore(inner: () => MessageStore, metrics: PutMetrics | null = null): () => MessageStore {
    const counting = new StatsMessageStore(inner, this.stats, metrics);
    return () => counting;
  }

  handlers(parts: BrokerAdminParts): BrokerRequestHandler[] {
    const { config } = parts;
    const store = new AdminStoreView(parts.store);
    const connections = new ClientConnections(parts.server);
    const clients = parts.relay === undefined ? connections : new RelayingClientInvoker(connections, parts.relay);
    const slave = config.brokerRole === 'SLAVE';
    const { useServerSideResetOffset } = config;
    const statsSettings = {
      brokerName: config.brokerName,
      storePathRootDir: config.storePathRootDir,
      commitLogPath: commitLogDir(config),
      consumeQueuePath: join(config.storePathRootDir, 'consumequeue'),
      slave,
      transientStorePoolEnable: config.transientStorePoolEnable,
    };
    const statsDeps = { ...parts, stats: this.stats, store, diskSpace: readDiskSpace };
    return [
      new AdminStatsHandler(new AdminStatsService(statsDeps, statsSettings)),
      new ConsumerAdminHandler(new ConsumerAdminService(parts.consumers, parts.offsets), clients, (offset) =>
        recordAt(parts.store, offset),
      ),
      new ProducerAdminHandler(new ProducerAdminService(parts.producers)),
      new BrokerConfigHandler(buildBrokerConfigService(config)),
      new SubscriptionGroupHandler(new SubscriptionGroupService(parts.groups, parts.offsets)),
      new ResetOffsetHandler(
        new ResetOffsetService({ ...parts, store }, { useServerSideResetOffset, slave }),
        clients,
        config.brokerName,
      ),
    ];
  }
}

/** The stored record at a CommitLog offset; null when there is none. */
function recordAt(store: () => AdminStore, physicalOffset: number): Buffer | null {
  try {
    return store().getMessageByOffset(physicalOffset);
  } catch {
    return null;
  }
}

/** UPDATE_BROKER_CONFIG over the live config; values persist into `brokerConfigPath` when the broker has one. */
export function buildBrokerConfigService(config: BrokerConfig): BrokerConfigService {
  const path = config.brokerConfigPath;
  return new BrokerConfigService({
    config,
    convert: (updates) => convertBrokerConfValues(updates, config),
    ...(path === '' ? {} : { persist: (updates: ReadonlyMap<string, string>) => persistBrokerConf(path, updates) }),
  });
}
