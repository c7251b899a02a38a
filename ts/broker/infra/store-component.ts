// The broker's store as a lifecycle component: opens (and recovers) the store with the broker.conf
// settings at start through the broker's store factory (the Rust store by default: openNativeStore),
// closes it (flushing everything) at stop. Depends on ts/store.

import type { Logger } from '../../common/logger.js';
import type { Component } from '../../common/lifecycle.js';
import type { MessageStore } from '../../store/message-store-api.js';
import { NativeMessageStore } from '../../store/native-message-store.js';
import type { BrokerConfig } from '../server/broker-config.js';

/** The store the broker runs on: the MessageStore interface plus the flushed offset its admin reports. */
export type BrokerStore = MessageStore & { getFlushedPhysicalOffset(): number };

/** Opens the broker's store for a config (called at start). */
export type OpenStore = (config: BrokerConfig) => BrokerStore;

const FLUSH_ERROR_LOG_EVERY = 100;

/** A store that reports its failed flush passes (the native one: NativeMessageStore#onFlushError). */
interface FlushErrorSource {
  onFlushError(listener: (error: string) => void): void;
}

function reportsFlushErrors(store: object): store is FlushErrorSource {
  return typeof (store as Partial<FlushErrorSource>).onFlushError === 'function';
}

export class StoreComponent implements Component {
  readonly name = 'message-store';
  private opened: BrokerStore | null = null;

  private flushErrors = 0;

  constructor(
    private readonly config: BrokerConfig,
    private readonly open: OpenStore,
    private readonly logger: Logger | null = null,
  ) {}

  /** The open store; only between start and stop. */
  get store(): BrokerStore {
    if (this.opened === null) throw new Error('the message store is not started');
    return this.opened;
  }

  /** Opens the store (recovering it); a failure is logged with its cause before it stops the start. */
  start(): void {
    try {
      this.opened = this.open(this.config);
    } catch (error) {
      this.logger?.error('store could not be opened or recovered', { error: String(error) });
      throw error;
    }
    const store = this.opened;
    this.logger?.info('store opened', {
      minPhysicalOffset: store.getMinPhysicalOffset(),
      maxPhysicalOffset: store.getMaxPhysicalOffset(),
    });
    if (reportsFlushErrors(store)) store.onFlushError((error) => this.logFlushError(error));
  }

  /** The first failed flush, then one in every FLUSH_ERROR_LOG_EVERY (a failing disk fails every pass). */
  private logFlushError(error: string): void {
    if (this.flushErrors % FLUSH_ERROR_LOG_EVERY === 0) {
      this.logger?.error('store flush failed', { error, failedFlushes: this.flushErrors + 1 });
    }
    this.flushErrors += 1;
  }

  stop(): void {
    this.opened?.close();
    this.opened = null;
  }
}

/** The Rust store (NativeMessageStore) opened with the broker.conf settings. */
export function openNativeStore(c: BrokerConfig): NativeMessageStore {
  return NativeMessageStore.open({
    storePath: c.storePathRootDir,
    storePathCommitLog: c.storePathCommitLog,
    commitLogFileSizeBytes: c.mappedFileSizeCommitLog,
    consumeQueueUnitsPerFile: Math.ceil(c.mappedFileSizeConsumeQueue / 20),
    maxMessageSizeBytes: c.maxMessageSize,
    flushDiskType: c.flushDiskType,
    flushIntervalCommitLogMs: c.flushIntervalCommitLog,
    flushCommitLogLeastPages: c.flushCommitLogLeastPages,
    flushCommitLogThoroughIntervalMs: c.flushCommitLogThoroughInterval,
    flushIntervalConsumeQueueMs: c.flushIntervalConsumeQueue,
    transientStorePoolEnable: c.transientStorePoolEnable,
    transientStorePoolSize: c.transientStorePoolSize,
    fileReservedTimeHours: c.fileReservedTime,
    deleteWhen: c.deleteWhen,
    diskMaxUsedSpaceRatio: c.diskMaxUsedSpaceRatio,
    cleanFileForciblyEnable: c.cleanFileForciblyEnable,
    checkCrcOnRecover: c.checkCRCOnRecover,
    messageIndexEnable: c.messageIndexEnable,
    maxHashSlotNum: c.maxHashSlotNum,
    maxIndexNum: c.maxIndexNum,
    messageDelayLevel: c.messageDelayLevel,
  });
}
