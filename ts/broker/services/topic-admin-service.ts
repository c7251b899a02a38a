// TopicAdminService: topic administration, protocol-neutral (Java `AdminBrokerProcessor#updateAndCreateTopic`,
// `#deleteTopic`, `#getAllTopicConfig`). A change tells the registries at once (`onTopicsChanged`) so
// routes follow. Depends on the meta domain.

import type { TopicConfig } from '../../protocol/route-types.js';
import { throwIfFailed } from '../domain/broker-error.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import { newTopicConfig, type TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { checkTopicForUpdate } from '../domain/meta/topic-validator.js';

export class TopicAdminService {
  constructor(
    private readonly topics: TopicConfigManager,
    private readonly offsets: ConsumerOffsetManager,
    /** `validateSystemTopicWhenUpdateTopic`. */
    private readonly validateSystemTopic: boolean,
    /** Re-registers the broker with its registries (topic routes change). */
    private readonly onTopicsChanged: () => void,
  ) {}

  /** The name check of a topic update: INVALID_PARAMETER for an illegal or (when validated) system topic. */
  checkTopicName(topic: string): void {
    throwIfFailed(checkTopicForUpdate(topic, { validateSystemTopic: this.validateSystemTopic }));
  }

  /** Creates or updates a topic after checkTopicName. */
  createOrUpdateTopic(topic: string, settings: Partial<Omit<TopicConfig, 'topicName'>>): void {
    this.checkTopicName(topic);
    this.topics.createOrUpdate(newTopicConfig(topic, settings));
    this.onTopicsChanged();
  }

  /** Deletes a topic and every group's offsets on it. */
  deleteTopic(topic: string): void {
    this.topics.delete(topic);
    this.offsets.cleanOffsetByTopic(topic);
    this.onTopicsChanged();
  }

  /** The TopicConfigSerializeWrapper document (every topic and the data version). */
  allTopicConfig(): ReturnType<TopicConfigManager['encode']> {
    return this.topics.encode();
  }
}
