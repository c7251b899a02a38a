// The SEND reply (Java `SendMessageResponseHeader` and `SendMessageProcessor#handlePutMessageResult`):
// the response extFields built from an append (offset msgId(s), queueId, queueOffset, transactionId),
// the MSG_REGION/TRACE_ON fields every send reply carries, and the one table from store error codes
// to the broker's failure kinds and Java's remarks (docs/store-format.md §4.4). Depends on ../broker-error.ts,
// store/store-errors.ts, store/message-store-api.ts (types), protocol/offset-message-id.ts.

import type { SocketAddress } from '../../../common/socket-address.js';
import type { AppendResult } from '../../../store/message-store-api.js';
import { StoreErrorCode } from '../../../store/store-errors.js';
import { BrokerErrorCode } from '../broker-error.js';
import { createOffsetMessageId } from '../../../protocol/offset-message-id.js';

/** Java `MessageConst.PROPERTY_MSG_REGION` and `PROPERTY_TRACE_SWITCH`: added to every send reply. */
export const MSG_REGION_FIELD = 'MSG_REGION';
export const TRACE_ON_FIELD = 'TRACE_ON';
/** `BrokerConfig.regionId` default. */
export const DEFAULT_REGION_ID = 'DefaultRegion';

export interface SendResponseOptions {
  /** `BrokerConfig.regionId`; default "DefaultRegion". */
  readonly regionId?: string;
  /** `BrokerConfig.traceOn`; default true. */
  readonly traceOn?: boolean;
}

/** The fields Java's `preSend` puts on every send reply, success or not. */
export function sendResponseBaseFields(options: SendResponseOptions = {}): Record<string, string> {
  return {
    [MSG_REGION_FIELD]: options.regionId ?? DEFAULT_REGION_ID,
    [TRACE_ON_FIELD]: String(options.traceOn ?? true),
  };
}

/** A stored send, as the reply reports it. */
export interface StoredSend {
  /** The broker's advertised address, as written into the records. */
  readonly storeHost: SocketAddress;
  readonly queueId: number;
  /** Physical offset of each record, in order: one for a single send, one per member for a batch. */
  readonly physicalOffsets: readonly number[];
  /** Queue offset of the first record. */
  readonly queueOffset: number;
  /** The UNIQ_KEY (single send) or the batch-level UNIQ_KEY, when there is one. */
  readonly transactionId?: string;
  /** Inner batches only (not built by this broker yet). */
  readonly batchUniqId?: string;
}

/**
 * The reply extFields of a stored send (also for FLUSH_DISK_TIMEOUT & co., where the message is
 * stored): the base fields, msgId (comma-joined for a batch), queueId, queueOffset, then the optional
 * transactionId and batchUniqId. Every value is a string (docs/remoting-protocol.md §1.4).
 */
export function sendResponseFields(send: StoredSend, options: SendResponseOptions = {}): Record<string, string> {
  if (send.physicalOffsets.length === 0) throw new RangeError('a stored send has at least one physical offset');
  const fields = sendResponseBaseFields(options);
  fields['msgId'] = send.physicalOffsets.map((offset) => createOffsetMessageId(send.storeHost, offset)).join(',');
  fields['queueId'] = String(send.queueId);
  fields['queueOffset'] = String(send.queueOffset);
  if (send.transactionId !== undefined) fields['transactionId'] = send.transactionId;
  if (send.batchUniqId !== undefined) fields['batchUniqId'] = send.batchUniqId;
  return fields;
}

/**
 * The StoredSend of an append result. Reads the result's offsets at once (the store reuses that
 * buffer on its next append).
 */
export function storedSendFromAppend(
  result: AppendResult,
  storeHost: SocketAddress,
  queueId: number,
  transactionId?: string,
): StoredSend {
  if (result.messageCount < 1) throw new RangeError('an append result holds at least one message');
  const physicalOffsets: number[] = [];
  for (let i = 0; i < result.messageCount; i++) physicalOffsets.push(result.offsets[2 * i] ?? Number.NaN);
  return {
    storeHost,
    queueId,
    physicalOffsets,
    queueOffset: result.offsets[1] ?? Number.NaN,
    ...(transactionId !== undefined && { transactionId }),
  };
}

/** Java's remark for the store's MESSAGE_ILLEGAL and PROPERTIES_SIZE_EXCEEDED. */
export function messageIllegalRemark(maxMessageSizeBytes: number): string {
  return (
    'the message is illegal, maybe msg body or properties length not matched. ' +
    `msg body length limit ${maxMessageSizeBytes}B, msg properties length limit 32KB.`
  );
}

