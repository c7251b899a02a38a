//! The store's typed errors: a stable code plus a message.
//! The N-API glue turns the code into `error.code`; the broker maps it to a RocketMQ response code.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A draft or message that breaks the record rules (size, magic, topic length, layout).
    MessageIllegal,
    /// PROPERTIESLENGTH above 32767.
    PropertiesSizeExceeded,
    /// queueId outside `[0, maxQueuesPerTopic)`.
    QueueIdIllegal,
    /// An offset that is not a record start, or lies past the end.
    OffsetIllegal,
    /// The store was closed.
    StoreClosed,
    /// A record or file that fails validation (magic, size, CRC, file length).
    Corrupt,
    /// An operating-system error.
    Io,
    /// A new mapped file could not be created.
    CreateMappedFileFailed,
    /// A caller argument outside its domain (e.g. output array too small).
    InvalidArg,
    /// The store refuses writes: the disk is full (or past `diskSpaceWarningLevelRatio`).
    /// RocketMQ's SERVICE_NOT_AVAILABLE.
    DiskFull,
    /// A slave's store takes only its master's bytes (docs/replication.md): RocketMQ's
    /// SERVICE_NOT_AVAILABLE for messages put to a slave.
    ReplicaReadOnly,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MessageIllegal => "ERR_MESSAGE_ILLEGAL",
            ErrorCode::PropertiesSizeExceeded => "ERR_PROPERTIES_SIZE_EXCEEDED",
            ErrorCode::QueueIdIllegal => "ERR_QUEUE_ID_ILLEGAL",
            ErrorCode::OffsetIllegal => "ERR_OFFSET_ILLEGAL",
            ErrorCode::StoreClosed => "ERR_STORE_CLOSED",
            ErrorCode::Corrupt => "ERR_CORRUPT",
            ErrorCode::Io => "ERR_IO",
            ErrorCode::CreateMappedFileFailed => "ERR_CREATE_MAPPED_FILE_FAILED",
            ErrorCode::InvalidArg => "ERR_INVALID_ARG",
            ErrorCode::DiskFull => "ERR_DISK_FULL",
            ErrorCode::ReplicaReadOnly => "ERR_REPLICA_READ_ONLY",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    pub code: ErrorCode,
    pub message: String,
}

impl StoreError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        StoreError { code, message: message.into() }
    }

    /// An OS error; running out of space becomes `DiskFull`.
    pub fn io(context: &str, err: std::io::Error) -> Self {
        let code = match err.raw_os_error() {
            Some(libc::ENOSPC) | Some(libc::EDQUOT) => ErrorCode::DiskFull,
            _ => ErrorCode::Io,
        };
        StoreError::new(code, format!("{context}: {err}"))
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;
