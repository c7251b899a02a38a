//! IndexService: the index files of `<root>/index/`, oldest first (docs/store-format.md §8.3, §8.4, §9.3).
//! Builds entries for dispatched records, rolls to a new file when the last one is full, answers
//! key queries newest file first, and deletes files the CommitLog has left behind. Depends on
//! `index_file`, `record` (transaction types) and `libc` (local time for file names).
//!
//! Single owner: writes take `&mut self`; a caller that queries from other threads wraps the
//! service in a lock (Java uses a ReadWriteLock inside).

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{StoreError, StoreResult};
use crate::index_file::IndexFile;
use crate::record::{SYS_FLAG_TRANSACTION_MASK, TRANSACTION_ROLLBACK_TYPE};

/// `MessageConst.KEY_SEPARATOR`: the KEYS property holds keys separated by single spaces.
pub const KEY_SEPARATOR: char = ' ';

/// `topic#key`, the string that is hashed (`IndexService.buildKey`).
pub fn build_key(topic: &str, key: &str) -> String {
    format!("{topic}#{key}")
}

/// `utc_ms` shifted by the local UTC offset at that instant, so that [`IndexFile::create`] names
/// the file with the local calendar time, as Java's `UtilAll.timeMillisToHumanString` does.
pub fn local_wall_clock_ms(utc_ms: i64) -> i64 {
    let seconds = utc_ms.div_euclid(1000) as libc::time_t;
    // SAFETY: an all-zero `tm` is a valid value; localtime_r only writes into it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r is thread-safe.
    let converted = unsafe { !libc::localtime_r(&seconds, &mut tm).is_null() };
    let offset_seconds = if converted { tm.tm_gmtoff } else { 0 };
    utc_ms + offset_seconds * 1000
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

pub struct IndexService {
    dir: PathBuf,
    hash_slot_num: u32,
    index_num: u32,
    /// Ordered by name, i.e. by creation time; only the last one is written.
    files: Vec<IndexFile>,
}

impl IndexService {
    /// `IndexService.load`: opens the index files in `dir` (the `index` directory, created if
    /// missing) in name order. Names that are not decimal numbers are ignored, as Java's
    /// `Long.parseLong` failure ignores them. After an abnormal exit (`!last_exit_ok`), files
    /// whose endTimestamp > `index_msg_timestamp` (the checkpoint's) are destroyed: they may
    /// hold entries that never reached the disk, and recovery re-dispatches them.
    pub fn load(
        dir: &Path,
        hash_slot_num: u32,
        index_num: u32,
        last_exit_ok: bool,
        index_msg_timestamp: i64,
    ) -> StoreResult<IndexService> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(&format!("create {}", dir.display()), e))?;
        let mut files = Vec::new();
        for path in list_index_files(dir)? {
            let context = path.display().to_string();
            let len = std::fs::metadata(&path).map_err(|e| StoreError::io(&context, e))?.len();
            if len == 0 {
                // A crash between creating and sizing a new file: it never held an entry.
                std::fs::remove_file(&path).map_err(|e| StoreError::io(&format!("delete {context}"), e))?;
                continue;
            }
            let file = IndexFile::open_existing(&path, hash_slot_num, index_num)?;
            if !last_exit_ok && file.end_timestamp() > index_msg_timestamp {
                file.destroy()?;
                continue;
            }
            files.push(file);
        }
        Ok(IndexService { dir: dir.to_path_buf(), hash_slot_num, index_num, files })
    }

    /// `IndexService.buildIndex` for one dispatched record: indexes `topic#uniq_key`, then
    /// `topic#k` for each non-empty `k` of the space-separated `keys`. Skipped entirely when
    /// `phy_offset` < the last file's endPhyOffset (a re-dispatch of a record already indexed;
    /// an offset equal to it is indexed again, as in Java) and for ROLLBACK records (NOT,
    /// PREPARED and COMMIT types are indexed).
    ///
    /// Returns the endTimestamp of an index file that filled up and has been flushed during this
    /// call (the latest one if several did): the caller stores it as the checkpoint's
    /// `indexMsgTimestamp` and flushes the checkpoint. Compat: Java flushes the full file on a
    /// short-lived thread; here it is flushed before the new file is created. Java retries a
    /// failed file creation 3 times, 1 s apart, then marks the store unwritable
    /// (`WRITE_INDEX_FILE_ERROR`); here the error is returned for the caller to act on.
    pub fn build_index(
        &mut self,
        topic: &str,
        keys: Option<&str>,
        uniq_key: Option<&str>,
        phy_offset: i64,
        store_timestamp: i64,
        sys_flag: i32,
    ) -> StoreResult<Option<i64>> {
        let mut filled = self.roll_if_full()?;
        let end_phy_offset = self.end_phy_offset();
        if phy_offset < end_phy_offset || sys_flag & SYS_FLAG_TRANSACTION_MASK == TRANSACTION_ROLLBACK_TYPE {
            return Ok(filled);
        }
        if let Some(uniq_key) = uniq_key {
            filled = filled.max(self.put_key(&build_key(topic, uniq_key), phy_offset, store_timestamp)?);
        }
        for key in keys.unwrap_or_default().split(KEY_SEPARATOR).filter(|k| !k.is_empty()) {
            filled = filled.max(self.put_key(&build_key(topic, key), phy_offset, store_timestamp)?);
        }
        Ok(filled)
    }

    /// Puts into the last file, rolling once if it is full.
    fn put_key(&mut self, key: &str, phy_offset: i64, store_timestamp: i64) -> StoreResult<Option<i64>> {
        let last = self.files.last_mut().expect("roll_if_full left a last file");
        if last.put_key(key, phy_offset, store_timestamp)? {
            return Ok(None);
        }
        let filled = self.roll_if_full()?;
        let last = self.files.last_mut().expect("a file was just created");
        let put = last.put_key(key, phy_offset, store_timestamp)?;
        assert!(put, "{}: a new index file refused its first key", last.path().display());
        Ok(filled)
    }

    /// `getAndCreateLastIndexFile`: makes sure the last file has room. When the last file is
    /// full it is flushed and a new one continues from its end; returns the full file's
    /// endTimestamp when positive (Java only then moves `indexMsgTimestamp`).
    fn roll_if_full(&mut self) -> StoreResult<Option<i64>> {
        let (prev_end_phy_offset, prev_end_timestamp) = match self.files.last() {
            Some(last) if !last.is_full() => return Ok(None),
            Some(last) => {
                last.flush()?;
                (last.end_phy_offset(), last.end_timestamp())
            }
            None => (0, 0),
        };
        let mut file = IndexFile::create(&self.dir, self.next_name_time_ms(), self.hash_slot_num, self.index_num)?;
        file.start_after(prev_end_phy_offset, prev_end_timestamp);
        let filled = (prev_end_timestamp > 0).then_some(prev_end_timestamp);
        self.files.push(file);
        Ok(filled)
    }

    /// Local wall-clock time now, moved past the last file's name so names stay unique and
    /// increasing (several files in one millisecond, or the clock going back). Java names by
    /// the clock alone.
    fn next_name_time_ms(&self) -> i64 {
        let now = local_wall_clock_ms(now_ms());
        match self.files.last().and_then(|f| f.name_time_ms()) {
            Some(last) => now.max(last + 1),
            None => now,
        }
    }

    /// `IndexService.queryOffset`: CommitLog offsets of records whose `topic#key` **hash**
    /// matches, stored within `[begin_ms, end_ms]`, newest file first, at most `max_count`
    /// (DefaultMessageStore clamps it to `maxMsgsNumBatch`, 64, before calling). Stops at the
    /// first file that begins before `begin_ms`. Callers re-check the key of each record.
    pub fn query_offsets(&self, topic: &str, key: &str, max_count: usize, begin_ms: i64, end_ms: i64) -> Vec<i64> {
        let key = build_key(topic, key);
        let mut offsets = Vec::with_capacity(max_count.min(64));
        for file in self.files.iter().rev() {
            if file.is_time_matched(begin_ms, end_ms) {
                file.select_phy_offsets(&key, max_count, begin_ms, end_ms, &mut offsets);
            }
            if file.begin_timestamp() < begin_ms || offsets.len() >= max_count {
                break;
            }
        }
        offsets
    }

    /// `deleteExpiredFile`: deletes the leading files whose endPhyOffset < `min_phy_offset`
    /// (the CommitLog's first offset), never the last file. Returns how many were deleted.
    pub fn delete_expired(&mut self, min_phy_offset: i64) -> StoreResult<usize> {
        let keep_last = self.files.len().saturating_sub(1);
        let expired = self.files[..keep_last].iter().take_while(|f| f.end_phy_offset() < min_phy_offset).count();
        for _ in 0..expired {
            self.files.remove(0).destroy()?;
        }
        Ok(expired)
    }

    /// Forces the last file to disk. Full files were flushed when they rolled, and loaded files
    /// are not written again.
    pub fn flush(&self) -> StoreResult<()> {
        match self.files.last() {
            Some(last) => last.flush(),
            None => Ok(()),
        }
    }

    /// `IndexService.destroy`: deletes every index file.
    pub fn destroy(&mut self) -> StoreResult<()> {
        while !self.files.is_empty() {
            self.files.remove(0).destroy()?;
        }
        Ok(())
    }

    /// The files, oldest first.
    pub fn files(&self) -> &[IndexFile] {
        &self.files
    }
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    /// The last file's endTimestamp (Java's `indexLastUpdateTimestamp`); 0 without files.
    pub fn end_timestamp(&self) -> i64 {
        self.files.last().map_or(0, IndexFile::end_timestamp)
    }
    /// The last file's endPhyOffset (Java's `indexLastUpdatePhyoffset`); 0 without files.
    pub fn end_phy_offset(&self) -> i64 {
        self.files.last().map_or(0, IndexFile::end_phy_offset)
    }
}

/// Regular files in `dir` named by a decimal number, in name order (Java sorts the paths).
fn list_index_files(dir: &Path) -> StoreResult<Vec<PathBuf>> {
    let context = || format!("list {}", dir.display());
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| StoreError::io(&context(), e))? {
        let entry = entry.map_err(|e| StoreError::io(&context(), e))?;
        let name = entry.file_name();
        let numeric = name.to_str().is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()) && n.parse::<i64>().is_ok());
        if numeric && entry.file_type().is_ok_and(|t| t.is_file()) {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}
