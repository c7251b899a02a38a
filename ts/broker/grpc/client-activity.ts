// Clients over gRPC (Java `ClientActivity`): Telemetry Settings, Heartbeat, NotifyClientTermination; producers join
// the producer table per announced topic and consumers the consumer table, as `grpc:<clientId>`; each client's
// Telemetry stream is kept for check-backs. Depends on the client service, the groups, client-settings.ts, the protos.

import { create } from '@bufbuild/protobuf';
import {
  ClientType,
  Code,
  FilterType,
  type Settings,
  type SubscriptionEntry,
} from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  HeartbeatResponseSchema,
  NotifyClientTerminationResponseSchema,
  TelemetryCommandSchema,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type NotifyClientTerminationRequest,
  type NotifyClientTerminationResponse,
  type TelemetryCommand,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { ExpressionType } from '../../protocol/pull-request-header.js';
import { MQVersion } from '../../protocol/versions.js';
import type { ConsumerData, SubscriptionData } from '../domain/client/heartbeat-data.js';
import {
  newSubscriptionGroupConfig,
  type SubscriptionGroupManager,
} from '../domain/meta/subscription-group-manager.js';
import { buildSubscription } from '../domain/pull/subscription-expression.js';
import type { ClientService } from '../services/client-service.js';
import { consumerSettings, producerSettings } from './client-settings.js';
import { grpcConnectionId, type GrpcCallContext } from './grpc-context.js';
import { GrpcError, okStatus, status } from './grpc-status.js';
import { validateConsumerGroupResource, validateTopicResource } from './message-validation.js';

/** One client's Telemetry stream, as the server adapter gives it. */
export interface TelemetryStream {
  write(command: TelemetryCommand): void;
  /** Ends the stream with gRPC INVALID_ARGUMENT (Apache's answer to a bad Settings command). */
  failInvalidArgument(details: string): void;
}

interface GrpcClient {
  readonly settings: Settings;
  readonly context: GrpcCallContext;
  readonly stream: TelemetryStream;
}

const NO_SETTINGS = 'cannot find client settings for this client';

export class ClientActivity {
  private readonly clients = new Map<string, GrpcClient>();
  private reportListener: (command: TelemetryCommand) => void = () => undefined;

  constructor(
    private readonly clientService: ClientService,
    private readonly groups: SubscriptionGroupManager,
    private readonly maxBodyBytes: number,
  ) {}

  /** The Telemetry stream of a client, if it has one open. */
  streamOf(clientId: string): TelemetryStream | null {
    return this.clients.get(clientId)?.stream ?? null;
  }

  /** Where a client's reports (thread stack, verify result) go: the relay that asked (telemetry-relay.ts). */
  onReports(listener: (command: TelemetryCommand) => void): void {
    this.reportListener = listener;
  }

  /**
   * One command on a Telemetry stream. Settings: register and answer with the merged settings; a
   * client's report goes to the report listener, which drops one nobody asked for, as Apache does.
   * A refused Settings ends the stream with INVALID_ARGUMENT.
   */
  onTelemetryCommand(context: GrpcCallContext, command: TelemetryCommand, stream: TelemetryStream): void {
    if (command.command.case !== 'settings') {
      this.reportListener(command);
      return;
    }
    try {
      const answer = this.applySettings(context, command.command.value, stream);
      stream.write(
        create(TelemetryCommandSchema, { status: okStatus(), command: { case: 'settings', value: answer } }),
      );
    } catch (error) {
      if (!(error instanceof GrpcError)) throw error;
      stream.failInvalidArgument(`process client telemetryCommand failed. ${error.message}`);
    }
  }

  /**
   * The stream closed: the client and its Settings are forgotten and it leaves the producer table; it
   * sends Settings again on its next stream. (So what is kept is bounded by the open streams.)
   */
  onTelemetryClosed(clientId: string, stream: TelemetryStream): void {
    const client = this.clients.get(clientId);
    if (client === undefined || client.stream !== stream) return;
    this.clients.delete(clientId);
    this.clientService.onConnectionClosed(grpcConnectionId(clientId));
  }

  private applySettings(context: GrpcCallContext, settings: Settings, stream: TelemetryStream): Settings {
    switch (settings.pubSub.case) {
      case 'publishing': {
        const topics = settings.pubSub.value.topics.map((topic) => validateTopicResource(topic));
        this.registerProducer(context, topics);
        this.clients.set(context.clientId, { settings, context, stream });
        return producerSettings(settings, this.maxBodyBytes);
      }
      case 'subscription': {
        const group = validateConsumerGroupResource(settings.pubSub.value.group);
        this.registerConsumer(context, settings);
        this.clients.set(context.clientId, { settings, context, stream });
        return consumerSettings(
          settings,
          this.groups.findSubscriptionGroupConfig(group) ?? newSubscriptionGroupConfig(group),
        );
      }
      case undefined:
        throw new GrpcError(Code.BAD_REQUEST, 'there is no publishing or subscription data in settings');
    }
  }

