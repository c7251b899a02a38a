// ReplicationComponent: starts the store's replication with the broker (docs/replication.md). A master
// (ASYNC_MASTER, SYNC_MASTER) serves slaves on haListenPort; a SLAVE replicates from haMasterAddress or
// from the master its registration names. The transfer runs in the Rust store's threads; this only
// configures it, logs its errors and reports its status. Depends on ts/store (the HA calls).

import type { Component } from '../../common/lifecycle.js';
import type { Logger } from '../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import { FlushWaiters } from '../../store/flush-waiters.js';
import type { NativeHaOptions, NativeHaStatus } from '../../store/native-binding.js';
import { StoreError, StoreErrorCode } from '../../store/store-errors.js';
import { buildHaRuntimeInfo, type HaRuntimeInfo } from '../domain/replication/ha-runtime-info.js';
import type { BrokerConfig } from '../server/broker-config.js';

/** The store's replication calls (NativeMessageStore has them; the in-memory store does not). */
export interface ReplicatingStore {
  startHaMaster(port: number, options: NativeHaOptions, onAck?: (ackedOffset: number) => void): number;
  startHaSlave(masterAddress: string, options: NativeHaOptions): void;
  setHaMasterAddress(masterAddress: string): void;
  getHaStatus(): NativeHaStatus;
  getMaxPhysicalOffset(): number;
}

export type ReplicationStatus = NativeHaStatus;

function isReplicating(store: object): store is ReplicatingStore {
  return typeof (store as Partial<ReplicatingStore>).startHaMaster === 'function';
}

/** `haListenPort`, or RocketMQ's listenPort + 1 when unset (any free port when listenPort is 0). */
export function haListenPort(config: BrokerConfig): number {
  if (config.haListenPort > 0) return config.haListenPort;
  return config.listenPort === 0 ? 0 : config.listenPort + 1;
}

export class ReplicationComponent implements Component {
  readonly name = 'replication';
  private store: ReplicatingStore | null = null;
  private port = 0;
  private timer: TimerHandle = undefined;
  private lastError = '';
  /** A slave's master Remoting address, from the last registration reply. */
  private master = '';
  /** SYNC_MASTER's group commit: sends waiting for a slave's acknowledgement, settled per report. */
  private readonly acks: FlushWaiters;

  constructor(
    private readonly config: BrokerConfig,
    private readonly openedStore: () => object,
    private readonly logger: Logger,
    private readonly scheduler: Scheduler,
  ) {
    this.acks = new FlushWaiters(scheduler, StoreErrorCode.FLUSH_SLAVE_TIMEOUT);
  }

  get slave(): boolean {
    return this.config.brokerRole === 'SLAVE';
  }

  /** `brokerIP2:haPort` once a master listens, else "" (sent with each registration). */
  get haServerAddr(): string {
    return this.port === 0 ? '' : `${this.config.brokerIP2}:${this.port}`;
  }

  start(): void {
    const store = this.openedStore();
    if (!isReplicating(store)) return;
    this.store = store;
    const options = {
      transferBatchSizeBytes: this.config.haTransferBatchSize,
      heartbeatIntervalMs: this.config.haSendHeartbeatInterval,
      housekeepingIntervalMs: this.config.haHousekeepingInterval,
    };
    if (this.slave) {
      store.startHaSlave(this.config.haMasterAddress, options);
      this.logger.info('replicating as a slave', { master: this.config.haMasterAddress || '(from the registry)' });
    } else {
      const onAck = (ackedOffset: number): void => this.acks.onFlushed(ackedOffset, null);
      this.port = store.startHaMaster(haListenPort(this.config), options, onAck);
      this.logger.info('serving slaves', { haServerAddr: this.haServerAddr });
    }
    this.timer = this.scheduler.setRepeating(this.config.haSendHeartbeatInterval, () => this.logNewError());
  }

  stop(): void {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
    this.store = null;
    this.acks.rejectAll(new StoreError(StoreErrorCode.FLUSH_SLAVE_TIMEOUT, 'the broker is stopping'));
  }

  /**
   * SYNC_MASTER: settles once a slave has confirmed the log up to `endOffset`. Fails at once with
   * SLAVE_NOT_AVAILABLE when no slave is connected or the nearest is more than haMaxGapNotInSync
   * behind, and with FLUSH_SLAVE_TIMEOUT after slaveTimeout (docs/replication.md §4).
   */
  whenReplicated(endOffset: number): Promise<void> {
    const status = this.status();
    if (status === null) return Promise.resolve();
    if (status.connections === 0 || endOffset - status.ackedOffset > this.config.haMaxGapNotInSync) {
      const reason = status.connections === 0 ? 'no slave is connected' : 'the slave is too far behind';
      return Promise.reject(new StoreError(StoreErrorCode.SLAVE_NOT_AVAILABLE, reason));
    }
    return this.acks.wait(endOffset, this.config.slaveTimeout);
  }

  /** A slave without haMasterAddress takes its master's HA address from the registration reply. */
  onRegistered(result: { haServerAddr: string; masterAddr: string }): void {
    if (result.masterAddr !== '') this.master = result.masterAddr;
    if (this.store === null || !this.slave || this.config.haMasterAddress !== '' || result.haServerAddr === '') return;
    this.store.setHaMasterAddress(result.haServerAddr);
  }

  /** A slave's master Remoting address (for the metadata sync), "" until a registration names it. */
  get masterAddr(): string {
    return this.master;
  }

  /** The HA status (role NONE without a replicating store). */
  status(): ReplicationStatus | null {
    return this.store === null ? null : this.store.getHaStatus();
  }

  /** GET_BROKER_HA_STATUS's body; null on a broker whose store does not replicate or has not started. */
  haRuntimeInfo(): HaRuntimeInfo | null {
    const status = this.status();
    if (this.store === null || status === null || status.role === 'NONE') return null;
    return buildHaRuntimeInfo(status, this.store.getMaxPhysicalOffset(), this.config.haMaxGapNotInSync);
  }

  private logNewError(): void {
    const status = this.status();
    if (status === null || status.lastError === this.lastError) return;
    this.lastError = status.lastError;
    if (status.lastError !== '') this.logger.warn('replication', { error: status.lastError });
  }
}
