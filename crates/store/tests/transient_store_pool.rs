//! The TransientStorePool: appends land in pooled buffers, readers see them only once the commit
//! thread (or a clean close) has written them into the file, and buffers return to the pool.

mod common;

use std::time::{Duration, Instant};

use clean_rocketmq_store::{ErrorCode, GetMessageRequest, GetMessageStatus, MessageStore};
use common::*;

fn pooled_config(dir: &std::path::Path, commit_interval_ms: u64) -> clean_rocketmq_store::StoreConfig {
    let mut config = common::test_config(dir);
    config.commit_log_file_size_bytes = 4096;
    config.transient_store_pool_enable = true;
    config.transient_store_pool_size = 2;
    config.commit_interval_commit_log_ms = commit_interval_ms;
    config.commit_commit_log_thorough_interval_ms = commit_interval_ms;
    config.commit_commit_log_least_pages = 1000;
    config
}

fn found(store: &mut MessageStore) -> u32 {
    let request = GetMessageRequest { max_count: 100, max_size_bytes: 1 << 20, tag_codes: None };
    let result = store.get_messages("TopicTest", 1, 0, &request).unwrap();
    if result.status == GetMessageStatus::Found {
        result.message_count
    } else {
        0
    }
}

#[test]
fn readers_see_appends_only_after_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = MessageStore::open(pooled_config(dir.path(), 60_000)).unwrap();
    append(&mut store, &[golden(GOLDEN_PROPERTIES), golden(GOLDEN_PROPERTIES)]);
    assert_eq!(found(&mut store), 0, "uncommitted bytes are invisible");
    assert_eq!(store.get_message_by_offset(0).unwrap_err().code, ErrorCode::OffsetIllegal);
    assert_eq!(store.max_physical_offset(), 0);
    store.close().unwrap();

    let mut store = MessageStore::open(pooled_config(dir.path(), 60_000)).unwrap();
    assert_eq!(found(&mut store), 2, "a clean close commits everything");
}

#[test]
fn the_commit_thread_makes_appends_visible() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = MessageStore::open(pooled_config(dir.path(), 20)).unwrap();
    append(&mut store, &[golden(GOLDEN_PROPERTIES)]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while found(&mut store) == 0 {
        assert!(Instant::now() < deadline, "the commit thread never committed");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(store.get_message_by_offset(0).unwrap().len(), 168);
}

#[test]
fn buffers_go_back_to_the_pool_as_files_fill() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = MessageStore::open(pooled_config(dir.path(), 10)).unwrap();
    // 4096-byte files hold 24 records of 168 bytes: 200 records fill 8 files with a pool of 2.
    for _ in 0..20 {
        append(&mut store, &vec![golden(GOLDEN_PROPERTIES); 10]);
        std::thread::sleep(Duration::from_millis(15));
    }
    store.close().unwrap();
    let mut store = MessageStore::open(pooled_config(dir.path(), 10)).unwrap();
    assert_eq!(store.max_offset_in_queue("TopicTest", 1).unwrap(), 200);
    let request = GetMessageRequest { max_count: 1000, max_size_bytes: 1 << 30, tag_codes: None };
    let mut offset = 0;
    let mut bytes = 0;
    loop {
        let result = store.get_messages("TopicTest", 1, offset, &request).unwrap();
        if result.status != GetMessageStatus::Found {
            break;
        }
        bytes += result.buffer.len();
        offset = result.next_begin_offset;
    }
    assert_eq!(bytes, 200 * 168, "every record reads back after the buffers were recycled");
}
