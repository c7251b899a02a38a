// Orderly-consumption queue locks over Remoting (Java `AdminBrokerProcessor#lockBatchMQ` /
// `#unlockBatchMQ`): LOCK_BATCH_MQ (41) answers the queues the client now holds; UNLOCK_BATCH_MQ (42)
// releases them. Decodes the body and calls ClientService. Depends on the client service and ts/remoting.

import { parseFastJson } from '../../common/fastjson.js';
import type { MessageQueue } from '../domain/order/rebalance-lock-manager.js';
import type { ClientService } from '../services/client-service.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { BrokerRequestHandler } from './request-fields.js';

/** `LockBatchRequestBody` / `UnlockBatchRequestBody`. */
interface LockBatchBody {
  consumerGroup?: string;
  clientId?: string;
  mqSet?: Array<Partial<MessageQueue>>;
}

export class LockHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.LOCK_BATCH_MQ, RequestCode.UNLOCK_BATCH_MQ];

  constructor(private readonly clients: ClientService) {}

  handle(request: RemotingCommand): RemotingCommand {
    const body = parseFastJson(request.body?.toString('utf8') ?? '{}') as LockBatchBody;
    const group = body.consumerGroup ?? '';
    const clientId = body.clientId ?? '';
    if (group === '' || clientId === '') throw new Error('the lock request body has no consumerGroup or clientId');
    const queues = (body.mqSet ?? []).map((mq) => ({
      topic: String(mq.topic ?? ''),
      brokerName: String(mq.brokerName ?? ''),
      queueId: Number(mq.queueId ?? -1),
    }));
    if (request.code === RequestCode.UNLOCK_BATCH_MQ) {
      this.clients.unlockBatch(group, queues, clientId);
      return createResponse(request, ResponseCode.SUCCESS);
    }
    const lockOKMQSet = this.clients.lockBatch(group, queues, clientId);
    return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify({ lockOKMQSet })));
  }
}
