//! AllocateMappedFileService: a background thread that pre-creates the next CommitLog file and
//! pre-faults pages ahead of the append position, so the append path never creates a file or
//! takes a first-touch page fault when the thread keeps up. Depends on `mapped_file`.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

use parking_lot::{Condvar, Mutex};

use crate::error::StoreResult;
use crate::mapped_file::MappedFile;

/// Bound on queued warm requests; older ones are dropped when the thread falls behind.
const MAX_WARM_REQUESTS: usize = 64;

struct WarmRequest {
    file: Arc<MappedFile>,
    from: u64,
    to: u64,
}

#[derive(Default)]
struct State {
    wanted: Option<u64>,
    in_progress: Option<u64>,
    ready: Option<Arc<MappedFile>>,
    warm: VecDeque<WarmRequest>,
    stopped: bool,
}

struct Shared {
    dir: PathBuf,
    file_size: u64,
    first_warm_bytes: u64,
    state: Mutex<State>,
    changed: Condvar,
}

pub struct AllocateService {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl AllocateService {
    pub fn start(dir: PathBuf, file_size: u64, first_warm_bytes: u64) -> AllocateService {
        let shared = Arc::new(Shared {
            dir,
            file_size,
            first_warm_bytes,
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("allocate-mapped-file".into())
            .spawn(move || run(&worker))
            .expect("spawn allocate-mapped-file thread");
        AllocateService {
            shared,
            thread: Some(thread),
        }
    }

    /// The file starting at `offset`: taken from the pre-created one, waiting for it when it is
    /// being created, else created inline. Then asks for the file after it.
    pub fn take_or_create(&self, offset: u64) -> StoreResult<Arc<MappedFile>> {
        let mut state = self.shared.state.lock();
        while state.in_progress == Some(offset) {
            self.shared.changed.wait(&mut state);
        }
        let ready = state.ready.take().filter(|f| f.file_from_offset() == offset);
        state.wanted = Some(offset + self.shared.file_size);
        drop(state);
        self.shared.changed.notify_all();
        match ready {
            Some(file) => Ok(file),
            None => Ok(Arc::new(MappedFile::create(&self.shared.dir, offset, self.shared.file_size)?)),
        }
    }

    /// Asks the thread to pre-fault `[from, to)` of `file`.
    pub fn warm(&self, file: Arc<MappedFile>, from: u64, to: u64) {
        let mut state = self.shared.state.lock();
        if state.warm.len() >= MAX_WARM_REQUESTS {
            state.warm.pop_front();
        }
        state.warm.push_back(WarmRequest { file, from, to });
        drop(state);
        self.shared.changed.notify_all();
    }

    /// Drops a pre-created file that is not needed (e.g. after truncation), deleting it from disk.
    pub fn discard_ready(&self) {
        let mut state = self.shared.state.lock();
        while state.in_progress.is_some() {
            self.shared.changed.wait(&mut state);
        }
        state.wanted = None;
        if let Some(file) = state.ready.take() {
            if let Ok(file) = Arc::try_unwrap(file) {
                let _ = file.destroy();
            }
        }
    }
}

impl Drop for AllocateService {
    fn drop(&mut self) {
        self.shared.state.lock().stopped = true;
        self.shared.changed.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(shared: &Shared) {
    loop {
        let mut state = shared.state.lock();
        while !state.stopped && state.wanted.is_none() && state.warm.is_empty() {
            shared.changed.wait(&mut state);
        }
        if state.stopped {
            return;
        }
        if let Some(offset) = state.wanted.take() {
            if state.ready.as_ref().is_some_and(|f| f.file_from_offset() == offset) {
                continue;
            }
            state.in_progress = Some(offset);
            drop(state);
            // A failure here is not fatal: the append path creates the file inline and reports its own error.
            let created = MappedFile::create(&shared.dir, offset, shared.file_size).ok().map(Arc::new);
            if let Some(file) = &created {
                file.warm(0, shared.first_warm_bytes);
            }
            let mut state = shared.state.lock();
            state.in_progress = None;
            state.ready = created;
            drop(state);
            shared.changed.notify_all();
        } else if let Some(request) = state.warm.pop_front() {
            drop(state);
            request.file.warm(request.from, request.to);
        }
    }
}
