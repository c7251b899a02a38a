// Specification of the message-arrival listeners: by topic, by predicate, on every topic, in that order.

import { describe, expect, it } from 'vitest';
import { MessageArrivals } from '../../../ts/broker/services/message-arrival.js';

describe('services: message arrivals', () => {
  it("calls a topic's listeners, then the matching predicates', then the every-topic ones", () => {
    const arrivals = new MessageArrivals();
    const calls: string[] = [];
    arrivals.onEveryArrival((topic, queueId) => calls.push(`every ${topic}:${queueId}`));
    arrivals.onArrival(
      (topic) => topic.startsWith('%RETRY%'),
      (topic) => calls.push(`retry ${topic}`),
    );
    arrivals.onArrival('SCHEDULE_TOPIC_XXXX', (_topic, queueId) => calls.push(`schedule ${queueId}`));
    arrivals.notify('SCHEDULE_TOPIC_XXXX', 2);
    arrivals.notify('%RETRY%cg', 0);
    arrivals.notify('TopicTest', 1);
    expect(calls).toEqual([
      'schedule 2',
      'every SCHEDULE_TOPIC_XXXX:2',
      'retry %RETRY%cg',
      'every %RETRY%cg:0',
      'every TopicTest:1',
    ]);
  });
});
