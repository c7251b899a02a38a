// ReplyService: the protocol-neutral reply path of request-reply (Java `ReplyMessageProcessor`). A
// replier's reply passes the send checks, is handed to the requester that REPLY_TO_CLIENT names (a
// producer client, found in the producer table; the front carries it over its protocol) and is stored
// in the reply topic when storeReplyMessageEnable. A reply that cannot be delivered is still stored,
// and the result says why it was not delivered. Depends on the send service (topic checks), the
// producer table, the send domain, ts/protocol and the store interface; nothing of a wire protocol.

import { formatSocketAddress, parseSocketAddress, type SocketAddress } from '../../common/socket-address.js';
import type { Logger } from '../../common/logger.js';
import { encodeMessageProperties, MessageProperty, parseMessageProperties } from '../../protocol/message-properties.js';
import type { ReplyMessageRequestHeader } from '../../protocol/reply-message-header.js';
import type { SendMessageRequestHeader } from '../../protocol/send-request-header.js';
import type { AppendResult, StoreMessage } from '../../store/message-store-api.js';
import { isStoreError } from '../../store/store-errors.js';
import { BrokerError, isBrokerError, throwIfFailed } from '../domain/broker-error.js';
import type { ProducerManager } from '../domain/client/producer-manager.js';
import { checkMessageSize, checkQueueId, chooseQueueId } from '../domain/send/message-check.js';
import { storedSendFromAppend, type StoredSend } from '../domain/send/send-response.js';
import type { SendService } from './send-service.js';

/**
 * Carries a reply to the requester's connection (over Remoting: PUSH_REPLY_MESSAGE_TO_CLIENT) and
 * resolves true once the requester acknowledged it; false or a rejection when it did not.
 */
export type ReplyDelivery = (connectionId: string, header: ReplyMessageRequestHeader, body: Buffer) => Promise<boolean>;

export interface ReplyDeps {
  /** The send path's topic checks (Java `msgCheck`): existence, auto-creation, permissions. */
  readonly sends: Pick<SendService, 'topicFor'>;
  readonly producers: Pick<ProducerManager, 'findChannel'>;
  /** Appends with the rest of the event-loop turn (the AppendBatcher). */
  readonly append: (messages: readonly StoreMessage[]) => Promise<AppendResult>;
  /** Wakes the listeners of a queue (held pulls of the reply topic). */
  readonly onStored: (topic: string, queueId: number) => void;
  /** `brokerIP1:port`. */
  readonly storeHost: () => SocketAddress;
  readonly nowMs: () => number;
  /** [0, 1), like Math.random: the queue of a reply with queueId < 0. */
  readonly random: () => number;
  readonly logger: Logger;
}

export interface ReplySettings {
  /** Java `storeReplyMessageEnable` (default true): keep replies in the reply topic as well. */
  readonly storeReplyMessageEnable: boolean;
  readonly maxMessageSizeBytes: number;
}

export interface ReplyResult {
  /** True when the requester acknowledged the reply. */
  readonly delivered: boolean;
  /** Why it was not delivered (Java's remark); '' when delivered. */
  readonly failure: string;
  /** The queue of the reply topic it went to. */
  readonly queueId: number;
  /** The stored reply; null when replies are not stored or the store refused it (logged). */
  readonly stored: StoredSend | null;
}

type Delivery = Pick<ReplyResult, 'delivered' | 'failure'>;

export class ReplyService {
  constructor(
    private readonly deps: ReplyDeps,
    private readonly settings: ReplySettings,
  ) {}

  /**
   * Delivers and stores one reply sent by `replierAddress` (`ip:port`). A refused reply (topic, queue or
   * size checks) is thrown as a BrokerError; an undelivered one resolves with `delivered: false`.
   */
  async reply(
    header: SendMessageRequestHeader,
    body: Buffer | null,
    replierAddress: string,
    deliver: ReplyDelivery,
  ): Promise<ReplyResult> {
    const topic = this.deps.sends.topicFor(header, replierAddress);
    throwIfFailed(checkQueueId(header.queueId, topic, replierAddress));
    const chosen = chooseQueueId(header.queueId, topic.writeQueueNums, this.deps.random);
    if (!chosen.ok) throw new BrokerError(chosen.code, chosen.remark);
    throwIfFailed(checkMessageSize(body, header.properties, this.settings.maxMessageSizeBytes));
    const replyBody = body ?? Buffer.alloc(0);
    // Compat: Java pushes, then stores; both run at once here (same outcome, one wait less).
    const [delivery, stored] = await Promise.all([
      this.deliver(header, replyBody, replierAddress, deliver),
      this.store(header, chosen.queueId, replyBody, replierAddress),
    ]);
    return { ...delivery, queueId: chosen.queueId, stored };
  }

