// The one table of Remoting codes: request codes (Java RequestCode), response codes (Java
// ResponseCode), language codes (Java LanguageCode), and our version stamp, each with a reverse
// lookup. Values checked against apache/rocketmq remoting/.../protocol/*.java. Depends on nothing.

/** Request codes by their RocketMQ names (docs/remoting-protocol.md §2). */
export const RequestCode = {
  // Produce (§2.1)
  SEND_MESSAGE: 10,
  SEND_MESSAGE_V2: 310,
  SEND_BATCH_MESSAGE: 320,
  SEND_REPLY_MESSAGE: 324,
  SEND_REPLY_MESSAGE_V2: 325,
  RECALL_MESSAGE: 370,
  PUSH_REPLY_MESSAGE_TO_CLIENT: 326,
  // Consume (§2.2)
  PULL_MESSAGE: 11,
  LITE_PULL_MESSAGE: 361,
  QUERY_MESSAGE: 12,
  QUERY_BROKER_OFFSET: 13,
  QUERY_CONSUMER_OFFSET: 14,
  UPDATE_CONSUMER_OFFSET: 15,
  SEARCH_OFFSET_BY_TIMESTAMP: 29,
  GET_MAX_OFFSET: 30,
  GET_MIN_OFFSET: 31,
  GET_EARLIEST_MSG_STORETIME: 32,
  VIEW_MESSAGE_BY_ID: 33,
  CONSUMER_SEND_MSG_BACK: 36,
  // Client management (§2.3), locks (§2.4), transactions (§2.5)
  HEART_BEAT: 34,
  UNREGISTER_CLIENT: 35,
  END_TRANSACTION: 37,
  GET_CONSUMER_LIST_BY_GROUP: 38,
  CHECK_TRANSACTION_STATE: 39,
  NOTIFY_CONSUMER_IDS_CHANGED: 40,
  LOCK_BATCH_MQ: 41,
  UNLOCK_BATCH_MQ: 42,
  GET_ALL_CONSUMER_OFFSET: 43,
  GET_ALL_DELAY_OFFSET: 45,
  GET_BROKER_HA_STATUS: 907,
  CHECK_CLIENT_CONFIG: 46,
  GET_CLIENT_CONFIG: 47,
  GET_CONSUMER_RUNNING_INFO: 307,
  CONSUME_MESSAGE_DIRECTLY: 309,
  QUERY_ASSIGNMENT: 400,
  SET_MESSAGE_REQUEST_MODE: 401,
  GET_ALL_MESSAGE_REQUEST_MODE: 402,
  // POP (§2.6): above int16, so JSON headers only (§1.4)
  POP_MESSAGE: 200050,
  ACK_MESSAGE: 200051,
  PEEK_MESSAGE: 200052,
  CHANGE_MESSAGE_INVISIBLETIME: 200053,
  NOTIFICATION: 200054,
  POLLING_INFO: 200055,
  BATCH_ACK_MESSAGE: 200151,
  // Admin → broker (§2.7)
  UPDATE_AND_CREATE_TOPIC: 17,
  UPDATE_AND_CREATE_TOPIC_LIST: 18,
  GET_ALL_TOPIC_CONFIG: 21,
  GET_TOPIC_NAME_LIST: 23,
  UPDATE_BROKER_CONFIG: 25,
  GET_BROKER_CONFIG: 26,
  GET_BROKER_RUNTIME_INFO: 28,
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: 200,
  GET_ALL_SUBSCRIPTIONGROUP_CONFIG: 201,
  GET_TOPIC_STATS_INFO: 202,
  GET_CONSUMER_CONNECTION_LIST: 203,
  GET_PRODUCER_CONNECTION_LIST: 204,
  WIPE_WRITE_PERM_OF_BROKER: 205,
  DELETE_SUBSCRIPTIONGROUP: 207,
  GET_CONSUME_STATS: 208,
  DELETE_TOPIC_IN_BROKER: 215,
  RESET_CONSUMER_CLIENT_OFFSET: 220,
  INVOKE_BROKER_TO_RESET_OFFSET: 222,
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST: 225,
  QUERY_TOPIC_CONSUME_BY_WHO: 300,
  GET_BROKER_CONSUME_STATS: 317,
  QUERY_DATA_VERSION: 322,
  ADD_WRITE_PERM_OF_BROKER: 327,
  GET_TOPIC_CONFIG: 351,
  GET_SUBSCRIPTIONGROUP_CONFIG: 352,
  QUERY_TOPICS_BY_CONSUMER: 343,
  // Name server (§2.7)
  PUT_KV_CONFIG: 100,
  GET_KV_CONFIG: 101,
  DELETE_KV_CONFIG: 102,
  REGISTER_BROKER: 103,
  UNREGISTER_BROKER: 104,
  GET_ROUTEINFO_BY_TOPIC: 105,
  GET_BROKER_CLUSTER_INFO: 106,
  GET_ALL_TOPIC_LIST_FROM_NAMESERVER: 206,
  DELETE_TOPIC_IN_NAMESRV: 216,
  REGISTER_TOPIC_IN_NAMESRV: 217,
  GET_KVLIST_BY_NAMESPACE: 219,
  GET_TOPICS_BY_CLUSTER: 224,
  GET_SYSTEM_TOPIC_LIST_FROM_NS: 304,
  UPDATE_NAMESRV_CONFIG: 318,
  GET_NAMESRV_CONFIG: 319,
  GET_BROKER_MEMBER_GROUP: 901,
  BROKER_HEARTBEAT: 904,
} as const;

