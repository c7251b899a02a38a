// Offset reset (Java `AdminBrokerProcessor#resetOffset`): INVOKE_BROKER_TO_RESET_OFFSET (222), what
// `mqadmin resetOffsetByTime` sends; pushes RESET_CONSUMER_CLIENT_OFFSET (220, oneway) with the new
// offsets to the group's online clients (Java `Broker2Client#resetOffset`) and answers the
// ResetOffsetBody. ResetOffsetService plans the offsets (useServerSideResetOffset picks the rule set,
// see domain/admin/reset-offset.ts). Depends on the service, client-invoker.ts and ts/remoting.

import {
  encodeResetOffsetBody,
  resetClientOffsetHeader,
  type ResetOffsetRequest,
} from '../domain/admin/reset-offset.js';
import type { ResetOffsetResult, ResetOffsetService } from '../services/reset-offset-service.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest, createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { ClientInvoker } from './client-invoker.js';
import { type BrokerConnection, type BrokerRequestHandler } from './request-fields.js';
import {
  optionalBoolean,
  optionalInt,
  optionalField,
  requiredField,
  requiredLong,
} from '../../protocol/header-fields.js';

export class ResetOffsetHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET];

  constructor(
    private readonly resets: ResetOffsetService,
    private readonly clients: ClientInvoker,
    private readonly brokerName: string,
  ) {}

  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand {
    const reset = readResetOffsetRequest(request);
    let result: ResetOffsetResult;
    try {
      result = this.resets.resetOffset(reset, connection.remoteAddress);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    this.pushToClients(reset, result);
    const body = encodeResetOffsetBody(reset.topic, this.brokerName, result.offsets);
    return createResponse(request, ResponseCode.SUCCESS, null, {}, body);
  }

  /** RESET_CONSUMER_CLIENT_OFFSET, oneway, to every client of the group that can take it. */
  private pushToClients(reset: ResetOffsetRequest, result: ResetOffsetResult): void {
    const body = encodeResetOffsetBody(reset.topic, this.brokerName, result.offsets);
    for (const connectionId of result.clientConnectionIds) {
      const push = createRequest(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, resetClientOffsetHeader(reset), body);
      this.clients.invokeOneway(connectionId, push);
    }
  }
}

/** `ResetOffsetRequestHeader`: queueId -1 and offset null when absent; `isForce` as Java names the field. */
export function readResetOffsetRequest(request: RemotingCommand): ResetOffsetRequest {
  const offsetText = optionalField(request, 'offset');
  return {
    topic: requiredField(request, 'topic'),
    group: requiredField(request, 'group'),
    queueId: optionalInt(request, 'queueId') ?? -1,
    offset: offsetText === undefined || offsetText === '' ? null : requiredLong(request, 'offset'),
    timestamp: requiredLong(request, 'timestamp'),
    isForce: optionalBoolean(request, 'isForce') ?? optionalBoolean(request, 'force') ?? false,
  };
}
