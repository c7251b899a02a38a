// The names RocketMQ reserves for topics (Java `TopicValidator`, `MixAll`, `KeyBuilder`): the retry
// and dead-letter prefixes with the helpers that build and parse them, the system topics, and the
// topics a client may never send to. The validation rules live with the broker (topic-validator.ts).
// Depends on nothing.

/** The template topic auto-created topics copy (`TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC`). */
export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';
/** Where delay-level messages wait (`TopicValidator.RMQ_SYS_SCHEDULE_TOPIC`). */
export const RMQ_SYS_SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';
export const RMQ_SYS_BENCHMARK_TOPIC = 'BenchmarkTest';
export const RMQ_SYS_TRANS_HALF_TOPIC = 'RMQ_SYS_TRANS_HALF_TOPIC';
export const RMQ_SYS_TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
export const RMQ_SYS_TRANS_OP_HALF_TOPIC = 'RMQ_SYS_TRANS_OP_HALF_TOPIC';
export const RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC = 'TRANS_CHECK_MAX_TIME_TOPIC';
export const RMQ_SYS_SELF_TEST_TOPIC = 'SELF_TEST_TOPIC';
export const RMQ_SYS_OFFSET_MOVED_EVENT = 'OFFSET_MOVED_EVENT';
export const RMQ_SYS_ROCKSDB_OFFSET_TOPIC = 'CHECKPOINT_TOPIC';
export const SYSTEM_TOPIC_PREFIX = 'rmq_sys_';
export const SYNC_BROKER_MEMBER_GROUP_PREFIX = `${SYSTEM_TOPIC_PREFIX}SYNC_BROKER_MEMBER_`;
/** `TimerMessageStore.TIMER_TOPIC`. */
export const TIMER_TOPIC = `${SYSTEM_TOPIC_PREFIX}wheel_timer`;
/** `PopAckConstants.REVIVE_TOPIC`; the cluster name follows. */
export const REVIVE_TOPIC_PREFIX = `${SYSTEM_TOPIC_PREFIX}REVIVE_LOG_`;
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';

/** The fixed part of Java's SYSTEM_TOPIC_SET; the broker adds its cluster/broker topics at start. */
export const SYSTEM_TOPICS: ReadonlySet<string> = new Set([
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_BENCHMARK_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRACE_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
  RMQ_SYS_ROCKSDB_OFFSET_TOPIC,
]);

/** Java NOT_ALLOWED_SEND_TOPIC_SET: topics a client may never send to. */
export const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
]);

/** `MixAll.getRetryTopic`: `%RETRY%<group>`. */
export function retryTopicOf(group: string): string {
  return `${RETRY_GROUP_TOPIC_PREFIX}${group}`;
}

/** `MixAll.getDLQTopic`: `%DLQ%<group>`. */
export function dlqTopicOf(group: string): string {
  return `${DLQ_GROUP_TOPIC_PREFIX}${group}`;
}

/** `MixAll.getReplyTopic`: `<cluster>_REPLY_TOPIC`, where replies of the cluster's requests are stored. */
export function replyTopicOf(clusterName: string): string {
  return `${clusterName}_${REPLY_TOPIC_POSTFIX}`;
}

/** `KeyBuilder.parseGroup`: the group of a `%RETRY%<group>` topic. */
export function groupOfRetryTopic(topic: string): string {
  return topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

export function isRetryOrDlqTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}

/**
 * Java `isSystemTopic`: a fixed name, a `rmq_sys_` name, or one of `extraSystemTopics` (the
 * cluster, broker, reply and revive topics the TopicConfigManager registered at start).
 */
export function isSystemTopic(topic: string, extraSystemTopics: ReadonlySet<string> = new Set()): boolean {
  return SYSTEM_TOPICS.has(topic) || extraSystemTopics.has(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX);
}

export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND_TOPICS.has(topic);
}
