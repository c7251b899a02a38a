//! CommitLog: the append-only log of records in segment files (docs/store-format.md §2, §4): batched appends
//! (one `pwritev` per file per batch) with the blank end-of-file record, reads by physical offset
//! through the mapping, and the recovery scan. Depends on `mapped_file_queue`, `record`.

use std::path::Path;
use std::sync::Arc;

use crate::allocate_service::AllocateService;
use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::limits::END_FILE_MIN_BLANK_LENGTH;
use crate::mapped_file::MappedFile;
use crate::mapped_file_queue::MappedFileQueue;
use crate::record::{
    body_crc_matches, parse_record, read_head, write_i32, write_i64, RecordHead, RecordView, BLANK_MAGIC, POS_BODY_CRC,
    POS_PHYSICAL_OFFSET, POS_QUEUE_OFFSET,
};
use crate::transient_store_pool::TransientStorePool;
use std::ops::Range;

/// The fields the store fills into a record as it is appended.
#[derive(Debug, Clone, Copy)]
pub struct RecordStamp {
    pub body_crc: i32,
    pub queue_offset: i64,
    pub store_timestamp: i64,
    pub store_timestamp_pos: usize,
}

/// A piece of the bytes to write: from the scratch buffer (stamped record heads, blanks) or
/// straight from the caller's drafts (the rest of each record).
#[derive(Debug, Clone)]
enum Chunk {
    Scratch(Range<usize>),
    Draft(Range<usize>),
}

/// The chunks of one batch that land in one file, from `start` to `end` (file positions).
struct FileWrite {
    file: Arc<MappedFile>,
    start: u64,
    end: u64,
    chunks: Range<usize>,
}

pub struct CommitLog {
    files: Arc<MappedFileQueue>,
    /// With `transientStorePoolEnable`: the buffers new files borrow.
    pool: Option<Arc<TransientStorePool>>,
    file_size: u64,
    /// The file appends go to, cached to keep the per-record path short.
    current: Option<Arc<MappedFile>>,
    /// Reused per batch.
    scratch: Vec<u8>,
    chunks: Vec<Chunk>,
    writes: Vec<FileWrite>,
    iovecs: Vec<libc::iovec>,
    /// A failed write left bytes past the wrote position that are not zeroed yet.
    dirty_tail: bool,
}

// SAFETY: the only non-Send field is `iovecs`, scratch whose pointers are set and used within one
// `write_all` call on the caller's thread and never dereferenced afterwards (cleared before reuse);
// a slave's replication thread appends through the same store under a lock.
unsafe impl Send for CommitLog {}

impl CommitLog {
    pub fn load(dir: &Path, file_size: u64, pool: Option<Arc<TransientStorePool>>) -> StoreResult<CommitLog> {
        let allocator = AllocateService::start(dir.to_path_buf(), file_size);
        let files = Arc::new(MappedFileQueue::load(dir, file_size, Some(allocator))?);
        Ok(CommitLog {
            files,
            pool,
            file_size,
            current: None,
            scratch: Vec::new(),
            chunks: Vec::new(),
            writes: Vec::new(),
            iovecs: Vec::new(),
            dirty_tail: false,
        })
    }

    pub fn file_size(&self) -> u64 {
        self.file_size
    }
    /// The segment files, shared with the flush thread.
    pub fn files(&self) -> &Arc<MappedFileQueue> {
        &self.files
    }
    pub fn min_offset(&self) -> u64 {
        self.files.min_offset()
    }
    pub fn max_offset(&self) -> u64 {
        self.files.max_offset()
    }

    /// The largest record that fits in one file (with its trailing blank).
    pub fn max_record_size(&self) -> u64 {
        self.file_size - u64::from(END_FILE_MIN_BLANK_LENGTH)
    }

