//! StoreCheckpoint: the 4 KiB `checkpoint` file (docs/store-format.md §9.1) telling recovery how far the
//! CommitLog, the ConsumeQueues and the index were known to be on disk. Shared by the store and
//! the flush thread. Depends on `error`.
//!
//! ```text
//! offset size field
//!  0     8    physicMsgTimestamp    store time of the last CommitLog record flushed
//!  8     8    logicsMsgTimestamp    store time of the last record whose ConsumeQueue unit was flushed
//! 16     8    indexMsgTimestamp     end time of the last full index file
//! 24     8    masterFlushedOffset
//! 32     8    confirmPhyOffset
//! 40..4096    zero
//! ```

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::error::{StoreError, StoreResult};

pub const CHECKPOINT_FILE_SIZE_BYTES: u64 = 4096;
const FIELDS: usize = 5;

pub struct StoreCheckpoint {
    file: File,
    fields: [AtomicI64; FIELDS],
}

#[derive(Clone, Copy)]
#[repr(usize)]
pub enum CheckpointField {
    PhysicMsgTimestamp = 0,
    LogicsMsgTimestamp = 1,
    IndexMsgTimestamp = 2,
    MasterFlushedOffset = 3,
    ConfirmPhyOffset = 4,
}

impl StoreCheckpoint {
    /// Opens `path`, creating a zeroed 4 KiB file when it is missing.
    pub fn load(path: &Path) -> StoreResult<StoreCheckpoint> {
        let context = path.display().to_string();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| StoreError::io(&context, e))?;
        if file.metadata().map_err(|e| StoreError::io(&context, e))?.len() < CHECKPOINT_FILE_SIZE_BYTES {
            file.set_len(CHECKPOINT_FILE_SIZE_BYTES).map_err(|e| StoreError::io(&context, e))?;
        }
        let mut bytes = [0u8; FIELDS * 8];
        file.read_exact_at(&mut bytes, 0).map_err(|e| StoreError::io(&context, e))?;
        let fields = std::array::from_fn(|i| {
            AtomicI64::new(i64::from_be_bytes(bytes[i * 8..i * 8 + 8].try_into().expect("8 bytes")))
        });
        Ok(StoreCheckpoint { file, fields })
    }

    pub fn get(&self, field: CheckpointField) -> i64 {
        self.fields[field as usize].load(Ordering::Acquire)
    }

    pub fn set(&self, field: CheckpointField, value: i64) {
        self.fields[field as usize].store(value, Ordering::Release);
    }

    /// `getMinTimestamp`: the older of the CommitLog and ConsumeQueue marks, minus 3 s of slack.
    pub fn min_timestamp(&self) -> i64 {
        let min = self.get(CheckpointField::PhysicMsgTimestamp).min(self.get(CheckpointField::LogicsMsgTimestamp));
        (min - 3000).max(0)
    }

    /// Writes the fields and forces them to disk.
    pub fn flush(&self) -> StoreResult<()> {
        let mut bytes = [0u8; FIELDS * 8];
        for (i, field) in self.fields.iter().enumerate() {
            bytes[i * 8..i * 8 + 8].copy_from_slice(&field.load(Ordering::Acquire).to_be_bytes());
        }
        self.file.write_all_at(&bytes, 0).map_err(|e| StoreError::io("write checkpoint", e))?;
        self.file.sync_data().map_err(|e| StoreError::io("fdatasync checkpoint", e))
    }
}
