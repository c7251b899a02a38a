// The checks pop, peek, ack and notification share (Java's order, codes and remarks), and reading the
// queue offsets of a read's records. Depends on the meta domain, the broker error and ts/protocol.

import { readInt64, RecordOffset } from '../../../protocol/commit-log-record.js';
import { PERM_READ } from '../../../protocol/route-types.js';
import { BrokerError, BrokerErrorCode } from '../../domain/broker-error.js';
import type { SubscriptionGroupManager } from '../../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../../domain/meta/topic-config-manager.js';

const FAQ_SUFFIX = '\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.';

/**
 * Java's topic checks: pop needs the topic readable and allows queue -1 (any queue); ack and
 * change-invisible-time need a queue in [0, readQueueNums).
 */
export function checkReadableQueue(
  topics: TopicConfigManager,
  queue: { readonly topic: string; readonly queueId: number; readonly consumer: string },
  badQueueCode: BrokerErrorCode,
  rules: 'pop' | 'ack' = 'pop',
): void {
  const { topic, queueId } = queue;
  const config = topics.get(topic);
  if (config === undefined) {
    const remark = `topic[${topic}] not exist, apply first please! ${FAQ_SUFFIX}`;
    throw new BrokerError(BrokerErrorCode.TOPIC_NOT_EXIST, remark);
  }
  if (rules === 'pop' && (config.perm & PERM_READ) === 0) {
    throw new BrokerError(BrokerErrorCode.NO_PERMISSION, `the topic[${topic}] peeking message is forbidden`);
  }
  if (queueId >= config.readQueueNums || (rules === 'ack' && queueId < 0)) {
    const remark =
      `queueId[${queueId}] is illegal, topic:[${topic}] topicConfig.readQueueNums:[${config.readQueueNums}] ` +
      `consumer:[${queue.consumer}]`;
    throw new BrokerError(badQueueCode, remark);
  }
}

/** The group exists and may consume. */
export function checkGroup(groups: SubscriptionGroupManager, group: string): void {
  const config = groups.findSubscriptionGroupConfig(group);
  if (config === undefined) {
    throw new BrokerError(
      BrokerErrorCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      `subscription group [${group}] does not exist, ${FAQ_SUFFIX}`,
    );
  }
  if (!config.consumeEnable) {
    throw new BrokerError(BrokerErrorCode.NO_PERMISSION, `subscription group no permission, ${group}`);
  }
}

/** The queue offset of each record of a read (records back to back). */
export function recordQueueOffsets(buffer: Buffer): number[] {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const offsets: number[] = [];
  for (let at = 0; at < buffer.byteLength; at += view.getInt32(at + RecordOffset.TOTAL_SIZE)) {
    offsets.push(readInt64(view, at + RecordOffset.QUEUE_OFFSET));
  }
  return offsets;
}
