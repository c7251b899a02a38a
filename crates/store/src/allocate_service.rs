//! AllocateMappedFileService: a background thread that pre-creates (opens, sizes and maps) the next
//! CommitLog file, so the append path does not stop to create one when the thread keeps up.
//! Depends on `mapped_file`.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

use parking_lot::{Condvar, Mutex};

use crate::error::StoreResult;
use crate::mapped_file::MappedFile;

#[derive(Default)]
struct State {
    wanted: Option<u64>,
    in_progress: Option<u64>,
    ready: Option<Arc<MappedFile>>,
    stopped: bool,
}

struct Shared {
    dir: PathBuf,
    file_size: u64,
    state: Mutex<State>,
    changed: Condvar,
}

pub struct AllocateService {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl AllocateService {
    pub fn start(dir: PathBuf, file_size: u64) -> AllocateService {
        let shared = Arc::new(Shared { dir, file_size, state: Mutex::new(State::default()), changed: Condvar::new() });
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("allocate-mapped-file".into())
            .spawn(move || run(&worker))
            .expect("spawn allocate-mapped-file thread");
        AllocateService { shared, thread: Some(thread) }
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
        while !state.stopped && state.wanted.is_none() {
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
            let mut state = shared.state.lock();
            state.in_progress = None;
            state.ready = created;
            drop(state);
            shared.changed.notify_all();
        }
    }
}
