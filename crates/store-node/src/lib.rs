//! N-API glue over `clean-rocketmq-store`: converts arguments and results and wraps the store in
//! a JS class. No store logic lives here. Errors cross as JS errors whose `code` is the store's
//! stable code (e.g. `ERR_MESSAGE_ILLEGAL`).

use clean_rocketmq_store::{
    ErrorCode, FlushDiskType, FlushEvent, GetMessageRequest, MessageStore, StoreConfig, StoreError,
};
use napi::bindgen_prelude::{Buffer, Error, Float64ArraySlice, FnArgs};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

mod ha;

/// The error code as JS sees it in `error.code`.
pub struct Code(&'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

type Result<T> = std::result::Result<T, Error<Code>>;

fn to_js(error: StoreError) -> Error<Code> {
    Error::new(Code(error.code.as_str()), error.message)
}

fn invalid_arg(message: String) -> Error<Code> {
    to_js(StoreError::new(ErrorCode::InvalidArg, message))
}

/// A JS number that must be a non-negative integer (offsets and sizes cross as f64: exact below 2^53).
fn to_u64(value: f64, name: &str) -> Result<u64> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_991.0 {
        Ok(value as u64)
    } else {
        Err(invalid_arg(format!("{name} must be a non-negative integer, got {value}")))
    }
}

#[napi(object)]
pub struct StoreOptions {
    pub store_path: String,
    /// `storePathCommitLog`: the CommitLog folder, default `<storePath>/commitlog`.
    pub store_path_commit_log: Option<String>,
    pub commit_log_file_size_bytes: Option<f64>,
    pub consume_queue_units_per_file: Option<f64>,
    pub max_message_size_bytes: Option<u32>,
    pub max_queues_per_topic: Option<u32>,
    /// `ASYNC_FLUSH` (default) or `SYNC_FLUSH`.
    pub flush_disk_type: Option<String>,
    pub flush_interval_commit_log_ms: Option<u32>,
    pub flush_commit_log_least_pages: Option<u32>,
    pub flush_commit_log_thorough_interval_ms: Option<u32>,
    pub flush_interval_consume_queue_ms: Option<u32>,
    pub transient_store_pool_enable: Option<bool>,
    pub transient_store_pool_size: Option<u32>,
    pub commit_interval_commit_log_ms: Option<u32>,
    pub commit_commit_log_least_pages: Option<u32>,
    pub commit_commit_log_thorough_interval_ms: Option<u32>,
    pub file_reserved_time_hours: Option<u32>,
    /// Local hours, `;`-separated (`"04"`).
    pub delete_when: Option<String>,
    pub disk_max_used_space_ratio: Option<u32>,
    pub disk_space_clean_forcibly_ratio: Option<u32>,
    pub disk_space_warning_level_ratio: Option<u32>,
    pub clean_resource_interval_ms: Option<u32>,
    pub delete_file_batch_max: Option<u32>,
    pub clean_file_forcibly_enable: Option<bool>,
    pub check_crc_on_recover: Option<bool>,
    pub message_index_enable: Option<bool>,
    pub max_hash_slot_num: Option<u32>,
    pub max_index_num: Option<u32>,
    /// `messageDelayLevel`, e.g. `"1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h"`.
    pub message_delay_level: Option<String>,
}

/// `(flushedPhysicalOffset, errorMessage)`: one call per flush pass or group commit.
type FlushArgs = FnArgs<(f64, Option<String>)>;
type FlushCallback = ThreadsafeFunction<FlushArgs, (), FlushArgs, napi::Status, false, true>;

