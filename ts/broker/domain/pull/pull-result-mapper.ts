// What a pull answers for a store read (Java `PullMessageProcessor#composeResponseHeader` and
// `DefaultPullMessageResultHandler#handle`): the store's GetMessageStatus and offsets become the
// pull status (Java's PullStatus; the Remoting front answers it as a response code), remark (the
// store status name) and the PullMessageResponseHeader fields; plus the two side decisions of a pull
// (hold it for long polling? store the commit offset?). Pure: the pull service does the reading,
// holding and committing. Depends on ts/store (types).

import { GetMessageStatus, type GetMessagesResult } from '../../../store/message-store-api.js';
import { hasCommitOffsetFlag, hasSuspendFlag } from '../../../protocol/pull-sys-flag.js';

/** `MixAll.MASTER_ID`. */
export const MASTER_ID = 0;

export type BrokerRole = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';

/** The part of a store read the mapping looks at. */
export type PullStoreResult = Pick<GetMessagesResult, 'status' | 'nextBeginOffset' | 'minOffset' | 'maxOffset'>;

export interface PullMappingOptions {
  /** The request's `queueOffset`. */
  readonly requestOffset: number;
  /** Default ASYNC_MASTER. */
  readonly brokerRole?: BrokerRole;
  /** `MessageStoreConfig.offsetCheckInSlave` (default false): a slave corrects offsets as a master does. */
  readonly offsetCheckInSlave?: boolean;
  /** The subscription group's `brokerId` (default 0), suggested by a slave that will not correct an offset. */
  readonly groupBrokerId?: number;
  /**
   * `slaveReadEnable` (docs/replication.md §6): the broker suggests the group's `whichBrokerWhenConsumeSlowly`
   * when the consumer lags by more than `accessMessageInMemoryMaxRatio` of the memory, else its `brokerId`;
   * absent: always the master.
   */
  readonly slaveRead?: { readonly whichBrokerWhenConsumeSlowly: number; readonly consumingSlowly: boolean };
}

/**
 * Java `PullStatus`: what a pull found. The Remoting front answers SUCCESS, PULL_NOT_FOUND,
 * PULL_RETRY_IMMEDIATELY and PULL_OFFSET_MOVED for them (api/pull-handler.ts).
 */
export const PullStatus = {
  FOUND: 'FOUND',
  NO_NEW_MSG: 'NO_NEW_MSG',
  NO_MATCHED_MSG: 'NO_MATCHED_MSG',
  OFFSET_ILLEGAL: 'OFFSET_ILLEGAL',
} as const;

export type PullStatus = (typeof PullStatus)[keyof typeof PullStatus];

export interface PullOutcome {
  readonly status: PullStatus;
  /** `GetMessageStatus.name()`. */
  readonly remark: string;
  readonly nextBeginOffset: number;
  readonly minOffset: number;
  readonly maxOffset: number;
  readonly suggestWhichBrokerId: number;
}

const STATUS_NAMES: Readonly<Record<GetMessageStatus, string>> = {
  [GetMessageStatus.FOUND]: 'FOUND',
  [GetMessageStatus.NO_MATCHED_MESSAGE]: 'NO_MATCHED_MESSAGE',
  [GetMessageStatus.MESSAGE_WAS_REMOVING]: 'MESSAGE_WAS_REMOVING',
  [GetMessageStatus.OFFSET_FOUND_NULL]: 'OFFSET_FOUND_NULL',
  [GetMessageStatus.OFFSET_OVERFLOW_BADLY]: 'OFFSET_OVERFLOW_BADLY',
  [GetMessageStatus.OFFSET_OVERFLOW_ONE]: 'OFFSET_OVERFLOW_ONE',
  [GetMessageStatus.OFFSET_TOO_SMALL]: 'OFFSET_TOO_SMALL',
  [GetMessageStatus.NO_MATCHED_LOGIC_QUEUE]: 'NO_MATCHED_LOGIC_QUEUE',
  [GetMessageStatus.NO_MESSAGE_IN_QUEUE]: 'NO_MESSAGE_IN_QUEUE',
};

/** The remark of a pull response: Java's `getMessageResult.getStatus().name()`. */
export function getMessageStatusName(status: GetMessageStatus): string {
  return STATUS_NAMES[status];
}

/** `composeResponseHeader`'s store status → pull status switch. */
export function pullStatusOf(status: GetMessageStatus, requestOffset: number): PullStatus {
  switch (status) {
    case GetMessageStatus.FOUND:
      return PullStatus.FOUND;
    case GetMessageStatus.MESSAGE_WAS_REMOVING:
    case GetMessageStatus.NO_MATCHED_MESSAGE:
      return PullStatus.NO_MATCHED_MSG;
    case GetMessageStatus.NO_MATCHED_LOGIC_QUEUE:
    case GetMessageStatus.NO_MESSAGE_IN_QUEUE:
      // An empty queue with a client past 0: the queue was lost or recreated; move the client to 0.
      return requestOffset !== 0 ? PullStatus.OFFSET_ILLEGAL : PullStatus.NO_NEW_MSG;
    case GetMessageStatus.OFFSET_FOUND_NULL:
    case GetMessageStatus.OFFSET_OVERFLOW_ONE:
      return PullStatus.NO_NEW_MSG;
    case GetMessageStatus.OFFSET_OVERFLOW_BADLY:
    case GetMessageStatus.OFFSET_TOO_SMALL:
      return PullStatus.OFFSET_ILLEGAL;
  }
}

