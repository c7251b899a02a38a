//! MessageStore: the store's front door. Appends batches of record drafts to the CommitLog,
//! dispatches them to ConsumeQueues, reads by queue position or physical offset, and recovers
//! on open. Depends on `commit_log`, `queue_table`, `record`, `properties`, `config`.

use std::fs::File;
use std::ops::Range;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::checkpoint::{CheckpointField, StoreCheckpoint};
use crate::clean_service::{CleanService, RunningFlags};
use crate::commit_log::{CommitLog, RecordStamp};
use crate::commit_service::CommitService;
use crate::config::{FlushDiskType, StoreConfig};
use crate::consume_queue::CqUnit;
use crate::delay_level::{DelayLevelTable, SCHEDULE_TOPIC};
use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::flush_service::{ConsumeQueueRegistry, FlushListener, FlushService};
use crate::ha::AppendSignal;
use crate::index_dispatcher::{IndexDispatcher, IndexFollower};
use crate::index_service::IndexService;
use crate::properties::tags_code;
use crate::queue_table::QueueTable;
use crate::record::{
    body_crc, parse_record, validate_draft, validate_topic_name, DraftLimits, RecordView, TRANSACTION_COMMIT_TYPE,
    TRANSACTION_NOT_TYPE,
};
use crate::store_files::{lock_store, write_abort_file};
use crate::transient_store_pool::TransientStorePool;

mod reads;
mod recovery;
mod replica;

pub struct MessageStore {
    config: StoreConfig,
    commit_log: CommitLog,
    queues: QueueTable,
    checkpoint: Arc<StoreCheckpoint>,
    flush_service: FlushService,
    /// Runs only with `transientStorePoolEnable`.
    commit_service: Option<CommitService>,
    clean_service: CleanService,
    running_flags: Arc<RunningFlags>,
    /// None when `messageIndexEnable` is off.
    index: Option<Arc<IndexDispatcher>>,
    /// The `build-index` thread (None when `messageIndexEnable` is off).
    index_follower: Option<IndexFollower>,
    /// Store time of the last dispatched batch, for the checkpoint's logicsMsgTimestamp.
    logics_timestamp: Arc<AtomicI64>,
    draft_limits: DraftLimits,
    delay_levels: DelayLevelTable,
    /// Reused per batch: the validated drafts, their stamps, offsets and touched queues.
    prepared: Vec<PreparedRecord>,
    stamped: Vec<(Range<usize>, RecordStamp)>,
    physical_offsets: Vec<u64>,
    touched: Vec<usize>,
    /// Reused per read: ConsumeQueue units.
    units: Vec<CqUnit>,
    /// Raised after every append: the HA master's transfer threads wait on it.
    append_signal: Arc<AppendSignal>,
    /// A slave's dispatch cursor: the next CommitLog record the replica appends dispatch.
    replica_dispatched: u64,
    /// A slave's store: `append_batch` is refused, only `append_replica` writes.
    read_only_replica: bool,
    _lock: File,
}

/// The `transientStorePoolEnable` buffers, one CommitLog file each; none when the pool is off.
fn open_transient_store_pool(config: &StoreConfig) -> StoreResult<Option<Arc<TransientStorePool>>> {
    if !config.transient_store_pool_enable {
        return Ok(None);
    }
    let pool = TransientStorePool::new(config.transient_store_pool_size, config.commit_log_file_size_bytes as usize)?;
    Ok(Some(Arc::new(pool)))
}

/// The index files and their dispatcher over the CommitLog; none when `messageIndexEnable` is off.
fn open_index(
    config: &StoreConfig,
    last_exit_ok: bool,
    checkpoint: &Arc<StoreCheckpoint>,
    commit_log: &CommitLog,
) -> StoreResult<Option<Arc<IndexDispatcher>>> {
    if !config.message_index_enable {
        return Ok(None);
    }
    let service = IndexService::load(
        &config.index_dir(),
        config.max_hash_slot_num,
        config.max_index_num,
        last_exit_ok,
        checkpoint.get(CheckpointField::IndexMsgTimestamp),
    )?;
    let dispatcher = IndexDispatcher::new(service, Arc::clone(checkpoint), Arc::clone(commit_log.files()));
    Ok(Some(Arc::new(dispatcher)))
}

