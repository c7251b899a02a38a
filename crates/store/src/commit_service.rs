//! CommitRealTimeService (docs/store-format.md §5): with the TransientStorePool on, writes the bytes appends
//! left in pool buffers into the CommitLog files every `commitIntervalCommitLog`, or sooner when
//! an append wakes it (`wakeCommitWhenPutMessage`) and `commitCommitLogLeastPages` pages wait;
//! everything every `commitCommitLogThoroughInterval`. Readers see data once it is committed.
//! Depends on `mapped_file_queue`, `transient_store_pool`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::StoreConfig;
use crate::mapped_file_queue::MappedFileQueue;
use crate::service_thread::{ServiceThread, Signal};
use crate::transient_store_pool::TransientStorePool;

struct Shared {
    files: Arc<MappedFileQueue>,
    pool: Arc<TransientStorePool>,
    interval: Duration,
    least_pages: u64,
    thorough_interval: Duration,
}

pub struct CommitService {
    thread: ServiceThread,
}

impl CommitService {
    pub fn start(files: Arc<MappedFileQueue>, pool: Arc<TransientStorePool>, config: &StoreConfig) -> CommitService {
        let shared = Shared {
            files,
            pool,
            interval: Duration::from_millis(config.commit_interval_commit_log_ms),
            least_pages: config.commit_commit_log_least_pages,
            thorough_interval: Duration::from_millis(config.commit_commit_log_thorough_interval_ms),
        };
        CommitService { thread: ServiceThread::start("commit-commit-log", move |signal| run(&shared, signal)) }
    }

    /// Called after an append batch.
    pub fn wake(&self) {
        self.thread.wake();
    }

    /// Stops the thread after committing everything.
    pub fn shutdown(&mut self) {
        self.thread.shutdown();
    }
}

fn run(shared: &Shared, signal: &Signal) {
    let mut last_thorough = Instant::now();
    loop {
        let stopped = signal.wait(shared.interval, || false);
        let thorough = stopped || last_thorough.elapsed() >= shared.thorough_interval;
        if thorough {
            last_thorough = Instant::now();
        }
        let least_pages = if thorough { 0 } else { shared.least_pages };
        // An I/O error leaves the bytes in the buffer: readers do not see them, and the next pass
        // (or the sync flush, which reports errors to its waiters) tries again.
        let _ = shared.files.commit(least_pages, Some(&shared.pool));
        if stopped {
            return;
        }
    }
}
