// Server-side rebalance bodies (Java `SetMessageRequestModeRequestBody`, `MessageRequestModeSerializeWrapper`,
// `QueryAssignmentRequestBody`/`ResponseBody`, `MessageQueueAssignment`): the JSON bodies of
// SET_MESSAGE_REQUEST_MODE (401), GET_ALL_MESSAGE_REQUEST_MODE (402) and QUERY_ASSIGNMENT (400), shared by
// the broker (decode requests, encode replies) and the client; string-keyed maps: plain JSON. Depends on nothing.

/** Java `MessageRequestMode`: how a group consumes a topic; POP lets consumers share queues. */
export type MessageRequestMode = 'PULL' | 'POP';
export const MESSAGE_REQUEST_MODES: readonly MessageRequestMode[] = ['PULL', 'POP'];

/** Java `MessageModel`, as the QUERY_ASSIGNMENT body names it. */
export type MessageModel = 'CLUSTERING' | 'BROADCASTING';

/** Java `SetMessageRequestModeRequestBody` (also one entry of messageRequestMode.json). */
export interface MessageRequestModeBody {
  readonly topic: string;
  readonly consumerGroup: string;
  readonly mode: MessageRequestMode;
  /** POP: each consumer also pops the queues of the N consumers after it in the sorted client list. */
  readonly popShareQueueNum: number;
}

/** topic → group → mode (Java `MessageRequestModeSerializeWrapper#messageRequestModeMap`). */
export type MessageRequestModeMap = Record<string, Record<string, MessageRequestModeBody>>;

/** Java `QueryAssignmentRequestBody`. */
export interface QueryAssignmentRequest {
  readonly topic: string;
  readonly consumerGroup: string;
  readonly clientId: string;
  /** The allocate strategy's name (`AVG`, `AVG_BY_CIRCLE`, …). */
  readonly strategyName: string;
  readonly messageModel: MessageModel;
}

export interface AssignedQueue {
  readonly topic: string;
  readonly brokerName: string;
  /** -1 in POP mode when the consumer pops every queue of the broker. */
  readonly queueId: number;
}

/** Java `MessageQueueAssignment`. */
export interface MessageQueueAssignment {
  readonly messageQueue: AssignedQueue;
  readonly mode: MessageRequestMode;
}