/**
 * The statuses whose nextBeginOffset the store "corrects" (`DefaultMessageStore#nextOffsetCorrection`):
 * a master (or a slave with offsetCheckInSlave) moves the client to 0/min/max; another slave keeps
 * the request offset, because the data may just not have been replicated yet.
 */
const CORRECTED_STATUSES: ReadonlySet<GetMessageStatus> = new Set<GetMessageStatus>([
  GetMessageStatus.NO_MATCHED_LOGIC_QUEUE,
  GetMessageStatus.NO_MESSAGE_IN_QUEUE,
  GetMessageStatus.OFFSET_TOO_SMALL,
  GetMessageStatus.OFFSET_OVERFLOW_ONE,
  GetMessageStatus.OFFSET_OVERFLOW_BADLY,
  GetMessageStatus.OFFSET_FOUND_NULL,
]);

/**
 * Maps a store read to the pull answer. The store computes the master's nextBeginOffset (0 for an
 * empty queue, min when too small, the request offset at max, max when past it, past the scanned
 * range otherwise); this applies the slave rules on top. `suggestWhichBrokerId` is the master unless
 * `slaveRead` is given.
 */
export function mapPullResult(result: PullStoreResult, options: PullMappingOptions): PullOutcome {
  const correcting = (options.brokerRole ?? 'ASYNC_MASTER') !== 'SLAVE' || options.offsetCheckInSlave === true;
  const nextBeginOffset =
    !correcting && CORRECTED_STATUSES.has(result.status) ? options.requestOffset : result.nextBeginOffset;
  let status = pullStatusOf(result.status, options.requestOffset);
  let suggestWhichBrokerId = MASTER_ID;
  if (options.slaveRead !== undefined) {
    const { whichBrokerWhenConsumeSlowly, consumingSlowly } = options.slaveRead;
    suggestWhichBrokerId = consumingSlowly ? whichBrokerWhenConsumeSlowly : (options.groupBrokerId ?? MASTER_ID);
  }
  if (status === PullStatus.OFFSET_ILLEGAL && !correcting) {
    // DefaultPullMessageResultHandler: "PULL_OFFSET_MOVED:none correction".
    status = PullStatus.NO_MATCHED_MSG;
    suggestWhichBrokerId = options.groupBrokerId ?? MASTER_ID;
  }
  return {
    status,
    remark: getMessageStatusName(result.status),
    nextBeginOffset,
    minOffset: result.minOffset,
    maxOffset: result.maxOffset,
    suggestWhichBrokerId,
  };
}

/** Optional PullMessageResponseHeader fields. Java 5 always sets the two sysFlags (0 by default). */
export interface PullResponseExtras {
  readonly topicSysFlag?: number;
  readonly groupSysFlag?: number;
  readonly offsetDelta?: number;
  readonly forbiddenType?: number;
}

/**
 * The PullMessageResponseHeader as extFields, every value a string. suggestWhichBrokerId,
 * nextBeginOffset, minOffset and maxOffset are @CFNotNull in Java and always present: a reply
 * without them is one the Java client cannot consume (docs/remoting-protocol.md §6 pitfall 3).
 */
export function pullResponseExtFields(outcome: PullOutcome, extras: PullResponseExtras = {}): Record<string, string> {
  const fields: Record<string, string> = {
    suggestWhichBrokerId: String(outcome.suggestWhichBrokerId),
    nextBeginOffset: String(outcome.nextBeginOffset),
    minOffset: String(outcome.minOffset),
    maxOffset: String(outcome.maxOffset),
    topicSysFlag: String(extras.topicSysFlag ?? 0),
    groupSysFlag: String(extras.groupSysFlag ?? 0),
  };
  if (extras.offsetDelta !== undefined) fields['offsetDelta'] = String(extras.offsetDelta);
  if (extras.forbiddenType !== undefined) fields['forbiddenType'] = String(extras.forbiddenType);
  return fields;
}

/**
 * Whether a pull that found no new message is held for long polling rather than answered: only with
 * the suspend bit and only on the first pass (`brokerAllowSuspend`; a re-run after a wake-up answers).
 */
export function shouldHoldPull(status: PullStatus, sysFlag: number, brokerAllowSuspend: boolean): boolean {
  return status === PullStatus.NO_NEW_MSG && brokerAllowSuspend && hasSuspendFlag(sysFlag);
}

/** `tryCommitOffset` (Java 5): the request's commitOffset is stored on the first pass when the bit is set. */
export function shouldCommitOffset(sysFlag: number, brokerAllowSuspend: boolean): boolean {
  return brokerAllowSuspend && hasCommitOffsetFlag(sysFlag);
}
