//! The CommitLog record: Apache RocketMQ's stored-message layout, byte for byte (big-endian).
//! Parses and validates records (drafts on append, stored records on read and recovery).
//! Depends on `limits` and `error` only.
//!
//! ```text
//! offset  size   field                      (IPv4 born and store hosts)
//!  0      4      TOTALSIZE                  whole record, this field included
//!  4      4      MAGICCODE                  V1 0xDAA320A7 | V2 0xDAA320AB | blank 0xCBD43194
//!  8      4      BODYCRC                    crc32(body) & 0x7FFFFFFF
//! 12      4      QUEUEID
//! 16      4      FLAG
//! 20      8      QUEUEOFFSET                logical offset in the ConsumeQueue
//! 28      8      PHYSICALOFFSET             this record's CommitLog offset
//! 36      4      SYSFLAG                    0x10 born host v6, 0x20 store host v6, 0xC tx type
//! 40      8      BORNTIMESTAMP
//! 48      8|20   BORNHOST                   address + i32 port
//! 56|68   8      STORETIMESTAMP
//! ..      8|20   STOREHOST
//! ..      4      RECONSUMETIMES
//! ..      8      PREPARED TRANSACTION OFFSET
//! ..      4+n    BODYLENGTH + BODY
//! ..      1|2+t  TOPICLENGTH + TOPIC        1 byte (signed) for V1, 2 bytes for V2
//! ..      2+p    PROPERTIESLENGTH + PROPERTIES
//! ```

use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::limits::{MAX_PROPERTIES_SIZE_BYTES, MAX_TOPIC_LENGTH, MAX_TOPIC_LENGTH_V1};

pub const MAGIC_V1: i32 = 0xDAA3_20A7_u32 as i32;
pub const MAGIC_V2: i32 = 0xDAA3_20AB_u32 as i32;
pub const BLANK_MAGIC: i32 = 0xCBD4_3194_u32 as i32;

pub const POS_TOTAL_SIZE: usize = 0;
pub const POS_MAGIC: usize = 4;
pub const POS_BODY_CRC: usize = 8;
pub const POS_QUEUE_ID: usize = 12;
pub const POS_FLAG: usize = 16;
pub const POS_QUEUE_OFFSET: usize = 20;
pub const POS_PHYSICAL_OFFSET: usize = 28;
pub const POS_SYS_FLAG: usize = 36;
pub const POS_BORN_TIMESTAMP: usize = 40;
pub const POS_BORN_HOST: usize = 48;

pub const SYS_FLAG_BORN_HOST_V6: i32 = 0x10;
pub const SYS_FLAG_STORE_HOST_V6: i32 = 0x20;
pub const SYS_FLAG_TRANSACTION_MASK: i32 = 0xC;
pub const TRANSACTION_NOT_TYPE: i32 = 0x0;
pub const TRANSACTION_PREPARED_TYPE: i32 = 0x4;
pub const TRANSACTION_COMMIT_TYPE: i32 = 0x8;
pub const TRANSACTION_ROLLBACK_TYPE: i32 = 0xC;

/// Fixed part of a V1 record with two IPv4 hosts: 91 bytes plus body, topic and properties.
pub const V1_IPV4_FIXED_BYTES: usize = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 4 + 8 + 4 + 1 + 2;
const _: () = assert!(V1_IPV4_FIXED_BYTES == 91);

/// A parsed record: positions of its variable parts and its fixed fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordView {
    pub total_size: u32,
    pub magic: i32,
    pub body_crc: i32,
    pub queue_id: i32,
    pub flag: i32,
    pub queue_offset: i64,
    pub physical_offset: i64,
    pub sys_flag: i32,
    pub born_timestamp: i64,
    pub store_timestamp_pos: usize,
    pub store_timestamp: i64,
    pub reconsume_times: i32,
    pub prepared_transaction_offset: i64,
    pub body_pos: usize,
    pub body_len: usize,
    pub topic_pos: usize,
    pub topic_len: usize,
    pub properties_pos: usize,
    pub properties_len: usize,
}

impl RecordView {
    pub fn transaction_type(&self) -> i32 {
        self.sys_flag & SYS_FLAG_TRANSACTION_MASK
    }
    pub fn body<'a>(&self, record: &'a [u8]) -> &'a [u8] {
        &record[self.body_pos..self.body_pos + self.body_len]
    }
    pub fn topic<'a>(&self, record: &'a [u8]) -> &'a [u8] {
        &record[self.topic_pos..self.topic_pos + self.topic_len]
    }
    pub fn properties<'a>(&self, record: &'a [u8]) -> &'a [u8] {
        &record[self.properties_pos..self.properties_pos + self.properties_len]
    }
}

