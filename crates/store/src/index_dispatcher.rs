//! CommitLogDispatcherBuildIndex (store.md §6, §8): feeds each dispatched record's KEYS and
//! UNIQ_KEY to the IndexService, records a filled index file's end time in the checkpoint, and
//! answers queries by key (`queryMessage`). Shared with the clean thread for expiry.
//! Depends on `index_service`, `checkpoint`, `properties`, `record`.

use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};

use crate::checkpoint::{CheckpointField, StoreCheckpoint};
use crate::error::StoreResult;
use crate::index_service::IndexService;
use crate::properties::{find_property, PROPERTY_KEYS, PROPERTY_UNIQ_KEY};
use crate::record::RecordView;

pub struct IndexDispatcher {
    index: Mutex<IndexService>,
    checkpoint: Arc<StoreCheckpoint>,
}

impl IndexDispatcher {
    pub fn new(index: IndexService, checkpoint: Arc<StoreCheckpoint>) -> IndexDispatcher {
        IndexDispatcher { index: Mutex::new(index), checkpoint }
    }

    /// Held for a whole batch: one lock per batch, not per message.
    pub fn lock(&self) -> IndexBatch<'_> {
        IndexBatch { index: self.index.lock(), checkpoint: &self.checkpoint }
    }

    /// Physical offsets of records indexed under `topic#key` within `[begin_ms, end_ms]`, newest
    /// first (hash matches: the client re-checks keys), and the index's last update time and offset.
    pub fn query_offsets(&self, topic: &str, key: &str, max_count: usize, begin_ms: i64, end_ms: i64) -> IndexQuery {
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
