//! The stored record, byte for byte against the golden record of docs/store-format.md §2.9, and the
//! ConsumeQueue unit it produces (§7.6).

mod common;

use clean_rocketmq_store::{GetMessageRequest, GetMessageStatus};
use common::*;

const GOLDEN_HEX: &str = "
    000000a8 daa320a7 3610a686 00000001 00000000
    0000000000000000 0000000000000000 00000000
    0000018bcfe56800 7f000001 0000c350
    000001a20d5e1d4d 7f000002 00002a9f
    00000000 0000000000000000 00000005 68656c6c6f
    09 546f70696354657374 003f";

#[test]
fn stores_the_golden_record_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1 << 20);
    let mut buffer = Vec::new();
    clean_rocketmq_store::record_encoder::encode_draft(&golden(GOLDEN_PROPERTIES), &mut buffer);
    let store_timestamp = store.append_batch(&buffer, 1, |_, _, _| {}).unwrap();

    let stored = store.get_message_by_offset(0).unwrap();
    let mut expected = hex(GOLDEN_HEX);
    expected.extend_from_slice(GOLDEN_PROPERTIES);
    assert_eq!(stored.len(), 168);
    assert_eq!(&stored[..56], &expected[..56]);
    assert_eq!(&stored[56..64], &store_timestamp.to_be_bytes(), "STORETIMESTAMP is the batch's store time");
    assert_eq!(&stored[64..], &expected[64..]);
}

#[test]
fn writes_the_golden_consume_queue_unit() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1 << 20);
    append(&mut store, &[golden(GOLDEN_PROPERTIES)]);
    store.close().unwrap();
    let unit = std::fs::read(dir.path().join("consumequeue/TopicTest/1/00000000000000000000")).unwrap();
    assert_eq!(&unit[..20], &hex("0000000000000000 000000a8 000000000027a807")[..]);
}

#[test]
fn assigns_queue_offsets_per_topic_and_queue() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1 << 20);
    let mut other = golden(GOLDEN_PROPERTIES);
    other.queue_id = 2;
    let placed = append(&mut store, &[golden(GOLDEN_PROPERTIES), other.clone(), golden(GOLDEN_PROPERTIES), other]);
    assert_eq!(placed, vec![(0, 0), (168, 0), (336, 1), (504, 1)]);
    assert_eq!(store.max_offset_in_queue("TopicTest", 1).unwrap(), 2);
    assert_eq!(store.max_offset_in_queue("TopicTest", 2).unwrap(), 2);
    assert_eq!(store.max_offset_in_queue("TopicTest", 3).unwrap(), 0);
    assert_eq!(store.max_physical_offset(), 672);
}

#[test]
fn filters_by_tag_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1 << 20);
    let mut tag_b = golden(b"TAGS\x01TagB\x02");
    tag_b.body = b"bbbbb";
    append(&mut store, &[golden(GOLDEN_PROPERTIES), tag_b, golden(GOLDEN_PROPERTIES)]);
    let tag_a_code = [0x0027_A807_i64];
    let request = GetMessageRequest { max_count: 32, max_size_bytes: 1 << 20, tag_codes: Some(&tag_a_code) };
    let result = store.get_messages("TopicTest", 1, 0, &request).unwrap();
    assert_eq!(result.status, GetMessageStatus::Found);
    assert_eq!(result.message_count, 2);
    assert_eq!(result.next_begin_offset, 3);
    assert!(!result.buffer.windows(5).any(|w| w == b"bbbbb"));
}

#[test]
fn a_delayed_record_gets_its_deliver_time_as_tags_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1 << 20);
    let mut delayed = golden(b"DELAY\x013\x02REAL_TOPIC\x01TopicTest\x02REAL_QID\x011\x02TAGS\x01TagA\x02");
    delayed.topic = "SCHEDULE_TOPIC_XXXX";
    delayed.queue_id = 2;
    let placed = append(&mut store, &[golden(GOLDEN_PROPERTIES), delayed]);
    assert_eq!(placed[1].0, 168);
    let record = store.get_message_by_offset(168).unwrap();
    let store_timestamp = i64::from_be_bytes(record[56..64].try_into().unwrap());
    store.close().unwrap();
    // docs/store-format.md §7.6: the unit holds offset 168, the record size, and storeTs + 10 s (level 3).
    let unit = std::fs::read(dir.path().join("consumequeue/SCHEDULE_TOPIC_XXXX/2/00000000000000000000")).unwrap();
    let mut expected = hex("00000000000000a8");
    expected.extend_from_slice(&(record.len() as i32).to_be_bytes());
    expected.extend_from_slice(&(store_timestamp + 10_000).to_be_bytes());
    assert_eq!(&unit[..20], &expected[..]);
}