/// What the first 8 bytes at a position say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordHead {
    /// A message record of this total size.
    Message(u32),
    /// The end-of-file blank record: the rest of the file is empty.
    Blank,
    /// Zeros: nothing was ever written here.
    Empty,
    /// Anything else.
    Invalid,
}

pub fn read_i16(buf: &[u8], pos: usize) -> i16 {
    i16::from_be_bytes([buf[pos], buf[pos + 1]])
}
pub fn read_i32(buf: &[u8], pos: usize) -> i32 {
    i32::from_be_bytes(buf[pos..pos + 4].try_into().expect("4 bytes"))
}
pub fn read_i64(buf: &[u8], pos: usize) -> i64 {
    i64::from_be_bytes(buf[pos..pos + 8].try_into().expect("8 bytes"))
}
pub fn write_i32(buf: &mut [u8], pos: usize, value: i32) {
    buf[pos..pos + 4].copy_from_slice(&value.to_be_bytes());
}
pub fn write_i64(buf: &mut [u8], pos: usize, value: i64) {
    buf[pos..pos + 8].copy_from_slice(&value.to_be_bytes());
}

/// Classifies the record starting at `buf[0]` from its TOTALSIZE and MAGICCODE.
pub fn read_head(buf: &[u8]) -> RecordHead {
    if buf.len() < 8 {
        return RecordHead::Invalid;
    }
    let total_size = read_i32(buf, POS_TOTAL_SIZE);
    let magic = read_i32(buf, POS_MAGIC);
    match magic {
        MAGIC_V1 | MAGIC_V2 if total_size > 0 => RecordHead::Message(total_size as u32),
        BLANK_MAGIC => RecordHead::Blank,
        0 if total_size == 0 => RecordHead::Empty,
        _ => RecordHead::Invalid,
    }
}

fn illegal(message: impl Into<String>) -> StoreError {
    StoreError::new(ErrorCode::MessageIllegal, message)
}

/// Parses and validates one record at the start of `buf` (which may hold more after it).
/// Checks magic, that every length stays inside TOTALSIZE, and the length formula.
/// Does not check the body CRC (see [`body_crc_matches`]).
pub fn parse_record(buf: &[u8]) -> StoreResult<RecordView> {
    if buf.len() < V1_IPV4_FIXED_BYTES {
        return Err(illegal(format!("record shorter than {V1_IPV4_FIXED_BYTES} bytes: {}", buf.len())));
    }
    let total_size = read_i32(buf, POS_TOTAL_SIZE);
    let magic = read_i32(buf, POS_MAGIC);
    if magic != MAGIC_V1 && magic != MAGIC_V2 {
        return Err(illegal(format!("bad magic code 0x{:08X}", magic as u32)));
    }
    if total_size < V1_IPV4_FIXED_BYTES as i32 || total_size as usize > buf.len() {
        return Err(illegal(format!("TOTALSIZE {total_size} outside [91, {}]", buf.len())));
    }
    let rec = &buf[..total_size as usize];
    let sys_flag = read_i32(rec, POS_SYS_FLAG);
    let born_host_len = if sys_flag & SYS_FLAG_BORN_HOST_V6 != 0 { 20 } else { 8 };
    let store_host_len = if sys_flag & SYS_FLAG_STORE_HOST_V6 != 0 { 20 } else { 8 };
    let store_timestamp_pos = POS_BORN_HOST + born_host_len;
    let reconsume_pos = store_timestamp_pos + 8 + store_host_len;
    let prepared_pos = reconsume_pos + 4;
    let body_len_pos = prepared_pos + 8;
    ensure_fits(rec, body_len_pos, 4, "body length")?;
    let body_len = checked_len(rec, body_len_pos, read_i32(rec, body_len_pos).into(), 4, "body")?;
    let body_pos = body_len_pos + 4;
    let topic_len_pos = body_pos + body_len;
    let topic_len_width = if magic == MAGIC_V1 { 1 } else { 2 };
    ensure_fits(rec, topic_len_pos, topic_len_width, "topic length")?;
    let topic_len_raw: i64 =
        if magic == MAGIC_V1 { (rec[topic_len_pos] as i8).into() } else { read_i16(rec, topic_len_pos).into() };
    let topic_len = checked_len(rec, topic_len_pos, topic_len_raw, topic_len_width, "topic")?;
    let topic_pos = topic_len_pos + topic_len_width;
    let properties_len_pos = topic_pos + topic_len;
    ensure_fits(rec, properties_len_pos, 2, "properties length")?;
    let properties_len_raw: i64 = read_i16(rec, properties_len_pos).into();
    let properties_len = checked_len(rec, properties_len_pos, properties_len_raw, 2, "properties")?;
    let properties_pos = properties_len_pos + 2;
    let expected = properties_pos + properties_len;
    if expected != total_size as usize {
        return Err(illegal(format!("TOTALSIZE {total_size} != computed length {expected}")));
    }
    Ok(RecordView {
        total_size: total_size as u32,
        magic,
        body_crc: read_i32(rec, POS_BODY_CRC),
        queue_id: read_i32(rec, POS_QUEUE_ID),
        flag: read_i32(rec, POS_FLAG),
        queue_offset: read_i64(rec, POS_QUEUE_OFFSET),
        physical_offset: read_i64(rec, POS_PHYSICAL_OFFSET),
        sys_flag,
        born_timestamp: read_i64(rec, POS_BORN_TIMESTAMP),
        store_timestamp_pos,
        store_timestamp: read_i64(rec, store_timestamp_pos),
        reconsume_times: read_i32(rec, reconsume_pos),
        prepared_transaction_offset: read_i64(rec, prepared_pos),
        body_pos,
        body_len,
        topic_pos,
        topic_len,
        properties_pos,
        properties_len,
    })
}