    /// Appends validated records (`drafts[range]`, each stamped as given) under one write per
    /// file, then publishes them; pushes each record's physical offset. A record that does not
    /// fit with 8 bytes to spare closes its file with a blank record and goes to the next file.
    /// On failure nothing is published.
    pub fn append_batch(
        &mut self,
        drafts: &[u8],
        records: &[(Range<usize>, RecordStamp)],
        physical_offsets: &mut Vec<u64>,
    ) -> StoreResult<()> {
        physical_offsets.clear();
        self.clear_dirty_tail()?;
        self.scratch.clear();
        self.chunks.clear();
        self.writes.clear();
        let mut file = self.current_file()?;
        let mut position = file.wrote_position();
        let mut first_chunk = 0;
        let mut start = position;
        for (range, stamp) in records {
            let len = range.len() as u64;
            assert!(len <= self.max_record_size(), "record of {len} bytes cannot fit a {}-byte file", self.file_size);
            if len + u64::from(END_FILE_MIN_BLANK_LENGTH) > self.file_size - position {
                self.push_blank(self.file_size - position);
                self.writes.push(FileWrite {
                    file: Arc::clone(&file),
                    start,
                    end: self.file_size,
                    chunks: first_chunk..self.chunks.len(),
                });
                file = self.files.next_file_after(&file)?;
                self.attach_pool_buffer(&file);
                (position, start, first_chunk) = (0, 0, self.chunks.len());
            }
            let physical_offset = file.file_from_offset() + position;
            self.push_stamped(drafts, range.clone(), stamp, physical_offset);
            physical_offsets.push(physical_offset);
            position += len;
        }
        if position > start {
            self.writes.push(FileWrite {
                file: Arc::clone(&file),
                start,
                end: position,
                chunks: first_chunk..self.chunks.len(),
            });
        }
        let store_timestamp = records.last().map_or(0, |(_, stamp)| stamp.store_timestamp);
        self.write_and_publish(drafts, store_timestamp)?;
        self.current = Some(file);
        Ok(())
    }

    /// Replication (docs/replication.md §3): writes bytes a master sent at the offset it sent them
    /// from, which must be this log's end (any offset when the log is empty: a file is created
    /// there). The bytes may end inside a record; they are published as they are, so readers of
    /// records stop at the last whole one. Returns the new end.
    pub fn append_raw(&mut self, offset: u64, bytes: &[u8]) -> StoreResult<u64> {
        let end = self.max_wrote_offset();
        if !self.files.is_empty() && offset != end {
            return Err(StoreError::new(
                ErrorCode::OffsetIllegal,
                format!("the master sent bytes from {offset} but this CommitLog ends at {end}"),
            ));
        }
        self.clear_dirty_tail()?;
        let (mut at, mut rest) = (offset, bytes);
        while !rest.is_empty() {
            let file = match self.files.find_by_offset(at) {
                Some(file) => file,
                None => self.files.last_or_create(at)?,
            };
            let position = at - file.file_from_offset();
            let len = (rest.len() as u64).min(self.file_size - position);
            let chunk = &rest[..len as usize];
            let mut iovec = [libc::iovec { iov_base: chunk.as_ptr() as *mut libc::c_void, iov_len: chunk.len() }];
            if !file.copy_into_write_buffer(position, &iovec) {
                file.write_vectored_at(position, &mut iovec)?;
            }
            file.set_wrote_position(position + len);
            (at, rest) = (at + len, &rest[len as usize..]);
        }
        self.current = None;
        Ok(at)
    }

    /// After a failed write whose leftovers could not be zeroed: zero them before appending again.
    fn clear_dirty_tail(&mut self) -> StoreResult<()> {
        if !self.dirty_tail {
            return Ok(());
        }
        if let Some(last) = self.files.last() {
            last.zero_tail(last.wrote_position())?;
        }
        self.dirty_tail = false;
        Ok(())
    }

    /// Copies the record's head up to STORETIMESTAMP into the scratch and stamps it there; the
    /// rest of the record is written from the draft itself.
    fn push_stamped(&mut self, drafts: &[u8], range: Range<usize>, stamp: &RecordStamp, physical_offset: u64) {
        let head_len = stamp.store_timestamp_pos + 8;
        let at = self.scratch.len();
        self.scratch.extend_from_slice(&drafts[range.start..range.start + head_len]);
        let head = &mut self.scratch[at..];
        write_i32(head, POS_BODY_CRC, stamp.body_crc);
        write_i64(head, POS_QUEUE_OFFSET, stamp.queue_offset);
        write_i64(head, POS_PHYSICAL_OFFSET, physical_offset as i64);
        write_i64(head, stamp.store_timestamp_pos, stamp.store_timestamp);
        self.chunks.push(Chunk::Scratch(at..at + head_len));
        self.chunks.push(Chunk::Draft(range.start + head_len..range.end));
    }

