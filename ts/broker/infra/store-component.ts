// The broker's store as a lifecycle component: opens (and recovers) the Rust store with the
// broker.conf settings at start, closes it (flushing everything) at stop. Depends on ts/store.

import type { Component } from '../../common/lifecycle.js';
import { NativeMessageStore } from '../../store/native-message-store.js';
import type { BrokerConfig } from '../server/broker-config.js';

export class StoreComponent implements Component {
  readonly name = 'message-store';
  private opened: NativeMessageStore | null = null;

  constructor(private readonly config: BrokerConfig) {}

  /** The open store; only between start and stop. */
  get store(): NativeMessageStore {
    if (this.opened === null) throw new Error('the message store is not started');
    return this.opened;
  }

  start(): void {
    const c = this.config;
    this.opened = NativeMessageStore.open({
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

  stop(): void {
    this.opened?.close();
    this.opened = null;
  }
}
