//! IndexFile: one hash index from message keys to CommitLog offsets (docs/store-format.md §8), named by its
//! creation time `yyyyMMddHHmmssSSS`. Written and read through a shared writable mapping, as
//! RocketMQ does (the header is written through on every put). Depends on `memmap2`, `record`
//! (big-endian helpers) and `properties` (Java `String.hashCode`).
//!
//! ```text
//! region   offset                          size        content
//! header   0                               8           beginTimestamp  store time of entry 1
//!          8                               8           endTimestamp    store time of the last entry
//!          16                              8           beginPhyOffset  CommitLog offset of entry 1
//!          24                              8           endPhyOffset    CommitLog offset of the last entry
//!          32                              4           hashSlotCount   slots that were empty when written
//!          36                              4           indexCount      next entry number (starts at 1)
//! slots    40 + s×4                        4 each      i32 newest entry number of slot s; 0 = empty
//! entries  40 + slots×4 + n×20             20 each     entry n (n ≥ 1; entry 0 stays zero):
//!          +0                              4             keyHash      |key.hashCode()|, MIN_VALUE → 0
//!          +4                              8             phyOffset    CommitLog offset of the record
//!          +12                             4             timeDiff     SECONDS since beginTimestamp
//!          +16                             4             prevIndex    older entry in the same slot; 0 = none
//! ```

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use memmap2::{MmapMut, MmapOptions};

use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::properties::java_string_hash;
use crate::record::{read_i32, read_i64};

pub const INDEX_HEADER_SIZE_BYTES: usize = 40;
pub const HASH_SLOT_SIZE_BYTES: usize = 4;
pub const INDEX_ENTRY_SIZE_BYTES: usize = 20;
/// Slot and prevIndex value meaning "no entry".
pub const INVALID_INDEX: i32 = 0;
/// `maxHashSlotNum`.
pub const DEFAULT_MAX_HASH_SLOT_NUM: u32 = 5_000_000;
/// `maxIndexNum`: a file holds at most this many entries minus one (entries are 1-based).
pub const DEFAULT_MAX_INDEX_NUM: u32 = 20_000_000;

const POS_BEGIN_TIMESTAMP: usize = 0;
const POS_END_TIMESTAMP: usize = 8;
const POS_BEGIN_PHY_OFFSET: usize = 16;
const POS_END_PHY_OFFSET: usize = 24;
const POS_HASH_SLOT_COUNT: usize = 32;
const POS_INDEX_COUNT: usize = 36;
const NAME_LEN: usize = 17;
const MS_PER_DAY: i64 = 86_400_000;

const _: () = assert!(INDEX_HEADER_SIZE_BYTES == 4 * 8 + 2 * 4);
const _: () = assert!(INDEX_ENTRY_SIZE_BYTES == 4 + 8 + 4 + 4);
const _: () = assert!(index_file_size_bytes(DEFAULT_MAX_HASH_SLOT_NUM, DEFAULT_MAX_INDEX_NUM) == 420_000_040);

/// `40 + hash_slot_num × 4 + index_num × 20`.
pub const fn index_file_size_bytes(hash_slot_num: u32, index_num: u32) -> u64 {
    INDEX_HEADER_SIZE_BYTES as u64
        + hash_slot_num as u64 * HASH_SLOT_SIZE_BYTES as u64
        + index_num as u64 * INDEX_ENTRY_SIZE_BYTES as u64
}

/// `indexKeyHashMethod`: `Math.abs(key.hashCode())`, with `Integer.MIN_VALUE` (whose abs stays
/// negative) mapped to 0.
pub fn index_key_hash(key: &str) -> i32 {
    java_string_hash(key.as_bytes()).checked_abs().unwrap_or(0)
}

/// The file name for `name_time_ms`: its calendar fields, read as UTC, as `yyyyMMddHHmmssSSS`.
/// Pass a local wall-clock time to get the name Java's `UtilAll.timeMillisToHumanString` gives
/// (the index service does). `None` outside years 1970..=9999.
pub fn index_file_name(name_time_ms: i64) -> Option<String> {
    if name_time_ms < 0 {
        return None;
    }
    let (year, month, day) = civil_from_days(name_time_ms.div_euclid(MS_PER_DAY));
    let ms_of_day = name_time_ms.rem_euclid(MS_PER_DAY);
    let (hour, minute) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
    let (second, milli) = (ms_of_day / 1000 % 60, ms_of_day % 1000);
    (year <= 9999).then(|| format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}{milli:03}"))
}

