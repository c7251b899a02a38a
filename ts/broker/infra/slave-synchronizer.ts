// SlaveSynchronizer (Java `SlaveSynchronize`): a slave copies its master's metadata every 10 s, asked
// over Remoting: topic configs (GET_ALL_TOPIC_CONFIG), consumer offsets (GET_ALL_CONSUMER_OFFSET) and
// subscription groups (GET_ALL_SUBSCRIPTIONGROUP_CONFIG) (docs/replication.md §6). A config that
// differs from the local one replaces it; offsets are taken as the master has them. Depends on
// ts/remoting, the metadata managers and ts/common.

import type { Component } from '../../common/lifecycle.js';
import type { Logger } from '../../common/logger.js';
import { parseFastJson } from '../../common/fastjson.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import type { RemotingClient } from '../../remoting/remoting-client.js';
import { createRequest } from '../../remoting/remoting-command.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import {
  decodeSubscriptionGroupConfig,
  type SubscriptionGroupManager,
} from '../domain/meta/subscription-group-manager.js';
import { decodeTopicConfig, type TopicConfigManager } from '../domain/meta/topic-config-manager.js';

/** Java's period of `syncAll`. */
export const SLAVE_SYNC_INTERVAL_MS = 10_000;
const SYNC_TIMEOUT_MS = 3000;
/** Until the first pass succeeds (the master is named by the first registration reply), try every second. */
const FIRST_SYNC_POLL_MS = 1000;

export interface SyncedMetadata {
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export class SlaveSynchronizer implements Component {
  readonly name = 'slave-synchronize';
  private timer: TimerHandle = undefined;
  private running = false;
  private lastSyncMs: number | null = null;

  constructor(
    private readonly remoting: RemotingClient,
    /** The master's Remoting address, "" until a registration names it. */
    private readonly masterAddr: () => string,
    private readonly meta: SyncedMetadata,
    private readonly logger: Logger,
    private readonly scheduler: Scheduler,
  ) {}

  start(): void {
    this.timer = this.scheduler.setRepeating(FIRST_SYNC_POLL_MS, () => {
      const last = this.lastSyncMs;
      if (last === null || this.scheduler.now() - last >= SLAVE_SYNC_INTERVAL_MS) void this.syncAll();
    });
  }

  stop(): void {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** One pass over the three tables; a failure is logged and the next pass tries again. */
  async syncAll(): Promise<void> {
    const master = this.masterAddr();
    if (master === '' || this.running) return;
    this.running = true;
    try {
      this.applyTopics(await this.fetch(master, RequestCode.GET_ALL_TOPIC_CONFIG));
      this.applyOffsets(await this.fetch(master, RequestCode.GET_ALL_CONSUMER_OFFSET));
      this.applyGroups(await this.fetch(master, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG));
      this.lastSyncMs = this.scheduler.now();
    } catch (error) {
      this.logger.warn('metadata sync from the master failed', { master, error: String(error) });
    } finally {
      this.running = false;
    }
  }

  private async fetch(master: string, code: number): Promise<Record<string, unknown>> {
    const reply = await this.remoting.invoke(master, createRequest(code), SYNC_TIMEOUT_MS);
    if (reply.code !== ResponseCode.SUCCESS) throw new Error(`request ${code}: code ${reply.code} ${reply.remark}`);
    return asRecord(parseFastJson(reply.body?.toString('utf8') ?? '{}'));
  }

  private applyTopics(document: Record<string, unknown>): void {
    for (const [name, raw] of Object.entries(asRecord(document['topicConfigTable']))) {
      const config = decodeTopicConfig(name, raw);
      if (JSON.stringify(this.meta.topics.get(name)) !== JSON.stringify(config))
        this.meta.topics.createOrUpdate(config);
    }
  }

  private applyOffsets(document: Record<string, unknown>): void {
    for (const [key, raw] of Object.entries(asRecord(document['offsetTable']))) {
      const at = key.indexOf('@');
      if (at <= 0) continue;
      const [topic, group] = [key.slice(0, at), key.slice(at + 1)];
      for (const [queueId, offset] of Object.entries(asRecord(raw))) {
        if (!/^\d+$/.test(queueId) || typeof offset !== 'number') continue;
        if (this.meta.offsets.queryOffset(group, topic, Number(queueId)) === offset) continue;
        this.meta.offsets.commitOffset('master', group, topic, Number(queueId), offset);
      }
    }
  }

  private applyGroups(document: Record<string, unknown>): void {
    for (const [name, raw] of Object.entries(asRecord(document['subscriptionGroupTable']))) {
      const config = decodeSubscriptionGroupConfig(name, raw);
      if (JSON.stringify(this.meta.groups.get(name)) !== JSON.stringify(config)) this.meta.groups.update(config);
    }
  }
}
