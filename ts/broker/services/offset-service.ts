// OffsetService: consumer offsets and queue offsets, protocol-neutral (Java `ConsumerManageProcessor`
// and the offset requests of `AdminBrokerProcessor`): committed offsets, min/max offsets, the offset
// at a time and the earliest store time of a queue. Depends on the meta domain and the store interface.

import type { MessageStore } from '../../store/message-store-api.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';

export class OffsetService {
  constructor(
    private readonly offsets: ConsumerOffsetManager,
    private readonly store: () => MessageStore,
  ) {}

  /**
   * Java `queryConsumerOffset`: the committed offset; without one, 0 when the queue still starts
   * at 0 (so a new group reads a young topic from its start — our reading of Java's in-memory
   * check) unless `setZeroIfNotFound` is false; otherwise QUERY_NOT_FOUND.
   */
  queryConsumerOffset(group: string, topic: string, queueId: number, setZeroIfNotFound: boolean | undefined): number {
    const offset = this.offsets.queryOffset(group, topic, queueId);
    if (offset >= 0) return offset;
    if (setZeroIfNotFound === false) {
      const remark = 'Not found, do not set to zero, maybe this group boot first';
      throw new BrokerError(BrokerErrorCode.QUERY_NOT_FOUND, remark);
    }
    if (this.store().getMinOffsetInQueue(topic, queueId) <= 0) return 0;
    const remark = 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first';
    throw new BrokerError(BrokerErrorCode.QUERY_NOT_FOUND, remark);
  }

  /** Stores the offset a consumer (at `clientAddress`) has consumed up to. */
  commitOffset(clientAddress: string, group: string, topic: string, queueId: number, offset: number): void {
    this.offsets.commitOffset(clientAddress, group, topic, queueId, offset);
  }

  maxOffset(topic: string, queueId: number): number {
    return this.store().getMaxOffsetInQueue(topic, queueId);
  }

  minOffset(topic: string, queueId: number): number {
    return this.store().getMinOffsetInQueue(topic, queueId);
  }

  searchOffsetByTimestamp(topic: string, queueId: number, timestampMs: number): number {
    return this.store().getOffsetInQueueByTime(topic, queueId, timestampMs);
  }

  earliestMessageStoreTime(topic: string, queueId: number): number {
    return this.store().getEarliestMessageStoreTime(topic, queueId);
  }
}
