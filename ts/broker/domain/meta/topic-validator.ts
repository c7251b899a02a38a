// Topic and group name rules (Java `TopicValidator` + the checks of `AbstractSendMessageProcessor
// #msgCheck` and `AdminBrokerProcessor#updateAndCreateTopic`), answered as typed results carrying
// RocketMQ's failure kind and remark. Depends on ../broker-error.ts.

import { BrokerErrorCode, type CheckResult } from '../broker-error.js';

export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';
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

export const TOPIC_MAX_LENGTH = 127;
export const RETRY_OR_DLQ_TOPIC_MAX_LENGTH = 255;
export const GROUP_MAX_LENGTH = 120;

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

export type ValidationResult = CheckResult;

const OK: ValidationResult = { ok: true };
const LEGAL_NAME = /^[%|a-zA-Z0-9_-]+$/;

function invalid(remark: string, code: BrokerErrorCode = BrokerErrorCode.INVALID_PARAMETER): ValidationResult {
  return { ok: false, code, remark };
}

/** Java `isTopicOrGroupIllegal`: true when a character is outside `[%|a-zA-Z0-9_-]`. */
export function isTopicOrGroupIllegal(name: string): boolean {
  return name.length > 0 && !LEGAL_NAME.test(name);
}

/** Java `UtilAll.isBlank`: empty or only whitespace. */
function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Java `TopicValidator.validateTopic`, answered with INVALID_PARAMETER (29) as both callers do:
 * blank, illegal characters, longer than 127 (255 for `%RETRY%`/`%DLQ%` topics).
 */
export function validateTopic(topic: string): ValidationResult {
  if (isBlank(topic)) return invalid('The specified topic is blank.');
  if (isTopicOrGroupIllegal(topic)) {
    return invalid(`The specified topic: ${topic}, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`);
  }
  if (isRetryOrDlqTopic(topic)) {
    if (topic.length > RETRY_OR_DLQ_TOPIC_MAX_LENGTH) {
      return invalid(
        `The specified topic is DLQ or Retry topic: ${topic}, and it's longer than topic max length: ${RETRY_OR_DLQ_TOPIC_MAX_LENGTH}`,
      );
    }
    return OK;
  }
  if (topic.length > TOPIC_MAX_LENGTH) {
    return invalid(`The specified topic: ${topic}, is longer than topic max length: ${TOPIC_MAX_LENGTH}`);
  }
  return OK;
}

/** Java `TopicValidator.validateGroup`: blank, illegal characters, longer than 120. */
export function validateGroup(group: string): ValidationResult {
  if (isBlank(group)) return invalid('The specified group is blank.');
  if (isTopicOrGroupIllegal(group)) {
    return invalid(`The specified group: ${group}, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`);
  }
  if (group.length > GROUP_MAX_LENGTH) {
    return invalid(`The specified group: ${group}, is longer than group max length: ${GROUP_MAX_LENGTH}`);
  }
  return OK;
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

/** The topic checks of `msgCheck` for SEND_MESSAGE: a legal name (29), then not forbidden (16). */
export function checkTopicForSend(topic: string): ValidationResult {
  const result = validateTopic(topic);
  if (!result.ok) return result;
  if (isNotAllowedSendTopic(topic)) {
    return invalid(`Sending message to topic[${topic}] is forbidden.`, BrokerErrorCode.NO_PERMISSION);
  }
  return OK;
}

/**
 * The topic checks of UPDATE_AND_CREATE_TOPIC: a legal name, and, when
 * `validateSystemTopicWhenUpdateTopic` (default true), not a system topic. Both answer 29.
 */
export function checkTopicForUpdate(
  topic: string,
  options: { validateSystemTopic: boolean; extraSystemTopics?: ReadonlySet<string> },
): ValidationResult {
  const result = validateTopic(topic);
  if (!result.ok) return result;
  if (options.validateSystemTopic && isSystemTopic(topic, options.extraSystemTopics)) {
    return invalid(`The topic[${topic}] is conflict with system topic.`);
  }
  return OK;
}
