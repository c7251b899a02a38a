//! The store's reads (Java `DefaultMessageStore#getMessage`, `#queryMessage`,
//! `#lookMessageByOffset`, `#getOffsetInQueueByTime`, `#getEarliestMessageTime`): by queue
//! position, by key, by physical offset, by time, and the queues' offsets.
//! Depends on the store's parts (`super`).

use super::MessageStore;
use crate::config::FlushDiskType;
use crate::consume_queue::CqUnit;
use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::get_message::{GetMessageRequest, GetMessageResult, GetMessageStatus, QueryMessageResult};
use crate::message_reader::{read_from_queue, QueueSource};
use crate::record::{read_i32, read_i64, POS_SYS_FLAG, SYS_FLAG_BORN_HOST_V6};

impl MessageStore {
    /// Messages of (topic, queueId) from `queue_offset` (`DefaultMessageStore.getMessage`).
    pub fn get_messages(
        &mut self,
        topic: &str,
        queue_id: i32,
        queue_offset: i64,
        request: &GetMessageRequest<'_>,
    ) -> StoreResult<GetMessageResult> {
        self.check_queue_id(queue_id)?;
        let mut result = GetMessageResult {
            status: GetMessageStatus::NoMatchedLogicQueue,
            next_begin_offset: 0,
            min_offset: 0,
            max_offset: 0,
            message_count: 0,
            buffer: Vec::new(),
        };
        let Some(queue) = self.queues.get(topic.as_bytes(), queue_id as usize) else {
            // Compat: Java's findConsumeQueue creates the missing queue, so a queue never written
            // to answers NO_MESSAGE_IN_QUEUE (a real pull on a fresh queue shows that remark).
            result.status = GetMessageStatus::NoMessageInQueue;
            return Ok(result);
        };
        let cq = &queue.consume_queue;
        let (min, max) = (cq.min_offset_in_queue(self.commit_log.min_offset()), cq.max_offset_in_queue());
        result.min_offset = min;
        result.max_offset = max;
        (result.status, result.next_begin_offset) = match queue_offset {
            _ if max == 0 => (GetMessageStatus::NoMessageInQueue, 0),
            offset if offset < min => (GetMessageStatus::OffsetTooSmall, min),
            offset if offset == max => (GetMessageStatus::OffsetOverflowOne, offset),
            offset if offset > max => (GetMessageStatus::OffsetOverflowBadly, max),
            _ => {
                // The confirm offset: under SYNC_FLUSH a record is readable once it is on disk;
                // with the TransientStorePool once it is committed to its file.
                let readable_end = match self.config.flush_disk_type {
                    FlushDiskType::SyncFlush => self.flush_service.flushed_offset(),
                    FlushDiskType::AsyncFlush => self.commit_log.max_offset(),
                };
                let queue = self.queues.get(topic.as_bytes(), queue_id as usize).expect("found above");
                let source =
                    QueueSource { consume_queue: &queue.consume_queue, commit_log: &self.commit_log, readable_end };
                return Ok(read_from_queue(&source, queue_offset, request, result, &mut self.units));
            }
        };
        Ok(result)
    }

    /// `queryMessage`: the records indexed under `topic#key` stored within `[begin_ms, end_ms]`,
    /// newest first, at most `max_count` (capped at `maxMsgsNumBatch`), back to back in one buffer.
    pub fn query_message(
        &self,
        topic: &str,
        key: &str,
        max_count: u32,
        begin_ms: i64,
        end_ms: i64,
    ) -> StoreResult<QueryMessageResult> {
        let Some(index) = &self.index else {
            return Err(StoreError::new(ErrorCode::InvalidArg, "messageIndexEnable is off: no index to query"));
        };
        let max_count = max_count.clamp(1, self.config.max_msgs_num_batch) as usize;
        let query = index.query_offsets(topic, key, max_count, begin_ms, end_ms);
        let mut result = QueryMessageResult {
            buffer: Vec::new(),
            message_count: 0,
            index_last_update_timestamp: query.index_last_update_timestamp,
            index_last_update_phy_offset: query.index_last_update_phy_offset,
        };
        for offset in query.physical_offsets {
            // A record expired since it was indexed is skipped.
            if let Ok(record) = self.commit_log.read_record(offset as u64) {
                result.buffer.extend_from_slice(&record);
                result.message_count += 1;
            }
        }
        Ok(result)
    }

