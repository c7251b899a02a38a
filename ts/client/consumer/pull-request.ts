// PULL_MESSAGE (11) / LITE_PULL_MESSAGE (361) (Java `PullMessageRequestHeader`, `PullAPIWrapper`):
// the request header with its sysFlag, the reply's status and offsets, and the records decoded into
// MessageViews and filtered again by exact tag. Depends on ts/remoting, ../client-instance.ts,
// ../client-error.ts, ../heartbeat-data.ts, ../message/*, filter-expression.ts.

import { optionalLong } from '../../protocol/header-fields.js';
import { encodePullMessageRequestHeader } from '../../protocol/pull-request-header.js';
import { PullSysFlag } from '../../protocol/pull-sys-flag.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { responseError } from '../client-error.js';
import type { ClientInstance } from '../client-instance.js';
import type { SubscriptionData } from '../heartbeat-data.js';
import type { MessageQueue } from '../message-queue.js';
import { decodePulledRecords } from '../message/pulled-record.js';
import { toMessageView, type MessageView } from '../message/message-view.js';
import { matchesSubscription } from './filter-expression.js';

/** Java `PullStatus`. */
export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

export interface PullResult {
  readonly status: PullStatus;
  /** Where the next pull of this queue starts. */
  readonly nextBeginOffset: number;
  readonly minOffset: number;
  readonly maxOffset: number;
  /** The found messages that pass the subscription's exact tags. */
  readonly messages: MessageView[];
}

export interface PullInput {
  readonly consumerGroup: string;
  readonly messageQueue: MessageQueue;
  readonly queueOffset: number;
  readonly maxMsgNums: number;
  readonly sysFlag: number;
  /** The committed offset carried when sysFlag has COMMIT_OFFSET; else 0. */
  readonly commitOffset: number;
  /** How long the broker may hold the pull when nothing is there (suspend flag). */
  readonly suspendTimeoutMs: number;
  readonly subscription: SubscriptionData;
  /** The client's wait for the reply (longer than the hold). */
  readonly timeoutMs: number;
}

const STATUS_BY_CODE: ReadonlyMap<number, PullStatus> = new Map([
  [ResponseCode.SUCCESS, 'FOUND'],
  [ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG'],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MSG'],
  [ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_ILLEGAL'],
]);

/** One pull from the queue's broker; other reply codes are ClientErrors. */
export async function pullMessage(instance: ClientInstance, address: string, input: PullInput): Promise<PullResult> {
  const { messageQueue: mq, subscription } = input;
  const litePull = (input.sysFlag & PullSysFlag.FLAG_LITE_PULL_MESSAGE) !== 0;
  const code = litePull ? RequestCode.LITE_PULL_MESSAGE : RequestCode.PULL_MESSAGE;
  const header = encodePullMessageRequestHeader({
    consumerGroup: input.consumerGroup,
    topic: mq.topic,
    queueId: mq.queueId,
    queueOffset: input.queueOffset,
    maxMsgNums: input.maxMsgNums,
    sysFlag: input.sysFlag,
    commitOffset: input.commitOffset,
    suspendTimeoutMillis: input.suspendTimeoutMs,
    subscription: subscription.subString,
    subVersion: subscription.subVersion,
    expressionType: subscription.expressionType,
    brokerName: mq.brokerName,
  });
  const request = createRequest(code, header);
  const response = await instance.invoke(address, request, input.timeoutMs);
  const status = STATUS_BY_CODE.get(response.code);
  if (status === undefined) throw responseError(response, code, address);
  const messages =
    status === 'FOUND' && response.body !== null
      ? decodePulledRecords(response.body)
          .map((record) => toMessageView(record, mq.brokerName))
          .filter((message) => matchesSubscription(subscription, message.tag))
      : [];
  return {
    status,
    nextBeginOffset: optionalLong(response, 'nextBeginOffset') ?? input.queueOffset,
    minOffset: optionalLong(response, 'minOffset') ?? 0,
    maxOffset: optionalLong(response, 'maxOffset') ?? 0,
    messages,
  };
}
