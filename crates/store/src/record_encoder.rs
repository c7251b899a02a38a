//! Encodes a message into a record draft: the CommitLog layout of `record` with BODYCRC,
//! QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP left 0 for the store to fill.
//! Used by tests, benchmarks and callers that build records in Rust. Depends on `record`.

use std::net::SocketAddr;

use crate::limits::MAX_TOPIC_LENGTH_V1;
use crate::record::{record_length, MAGIC_V1, MAGIC_V2, SYS_FLAG_BORN_HOST_V6, SYS_FLAG_STORE_HOST_V6};

#[derive(Debug, Clone)]
pub struct MessageDraft<'a> {
    pub topic: &'a str,
    pub queue_id: i32,
    pub flag: i32,
    pub sys_flag: i32,
    pub born_timestamp: i64,
    pub born_host: SocketAddr,
    pub store_host: SocketAddr,
    pub reconsume_times: i32,
    pub prepared_transaction_offset: i64,
    pub body: &'a [u8],
    /// The encoded property string (`name\x01value\x02`…).
    pub properties: &'a [u8],
}

/// Appends the draft of `message` to `out`. V2 (2-byte topic length) is chosen for topics over 127 bytes.
pub fn encode_draft(message: &MessageDraft<'_>, out: &mut Vec<u8>) {
    let v2 = message.topic.len() > MAX_TOPIC_LENGTH_V1;
    let born_v6 = message.born_host.is_ipv6();
    let store_v6 = message.store_host.is_ipv6();
    let mut sys_flag = message.sys_flag & !(SYS_FLAG_BORN_HOST_V6 | SYS_FLAG_STORE_HOST_V6);
    if born_v6 {
        sys_flag |= SYS_FLAG_BORN_HOST_V6;
    }
    if store_v6 {
        sys_flag |= SYS_FLAG_STORE_HOST_V6;
    }
    let total = record_length(v2, born_v6, store_v6, message.body.len(), message.topic.len(), message.properties.len());
    out.reserve(total);
    out.extend_from_slice(&(total as i32).to_be_bytes());
    out.extend_from_slice(&(if v2 { MAGIC_V2 } else { MAGIC_V1 }).to_be_bytes());
    out.extend_from_slice(&0i32.to_be_bytes()); // BODYCRC
    out.extend_from_slice(&message.queue_id.to_be_bytes());
    out.extend_from_slice(&message.flag.to_be_bytes());
    out.extend_from_slice(&0i64.to_be_bytes()); // QUEUEOFFSET
    out.extend_from_slice(&0i64.to_be_bytes()); // PHYSICALOFFSET
    out.extend_from_slice(&sys_flag.to_be_bytes());
    out.extend_from_slice(&message.born_timestamp.to_be_bytes());
    put_host(out, &message.born_host);
    out.extend_from_slice(&0i64.to_be_bytes()); // STORETIMESTAMP
    put_host(out, &message.store_host);
    out.extend_from_slice(&message.reconsume_times.to_be_bytes());
    out.extend_from_slice(&message.prepared_transaction_offset.to_be_bytes());
    out.extend_from_slice(&(message.body.len() as i32).to_be_bytes());
    out.extend_from_slice(message.body);
    if v2 {
        out.extend_from_slice(&(message.topic.len() as i16).to_be_bytes());
    } else {
        out.push(message.topic.len() as u8);
    }
    out.extend_from_slice(message.topic.as_bytes());
    out.extend_from_slice(&(message.properties.len() as i16).to_be_bytes());
    out.extend_from_slice(message.properties);
}

fn put_host(out: &mut Vec<u8>, host: &SocketAddr) {
    match host {
        SocketAddr::V4(v4) => out.extend_from_slice(&v4.ip().octets()),
        SocketAddr::V6(v6) => out.extend_from_slice(&v6.ip().octets()),
    }
    out.extend_from_slice(&i32::from(host.port()).to_be_bytes());
}