/// The inverse of [`index_file_name`]; `None` for anything that is not such a name.
pub fn parse_index_file_name(name: &str) -> Option<i64> {
    if name.len() != NAME_LEN || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |from: usize, to: usize| name[from..to].parse::<i64>().ok();
    let days = days_from_civil(field(0, 4)?, field(4, 6)?, field(6, 8)?);
    let ms = days * MS_PER_DAY + field(8, 10)? * 3_600_000 + field(10, 12)? * 60_000 + field(12, 14)? * 1000;
    let ms = ms + field(14, 17)?;
    // Out-of-range fields (month 13, hour 25 …) do not survive the round trip.
    (index_file_name(ms).as_deref() == Some(name)).then_some(ms)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The 40-byte header, as held in memory and written through to the mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexHeader {
    pub begin_timestamp: i64,
    pub end_timestamp: i64,
    pub begin_phy_offset: i64,
    pub end_phy_offset: i64,
    pub hash_slot_count: i32,
    pub index_count: i32,
}

impl IndexHeader {
    const EMPTY: IndexHeader = IndexHeader {
        begin_timestamp: 0,
        end_timestamp: 0,
        begin_phy_offset: 0,
        end_phy_offset: 0,
        hash_slot_count: 0,
        index_count: 1,
    };

    fn encode(&self) -> [u8; INDEX_HEADER_SIZE_BYTES] {
        let mut bytes = [0u8; INDEX_HEADER_SIZE_BYTES];
        bytes[POS_BEGIN_TIMESTAMP..POS_BEGIN_TIMESTAMP + 8].copy_from_slice(&self.begin_timestamp.to_be_bytes());
        bytes[POS_END_TIMESTAMP..POS_END_TIMESTAMP + 8].copy_from_slice(&self.end_timestamp.to_be_bytes());
        bytes[POS_BEGIN_PHY_OFFSET..POS_BEGIN_PHY_OFFSET + 8].copy_from_slice(&self.begin_phy_offset.to_be_bytes());
        bytes[POS_END_PHY_OFFSET..POS_END_PHY_OFFSET + 8].copy_from_slice(&self.end_phy_offset.to_be_bytes());
        bytes[POS_HASH_SLOT_COUNT..POS_HASH_SLOT_COUNT + 4].copy_from_slice(&self.hash_slot_count.to_be_bytes());
        bytes[POS_INDEX_COUNT..POS_INDEX_COUNT + 4].copy_from_slice(&self.index_count.to_be_bytes());
        bytes
    }

    /// `IndexHeader.load`: an indexCount ≤ 0 (a Java file never flushed before its first put) reads as 1.
    fn decode(bytes: &[u8]) -> IndexHeader {
        IndexHeader {
            begin_timestamp: read_i64(bytes, POS_BEGIN_TIMESTAMP),
            end_timestamp: read_i64(bytes, POS_END_TIMESTAMP),
            begin_phy_offset: read_i64(bytes, POS_BEGIN_PHY_OFFSET),
            end_phy_offset: read_i64(bytes, POS_END_PHY_OFFSET),
            hash_slot_count: read_i32(bytes, POS_HASH_SLOT_COUNT),
            index_count: read_i32(bytes, POS_INDEX_COUNT).max(1),
        }
    }
}

/// One 20-byte entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexEntry {
    pub key_hash: i32,
    pub phy_offset: i64,
    pub time_diff_secs: i32,
    pub prev_index: i32,
}

impl IndexEntry {
    fn encode(&self) -> [u8; INDEX_ENTRY_SIZE_BYTES] {
        let mut bytes = [0u8; INDEX_ENTRY_SIZE_BYTES];
        bytes[0..4].copy_from_slice(&self.key_hash.to_be_bytes());
        bytes[4..12].copy_from_slice(&self.phy_offset.to_be_bytes());
        bytes[12..16].copy_from_slice(&self.time_diff_secs.to_be_bytes());
        bytes[16..20].copy_from_slice(&self.prev_index.to_be_bytes());
        bytes
    }

