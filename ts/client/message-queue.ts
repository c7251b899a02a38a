// MessageQueue (Java `MessageQueue`): one queue of a topic on one broker group, the unit producers
// send to and consumers own; its map key, its order (topic, broker name, queue id, as Java's
// compareTo), and its wire form in lock and stats bodies. Depends on nothing.

export interface MessageQueue {
  readonly topic: string;
  readonly brokerName: string;
  readonly queueId: number;
}

/** A string key that identifies the queue in maps. */
export function messageQueueKey(mq: MessageQueue): string {
  return `${mq.topic}\u0000${mq.brokerName}\u0000${mq.queueId}`;
}

/** Java `MessageQueue.compareTo`: by topic, then broker name, then queue id. */
export function compareMessageQueues(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

/** A plain copy with only the three fields (what lock bodies and comparisons need). */
export function messageQueue(topic: string, brokerName: string, queueId: number): MessageQueue {
  return { topic, brokerName, queueId };
}

/** "topic@brokerName:queueId", for logs. */
export function formatMessageQueue(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}:${mq.queueId}`;
}