#[derive(Clone, Copy)]
struct PreparedRecord {
    start: usize,
    view: RecordView,
    body_crc: i32,
    tags_code: i64,
    queue_index: usize,
    queue_offset: i64,
    /// NOT and COMMIT types get a queue offset and a ConsumeQueue unit; PREPARED and ROLLBACK do not.
    enqueue: bool,
}

impl MessageStore {
    /// Opens (or creates) the store under `config.store_path_root_dir` and recovers it: normal
    /// recovery after a clean shutdown, abnormal recovery when the `abort` file shows a crash.
    pub fn open(config: StoreConfig) -> StoreResult<MessageStore> {
        config.validate()?;
        let root = &config.store_path_root_dir;
        std::fs::create_dir_all(root).map_err(|e| StoreError::io(&format!("create {}", root.display()), e))?;
        let lock = lock_store(root)?;
        let last_exit_ok = !config.abort_path().exists();
        let checkpoint = Arc::new(StoreCheckpoint::load(&config.checkpoint_path())?);
        let pool = open_transient_store_pool(&config)?;
        let commit_log = CommitLog::load(&config.commit_log_dir(), config.commit_log_file_size_bytes, pool.clone())?;
        let commit_service =
            pool.as_ref().map(|pool| CommitService::start(Arc::clone(commit_log.files()), Arc::clone(pool), &config));
        let registry = Arc::new(ConsumeQueueRegistry::default());
        let queues =
            QueueTable::load(&config.consume_queue_dir(), config.consume_queue_units_per_file, Arc::clone(&registry))?;
        let draft_limits = DraftLimits {
            max_body_size_bytes: config.max_message_size_bytes,
            max_queues_per_topic: config.max_queues_per_topic,
        };
        let logics_timestamp = Arc::new(AtomicI64::new(0));
        let index = open_index(&config, last_exit_ok, &checkpoint, &commit_log)?;
        let running_flags = Arc::new(RunningFlags::default());
        let clean_service = CleanService::start(
            Arc::clone(commit_log.files()),
            Arc::clone(&registry),
            index.clone(),
            Arc::clone(&running_flags),
            config.clone(),
        );
        let flush_service = FlushService::start(
            Arc::clone(commit_log.files()),
            pool,
            registry,
            Arc::clone(&checkpoint),
            Arc::clone(&logics_timestamp),
            config.clone(),
        );
        let delay_levels = DelayLevelTable::parse(&config.message_delay_level)?;
        let mut store = MessageStore {
            config,
            commit_log,
            queues,
            checkpoint,
            flush_service,
            commit_service,
            clean_service,
            running_flags,
            index,
            index_follower: None,
            logics_timestamp,
            draft_limits,
            delay_levels,
            prepared: Vec::new(),
            stamped: Vec::new(),
            physical_offsets: Vec::new(),
            touched: Vec::new(),
            units: Vec::new(),
            append_signal: Arc::new(AppendSignal::default()),
            replica_dispatched: 0,
            read_only_replica: false,
            _lock: lock,
        };
        store.recover(last_exit_ok)?;
        if let Some(index) = &store.index {
            index.start_at(store.commit_log.max_offset());
            store.index_follower = Some(IndexFollower::start(Arc::clone(index)));
        }
        store.replica_dispatched = store.commit_log.max_offset();
        write_abort_file(&store.config.abort_path())?;
        Ok(store)
    }

    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Installs the callback told of every flush pass (ASYNC) or group commit (SYNC).
    pub fn set_flush_listener(&self, listener: Option<FlushListener>) {
        self.flush_service.set_listener(listener);
    }

    /// Runs one expiry and disk check now (the admin `deleteExpiredCommitLog` also arms the next
    /// runs to delete whatever the hour).
    pub fn clean_expired_files(&self, manual: bool) {
        if manual {
            self.clean_service.delete_expired_files_manually();
        }
        self.clean_service.run_once();
    }

    /// Every byte of the CommitLog below this offset is on disk.
    pub fn flushed_physical_offset(&self) -> i64 {
        self.flush_service.flushed_offset() as i64
    }

