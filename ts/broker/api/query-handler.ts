// Message lookups (Java `QueryMessageProcessor`): QUERY_MESSAGE (12) by topic + key + time range
// through the index, and VIEW_MESSAGE_BY_ID (33) by the physical offset an offset msgId carries,
// answered through QueryService. Depends on the query service and ts/remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { DEFAULT_QUERY_MAX_NUM, type QueryService } from '../services/query-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import { type BrokerRequestHandler } from './request-fields.js';
import { optionalField, requiredField, requiredInt, requiredLong } from '../../protocol/header-fields.js';

export class QueryHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.QUERY_MESSAGE, RequestCode.VIEW_MESSAGE_BY_ID];

  constructor(private readonly queries: QueryService) {}

  handle(request: RemotingCommand): RemotingCommand {
    return request.code === RequestCode.QUERY_MESSAGE ? this.query(request) : this.view(request);
  }

  private query(request: RemotingCommand): RemotingCommand {
    const uniqueKeyQuery = optionalField(request, '_UNIQUE_KEY_QUERY') === 'true';
    const maxNum = uniqueKeyQuery ? DEFAULT_QUERY_MAX_NUM : requiredInt(request, 'maxNum');
    const result = this.queries.queryMessage(
      requiredField(request, 'topic'),
      requiredField(request, 'key'),
      maxNum,
      requiredLong(request, 'beginTimestamp'),
      requiredLong(request, 'endTimestamp'),
    );
    const header = {
      indexLastUpdateTimestamp: String(result.indexLastUpdateTimestamp),
      indexLastUpdatePhyoffset: String(result.indexLastUpdatePhyoffset),
    };
    if (result.messageCount === 0) {
      return createResponse(
        request,
        ResponseCode.QUERY_NOT_FOUND,
        'can not find message, maybe time range not correct',
        header,
      );
    }
    return createResponse(request, ResponseCode.SUCCESS, null, header, result.buffer);
  }

  private view(request: RemotingCommand): RemotingCommand {
    const offset = requiredLong(request, 'offset');
    try {
      return createResponse(request, ResponseCode.SUCCESS, null, {}, this.queries.viewMessageByOffset(offset));
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
  }
}
