// TransactionProducer (Java `TransactionMQProducer`, rocketmq-client-nodejs's transactional send):
// `sendMessageInTransaction` sends the message as a half (TRAN_MSG, PGROUP), runs the local
// transaction, then tells the broker COMMIT, ROLLBACK or UNKNOWN with END_TRANSACTION (oneway); the
// `checker` answers the broker's CHECK_TRANSACTION_STATE for halves left unknown (also those of an
// earlier producer of the group). Depends on producer.ts, ../client-instance.ts, ../message/*,
// ts/protocol (properties, sysFlag, msgId, record decoder) and ts/remoting.

import { optionalField, optionalLong } from '../../protocol/header-fields.js';
import { MessageProperty } from '../../protocol/message-properties.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import { decodeOffsetMessageId } from '../../protocol/offset-message-id.js';
import { RequestCode } from '../../remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RemotingConnection } from '../../remoting/remoting-connection.js';
import { ClientError, ClientErrorCode } from '../client-error.js';
import type { Message } from '../message/message.js';
import { toMessageView, type MessageView } from '../message/message-view.js';
import { decodePulledRecords } from '../message/pulled-record.js';
import { Producer, type ProducerOptions } from './producer.js';
import type { SendReceipt } from './send-request.js';

/** How a transaction ends (Java `LocalTransactionState`: COMMIT_MESSAGE, ROLLBACK_MESSAGE, UNKNOW). */
export type TransactionResolution = 'COMMIT' | 'ROLLBACK' | 'UNKNOWN';

/** Answers the broker's question about a half message whose transaction it does not know the end of. */
export type TransactionChecker = (message: MessageView) => TransactionResolution | Promise<TransactionResolution>;

/** The local part of a transaction, run once the half message is stored. */
export type LocalTransaction = (
  message: Message,
  receipt: SendReceipt,
) => TransactionResolution | Promise<TransactionResolution>;

export interface TransactionProducerOptions extends ProducerOptions {
  /** Asked by the broker (CHECK_TRANSACTION_STATE) about halves left UNKNOWN or never ended. */
  readonly checker: TransactionChecker;
}

/** A transactional send's receipt (of the half message) and how the transaction ended. */
export interface TransactionSendResult extends SendReceipt {
  readonly resolution: TransactionResolution;
}

const TYPE_OF: Readonly<Record<TransactionResolution, number>> = {
  COMMIT: MessageSysFlag.TRANSACTION_COMMIT_TYPE,
  ROLLBACK: MessageSysFlag.TRANSACTION_ROLLBACK_TYPE,
  UNKNOWN: MessageSysFlag.TRANSACTION_NOT_TYPE,
};

export class TransactionProducer extends Producer {
  private readonly checker: TransactionChecker;

  constructor(options: TransactionProducerOptions) {
    super(options);
    if (typeof options.checker !== 'function') {
      throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, 'a TransactionProducer needs a checker');
    }
    this.checker = options.checker;
    this.instance.registerProcessor([RequestCode.CHECK_TRANSACTION_STATE], (request, connection) =>
      this.checkTransactionState(request, connection),
    );
  }

  /**
   * Java `sendMessageInTransaction`: sends `message` as a half message, runs `localTransaction` when
   * it is stored (ROLLBACK when the broker stored it without confirming; UNKNOWN when the local
   * transaction throws), and ends the transaction with that resolution. A delay level is dropped.
   */
  async sendMessageInTransaction(message: Message, localTransaction: LocalTransaction): Promise<TransactionSendResult> {
    const prepared = this.prepare(message);
    prepared.properties.delete(MessageProperty.DELAY);
    prepared.properties.set(MessageProperty.TRAN_MSG, 'true').set(MessageProperty.PRODUCER_GROUP, this.producerGroup);
    const receipt = await this.sender.send({ ...prepared, delayLevel: 0 }, 'sync', await this.selectedQueue(prepared));
    if (receipt === undefined) throw new Error('invariant: a sync send resolves with a receipt');
    let resolution: TransactionResolution = 'ROLLBACK';
    let failure: unknown = null;
    if (receipt.status === 'SEND_OK') {
      try {
        resolution = await localTransaction(message, receipt);
      } catch (error) {
        failure = error;
        resolution = 'UNKNOWN';
      }
    }
    await this.endTransaction(receipt, resolution, failure);
    return { ...receipt, resolution };
  }

  /** END_TRANSACTION, oneway, to the broker that stored the half (Java `endTransaction`). */
  private async endTransaction(receipt: SendReceipt, resolution: TransactionResolution, failure: unknown) {
    const address = this.instance.brokerAddressOrThrow(receipt.messageQueue.brokerName);
    const request = createRequest(RequestCode.END_TRANSACTION, {
      producerGroup: this.producerGroup,
      tranStateTableOffset: String(receipt.offset),
      commitLogOffset: String(decodeOffsetMessageId(receipt.offsetMsgId).physicalOffset),
      commitOrRollback: String(TYPE_OF[resolution]),
      fromTransactionCheck: 'false',
      msgId: receipt.messageId,
      transactionId: receipt.transactionId ?? receipt.messageId,
      bname: receipt.messageQueue.brokerName,
    });
    const remark = failure === null ? null : `executeLocalTransactionBranch exception: ${describe(failure)}`;
    await this.instance.invokeOneway(address, { ...request, remark });
  }

  /**
   * CHECK_TRANSACTION_STATE from a broker (Java `checkTransactionState`): asks the checker about the
   * half in the body and answers END_TRANSACTION (fromTransactionCheck) on the same connection.
   * No reply to the request itself (it is oneway).
   */
  private checkTransactionState(request: RemotingCommand, connection: RemotingConnection): null {
    const [record] = request.body === null ? [] : decodePulledRecords(request.body);
    if (record === undefined || record.properties.get(MessageProperty.PRODUCER_GROUP) !== this.producerGroup) {
      this.instance.logger.warn('transaction check for another group or without a message ignored');
      return null;
    }
    const brokerName = optionalField(request, 'bname') ?? '';
    void this.answerCheck(request, record.properties.get(MessageProperty.UNIQ_KEY), toMessageView(record, brokerName))
      .then((answer) => connection.invokeOneway(answer))
      .catch((error: unknown) => this.instance.logger.warn('transaction check failed', { error: String(error) }));
    return null;
  }

  private async answerCheck(
    request: RemotingCommand,
    uniqueId: string | undefined,
    message: MessageView,
  ): Promise<RemotingCommand> {
    let resolution: TransactionResolution = 'UNKNOWN';
    let remark: string | null = null;
    try {
      resolution = await this.checker(message);
    } catch (error) {
      remark = `checkLocalTransactionState Exception: ${describe(error)}`;
    }
    const answer = createRequest(RequestCode.END_TRANSACTION, {
      producerGroup: this.producerGroup,
      tranStateTableOffset: String(optionalLong(request, 'tranStateTableOffset') ?? 0),
      commitLogOffset: String(optionalLong(request, 'commitLogOffset') ?? 0),
      commitOrRollback: String(TYPE_OF[resolution]),
      fromTransactionCheck: 'true',
      msgId: uniqueId ?? optionalField(request, 'msgId') ?? '',
      transactionId: optionalField(request, 'transactionId') ?? '',
      bname: optionalField(request, 'bname') ?? '',
    });
    return { ...answer, remark };
  }
}

/** An error as Java's `Throwable.toString` would put it in a remark. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
}
