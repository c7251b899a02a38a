//! Shared helpers for the store's integration tests: the golden message of docs/store-format.md §2.9.

#![allow(dead_code)]

use clean_rocketmq_store::record_encoder::{encode_draft, MessageDraft};
use clean_rocketmq_store::{MessageStore, StoreConfig};

pub const GOLDEN_PROPERTIES: &[u8] =
    b"KEYS\x01K1 K2\x02UNIQ_KEY\x017F000001000100000000000000000000\x02TAGS\x01TagA\x02";
/// The same properties with the 20-byte `__CRC32#` tail: a 188-byte record, as in docs/store-format.md §2.9.
pub const GOLDEN_PROPERTIES_188: &[u8] =
    b"KEYS\x01K1 K2\x02UNIQ_KEY\x017F000001000100000000000000000000\x02TAGS\x01TagA\x02__CRC32#\x016056000791\x02";

pub fn golden(properties: &'static [u8]) -> MessageDraft<'static> {
    MessageDraft {
        topic: "TopicTest",
        queue_id: 1,
        flag: 0,
        sys_flag: 0,
        born_timestamp: 1_700_000_000_000,
        born_host: "127.0.0.1:50000".parse().unwrap(),
        store_host: "127.0.0.2:10911".parse().unwrap(),
        reconsume_times: 0,
        prepared_transaction_offset: 0,
        body: b"hello",
        properties,
    }
}

pub fn hex(text: &str) -> Vec<u8> {
    let digits: String = text.split_whitespace().collect();
    (0..digits.len()).step_by(2).map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap()).collect()
}

/// A config for tests: small index files instead of RocketMQ's 420 MB ones.
pub fn test_config(dir: impl Into<std::path::PathBuf>) -> StoreConfig {
    let mut config = StoreConfig::new(dir);
    config.max_hash_slot_num = 1024;
    config.max_index_num = 4096;
    config
}

pub fn open(dir: &std::path::Path, file_size: u64) -> MessageStore {
    let mut config = test_config(dir);
    config.commit_log_file_size_bytes = file_size;
    config.consume_queue_units_per_file = 4;
    MessageStore::open(config).expect("open store")
}

/// Appends the drafts one batch; returns (physical offset, queue offset) per message.
pub fn append(store: &mut MessageStore, drafts: &[MessageDraft<'_>]) -> Vec<(u64, i64)> {
    let mut buffer = Vec::new();
    for draft in drafts {
        encode_draft(draft, &mut buffer);
    }
    let mut placed = vec![(0, 0); drafts.len()];
    store
        .append_batch(&buffer, drafts.len(), |i, phys, queue_offset| placed[i] = (phys, queue_offset))
        .expect("append");
    placed
}
