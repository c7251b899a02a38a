// Topic and group name rules (Java `TopicValidator` + the checks of `AbstractSendMessageProcessor
// #msgCheck` and `AdminBrokerProcessor#updateAndCreateTopic`), answered as typed results carrying
// RocketMQ's failure kind and remark. The reserved names are ts/protocol/topics.ts.
// Depends on ../broker-error.ts, ts/protocol/topics.ts.

import { isNotAllowedSendTopic, isRetryOrDlqTopic, isSystemTopic } from '../../../protocol/topics.js';
import { BrokerErrorCode, type CheckResult } from '../broker-error.js';

export const TOPIC_MAX_LENGTH = 127;
export const RETRY_OR_DLQ_TOPIC_MAX_LENGTH = 255;
export const GROUP_MAX_LENGTH = 120;

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
        `The specified topic is DLQ or Retry topic: ${topic}, ` +
          `and it's longer than topic max length: ${RETRY_OR_DLQ_TOPIC_MAX_LENGTH}`,
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