  /** Java `ClientActivity#heartbeat`: refreshes the client's registration from its Settings. */
  heartbeat(context: GrpcCallContext, request: HeartbeatRequest): HeartbeatResponse {
    const client = this.clients.get(context.clientId);
    if (client === undefined) {
      return create(HeartbeatResponseSchema, { status: status(Code.UNRECOGNIZED_CLIENT_TYPE, NO_SETTINGS) });
    }
    const { settings } = client;
    const clientType = settings.clientType ?? ClientType.CLIENT_TYPE_UNSPECIFIED;
    if (clientType === ClientType.PRODUCER) {
      this.registerProducer(context, publishedTopics(settings));
    } else if (clientType === ClientType.PUSH_CONSUMER || clientType === ClientType.SIMPLE_CONSUMER) {
      validateConsumerGroupResource(request.group);
      this.registerConsumer(context, settings);
    } else {
      return create(HeartbeatResponseSchema, { status: status(Code.UNRECOGNIZED_CLIENT_TYPE, ClientType[clientType]) });
    }
    return create(HeartbeatResponseSchema, { status: okStatus() });
  }

  /** Java `ClientActivity#notifyClientTermination`: forgets the client's Settings and registrations. */
  notifyClientTermination(
    context: GrpcCallContext,
    request: NotifyClientTerminationRequest,
  ): NotifyClientTerminationResponse {
    const client = this.clients.get(context.clientId);
    if (client === undefined) {
      const answer = status(Code.UNRECOGNIZED_CLIENT_TYPE, NO_SETTINGS);
      return create(NotifyClientTerminationResponseSchema, { status: answer });
    }
    this.clients.delete(context.clientId);
    if (client.settings.clientType === ClientType.PRODUCER) {
      for (const topic of publishedTopics(client.settings)) {
        this.clientService.unregister(context.clientId, topic, undefined);
      }
    } else {
      const group = validateConsumerGroupResource(request.group);
      this.clientService.unregister(context.clientId, undefined, group);
    }
    return create(NotifyClientTerminationResponseSchema, { status: okStatus() });
  }

  private registerProducer(context: GrpcCallContext, topics: readonly string[]): void {
    const data = {
      clientID: context.clientId,
      producerDataSet: topics.map((groupName) => ({ groupName })),
      consumerDataSet: [],
    };
    this.clientService.heartbeat(data, heartbeatSource(context));
  }

  /**
   * Java `ClientActivity#registerConsumer`: the consumer joins its group in the consumer table (clustering,
   * from the last offset; a simple consumer consumes actively, a push consumer passively) with the Settings'
   * subscriptions, as `grpc:<clientId>`, next to Remoting consumers.
   */
  private registerConsumer(context: GrpcCallContext, settings: Settings): void {
    if (settings.pubSub.case !== 'subscription') return;
    const subscription = settings.pubSub.value;
    const consumer: ConsumerData = {
      groupName: subscription.group?.name ?? '',
      consumeType: settings.clientType === ClientType.PUSH_CONSUMER ? 'CONSUME_PASSIVELY' : 'CONSUME_ACTIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      subscriptionDataSet: subscription.subscriptions.flatMap(subscriptionData),
      unitMode: false,
    };
    const data = { clientID: context.clientId, producerDataSet: [], consumerDataSet: [consumer] };
    this.clientService.heartbeat(data, heartbeatSource(context));
  }
}

function heartbeatSource(context: GrpcCallContext) {
  return { connectionId: grpcConnectionId(context.clientId), language: context.language, version: MQVersion.V5_5_0 };
}

/** Java `buildSubscriptionDataSet`: one subscription per entry; one that does not parse is left out. */
function subscriptionData(entry: SubscriptionEntry): SubscriptionData[] {
  const sql = entry.expression?.type === FilterType.SQL;
  const expression = entry.expression?.expression ?? '';
  const built = buildSubscription(entry.topic?.name ?? '', expression, sql ? ExpressionType.SQL92 : ExpressionType.TAG);
  return built.ok ? [built.subscription] : [];
}

function publishedTopics(settings: Settings): string[] {
  return settings.pubSub.case === 'publishing' ? settings.pubSub.value.topics.map((topic) => topic.name) : [];
}
