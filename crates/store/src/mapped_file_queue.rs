//! MappedFileQueue: the ordered segments of one log (CommitLog or one ConsumeQueue), named by
//! start offset and exactly `file_size` apart (docs/store-format.md §1). Depends on `mapped_file` and,
//! for the CommitLog, `allocate_service`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use parking_lot::RwLock;

use crate::allocate_service::AllocateService;
use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::mapped_file::MappedFile;
use crate::transient_store_pool::TransientStorePool;

pub struct MappedFileQueue {
    dir: PathBuf,
    file_size: u64,
    files: RwLock<Vec<Arc<MappedFile>>>,
    allocator: Option<AllocateService>,
    /// Global offset up to which every byte is on disk.
    flushed_where: AtomicU64,
}

impl MappedFileQueue {
    /// Loads the segments in `dir` (created if missing). A zero-length last file is deleted;
    /// any other length mismatch or a gap between names fails the load.
    pub fn load(dir: &Path, file_size: u64, allocator: Option<AllocateService>) -> StoreResult<MappedFileQueue> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(&format!("create {}", dir.display()), e))?;
        let mut paths = list_segment_files(dir)?;
        if let Some(last) = paths.last() {
            let len = std::fs::metadata(last).map_err(|e| StoreError::io(&last.display().to_string(), e))?.len();
            if len == 0 {
                std::fs::remove_file(last).map_err(|e| StoreError::io(&last.display().to_string(), e))?;
                paths.pop();
            }
        }
        let mut files: Vec<Arc<MappedFile>> = Vec::with_capacity(paths.len());
        for path in &paths {
            let file = MappedFile::open_existing(path, file_size)?;
            if let Some(prev) = files.last() {
                let expected = prev.file_from_offset() + file_size;
                if file.file_from_offset() != expected {
                    return Err(StoreError::new(
                        ErrorCode::Corrupt,
                        format!(
                            "{}: expected the file after {} to start at {expected}",
                            path.display(),
                            prev.path().display()
                        ),
                    ));
                }
            }
            files.push(Arc::new(file));
        }
        Ok(MappedFileQueue {
            dir: dir.to_path_buf(),
            file_size,
            files: RwLock::new(files),
            allocator,
            flushed_where: AtomicU64::new(0),
        })
    }

    pub fn file_size(&self) -> u64 {
        self.file_size
    }
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn files(&self) -> Vec<Arc<MappedFile>> {
        self.files.read().clone()
    }
    pub fn first(&self) -> Option<Arc<MappedFile>> {
        self.files.read().first().cloned()
    }
    pub fn last(&self) -> Option<Arc<MappedFile>> {
        self.files.read().last().cloned()
    }
    pub fn is_empty(&self) -> bool {
        self.files.read().is_empty()
    }

    /// Offset of the first byte still on disk (0 when empty).
    pub fn min_offset(&self) -> u64 {
        self.first().map_or(0, |f| f.file_from_offset())
    }
    /// Offset one past the last published byte (0 when empty).
    pub fn max_offset(&self) -> u64 {
        self.last().map_or(0, |f| f.file_from_offset() + f.read_position())
    }

    /// Offset one past the last appended byte, committed or not (the writer's view).
    pub fn max_wrote_offset(&self) -> u64 {
        self.last().map_or(0, |f| f.file_from_offset() + f.wrote_position())
    }

    /// The file to append at: the last one unless it is full or missing (`getLastMappedFile`).
    pub fn last_or_create(&self, start_offset: u64) -> StoreResult<Arc<MappedFile>> {
        let create_offset = match self.last() {
            Some(last) if !last.is_full() => return Ok(last),
            Some(last) => last.file_from_offset() + self.file_size,
            None => start_offset - start_offset % self.file_size,
        };
        let file = match &self.allocator {
            Some(allocator) => allocator.take_or_create(create_offset)?,
            None => Arc::new(MappedFile::create(&self.dir, create_offset, self.file_size)?),
        };
        self.files.write().push(Arc::clone(&file));
        Ok(file)
    }

    /// The file after `file`: the existing one, or a new one (from the allocator when there is one).
    pub fn next_file_after(&self, file: &MappedFile) -> StoreResult<Arc<MappedFile>> {
        let offset = file.file_from_offset() + self.file_size;
        if let Some(next) = self.find_by_offset(offset) {
            return Ok(next);
        }
        let last = self.last().map(|f| f.file_from_offset());
        assert_eq!(last, Some(file.file_from_offset()), "the next file is only created after the last one");
        let next = match &self.allocator {
            Some(allocator) => allocator.take_or_create(offset)?,
            None => Arc::new(MappedFile::create(&self.dir, offset, self.file_size)?),
        };
        self.files.write().push(Arc::clone(&next));
        Ok(next)
    }

    /// The file holding `offset` (`findMappedFileByOffset`), if any.
    pub fn find_by_offset(&self, offset: u64) -> Option<Arc<MappedFile>> {
        let files = self.files.read();
        let first = files.first()?;
        if offset < first.file_from_offset() {
            return None;
        }
        let index = ((offset - first.file_from_offset()) / self.file_size) as usize;
        let file = files.get(index)?;
        debug_assert!(offset >= file.file_from_offset() && offset < file.file_from_offset() + self.file_size);
        Some(Arc::clone(file))
    }

    /// Cuts the queue at `offset`: the file holding it keeps `offset % size` bytes, later files are deleted.
    pub fn truncate_dirty_files(&self, offset: u64) -> StoreResult<()> {
        if let Some(allocator) = &self.allocator {
            allocator.discard_ready();
        }
        let mut files = self.files.write();
        let mut kept = Vec::with_capacity(files.len());
        for file in files.drain(..) {
            let tail = file.file_from_offset() + self.file_size;
            if tail <= offset {
                kept.push(file);
            } else if offset >= file.file_from_offset() {
                file.truncate_to(offset - file.file_from_offset());
                kept.push(file);
            } else {
                destroy(file)?;
            }
        }
        *files = kept;
        self.flushed_where.store(offset, Ordering::Release);
        Ok(())
    }

    /// `deleteExpiredFileByTime`: deletes the oldest files last modified more than `reserved`
    /// ago (any age when `at_once`), at most `batch_max`, stopping at the first that stays.
    /// Never the last file. Returns how many went.
    pub fn delete_expired_by_time(&self, reserved: Duration, at_once: bool, batch_max: usize) -> StoreResult<usize> {
        let now = SystemTime::now();
        let files = self.files();
        let mut expired = 0;
        for file in files.iter().take(files.len().saturating_sub(1)).take(batch_max) {
            let modified = std::fs::metadata(file.path()).and_then(|m| m.modified()).unwrap_or(now);
            let old_enough = now.duration_since(modified).is_ok_and(|age| age >= reserved);
            if !(at_once || old_enough) {
                break;
            }
            expired += 1;
        }
        self.delete_first(expired)
    }

    /// `deleteExpiredFileByOffset` (ConsumeQueues): deletes leading files whose last unit points
    /// below `min_physical_offset`. Never the last file. Returns how many went.
    pub fn delete_expired_by_offset(&self, min_physical_offset: u64) -> StoreResult<usize> {
        let files = self.files();
        let unit = crate::limits::CQ_UNIT_SIZE_BYTES;
        let mut expired = 0;
        for file in files.iter().take(files.len().saturating_sub(1)) {
            let end = file.read_position();
            if end < unit {
                break;
            }
            let last_unit_offset = crate::record::read_i64(file.read(end - unit, unit), 0);
            if last_unit_offset < 0 || last_unit_offset as u64 >= min_physical_offset {
                break;
            }
            expired += 1;
        }
        self.delete_first(expired)
    }

    /// Removes the first `count` files from the queue, then deletes them from disk.
    fn delete_first(&self, count: usize) -> StoreResult<usize> {
        if count == 0 {
            return Ok(0);
        }
        let removed: Vec<Arc<MappedFile>> = {
            let mut files = self.files.write();
            let count = count.min(files.len().saturating_sub(1));
            files.drain(..count).collect()
        };
        let deleted = removed.len();
        for file in removed {
            destroy(file)?;
        }
        Ok(deleted)
    }

    /// Deletes every file (e.g. a ConsumeQueue with no CommitLog left behind it).
    pub fn destroy_all(&self) -> StoreResult<()> {
        let mut files = self.files.write();
        for file in files.drain(..) {
            destroy(file)?;
        }
        Ok(())
    }

    pub fn flushed_where(&self) -> u64 {
        self.flushed_where.load(Ordering::Acquire)
    }

    /// Recovery sets where the disk is known to be good.
    pub fn set_flushed_where(&self, offset: u64) {
        self.flushed_where.store(offset, Ordering::Release);
    }

    /// Flushes the one file holding `flushed_where` (`MappedFileQueue.flush`), if it is able to
    /// with `least_pages`. Returns true when `flushed_where` moved.
    pub fn flush(&self, least_pages: u64) -> StoreResult<bool> {
        let flushed_where = self.flushed_where();
        let file = match (self.find_by_offset(flushed_where), self.first()) {
            (Some(file), _) => file,
            (None, Some(first)) if flushed_where < first.file_from_offset() => first,
            _ => return Ok(false),
        };
        let position = file.flush(least_pages)?;
        let reached = file.file_from_offset() + position;
        if reached > flushed_where {
            self.flushed_where.store(reached, Ordering::Release);
            return Ok(true);
        }
        Ok(false)
    }

    /// Commits every pooled file's buffered bytes (`least_pages` as in `MappedFile::commit`).
    pub fn commit(&self, least_pages: u64, pool: Option<&TransientStorePool>) -> StoreResult<()> {
        for file in self.files().iter().filter(|file| file.has_write_buffer()) {
            file.commit(least_pages, pool)?;
        }
        Ok(())
    }

    /// Flushes until everything published is on disk (or nothing moves).
    pub fn flush_all(&self) -> StoreResult<()> {
        while self.flushed_where() < self.max_offset() && self.flush(0)? {}
        Ok(())
    }
}

fn destroy(file: Arc<MappedFile>) -> StoreResult<()> {
    match Arc::try_unwrap(file) {
        Ok(file) => file.destroy(),
        // A reader still holds it: unlink now, the mapping goes away with the last reference.
        Err(shared) => std::fs::remove_file(shared.path())
            .map_err(|e| StoreError::io(&format!("delete {}", shared.path().display()), e)),
    }
}

/// Segment files of `dir`, sorted by name; sub-directories and non-offset names are skipped.
fn list_segment_files(dir: &Path) -> StoreResult<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| StoreError::io(&format!("list {}", dir.display()), e))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(&format!("list {}", dir.display()), e))?;
        let name = entry.file_name();
        let is_segment = name.len() == 20 && name.to_str().is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
        if is_segment && entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}