fn apply_pool_and_clean_options(config: &mut StoreConfig, options: &StoreOptions) {
    let set_u64 = |target: &mut u64, value: Option<u32>| {
        if let Some(v) = value {
            *target = v.into();
        }
    };
    if let Some(v) = options.transient_store_pool_enable {
        config.transient_store_pool_enable = v;
    }
    if let Some(v) = options.transient_store_pool_size {
        config.transient_store_pool_size = v as usize;
    }
    set_u64(&mut config.commit_interval_commit_log_ms, options.commit_interval_commit_log_ms);
    set_u64(&mut config.commit_commit_log_least_pages, options.commit_commit_log_least_pages);
    set_u64(&mut config.commit_commit_log_thorough_interval_ms, options.commit_commit_log_thorough_interval_ms);
    set_u64(&mut config.file_reserved_time_hours, options.file_reserved_time_hours);
    set_u64(&mut config.clean_resource_interval_ms, options.clean_resource_interval_ms);
    if let Some(v) = &options.delete_when {
        config.delete_when = v.clone();
    }
    if let Some(v) = options.disk_max_used_space_ratio {
        config.disk_max_used_space_ratio = v;
    }
    if let Some(v) = options.disk_space_clean_forcibly_ratio {
        config.disk_space_clean_forcibly_ratio = v;
    }
    if let Some(v) = options.disk_space_warning_level_ratio {
        config.disk_space_warning_level_ratio = v;
    }
    if let Some(v) = options.delete_file_batch_max {
        config.delete_file_batch_max = v as usize;
    }
    if let Some(v) = options.clean_file_forcibly_enable {
        config.clean_file_forcibly_enable = v;
    }
    if let Some(v) = options.check_crc_on_recover {
        config.check_crc_on_recover = v;
    }
    if let Some(v) = options.message_index_enable {
        config.message_index_enable = v;
    }
    if let Some(v) = options.max_hash_slot_num {
        config.max_hash_slot_num = v;
    }
    if let Some(v) = options.max_index_num {
        config.max_index_num = v;
    }
    if let Some(v) = &options.message_delay_level {
        config.message_delay_level = v.clone();
    }
}

#[napi(object)]
pub struct GetMessagesResult {
    pub status: u32,
    pub next_begin_offset: f64,
    pub min_offset: f64,
    pub max_offset: f64,
    pub message_count: u32,
    pub buffer: Buffer,
}

#[napi(object)]
pub struct QueryMessageResult {
    pub message_count: u32,
    pub index_last_update_timestamp: f64,
    pub index_last_update_phyoffset: f64,
    /// The raw records, back to back, newest first.
    pub buffer: Buffer,
}

/// Gives the allocator's free memory back to the OS (glibc `malloc_trim(0)`: every free page of every
/// arena, not only the top of the heap). True when it ran and released something; a no-op (false) off
/// glibc. For after a peak of freed buffers, never per request: it walks every arena.
#[napi]
pub fn release_free_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: malloc_trim takes no pointers and only touches the allocator's own free lists.
        unsafe { malloc_trim(0) != 0 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// The store behind its lock: the JS thread and, on a slave, the replication thread append to it.
type SharedStore = Arc<Mutex<Option<MessageStore>>>;

/// The locked, open store.
struct StoreGuard<'a>(MutexGuard<'a, Option<MessageStore>>);

impl Deref for StoreGuard<'_> {
    type Target = MessageStore;
    fn deref(&self) -> &MessageStore {
        self.0.as_ref().expect("checked open when locked")
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut MessageStore {
        self.0.as_mut().expect("checked open when locked")
    }
}

fn lock_store(store: &SharedStore) -> Result<StoreGuard<'_>> {
    let guard = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if guard.is_none() {
        return Err(to_js(StoreError::new(ErrorCode::StoreClosed, "the store is closed")));
    }
    Ok(StoreGuard(guard))
}

#[napi]
pub struct NativeStore {
    store: SharedStore,
    /// Replication (docs/replication.md): the master's listener or the slave's client, when started.
    ha: ha::HaParts,
}