    /// The end-of-file blank: TOTALSIZE = remaining bytes, MAGIC = blank.
    fn push_blank(&mut self, remaining: u64) {
        assert!(remaining >= u64::from(END_FILE_MIN_BLANK_LENGTH), "{remaining} bytes left, below the blank record");
        let at = self.scratch.len();
        self.scratch.extend_from_slice(&(remaining as i32).to_be_bytes());
        self.scratch.extend_from_slice(&BLANK_MAGIC.to_be_bytes());
        self.chunks.push(Chunk::Scratch(at..at + 8));
    }

    fn write_and_publish(&mut self, drafts: &[u8], store_timestamp: i64) -> StoreResult<()> {
        let written = self.write_all(drafts);
        if let Err(error) = written {
            // Records a failed write left behind must never be mistaken for real ones.
            for write in self.writes.drain(..) {
                if write.file.zero_tail(write.start).is_err() {
                    self.dirty_tail = true;
                }
            }
            return Err(error);
        }
        for write in self.writes.drain(..) {
            write.file.set_store_timestamp(store_timestamp);
            write.file.set_wrote_position(write.end);
        }
        Ok(())
    }

    fn write_all(&mut self, drafts: &[u8]) -> StoreResult<()> {
        for write in &self.writes {
            self.iovecs.clear();
            for chunk in &self.chunks[write.chunks.clone()] {
                let bytes = match chunk {
                    Chunk::Scratch(range) => &self.scratch[range.clone()],
                    Chunk::Draft(range) => &drafts[range.clone()],
                };
                self.iovecs.push(libc::iovec { iov_base: bytes.as_ptr() as *mut libc::c_void, iov_len: bytes.len() });
            }
            if !write.file.copy_into_write_buffer(write.start, &self.iovecs) {
                write.file.write_vectored_at(write.start, &mut self.iovecs)?;
            }
        }
        Ok(())
    }

    fn current_file(&mut self) -> StoreResult<Arc<MappedFile>> {
        match &self.current {
            Some(file) if !file.is_full() => Ok(Arc::clone(file)),
            _ => {
                let file = self.files.last_or_create(0)?;
                self.attach_pool_buffer(&file);
                self.current = Some(Arc::clone(&file));
                Ok(file)
            }
        }
    }

    /// A fresh file borrows a pool buffer when the pool is on and has one left; without one the
    /// file is written directly (RocketMQ's behaviour without `fastFailIfNoBufferInStorePool`).
    fn attach_pool_buffer(&self, file: &MappedFile) {
        let Some(pool) = &self.pool else { return };
        if file.wrote_position() == 0 && !file.has_write_buffer() {
            if let Some(buffer) = pool.borrow() {
                file.attach_write_buffer(buffer);
            }
        }
    }

    /// Writes pooled bytes into the files (the commit thread's step, also run before a sync flush).
    pub fn commit(&self, least_pages: u64) -> StoreResult<()> {
        self.files.commit(least_pages, self.pool.as_deref())
    }

    pub fn pool(&self) -> Option<&Arc<TransientStorePool>> {
        self.pool.as_ref()
    }

    /// Offset one past the last appended byte, committed or not.
    pub fn max_wrote_offset(&self) -> u64 {
        self.files.max_wrote_offset()
    }

    /// Calls `f` with the `size` bytes at `physical_offset`, if they are all published.
    pub fn with_bytes<R>(&self, physical_offset: u64, size: u64, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        let file = self.files.find_by_offset(physical_offset)?;
        let position = physical_offset - file.file_from_offset();
        if position + size > file.read_position() {
            return None;
        }
        Some(f(file.read(position, size)))
    }

    /// The whole record starting at `physical_offset`, validated.
    pub fn read_record(&self, physical_offset: u64) -> StoreResult<Vec<u8>> {
        let not_a_record = || {
            StoreError::new(
                ErrorCode::OffsetIllegal,
                format!(
                    "no message starts at physical offset {physical_offset} (log spans [{}, {}))",
                    self.min_offset(),
                    self.max_offset()
                ),
            )
        };
        let file = self.files.find_by_offset(physical_offset).ok_or_else(not_a_record)?;
        let position = physical_offset - file.file_from_offset();
        let published = file.read_position();
        if position + 8 > published {
            return Err(not_a_record());
        }
        let RecordHead::Message(size) = read_head(file.read(position, 8)) else { return Err(not_a_record()) };
        if position + u64::from(size) > published {
            return Err(not_a_record());
        }
        let bytes = file.read(position, u64::from(size));
        let view = parse_record(bytes).map_err(|_| not_a_record())?;
        if view.physical_offset != physical_offset as i64 {
            return Err(not_a_record());
        }
        Ok(bytes.to_vec())
    }

