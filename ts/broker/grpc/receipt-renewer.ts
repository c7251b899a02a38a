// Auto renewal of push consumers' receipt handles (Apache's proxy `DefaultReceiptHandleManager`): a ReceiveMessage
// with `auto_renew` hands each message's handle here, per client and group; every 5 s a handle whose invisible time
// ends within 10 s is given more (1m, 3m, 5m, 10m, 30m, then 1h) through AckService#changeInvisibleTime, until 3 h
// after it was received (then once the group's retry delay, and no more); the ack, change or forward of a message
// takes its latest handle; a client gone from the group's consumers has its messages made visible again after 1 s.
// Depends on the AckService, the Scheduler and receipt-handle.ts.

import type { Logger } from '../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import type { AckService } from '../services/pop/ack-service.js';
import {
  GRPC_NACK_INVISIBLE_MS,
  GRPC_RENEW_AHEAD_MS,
  GRPC_RENEW_DELAYS_MS,
  GRPC_RENEW_MAX_MS,
  GRPC_RENEW_MAX_RETRIES,
  GRPC_RENEW_PERIOD_MS,
} from './grpc-limits.js';
import { GrpcError } from './grpc-status.js';
import { ackRequestOf, changedReceiptHandle, decodeReceiptHandle } from './receipt-handle.js';

export interface ReceiptRenewerDeps {
  readonly acks: Pick<AckService, 'changeInvisibleTime'>;
  /** Whether the client is still among the group's consumers. */
  readonly isOnline: (group: string, clientId: string) => boolean;
  /** The group's retry delay after `reconsumeTimes` (its retry policy): the last change, at the 3 h end. */
  readonly retryDelayMs: (group: string, reconsumeTimes: number) => number;
  readonly scheduler: Scheduler;
  readonly brokerName: string;
  readonly logger: Logger;
}

interface HeldHandle {
  readonly topic: string;
  readonly originalHandle: string;
  handle: string;
  readonly reconsumeTimes: number;
  readonly receivedMs: number;
  renewTimes: number;
  retries: number;
}

/** A client's handles of one group, by message id. */
type HandleGroup = Map<string, HeldHandle>;

export class ReceiptRenewer {
  private readonly groups = new Map<string, { clientId: string; group: string; handles: HandleGroup }>();
  private timer: TimerHandle = undefined;

  constructor(private readonly deps: ReceiptRenewerDeps) {}

  start(): void {
    this.timer = this.deps.scheduler.setRepeating(GRPC_RENEW_PERIOD_MS, () => void this.renewPass());
  }

  stop(): void {
    if (this.timer !== undefined) this.deps.scheduler.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Keeps renewing the handle of a message written to an auto-renewing receive. */
  add(clientId: string, group: string, topic: string, messageId: string, handle: string, reconsumeTimes = 0): void {
    const key = `${clientId}\u0000${group}`;
    let entry = this.groups.get(key);
    if (entry === undefined) {
      entry = { clientId, group, handles: new Map() };
      this.groups.set(key, entry);
    }
    const receivedMs = this.deps.scheduler.now();
    const held = { topic, originalHandle: handle, handle, reconsumeTimes, receivedMs, renewTimes: 0, retries: 0 };
    entry.handles.set(messageId, held);
  }

  /** Stops renewing the message; the handle to use for it now (the renewed one, else `handle`). */
  take(clientId: string, group: string, messageId: string, handle: string): string {
    const handles = this.groups.get(`${clientId}\u0000${group}`)?.handles;
    const held = handles?.get(messageId);
    if (held === undefined || (held.originalHandle !== handle && held.handle !== handle)) return handle;
    handles?.delete(messageId);
    return held.handle;
  }

  /** How many handles are being renewed (for tests and stats). */
  get size(): number {
    let count = 0;
    for (const entry of this.groups.values()) count += entry.handles.size;
    return count;
  }

  private async renewPass(): Promise<void> {
    const nowMs = this.deps.scheduler.now();
    const work: Promise<void>[] = [];
    for (const [key, entry] of this.groups) {
      if (!this.deps.isOnline(entry.group, entry.clientId)) {
        this.groups.delete(key);
        for (const held of entry.handles.values()) work.push(this.change(entry.group, held, GRPC_NACK_INVISIBLE_MS));
        continue;
      }
      for (const [messageId, held] of entry.handles) {
        const receipt = decodeReceiptHandle(held.handle);
        if (receipt.popTime + receipt.invisibleTime - nowMs > GRPC_RENEW_AHEAD_MS) continue;
        if (nowMs - held.receivedMs >= GRPC_RENEW_MAX_MS) {
          // Java's STOP_RENEW: the message comes back after the group's retry delay, and is no longer renewed.
          entry.handles.delete(messageId);
          work.push(this.change(entry.group, held, this.deps.retryDelayMs(entry.group, held.reconsumeTimes)));
          continue;
        }
        work.push(this.renew(entry.group, entry.handles, messageId, held));
      }
    }
    await Promise.all(work);
  }

  private async renew(group: string, handles: HandleGroup, messageId: string, held: HeldHandle): Promise<void> {
    const delayMs = GRPC_RENEW_DELAYS_MS[Math.min(held.renewTimes, GRPC_RENEW_DELAYS_MS.length - 1)] ?? 0;
    try {
      held.handle = await this.changed(group, held, delayMs);
      held.renewTimes += 1;
      held.retries = 0;
    } catch (error) {
      held.retries += 1;
      if (error instanceof GrpcError || held.retries >= GRPC_RENEW_MAX_RETRIES) handles.delete(messageId);
      this.deps.logger.warn('receipt handle renewal failed', { group, messageId, error: String(error) });
    }
  }

  private async change(group: string, held: HeldHandle, delayMs: number): Promise<void> {
    await this.changed(group, held, delayMs).catch(() => undefined);
  }

  private async changed(group: string, held: HeldHandle, delayMs: number): Promise<string> {
    const receipt = decodeReceiptHandle(held.handle);
    const request = ackRequestOf(group, held.topic, held.handle, receipt);
    const result = await this.deps.acks.changeInvisibleTime(request, delayMs, 'grpc-renewal');
    return changedReceiptHandle(request, result, this.deps.brokerName, receipt.commitLogOffset);
  }
}
