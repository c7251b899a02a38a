//! The replication side of the store (docs/replication.md): a slave's raw appends of the bytes its
//! master sent, dispatched to the ConsumeQueues by the recovery dispatch, and the signal that wakes a
//! master's transfer threads after each append. Depends on the store's parts (`super`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::recovery::dispatch_recovered;
use super::MessageStore;
use crate::commit_log::scan_published;
use crate::error::StoreResult;
use crate::ha::AppendSignal;

impl MessageStore {
    /// The signal raised after every append (ours or a master's bytes): the HA transfer threads wait on it.
    pub fn append_signal(&self) -> Arc<AppendSignal> {
        Arc::clone(&self.append_signal)
    }

    /// The CommitLog segment files, for the HA transfer threads that read them without the store.
    pub fn commit_log_files(&self) -> Arc<crate::mapped_file_queue::MappedFileQueue> {
        Arc::clone(self.commit_log.files())
    }

    /// Makes this a slave's store: from now on only `append_replica` writes.
    pub fn set_read_only_replica(&mut self) {
        self.read_only_replica = true;
    }

    /// A slave's append: `bytes` land at `offset` byte for byte (`offset` must be the log's end),
    /// then every whole record now readable is dispatched to its ConsumeQueue, as recovery does; a
    /// record cut by the chunk's end waits for the next chunk. Returns the new CommitLog end.
    pub fn append_replica(&mut self, offset: u64, bytes: &[u8]) -> StoreResult<u64> {
        let end = self.commit_log.append_raw(offset, bytes)?;
        let queues = &mut self.queues;
        let delay_levels = &self.delay_levels;
        let mut last_timestamp = 0;
        let files = Arc::clone(self.commit_log.files());
        self.replica_dispatched = scan_published(&files, self.replica_dispatched, |record, view| {
            last_timestamp = view.store_timestamp;
            dispatch_recovered(queues, delay_levels, record, view)
        })?;
        for queue in self.queues.queues_mut() {
            queue.consume_queue.commit()?;
            queue.next_queue_offset = queue.consume_queue.max_offset_in_queue();
        }
        if last_timestamp != 0 {
            self.logics_timestamp.store(last_timestamp, Ordering::Release);
        }
        if let Some(commit_service) = &self.commit_service {
            commit_service.wake();
        }
        self.append_signal.raise();
        Ok(end)
    }
}
