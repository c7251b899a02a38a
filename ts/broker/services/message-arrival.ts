// MessageArrivals: who wants to know that messages became readable on a queue. A feature registers a
// listener for one topic (the schedule service on SCHEDULE_TOPIC_XXXX, the timer service on its timer
// topic), for the topics a predicate accepts, or for every topic (the held pulls), instead of growing
// a chain of topic checks. `notify` is on the send path: one Map lookup, no allocation.
// Depends on nothing.

/** Messages were stored on (topic, queueId). */
export type ArrivalListener = (topic: string, queueId: number) => void;

interface PredicateListener {
  readonly matches: (topic: string) => boolean;
  readonly listener: ArrivalListener;
}

export class MessageArrivals {
  private readonly byTopic = new Map<string, ArrivalListener[]>();
  private readonly byPredicate: PredicateListener[] = [];
  private readonly everyTopic: ArrivalListener[] = [];

  /** Calls `listener` for arrivals on `topic`, or on every topic `topic` accepts when it is a predicate. */
  onArrival(topic: string | ((topic: string) => boolean), listener: ArrivalListener): void {
    if (typeof topic === 'function') {
      this.byPredicate.push({ matches: topic, listener });
      return;
    }
    const listeners = this.byTopic.get(topic);
    if (listeners === undefined) this.byTopic.set(topic, [listener]);
    else listeners.push(listener);
  }

  /** Calls `listener` for arrivals on any topic, after the topic's own listeners. */
  onEveryArrival(listener: ArrivalListener): void {
    this.everyTopic.push(listener);
  }

  /** Tells the listeners of `topic` (then the every-topic ones) that messages arrived on (topic, queueId). */
  notify(topic: string, queueId: number): void {
    const listeners = this.byTopic.get(topic);
    if (listeners !== undefined) for (const listener of listeners) listener(topic, queueId);
    for (const entry of this.byPredicate) if (entry.matches(topic)) entry.listener(topic, queueId);
    for (const listener of this.everyTopic) listener(topic, queueId);
  }
}
