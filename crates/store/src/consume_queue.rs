//! ConsumeQueue: the per-(topic, queueId) index of 20-byte units pointing into the CommitLog
//! (docs/store-format.md §7). Unit for queue offset q sits at logical byte q × 20. Depends on `mapped_file_queue`.
//!
//! ```text
//! offset size field
//!  0     8    commitLogOffset  physical offset of the record
//!  8     4    size             the record's TOTALSIZE
//! 12     8    tagsCode         hash of TAGS (or the deliver time for SCHEDULE_TOPIC_XXXX)
//! ```

use std::path::Path;
use std::sync::Arc;

use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::limits::CQ_UNIT_SIZE_BYTES;
use crate::mapped_file_queue::MappedFileQueue;
use crate::record::{read_i32, read_i64};

const UNIT: u64 = CQ_UNIT_SIZE_BYTES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CqUnit {
    pub commit_log_offset: i64,
    pub size: i32,
    pub tags_code: i64,
}

impl CqUnit {
    /// `fillPreBlank` units stand for offsets before the queue's first real unit.
    pub const BLANK: CqUnit = CqUnit { commit_log_offset: 0, size: i32::MAX, tags_code: 0 };

    fn encode(&self) -> [u8; UNIT as usize] {
        let mut bytes = [0u8; UNIT as usize];
        bytes[0..8].copy_from_slice(&self.commit_log_offset.to_be_bytes());
        bytes[8..12].copy_from_slice(&self.size.to_be_bytes());
        bytes[12..20].copy_from_slice(&self.tags_code.to_be_bytes());
        bytes
    }

    fn decode(bytes: &[u8]) -> CqUnit {
        CqUnit { commit_log_offset: read_i64(bytes, 0), size: read_i32(bytes, 8), tags_code: read_i64(bytes, 12) }
    }

    /// A unit recovery accepts: `offset >= 0 && size > 0`.
    fn is_valid(&self) -> bool {
        self.commit_log_offset >= 0 && self.size > 0
    }
}

pub struct ConsumeQueue {
    files: Arc<MappedFileQueue>,
    /// Units put since the last commit, to be written in one `pwrite` at `pending_position`
    /// of the last file.
    pending: Vec<u8>,
    pending_position: u64,
    /// Logical byte offset of the first unit still meaningful (advanced past pre-filled blanks).
    min_logic_offset: u64,
    /// End (offset + size) of the last CommitLog record this queue points at.
    max_physic_offset: i64,
}

impl ConsumeQueue {
    /// Loads the queue in `dir` and finds its end: the first unit with `offset < 0 || size <= 0`.
    pub fn load(dir: &Path, units_per_file: u64) -> StoreResult<ConsumeQueue> {
        let files = Arc::new(MappedFileQueue::load(dir, units_per_file * UNIT, None)?);
        let mut queue =
            ConsumeQueue { files, pending: Vec::new(), pending_position: 0, min_logic_offset: 0, max_physic_offset: 0 };
        queue.recover_end()?;
        Ok(queue)
    }

    fn recover_end(&mut self) -> StoreResult<()> {
        let files = self.files.files();
        let Some(last) = files.last() else { return Ok(()) };
        let bytes = last.read_unpublished(0);
        let valid_units =
            bytes.chunks_exact(UNIT as usize).take_while(|chunk| CqUnit::decode(chunk).is_valid()).count() as u64;
        self.files.truncate_dirty_files(last.file_from_offset() + valid_units * UNIT)?;
        self.min_logic_offset = self.first_real_unit_offset();
        self.max_physic_offset = self.last_unit().map_or(0, |u| u.commit_log_offset + i64::from(u.size));
        Ok(())
    }

    /// Skips the leading blank units of the first file.
    fn first_real_unit_offset(&self) -> u64 {
        let Some(first) = self.files.first() else { return 0 };
        let bytes = first.read(0, first.wrote_position());
        let blanks =
            bytes.chunks_exact(UNIT as usize).take_while(|chunk| CqUnit::decode(chunk) == CqUnit::BLANK).count() as u64;
        first.file_from_offset() + blanks * UNIT
    }

    fn last_unit(&self) -> Option<CqUnit> {
        let max = self.files.max_offset();
        (max >= UNIT).then(|| self.unit_at_byte(max - UNIT)).flatten()
    }

    /// The unit at `queue_offset`, if it is written.
    pub fn unit_at(&self, queue_offset: i64) -> Option<CqUnit> {
        u64::try_from(queue_offset).ok().and_then(|offset| self.unit_at_byte(offset * UNIT))
    }

    fn unit_at_byte(&self, logic_offset: u64) -> Option<CqUnit> {
        let file = self.files.find_by_offset(logic_offset)?;
        let pos = logic_offset - file.file_from_offset();
        (pos + UNIT <= file.wrote_position()).then(|| CqUnit::decode(file.read(pos, UNIT)))
    }

