//! Recovery on open (docs/store-format.md §9.3): where to start re-dispatching (after the ConsumeQueues' end
//! after a clean shutdown, from the checkpoint's file after a crash), the CommitLog scan that cuts
//! a torn or corrupt tail, and the ConsumeQueue and index units it rebuilds or drops.
//! Depends on the store's parts (`super`).

use super::MessageStore;
use crate::consume_queue::CqUnit;
use crate::delay_level::DelayLevelTable;
use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::queue_table::QueueTable;
use crate::record::{validate_topic_name, RecordView, TRANSACTION_COMMIT_TYPE, TRANSACTION_NOT_TYPE};

impl MessageStore {
    /// Re-dispatches records past the ConsumeQueues' end (normal) or from the checkpoint's
    /// file (abnormal), cuts a torn or corrupt CommitLog tail and every ConsumeQueue unit past
    /// it, and rebuilds the next queue offsets (docs/store-format.md §9.3).
    pub(super) fn recover(&mut self, last_exit_ok: bool) -> StoreResult<()> {
        let dispatch_from = if last_exit_ok {
            self.queues.queues().map(|q| q.consume_queue.max_physic_offset()).max().unwrap_or(0) as u64
        } else {
            self.commit_log.abnormal_recovery_start(self.checkpoint.min_timestamp())
        };
        let queues = &mut self.queues;
        let delay_levels = &self.delay_levels;
        let mut index = self.index.as_ref().map(|index| index.lock());
        let process_offset =
            self.commit_log.recover(dispatch_from, self.config.check_crc_on_recover, |record, view| {
                if let Some(index) = &mut index {
                    index.dispatch(record, view, view.physical_offset, view.store_timestamp)?;
                }
                dispatch_recovered(queues, delay_levels, record, view)
            })?;
        drop(index);
        for queue in self.queues.queues_mut() {
            queue.consume_queue.commit()?;
            queue.consume_queue.truncate_dirty(process_offset as i64)?;
            queue.next_queue_offset = queue.consume_queue.max_offset_in_queue();
        }
        Ok(())
    }
}

/// Recovery dispatch: re-writes the ConsumeQueue unit of a record found past the queues' end.
pub(super) fn dispatch_recovered(
    queues: &mut QueueTable,
    delay_levels: &DelayLevelTable,
    record: &[u8],
    view: &RecordView,
) -> StoreResult<()> {
    let transaction_type = view.transaction_type();
    if transaction_type != TRANSACTION_NOT_TYPE && transaction_type != TRANSACTION_COMMIT_TYPE {
        return Ok(());
    }
    let topic = view.topic(record);
    if validate_topic_name(topic).is_err() || view.queue_id < 0 {
        return Err(StoreError::new(
            ErrorCode::Corrupt,
            format!("record at {} has an unusable topic or queue id {}", view.physical_offset, view.queue_id),
        ));
    }
    let index = queues.index_of_or_load(topic, view.queue_id as usize)?;
    let queue = queues.at(index);
    let unit = CqUnit {
        commit_log_offset: view.physical_offset,
        size: view.total_size as i32,
        tags_code: delay_levels.dispatch_tags_code(topic, view.properties(record), view.store_timestamp),
    };
    queue.consume_queue.put(view.queue_offset, unit)
}
