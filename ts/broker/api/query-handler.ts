// Message lookups (Java `QueryMessageProcessor`): QUERY_MESSAGE (12) by topic + key + time range
// through the index, and VIEW_MESSAGE_BY_ID (33) by the physical offset an offset msgId carries.
// Depends on the store interface and ts/remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { MessageStore } from '../../store/message-store-api.js';
import { isStoreError } from '../../store/store-errors.js';
import type { BrokerRequestHandler } from './request-fields.js';
import { optionalField, requiredField, requiredInt, requiredLong } from '../../protocol/header-fields.js';

/** `MessageStoreConfig.defaultQueryMaxNum`: the cap of a query by unique key. */
const DEFAULT_QUERY_MAX_NUM = 32;

export class QueryHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.QUERY_MESSAGE, RequestCode.VIEW_MESSAGE_BY_ID];

  constructor(private readonly store: () => MessageStore) {}

  handle(request: RemotingCommand): RemotingCommand {
    return request.code === RequestCode.QUERY_MESSAGE ? this.query(request) : this.view(request);
  }

  private query(request: RemotingCommand): RemotingCommand {
    const uniqueKeyQuery = optionalField(request, '_UNIQUE_KEY_QUERY') === 'true';
    const maxNum = uniqueKeyQuery ? DEFAULT_QUERY_MAX_NUM : requiredInt(request, 'maxNum');
    const result = this.store().queryMessage(
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
      return createResponse(request, ResponseCode.QUERY_NOT_FOUND, 'can not find message, maybe time range not correct', header);
    }
    return createResponse(request, ResponseCode.SUCCESS, null, header, result.buffer);
  }

  private view(request: RemotingCommand): RemotingCommand {
    const offset = requiredLong(request, 'offset');
    try {
      return createResponse(request, ResponseCode.SUCCESS, null, {}, this.store().getMessageByOffset(offset));
    } catch (error) {
      if (!isStoreError(error)) throw error;
      return createResponse(request, ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${offset}`);
    }
  }
}