fn ensure_fits(rec: &[u8], pos: usize, width: usize, what: &str) -> StoreResult<()> {
    if pos + width > rec.len() {
        return Err(illegal(format!("{what} runs past TOTALSIZE {}", rec.len())));
    }
    Ok(())
}

/// Validates a length field read at `len_pos` (of `width` bytes): non-negative and inside the record.
fn checked_len(rec: &[u8], len_pos: usize, len: i64, width: usize, what: &str) -> StoreResult<usize> {
    ensure_fits(rec, len_pos, width, what)?;
    if len < 0 || len_pos as i64 + width as i64 + len > rec.len() as i64 {
        return Err(illegal(format!("{what} length {len} runs past TOTALSIZE {}", rec.len())));
    }
    Ok(len as usize)
}

/// The stored BODYCRC: IEEE CRC32 of the body, masked to 31 bits (`UtilAll.crc32`).
pub fn body_crc(body: &[u8]) -> i32 {
    (crc32fast::hash(body) & 0x7FFF_FFFF) as i32
}

pub fn body_crc_matches(record: &[u8], view: &RecordView) -> bool {
    body_crc(view.body(record)) == view.body_crc
}

/// Rules a record must meet to be appended, beyond being well formed.
#[derive(Debug, Clone, Copy)]
pub struct DraftLimits {
    pub max_body_size_bytes: u32,
    pub max_queues_per_topic: u32,
}

/// Checks the store-level rules of a draft (body, topic, properties, queue id).
pub fn validate_draft(record: &[u8], view: &RecordView, limits: &DraftLimits) -> StoreResult<()> {
    if view.body_len > limits.max_body_size_bytes as usize {
        return Err(illegal(format!(
            "body of {} bytes exceeds maxMessageSize {}",
            view.body_len, limits.max_body_size_bytes
        )));
    }
    if view.topic_len == 0 || view.topic_len > MAX_TOPIC_LENGTH {
        return Err(illegal(format!("topic length {} outside [1, {MAX_TOPIC_LENGTH}]", view.topic_len)));
    }
    if view.magic == MAGIC_V1 && view.topic_len > MAX_TOPIC_LENGTH_V1 {
        return Err(illegal(format!("V1 topic length {} over {MAX_TOPIC_LENGTH_V1}", view.topic_len)));
    }
    if view.properties_len > MAX_PROPERTIES_SIZE_BYTES {
        return Err(StoreError::new(
            ErrorCode::PropertiesSizeExceeded,
            format!("properties of {} bytes exceed {MAX_PROPERTIES_SIZE_BYTES}", view.properties_len),
        ));
    }
    if view.queue_id < 0 || view.queue_id as u32 >= limits.max_queues_per_topic {
        return Err(StoreError::new(
            ErrorCode::QueueIdIllegal,
            format!("queueId {} outside [0, {})", view.queue_id, limits.max_queues_per_topic),
        ));
    }
    debug_assert!(record.len() >= view.total_size as usize);
    Ok(())
}

/// `TopicValidator`: `^[%|a-zA-Z0-9_-]+$`; it also keeps topics safe as folder names.
pub fn validate_topic_name(topic: &[u8]) -> StoreResult<()> {
    let legal = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'%' | b'|' | b'_' | b'-');
    if topic.is_empty() || !topic.iter().all(legal) {
        return Err(StoreError::new(
            ErrorCode::MessageIllegal,
            format!("topic {:?} has characters outside [%|a-zA-Z0-9_-]", String::from_utf8_lossy(topic)),
        ));
    }
    Ok(())
}

/// The total size of a record for the given part lengths (`MessageExtEncoder.calMsgLength`).
pub fn record_length(v2: bool, born_v6: bool, store_v6: bool, body: usize, topic: usize, props: usize) -> usize {
    V1_IPV4_FIXED_BYTES
        + usize::from(v2)
        + 12 * usize::from(born_v6)
        + 12 * usize::from(store_v6)
        + body
        + topic
        + props
}
