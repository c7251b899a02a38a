//! One segment file, named by its 20-digit start offset (docs/store-format.md §1). Written through the file
//! descriptor (`pwritev`: no page faults and no zero-filling of fresh pages on the append path),
//! read through a shared mapping of the same page cache. Owns the write/flush positions; the
//! single writer publishes bytes by moving the wrote position. Depends on `memmap2` and `libc`.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

use memmap2::{MmapMut, MmapOptions, MmapRaw};
use parking_lot::Mutex;

use crate::transient_store_pool::TransientStorePool;

use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::limits::OS_PAGE_SIZE_BYTES;

/// `UtilAll.offset2FileName`: the start offset as 20 zero-padded decimal digits.
pub fn offset_to_file_name(offset: u64) -> String {
    format!("{offset:020}")
}

/// Chunks per `pwritev` call (Linux `IOV_MAX`).
const IOV_MAX: usize = 1024;

/// The chunks left after `written` bytes went out (a short write resumes mid-chunk).
fn skip_written(chunks: &mut [libc::iovec], mut written: usize) -> &mut [libc::iovec] {
    let mut index = 0;
    while index < chunks.len() && written >= chunks[index].iov_len {
        written -= chunks[index].iov_len;
        index += 1;
    }
    let rest = &mut chunks[index..];
    if let Some(first) = rest.first_mut() {
        // SAFETY: `written` is less than this chunk's length, so the pointer stays inside it.
        first.iov_base = unsafe { first.iov_base.cast::<u8>().add(written).cast() };
        first.iov_len -= written;
    }
    rest
}

pub struct MappedFile {
    path: PathBuf,
    file_from_offset: u64,
    file_size: u64,
    file: File,
    mmap: MmapRaw,
    /// Bytes appended (relative to the file). Published with Release after the bytes are written.
    wrote_position: AtomicU64,
    /// Bytes known to be on disk.
    flushed_position: AtomicU64,
    store_timestamp: AtomicI64,
    /// With a transient pool buffer: bytes copied from the buffer into the file. Readers see
    /// only these. Without one it follows the wrote position.
    committed_position: AtomicU64,
    /// The pool buffer appends go to while the file is being filled (None without the pool).
    write_buffer: Mutex<Option<MmapMut>>,
    /// Set once a buffer was attached: from then on readers stop at the committed position.
    pooled: AtomicBool,
    commit_lock: Mutex<()>,
}

impl MappedFile {
    /// Creates (or reopens at full size) the segment starting at `file_from_offset`; the file is sparse and
    /// zero-filled.
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

