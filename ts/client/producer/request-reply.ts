// The requester's side of request-reply (Java `RequestFutureHolder`, `ClientRemotingProcessor
// #receiveReplyMessage`): the requests waiting for their reply by CORRELATION_ID, each with its
// deadline, and the reply the broker pushes with PUSH_REPLY_MESSAGE_TO_CLIENT (326) decoded into a
// ReplyView and handed to its request. Depends on ts/remoting, ts/protocol (reply header, properties),
// ../client-error.ts, ../message/*.

import { MessageProperty, parseMessageProperties, KEY_SEPARATOR } from '../../protocol/message-properties.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import { decodeReplyMessageRequestHeader } from '../../protocol/reply-message-header.js';
import { ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { Logger } from '../../common/logger.js';
import { ClientError, ClientErrorCode } from '../client-error.js';
import { SYSTEM_PROPERTY_NAMES } from '../message/message.js';
import { decompress } from '../message/pulled-record.js';

/** A reply as the requester receives it (Java's reply `Message`). */
export interface ReplyView {
  /** The reply topic (`<cluster>_REPLY_TOPIC`). */
  readonly topic: string;
  /** Inflated when the replier compressed it. */
  readonly body: Buffer;
  /** The CORRELATION_ID of the request it answers. */
  readonly correlationId: string;
  readonly tag?: string;
  readonly keys: readonly string[];
  /** User properties only. */
  readonly properties: ReadonlyMap<string, string>;
  /** The properties RocketMQ itself uses (CORRELATION_ID, REPLY_TO_CLIENT, PUSH_REPLY_TIME, ARRIVE_TIME …). */
  readonly systemProperties: ReadonlyMap<string, string>;
  /** "ip:port" of the replier. */
  readonly bornHost: string;
  readonly bornTimestamp: Date;
  /** "ip:port" of the broker that pushed it. */
  readonly storeHost: string;
  readonly storeTimestamp: Date;
  readonly queueId: number;
  readonly flag: number;
}

/** Decodes a PUSH_REPLY_MESSAGE_TO_CLIENT; ARRIVE_TIME is set to `arrivedAtMs`. */
export function decodePushedReply(request: RemotingCommand, arrivedAtMs: number): ReplyView {
  const header = decodeReplyMessageRequestHeader(request);
  let body: Buffer = Buffer.from(request.body ?? Buffer.alloc(0));
  if ((header.sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0) body = decompress(body, header.sysFlag).body;
  const all = parseMessageProperties(header.properties);
  all.set(MessageProperty.REPLY_MESSAGE_ARRIVE_TIME, String(arrivedAtMs));
  const properties = new Map<string, string>();
  const systemProperties = new Map<string, string>();
  for (const [name, value] of all) (SYSTEM_PROPERTY_NAMES.has(name) ? systemProperties : properties).set(name, value);
  const tag = systemProperties.get(MessageProperty.TAGS);
  const keys = systemProperties.get(MessageProperty.KEYS);
  return {
    topic: header.topic,
    body,
    correlationId: systemProperties.get(MessageProperty.CORRELATION_ID) ?? '',
    ...(tag !== undefined && { tag }),
    keys: keys === undefined ? [] : keys.split(KEY_SEPARATOR).filter((key) => key !== ''),
    properties,
    systemProperties,
    bornHost: header.bornHost,
    bornTimestamp: new Date(header.bornTimestamp),
    storeHost: header.storeHost,
    storeTimestamp: new Date(header.storeTimestamp),
    queueId: header.queueId,
    flag: header.flag,
  };
}

interface PendingRequest {
  resolve(reply: ReplyView): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** The requests of one producer waiting for their replies; each is settled once (reply, timeout or cancel). */
export class PendingRequests {
  private readonly pending = new Map<string, PendingRequest>();

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.pending.size;
  }

  /**
   * Waits `waitMs` for the reply to `correlationId`, then rejects with REQUEST_TIMEOUT_EXCEPTION (Java's
   * text, naming the request's `timeoutMs`). Register before sending: the reply may arrive before the
   * send's own answer.
   */
  register(correlationId: string, request: { topic: string; timeoutMs: number; waitMs: number }): Promise<ReplyView> {
    const { topic, timeoutMs, waitMs } = request;
    const reply = new Promise<ReplyView>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        const remark = `send request message to <${topic}> OK, but wait reply message timeout, ${timeoutMs} ms.`;
        reject(new ClientError(ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION, remark));
      }, waitMs);
      this.pending.set(correlationId, { resolve, reject, timer });
    });
    // The caller awaits the send first: a timeout meanwhile must not count as an unhandled rejection.
    reply.catch(() => undefined);
    return reply;
  }

  /** Forgets a request whose send failed (its promise stays pending; nobody awaits it). */
  forget(correlationId: string): void {
    const request = this.pending.get(correlationId);
    if (request === undefined) return;
    clearTimeout(request.timer);
    this.pending.delete(correlationId);
  }

  /** Rejects every waiting request (the producer shuts down). */
  rejectAll(error: Error): void {
    for (const [correlationId, request] of this.pending) {
      clearTimeout(request.timer);
      this.pending.delete(correlationId);
      request.reject(error);
    }
  }

  /**
   * The PUSH_REPLY_MESSAGE_TO_CLIENT processor: hands the reply to its request and answers SUCCESS (a
   * reply nobody waits for any more is logged); an undecodable push answers SYSTEM_ERROR.
   */
  onPushedReply(push: RemotingCommand): RemotingCommand {
    let reply: ReplyView;
    try {
      reply = decodePushedReply(push, Date.now());
    } catch (error) {
      this.logger.warn('undecodable reply message', { error: String(error) });
      return createResponse(push, ResponseCode.SYSTEM_ERROR, 'process reply message fail');
    }
    const request = this.pending.get(reply.correlationId);
    if (request === undefined) {
      this.logger.warn('reply message matches no request', {
        correlationId: reply.correlationId,
        from: reply.bornHost,
      });
    } else {
      clearTimeout(request.timer);
      this.pending.delete(reply.correlationId);
      request.resolve(reply);
    }
    return createResponse(push, ResponseCode.SUCCESS);
  }
}
