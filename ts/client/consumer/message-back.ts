// Giving a message back for a later retry (Java `DefaultMQPushConsumerImpl#sendMessageBack` and
// `ConsumeMessageOrderlyService#sendMessageBack`): CONSUMER_SEND_MSG_BACK (36) to the broker the
// message came from, and, when that fails, a SEND of a copy to `%RETRY%<group>` carrying
// RETRY_TOPIC, ORIGIN_MESSAGE_ID, RECONSUME_TIME, MAX_RECONSUME_TIMES and DELAY = 3 + reconsumeTimes.
// Depends on ../client-instance.ts, ../producer/message-sender.ts, ../message/*, consumer-requests.ts.

import { MessageProperty } from '../../protocol/message-properties.js';
import { retryTopicOf } from '../../protocol/topics.js';
import type { ClientInstance } from '../client-instance.js';
import { formatMessageQueue } from '../message-queue.js';
import type { PreparedMessage } from '../message/message.js';
import type { MessageView } from '../message/message-view.js';
import type { MessageSender } from '../producer/message-sender.js';
import { consumerSendMessageBack } from './consumer-requests.js';

export class MessageBack {
  constructor(
    private readonly instance: ClientInstance,
    private readonly sender: MessageSender,
    private readonly consumerGroup: string,
    private readonly maxReconsumeTimes: number,
  ) {}

  /**
   * Concurrent consumption's RECONSUME_LATER: 36 with `delayLevel` (0 = the broker's choice), else the
   * SEND fall-back. Resolves false when both failed (the caller consumes the message again locally).
   */
  async sendBack(message: MessageView, delayLevel: number): Promise<boolean> {
    try {
      const address = this.instance.brokerAddressOrThrow(message.messageQueue.brokerName);
      await consumerSendMessageBack(this.instance, address, {
        offset: message.commitLogOffset,
        group: this.consumerGroup,
        delayLevel,
        originMsgId: message.messageId,
        originTopic: message.topic,
        maxReconsumeTimes: this.maxReconsumeTimes,
      });
      return true;
    } catch (error) {
      this.instance.logger.warn('send message back failed, sending to the retry topic', {
        queue: formatMessageQueue(message.messageQueue),
        offset: message.offset,
        error: String(error),
      });
      return this.sendToRetryTopic(message, message.reconsumeTimes + 1);
    }
  }

  /**
   * Sends a copy to `%RETRY%<group>` with `reconsumeTimes` (orderly consumption past its local
   * retries uses the message's own count, so the broker moves it to the DLQ). False on failure.
   */
  async sendToRetryTopic(message: MessageView, reconsumeTimes: number): Promise<boolean> {
    const properties = new Map([...message.systemProperties, ...message.properties]);
    const originMsgId = properties.get(MessageProperty.ORIGIN_MESSAGE_ID);
    if (originMsgId === undefined || originMsgId.trim() === '')
      properties.set(MessageProperty.ORIGIN_MESSAGE_ID, message.messageId);
    properties.set(MessageProperty.RETRY_TOPIC, message.topic);
    properties.set(MessageProperty.RECONSUME_TIME, String(reconsumeTimes));
    properties.set(MessageProperty.MAX_RECONSUME_TIMES, String(this.maxReconsumeTimes));
    properties.delete(MessageProperty.TRAN_MSG);
    const delayLevel = 3 + message.reconsumeTimes;
    properties.set(MessageProperty.DELAY, String(delayLevel));
    const copy: PreparedMessage = {
      topic: retryTopicOf(this.consumerGroup),
      body: message.body,
      flag: message.flag,
      properties,
      delayLevel,
    };
    try {
      await this.sender.send(copy, 'sync');
      return true;
    } catch (error) {
      this.instance.logger.error('send to the retry topic failed', {
        queue: formatMessageQueue(message.messageQueue),
        offset: message.offset,
        error: String(error),
      });
      return false;
    }
  }
}