#[napi]
impl NativeStore {
    #[napi(factory)]
    pub fn open(options: StoreOptions) -> Result<NativeStore> {
        let mut config = StoreConfig::new(options.store_path.clone());
        config.store_path_commit_log =
            options.store_path_commit_log.as_ref().filter(|dir| !dir.is_empty()).map(PathBuf::from);
        if let Some(v) = options.commit_log_file_size_bytes {
            config.commit_log_file_size_bytes = to_u64(v, "commitLogFileSizeBytes")?;
        }
        if let Some(v) = options.consume_queue_units_per_file {
            config.consume_queue_units_per_file = to_u64(v, "consumeQueueUnitsPerFile")?;
        }
        if let Some(v) = options.max_message_size_bytes {
            config.max_message_size_bytes = v;
        }
        if let Some(v) = options.max_queues_per_topic {
            config.max_queues_per_topic = v;
        }
        config.flush_disk_type = match options.flush_disk_type.as_deref() {
            None | Some("ASYNC_FLUSH") => FlushDiskType::AsyncFlush,
            Some("SYNC_FLUSH") => FlushDiskType::SyncFlush,
            Some(other) => return Err(invalid_arg(format!("flushDiskType {other:?}: ASYNC_FLUSH or SYNC_FLUSH"))),
        };
        if let Some(v) = options.flush_interval_commit_log_ms {
            config.flush_interval_commit_log_ms = v.into();
        }
        if let Some(v) = options.flush_commit_log_least_pages {
            config.flush_commit_log_least_pages = v.into();
        }
        if let Some(v) = options.flush_commit_log_thorough_interval_ms {
            config.flush_commit_log_thorough_interval_ms = v.into();
        }
        if let Some(v) = options.flush_interval_consume_queue_ms {
            config.flush_interval_consume_queue_ms = v.into();
        }
        apply_pool_and_clean_options(&mut config, &options);
        let store = MessageStore::open(config).map_err(to_js)?;
        Ok(NativeStore { store: Arc::new(Mutex::new(Some(store))), ha: ha::HaParts::default() })
    }

