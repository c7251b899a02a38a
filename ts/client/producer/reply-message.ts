// The replier's side of request-reply (Java `MessageUtil.createReplyMessage`): the reply to a consumed
// request message, addressed to the cluster's reply topic with the request's CORRELATION_ID,
// REPLY_TO_CLIENT and TTL and MSG_TYPE "reply" (which makes the producer send it with
// SEND_REPLY_MESSAGE_V2), and its translation into what the sender sends. Depends on ts/protocol,
// ts/remoting (codes), ../client-error.ts, ../message/*.

import { MessageProperty } from '../../protocol/message-properties.js';
import { REPLY_MESSAGE_FLAG } from '../../protocol/reply-message-header.js';
import { replyTopicOf } from '../../protocol/topics.js';
import { ResponseCode } from '../../remoting/codes.js';
import { ClientError, ClientErrorCode } from '../client-error.js';
import type { MessageView } from '../message/message-view.js';
import type { PreparedMessage } from '../message/message.js';

/** A reply ready to send with `Producer.sendReply`. */
export interface ReplyMessage {
  /** `<cluster>_REPLY_TOPIC` of the cluster that stored the request. */
  readonly topic: string;
  readonly body: Buffer;
  /** MSG_TYPE, and the request's CORRELATION_ID, REPLY_TO_CLIENT and TTL when it had them. */
  readonly replyProperties: ReadonlyMap<string, string>;
}

/**
 * The reply to `request` with `body`. Throws CREATE_REPLY_MESSAGE_EXCEPTION (Java's text) when the
 * request carries no CLUSTER (every message a broker stored has one). A request without REPLY_TO_CLIENT
 * still gets a reply message: the broker refuses it when it is sent.
 */
export function createReplyMessage(request: MessageView, body: Buffer | Uint8Array | string): ReplyMessage {
  const requestProperties = request.systemProperties;
  const cluster = requestProperties.get(MessageProperty.CLUSTER);
  if (cluster === undefined) {
    throw new ClientError(
      ClientErrorCode.CREATE_REPLY_MESSAGE_EXCEPTION,
      `create reply message fail, requestMessage error, property[${MessageProperty.CLUSTER}] is null.`,
    );
  }
  const replyProperties = new Map<string, string>([[MessageProperty.MESSAGE_TYPE, REPLY_MESSAGE_FLAG]]);
  for (const name of [MessageProperty.CORRELATION_ID, MessageProperty.REPLY_TO_CLIENT, MessageProperty.MESSAGE_TTL]) {
    const value = requestProperties.get(name);
    if (value !== undefined) replyProperties.set(name, value);
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  return { topic: replyTopicOf(cluster), body: bytes, replyProperties };
}

/** A reply as the sender sends it; refuses an empty or oversized body as the producer's checks do. */
export function prepareReply(reply: ReplyMessage, maxMessageSizeBytes: number): PreparedMessage {
  if (reply.body.length === 0) throw new ClientError(ResponseCode.MESSAGE_ILLEGAL, 'the message body length is zero');
  if (reply.body.length > maxMessageSizeBytes) {
    throw new ClientError(
      ResponseCode.MESSAGE_ILLEGAL,
      `the message body size over max value, MAX: ${maxMessageSizeBytes}`,
    );
  }
  return { topic: reply.topic, body: reply.body, flag: 0, properties: new Map(reply.replyProperties), delayLevel: 0 };
}
