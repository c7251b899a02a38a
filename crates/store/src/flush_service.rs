//! The flush thread (docs/store-format.md §5): ASYNC_FLUSH flushes every `flushIntervalCommitLog` once
//! `flushCommitLogLeastPages` pages are dirty (everything every `flushCommitLogThoroughInterval`);
//! SYNC_FLUSH is a group commit: appends return at once, every flush request raised since the
//! last pass is covered by one pass, and one completion reports the new flushed offset. Every
//! `flushIntervalConsumeQueue` it also flushes the ConsumeQueues and the checkpoint.
//! Depends on `mapped_file_queue`, `checkpoint`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::checkpoint::{CheckpointField, StoreCheckpoint};
use crate::config::{FlushDiskType, StoreConfig};
use crate::mapped_file_queue::MappedFileQueue;
use crate::service_thread::{ServiceThread, Signal};
use crate::transient_store_pool::TransientStorePool;

/// Called on the flush thread after a pass moved the CommitLog's flushed offset, or failed.
pub type FlushListener = Box<dyn Fn(FlushEvent) + Send + Sync>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlushEvent {
    /// Every byte below this CommitLog offset is on disk.
    Flushed(u64),
    /// A flush failed; the message says why. Waiters should fail rather than wait.
    Failed(String),
}

/// The ConsumeQueue files to flush, registered as queues are created.
#[derive(Default)]
pub struct ConsumeQueueRegistry {
    queues: Mutex<Vec<Arc<MappedFileQueue>>>,
}

impl ConsumeQueueRegistry {
    pub fn register(&self, queue: Arc<MappedFileQueue>) {
        self.queues.lock().push(queue);
    }
    pub fn snapshot(&self) -> Vec<Arc<MappedFileQueue>> {
        self.queues.lock().clone()
    }
}

struct Shared {
    commit_log: Arc<MappedFileQueue>,
    /// With the TransientStorePool: a SYNC_FLUSH pass commits pooled bytes first.
    pool: Option<Arc<TransientStorePool>>,
    consume_queues: Arc<ConsumeQueueRegistry>,
    checkpoint: Arc<StoreCheckpoint>,
    /// Store time of the last dispatched record, as ConsumeQueue flushes should record it.
    logics_timestamp: Arc<std::sync::atomic::AtomicI64>,
    config: StoreConfig,
    listener: Mutex<Option<FlushListener>>,
    /// Highest offset a SYNC_FLUSH append asked to see on disk.
    requested: AtomicU64,
}

pub struct FlushService {
    shared: Arc<Shared>,
    thread: ServiceThread,
}

impl FlushService {
    pub fn start(
        commit_log: Arc<MappedFileQueue>,
        pool: Option<Arc<TransientStorePool>>,
        consume_queues: Arc<ConsumeQueueRegistry>,
        checkpoint: Arc<StoreCheckpoint>,
        logics_timestamp: Arc<std::sync::atomic::AtomicI64>,
        config: StoreConfig,
    ) -> FlushService {
        let shared = Arc::new(Shared {
            commit_log,
            pool,
            consume_queues,
            checkpoint,
            logics_timestamp,
            config,
            listener: Mutex::new(None),
            requested: AtomicU64::new(0),
        });
        let worker = Arc::clone(&shared);
        let thread = ServiceThread::start("flush-commit-log", move |signal| run(&worker, signal));
        FlushService { shared, thread }
    }

    /// Installs the callback for flush events (one per pass that moved the offset).
    pub fn set_listener(&self, listener: Option<FlushListener>) {
        *self.shared.listener.lock() = listener;
    }

    /// SYNC_FLUSH: asks for everything below `offset` to reach the disk (a group commit request).
    pub fn request_flush(&self, offset: u64) {
        if self.shared.requested.fetch_max(offset, Ordering::AcqRel) < offset {
            self.thread.wake();
        }
    }