    fn store(&self) -> Result<StoreGuard<'_>> {
        lock_store(&self.store)
    }

    /// Appends `count` drafts in one call; writes `[physicalOffset, queueOffset]` pairs into `out`.
    #[napi]
    pub fn append_batch(&mut self, records: &[u8], count: u32, mut out: Float64ArraySlice) -> Result<f64> {
        // SAFETY: the call is synchronous on the JS thread, so JS cannot touch `out` meanwhile.
        let out = unsafe { out.as_mut() };
        let count = count as usize;
        if out.len() < count * 2 {
            return Err(invalid_arg(format!("out holds {} numbers, {} needed", out.len(), count * 2)));
        }
        let mut store = self.store()?;
        let store_timestamp = store
            .append_batch(records, count, |index, physical_offset, queue_offset| {
                out[index * 2] = physical_offset as f64;
                out[index * 2 + 1] = queue_offset as f64;
            })
            .map_err(to_js)?;
        Ok(store_timestamp as f64)
    }

    #[napi]
    pub fn get_messages(
        &mut self,
        topic: String,
        queue_id: i32,
        queue_offset: f64,
        max_count: u32,
        max_size_bytes: f64,
        tag_codes: Option<&[f64]>,
    ) -> Result<GetMessagesResult> {
        let queue_offset = to_u64(queue_offset, "queueOffset")? as i64;
        let max_size_bytes = to_u64(max_size_bytes, "maxSizeBytes")?;
        let codes: Option<Vec<i64>> = tag_codes.map(|codes| codes.iter().map(|&c| c as i64).collect());
        let request = GetMessageRequest { max_count, max_size_bytes, tag_codes: codes.as_deref() };
        let result = self.store()?.get_messages(&topic, queue_id, queue_offset, &request).map_err(to_js)?;
        Ok(GetMessagesResult {
            status: result.status as u32,
            next_begin_offset: result.next_begin_offset as f64,
            min_offset: result.min_offset as f64,
            max_offset: result.max_offset as f64,
            message_count: result.message_count,
            buffer: result.buffer.into(),
        })
    }

    /// `queryMessage`: records indexed under `topic#key` (KEYS or UNIQ_KEY) stored within
    /// `[beginTimestampMs, endTimestampMs]`, newest first, at most `maxCount` (capped at 64).
    #[napi]
    pub fn query_message(
        &mut self,
        topic: String,
        key: String,
        max_count: u32,
        begin_timestamp_ms: f64,
        end_timestamp_ms: f64,
    ) -> Result<QueryMessageResult> {
        let result = self
            .store()?
            .query_message(&topic, &key, max_count, begin_timestamp_ms as i64, end_timestamp_ms as i64)
            .map_err(to_js)?;
        Ok(QueryMessageResult {
            message_count: result.message_count,
            index_last_update_timestamp: result.index_last_update_timestamp as f64,
            index_last_update_phyoffset: result.index_last_update_phy_offset as f64,
            buffer: result.buffer.into(),
        })
    }

    #[napi]
    pub fn get_message_by_offset(&mut self, physical_offset: f64) -> Result<Buffer> {
        let physical_offset = to_u64(physical_offset, "physicalOffset")? as i64;
        let bytes = self.store()?.get_message_by_offset(physical_offset).map_err(to_js)?;
        Ok(bytes.into())
    }

    /// The records at several physical offsets in one call and one Buffer (offsets without a
    /// readable record are skipped; the records carry their own PHYSICALOFFSET).
    #[napi]
    pub fn get_messages_by_offsets(&mut self, physical_offsets: Float64ArraySlice) -> Result<Buffer> {
        let offsets = physical_offsets
            .iter()
            .map(|offset| to_u64(*offset, "physicalOffset").map(|o| o as i64))
            .collect::<Result<Vec<i64>>>()?;
        let (bytes, _count) = self.store()?.get_messages_by_offsets(&offsets);
        Ok(bytes.into())
    }

    #[napi]
    pub fn get_min_offset_in_queue(&mut self, topic: String, queue_id: i32) -> Result<f64> {
        Ok(self.store()?.min_offset_in_queue(&topic, queue_id).map_err(to_js)? as f64)
    }

    #[napi]
    pub fn get_max_offset_in_queue(&mut self, topic: String, queue_id: i32) -> Result<f64> {
        Ok(self.store()?.max_offset_in_queue(&topic, queue_id).map_err(to_js)? as f64)
    }

    /// The first queue offset stored at or after `timestampMs` (SEARCH_OFFSET_BY_TIMESTAMP).
    #[napi]
    pub fn get_offset_in_queue_by_time(&mut self, topic: String, queue_id: i32, timestamp_ms: f64) -> Result<f64> {
        Ok(self.store()?.offset_in_queue_by_time(&topic, queue_id, timestamp_ms as i64).map_err(to_js)? as f64)
    }

    /// The store time of the queue's first message, -1 when empty (GET_EARLIEST_MSG_STORETIME).
    #[napi]
    pub fn get_earliest_message_store_time(&mut self, topic: String, queue_id: i32) -> Result<f64> {
        Ok(self.store()?.earliest_message_store_time(&topic, queue_id).map_err(to_js)? as f64)
    }

    #[napi]
    pub fn get_min_physical_offset(&mut self) -> Result<f64> {
        Ok(self.store()?.min_physical_offset() as f64)
    }

    #[napi]
    pub fn get_max_physical_offset(&mut self) -> Result<f64> {
        Ok(self.store()?.max_physical_offset() as f64)
    }

    /// Registers `callback(flushedPhysicalOffset, errorMessage)`, called on the JS thread once per
    /// flush pass that moved the offset (once per group commit under SYNC_FLUSH) or on a flush
    /// error. It does not keep the event loop alive. `null` removes it.
    #[napi(ts_args_type = "callback: ((flushedPhysicalOffset: number, error: string | null) => void) | null")]
    pub fn set_flush_listener(&mut self, callback: Option<FlushCallback>) -> Result<()> {
        let listener = callback.map(|callback| {
            Box::new(move |event: FlushEvent| {
                let args = match event {
                    FlushEvent::Flushed(offset) => (offset as f64, None),
                    FlushEvent::Failed(message) => (-1.0, Some(message)),
                };
                callback.call(FnArgs { data: args }, ThreadsafeFunctionCallMode::NonBlocking);
            }) as clean_rocketmq_store::flush_service::FlushListener
        });
        self.store()?.set_flush_listener(listener);
        Ok(())
    }

    /// Runs one expiry and disk check now; `manual` also arms RocketMQ's admin
    /// `deleteExpiredCommitLog` (the next runs delete expired files whatever the hour).
    #[napi]
    pub fn clean_expired_files(&mut self, manual: bool) -> Result<()> {
        self.store()?.clean_expired_files(manual);
        Ok(())
    }

    /// Every CommitLog byte below this offset is on disk.
    #[napi]
    pub fn get_flushed_physical_offset(&mut self) -> Result<f64> {
        Ok(self.store()?.flushed_physical_offset() as f64)
    }

    /// Flushes and releases the store. Idempotent.
    #[napi]
    pub fn close(&mut self) -> Result<()> {
        self.ha.stop();
        let taken = self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        match taken {
            Some(store) => store.close().map_err(to_js),
            None => Ok(()),
        }
    }
}
