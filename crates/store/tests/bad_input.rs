//! Bad input gets a typed error and leaves the store readable and writable.

mod common;

use clean_rocketmq_store::record_encoder::encode_draft;
use clean_rocketmq_store::{ErrorCode, MessageStore};
use common::*;

fn append_error(store: &mut MessageStore, buffer: &[u8], count: usize) -> ErrorCode {
    store.append_batch(buffer, count, |_, _, _| {}).unwrap_err().code
}

fn assert_still_works(store: &mut MessageStore, expected_next_queue_offset: i64) {
    let placed = append(store, &[golden(GOLDEN_PROPERTIES)]);
    assert_eq!(placed[0].1, expected_next_queue_offset);
    assert_eq!(store.get_message_by_offset(placed[0].0 as i64).unwrap().len(), 168);
}

#[test]
fn refuses_bad_messages_with_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.max_message_size_bytes = 1024;
    config.max_queues_per_topic = 8;
    let mut store = MessageStore::open(config).unwrap();
    append(&mut store, &[golden(GOLDEN_PROPERTIES)]);

    let big_body = vec![b'x'; 1025];
    let mut draft = golden(GOLDEN_PROPERTIES);
    draft.body = &big_body;
    let mut buffer = Vec::new();
    encode_draft(&draft, &mut buffer);
    assert_eq!(append_error(&mut store, &buffer, 1), ErrorCode::MessageIllegal);

    // A V1 record cannot carry a topic over 127 bytes: its length byte reads negative.
    let mut buffer = Vec::new();
    encode_draft(&golden(GOLDEN_PROPERTIES), &mut buffer);
    buffer[84 + 4 + 5] = 200;
    assert_eq!(append_error(&mut store, &buffer, 1), ErrorCode::MessageIllegal);

    let long_topic = "T".repeat(256);
    let mut draft = golden(GOLDEN_PROPERTIES);
    draft.topic = &long_topic;
    let mut buffer = Vec::new();
    encode_draft(&draft, &mut buffer);
    assert_eq!(append_error(&mut store, &buffer, 1), ErrorCode::MessageIllegal);

    let mut draft = golden(GOLDEN_PROPERTIES);
    draft.topic = "../escape";
    let mut buffer = Vec::new();
    encode_draft(&draft, &mut buffer);
    assert_eq!(append_error(&mut store, &buffer, 1), ErrorCode::MessageIllegal);

    for queue_id in [-1, 8] {
        let mut draft = golden(GOLDEN_PROPERTIES);
        draft.queue_id = queue_id;
        let mut buffer = Vec::new();
        encode_draft(&draft, &mut buffer);
        assert_eq!(append_error(&mut store, &buffer, 1), ErrorCode::QueueIdIllegal);
    }

    // One bad draft fails the whole batch: nothing of it is appended.
    let mut buffer = Vec::new();
    encode_draft(&golden(GOLDEN_PROPERTIES), &mut buffer);
    let mut bad = golden(GOLDEN_PROPERTIES);
    bad.queue_id = 99;
    encode_draft(&bad, &mut buffer);
    assert_eq!(append_error(&mut store, &buffer, 2), ErrorCode::QueueIdIllegal);
    // A count that does not match the buffer, and garbage.
    assert_eq!(append_error(&mut store, &buffer[..168], 2), ErrorCode::MessageIllegal);
    assert_eq!(append_error(&mut store, &[0xFF; 300], 1), ErrorCode::MessageIllegal);

    assert_eq!(store.get_message_by_offset(1 << 40).unwrap_err().code, ErrorCode::OffsetIllegal);
    assert_eq!(store.get_message_by_offset(3).unwrap_err().code, ErrorCode::OffsetIllegal);
    assert_eq!(store.max_offset_in_queue("TopicTest", 8).unwrap_err().code, ErrorCode::QueueIdIllegal);
    assert_still_works(&mut store, 1);
}

#[test]
fn a_second_store_on_the_same_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _store = open(dir.path(), 4096);
    let second = MessageStore::open(common::test_config(dir.path()));
    assert_eq!(second.err().map(|e| e.code), Some(ErrorCode::Io));
}
