//! File roll-over with the blank end-of-file record, reads across files, reopening, and the
//! GetMessageStatus table.

mod common;

use clean_rocketmq_store::{GetMessageRequest, GetMessageStatus};
use common::*;

fn read_all(store: &mut clean_rocketmq_store::MessageStore, queue_id: i32) -> Vec<u8> {
    let request = GetMessageRequest { max_count: 1000, max_size_bytes: 1 << 30, tag_codes: None };
    let mut offset = 0;
    let mut out = Vec::new();
    loop {
        let result = store.get_messages("TopicTest", queue_id, offset, &request).unwrap();
        if result.status != GetMessageStatus::Found {
            return out;
        }
        out.extend_from_slice(&result.buffer);
        offset = result.next_begin_offset;
    }
}

#[test]
fn rolls_to_the_next_file_behind_a_blank_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1024);
    let drafts = vec![golden(GOLDEN_PROPERTIES_188); 6];
    let placed = append(&mut store, &drafts);
    let offsets: Vec<u64> = placed.iter().map(|p| p.0).collect();
    assert_eq!(offsets, vec![0, 188, 376, 564, 752, 1024]);
    store.close().unwrap();

    let first = std::fs::read(dir.path().join("commitlog/00000000000000000000")).unwrap();
    assert_eq!(first.len(), 1024);
    assert_eq!(&first[940..948], &hex("00000054 cbd43194")[..], "blank record of 84 bytes at 940");
    let second = std::fs::read(dir.path().join("commitlog/00000000000000001024")).unwrap();
    assert_eq!(&second[..4], &188i32.to_be_bytes());
}

#[test]
fn reads_across_files_and_back_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1024);
    let drafts = vec![golden(GOLDEN_PROPERTIES_188); 20];
    append(&mut store, &drafts);
    let before = read_all(&mut store, 1);
    assert_eq!(before.len(), 20 * 188);
    let max_physical = store.max_physical_offset();
    store.close().unwrap();

    let mut store = open(dir.path(), 1024);
    assert_eq!(read_all(&mut store, 1), before, "everything reads back byte for byte");
    assert_eq!(store.max_physical_offset(), max_physical);
    assert_eq!(store.max_offset_in_queue("TopicTest", 1).unwrap(), 20);
    let placed = append(&mut store, &[golden(GOLDEN_PROPERTIES_188)]);
    assert_eq!(placed[0].1, 20, "queue offsets continue after reopening");
}

#[test]
fn rebuilds_missing_consume_queue_units_on_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1024);
    append(&mut store, &vec![golden(GOLDEN_PROPERTIES_188); 10]);
    let before = read_all(&mut store, 1);
    store.close().unwrap();
    std::fs::remove_dir_all(dir.path().join("consumequeue")).unwrap();

    let mut store = open(dir.path(), 1024);
    assert_eq!(read_all(&mut store, 1), before);
}

#[test]
fn cuts_a_torn_tail_on_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 4096);
    append(&mut store, &vec![golden(GOLDEN_PROPERTIES); 5]);
    store.close().unwrap();
    // Zero the second half of the last record, as a crash mid-write would leave it.
    let path = dir.path().join("commitlog/00000000000000000000");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[4 * 168 + 84..5 * 168].fill(0);
    std::fs::write(&path, &bytes).unwrap();

    let mut store = open(dir.path(), 4096);
    assert_eq!(store.max_physical_offset(), 4 * 168);
    assert_eq!(store.max_offset_in_queue("TopicTest", 1).unwrap(), 4);
    assert_eq!(read_all(&mut store, 1).len(), 4 * 168);
    let placed = append(&mut store, &[golden(GOLDEN_PROPERTIES)]);
    assert_eq!(placed[0], (4 * 168, 4));
}

#[test]
fn answers_the_status_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 4096);
    let request = GetMessageRequest { max_count: 32, max_size_bytes: 1 << 20, tag_codes: None };
    let status = |store: &mut clean_rocketmq_store::MessageStore, offset| {
        let r = store.get_messages("TopicTest", 1, offset, &request).unwrap();
        (r.status, r.next_begin_offset)
    };
    assert_eq!(status(&mut store, 0), (GetMessageStatus::NoMessageInQueue, 0));
    append(&mut store, &vec![golden(GOLDEN_PROPERTIES); 3]);
    assert_eq!(status(&mut store, 3), (GetMessageStatus::OffsetOverflowOne, 3));
    assert_eq!(status(&mut store, 9), (GetMessageStatus::OffsetOverflowBadly, 3));
    assert_eq!(status(&mut store, 1), (GetMessageStatus::Found, 3));
}

#[test]
fn cuts_a_record_with_a_flipped_byte_on_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 4096);
    append(&mut store, &vec![golden(GOLDEN_PROPERTIES); 5]);
    store.close().unwrap();
    let path = dir.path().join("commitlog/00000000000000000000");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[4 * 168 + 88] ^= 0x01; // first body byte of the last record: its CRC no longer matches
    std::fs::write(&path, &bytes).unwrap();

    let mut store = open(dir.path(), 4096);
    assert_eq!(store.max_physical_offset(), 4 * 168);
    assert_eq!(store.max_offset_in_queue("TopicTest", 1).unwrap(), 4);
    assert!(store.get_message_by_offset(4 * 168).is_err(), "the corrupt record is gone");
    // A shorter record now takes its place; the corrupt bytes after it must not come back.
    let mut short = golden(b"TAGS\x01TagA\x02");
    short.body = b"x";
    let placed = append(&mut store, &[short]);
    assert_eq!(placed[0], (4 * 168, 4));
    store.close().unwrap();
    let mut store = open(dir.path(), 4096);
    assert_eq!(store.max_offset_in_queue("TopicTest", 1).unwrap(), 5);
    assert_eq!(read_all(&mut store, 1).len(), 4 * 168 + 111);
}

#[test]
fn finds_queue_offsets_by_store_time_and_the_earliest_store_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 4096);
    assert_eq!(store.offset_in_queue_by_time("TopicTest", 1, 0).unwrap(), 0, "empty queue");
    assert_eq!(store.earliest_message_store_time("TopicTest", 1).unwrap(), -1);
    let mut batch_times = Vec::new();
    for _ in 0..3 {
        let mut buffer = Vec::new();
        for _ in 0..4 {
            clean_rocketmq_store::record_encoder::encode_draft(&golden(GOLDEN_PROPERTIES), &mut buffer);
        }
        batch_times.push(store.append_batch(&buffer, 4, |_, _, _| {}).unwrap());
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(store.offset_in_queue_by_time("TopicTest", 1, 0).unwrap(), 0);
    assert_eq!(store.offset_in_queue_by_time("TopicTest", 1, batch_times[1]).unwrap(), 4);
    assert_eq!(store.offset_in_queue_by_time("TopicTest", 1, batch_times[2]).unwrap(), 8);
    assert_eq!(store.offset_in_queue_by_time("TopicTest", 1, batch_times[2] + 1).unwrap(), 12, "after the last");
    assert_eq!(store.earliest_message_store_time("TopicTest", 1).unwrap(), batch_times[0]);
}
