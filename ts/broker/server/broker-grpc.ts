// The gRPC front's assembly: its activities over the same protocol-neutral services as the Remoting
// front (send, client, transaction, pop and ack) and the topic and group tables, served by one GrpcServer on
// `grpcServerPort` (0: no gRPC endpoint). Depends on the broker parts and ts/broker/grpc/.

import { AckActivity } from '../grpc/ack-activity.js';
import { ClientActivity } from '../grpc/client-activity.js';
import { DeadLetterActivity } from '../grpc/dead-letter-activity.js';
import { GrpcServer } from '../grpc/grpc-server.js';
import { messagingServiceHandlers } from '../grpc/messaging-service.js';
import { OffsetActivity } from '../grpc/offset-activity.js';
import { PullActivity } from '../grpc/pull-activity.js';
import { ReceiveActivity } from '../grpc/receive-activity.js';
import { RecallActivity } from '../grpc/recall-activity.js';
import { RouteActivity } from '../grpc/route-activity.js';
import { SendActivity } from '../grpc/send-activity.js';
import { TransactionActivity } from '../grpc/transaction-activity.js';
import { TelemetryRelay } from '../grpc/telemetry-relay.js';
import { ReceiptRenewer } from '../grpc/receipt-renewer.js';
import { groupRetryDelayMs } from '../grpc/client-settings.js';
import { newSubscriptionGroupConfig } from '../domain/meta/subscription-group-manager.js';
import type { BrokerContext, ClientParts, MetadataParts, ServiceParts } from './broker-parts.js';
import type { PopParts } from './pop-parts.js';
import { BrokerConfigError, type BrokerConfig } from './broker-config.js';

/** The gRPC server, or null when `grpcServerPort` is 0. `grpcPort` is read once it listens. */
export function buildGrpc(
  ctx: BrokerContext,
  parts: { meta: MetadataParts; client: ClientParts; services: ServiceParts; pop: Pick<PopParts, 'pops' | 'acks'> },
  grpcPort: () => number,
): GrpcServer | null {
  const { config, logger } = ctx;
  if (config.grpcServerPort <= 0) return null;
  const { meta, client, services, pop } = parts;
  const renewer = buildRenewer(ctx, { meta, client, pop });
  const deadLetter = new DeadLetterActivity(services.sends, pop.acks, renewer);
  const consumption = { brokerName: config.brokerName, nowMs: () => ctx.scheduler.now(), renewer };
  const clientActivity = new ClientActivity(client.clients, meta.groups, config.maxMessageSize);
  const relay = new TelemetryRelay((clientId) => clientActivity.streamOf(clientId), ctx.scheduler);
  clientActivity.onReports((command) => relay.onReport(command));
  client.relays.register(relay);
  const activities = {
    route: new RouteActivity(meta.topics, {
      brokerName: config.brokerName,
      grpcAddress: () => ({ host: config.brokerIP1, port: grpcPort() }),
      consumeOrderly: (group) => meta.groups.get(group)?.consumeMessageOrderly ?? false,
    }),
    send: new SendActivity(services.sends, meta.topics, {
      maxBodyBytes: config.maxMessageSize,
      nowMs: () => ctx.scheduler.now(),
    }),
    client: clientActivity,
    transaction: new TransactionActivity(services.transactions, clientActivity),
    receive: new ReceiveActivity(pop.pops, pop.acks, deadLetter, meta.groups, consumption),
    ack: new AckActivity(pop.acks, consumption),
    deadLetter,
    recall: new RecallActivity(services.recalls),
    offset: new OffsetActivity(services.offsetService, meta.topics),
    pull: new PullActivity(services.pulls, meta.topics, () => ctx.scheduler.now()),
  };
  const service = messagingServiceHandlers(activities, logger.child({ component: 'broker-grpc' }));
  const options = { host: '0.0.0.0', port: config.grpcServerPort, ...grpcTls(config), companion: renewer };
  return new GrpcServer(options, service);
}

/** `tlsCertPath` and `tlsKeyPath`: both set, TLS; neither, plaintext; one alone is a configuration error. */
function grpcTls(config: BrokerConfig): { tls?: { certPath: string; keyPath: string } } {
  const { tlsCertPath: certPath, tlsKeyPath: keyPath } = config;
  if (certPath === '' && keyPath === '') return {};
  if (certPath === '' || keyPath === '') {
    throw new BrokerConfigError(
      certPath === '' ? 'tlsCertPath' : 'tlsKeyPath',
      'TLS needs both tlsCertPath and tlsKeyPath',
    );
  }
  return { tls: { certPath, keyPath } };
}

/** Auto renewal of push consumers' handles; a client is online while it is among its group's consumers. */
function buildRenewer(
  ctx: BrokerContext,
  parts: { meta: MetadataParts; client: ClientParts; pop: Pick<PopParts, 'acks'> },
): ReceiptRenewer {
  const { meta, client, pop } = parts;
  return new ReceiptRenewer({
    acks: pop.acks,
    isOnline: (group, clientId) => client.consumers.group(group)?.channels.has(clientId) ?? false,
    retryDelayMs: (group, reconsumeTimes) =>
      groupRetryDelayMs(meta.groups.get(group) ?? newSubscriptionGroupConfig(group), reconsumeTimes),
    scheduler: ctx.scheduler,
    brokerName: ctx.config.brokerName,
    logger: ctx.logger.child({ component: 'grpc-renewal' }),
  });
}
