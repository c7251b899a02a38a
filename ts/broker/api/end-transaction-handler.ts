// END_TRANSACTION (37) over Remoting (Java `EndTransactionProcessor`), usually oneway from the
// producer or as its answer to a check: decodes the header and calls TransactionService; refusals
// through the one error table, an "unknown" state gets no reply. Sends CHECK_TRANSACTION_STATE (39),
// oneway, to the producer connection the service picks (Java `Broker2Client#checkProducerTransactionState`).
// Depends on the transaction service, the client invoker and ts/remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest, createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { optionalBoolean, requiredField, requiredInt, requiredLong } from '../../protocol/header-fields.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import type { EndTransactionRequest, TransactionCheck, TransactionService } from '../services/transaction-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { ClientInvoker } from './client-invoker.js';
import type { BrokerRequestHandler } from './request-fields.js';

export class EndTransactionHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.END_TRANSACTION];

  constructor(
    private readonly transactions: TransactionService,
    private readonly clients: Pick<ClientInvoker, 'invokeOneway'>,
  ) {
    transactions.onCheck((check) => this.checkProducerTransactionState(check));
  }

  async handle(request: RemotingCommand): Promise<RemotingCommand | null> {
    const header = decodeEndTransactionHeader(request);
    try {
      const outcome = await this.transactions.endTransaction(header);
      if (outcome === 'ignored') return null;
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    return createResponse(request, ResponseCode.SUCCESS, null);
  }

  /** CHECK_TRANSACTION_STATE, oneway; a connection gone in between is only missed (the next pass asks again). */
  private checkProducerTransactionState(check: TransactionCheck): void {
    const header = {
      topic: check.topic,
      tranStateTableOffset: String(check.tranStateTableOffset),
      commitLogOffset: String(check.commitLogOffset),
      msgId: check.msgId,
      transactionId: check.transactionId,
      offsetMsgId: check.offsetMsgId,
      bname: check.brokerName,
    };
    this.clients.invokeOneway(
      check.connectionId,
      createRequest(RequestCode.CHECK_TRANSACTION_STATE, header, check.body),
    );
  }
}

/**
 * Java `EndTransactionRequestHeader`: a missing required field fails the request (SYSTEM_ERROR), as
 * does a commitOrRollback other than 0, 8 or 12 (Java `checkFields`: "commitOrRollback field wrong").
 */
export function decodeEndTransactionHeader(request: RemotingCommand): EndTransactionRequest {
  const commitOrRollback = requiredInt(request, 'commitOrRollback');
  const known = [
    MessageSysFlag.TRANSACTION_NOT_TYPE,
    MessageSysFlag.TRANSACTION_COMMIT_TYPE,
    MessageSysFlag.TRANSACTION_ROLLBACK_TYPE,
  ] as number[];
  if (!known.includes(commitOrRollback)) throw new Error('commitOrRollback field wrong');
  return {
    producerGroup: requiredField(request, 'producerGroup'),
    tranStateTableOffset: requiredLong(request, 'tranStateTableOffset'),
    commitLogOffset: requiredLong(request, 'commitLogOffset'),
    commitOrRollback,
    fromTransactionCheck: optionalBoolean(request, 'fromTransactionCheck') ?? false,
    msgId: requiredField(request, 'msgId'),
  };
}
