// Messages parked in a system topic (SCHEDULE_TOPIC_XXXX for delay levels, rmq_sys_wheel_timer for
// timers) and brought back when due: the record as its real message (REAL_TOPIC / REAL_QID as topic
// and queue, the given properties dropped, born and store hosts kept), and the delivery of a batch
// of them in one append with one wake-up per queue. Pure domain. Depends on the property codec,
// store types and topic-validator.

import { encodeMessageProperties, MessageProperty } from '../../../protocol/message-properties.js';
import type { AppendResult, StoreMessage } from '../../../store/message-store-api.js';
import type { StoredMessage } from '../../../protocol/record-decoder.js';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../../../protocol/topics.js';

/**
 * The parked record as the message to re-store (Java `messageTimeUp`, `convertMessage`); null when
 * it names no usable real topic and queue (or the transaction half topic, which Java refuses).
 */
export function unparkMessage(record: StoredMessage, dropProperties: readonly string[]): StoreMessage | null {
  const properties = new Map(record.properties);
  const topic = properties.get(MessageProperty.REAL_TOPIC);
  const queueId = Number.parseInt(properties.get(MessageProperty.REAL_QID) ?? '', 10);
  if (topic === undefined || topic === '' || topic === RMQ_SYS_TRANS_HALF_TOPIC || !(queueId >= 0)) return null;
  for (const name of dropProperties) properties.delete(name);
  return {
    topic,
    queueId,
    body: Buffer.from(record.body),
    flag: record.flag,
    properties: encodeMessageProperties(properties),
    sysFlag: record.sysFlag,
    bornTimestamp: record.bornTimestamp,
    bornHost: record.bornHost,
    storeHost: record.storeHost,
    reconsumeTimes: record.reconsumeTimes,
  };
}

/** Appends due messages in one call, then tells each (topic, queueId) that received some once. */
export async function deliverParked(
  messages: readonly StoreMessage[],
  deliver: (messages: readonly StoreMessage[]) => Promise<AppendResult>,
  onDelivered: (topic: string, queueId: number) => void,
): Promise<void> {
  if (messages.length === 0) return;
  await deliver(messages);
  const queues = new Map<string, StoreMessage>();
  for (const message of messages) queues.set(`${message.topic}@${message.queueId}`, message);
  for (const message of queues.values()) onDelivered(message.topic, message.queueId);
}