    /// One whole record at `physical_offset`.
    pub fn get_message_by_offset(&self, physical_offset: i64) -> StoreResult<Vec<u8>> {
        if physical_offset < 0 {
            return Err(StoreError::new(
                ErrorCode::OffsetIllegal,
                format!("negative physical offset {physical_offset}"),
            ));
        }
        self.commit_log.read_record(physical_offset as u64)
    }

    /// The whole records at `physical_offsets`, back to back in one buffer, in the order asked; an
    /// offset with no readable record (expired, or not a record start) is skipped. Returns the
    /// buffer and how many records it holds.
    pub fn get_messages_by_offsets(&self, physical_offsets: &[i64]) -> (Vec<u8>, usize) {
        let mut out = Vec::new();
        let mut count = 0;
        for &offset in physical_offsets {
            if let Ok(record) = self.get_message_by_offset(offset) {
                out.extend_from_slice(&record);
                count += 1;
            }
        }
        (out, count)
    }

    pub fn min_offset_in_queue(&self, topic: &str, queue_id: i32) -> StoreResult<i64> {
        self.check_queue_id(queue_id)?;
        let min_physical_offset = self.commit_log.min_offset();
        Ok(self
            .queues
            .get(topic.as_bytes(), queue_id as usize)
            .map_or(0, |q| q.consume_queue.min_offset_in_queue(min_physical_offset)))
    }

    pub fn max_offset_in_queue(&self, topic: &str, queue_id: i32) -> StoreResult<i64> {
        self.check_queue_id(queue_id)?;
        Ok(self.queues.get(topic.as_bytes(), queue_id as usize).map_or(0, |q| q.consume_queue.max_offset_in_queue()))
    }

    /// `getOffsetInQueueByTime` (SEARCH_OFFSET_BY_TIMESTAMP, resetOffsetByTime): the first queue
    /// offset whose message was stored at or after `timestamp_ms` (binary search on store times),
    /// the max offset when every message is older, 0 for an empty queue.
    pub fn offset_in_queue_by_time(&self, topic: &str, queue_id: i32, timestamp_ms: i64) -> StoreResult<i64> {
        self.check_queue_id(queue_id)?;
        let Some(queue) = self.queues.get(topic.as_bytes(), queue_id as usize) else { return Ok(0) };
        let cq = &queue.consume_queue;
        let (mut low, mut high) = (cq.min_offset_in_queue(self.commit_log.min_offset()), cq.max_offset_in_queue());
        while low < high {
            let middle = low + (high - low) / 2;
            let stored_at = cq.unit_at(middle).and_then(|unit| self.store_time_of(&unit));
            match stored_at {
                Some(time) if time >= timestamp_ms => high = middle,
                _ => low = middle + 1,
            }
        }
        Ok(low)
    }

    /// `getEarliestMessageTime` (GET_EARLIEST_MSG_STORETIME): the store time of the queue's first
    /// message still on disk, -1 when there is none.
    pub fn earliest_message_store_time(&self, topic: &str, queue_id: i32) -> StoreResult<i64> {
        self.check_queue_id(queue_id)?;
        let Some(queue) = self.queues.get(topic.as_bytes(), queue_id as usize) else { return Ok(-1) };
        let cq = &queue.consume_queue;
        let first = cq.min_offset_in_queue(self.commit_log.min_offset());
        Ok(cq.unit_at(first).and_then(|unit| self.store_time_of(&unit)).unwrap_or(-1))
    }

    /// STORETIMESTAMP of the record a unit points at (`pickupStoreTimestamp`: 56, or 68 after an IPv6 born host).
    fn store_time_of(&self, unit: &CqUnit) -> Option<i64> {
        if *unit == CqUnit::BLANK || unit.size < 76 {
            return None;
        }
        self.commit_log.with_bytes(unit.commit_log_offset as u64, 76, |head| {
            let born_v6 = read_i32(head, POS_SYS_FLAG) & SYS_FLAG_BORN_HOST_V6 != 0;
            read_i64(head, if born_v6 { 68 } else { 56 })
        })
    }
}
