//! Queries by key through the store: KEYS and UNIQ_KEY are indexed as the records are
//! dispatched, queried by topic + key + time range with a maximum count, and still answer after
//! reopening.

mod common;

use clean_rocketmq_store::record::parse_record;
use clean_rocketmq_store::MessageStore;
use common::*;

fn bodies(result: &clean_rocketmq_store::QueryMessageResult) -> Vec<Vec<u8>> {
    let mut at = 0;
    let mut out = Vec::new();
    while at < result.buffer.len() {
        let view = parse_record(&result.buffer[at..]).unwrap();
        out.push(view.body(&result.buffer[at..]).to_vec());
        at += view.total_size as usize;
    }
    out
}

fn keyed(keys: &'static [u8], body: &'static [u8]) -> clean_rocketmq_store::record_encoder::MessageDraft<'static> {
    let mut draft = golden(keys);
    draft.body = body;
    draft
}

#[test]
fn finds_messages_by_key_and_time_range() {
    let dir = tempfile::tempdir().unwrap();
    let mut store: MessageStore = open(dir.path(), 1 << 20);
    append(
        &mut store,
        &[
            keyed(b"KEYS\x01order-1 order-2\x02UNIQ_KEY\x01AAAA\x02", b"first"),
            keyed(b"KEYS\x01order-2\x02UNIQ_KEY\x01BBBB\x02", b"second"),
            keyed(b"KEYS\x01other\x02", b"third"),
        ],
    );
    let all = (0, i64::MAX);
    let found = store.query_message("TopicTest", "order-2", 32, all.0, all.1).unwrap();
    assert_eq!(found.message_count, 2);
    assert_eq!(bodies(&found), vec![b"second".to_vec(), b"first".to_vec()], "newest first");
    let by_uniq = store.query_message("TopicTest", "BBBB", 32, all.0, all.1).unwrap();
    assert_eq!(bodies(&by_uniq), vec![b"second".to_vec()]);
    assert_eq!(store.query_message("TopicTest", "order-2", 1, all.0, all.1).unwrap().message_count, 1);
    assert_eq!(store.query_message("OtherTopic", "order-2", 32, all.0, all.1).unwrap().message_count, 0);
    assert_eq!(store.query_message("TopicTest", "order-2", 32, 0, 1_000).unwrap().message_count, 0, "time range");
    assert!(found.index_last_update_timestamp > 0);
    store.close().unwrap();

    let store = open(dir.path(), 1 << 20);
    let again = store.query_message("TopicTest", "order-1", 32, all.0, all.1).unwrap();
    assert_eq!(bodies(&again), vec![b"first".to_vec()], "the index survives a reopen");
}

#[test]
fn rebuilds_the_index_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), 1 << 20);
    append(&mut store, &[keyed(b"KEYS\x01k1\x02", b"one"), keyed(b"KEYS\x01k2\x02", b"two")]);
    drop(store); // no close: the abort file stays, as after a crash
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let store = open(dir.path(), 1 << 20);
    let found = store.query_message("TopicTest", "k2", 32, 0, i64::MAX).unwrap();
    assert_eq!(bodies(&found), vec![b"two".to_vec()], "abnormal recovery re-dispatches into the index");
}