    pub fn flushed_offset(&self) -> u64 {
        self.shared.commit_log.flushed_where()
    }

    /// Stops the thread after a last complete flush of the CommitLog, ConsumeQueues and checkpoint.
    pub fn shutdown(&mut self) {
        self.thread.shutdown();
    }
}

fn run(shared: &Shared, signal: &Signal) {
    let config = &shared.config;
    let interval = Duration::from_millis(match config.flush_disk_type {
        FlushDiskType::SyncFlush => 10,
        FlushDiskType::AsyncFlush => config.flush_interval_commit_log_ms,
    });
    let mut last_thorough = Instant::now();
    let mut last_consume_queue_flush = Instant::now();
    let mut healthy = true;
    loop {
        // SYNC_FLUSH requests name the writer's end; with the pool it is ahead of what is committed.
        // After a failed pass, wait out the interval instead of retrying at once.
        let stopped = signal
            .wait(interval, || healthy && shared.requested.load(Ordering::Acquire) > shared.commit_log.flushed_where());
        let least_pages = match config.flush_disk_type {
            FlushDiskType::SyncFlush => 0,
            FlushDiskType::AsyncFlush if stopped => 0,
            FlushDiskType::AsyncFlush => {
                if last_thorough.elapsed() >= Duration::from_millis(config.flush_commit_log_thorough_interval_ms) {
                    last_thorough = Instant::now();
                    0
                } else {
                    config.flush_commit_log_least_pages
                }
            }
        };
        healthy = flush_commit_log(shared, least_pages);
        let consume_queue_due =
            last_consume_queue_flush.elapsed() >= Duration::from_millis(config.flush_interval_consume_queue_ms);
        if stopped || consume_queue_due {
            last_consume_queue_flush = Instant::now();
            flush_consume_queues_and_checkpoint(shared);
        }
        if stopped {
            return;
        }
    }
}

/// One CommitLog flush pass; tells the listener if it moved or failed. Returns false on failure.
fn flush_commit_log(shared: &Shared, least_pages: u64) -> bool {
    let before = shared.commit_log.flushed_where();
    // Sampled before the flush, so the checkpoint never claims a record that is not on disk.
    let store_timestamp = shared.commit_log.last().map_or(0, |file| file.store_timestamp());
    let committed = match (&shared.pool, shared.config.flush_disk_type) {
        (Some(pool), FlushDiskType::SyncFlush) => shared.commit_log.commit(0, Some(pool)),
        _ => Ok(()),
    };
    let result = committed.and_then(|()| match least_pages {
        0 => shared.commit_log.flush_all(),
        _ => shared.commit_log.flush(least_pages).map(|_| ()),
    });
    let after = shared.commit_log.flushed_where();
    let event = match result {
        Err(error) => Some(FlushEvent::Failed(error.to_string())),
        Ok(()) if after > before => Some(FlushEvent::Flushed(after)),
        Ok(()) => None,
    };
    if after > before && store_timestamp > 0 {
        shared.checkpoint.set(CheckpointField::PhysicMsgTimestamp, store_timestamp);
    }
    let healthy = !matches!(event, Some(FlushEvent::Failed(_)));
    if let (Some(event), Some(listener)) = (event, shared.listener.lock().as_ref()) {
        listener(event);
    }
    healthy
}

fn flush_consume_queues_and_checkpoint(shared: &Shared) {
    let logics_timestamp = shared.logics_timestamp.load(Ordering::Acquire);
    let mut ok = true;
    for queue in shared.consume_queues.snapshot() {
        ok &= queue.flush_all().is_ok();
    }
    if ok && logics_timestamp > 0 {
        shared.checkpoint.set(CheckpointField::LogicsMsgTimestamp, logics_timestamp);
    }
    if let Err(error) = shared.checkpoint.flush() {
        if let Some(listener) = shared.listener.lock().as_ref() {
            listener(FlushEvent::Failed(error.to_string()));
        }
    }
}
