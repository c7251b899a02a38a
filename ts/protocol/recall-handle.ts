// The recall handle of a timer message (RocketMQ 5.5 `RecallMessageHandle`, docs/grpc.md §8): the send reply
// of a parked timer message carries it, RECALL_MESSAGE and gRPC RecallMessage take it back. Version 1 is
// `v1 <topic> <brokerName> <deliverMs> <uniqKey>`, URL-safe Base64 with padding. Depends on nothing.

const VERSION_1 = 'v1';

/** The tag of a recall marker (the message that cancels a parked timer message). */
export const RECALL_MESSAGE_TAG = '_RECALL_TAG_';

export interface RecallHandle {
  readonly topic: string;
  readonly brokerName: string;
  /** The deliver time as written (the parked TIMER_OUT_MS + 1); a string, as Java keeps it. */
  readonly timestamp: string;
  /** The UNIQ_KEY of the parked message. */
  readonly messageId: string;
}

/** A handle that does not decode; the message is Java's ("recall handle is invalid"). */
export class RecallHandleError extends Error {
  override readonly name = 'RecallHandleError';
  constructor() {
    super('recall handle is invalid');
  }
}

export function encodeRecallHandle(handle: RecallHandle): string {
  const raw = [VERSION_1, handle.topic, handle.brokerName, handle.timestamp, handle.messageId].join(' ');
  return Buffer.from(raw, 'utf8').toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

/** Java `decodeHandle`: URL-safe Base64 (padding optional), then `v1` and at least four more fields. */
export function decodeRecallHandle(text: string): RecallHandle {
  if (text === '' || !/^[A-Za-z0-9_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new RecallHandleError();
  }
  const items = Buffer.from(text, 'base64url').toString('utf8').split(' ');
  const [version, topic, brokerName, timestamp, messageId] = items;
  if (version !== VERSION_1 || messageId === undefined) throw new RecallHandleError();
  return { topic: topic ?? '', brokerName: brokerName ?? '', timestamp: timestamp ?? '', messageId };
}

/** Java `TimerMessageStore.buildDeleteKey`: what a recall marker's TIMER_DEL_UNIQKEY names. */
export function timerDeleteKey(realTopic: string, uniqKey: string): string {
  return `${realTopic}+${uniqKey}`;
}
