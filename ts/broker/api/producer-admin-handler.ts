// Producer administration (Java `AdminBrokerProcessor#getProducerConnectionList`):
// GET_PRODUCER_CONNECTION_LIST (204) over ProducerAdminService. Depends on the service, the admin
// encoder and ts/remoting.

import { requiredField } from '../../protocol/header-fields.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { encodeProducerConnection } from '../domain/admin/producer-connection.js';
import type { ProducerAdminService } from '../services/producer-admin-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { BrokerRequestHandler } from './request-fields.js';

export class ProducerAdminHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.GET_PRODUCER_CONNECTION_LIST];

  constructor(private readonly producers: ProducerAdminService) {}

  handle(request: RemotingCommand): RemotingCommand {
    const group = requiredField(request, 'producerGroup');
    try {
      const connections = this.producers.producerConnection(group);
      return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeProducerConnection(connections));
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
  }
}
