//! StoreConfig: the store's settings with RocketMQ's names and defaults (docs/store-format.md Appendix A).
//! Depends on `limits`.

use std::path::PathBuf;

use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::limits::*;

/// `flushDiskType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlushDiskType {
    AsyncFlush,
    SyncFlush,
}

#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `storePathRootDir`: holds `commitlog/`, `consumequeue/` and `lock`.
    pub store_path_root_dir: PathBuf,
    /// `storePathCommitLog`: the CommitLog folder; `None` is `<storePathRootDir>/commitlog`.
    pub store_path_commit_log: Option<PathBuf>,
    /// `mappedFileSizeCommitLog`.
    pub commit_log_file_size_bytes: u64,
    /// `mappedFileSizeConsumeQueue / 20`.
    pub consume_queue_units_per_file: u64,
    /// `maxMessageSize` (limits the body).
    pub max_message_size_bytes: u32,
    /// Queue ids accepted: `[0, max_queues_per_topic)`.
    pub max_queues_per_topic: u32,
    /// `checkCRCOnRecover`.
    pub check_crc_on_recover: bool,
    /// `flushDiskType`.
    pub flush_disk_type: FlushDiskType,
    /// `flushIntervalCommitLog` (ASYNC_FLUSH).
    pub flush_interval_commit_log_ms: u64,
    /// `flushCommitLogLeastPages` (ASYNC_FLUSH).
    pub flush_commit_log_least_pages: u64,
    /// `flushCommitLogThoroughInterval` (ASYNC_FLUSH).
    pub flush_commit_log_thorough_interval_ms: u64,
    /// `flushIntervalConsumeQueue`: ConsumeQueues and the checkpoint.
    pub flush_interval_consume_queue_ms: u64,
    /// `transientStorePoolEnable`: appends go to pooled buffers, committed by a commit thread.
    pub transient_store_pool_enable: bool,
    /// `transientStorePoolSize`: buffers of one CommitLog file each.
    pub transient_store_pool_size: usize,
    /// `commitIntervalCommitLog`.
    pub commit_interval_commit_log_ms: u64,
    /// `commitCommitLogLeastPages`.
    pub commit_commit_log_least_pages: u64,
    /// `commitCommitLogThoroughInterval`.
    pub commit_commit_log_thorough_interval_ms: u64,
    /// `fileReservedTime`: CommitLog files older than this may be deleted.
    pub file_reserved_time_hours: u64,
    /// `deleteWhen`: local hours (`;`-separated) at which expired files are deleted.
    pub delete_when: String,
    /// `diskMaxUsedSpaceRatio` (%): above it, expired files go whatever the hour.
    pub disk_max_used_space_ratio: u32,
    /// `diskSpaceCleanForciblyRatio` (%): above it, the oldest files go whatever their age.
    pub disk_space_clean_forcibly_ratio: u32,
    /// `diskSpaceWarningLevelRatio` (%): above it, writes are refused (disk full).
    pub disk_space_warning_level_ratio: u32,
    /// `cleanResourceInterval`.
    pub clean_resource_interval_ms: u64,
    /// `deleteFileBatchMax`.
    pub delete_file_batch_max: usize,
    /// `cleanFileForciblyEnable`.
    pub clean_file_forcibly_enable: bool,
    /// `messageIndexEnable`: build the IndexFile from KEYS and UNIQ_KEY.
    pub message_index_enable: bool,
    /// `maxHashSlotNum`.
    pub max_hash_slot_num: u32,
    /// `maxIndexNum`.
    pub max_index_num: u32,
    /// `maxMsgsNumBatch`: the cap on a query by key.
    pub max_msgs_num_batch: u32,
    /// `messageDelayLevel`: the delay levels, `"1s 5s ... 2h"`.
    pub message_delay_level: String,
}

impl StoreConfig {
    pub fn new(store_path_root_dir: impl Into<PathBuf>) -> StoreConfig {
        StoreConfig {
            store_path_root_dir: store_path_root_dir.into(),
            store_path_commit_log: None,
            commit_log_file_size_bytes: DEFAULT_COMMIT_LOG_FILE_SIZE_BYTES,
            consume_queue_units_per_file: DEFAULT_CONSUME_QUEUE_UNITS_PER_FILE,
            max_message_size_bytes: DEFAULT_MAX_MESSAGE_SIZE_BYTES,
            max_queues_per_topic: DEFAULT_MAX_QUEUES_PER_TOPIC,
            check_crc_on_recover: true,
            flush_disk_type: FlushDiskType::AsyncFlush,
            flush_interval_commit_log_ms: 500,
            flush_commit_log_least_pages: 4,
            flush_commit_log_thorough_interval_ms: 10_000,
            flush_interval_consume_queue_ms: 1000,
            transient_store_pool_enable: false,
            transient_store_pool_size: 5,
            commit_interval_commit_log_ms: 200,
            commit_commit_log_least_pages: 4,
            commit_commit_log_thorough_interval_ms: 200,
            file_reserved_time_hours: 72,
            delete_when: "04".into(),
            disk_max_used_space_ratio: 75,
            disk_space_clean_forcibly_ratio: 85,
            disk_space_warning_level_ratio: 90,
            clean_resource_interval_ms: 10_000,
            delete_file_batch_max: 10,
            clean_file_forcibly_enable: true,
            message_index_enable: true,
            max_hash_slot_num: 5_000_000,
            max_index_num: 20_000_000,
            max_msgs_num_batch: 64,
            message_delay_level: crate::delay_level::DEFAULT_MESSAGE_DELAY_LEVEL.to_string(),
        }
    }

    pub fn commit_log_dir(&self) -> PathBuf {
        match &self.store_path_commit_log {
            Some(dir) => dir.clone(),
            None => self.store_path_root_dir.join("commitlog"),
        }
    }
    pub fn consume_queue_dir(&self) -> PathBuf {
        self.store_path_root_dir.join("consumequeue")
    }
    pub fn checkpoint_path(&self) -> PathBuf {
        self.store_path_root_dir.join("checkpoint")
    }
    pub fn index_dir(&self) -> PathBuf {
        self.store_path_root_dir.join("index")
    }
    pub fn abort_path(&self) -> PathBuf {
        self.store_path_root_dir.join("abort")
    }

    pub fn validate(&self) -> StoreResult<()> {
        let invalid = |message: String| Err(StoreError::new(ErrorCode::InvalidArg, message));
        let size = self.commit_log_file_size_bytes;
        if !(MIN_COMMIT_LOG_FILE_SIZE_BYTES..=i32::MAX as u64).contains(&size) {
            return invalid(format!(
                "commitLogFileSizeBytes {size} outside [{MIN_COMMIT_LOG_FILE_SIZE_BYTES}, {}]",
                i32::MAX
            ));
        }
        let units = self.consume_queue_units_per_file;
        if units == 0 || units * CQ_UNIT_SIZE_BYTES > i32::MAX as u64 {
            return invalid(format!("consumeQueueUnitsPerFile {units} out of range"));
        }
        if self.max_message_size_bytes == 0 {
            return invalid("maxMessageSizeBytes must be positive".into());
        }
        crate::delay_level::DelayLevelTable::parse(&self.message_delay_level)?;
        if self.transient_store_pool_enable && self.transient_store_pool_size == 0 {
            return invalid("transientStorePoolSize must be positive when the pool is enabled".into());
        }
        if self.max_queues_per_topic == 0 || self.max_queues_per_topic > i32::MAX as u32 {
            return invalid(format!("maxQueuesPerTopic {} out of range", self.max_queues_per_topic));
        }
        Ok(())
    }
}
