//! One memory-mapped segment file, named by its 20-digit start offset (store.md §1).
//! Owns the mapping and the write/flush positions; callers hold the append lock for writes.
//! Depends on `memmap2` and `libc` (madvise, msync).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use memmap2::{MmapOptions, MmapRaw};

use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::limits::OS_PAGE_SIZE_BYTES;

/// `UtilAll.offset2FileName`: the start offset as 20 zero-padded decimal digits.
pub fn offset_to_file_name(offset: u64) -> String {
    format!("{offset:020}")
}

pub struct MappedFile {
    path: PathBuf,
    file_from_offset: u64,
    file_size: u64,
    _file: File,
    mmap: MmapRaw,
    /// Bytes appended (relative to the file). Published with Release after the bytes are written.
    wrote_position: AtomicU64,
    /// Bytes known to be on disk.
    flushed_position: AtomicU64,
}

impl MappedFile {
    /// Creates (or reopens at full size) the segment starting at `file_from_offset`; the file is sparse and zero-filled.
    pub fn create(dir: &Path, file_from_offset: u64, file_size: u64) -> StoreResult<MappedFile> {
        let path = dir.join(offset_to_file_name(file_from_offset));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::new(ErrorCode::CreateMappedFileFailed, format!("{}: {e}", path.display())))?;
        file.set_len(file_size)
            .map_err(|e| StoreError::new(ErrorCode::CreateMappedFileFailed, format!("{}: {e}", path.display())))?;
        Self::map(path, file, file_from_offset, file_size, 0)
    }

    /// Opens an existing segment; its length must equal `file_size` (store.md §1.6).
    /// Positions start at the end of the file: recovery moves them back.
    pub fn open_existing(path: &Path, file_size: u64) -> StoreResult<MappedFile> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let file_from_offset: u64 = name
            .parse()
            .map_err(|_| StoreError::new(ErrorCode::Corrupt, format!("{}: not an offset name", path.display())))?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| StoreError::io(&path.display().to_string(), e))?;
        let len = file.metadata().map_err(|e| StoreError::io(&path.display().to_string(), e))?.len();
        if len != file_size {
            return Err(StoreError::new(
                ErrorCode::Corrupt,
                format!("{}: length {len} does not match the configured file size {file_size}", path.display()),
            ));
        }
        Self::map(path.to_path_buf(), file, file_from_offset, file_size, file_size)
    }

    fn map(path: PathBuf, file: File, from: u64, size: u64, position: u64) -> StoreResult<MappedFile> {
        let mmap = MmapOptions::new()
            .len(size as usize)
            .map_raw(&file)
            .map_err(|e| StoreError::new(ErrorCode::CreateMappedFileFailed, format!("mmap {}: {e}", path.display())))?;
        Ok(MappedFile {
            path,
            file_from_offset: from,
            file_size: size,
            _file: file,
            mmap,
            wrote_position: AtomicU64::new(position),
            flushed_position: AtomicU64::new(position),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
    pub fn file_from_offset(&self) -> u64 {
        self.file_from_offset
    }
    pub fn file_size(&self) -> u64 {
        self.file_size
    }
    pub fn wrote_position(&self) -> u64 {
        self.wrote_position.load(Ordering::Acquire)
    }
    pub fn remaining(&self) -> u64 {
        self.file_size - self.wrote_position()
    }
    pub fn is_full(&self) -> bool {
        self.wrote_position() == self.file_size
    }

    /// Publishes bytes written up to `position` to readers.
    pub fn set_wrote_position(&self, position: u64) {
        assert!(position <= self.file_size, "wrote position {position} past file size {}", self.file_size);
        self.wrote_position.store(position, Ordering::Release);
    }

    /// Moves every position back to `position` (recovery truncation; bytes after it stay as they are).
    pub fn truncate_to(&self, position: u64) {
        self.set_wrote_position(position);
        self.flushed_position.store(position, Ordering::Release);
    }

    /// Copies `bytes` to `position`. The caller is the single writer (holds the append lock),
    /// and `position` is at or past the wrote position, so no reader looks at these bytes yet.
    pub fn write_at(&self, position: u64, bytes: &[u8]) {
        let end = position + bytes.len() as u64;
        assert!(end <= self.file_size, "write [{position}, {end}) past file size {}", self.file_size);
        debug_assert!(position >= self.wrote_position(), "write below the wrote position");
        // SAFETY: the range is inside the mapping (asserted) and unpublished, so nobody reads it concurrently.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.mmap.as_mut_ptr().add(position as usize), bytes.len());
        }
    }

    /// The bytes `[position, position + len)`, which must lie below the wrote position.
    pub fn read(&self, position: u64, len: u64) -> &[u8] {
        let end = position + len;
        assert!(end <= self.wrote_position(), "read [{position}, {end}) past wrote position {}", self.wrote_position());
        // SAFETY: published bytes are never written again while the file is mapped.
        unsafe { std::slice::from_raw_parts(self.mmap.as_ptr().add(position as usize), len as usize) }
    }

    /// The bytes `[position, file_size)` whatever has been published: recovery scans use this.
    pub fn read_unpublished(&self, position: u64) -> &[u8] {
        assert!(position <= self.file_size);
        // SAFETY: only called before the file is shared with a writer (load and recovery).
        unsafe {
            std::slice::from_raw_parts(
                self.mmap.as_ptr().add(position as usize),
                (self.file_size - position) as usize,
            )
        }
    }

    /// Pre-faults the pages of `[from, to)` as writable without changing their contents, so
    /// appends there take no first-touch page faults. Best effort: older kernels lack the advice.
    pub fn warm(&self, from: u64, to: u64) {
        let start = from / OS_PAGE_SIZE_BYTES * OS_PAGE_SIZE_BYTES;
        let end = to.min(self.file_size);
        if start >= end {
            return;
        }
        // SAFETY: the range is inside the mapping; MADV_POPULATE_WRITE does not modify data.
        unsafe {
            libc::madvise(
                self.mmap.as_mut_ptr().add(start as usize).cast(),
                (end - start) as usize,
                libc::MADV_POPULATE_WRITE,
            );
        }
    }

    /// Forces written bytes to disk; returns the new flushed position.
    pub fn flush(&self) -> StoreResult<u64> {
        let wrote = self.wrote_position();
        let flushed = self.flushed_position.load(Ordering::Acquire);
        if wrote > flushed {
            let start = flushed / OS_PAGE_SIZE_BYTES * OS_PAGE_SIZE_BYTES;
            self.mmap
                .flush_range(start as usize, (wrote - start) as usize)
                .map_err(|e| StoreError::io(&format!("msync {}", self.path.display()), e))?;
            self.flushed_position.store(wrote, Ordering::Release);
        }
        Ok(wrote)
    }

    /// Unmaps and deletes the file.
    pub fn destroy(self) -> StoreResult<()> {
        let path = self.path.clone();
        drop(self);
        std::fs::remove_file(&path).map_err(|e| StoreError::io(&format!("delete {}", path.display()), e))
    }
}