    /// The next queue offset to be written (units put but not yet committed included).
    pub fn max_offset_in_queue(&self) -> i64 {
        (self.logical_end() / UNIT) as i64
    }
    /// The first queue offset whose record is still in the CommitLog (`correctMinOffset`): past
    /// deleted ConsumeQueue files, pre-filled blanks, and units pointing below
    /// `min_physical_offset` (the CommitLog's first byte).
    pub fn min_offset_in_queue(&self, min_physical_offset: u64) -> i64 {
        let gone = |u: CqUnit| u == CqUnit::BLANK || (u.commit_log_offset as u64) < min_physical_offset;
        let base = self.min_logic_offset.max(self.files.min_offset());
        for file in self.files.files() {
            let (from, end) = (file.file_from_offset(), file.file_from_offset() + file.read_position());
            let start = base.max(from);
            if start + UNIT > end || gone(CqUnit::decode(file.read(end - from - UNIT, UNIT))) {
                continue;
            }
            // Units are ordered by physical offset: binary search for the first one still there.
            let (mut low, mut high) = ((start - from) / UNIT, (end - from) / UNIT);
            while low < high {
                let mid = low + (high - low) / 2;
                if gone(CqUnit::decode(file.read(mid * UNIT, UNIT))) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return ((from + low * UNIT) / UNIT) as i64;
        }
        (self.logical_end().max(base) / UNIT) as i64
    }
    pub fn max_physic_offset(&self) -> i64 {
        self.max_physic_offset
    }

    fn logical_end(&self) -> u64 {
        match self.pending.is_empty() {
            true => self.files.max_offset(),
            false => {
                self.files.last().map_or(0, |f| f.file_from_offset())
                    + self.pending_position
                    + self.pending.len() as u64
            }
        }
    }

    /// Queues the unit for `queue_offset` (`putMessagePositionInfo`); [`commit`](Self::commit)
    /// writes it. A unit the queue already covers is skipped; a gap is a broken invariant and
    /// fails loudly.
    pub fn put(&mut self, queue_offset: i64, unit: CqUnit) -> StoreResult<()> {
        if unit.commit_log_offset + i64::from(unit.size) <= self.max_physic_offset {
            return Ok(());
        }
        assert!(queue_offset >= 0, "negative queue offset {queue_offset}");
        let expect = queue_offset as u64 * UNIT;
        let end = self.logical_end();
        if expect < end {
            return Ok(());
        }
        let file_size = self.files.file_size();
        let pending_full = self.pending_position + self.pending.len() as u64 == file_size;
        if self.pending.is_empty() || pending_full {
            self.commit()?;
            let file = self.files.last_or_create(expect)?;
            if file.wrote_position() == 0 && queue_offset != 0 && self.files.files().len() == 1 {
                self.fill_pre_blank(&file, expect)?;
            }
            self.pending_position = file.wrote_position();
        }
        let end = self.logical_end();
        if expect != end {
            return Err(StoreError::new(
                ErrorCode::Corrupt,
                format!(
                    "consume queue {}: unit for offset {queue_offset} would land at byte {end}, expected {expect}",
                    self.files.dir().display()
                ),
            ));
        }
        self.pending.extend_from_slice(&unit.encode());
        self.max_physic_offset = unit.commit_log_offset + i64::from(unit.size);
        Ok(())
    }

    /// Writes the pending units and publishes them.
    pub fn commit(&mut self) -> StoreResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let file = self.files.last().expect("pending units have a file");
        file.write_at(self.pending_position, &self.pending)?;
        file.set_wrote_position(self.pending_position + self.pending.len() as u64);
        self.pending.clear();
        Ok(())
    }

    /// The first file of a queue that starts past 0 is filled with blank units up to `expect`.
    fn fill_pre_blank(&mut self, file: &crate::mapped_file::MappedFile, expect: u64) -> StoreResult<()> {
        let count = ((expect - file.file_from_offset()) / UNIT) as usize;
        let blanks: Vec<u8> = CqUnit::BLANK.encode().repeat(count);
        file.write_at(0, &blanks)?;
        file.set_wrote_position(blanks.len() as u64);
        self.min_logic_offset = expect;
        Ok(())
    }

    /// Units from `queue_offset`, at most `max_count`, stopping at the end of a file.
    pub fn units_from(&self, queue_offset: i64, max_count: usize, out: &mut Vec<CqUnit>) -> bool {
        out.clear();
        let logic = queue_offset as u64 * UNIT;
        let Some(file) = self.files.find_by_offset(logic) else { return false };
        let position = logic - file.file_from_offset();
        let available = file.wrote_position().saturating_sub(position) / UNIT;
        let count = available.min(max_count as u64);
        let bytes = file.read(position, count * UNIT);
        out.extend(bytes.chunks_exact(UNIT as usize).map(CqUnit::decode));
        true
    }

    /// Removes units pointing at or past `phys_end` (`truncateDirtyLogicFiles`).
    pub fn truncate_dirty(&mut self, phys_end: i64) -> StoreResult<()> {
        if self.max_physic_offset <= phys_end {
            return Ok(());
        }
        let mut cut = self.files.max_offset();
        while cut >= UNIT + self.files.min_offset() {
            match self.unit_at_byte(cut - UNIT) {
                Some(unit) if unit != CqUnit::BLANK && unit.commit_log_offset >= phys_end => cut -= UNIT,
                _ => break,
            }
        }
        if cut == self.files.min_offset() && self.files.files().len() == 1 && cut == 0 {
            self.files.destroy_all()?;
        } else {
            self.files.truncate_dirty_files(cut)?;
        }
        self.min_logic_offset = self.first_real_unit_offset();
        self.max_physic_offset = self.last_unit().map_or(0, |u| u.commit_log_offset + i64::from(u.size));
        Ok(())
    }

    pub fn flush(&mut self) -> StoreResult<()> {
        self.commit()?;
        self.files.flush_all()
    }

    /// The segment files, shared with the flush thread.
    pub fn files(&self) -> &Arc<MappedFileQueue> {
        &self.files
    }
}
