//! CleanCommitLogService and CleanConsumeQueueService (docs/store-format.md §10): every
//! `cleanResourceInterval` it measures the disk, raises or clears the disk-full flag that makes
//! the store refuse writes, deletes CommitLog files past `fileReservedTime` (at the `deleteWhen`
//! hour, or whenever the disk is past `diskMaxUsedSpaceRatio`; the oldest whatever their age past
//! `diskSpaceCleanForciblyRatio`), then the ConsumeQueue and index files that only pointed into them.
//! Depends on `mapped_file_queue`, `flush_service` (the ConsumeQueue registry).

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::StoreConfig;
use crate::flush_service::ConsumeQueueRegistry;
use crate::index_dispatcher::IndexDispatcher;
use crate::mapped_file_queue::MappedFileQueue;
use crate::service_thread::ServiceThread;

/// Set while the disk is past `diskSpaceWarningLevelRatio`: appends fail with `DiskFull`.
#[derive(Default)]
pub struct RunningFlags {
    disk_full: AtomicBool,
}

impl RunningFlags {
    pub fn is_disk_full(&self) -> bool {
        self.disk_full.load(Ordering::Acquire)
    }
    pub fn set_disk_full(&self, full: bool) {
        self.disk_full.store(full, Ordering::Release);
    }
}

struct Shared {
    commit_log: Arc<MappedFileQueue>,
    consume_queues: Arc<ConsumeQueueRegistry>,
    index: Option<Arc<IndexDispatcher>>,
    flags: Arc<RunningFlags>,
    config: StoreConfig,
    /// Runs left that delete expired files whatever the hour (the admin command arms 20).
    manual_runs: AtomicU32,
}

pub struct CleanService {
    shared: Arc<Shared>,
    thread: ServiceThread,
}

impl CleanService {
    pub fn start(
        commit_log: Arc<MappedFileQueue>,
        consume_queues: Arc<ConsumeQueueRegistry>,
        index: Option<Arc<IndexDispatcher>>,
        flags: Arc<RunningFlags>,
        config: StoreConfig,
    ) -> CleanService {
        let shared =
            Arc::new(Shared { commit_log, consume_queues, index, flags, config, manual_runs: AtomicU32::new(0) });
        let worker = Arc::clone(&shared);
        let interval = Duration::from_millis(shared.config.clean_resource_interval_ms);
        let thread = ServiceThread::start("clean-expired-files", move |signal| {
            while !signal.wait(interval, || false) {
                clean_once(&worker);
            }
        });
        CleanService { shared, thread }
    }

    /// The admin "delete expired files" command: the next 20 runs delete as if the hour had come.
    pub fn delete_expired_files_manually(&self) {
        self.shared.manual_runs.store(20, Ordering::Release);
        self.thread.wake();
    }

    /// Runs one pass now, on the caller's thread (tests and admin tools).
    pub fn run_once(&self) {
        clean_once(&self.shared);
    }

    pub fn shutdown(&mut self) {
        self.thread.shutdown();
    }
}

fn clean_once(shared: &Shared) {
    let config = &shared.config;
    let ratio = disk_used_ratio(&config.commit_log_dir()).max(disk_used_ratio(&config.consume_queue_dir()));
    shared.flags.set_disk_full(ratio > config.disk_space_warning_level_ratio.clamp(35, 90));
    let clean_immediately = ratio > config.disk_space_clean_forcibly_ratio.clamp(30, 85);
    let space_to_delete = clean_immediately || ratio > config.disk_max_used_space_ratio;
    let manual = shared.manual_runs.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1)).is_ok();
    if !(is_time_up(&config.delete_when) || space_to_delete || manual) {
        return;
    }
    let clean_at_once = config.clean_file_forcibly_enable && clean_immediately;
    let reserved = Duration::from_secs(config.file_reserved_time_hours * 3600);
    let deleted = shared.commit_log.delete_expired_by_time(reserved, clean_at_once, config.delete_file_batch_max);
    if deleted.unwrap_or(0) > 0 {
        let min_physical_offset = shared.commit_log.min_offset();
        for queue in shared.consume_queues.snapshot() {
            // A failed deletion is retried on the next pass; readers are unaffected.
            let _ = queue.delete_expired_by_offset(min_physical_offset);
        }
        if let Some(index) = &shared.index {
            let _ = index.delete_expired(min_physical_offset as i64);
        }
    }
}

/// `isTimeUp`: the local hour is one of `delete_when` (`"04"`, `"03;04"`).
fn is_time_up(delete_when: &str) -> bool {
    let hour = local_hour();
    delete_when.split(';').filter_map(|h| h.trim().parse::<i32>().ok()).any(|h| h == hour)
}

fn local_hour() -> i32 {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as libc::time_t;
    // SAFETY: localtime_r writes into the tm we own.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&now, &mut tm);
        tm.tm_hour
    }
}

/// `UtilAll.getDiskPartitionSpaceUsedPercent`: used / (used + available), rounded up, in percent.
/// 0 when the path cannot be measured.
pub fn disk_used_ratio(path: &std::path::Path) -> u32 {
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else { return 0 };
    // SAFETY: statvfs fills the struct we own from a NUL-terminated path.
    let stat = unsafe {
        let mut stat: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c_path.as_ptr(), &mut stat) != 0 {
            return 0;
        }
        stat
    };
    let block = stat.f_frsize as u64;
    let used = (stat.f_blocks as u64).saturating_sub(stat.f_bfree as u64) * block;
    let available = stat.f_bavail as u64 * block;
    if used + available == 0 {
        return 0;
    }
    (used * 100).div_ceil(used + available) as u32
}
