// The receipt handles of messages received over gRPC: the pop extraInfo of each message with its queue and CommitLog
// offsets (as Apache's broker client builds it for its proxy), decoded back into the AckService's request. Depends
// on ts/protocol/pop-extra-info.ts and the AckService's request type.

import { Code } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  buildExtraInfo,
  parseExtraInfo,
  parseStartOffsetInfo,
  popOffsetInfoKey,
  type PopReceipt,
  topicOfPopMark,
} from '../../protocol/pop-extra-info.js';
import type { StoredMessage } from '../../protocol/record-decoder.js';
import type { AckRequest } from '../services/pop/ack-service.js';
import type { PopResult } from '../services/pop/pop-service.js';
import { GrpcError } from './grpc-status.js';

/** A decoded handle: the pop receipt with the message's queue offset (required) and CommitLog offset (-1: none). */
export type GrpcReceipt = PopReceipt & { readonly queueOffset: number; readonly commitLogOffset: number };

/**
 * Each popped message's handle (Java `ReceiptHandle`): `ckQueueOffset popTime invisibleTime reviveQid mark broker
 * queueId queueOffset commitLogOffset`; the AckService reads the first eight (docs/grpc.md §2).
 */
export function receiptHandles(result: PopResult, records: readonly StoredMessage[], brokerName: string): string[] {
  const starts = parseStartOffsetInfo(result.startOffsetInfo) ?? new Map<string, number>();
  return records.map(
    (record) =>
      buildExtraInfo({
        ckQueueOffset: starts.get(popOffsetInfoKey(record.topic, record.queueId)) ?? record.queueOffset,
        popTime: result.popTime,
        invisibleTime: result.invisibleTime,
        reviveQid: result.reviveQid,
        topic: record.topic,
        brokerName,
        queueId: record.queueId,
        queueOffset: record.queueOffset,
      }) + ` ${record.physicalOffset}`,
  );
}

/**
 * Java `ReceiptHandle.decode`: eight fields or more, the ninth the CommitLog offset. Compat: Apache answers a
 * handle it cannot parse with INTERNAL_SERVER_ERROR (the parse exception); we answer INVALID_RECEIPT_HANDLE.
 */
export function decodeReceiptHandle(handle: string): GrpcReceipt {
  let receipt: PopReceipt;
  try {
    receipt = parseExtraInfo(handle);
  } catch {
    throw new GrpcError(Code.INVALID_RECEIPT_HANDLE, 'receipt handle is invalid');
  }
  if (receipt.queueOffset === undefined) {
    throw new GrpcError(Code.INVALID_RECEIPT_HANDLE, 'receipt handle is invalid');
  }
  const commitLogField = handle.split(' ')[8];
  const commitLogOffset = commitLogField === undefined ? -1 : Number(commitLogField);
  if (!Number.isSafeInteger(commitLogOffset)) {
    throw new GrpcError(Code.INVALID_RECEIPT_HANDLE, 'receipt handle is invalid');
  }
  return { ...receipt, queueOffset: receipt.queueOffset, commitLogOffset };
}

/** Java `ReceiptHandle#isExpired`: its invisible time has passed (the message may be redelivered already). */
export function isExpiredReceipt(receipt: GrpcReceipt, nowMs: number): boolean {
  return receipt.popTime + receipt.invisibleTime < nowMs;
}

/** The AckService's request for a handle: the real topic (normal or pop retry) from the handle's mark. */
export function ackRequestOf(group: string, topic: string, handle: string, receipt: GrpcReceipt): AckRequest {
  let realTopic: string;
  try {
    realTopic = topicOfPopMark(receipt.topicMark, topic, group);
  } catch {
    throw new GrpcError(Code.INVALID_RECEIPT_HANDLE, 'receipt handle is invalid');
  }
  return {
    consumerGroup: group,
    topic: realTopic,
    queueId: receipt.queueId,
    extraInfo: handle,
    offset: receipt.queueOffset,
  };
}

/**
 * The handle after a change of invisible time (Java's client: the new checkpoint starts at the message); the
 * CommitLog offset is kept, so that the new handle can still forward the message to the DLQ.
 */
export function changedReceiptHandle(
  request: AckRequest,
  changed: { popTime: number; invisibleTime: number; reviveQid: number },
  brokerName: string,
  commitLogOffset: number,
): string {
  const handle = buildExtraInfo({
    ckQueueOffset: request.offset,
    popTime: changed.popTime,
    invisibleTime: changed.invisibleTime,
    reviveQid: changed.reviveQid,
    topic: request.topic,
    brokerName,
    queueId: request.queueId,
    queueOffset: request.offset,
  });
  return commitLogOffset < 0 ? handle : `${handle} ${commitLogOffset}`;
}