    /// Opens an existing segment; its length must equal `file_size` (docs/store-format.md §1.6).
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
            .map_raw_read_only(&file)
            .map_err(|e| StoreError::new(ErrorCode::CreateMappedFileFailed, format!("mmap {}: {e}", path.display())))?;
        Ok(MappedFile {
            path,
            file_from_offset: from,
            file_size: size,
            file,
            mmap,
            wrote_position: AtomicU64::new(position),
            flushed_position: AtomicU64::new(position),
            store_timestamp: AtomicI64::new(0),
            committed_position: AtomicU64::new(position),
            write_buffer: Mutex::new(None),
            pooled: AtomicBool::new(false),
            commit_lock: Mutex::new(()),
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
    /// What readers may see: the committed position with a pool buffer, else the wrote position.
    pub fn read_position(&self) -> u64 {
        match self.pooled.load(Ordering::Acquire) {
            true => self.committed_position.load(Ordering::Acquire),
            false => self.wrote_position(),
        }
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
        self.committed_position.store(position, Ordering::Release);
        self.flushed_position.store(position, Ordering::Release);
    }

    /// Makes `[from, file_size)` read as zeros, so bytes a failed or torn write left past the
    /// wrote position can never pass for records later. Punches a hole (frees the blocks, keeps
    /// the size); falls back to writing zeros where the file system cannot punch.
    pub fn zero_tail(&self, from: u64) -> StoreResult<()> {
        assert!(from >= self.wrote_position(), "zeroing below the wrote position would destroy records");
        if from >= self.file_size {
            return Ok(());
        }
        if self.punch_hole(from, self.file_size - from) {
            return Ok(());
        }
        let zeros = vec![0u8; 64 * 1024];
        let mut at = from;
        while at < self.file_size {
            let n = (self.file_size - at).min(zeros.len() as u64) as usize;
            self.write_at(at, &zeros[..n])?;
            at += n as u64;
        }
        Ok(())
    }

    /// Frees the blocks of `[from, from + len)`, keeping the size; false where it cannot.
    #[cfg(target_os = "linux")]
    fn punch_hole(&self, from: u64, len: u64) -> bool {
        // SAFETY: fallocate on a descriptor we own, inside the file.
        let status = unsafe {
            libc::fallocate(
                self.file.as_raw_fd(),
                libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
                from as libc::off_t,
                len as libc::off_t,
            )
        };
        status == 0
    }

    /// No `fallocate` off Linux (macOS): the caller writes zeros instead.
    #[cfg(not(target_os = "linux"))]
    fn punch_hole(&self, _from: u64, _len: u64) -> bool {
        false
    }

    /// Makes appends go to `buffer` until the file is committed in full. Only for a file nothing
    /// was appended to yet.
    pub fn attach_write_buffer(&self, buffer: MmapMut) {
        assert_eq!(self.wrote_position(), 0, "a write buffer is attached to an empty file only");
        assert_eq!(buffer.len() as u64, self.file_size, "write buffer size differs from the file size");
        *self.write_buffer.lock() = Some(buffer);
        self.pooled.store(true, Ordering::Release);
    }

    pub fn has_write_buffer(&self) -> bool {
        self.write_buffer.lock().is_some()
    }

    /// Copies the chunks into the write buffer from `position` (the pool path of an append).
    /// Returns false when no buffer is attached.
    pub fn copy_into_write_buffer(&self, position: u64, chunks: &[libc::iovec]) -> bool {
        let base = match self.write_buffer.lock().as_mut() {
            Some(buffer) => buffer.as_mut_ptr(),
            None => return false,
        };
        let total: usize = chunks.iter().map(|c| c.iov_len).sum();
        assert!(position + total as u64 <= self.file_size, "buffer write past file size {}", self.file_size);
        let mut at = position as usize;
        for chunk in chunks {
            // SAFETY: the range is inside the buffer (asserted) and past the wrote position, which
            // the commit thread never reads; the buffer is only taken away once the file is fully
            // committed, which needs this write published first. The iovec is live memory.
            unsafe { std::ptr::copy_nonoverlapping(chunk.iov_base.cast::<u8>(), base.add(at), chunk.iov_len) };
            at += chunk.iov_len;
        }
        true
    }

    /// Writes `[committed, wrote)` of the write buffer into the file when the file is full, or at
    /// least `least_pages` pages wait, or `least_pages == 0` and anything waits; gives the buffer
    /// back to `pool` once the whole file is committed. Returns the committed position.
    pub fn commit(&self, least_pages: u64, pool: Option<&TransientStorePool>) -> StoreResult<u64> {
        let _serial = self.commit_lock.lock();
        let wrote = self.wrote_position();
        let committed = self.committed_position.load(Ordering::Acquire);
        if !self.pooled.load(Ordering::Acquire) {
            return Ok(wrote);
        }
        let pages = wrote / OS_PAGE_SIZE_BYTES - committed / OS_PAGE_SIZE_BYTES;
        let able = wrote > committed && (wrote == self.file_size || pages >= least_pages.max(1) || least_pages == 0);
        if able {
            let base = self.write_buffer.lock().as_ref().map(|b| b.as_ptr()).expect("a pooled file keeps its buffer");
            // SAFETY: [committed, wrote) is inside the buffer and published; the buffer stays
            // attached while we hold the commit lock.
            let chunk = libc::iovec {
                iov_base: unsafe { base.add(committed as usize) } as *mut libc::c_void,
                iov_len: (wrote - committed) as usize,
            };
            // The appender only writes past `wrote`, so these bytes stay put while we copy them out.
            self.write_vectored_at_unchecked(committed, &mut [chunk])?;
            self.committed_position.store(wrote, Ordering::Release);
        }
        let committed = self.committed_position.load(Ordering::Acquire);
        if committed == self.file_size {
            if let (Some(buffer), Some(pool)) = (self.write_buffer.lock().take(), pool) {
                pool.give_back(buffer);
            }
        }
        Ok(committed)
    }

    /// Writes `bytes` at `position` through the file descriptor. The caller is the single
    /// writer, and `position` is at or past the wrote position, so no reader looks at these bytes yet.
    pub fn write_at(&self, position: u64, bytes: &[u8]) -> StoreResult<()> {
        let chunk = libc::iovec { iov_base: bytes.as_ptr() as *mut libc::c_void, iov_len: bytes.len() };
        self.write_vectored_at(position, &mut [chunk])
    }

    /// Writes the chunks back to back from `position` with as few `pwritev` calls as possible.
    /// Each chunk must point at memory that stays valid for the call. The chunk list is consumed.
    pub fn write_vectored_at(&self, position: u64, chunks: &mut [libc::iovec]) -> StoreResult<()> {
        debug_assert!(position >= self.wrote_position(), "write below the wrote position");
        self.write_vectored_at_unchecked(position, chunks)
    }

    /// `write_vectored_at` without the wrote-position check (the commit path writes below it).
    fn write_vectored_at_unchecked(&self, position: u64, chunks: &mut [libc::iovec]) -> StoreResult<()> {
        let total: usize = chunks.iter().map(|c| c.iov_len).sum();
        let end = position + total as u64;
        assert!(end <= self.file_size, "write [{position}, {end}) past file size {}", self.file_size);
        let mut offset = position;
        let mut rest = chunks;
        while !rest.is_empty() {
            let batch = rest.len().min(IOV_MAX);
            // SAFETY: every iovec points at live memory of its length (the caller's contract).
            let written = unsafe {
                libc::pwritev(self.file.as_raw_fd(), rest.as_ptr(), batch as libc::c_int, offset as libc::off_t)
            };
            if written < 0 {
                let err = std::io::Error::last_os_error();
                if err.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(StoreError::io(&format!("write {} at {offset}", self.path.display()), err));
            }
            offset += written as u64;
            rest = skip_written(rest, written as usize);
        }
        Ok(())
    }

    /// The bytes `[position, position + len)`, which must lie below the read position.
    pub fn read(&self, position: u64, len: u64) -> &[u8] {
        let end = position + len;
        assert!(end <= self.read_position(), "read [{position}, {end}) past read position {}", self.read_position());
        // SAFETY: published bytes are never written again while the file is mapped.
        unsafe { std::slice::from_raw_parts(self.mmap.as_ptr().add(position as usize), len as usize) }
    }

    /// The bytes `[position, file_size)` whatever has been published: recovery scans use this.
    pub fn read_unpublished(&self, position: u64) -> &[u8] {
        assert!(position <= self.file_size);
        // SAFETY: only called before the file is shared with a writer (load and recovery).
        unsafe {
            std::slice::from_raw_parts(self.mmap.as_ptr().add(position as usize), (self.file_size - position) as usize)
        }
    }

    pub fn flushed_position(&self) -> u64 {
        self.flushed_position.load(Ordering::Acquire)
    }

    /// Store time of the last record published into this file (0 when none).
    pub fn store_timestamp(&self) -> i64 {
        self.store_timestamp.load(Ordering::Acquire)
    }
    pub fn set_store_timestamp(&self, store_timestamp: i64) {
        self.store_timestamp.store(store_timestamp, Ordering::Release);
    }

    /// Forces published bytes to disk when the file is full, or at least `least_pages` pages are
    /// unflushed, or `least_pages == 0` and anything is (`DefaultMappedFile.isAbleToFlush`).
    /// Returns the flushed position.
    pub fn flush(&self, least_pages: u64) -> StoreResult<u64> {
        let wrote = self.read_position();
        let flushed = self.flushed_position();
        let pages = wrote / OS_PAGE_SIZE_BYTES - flushed / OS_PAGE_SIZE_BYTES;
        let able = wrote > flushed && (wrote == self.file_size || pages >= least_pages.max(1) || least_pages == 0);
        if !able {
            return Ok(flushed);
        }
        // Flushing follows what readers can see: uncommitted buffer bytes are not in the file yet.
        self.file.sync_data().map_err(|e| StoreError::io(&format!("fdatasync {}", self.path.display()), e))?;
        self.flushed_position.store(wrote, Ordering::Release);
        Ok(wrote)
    }

    /// Unmaps and deletes the file.
    pub fn destroy(self) -> StoreResult<()> {
        let path = self.path.clone();
        drop(self);
        std::fs::remove_file(&path).map_err(|e| StoreError::io(&format!("delete {}", path.display()), e))
    }
}
