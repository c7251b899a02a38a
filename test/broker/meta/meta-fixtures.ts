// Shared construction for the metadata manager tests: options as the Java defaults, a fixed clock.
import type { TopicConfigManagerOptions } from '../../../ts/broker/domain/meta/topic-config-manager.js';

export const TOPIC_OPTIONS: TopicConfigManagerOptions = {
  brokerClusterName: 'DefaultCluster',
  brokerName: 'broker-a',
  autoCreateTopicEnable: true,
  defaultTopicQueueNums: 8,
  clusterTopicEnable: true,
  brokerTopicEnable: true,
  traceTopicEnable: false,
  msgTraceTopicName: 'RMQ_SYS_TRACE_TOPIC',
  reviveQueueNum: 8,
  timerWheelEnable: true,
};

/** A clock that moves 1 ms per reading. */
export function steppingClock(startMs = 1_700_000_000_000): () => number {
  let now = startMs;
  return () => now++;
}