  /** Java `pushReplyMessage`: to the channel of the REPLY_TO_CLIENT client, with PUSH_REPLY_TIME added. */
  private async deliver(
    header: SendMessageRequestHeader,
    body: Buffer,
    replierAddress: string,
    deliver: ReplyDelivery,
  ): Promise<Delivery> {
    const properties = parseMessageProperties(header.properties);
    const clientId = properties.get(MessageProperty.REPLY_TO_CLIENT);
    if (clientId === undefined) {
      return undelivered(`reply message properties[${MessageProperty.REPLY_TO_CLIENT}] is null`);
    }
    const channel = this.deps.producers.findChannel(clientId);
    if (channel === undefined) return undelivered(`push reply message fail, channel of <${clientId}> not found.`);
    const nowMs = this.deps.nowMs();
    properties.set(MessageProperty.PUSH_REPLY_TIME, String(nowMs));
    const pushed = pushHeader(
      header,
      encodeMessageProperties(properties),
      replierAddress,
      this.deps.storeHost(),
      nowMs,
    );
    try {
      if (await deliver(channel.connectionId, pushed, body)) return { delivered: true, failure: '' };
    } catch (error) {
      this.deps.logger.warn('push reply message failed', { clientId, error: String(error) });
    }
    // Java's remark, without a space before "fail".
    return undelivered(`push reply message to ${clientId}fail.`);
  }

  /** The reply as sent (Java keeps its property string), in the queue chosen; null when not stored. */
  private async store(
    header: SendMessageRequestHeader,
    queueId: number,
    body: Buffer,
    replierAddress: string,
  ): Promise<StoredSend | null> {
    if (!this.settings.storeReplyMessageEnable) return null;
    const storeHost = this.deps.storeHost();
    const message: StoreMessage = {
      topic: header.topic,
      queueId,
      body,
      flag: header.flag,
      properties: header.properties,
      // Compat: Java stores replies with sysFlag 0; the sender's flags keep a compressed body readable.
      sysFlag: header.sysFlag,
      bornTimestamp: header.bornTimestamp,
      bornHost: parseSocketAddress(replierAddress),
      storeHost,
      reconsumeTimes: header.reconsumeTimes,
    };
    let result: AppendResult;
    try {
      result = await this.deps.append([message]);
    } catch (error) {
      // Java only logs a failed put of a reply: the answer is the push's.
      if (!isStoreError(error) && !isBrokerError(error)) throw error;
      this.deps.logger.warn('reply message not stored', { topic: header.topic, error: error.message });
      return null;
    }
    const stored = storedSendFromAppend(result, storeHost, queueId);
    this.deps.onStored(header.topic, queueId);
    return stored;
  }
}

function undelivered(failure: string): Delivery {
  return { delivered: false, failure };
}

/** Java `ReplyMessageRequestHeader` as the broker fills it from the replier's send header. */
function pushHeader(
  header: SendMessageRequestHeader,
  properties: string,
  replierAddress: string,
  storeHost: SocketAddress,
  storeTimestamp: number,
): ReplyMessageRequestHeader {
  return {
    producerGroup: header.producerGroup,
    topic: header.topic,
    defaultTopic: header.defaultTopic,
    defaultTopicQueueNums: header.defaultTopicQueueNums,
    queueId: header.queueId,
    sysFlag: header.sysFlag,
    bornTimestamp: header.bornTimestamp,
    flag: header.flag,
    properties,
    reconsumeTimes: header.reconsumeTimes,
    unitMode: header.unitMode,
    bornHost: replierAddress,
    storeHost: formatSocketAddress(storeHost),
    storeTimestamp,
  };
}
