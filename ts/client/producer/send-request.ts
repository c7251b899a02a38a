// The send request and its reply (Java `MQClientAPIImpl#sendMessage` / `#processSendResponse`):
// SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320) with the one-letter header keys, and the reply
// read into SendReceipts (SEND_OK and the stored-but-unconfirmed statuses; any other code is a
// ClientError). Depends on ts/remoting, ts/protocol (properties, topics, the send header),
// ../client-error.ts, ../message-queue.ts.

import { optionalInt, optionalLong } from '../../protocol/header-fields.js';
import { encodeMessageProperties, MessageProperty } from '../../protocol/message-properties.js';
import { encodeSendMessageRequestHeader, type SendMessageRequestHeader } from '../../protocol/send-request-header.js';
import { REPLY_MESSAGE_FLAG } from '../../protocol/reply-message-header.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC, isRetryTopic } from '../../protocol/topics.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../remoting/remoting-command.js';
import { responseError } from '../client-error.js';
import type { MessageQueue } from '../message-queue.js';

/** Java `SendStatus`. */
export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

/** What a successful send returns (rocketmq-client-nodejs's SendReceipt, plus Remoting's status). */
export interface SendReceipt {
  /** The message's UNIQ_KEY: the id consumers see as MessageView.messageId. */
  readonly messageId: string;
  /** Store host + commit log offset of the stored record. */
  readonly offsetMsgId: string;
  /** The queue offset the message got. */
  readonly offset: number;
  readonly messageQueue: MessageQueue;
  readonly status: SendStatus;
  /** The broker's transactionId field (the UNIQ_KEY for ordinary messages). */
  readonly transactionId?: string;
}

/** What one send request carries. */
export interface SendRequestInput {
  readonly producerGroup: string;
  readonly messageQueue: MessageQueue;
  readonly body: Buffer;
  readonly flag: number;
  readonly sysFlag: number;
  /**
   * The message's properties (the batch's own for a batch); RECONSUME_TIME and MAX_RECONSUME_TIMES move
   * to the header.
   */
  readonly properties: ReadonlyMap<string, string>;
  readonly defaultTopicQueueNums: number;
  readonly batch: boolean;
}

/** The request of a single send (310) or a batch (320). */
export function buildSendRequest(input: SendRequestInput): RemotingCommand {
  const properties = new Map(input.properties);
  let reconsumeTimes = 0;
  let maxReconsumeTimes: number | undefined;
  // Java `sendKernelImpl`: a send to a retry topic carries its reconsume counters in the header.
  if (isRetryTopic(input.messageQueue.topic)) {
    const reconsumeText = properties.get(MessageProperty.RECONSUME_TIME);
    if (reconsumeText !== undefined) reconsumeTimes = Number(reconsumeText);
    const maxText = properties.get(MessageProperty.MAX_RECONSUME_TIMES);
    if (maxText !== undefined) maxReconsumeTimes = Number(maxText);
    properties.delete(MessageProperty.RECONSUME_TIME);
    properties.delete(MessageProperty.MAX_RECONSUME_TIMES);
  }
  const header: SendMessageRequestHeader = {
    producerGroup: input.producerGroup,
    topic: input.messageQueue.topic,
    defaultTopic: AUTO_CREATE_TOPIC_KEY_TOPIC,
    defaultTopicQueueNums: input.defaultTopicQueueNums,
    queueId: input.messageQueue.queueId,
    sysFlag: input.sysFlag,
    bornTimestamp: Date.now(),
    flag: input.flag,
    properties: encodeMessageProperties(properties),
    reconsumeTimes,
    unitMode: false,
    ...(maxReconsumeTimes !== undefined && { maxReconsumeTimes }),
    batch: input.batch,
    brokerName: input.messageQueue.brokerName,
  };
  // Java `MQClientAPIImpl#sendMessage`: a reply (MSG_TYPE "reply") goes as SEND_REPLY_MESSAGE_V2.
  const reply = properties.get(MessageProperty.MESSAGE_TYPE) === REPLY_MESSAGE_FLAG;
  const single = reply ? RequestCode.SEND_REPLY_MESSAGE_V2 : RequestCode.SEND_MESSAGE_V2;
  const code = input.batch ? RequestCode.SEND_BATCH_MESSAGE : single;
  return createRequest(code, encodeSendMessageRequestHeader(code, header), input.body);
}

const SEND_STATUS_BY_CODE: ReadonlyMap<number, SendStatus> = new Map([
  [ResponseCode.SUCCESS, 'SEND_OK'],
  [ResponseCode.FLUSH_DISK_TIMEOUT, 'FLUSH_DISK_TIMEOUT'],
  [ResponseCode.FLUSH_SLAVE_TIMEOUT, 'FLUSH_SLAVE_TIMEOUT'],
  [ResponseCode.SLAVE_NOT_AVAILABLE, 'SLAVE_NOT_AVAILABLE'],
]);

/**
 * The receipts of a send reply, one per message (`uniqueIds` in send order); a batch reply's msgId
 * is the comma-joined offset msgIds and its queueOffset the first one's. Throws a ClientError for
 * any code other than the four send statuses.
 */
export function decodeSendResponse(
  response: RemotingCommand,
  requestCode: number,
  address: string,
  messageQueue: MessageQueue,
  uniqueIds: readonly string[],
): SendReceipt[] {
  const status = SEND_STATUS_BY_CODE.get(response.code);
  if (status === undefined) throw responseError(response, requestCode, address);
  const fields = response.extFields;
  const offsetMsgIds = (fields['msgId'] ?? '').split(',');
  const firstOffset = optionalLong(response, 'queueOffset') ?? -1;
  const queueId = optionalInt(response, 'queueId') ?? messageQueue.queueId;
  const queue = { topic: messageQueue.topic, brokerName: messageQueue.brokerName, queueId };
  const transactionId = fields['transactionId'];
  return uniqueIds.map((messageId, index) => ({
    messageId,
    offsetMsgId: offsetMsgIds[index] ?? '',
    offset: firstOffset + index,
    messageQueue: queue,
    status,
    ...(transactionId !== undefined && uniqueIds.length === 1 && { transactionId }),
  }));
}
