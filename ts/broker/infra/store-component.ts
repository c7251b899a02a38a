// The broker's store as a lifecycle component: opens (and recovers) the store with the broker.conf
// settings at start through the broker's store factory (the Rust store by default: openNativeStore),
// closes it (flushing everything) at stop. Depends on ts/store.

import type { Component } from '../../common/lifecycle.js';
import type { MessageStore } from '../../store/message-store-api.js';
import { NativeMessageStore } from '../../store/native-message-store.js';
import type { BrokerConfig } from '../server/broker-config.js';

/** The store the broker runs on: the MessageStore interface plus the flushed offset its admin reports. */
export type BrokerStore = MessageStore & { getFlushedPhysicalOffset(): number };

/** Opens the broker's store for a config (called at start). */
export type OpenStore = (config: BrokerConfig) => BrokerStore;

export class StoreComponent implements Component {
  readonly name = 'message-store';
  private opened: BrokerStore | null = null;

  constructor(
    private readonly config: BrokerConfig,
    private readonly open: OpenStore,
  ) {}

  /** The open store; only between start and stop. */
  get store(): BrokerStore {
    if (this.opened === null) throw new Error('the message store is not started');
    return this.opened;
  }

  start(): void {
    this.opened = this.open(this.config);
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
