// The Remoting front of the broker as one table: every request handler (one per request family) with
// the codes it serves, built over the protocol-neutral services and registered with the Remoting
// server by broker.ts. Depends on ts/broker/api and the broker parts.

import { type RpcObserver, timedHandle } from '../api/timed-handler.js';
import { ReplicationMetadataHandler } from '../api/replication-handler.js';
import { HaStatusHandler } from '../api/ha-status-handler.js';
import type { RemotingServer } from '../../remoting/remoting-server.js';
import { AssignmentHandler } from '../api/assignment-handler.js';
import { CheckClientConfigHandler } from '../api/check-client-config-handler.js';
import { ClientHandler } from '../api/client-handler.js';
import { EndTransactionHandler } from '../api/end-transaction-handler.js';
import { ClientConnections } from '../infra/client-connections.js';
import { LockHandler } from '../api/lock-handler.js';
import { OffsetHandler } from '../api/offset-handler.js';
import { AckHandler } from '../api/ack-handler.js';
import { PopHandler } from '../api/pop-handler.js';
import { PullHandler } from '../api/pull-handler.js';
import { QueryHandler } from '../api/query-handler.js';
import { RecallHandler } from '../api/recall-handler.js';
import { ReplyHandler } from '../api/reply-handler.js';
import type { BrokerRequestHandler } from '../api/request-fields.js';
import { SendBackHandler } from '../api/send-back-handler.js';
import { SendHandler } from '../api/send-handler.js';
import { TopicAdminHandler } from '../api/topic-admin-handler.js';
import { TopicAdminService } from '../services/topic-admin-service.js';
import type {
  BrokerContext,
  ClientParts,
  MetadataParts,
  ScheduleParts,
  ServiceParts,
  StoreParts,
} from './broker-parts.js';
import { buildAssignments } from './assignment-part.js';
import type { PopParts } from './pop-parts.js';

export interface HandlerParts {
  readonly meta: MetadataParts;
  readonly store: StoreParts;
  readonly schedule: ScheduleParts;
  readonly client: ClientParts;
  readonly services: ServiceParts;
  /** Connection events: clients leave their groups when their connection closes. */
  readonly server: Pick<RemotingServer, 'onConnection' | 'onClose'>;
  /** Re-registers with the registries (after a topic change). */
  readonly registerAll: () => void;
  /** Pop consumption (POP, ACK, CHANGE_INVISIBLETIME, …); absent in fixtures that do not test it. */
  readonly pop?: Pick<PopParts, 'pops' | 'peeks' | 'notifications' | 'acks'>;
}

/** Every Remoting request handler of the broker; codes come with each handler. */
export function remotingHandlers(ctx: BrokerContext, parts: HandlerParts): BrokerRequestHandler[] {
  const { meta, services, client, server } = parts;
  const validateSystemTopic = ctx.config.validateSystemTopicWhenUpdateTopic;
  const clientHandler = new ClientHandler(client.clients);
  server.onClose((connection) => clientHandler.onConnectionClosed(connection.remoteAddress));
  return [
    new SendHandler(services.sends),
    new SendBackHandler(services.sends),
    new RecallHandler(services.recalls),
    new EndTransactionHandler(services.transactions, new ClientConnections(server)),
    clientHandler,
    new OffsetHandler(services.offsetService),
    new PullHandler(services.pulls),
    ...(parts.pop === undefined
      ? []
      : [new PopHandler(parts.pop.pops, parts.pop.peeks, parts.pop.notifications), new AckHandler(parts.pop.acks)]),
    new CheckClientConfigHandler(services.clientConfig),
    new LockHandler(client.clients),
    new QueryHandler(services.queries),
    new ReplyHandler(services.replies, new ClientConnections(server)),
    new AssignmentHandler(buildAssignments(ctx, meta, client)),
    new TopicAdminHandler(new TopicAdminService(meta.topics, meta.offsets, validateSystemTopic, parts.registerAll)),
    new ReplicationMetadataHandler(meta.offsets, parts.schedule.schedule),
    new HaStatusHandler(parts.store.replication),
    ...parts.store.admin.handlers({
      config: ctx.config,
      server,
      store: () => parts.store.storeComponent.store,
      topics: meta.topics,
      groups: meta.groups,
      offsets: meta.offsets,
      consumers: client.consumers,
      producers: client.producers,
      scheduleOffsets: () => parts.schedule.schedule.offsets(),
      relay: client.relays,
    }),
  ];
}

/** Registers each handler for its codes; with `observe`, every request's latency is reported to it. */
export function registerHandlers(
  server: RemotingServer,
  handlers: readonly BrokerRequestHandler[],
  observe?: RpcObserver,
): void {
  for (const handler of handlers) {
    const handle = observe === undefined ? handler.handle.bind(handler) : timedHandle(handler, observe);
    server.registerProcessor(handler.codes, (request, connection) => handle(request, connection));
  }
}