    /// Appends `count` record drafts laid back to back in `drafts` (the CommitLog layout with
    /// BODYCRC, QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP to be filled). Every draft is
    /// validated first: one bad draft fails the batch and nothing is appended. Then queue offsets
    /// are assigned, the CommitLog takes the batch in one write per file, and the ConsumeQueue
    /// units follow (one write per queue). Calls `on_appended(index, physical_offset,
    /// queue_offset)` per message; returns the store timestamp.
    ///
    /// A failed CommitLog write publishes nothing and gives the queue offsets back. A failed
    /// ConsumeQueue write after it returns the error with the records in the CommitLog: the
    /// next open dispatches them again.
    pub fn append_batch(
        &mut self,
        drafts: &[u8],
        count: usize,
        mut on_appended: impl FnMut(usize, u64, i64),
    ) -> StoreResult<i64> {
        if self.read_only_replica {
            return Err(StoreError::new(
                ErrorCode::ReplicaReadOnly,
                "this store is a slave's: it takes only its master's bytes",
            ));
        }
        if self.running_flags.is_disk_full() {
            return Err(StoreError::new(
                ErrorCode::DiskFull,
                format!(
                    "the disk is full (past diskSpaceWarningLevelRatio {}%): writes are refused",
                    self.config.disk_space_warning_level_ratio
                ),
            ));
        }
        self.prepare_batch(drafts, count)?;
        let store_timestamp = now_ms();
        self.assign_queue_offsets(drafts, store_timestamp)?;
        let appended = self.commit_log.append_batch(drafts, &self.stamped, &mut self.physical_offsets);
        if let Err(error) = appended {
            self.rewind_queue_offsets();
            return Err(error);
        }
        self.dispatch_batch(drafts, store_timestamp)?;
        self.logics_timestamp.store(store_timestamp, Ordering::Release);
        if let Some(commit_service) = &self.commit_service {
            commit_service.wake();
        }
        if self.config.flush_disk_type == FlushDiskType::SyncFlush {
            self.flush_service.request_flush(self.commit_log.max_wrote_offset());
        }
        self.append_signal.raise();
        for (index, prepared) in self.prepared.iter().enumerate() {
            on_appended(index, self.physical_offsets[index], prepared.queue_offset);
        }
        Ok(store_timestamp)
    }

    /// Gives each record its queue offset (NOT and COMMIT types only) and its stamp.
    fn assign_queue_offsets(&mut self, drafts: &[u8], store_timestamp: i64) -> StoreResult<()> {
        self.stamped.clear();
        for prepared in &mut self.prepared {
            let view = &prepared.view;
            let range = prepared.start..prepared.start + view.total_size as usize;
            let topic = view.topic(&drafts[range.clone()]);
            prepared.queue_index = self.queues.index_of_or_load(topic, view.queue_id as usize)?;
            let transaction_type = view.transaction_type();
            prepared.enqueue = transaction_type == TRANSACTION_NOT_TYPE || transaction_type == TRANSACTION_COMMIT_TYPE;
            let queue = self.queues.at(prepared.queue_index);
            prepared.queue_offset = if prepared.enqueue { queue.next_queue_offset } else { 0 };
            if prepared.enqueue {
                queue.next_queue_offset += 1;
            }
            let stamp = RecordStamp {
                body_crc: prepared.body_crc,
                queue_offset: prepared.queue_offset,
                store_timestamp,
                store_timestamp_pos: view.store_timestamp_pos,
            };
            self.stamped.push((range, stamp));
        }
        Ok(())
    }

    /// After a failed CommitLog write: the queues get back the offsets the batch took.
    fn rewind_queue_offsets(&mut self) {
        for prepared in &self.prepared {
            let queue = self.queues.at(prepared.queue_index);
            queue.next_queue_offset = queue.consume_queue.max_offset_in_queue();
        }
    }