    /// Recovery scan (docs/store-format.md §9.3): walks records from the start of the file holding
    /// `from_offset`, validating magic, length formula, position and (optionally) body CRC;
    /// calls `on_record` for every valid record at or past `from_offset`; cuts the log at the
    /// first invalid one. Returns the process offset (end of the last valid record).
    pub fn recover(
        &mut self,
        from_offset: u64,
        check_crc: bool,
        mut on_record: impl FnMut(&[u8], &RecordView) -> StoreResult<()>,
    ) -> StoreResult<u64> {
        let files = self.files.files();
        let start_index = files.iter().rposition(|f| f.file_from_offset() <= from_offset).unwrap_or(0);
        let mut process_offset = files.get(start_index).map_or(0, |f| f.file_from_offset());
        'files: for file in &files[start_index.min(files.len())..] {
            if file.file_from_offset() != process_offset {
                break;
            }
            let bytes = file.read_unpublished(0);
            let mut position = 0usize;
            loop {
                let rest = &bytes[position..];
                match read_head(rest) {
                    RecordHead::Blank => {
                        process_offset = file.file_from_offset() + self.file_size;
                        continue 'files;
                    }
                    RecordHead::Message(size) if size as usize <= rest.len() => {
                        let record = &rest[..size as usize];
                        let physical = file.file_from_offset() + position as u64;
                        let valid = parse_record(record).ok().filter(|view| {
                            view.physical_offset == physical as i64 && (!check_crc || body_crc_matches(record, view))
                        });
                        let Some(view) = valid else { break 'files };
                        if physical >= from_offset {
                            on_record(record, &view)?;
                        }
                        position += size as usize;
                        process_offset = physical + u64::from(size);
                    }
                    _ => break 'files,
                }
            }
        }
        self.files.truncate_dirty_files(process_offset)?;
        if let Some(file) = self.files.find_by_offset(process_offset) {
            // The torn tail is not left in place (RocketMQ leaves it): a later crash could
            // otherwise walk into stale records past a newer, shorter tail.
            file.zero_tail(process_offset - file.file_from_offset())?;
        }
        self.current = None;
        Ok(process_offset)
    }

    /// Where abnormal recovery starts (docs/store-format.md §9.3): the start of the newest file whose first
    /// record is valid and was stored no later than `min_timestamp`; the first file otherwise.
    pub fn abnormal_recovery_start(&self, min_timestamp: i64) -> u64 {
        let files = self.files.files();
        for file in files.iter().rev() {
            let bytes = file.read_unpublished(0);
            let Ok(view) = parse_record(bytes) else { continue };
            if view.store_timestamp != 0 && view.store_timestamp <= min_timestamp {
                return file.file_from_offset();
            }
        }
        files.first().map_or(0, |f| f.file_from_offset())
    }
}

/// Walks the published records from `from` (a record start or a file start) to the end of what
/// readers may see, calling `on_record(record, view)` for each; a blank record moves to the next
/// file. Returns where the walk stopped: the next record to read later. Used by dispatchers that
/// follow the log on their own thread (the index).
pub fn scan_published(
    files: &MappedFileQueue,
    mut from: u64,
    mut on_record: impl FnMut(&[u8], &RecordView) -> StoreResult<()>,
) -> StoreResult<u64> {
    let file_size = files.file_size();
    if let Some(first) = files.first() {
        from = from.max(first.file_from_offset());
    }
    while let Some(file) = files.find_by_offset(from) {
        let position = from - file.file_from_offset();
        let published = file.read_position();
        if position + 8 > published {
            break;
        }
        match read_head(file.read(position, 8)) {
            RecordHead::Blank => from = file.file_from_offset() + file_size,
            RecordHead::Message(size) if position + u64::from(size) <= published => {
                let record = file.read(position, u64::from(size));
                let view = parse_record(record).map_err(|e| {
                    StoreError::new(ErrorCode::Corrupt, format!("record at {from} fails validation: {}", e.message))
                })?;
                on_record(record, &view)?;
                from += u64::from(size);
            }
            _ => break,
        }
    }
    Ok(from)
}
