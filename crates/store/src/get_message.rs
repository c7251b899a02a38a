//! The result of a read by queue position: RocketMQ's GetMessageStatus and the offsets a PULL
//! response needs. Depends on nothing.

/// `GetMessageStatus`, numbered as the N-API contract documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum GetMessageStatus {
    Found = 0,
    NoMatchedMessage = 1,
    MessageWasRemoving = 2,
    OffsetFoundNull = 3,
    OffsetOverflowBadly = 4,
    OffsetOverflowOne = 5,
    OffsetTooSmall = 6,
    NoMatchedLogicQueue = 7,
    NoMessageInQueue = 8,
}

impl GetMessageStatus {
    pub fn name(self) -> &'static str {
        match self {
            GetMessageStatus::Found => "FOUND",
            GetMessageStatus::NoMatchedMessage => "NO_MATCHED_MESSAGE",
            GetMessageStatus::MessageWasRemoving => "MESSAGE_WAS_REMOVING",
            GetMessageStatus::OffsetFoundNull => "OFFSET_FOUND_NULL",
            GetMessageStatus::OffsetOverflowBadly => "OFFSET_OVERFLOW_BADLY",
            GetMessageStatus::OffsetOverflowOne => "OFFSET_OVERFLOW_ONE",
            GetMessageStatus::OffsetTooSmall => "OFFSET_TOO_SMALL",
            GetMessageStatus::NoMatchedLogicQueue => "NO_MATCHED_LOGIC_QUEUE",
            GetMessageStatus::NoMessageInQueue => "NO_MESSAGE_IN_QUEUE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetMessageResult {
    pub status: GetMessageStatus,
    pub next_begin_offset: i64,
    pub min_offset: i64,
    pub max_offset: i64,
    pub message_count: u32,
    /// The raw records, back to back: a PULL response body.
    pub buffer: Vec<u8>,
}

/// What to read: `maxMsgNums`, the byte budget, and an optional tag-code filter.
#[derive(Debug, Clone, Default)]
pub struct GetMessageRequest<'a> {
    pub max_count: u32,
    pub max_size_bytes: u64,
    pub tag_codes: Option<&'a [i64]>,
}

/// The result of a query by key (`QueryMessageResult`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryMessageResult {
    /// The raw records, back to back.
    pub buffer: Vec<u8>,
    pub message_count: u32,
    pub index_last_update_timestamp: i64,
    pub index_last_update_phy_offset: i64,
}
