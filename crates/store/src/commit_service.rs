//! CommitRealTimeService (store.md §5): with the TransientStorePool on, writes the bytes appends
//! left in pool buffers into the CommitLog files every `commitIntervalCommitLog`, or sooner when
//! an append wakes it (`wakeCommitWhenPutMessage`) and `commitCommitLogLeastPages` pages wait;
//! everything every `commitCommitLogThoroughInterval`. Readers see data once it is committed.
//! Depends on `mapped_file_queue`, `transient_store_pool`.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::config::StoreConfig;
use crate::mapped_file_queue::MappedFileQueue;
use crate::transient_store_pool::TransientStorePool;

#[derive(Default)]
struct State {
    woken: bool,
    stopped: bool,
}

struct Shared {
    files: Arc<MappedFileQueue>,
    pool: Arc<TransientStorePool>,
    interval: Duration,
    least_pages: u64,
    thorough_interval: Duration,
    state: Mutex<State>,
    wake: Condvar,
}

pub struct CommitService {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl CommitService {
    pub fn start(files: Arc<MappedFileQueue>, pool: Arc<TransientStorePool>, config: &StoreConfig) -> CommitService {
        let shared = Arc::new(Shared {
            files,
            pool,
            interval: Duration::from_millis(config.commit_interval_commit_log_ms),
            least_pages: config.commit_commit_log_least_pages,
            thorough_interval: Duration::from_millis(config.commit_commit_log_thorough_interval_ms),
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        });
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("commit-commit-log".into())
            .spawn(move || run(&worker))
            .expect("spawn commit-commit-log thread");
        CommitService { shared, thread: Some(thread) }
    }

    /// Called after an append batch.
    pub fn wake(&self) {
        let mut state = self.shared.state.lock();
        if !state.woken {
            state.woken = true;
            drop(state);
            self.shared.wake.notify_one();
        }
    }

    /// Stops the thread after committing everything.
    pub fn shutdown(&mut self) {
        self.shared.state.lock().stopped = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for CommitService {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn run(shared: &Shared) {
    let mut last_thorough = Instant::now();
    loop {
        let stopped = {
            let mut state = shared.state.lock();
            if !state.woken && !state.stopped {
                shared.wake.wait_for(&mut state, shared.interval);
            }
            state.woken = false;
            state.stopped
        };
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