/** Disk used ratios in percent (Java `UtilAll.getDiskPartitionSpaceUsedPercent`; -1 when unknown). */
export interface DiskUsage {
  readonly commitLogPercent: number;
  readonly consumeQueuePercent: number;
  readonly indexPercent: number;
}

/** Java `%5.2f`. */
function percent(value: number): string {
  return value.toFixed(2).padStart(5, ' ');
}

/** Java `diskUtil()`: `CL: %5.2f CQ: %5.2f INDEX: %5.2f`. */
export function diskUtilText(usage: DiskUsage): string {
  return (
    `CL: ${percent(usage.commitLogPercent)} CQ: ${percent(usage.consumeQueuePercent)} ` +
    `INDEX: ${percent(usage.indexPercent)}`
  );
}

const UNKNOWN_DISK_USAGE: DiskUsage = { commitLogPercent: -1, consumeQueuePercent: -1, indexPercent: -1 };

/** Java's remark for SERVICE_NOT_AVAILABLE. */
export function serviceNotAvailableRemark(usage: DiskUsage = UNKNOWN_DISK_USAGE): string {
  return (
    'service not available now. It may be caused by one of the following reasons: ' +
    `the broker's disk is full [${diskUtilText(usage)}], ` +
    'messages are put to the slave, message store has been shut down, etc.'
  );
}

/** How a failed (or stored-but-unconfirmed) append is answered. */
export interface SendErrorResponse {
  /** The failure kind; the Remoting front answers its response code (api/broker-error-responses.ts). */
  readonly code: BrokerErrorCode;
  /** null where Java leaves the remark unset. */
  readonly remark: string | null;
  /** true: the message is in the CommitLog, so the reply carries the full send header (sendResponseFields). */
  readonly stored: boolean;
}

export interface SendErrorContext {
  readonly maxMessageSizeBytes: number;
  readonly diskUsage?: DiskUsage;
}

/**
 * The one mapping from a store error code to the send reply (docs/store-format.md §4.4, Java
 * `handlePutMessageResult`). Our codes that Java has no status for are marked Compat.
 */
export function storeErrorToSendResponse(code: StoreErrorCode, context: SendErrorContext): SendErrorResponse {
  switch (code) {
    case StoreErrorCode.FLUSH_DISK_TIMEOUT:
      return { code: BrokerErrorCode.FLUSH_DISK_TIMEOUT, remark: null, stored: true };
    case StoreErrorCode.FLUSH_SLAVE_TIMEOUT:
      return { code: BrokerErrorCode.FLUSH_SLAVE_TIMEOUT, remark: null, stored: true };
    case StoreErrorCode.SLAVE_NOT_AVAILABLE:
      return { code: BrokerErrorCode.SLAVE_NOT_AVAILABLE, remark: null, stored: true };
    case StoreErrorCode.MESSAGE_ILLEGAL:
    case StoreErrorCode.PROPERTIES_SIZE_EXCEEDED:
      return {
        code: BrokerErrorCode.MESSAGE_ILLEGAL,
        remark: messageIllegalRemark(context.maxMessageSizeBytes),
        stored: false,
      };
    // Compat: Java has no store queue-id limit; a queueId past maxQueuesPerTopic is the request's fault.
    case StoreErrorCode.QUEUE_ID_ILLEGAL:
      return {
        code: BrokerErrorCode.MESSAGE_ILLEGAL,
        remark: messageIllegalRemark(context.maxMessageSizeBytes),
        stored: false,
      };
    case StoreErrorCode.DISK_FULL:
    case StoreErrorCode.STORE_CLOSED:
    case StoreErrorCode.REPLICA_READ_ONLY:
      return {
        code: BrokerErrorCode.SERVICE_NOT_AVAILABLE,
        remark: serviceNotAvailableRemark(context.diskUsage),
        stored: false,
      };
    case StoreErrorCode.CREATE_MAPPED_FILE_FAILED:
      return {
        code: BrokerErrorCode.SYSTEM_ERROR,
        remark: 'create mapped file failed, server is busy or broken.',
        stored: false,
      };
    // Compat: an OS error is Java's UNKNOWN_ERROR (an append that failed unexpectedly).
    case StoreErrorCode.IO:
      return { code: BrokerErrorCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR', stored: false };
    // Not append outcomes: reaching here is a broker bug, answered as Java's default branch.
    case StoreErrorCode.OFFSET_ILLEGAL:
    case StoreErrorCode.CORRUPT:
    case StoreErrorCode.INVALID_ARG:
      return { code: BrokerErrorCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR DEFAULT', stored: false };
  }
}
