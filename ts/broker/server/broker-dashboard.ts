// buildDashboard: the broker-embedded dashboard (docs/dashboard.md) — its ServiceBackend over this
// broker's services (built here over the same managers the Remoting handlers use), served by a
// DashboardServer on `dashboardPort`; null when the port is 0 (nothing listens). Depends on the
// broker's parts, its services and ts/dashboard.

import { join } from 'node:path';
import { DashboardServer } from '../../dashboard/dashboard-server.js';
import { type EmbeddedServices, ServiceBackend } from '../../dashboard/service-backend.js';
import { RequestCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { encodeResetOffsetBody, resetClientOffsetHeader } from '../domain/admin/reset-offset.js';
import { ClientConnections } from '../infra/client-connections.js';
import { GetMessageStatus } from '../../store/message-store-api.js';
import { AdminStoreView, readDiskSpace } from '../infra/admin-store-view.js';
import { AdminStatsService } from '../services/admin-stats-service.js';
import { ConsumerAdminService } from '../services/consumer-admin-service.js';
import { ResetOffsetService } from '../services/reset-offset-service.js';
import { SubscriptionGroupService } from '../services/subscription-group-service.js';
import { TopicAdminService } from '../services/topic-admin-service.js';
import { BrokerConfigError, commitLogDir } from './broker-config.js';
import type { BrokerContext } from './broker-parts.js';
import type { HandlerParts } from './broker-handlers.js';

type DashboardInputs = Pick<
  HandlerParts,
  'meta' | 'store' | 'schedule' | 'client' | 'services' | 'registerAll' | 'server'
>;

/** RESET_CONSUMER_CLIENT_OFFSET (220, oneway) to the group's online clients, as the Remoting reset does. */
function resetPusher(ctx: BrokerContext, parts: DashboardInputs): EmbeddedServices['pushReset'] {
  const clients = new ClientConnections(parts.server);
  return (reset, result) => {
    const body = encodeResetOffsetBody(reset.topic, ctx.config.brokerName, result.offsets);
    for (const connectionId of result.clientConnectionIds) {
      const push = createRequest(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, resetClientOffsetHeader(reset), body);
      clients.invokeOneway(connectionId, push);
    }
  };
}

/** The admin services as the Remoting handlers build them (broker-admin.ts), for the dashboard. */
function adminServices(ctx: BrokerContext, parts: DashboardInputs) {
  const { config } = ctx;
  const { meta, client } = parts;
  const store = new AdminStoreView(() => parts.store.storeComponent.store);
  const slave = config.brokerRole === 'SLAVE';
  const statsSettings = {
    brokerName: config.brokerName,
    storePathRootDir: config.storePathRootDir,
    commitLogPath: commitLogDir(config),
    consumeQueuePath: join(config.storePathRootDir, 'consumequeue'),
    slave,
    transientStorePoolEnable: config.transientStorePoolEnable,
  };
  const statsDeps = {
    topics: meta.topics,
    offsets: meta.offsets,
    consumers: client.consumers,
    stats: parts.store.admin.stats,
    store,
    diskSpace: readDiskSpace,
    scheduleOffsets: () => parts.schedule.schedule.offsets(),
  };
  const resetDeps = { topics: meta.topics, groups: meta.groups, offsets: meta.offsets, consumers: client.consumers };
  return {
    stats: new AdminStatsService(statsDeps, statsSettings),
    consumerAdmin: new ConsumerAdminService(client.consumers, meta.offsets),
    resetOffsets: new ResetOffsetService(
      { ...resetDeps, store },
      { useServerSideResetOffset: config.useServerSideResetOffset, slave },
    ),
    groupAdmin: new SubscriptionGroupService(meta.groups, meta.offsets),
    topicAdmin: new TopicAdminService(
      meta.topics,
      meta.offsets,
      config.validateSystemTopicWhenUpdateTopic,
      parts.registerAll,
    ),
  };
}

/** Loopback addresses: only this host can reach a dashboard bound there. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * The embedded dashboard on `dashboardPort`, or null when it is 0. Bound to another address than
 * loopback it requires `dashboardToken` (a BrokerConfigError otherwise: anyone on the network could
 * delete topics and reset offsets).
 */
export function buildDashboard(
  ctx: BrokerContext,
  parts: DashboardInputs,
  brokerAddr: () => string,
): DashboardServer | null {
  const { config } = ctx;
  if (config.dashboardPort === 0) return null;
  if (!isLoopback(config.dashboardListenAddress) && config.dashboardToken === '') {
    throw new BrokerConfigError(
      'dashboardToken',
      `dashboardListenAddress ${config.dashboardListenAddress} is not loopback: set dashboardToken`,
    );
  }
  const { meta, client, services } = parts;
  const backend = new ServiceBackend({
    ...adminServices(ctx, parts),
    identity: {
      cluster: config.brokerClusterName,
      brokerName: config.brokerName,
      brokerId: config.brokerId,
      address: brokerAddr,
    },
    queries: services.queries,
    offsets: services.offsetService,
    isSystemTopic: (topic) => meta.topics.isSystemTopic(topic),
    pushReset: resetPusher(ctx, parts),
    producerGroups: () =>
      client.producers.groupNames().map((group) => ({
        group,
        connections: client.producers.channels(group).map((channel) => ({
          clientId: channel.clientId,
          clientAddr: channel.connectionId,
          language: channel.language,
          version: channel.version,
        })),
      })),
    readQueue: (topic, queueId, queueOffset, maxCount) => {
      const read = parts.store.storeComponent.store.getMessages(topic, queueId, queueOffset, maxCount);
      return read.status === GetMessageStatus.FOUND ? read.buffer : Buffer.alloc(0);
    },
  });
  const settings = { port: config.dashboardPort, host: config.dashboardListenAddress, token: config.dashboardToken };
  return new DashboardServer(backend, settings, ctx.scheduler, ctx.logger.child({ part: 'dashboard' }));
}
