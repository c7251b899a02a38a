// `apache.rocketmq.v2.MessagingService` for grpc-js: the service definition from the generated descriptor, one
// handler per RPC (context → activity → answer; failures in the response's `status`, never a broken call), and
// NOT_IMPLEMENTED for RPCs of later slices. Depends on grpc-js, @bufbuild/protobuf and the activities.

import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import {
  status as grpcStatus,
  type Metadata,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type UntypedHandleCall,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { Code, type Status } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  MessagingService,
  type PullMessageRequest,
  type PullMessageResponse,
  type ReceiveMessageRequest,
  type ReceiveMessageResponse,
  type TelemetryCommand,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import type { Logger } from '../../common/logger.js';
import type { AckActivity } from './ack-activity.js';
import type { ClientActivity, TelemetryStream } from './client-activity.js';
import type { DeadLetterActivity } from './dead-letter-activity.js';
import { callContext, type CallMetadataSource, type GrpcCallContext } from './grpc-context.js';
import { GrpcError, status, statusOf } from './grpc-status.js';
import type { OffsetActivity } from './offset-activity.js';
import type { PullActivity } from './pull-activity.js';
import type { ReceiveActivity } from './receive-activity.js';
import type { RecallActivity } from './recall-activity.js';
import type { RouteActivity } from './route-activity.js';
import type { SendActivity } from './send-activity.js';
import type { TransactionActivity } from './transaction-activity.js';

export interface Activities {
  readonly route: RouteActivity;
  readonly send: SendActivity;
  readonly client: ClientActivity;
  readonly transaction: TransactionActivity;
  readonly receive: ReceiveActivity;
  readonly ack: AckActivity;
  readonly deadLetter: DeadLetterActivity;
  readonly recall: RecallActivity;
  readonly offset: OffsetActivity;
  readonly pull: PullActivity;
}

type Method = (typeof MessagingService.methods)[number];
type UnaryHandler = (context: GrpcCallContext, request: never) => unknown;

/** grpc-js's definition of the service: paths, streaming kinds and the binary codecs. */
export function messagingServiceDefinition(): ServiceDefinition {
  const definition: Record<string, ServiceDefinition[string]> = {};
  for (const method of MessagingService.methods) {
    definition[method.localName] = {
      path: `/${MessagingService.typeName}/${method.name}`,
      requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
      responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
      requestSerialize: (value: MessageShape<DescMessage>) => Buffer.from(toBinary(method.input, value)),
      requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
      responseSerialize: (value: MessageShape<DescMessage>) => Buffer.from(toBinary(method.output, value)),
      responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    };
  }
  return definition;
}

/** The handlers: built RPCs call their activity; the others answer NOT_IMPLEMENTED in their status. */
export interface MessagingServiceHandlers {
  readonly handlers: UntypedServiceImplementation;
  /** Ends every open Telemetry stream (at stop: they would otherwise hold a graceful shutdown). */
  endStreams(): void;
}

export function messagingServiceHandlers(activities: Activities, logger: Logger): MessagingServiceHandlers {
  const openStreams = new Set<ServerDuplexStream<TelemetryCommand, TelemetryCommand>>();
  const built: Record<string, UnaryHandler> = {
    queryRoute: (_context, request) => activities.route.queryRoute(request),
    queryAssignment: (_context, request) => activities.route.queryAssignment(request),
    heartbeat: (context, request) => activities.client.heartbeat(context, request),
    sendMessage: (context, request) => activities.send.sendMessage(context, request),
    endTransaction: (_context, request) => activities.transaction.endTransaction(request),
    notifyClientTermination: (context, request) => activities.client.notifyClientTermination(context, request),
    ackMessage: (context, request) => activities.ack.ackMessage(context, request),
    changeInvisibleDuration: (context, request) => activities.ack.changeInvisibleDuration(context, request),
    forwardMessageToDeadLetterQueue: (context, request) =>
      activities.deadLetter.forwardMessageToDeadLetterQueue(context, request),
    recallMessage: (context, request) => activities.recall.recallMessage(context, request),
    updateOffset: (context, request) => activities.offset.updateOffset(context, request),
    getOffset: (_context, request) => activities.offset.getOffset(request),
    queryOffset: (_context, request) => activities.offset.queryOffset(request),
  };
  const handlers: Record<string, UntypedHandleCall> = {};
  for (const method of MessagingService.methods) {
    const handler = built[method.localName];
    if (method.localName === 'telemetry') {
      handlers[method.localName] = telemetryHandler(activities.client, openStreams, logger) as UntypedHandleCall;
    } else if (method.localName === 'receiveMessage') {
      handlers[method.localName] = receiveHandler(activities.receive, logger) as UntypedHandleCall;
    } else if (method.localName === 'pullMessage') {
      handlers[method.localName] = pullHandler(activities.pull, logger) as UntypedHandleCall;
    } else if (method.methodKind === 'server_streaming') {
      handlers[method.localName] = notImplementedStream(method) as UntypedHandleCall;
    } else {
      handlers[method.localName] = unaryHandler(method, handler ?? notImplemented(method), logger) as UntypedHandleCall;
    }
  }
  const endStreams = (): void => {
    for (const call of openStreams) call.end();
    openStreams.clear();
  };
  return { handlers, endStreams };
}

function unaryHandler(method: Method, handler: UnaryHandler, logger: Logger) {
  return (call: ServerUnaryCall<never, unknown>, callback: sendUnaryData<unknown>): void => {
    const answer = (failure: Status): void => callback(null, create(method.output, { status: failure }));
    let context: GrpcCallContext;
    try {
      context = callContext(metadataSource(call.metadata, call.getPeer()));
    } catch (error) {
      answer(statusOf(error));
      return;
    }
    Promise.resolve()
      .then(() => handler(context, call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          const failure = statusOf(error);
          if (failure.code === Code.INTERNAL_SERVER_ERROR) {
            logger.warn('gRPC call failed', { method: method.name, error: String(error) });
          }
          answer(failure);
        },
      );
  };
}

function notImplemented(method: Method): UnaryHandler {
  return () => {
    throw new GrpcError(Code.NOT_IMPLEMENTED, `${method.name} is not served by this broker yet`);
  };
}

/** A server stream this slice does not serve: one response with NOT_IMPLEMENTED, then the end. */
function notImplementedStream(method: Method) {
  return (call: ServerWritableStream<never, unknown>): void => {
    const notServed = status(Code.NOT_IMPLEMENTED, `${method.name} is not served by this broker yet`);
    call.write(create(method.output, { content: { case: 'status', value: notServed } }));
    call.end();
  };
}

/** ReceiveMessage: the activity writes the stream (a Status, the messages, a delivery timestamp) and ends it. */
function receiveHandler(receive: ReceiveActivity, logger: Logger) {
  return (call: ServerWritableStream<ReceiveMessageRequest, ReceiveMessageResponse>): void => {
    const method = MessagingService.method.receiveMessage;
    let context: GrpcCallContext;
    try {
      context = callContext(metadataSource(call.metadata, call.getPeer()));
    } catch (error) {
      call.write(create(method.output, { content: { case: 'status', value: statusOf(error) } }));
      call.end();
      return;
    }
    const stream = {
      isOpen: () => !call.cancelled && call.writable,
      write: (response: ReceiveMessageResponse) => void call.write(response),
      end: () => call.end(),
    };
    receive.receiveMessage(context, call.request, stream).catch((error: unknown) => {
      logger.warn('ReceiveMessage failed', { error: String(error) });
      if (stream.isOpen()) call.end();
    });
  };
}

/** PullMessage: the activity writes the stream (a Status, the messages, the next offset) and ends it. */
function pullHandler(pull: PullActivity, logger: Logger) {
  return (call: ServerWritableStream<PullMessageRequest, PullMessageResponse>): void => {
    const method = MessagingService.method.pullMessage;
    let context: GrpcCallContext;
    try {
      context = callContext(metadataSource(call.metadata, call.getPeer()));
    } catch (error) {
      call.write(create(method.output, { content: { case: 'status', value: statusOf(error) } }));
      call.end();
      return;
    }
    const stream = {
      isOpen: () => !call.cancelled && call.writable,
      write: (response: PullMessageResponse) => void call.write(response),
      end: () => call.end(),
    };
    pull.pullMessage(context, call.request, stream).catch((error: unknown) => {
      logger.warn('PullMessage failed', { error: String(error) });
      if (stream.isOpen()) call.end();
    });
  };
}

/**
 * Telemetry: each command of the stream goes to the client activity with the stream's context; a
 * command without a client id is answered with CLIENT_ID_REQUIRED on the stream (Apache's answer).
 */
function telemetryHandler(
  clients: ClientActivity,
  openStreams: Set<ServerDuplexStream<TelemetryCommand, TelemetryCommand>>,
  logger: Logger,
) {
  return (call: ServerDuplexStream<TelemetryCommand, TelemetryCommand>): void => {
    openStreams.add(call);
    const stream: TelemetryStream = {
      write: (command) => {
        if (!call.cancelled && call.writable) call.write(command);
      },
      failInvalidArgument: (details) => call.emit('error', { code: grpcStatus.INVALID_ARGUMENT, details }),
    };
    let clientId: string | null = null;
    call.on('data', (command: TelemetryCommand) => {
      try {
        const context = callContext(metadataSource(call.metadata, call.getPeer()));
        clientId = context.clientId;
        clients.onTelemetryCommand(context, command, stream);
      } catch (error) {
        const failure = statusOf(error);
        if (failure.code === Code.INTERNAL_SERVER_ERROR) logger.warn('telemetry failed', { error: String(error) });
        stream.write(create(MessagingService.method.telemetry.output, { status: failure }));
      }
    });
    const closed = (): void => {
      openStreams.delete(call);
      if (clientId !== null) clients.onTelemetryClosed(clientId, stream);
    };
    call.on('end', () => {
      closed();
      call.end();
    });
    call.on('cancelled', closed);
    call.on('error', closed);
  };
}

function metadataSource(metadata: Metadata, peer: string): CallMetadataSource {
  return {
    peer,
    metadataValue: (key) => {
      const [value] = metadata.get(key);
      return value === undefined ? undefined : String(value);
    },
  };
}
