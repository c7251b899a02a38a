//! CommitLogDispatcherBuildIndex (docs/store-format.md §6, §8): feeds each record's KEYS and UNIQ_KEY to the
//! IndexService, records a filled index file's end time in the checkpoint, and answers queries by
//! key (`queryMessage`). The `build-index` thread follows the CommitLog from its own cursor every
//! 10 ms (Java's reput service polls every 1 ms), so indexing costs the append path nothing, not
//! even a thread wake-up per append; a query first catches up, so it sees every record appended
//! before it. Shared with the clean thread for expiry.
//! Depends on `index_service`, `commit_log` (the scan), `checkpoint`, `properties`, `record`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Mutex, MutexGuard};

use crate::checkpoint::{CheckpointField, StoreCheckpoint};
use crate::commit_log::scan_published;
use crate::error::StoreResult;
use crate::index_service::IndexService;
use crate::mapped_file_queue::MappedFileQueue;
use crate::properties::{find_property, PROPERTY_KEYS, PROPERTY_UNIQ_KEY};
use crate::record::RecordView;
use crate::service_thread::ServiceThread;

pub struct IndexDispatcher {
    index: Mutex<IndexService>,
    checkpoint: Arc<StoreCheckpoint>,
    commit_log: Arc<MappedFileQueue>,
    /// The next CommitLog offset to index (a record start), advanced only under `index`'s lock.
    next_offset: AtomicU64,
}

impl IndexDispatcher {
    pub fn new(
        index: IndexService,
        checkpoint: Arc<StoreCheckpoint>,
        commit_log: Arc<MappedFileQueue>,
    ) -> IndexDispatcher {
        IndexDispatcher { index: Mutex::new(index), checkpoint, commit_log, next_offset: AtomicU64::new(0) }
    }

    /// Held for a whole batch (recovery): one lock per batch, not per message.
    pub fn lock(&self) -> IndexBatch<'_> {
        IndexBatch { index: self.index.lock(), checkpoint: &self.checkpoint }
    }

    /// Where the follower starts (after recovery, which indexed everything before it).
    pub fn start_at(&self, offset: u64) {
        let _index = self.index.lock();
        self.next_offset.store(offset, Ordering::Release);
    }

    /// Indexes every published record past the cursor (the follower's step; queries run it too).
    pub fn catch_up(&self) -> StoreResult<()> {
        let index = self.index.lock();
        let mut batch = IndexBatch { index, checkpoint: &self.checkpoint };
        let from = self.next_offset.load(Ordering::Acquire);
        let mut reached = from;
        let result = scan_published(&self.commit_log, from, |record, view| {
            batch.dispatch(record, view, view.physical_offset, view.store_timestamp)?;
            reached = view.physical_offset as u64 + u64::from(view.total_size);
            Ok(())
        });
        let next = match &result {
            Ok(next) => *next,
            Err(_) => reached,
        };
        self.next_offset.store(next, Ordering::Release);
        result.map(|_| ())
    }

    /// Physical offsets of records indexed under `topic#key` within `[begin_ms, end_ms]`, newest
    /// first (hash matches: the client re-checks keys), and the index's last update time and offset.
    pub fn query_offsets(&self, topic: &str, key: &str, max_count: usize, begin_ms: i64, end_ms: i64) -> IndexQuery {
        // A failed catch-up is retried by the follower; the query answers from what is indexed.
        let _ = self.catch_up();
        let index = self.index.lock();
        IndexQuery {
            physical_offsets: index.query_offsets(topic, key, max_count, begin_ms, end_ms),
            index_last_update_timestamp: index.end_timestamp(),
            index_last_update_phy_offset: index.end_phy_offset(),
        }
    }

    pub fn delete_expired(&self, min_physical_offset: i64) -> StoreResult<usize> {
        self.index.lock().delete_expired(min_physical_offset)
    }

    pub fn flush(&self) -> StoreResult<()> {
        self.index.lock().flush()
    }
}

pub struct IndexQuery {
    pub physical_offsets: Vec<i64>,
    pub index_last_update_timestamp: i64,
    pub index_last_update_phy_offset: i64,
}

pub struct IndexBatch<'a> {
    index: MutexGuard<'a, IndexService>,
    checkpoint: &'a StoreCheckpoint,
}

impl IndexBatch<'_> {
    /// Indexes one record stored at `physical_offset` at `store_timestamp`.
    pub fn dispatch(
        &mut self,
        record: &[u8],
        view: &RecordView,
        physical_offset: i64,
        store_timestamp: i64,
    ) -> StoreResult<()> {
        let properties = view.properties(record);
        let text = |bytes: &[u8]| std::str::from_utf8(bytes).ok().map(str::to_owned);
        let keys = find_property(properties, PROPERTY_KEYS).and_then(text);
        let uniq_key = find_property(properties, PROPERTY_UNIQ_KEY).and_then(text);
        if keys.is_none() && uniq_key.is_none() {
            return Ok(());
        }
        let Some(topic) = std::str::from_utf8(view.topic(record)).ok() else { return Ok(()) };
        let filled = self.index.build_index(
            topic,
            keys.as_deref(),
            uniq_key.as_deref(),
            physical_offset,
            store_timestamp,
            view.sys_flag,
        )?;
        if let Some(end_timestamp) = filled {
            self.checkpoint.set(CheckpointField::IndexMsgTimestamp, end_timestamp);
            self.checkpoint.flush()?;
        }
        Ok(())
    }
}

/// How often the follower looks for new records. Waking it per append cost a futex wake and a
/// context switch per request (measured: ~4 % more CPU per message at one request in flight).
const FOLLOW_INTERVAL: Duration = Duration::from_millis(10);

/// The `build-index` thread: catches the index up every FOLLOW_INTERVAL (or when woken).
pub struct IndexFollower {
    thread: ServiceThread,
}

impl IndexFollower {
    pub fn start(dispatcher: Arc<IndexDispatcher>) -> IndexFollower {
        let thread = ServiceThread::start("build-index", move |signal| loop {
            let stopped = signal.wait(FOLLOW_INTERVAL, || false);
            // An error (e.g. no space for a new index file) is retried on the next pass.
            let _ = dispatcher.catch_up();
            if stopped {
                return;
            }
        });
        IndexFollower { thread }
    }

    pub fn wake(&self) {
        self.thread.wake();
    }

    pub fn shutdown(&mut self) {
        self.thread.shutdown();
    }
}
