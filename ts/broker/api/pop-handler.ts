// POP_MESSAGE (200050), PEEK_MESSAGE (200052), NOTIFICATION (200054) and POLLING_INFO (200055) over
// Remoting (Java `PopMessageProcessor`, `PeekMessageProcessor`, `NotificationProcessor`, `PollingInfo-
// Processor`): decodes the header, calls the pop services, answers Java's response code, header and raw
// records; refusals through the one error table. Depends on the pop services, ts/protocol, ts/remoting.
import {
  decodeNotificationRequestHeader,
  decodePeekMessageRequestHeader,
  decodePollingInfoRequestHeader,
  decodePopMessageRequestHeader,
  encodeNotificationResponseHeader,
  encodePollingInfoResponseHeader,
  encodePopMessageResponseHeader,
} from '../../protocol/pop-headers.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { NotificationService } from '../services/pop/notification-service.js';
import type { PeekService } from '../services/pop/peek-service.js';
import type { PopResult, PopService, PopStatus } from '../services/pop/pop-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

/** Each pop status's response code (Java: no message is POLLING_TIMEOUT once the poll time is spent). */
export const POP_STATUS_RESPONSE_CODES: Readonly<Record<PopStatus, number>> = {
  FOUND: ResponseCode.SUCCESS,
  NO_MESSAGE: ResponseCode.POLLING_TIMEOUT,
  POLLING_FULL: ResponseCode.POLLING_FULL,
  TIMEOUT_TOO_MUCH: ResponseCode.POLLING_TIMEOUT,
};

export class PopHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.POP_MESSAGE,
    RequestCode.PEEK_MESSAGE,
    RequestCode.NOTIFICATION,
    RequestCode.POLLING_INFO,
  ];

  constructor(
    private readonly pops: PopService,
    private readonly peeks: PeekService,
    private readonly notifications: NotificationService,
  ) {}

  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand | Promise<RemotingCommand> {
    try {
      if (request.code === RequestCode.NOTIFICATION) return this.notification(request, connection);
      if (request.code === RequestCode.POLLING_INFO) return this.pollingInfo(request);
      if (request.code === RequestCode.PEEK_MESSAGE) return this.peek(request, connection);
      const result = this.pops.receive(decodePopMessageRequestHeader(request.extFields), connection.remoteAddress);
      if (!(result instanceof Promise)) return popResponse(request, result);
      return result.then(
        (found) => popResponse(request, found),
        (error: unknown) => brokerErrorResponse(request, error),
      );
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
  }

  private notification(request: RemotingCommand, connection: BrokerConnection): Promise<RemotingCommand> {
    const header = decodeNotificationRequestHeader(request.extFields);
    return this.notifications.notification(header, connection.remoteAddress).then(
      (result) => createResponse(request, ResponseCode.SUCCESS, null, encodeNotificationResponseHeader(result)),
      (error: unknown) => brokerErrorResponse(request, error),
    );
  }

  /** Java: SUCCESS with the records, or PULL_NOT_FOUND; the pop response header with restNum. */
  private peek(request: RemotingCommand, connection: BrokerConnection): RemotingCommand {
    const result = this.peeks.peek(decodePeekMessageRequestHeader(request.extFields), connection.remoteAddress);
    const fields = encodePopMessageResponseHeader({
      popTime: 0,
      invisibleTime: 0,
      reviveQid: 0,
      restNum: result.restNum,
    });
    const code = result.found ? ResponseCode.SUCCESS : ResponseCode.PULL_NOT_FOUND;
    return createResponse(request, code, result.found ? 'FOUND' : 'NO_MESSAGE_IN_QUEUE', fields, result.body);
  }

  private pollingInfo(request: RemotingCommand): RemotingCommand {
    const header = decodePollingInfoRequestHeader(request.extFields);
    const pollingNum = this.notifications.pollingInfo(header);
    return createResponse(request, ResponseCode.SUCCESS, null, encodePollingInfoResponseHeader({ pollingNum }));
  }
}

function popResponse(request: RemotingCommand, result: PopResult): RemotingCommand {
  const fields = encodePopMessageResponseHeader({
    popTime: result.popTime,
    invisibleTime: result.invisibleTime,
    reviveQid: result.reviveQid,
    restNum: result.restNum,
    startOffsetInfo: result.startOffsetInfo,
    msgOffsetInfo: result.msgOffsetInfo,
    ...(result.orderCountInfo !== undefined && { orderCountInfo: result.orderCountInfo }),
  });
  return createResponse(request, POP_STATUS_RESPONSE_CODES[result.status], result.remark, fields, result.body);
}
