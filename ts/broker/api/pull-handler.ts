// PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361) over Remoting (Java `PullMessageProcessor`): decodes
// the header, calls PullService (which checks, reads, commits the offset and holds for long polling)
// and answers its PullStatus as Java's response code with the PullMessageResponseHeader fields and the
// raw records; refusals through the one error table. Depends on the pull service and ts/remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { decodePullMessageRequestHeader } from '../../protocol/pull-request-header.js';
import { pullResponseExtFields, type PullStatus } from '../domain/pull/pull-result-mapper.js';
import type { PullResult, PullService } from '../services/pull-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

/** Java `PullMessageProcessor#composeResponseHeader`: each pull status's response code. */
export const PULL_STATUS_RESPONSE_CODES: Readonly<Record<PullStatus, number>> = {
  FOUND: ResponseCode.SUCCESS,
  NO_NEW_MSG: ResponseCode.PULL_NOT_FOUND,
  NO_MATCHED_MSG: ResponseCode.PULL_RETRY_IMMEDIATELY,
  OFFSET_ILLEGAL: ResponseCode.PULL_OFFSET_MOVED,
};

export class PullHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.PULL_MESSAGE, RequestCode.LITE_PULL_MESSAGE];

  constructor(private readonly pulls: PullService) {}

  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand | Promise<RemotingCommand> {
    const header = decodePullMessageRequestHeader(request.extFields);
    let result: PullResult | Promise<PullResult>;
    try {
      result = this.pulls.pull(header, connection.remoteAddress);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    if (!(result instanceof Promise)) return pullResponse(request, result);
    return result.then(
      (woken) => pullResponse(request, woken),
      (error: unknown) => brokerErrorResponse(request, error),
    );
  }
}

function pullResponse(request: RemotingCommand, result: PullResult): RemotingCommand {
  const code = PULL_STATUS_RESPONSE_CODES[result.status];
  return createResponse(request, code, result.remark, pullResponseExtFields(result), result.body);
}