    fn decode(bytes: &[u8]) -> IndexEntry {
        IndexEntry {
            key_hash: read_i32(bytes, 0),
            phy_offset: read_i64(bytes, 4),
            time_diff_secs: read_i32(bytes, 12),
            prev_index: read_i32(bytes, 16),
        }
    }
}

pub struct IndexFile {
    path: PathBuf,
    name: String,
    hash_slot_num: u32,
    index_num: u32,
    mmap: MmapMut,
    header: IndexHeader,
}

/// The file size for these counts, refused when Java could not address it (int positions) or
/// when a file could never take an entry (`index_num` 1 would roll forever).
fn checked_file_size(hash_slot_num: u32, index_num: u32) -> StoreResult<usize> {
    let size = index_file_size_bytes(hash_slot_num, index_num);
    if hash_slot_num == 0 || index_num < 2 || size > i32::MAX as u64 {
        return Err(StoreError::new(
            ErrorCode::InvalidArg,
            format!(
                "index file with {hash_slot_num} slots and {index_num} entries: \
                 need slots ≥ 1, entries ≥ 2 and at most 2^31-1 bytes"
            ),
        ));
    }
    Ok(size as usize)
}

impl IndexFile {
    /// Creates `dir/<index_file_name(name_time_ms)>` (which must not exist), zero-filled
    /// (sparse), with an empty header: indexCount 1, everything else 0.
    pub fn create(dir: &Path, name_time_ms: i64, hash_slot_num: u32, index_num: u32) -> StoreResult<IndexFile> {
        let size = checked_file_size(hash_slot_num, index_num)?;
        let name = index_file_name(name_time_ms).ok_or_else(|| {
            StoreError::new(ErrorCode::InvalidArg, format!("index file time {name_time_ms} ms is outside 1970..=9999"))
        })?;
        let path = dir.join(&name);
        let failed = |what: &str, e: std::io::Error| {
            StoreError::new(ErrorCode::CreateMappedFileFailed, format!("{what} {}: {e}", path.display()))
        };
        let file =
            OpenOptions::new().read(true).write(true).create_new(true).open(&path).map_err(|e| failed("create", e))?;
        let mapped = reserve_blocks(&file, size as u64).map_err(|e| failed("reserve", e)).and_then(|()| {
            // SAFETY: the file was just created by us and is owned by this IndexFile from here on.
            unsafe { MmapOptions::new().len(size).map_mut(&file) }.map_err(|e| failed("mmap", e))
        });
        let mmap = match mapped {
            Ok(mmap) => mmap,
            Err(err) => {
                // Best effort: a leftover empty file is also removed by `IndexService::load`.
                let _ = std::fs::remove_file(&path);
                return Err(err);
            }
        };
        let mut index_file = IndexFile { path, name, hash_slot_num, index_num, mmap, header: IndexHeader::EMPTY };
        // Compat: Java leaves the header zero until the first put or flush; both read back the same.
        index_file.write_header();
        Ok(index_file)
    }

