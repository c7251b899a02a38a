// Writes pop checkpoints and acks to the revive log (docs/pop.md §3) through the broker's append
// path, which stores everything appended within one event-loop turn in one store call: the
// checkpoints of all pops and the acks of all acks of a turn go together. Records each written
// checkpoint's revive-log offset in the in-flight table. Depends on the pop domain and the store types.

import type { SocketAddress } from '../../../common/socket-address.js';
import type { AppendResult, StoreMessage } from '../../../store/message-store-api.js';
import type { InflightCheckpoint } from '../../domain/pop/inflight-checkpoints.js';
import { type AckRecord, ackMessage, checkPointMessage } from '../../domain/pop/pop-checkpoint.js';

export interface CheckpointWriterDeps {
  readonly append: (messages: readonly StoreMessage[]) => Promise<AppendResult>;
  readonly reviveTopic: string;
  readonly storeHost: () => SocketAddress;
  readonly nowMs: () => number;
}

export class CheckpointWriter {
  constructor(private readonly deps: CheckpointWriterDeps) {}

  /** Writes the checkpoints (their acked bits as `bm`) in one append; each gets its revive-log offset. */
  async writeCheckpoints(entries: readonly InflightCheckpoint[]): Promise<void> {
    if (entries.length === 0) return;
    const messages = entries.map((entry) => {
      entry.stored = true;
      const ck = { ...entry.ck, bitMap: entry.ackedBits };
      return checkPointMessage(ck, this.target(entry.reviveQueueId));
    });
    try {
      const result = await this.deps.append(messages);
      entries.forEach((entry, index) => {
        entry.reviveLogOffset = result.offsets[2 * index + 1] ?? -1;
      });
    } catch (error) {
      // Not in the log: the checkpoint stays in memory only (it is still revived, but not across a restart).
      for (const entry of entries) entry.stored = false;
      throw error;
    }
  }

  /** Writes acks, one record each, in one append. */
  async writeAcks(acks: ReadonlyArray<{ readonly ack: AckRecord; readonly reviveQueueId: number }>): Promise<void> {
    if (acks.length === 0) return;
    await this.deps.append(acks.map(({ ack, reviveQueueId }) => ackMessage(ack, this.target(reviveQueueId))));
  }

  private target(reviveQueueId: number) {
    return {
      reviveTopic: this.deps.reviveTopic,
      reviveQueueId,
      storeHost: this.deps.storeHost(),
      nowMs: this.deps.nowMs(),
    };
  }
}
