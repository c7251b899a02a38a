//! CommitLog: the append-only log of records in mmap segments (store.md §2, §4), with the
//! blank end-of-file record, pre-allocation and warm-up of the files ahead, reads by physical
//! offset and the recovery scan. Depends on `mapped_file_queue`, `record`.

use std::path::Path;
use std::sync::Arc;

use crate::allocate_service::AllocateService;
use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::limits::{END_FILE_MIN_BLANK_LENGTH, WARM_STEP_BYTES};
use crate::mapped_file::MappedFile;
use crate::mapped_file_queue::MappedFileQueue;
use crate::record::{
    body_crc_matches, parse_record, read_head, write_i32, write_i64, RecordHead, RecordView, BLANK_MAGIC,
    POS_BODY_CRC, POS_PHYSICAL_OFFSET, POS_QUEUE_OFFSET,
};

/// The fields the store fills into a record as it is appended.
#[derive(Debug, Clone, Copy)]
pub struct RecordStamp {
    pub body_crc: i32,
    pub queue_offset: i64,
    pub store_timestamp: i64,
    pub store_timestamp_pos: usize,
}

pub struct CommitLog {
    files: MappedFileQueue,
    file_size: u64,
    warm_ahead_bytes: u64,
    /// Global offset up to which warming has been requested.
    warm_requested_to: u64,
    /// The file appends go to, cached to keep the per-record path short.
    current: Option<Arc<MappedFile>>,
}

impl CommitLog {
    pub fn load(dir: &Path, file_size: u64, warm_ahead_bytes: u64) -> StoreResult<CommitLog> {
        let allocator = AllocateService::start(dir.to_path_buf(), file_size, warm_ahead_bytes);
        let files = MappedFileQueue::load(dir, file_size, Some(allocator))?;
        Ok(CommitLog {
            files,
            file_size,
            warm_ahead_bytes,
            warm_requested_to: 0,
            current: None,
        })
    }

    pub fn file_size(&self) -> u64 {
        self.file_size
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

    /// Appends one validated record and stamps it; returns its physical offset.
    /// If it does not fit with 8 bytes to spare, the file is closed with a blank record first.
    pub fn append(&mut self, record: &[u8], stamp: &RecordStamp) -> StoreResult<u64> {
        let len = record.len() as u64;
        assert!(len <= self.max_record_size(), "record of {len} bytes cannot fit a {}-byte file", self.file_size);
        let mut file = self.current_file()?;
        if len + u64::from(END_FILE_MIN_BLANK_LENGTH) > file.remaining() {
            write_blank(&file);
            self.current = None;
            file = self.current_file()?;
        }
        let position = file.wrote_position();
        let physical_offset = file.file_from_offset() + position;
        file.write_at(position, record);
        let mut fields = [0u8; 8];
        write_i32(&mut fields, 0, stamp.body_crc);
        file.write_at(position + POS_BODY_CRC as u64, &fields[..4]);
        write_i64(&mut fields, 0, stamp.queue_offset);
        file.write_at(position + POS_QUEUE_OFFSET as u64, &fields);
        write_i64(&mut fields, 0, physical_offset as i64);
        file.write_at(position + POS_PHYSICAL_OFFSET as u64, &fields);
        write_i64(&mut fields, 0, stamp.store_timestamp);
        file.write_at(position + stamp.store_timestamp_pos as u64, &fields);
        file.set_wrote_position(position + len);
        self.request_warm(&file, physical_offset + len);
        Ok(physical_offset)
    }

    fn current_file(&mut self) -> StoreResult<Arc<MappedFile>> {
        match &self.current {
            Some(file) if !file.is_full() => Ok(Arc::clone(file)),
            _ => {
                let file = self.files.last_or_create(0)?;
                self.current = Some(Arc::clone(&file));
                Ok(file)
            }
        }
    }

    /// Keeps the pages up to `end + warm_ahead_bytes` pre-faulted, in steps.
    fn request_warm(&mut self, file: &Arc<MappedFile>, end: u64) {
        if self.warm_ahead_bytes == 0 || end + self.warm_ahead_bytes < self.warm_requested_to + WARM_STEP_BYTES {
            return;
        }
        let from = self.warm_requested_to.max(end);
        let to = end + self.warm_ahead_bytes;
        let base = file.file_from_offset();
        self.files.warm(file, from.saturating_sub(base), to - base);
        self.warm_requested_to = to;
    }

    /// Calls `f` with the `size` bytes at `physical_offset`, if they are all published.
    pub fn with_bytes<R>(&self, physical_offset: u64, size: u64, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        let file = self.files.find_by_offset(physical_offset)?;
        let position = physical_offset - file.file_from_offset();
        if position + size > file.wrote_position() {
            return None;
        }
        Some(f(file.read(position, size)))
    }

    /// The whole record starting at `physical_offset`, validated.
    pub fn read_record(&self, physical_offset: u64) -> StoreResult<Vec<u8>> {
        let not_a_record = || {
            StoreError::new(
                ErrorCode::OffsetIllegal,
                format!("no message starts at physical offset {physical_offset} (log spans [{}, {}))",
                    self.min_offset(), self.max_offset()),
            )
        };
        let file = self.files.find_by_offset(physical_offset).ok_or_else(not_a_record)?;
        let position = physical_offset - file.file_from_offset();
        let published = file.wrote_position();
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

    /// Recovery scan (store.md §9.3): walks records from the start of the file holding
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
        let start_index = files
            .iter()
            .rposition(|f| f.file_from_offset() <= from_offset)
            .unwrap_or(0);
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
        self.current = None;
        self.warm_requested_to = process_offset;
        Ok(process_offset)
    }

    pub fn flush(&self) -> StoreResult<()> {
        self.files.flush_all()
    }
}

/// Closes `file` with the end-of-file blank: TOTALSIZE = remaining bytes, MAGIC = blank.
fn write_blank(file: &MappedFile) {
    let position = file.wrote_position();
    let remaining = file.remaining();
    assert!(remaining >= u64::from(END_FILE_MIN_BLANK_LENGTH), "file has {remaining} bytes left, below the blank record");
    let mut blank = [0u8; 8];
    write_i32(&mut blank, 0, remaining as i32);
    write_i32(&mut blank, 4, BLANK_MAGIC);
    file.write_at(position, &blank);
    file.set_wrote_position(file.file_size());
}