    /// Opens an index file written by this store or by RocketMQ. Its length must match the
    /// configured counts, and its header counts must fit them.
    pub fn open_existing(path: &Path, hash_slot_num: u32, index_num: u32) -> StoreResult<IndexFile> {
        let size = checked_file_size(hash_slot_num, index_num)?;
        let context = path.display().to_string();
        let file = OpenOptions::new().read(true).write(true).open(path).map_err(|e| StoreError::io(&context, e))?;
        let len = file.metadata().map_err(|e| StoreError::io(&context, e))?.len();
        if len != size as u64 {
            return Err(StoreError::new(
                ErrorCode::Corrupt,
                format!("{context}: length {len} is not {size} ({hash_slot_num} slots, {index_num} entries)"),
            ));
        }
        // SAFETY: index files are written only through their own IndexFile.
        let mmap = unsafe { MmapOptions::new().len(size).map_mut(&file) }
            .map_err(|e| StoreError::new(ErrorCode::Io, format!("mmap {context}: {e}")))?;
        let header = IndexHeader::decode(&mmap[..INDEX_HEADER_SIZE_BYTES]);
        let counts_fit = header.index_count as u32 <= index_num
            && header.hash_slot_count >= 0
            && header.hash_slot_count as u32 <= hash_slot_num
            && header.hash_slot_count <= header.index_count;
        if !counts_fit {
            return Err(StoreError::new(
                ErrorCode::Corrupt,
                format!("{context}: header {header:?} does not fit {hash_slot_num} slots, {index_num} entries"),
            ));
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        Ok(IndexFile { path: path.to_path_buf(), name, hash_slot_num, index_num, mmap, header })
    }

    /// A new file continues where the full one ended (Java's constructor arguments): begin and end
    /// start at the previous file's end, each only when it is positive. The first put replaces
    /// the begin values.
    pub fn start_after(&mut self, prev_end_phy_offset: i64, prev_end_timestamp: i64) {
        assert_eq!(self.header.index_count, 1, "{}: start_after on a file with entries", self.path.display());
        if prev_end_phy_offset > 0 {
            self.header.begin_phy_offset = prev_end_phy_offset;
            self.header.end_phy_offset = prev_end_phy_offset;
        }
        if prev_end_timestamp > 0 {
            self.header.begin_timestamp = prev_end_timestamp;
            self.header.end_timestamp = prev_end_timestamp;
        }
        self.write_header();
    }

    fn write_header(&mut self) {
        self.mmap[..INDEX_HEADER_SIZE_BYTES].copy_from_slice(&self.header.encode());
    }

    fn slot_position(&self, key_hash: i32) -> usize {
        assert!(key_hash >= 0, "index key hashes are non-negative");
        INDEX_HEADER_SIZE_BYTES + (key_hash as u32 % self.hash_slot_num) as usize * HASH_SLOT_SIZE_BYTES
    }

    fn entry_position(&self, index: i32) -> usize {
        assert!(index >= 0 && (index as u32) < self.index_num, "entry {index} outside [0, {})", self.index_num);
        INDEX_HEADER_SIZE_BYTES
            + self.hash_slot_num as usize * HASH_SLOT_SIZE_BYTES
            + index as usize * INDEX_ENTRY_SIZE_BYTES
    }

    /// `putKey`: appends entry `indexCount` for `key` at the head of its slot's chain. Returns
    /// false when the file is full.
    pub fn put_key(&mut self, key: &str, phy_offset: i64, store_timestamp: i64) -> StoreResult<bool> {
        if self.is_full() {
            return Ok(false);
        }
        assert!(phy_offset >= 0, "{}: negative CommitLog offset {phy_offset}", self.path.display());
        let key_hash = index_key_hash(key);
        let slot_position = self.slot_position(key_hash);
        let index = self.header.index_count;
        let mut prev_index = read_i32(&self.mmap, slot_position);
        if prev_index <= INVALID_INDEX || prev_index > index {
            prev_index = INVALID_INDEX;
        }
        // Seconds since the file's begin, computed before a first put moves the begin (a rolled
        // file's first entry is thus relative to the previous file's end, as in Java).
        let begin = self.header.begin_timestamp;
        let time_diff_secs = match begin <= 0 {
            true => 0,
            false => (store_timestamp.wrapping_sub(begin) / 1000).clamp(0, i64::from(i32::MAX)) as i32,
        };
        let entry = IndexEntry { key_hash, phy_offset, time_diff_secs, prev_index };
        let entry_position = self.entry_position(index);
        self.mmap[entry_position..entry_position + INDEX_ENTRY_SIZE_BYTES].copy_from_slice(&entry.encode());
        self.mmap[slot_position..slot_position + HASH_SLOT_SIZE_BYTES].copy_from_slice(&index.to_be_bytes());

        if index <= 1 {
            self.header.begin_phy_offset = phy_offset;
            self.header.begin_timestamp = store_timestamp;
        }
        if prev_index == INVALID_INDEX {
            self.header.hash_slot_count += 1;
        }
        self.header.index_count += 1;
        self.header.end_phy_offset = phy_offset;
        self.header.end_timestamp = store_timestamp;
        self.write_header();
        Ok(true)
    }

    /// `selectPhyOffset`: walks `key`'s slot chain newest → oldest and appends to `out` the
    /// offsets whose **hash** matches and whose time is in `[begin_ms, end_ms]`, until `out`
    /// holds `max_count`. Callers must re-check the key of each record.
    pub fn select_phy_offsets(&self, key: &str, max_count: usize, begin_ms: i64, end_ms: i64, out: &mut Vec<i64>) {
        let key_hash = index_key_hash(key);
        let index_count = self.header.index_count;
        let slot_value = read_i32(&self.mmap, self.slot_position(key_hash));
        if slot_value <= INVALID_INDEX || slot_value > index_count || index_count <= 1 {
            return;
        }
        let mut next = slot_value;
        // Java reads past the file and stops on the exception; this stops before.
        while out.len() < max_count && (next as u32) < self.index_num {
            let entry = self.entry(next);
            if entry.time_diff_secs < 0 {
                break;
            }
            let time_read = self.header.begin_timestamp.wrapping_add(i64::from(entry.time_diff_secs) * 1000);
            if entry.key_hash == key_hash && time_read >= begin_ms && time_read <= end_ms {
                out.push(entry.phy_offset);
            }
            let prev = entry.prev_index;
            // Compat: Java stops on a self-loop only; stopping whenever prev does not point to an
            // older entry also ends cycles in a damaged file. A file written in order never has one.
            if prev <= INVALID_INDEX || prev > index_count || prev >= next || time_read < begin_ms {
                break;
            }
            next = prev;
        }
    }

    /// `isTimeMatched`: whether `[begin_ms, end_ms]` overlaps the file's `[begin, end]` timestamps.
    pub fn is_time_matched(&self, begin_ms: i64, end_ms: i64) -> bool {
        let (begin, end) = (self.header.begin_timestamp, self.header.end_timestamp);
        (begin_ms < begin && end_ms > end)
            || (begin_ms >= begin && begin_ms <= end)
            || (end_ms >= begin && end_ms <= end)
    }

    /// Entry `index` as stored (entry 0 is never written).
    pub fn entry(&self, index: i32) -> IndexEntry {
        let position = self.entry_position(index);
        IndexEntry::decode(&self.mmap[position..position + INDEX_ENTRY_SIZE_BYTES])
    }

    /// The value of hash slot `slot`: the newest entry number in it, 0 when empty.
    pub fn slot(&self, slot: u32) -> i32 {
        assert!(slot < self.hash_slot_num, "slot {slot} outside [0, {})", self.hash_slot_num);
        read_i32(&self.mmap, INDEX_HEADER_SIZE_BYTES + slot as usize * HASH_SLOT_SIZE_BYTES)
    }

    /// `isWriteFull`: `indexCount ≥ index_num`.
    pub fn is_full(&self) -> bool {
        self.header.index_count as u32 >= self.index_num
    }
    pub fn header(&self) -> IndexHeader {
        self.header
    }
    pub fn begin_timestamp(&self) -> i64 {
        self.header.begin_timestamp
    }
    pub fn end_timestamp(&self) -> i64 {
        self.header.end_timestamp
    }
    pub fn end_phy_offset(&self) -> i64 {
        self.header.end_phy_offset
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The file name (`yyyyMMddHHmmssSSS` for files this store creates).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The time the name stands for, when it is a `yyyyMMddHHmmssSSS` name.
    pub fn name_time_ms(&self) -> Option<i64> {
        parse_index_file_name(&self.name)
    }
    pub fn file_size_bytes(&self) -> u64 {
        self.mmap.len() as u64
    }

    /// Forces the mapping (header included) to disk.
    pub fn flush(&self) -> StoreResult<()> {
        self.mmap.flush().map_err(|e| StoreError::io(&format!("msync {}", self.path.display()), e))
    }

    /// Unmaps and deletes the file.
    pub fn destroy(self) -> StoreResult<()> {
        let path = self.path.clone();
        drop(self);
        std::fs::remove_file(&path).map_err(|e| StoreError::io(&format!("delete {}", path.display()), e))
    }
}

/// Sizes the file and reserves its blocks up front, so writes through the mapping can never meet
/// a full disk (which would be a SIGBUS, not an error): a full disk fails the creation instead.
/// File systems without `fallocate` get a sparse file.
#[cfg(target_os = "linux")]
fn reserve_blocks(file: &File, size: u64) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: fallocate on a descriptor we own.
    if unsafe { libc::fallocate(file.as_raw_fd(), 0, 0, size as libc::off_t) } == 0 {
        return Ok(());
    }
    let error = std::io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::EOPNOTSUPP) => file.set_len(size),
        _ => Err(error),
    }
}

/// No `fallocate` off Linux (macOS): a sparse file, as on file systems without it.
#[cfg(not(target_os = "linux"))]
fn reserve_blocks(file: &File, size: u64) -> std::io::Result<()> {
    file.set_len(size)
}