function parseObject(body: Buffer | null, what: string): Record<string, unknown> {
  if (body === null || body.length === 0) throw new Error(`${what}: empty body`);
  const value: unknown = JSON.parse(body.toString('utf8'));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what}: not an object`);
  return value as Record<string, unknown>;
}

function requiredString(record: Record<string, unknown>, key: string, what: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new Error(`${what}: ${key} missing`);
  return value;
}

function modeOf(value: unknown, what: string): MessageRequestMode {
  if (value === undefined || value === null) return 'PULL';
  if (value === 'PULL' || value === 'POP') return value;
  throw new Error(`${what}: no enum constant MessageRequestMode.${JSON.stringify(value)}`);
}

/** A mode entry as fastjson reads it: `mode` defaults to PULL, `popShareQueueNum` to 0. */
export function decodeMessageRequestModeEntry(raw: Record<string, unknown>, what: string): MessageRequestModeBody {
  const share = raw.popShareQueueNum;
  return {
    topic: requiredString(raw, 'topic', what),
    consumerGroup: requiredString(raw, 'consumerGroup', what),
    mode: modeOf(raw.mode, what),
    popShareQueueNum: typeof share === 'number' && Number.isInteger(share) ? share : 0,
  };
}

/** The SET_MESSAGE_REQUEST_MODE body. Throws on a missing or malformed body. */
export function decodeSetMessageRequestModeBody(body: Buffer | null): MessageRequestModeBody {
  return decodeMessageRequestModeEntry(
    parseObject(body, 'SetMessageRequestModeRequestBody'),
    'SetMessageRequestModeRequestBody',
  );
}

/** Fields in fastjson's (sorted) order. */
export function encodeMessageRequestModeBody(body: MessageRequestModeBody): Buffer {
  return Buffer.from(JSON.stringify(sortedModeEntry(body)));
}

export function sortedModeEntry(body: MessageRequestModeBody): MessageRequestModeBody {
  const { consumerGroup, mode, popShareQueueNum, topic } = body;
  return { consumerGroup, mode, popShareQueueNum, topic };
}

/** `{"messageRequestModeMap":{topic:{group:entry}}}`: the 402 reply and messageRequestMode.json. */
export function encodeMessageRequestModeMap(map: MessageRequestModeMap): {
  messageRequestModeMap: MessageRequestModeMap;
} {
  const out: MessageRequestModeMap = {};
  for (const [topic, groups] of Object.entries(map)) {
    out[topic] = {};
    for (const [group, entry] of Object.entries(groups)) out[topic][group] = sortedModeEntry(entry);
  }
  return { messageRequestModeMap: out };
}

/** The map of a 402 reply or messageRequestMode.json; malformed entries are skipped. */
export function decodeMessageRequestModeMap(raw: unknown): MessageRequestModeMap {
  const map = (raw as { messageRequestModeMap?: unknown } | null)?.messageRequestModeMap;
  const out: MessageRequestModeMap = {};
  if (map === null || typeof map !== 'object') return out;
  for (const [topic, groups] of Object.entries(map as Record<string, unknown>)) {
    if (groups === null || typeof groups !== 'object') continue;
    for (const [group, entry] of Object.entries(groups as Record<string, unknown>)) {
      if (entry === null || typeof entry !== 'object') continue;
      try {
        (out[topic] ??= {})[group] = decodeMessageRequestModeEntry(entry as Record<string, unknown>, 'mode entry');
      } catch {
        // A broken entry is dropped as fastjson would fail it; the others still load.
        continue;
      }
    }
  }
  return out;
}

/** The QUERY_ASSIGNMENT body. Throws on a missing or malformed body (the server answers SYSTEM_ERROR). */
export function decodeQueryAssignmentBody(body: Buffer | null): QueryAssignmentRequest {
  const what = 'QueryAssignmentRequestBody';
  const raw = parseObject(body, what);
  const model = raw.messageModel;
  if (model !== 'CLUSTERING' && model !== 'BROADCASTING') throw new Error(`${what}: messageModel ${String(model)}`);
  return {
    topic: requiredString(raw, 'topic', what),
    consumerGroup: requiredString(raw, 'consumerGroup', what),
    clientId: requiredString(raw, 'clientId', what),
    strategyName: typeof raw.strategyName === 'string' ? raw.strategyName : '',
    messageModel: model,
  };
}

export function encodeQueryAssignmentBody(request: QueryAssignmentRequest): Buffer {
  const { clientId, consumerGroup, messageModel, strategyName, topic } = request;
  return Buffer.from(JSON.stringify({ clientId, consumerGroup, messageModel, strategyName, topic }));
}

/** `{"messageQueueAssignments":[…]}`; null (no valid result: the client keeps what it has) is `{}`. */
export function encodeQueryAssignmentResponse(assignments: readonly MessageQueueAssignment[] | null): Buffer {
  if (assignments === null) return Buffer.from('{}');
  const messageQueueAssignments = assignments.map(({ messageQueue: q, mode }) => ({
    messageQueue: { brokerName: q.brokerName, queueId: q.queueId, topic: q.topic },
    mode,
  }));
  return Buffer.from(JSON.stringify({ messageQueueAssignments }));
}

/** The assignments of a QUERY_ASSIGNMENT reply; null when the broker had no valid result. */
export function decodeQueryAssignmentResponse(body: Buffer | null): MessageQueueAssignment[] | null {
  const list = parseObject(body, 'QueryAssignmentResponseBody').messageQueueAssignments;
  if (!Array.isArray(list)) return null;
  return list.map((raw: { messageQueue?: Record<string, unknown>; mode?: unknown }) => {
    const queue = raw.messageQueue ?? {};
    return {
      messageQueue: {
        topic: requiredString(queue, 'topic', 'MessageQueue'),
        brokerName: requiredString(queue, 'brokerName', 'MessageQueue'),
        queueId: typeof queue.queueId === 'number' ? queue.queueId : -1,
      },
      mode: modeOf(raw.mode, 'MessageQueueAssignment'),
    };
  });
}
