//! Limits and sizes of the store, in one place, with their units.
//! Depends on nothing; every other module takes its bounds from here.

/// Default CommitLog segment size: 1 GiB (`mappedFileSizeCommitLog`).
pub const DEFAULT_COMMIT_LOG_FILE_SIZE_BYTES: u64 = 1024 * 1024 * 1024;
/// Default ConsumeQueue units per file (`mappedFileSizeConsumeQueue` = 300,000 × 20).
pub const DEFAULT_CONSUME_QUEUE_UNITS_PER_FILE: u64 = 300_000;
/// Default body limit (`maxMessageSize`, 4 MiB).
pub const DEFAULT_MAX_MESSAGE_SIZE_BYTES: u32 = 4 * 1024 * 1024;
/// A record may exceed the body limit by the encoder buffer's slack (64 KiB) at most.
pub const RECORD_SLACK_BYTES: u32 = 64 * 1024;
/// Queue ids accepted by the store: `[0, DEFAULT_MAX_QUEUES_PER_TOPIC)`.
pub const DEFAULT_MAX_QUEUES_PER_TOPIC: u32 = 1024;
/// Every completed CommitLog file ends with a blank record of at least this size.
pub const END_FILE_MIN_BLANK_LENGTH: u32 = 8;
/// Smallest CommitLog file size accepted (tests use small files).
pub const MIN_COMMIT_LOG_FILE_SIZE_BYTES: u64 = 256;
/// Properties length is an i16 on disk.
pub const MAX_PROPERTIES_SIZE_BYTES: usize = i16::MAX as usize;
/// V1 stores the topic length in one signed byte.
pub const MAX_TOPIC_LENGTH_V1: usize = 127;
/// The send path never accepts topics longer than this.
pub const MAX_TOPIC_LENGTH: usize = 255;
/// Page size used to count unflushed pages.
pub const OS_PAGE_SIZE_BYTES: u64 = 4096;
/// One ConsumeQueue unit: commitLogOffset i64, size i32, tagsCode i64.
pub const CQ_UNIT_SIZE_BYTES: u64 = 20;

const _: () = assert!(CQ_UNIT_SIZE_BYTES == 8 + 4 + 8);
const _: () = assert!(DEFAULT_COMMIT_LOG_FILE_SIZE_BYTES <= i32::MAX as u64 + 1);
