//! The read path by queue position (`DefaultMessageStore.getMessage`'s loop): walks ConsumeQueue
//! units from an offset, applies the tag filter and the byte and count budgets, and copies the
//! raw records into one buffer. Depends on `consume_queue`, `commit_log`, `get_message`.

use crate::commit_log::CommitLog;
use crate::consume_queue::{ConsumeQueue, CqUnit};
use crate::get_message::{GetMessageRequest, GetMessageResult, GetMessageStatus};

/// Units scanned at most per read when a filter skips them (`maxFilterMessageSize` 16000 / 20).
const MAX_FILTERED_UNITS_PER_READ: usize = 800;

/// Where a read looks: the queue, the log, and the confirm offset records must end below.
pub struct QueueSource<'a> {
    pub consume_queue: &'a ConsumeQueue,
    pub commit_log: &'a CommitLog,
    pub readable_end: u64,
}

/// Reads from `queue_offset`, which lies inside `[result.min_offset, result.max_offset)`.
/// `units` is a reused scratch vector.
pub fn read_from_queue(
    source: &QueueSource<'_>,
    queue_offset: i64,
    request: &GetMessageRequest<'_>,
    mut result: GetMessageResult,
    units: &mut Vec<CqUnit>,
) -> GetMessageResult {
    let max_count = request.max_count.max(1) as usize;
    let scan_limit = MAX_FILTERED_UNITS_PER_READ.max(max_count);
    result.status = GetMessageStatus::NoMatchedMessage;
    let mut next = queue_offset;
    let mut scanned = 0usize;
    'read: while scanned < scan_limit && next < result.max_offset {
        if !source.consume_queue.units_from(next, scan_limit - scanned, units) {
            result.status = GetMessageStatus::OffsetFoundNull;
            break;
        }
        if units.is_empty() {
            break;
        }
        for unit in units.iter() {
            let full_by_size =
                result.message_count > 0 && result.buffer.len() as u64 + unit.size as u64 > request.max_size_bytes;
            let unflushed = unit.commit_log_offset as u64 + unit.size as u64 > source.readable_end;
            if result.message_count as usize >= max_count || full_by_size || unflushed {
                break 'read;
            }
            next += 1;
            scanned += 1;
            if *unit == CqUnit::BLANK || !request.tag_codes.is_none_or(|codes| codes.contains(&unit.tags_code)) {
                continue;
            }
            let copied = source.commit_log.with_bytes(unit.commit_log_offset as u64, unit.size as u64, |bytes| {
                result.buffer.extend_from_slice(bytes)
            });
            match copied {
                Some(()) => result.message_count += 1,
                None if result.message_count == 0 => result.status = GetMessageStatus::MessageWasRemoving,
                None => {}
            }
        }
    }
    if result.message_count > 0 {
        result.status = GetMessageStatus::Found;
    }
    result.next_begin_offset = next;
    result
}