    /// Puts the batch's ConsumeQueue units, then writes each touched queue once.
    fn dispatch_batch(&mut self, drafts: &[u8], store_timestamp: i64) -> StoreResult<()> {
        self.touched.clear();
        for (index, prepared) in self.prepared.iter().enumerate() {
            if !prepared.enqueue {
                continue;
            }
            let record = &drafts[prepared.start..prepared.start + prepared.view.total_size as usize];
            let tags_code = match prepared.view.topic(record) == SCHEDULE_TOPIC {
                true => self.delay_levels.dispatch_tags_code(
                    SCHEDULE_TOPIC,
                    prepared.view.properties(record),
                    store_timestamp,
                ),
                false => prepared.tags_code,
            };
            let unit = CqUnit {
                commit_log_offset: self.physical_offsets[index] as i64,
                size: prepared.view.total_size as i32,
                tags_code,
            };
            self.queues.at(prepared.queue_index).consume_queue.put(prepared.queue_offset, unit)?;
            self.touched.push(prepared.queue_index);
        }
        self.touched.sort_unstable();
        self.touched.dedup();
        for &queue_index in &self.touched {
            self.queues.at(queue_index).consume_queue.commit()?;
        }
        Ok(())
    }

    /// Parses and validates every draft into `self.prepared`, computing CRCs and tag codes
    /// outside the append loop.
    fn prepare_batch(&mut self, drafts: &[u8], count: usize) -> StoreResult<()> {
        self.prepared.clear();
        let max_record = self.commit_log.max_record_size();
        let mut start = 0usize;
        for index in 0..count {
            let record = &drafts[start.min(drafts.len())..];
            let at = |e: StoreError| StoreError::new(e.code, format!("message {index} of {count}: {}", e.message));
            let view = parse_record(record).map_err(at)?;
            let record = &record[..view.total_size as usize];
            validate_draft(record, &view, &self.draft_limits).map_err(at)?;
            validate_topic_name(view.topic(record)).map_err(at)?;
            if u64::from(view.total_size) > max_record {
                return Err(at(StoreError::new(
                    ErrorCode::MessageIllegal,
                    format!(
                        "record of {} bytes does not fit a {}-byte CommitLog file",
                        view.total_size,
                        self.commit_log.file_size()
                    ),
                )));
            }
            self.prepared.push(PreparedRecord {
                start,
                view,
                body_crc: body_crc(view.body(record)),
                tags_code: tags_code(view.properties(record)),
                queue_index: 0,
                queue_offset: 0,
                enqueue: false,
            });
            start += view.total_size as usize;
        }
        if start != drafts.len() {
            return Err(StoreError::new(
                ErrorCode::MessageIllegal,
                format!("{count} drafts end at byte {start} but the buffer holds {} bytes", drafts.len()),
            ));
        }
        Ok(())
    }

    pub fn min_physical_offset(&self) -> i64 {
        self.commit_log.min_offset() as i64
    }

    pub fn max_physical_offset(&self) -> i64 {
        self.commit_log.max_offset() as i64
    }

    fn check_queue_id(&self, queue_id: i32) -> StoreResult<()> {
        if queue_id < 0 || queue_id as u32 >= self.config.max_queues_per_topic {
            return Err(StoreError::new(
                ErrorCode::QueueIdIllegal,
                format!("queueId {queue_id} outside [0, {})", self.config.max_queues_per_topic),
            ));
        }
        Ok(())
    }

    /// Clean shutdown: commits pending ConsumeQueue units, stops the flush thread after its last
    /// complete flush (CommitLog, ConsumeQueues, checkpoint), then deletes the `abort` file so
    /// the next open recovers normally.
    pub fn close(mut self) -> StoreResult<()> {
        for queue in self.queues.queues_mut() {
            queue.consume_queue.commit()?;
        }
        self.clean_service.shutdown();
        if let Some(follower) = &mut self.index_follower {
            follower.shutdown();
        }
        if let Some(commit_service) = &mut self.commit_service {
            commit_service.shutdown();
        }
        self.flush_service.shutdown();
        self.commit_log.commit(0)?;
        self.commit_log.files().flush_all()?;
        for queue in self.queues.queues_mut() {
            queue.consume_queue.flush()?;
        }
        if let Some(index) = &self.index {
            index.catch_up()?;
            index.flush()?;
        }
        self.checkpoint.flush()?;
        let abort = self.config.abort_path();
        std::fs::remove_file(&abort).map_err(|e| StoreError::io(&format!("delete {}", abort.display()), e))
    }
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