export type RequestCodeName = keyof typeof RequestCode;

/** Response codes by their RocketMQ names (docs/remoting-protocol.md §1.6; "UNKNOW" is Java's spelling). */
export const ResponseCode = {
  SUCCESS: 0,
  SYSTEM_ERROR: 1,
  SYSTEM_BUSY: 2,
  REQUEST_CODE_NOT_SUPPORTED: 3,
  TRANSACTION_FAILED: 4,
  FLUSH_DISK_TIMEOUT: 10,
  SLAVE_NOT_AVAILABLE: 11,
  FLUSH_SLAVE_TIMEOUT: 12,
  MESSAGE_ILLEGAL: 13,
  SERVICE_NOT_AVAILABLE: 14,
  VERSION_NOT_SUPPORTED: 15,
  NO_PERMISSION: 16,
  TOPIC_NOT_EXIST: 17,
  TOPIC_EXIST_ALREADY: 18,
  PULL_NOT_FOUND: 19,
  PULL_RETRY_IMMEDIATELY: 20,
  PULL_OFFSET_MOVED: 21,
  QUERY_NOT_FOUND: 22,
  SUBSCRIPTION_PARSE_FAILED: 23,
  SUBSCRIPTION_NOT_EXIST: 24,
  SUBSCRIPTION_NOT_LATEST: 25,
  SUBSCRIPTION_GROUP_NOT_EXIST: 26,
  FILTER_DATA_NOT_EXIST: 27,
  FILTER_DATA_NOT_LATEST: 28,
  INVALID_PARAMETER: 29,
  TRANSACTION_SHOULD_COMMIT: 200,
  TRANSACTION_SHOULD_ROLLBACK: 201,
  TRANSACTION_STATE_UNKNOW: 202,
  TRANSACTION_STATE_GROUP_WRONG: 203,
  NO_BUYER_ID: 204,
  NOT_IN_CURRENT_UNIT: 205,
  CONSUMER_NOT_ONLINE: 206,
  CONSUME_MSG_TIMEOUT: 207,
  NO_MESSAGE: 208,
  POLLING_FULL: 209,
  POLLING_TIMEOUT: 210,
  BROKER_NOT_EXIST: 211,
  FLOW_CONTROL: 215,
  NOT_LEADER_FOR_QUEUE: 501,
  ILLEGAL_OPERATION: 604,
  GO_AWAY: 1500,
} as const;

export type ResponseCodeName = keyof typeof ResponseCode;

/** The `language` field: its name on JSON headers, its code (u8) on binary headers (§1.2). */
export const LanguageCode = {
  JAVA: 0,
  CPP: 1,
  DOTNET: 2,
  PYTHON: 3,
  DELPHI: 4,
  ERLANG: 5,
  RUBY: 6,
  OTHER: 7,
  HTTP: 8,
  GO: 9,
  PHP: 10,
  OMS: 11,
  RUST: 12,
  NODE_JS: 13,
} as const;

export type LanguageName = keyof typeof LanguageCode;

/** MQVersion.Version.V5_3_3.ordinal(): stamped on every response we send (§1.5). */
export const CURRENT_VERSION = 479;

function reverse<K extends string>(table: Record<K, number>): ReadonlyMap<number, K> {
  const byCode = new Map<number, K>();
  for (const [name, code] of Object.entries(table) as Array<[K, number]>) {
    if (byCode.has(code)) throw new Error(`duplicate code ${code}: ${byCode.get(code)} and ${name}`);
    byCode.set(code, name);
  }
  return byCode;
}

const requestNames = reverse<RequestCodeName>(RequestCode);
const responseNames = reverse<ResponseCodeName>(ResponseCode);
const languageNames = reverse<LanguageName>(LanguageCode);

/** The RocketMQ name of a request code, or undefined for a code we do not know. */
export function requestCodeName(code: number): RequestCodeName | undefined {
  return requestNames.get(code);
}

/** The RocketMQ name of a response code, or undefined for a code we do not know. */
export function responseCodeName(code: number): ResponseCodeName | undefined {
  return responseNames.get(code);
}

/**
 * The language of a binary header's code; an unknown code is OTHER, never an error
 * (docs/remoting-protocol.md §6 pitfall 4).
 */
export function languageFromCode(code: number): LanguageName {
  return languageNames.get(code) ?? 'OTHER';
}

/** The language named on a JSON header; unknown names (and non-strings) are OTHER. */
export function languageFromName(name: unknown): LanguageName {
  if (typeof name === 'number') return languageFromCode(name);
  if (typeof name !== 'string' || !Object.hasOwn(LanguageCode, name)) return 'OTHER';
  return name as LanguageName;
}
