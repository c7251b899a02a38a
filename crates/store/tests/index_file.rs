//! IndexFile and IndexService (docs/store-format.md §8): the byte layout against RocketMQ's golden file,
//! key and time queries, slot chains, rolling, reload after normal and abnormal exits, re-dispatch
//! dedup and expiry.

mod common;

use std::path::Path;

use clean_rocketmq_store::index_file::{
    index_file_name, index_file_size_bytes, index_key_hash, parse_index_file_name, IndexEntry, IndexFile, IndexHeader,
};
use clean_rocketmq_store::index_service::{build_key, local_wall_clock_ms, IndexService};
use clean_rocketmq_store::properties::java_string_hash;
use clean_rocketmq_store::record::{TRANSACTION_COMMIT_TYPE, TRANSACTION_PREPARED_TYPE, TRANSACTION_ROLLBACK_TYPE};
use clean_rocketmq_store::ErrorCode;
use common::hex;

/// Store times of the §2.9 golden message and of the delay message that followed it.
const GOLDEN_STORE_TS: i64 = 0x1a2_0d5e_1d4d;
const DELAY_STORE_TS: i64 = 0x1a2_0d5e_1d70;
const UNIQ_KEY: &str = "7F000001000100000000000000000000";
const DELAY_UNIQ_KEY: &str = "7F00000100010000000000000000FFFF";
/// A whole second, so time diffs are exact.
const T0: i64 = 1_700_000_000_000;

fn only_file(dir: &Path) -> std::path::PathBuf {
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(paths.len(), 1, "expected one index file, found {paths:?}");
    paths.pop().unwrap()
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

/// One key per record: `k<n>` at offset n × 100, stored at T0 + n s.
fn put_record(service: &mut IndexService, n: i64) -> Option<i64> {
    service.build_index("T", Some(&format!("k{n}")), None, n * 100, T0 + n * 1000, 0).unwrap()
}

#[test]
fn key_hash_is_the_non_negative_java_hash_code() {
    assert_eq!(index_key_hash(&build_key("TopicTest", UNIQ_KEY)), 0x1506_6133);
    assert_eq!(index_key_hash("TopicTest#K1"), 0x0029_E2C8);
    assert_eq!(index_key_hash("TopicTest#K2"), 0x0029_E2C9);
    assert_eq!(index_key_hash(&build_key("SCHEDULE_TOPIC_XXXX", DELAY_UNIQ_KEY)), 0x309E_11FC);
    // "TopicTest#order-10001".hashCode() is 0x88AF2D31, negative: Math.abs makes it positive.
    let raw = java_string_hash(b"TopicTest#order-10001");
    assert!(raw < 0);
    assert_eq!(index_key_hash("TopicTest#order-10001"), -raw);
    assert_eq!(index_key_hash("TopicTest#order-10001"), 2_001_785_551);
    // "polygenelubricants".hashCode() == Integer.MIN_VALUE, whose abs is still negative: 0.
    assert_eq!(index_key_hash("polygenelubricants"), 0);
}

#[test]
fn file_size_and_names() {
    assert_eq!(index_file_size_bytes(5_000_000, 20_000_000), 420_000_040);
    assert_eq!(index_file_size_bytes(16, 64), 40 + 64 + 1280);
    assert_eq!(index_file_name(0).as_deref(), Some("19700101000000000"));
    assert_eq!(index_file_name(1_700_000_000_123).as_deref(), Some("20231114221320123"));
    assert_eq!(index_file_name(-1), None);
    assert_eq!(parse_index_file_name("20231114221320123"), Some(1_700_000_000_123));
    assert_eq!(parse_index_file_name("20240229235959999"), Some(1_709_251_199_999));
    assert_eq!(parse_index_file_name("20230229000000000"), None, "no 29 February in 2023");
    assert_eq!(parse_index_file_name("20231314221320123"), None, "month 13");
    assert_eq!(parse_index_file_name("00000000000000000000"), None, "a CommitLog-style name");
    // New files are named in local time, as Java does: a whole number of quarter hours from UTC.
    let offset_ms = local_wall_clock_ms(T0) - T0;
    assert_eq!(offset_ms % (15 * 60 * 1000), 0);
    assert!(offset_ms.abs() <= 14 * 3_600_000);
}

/// docs/store-format.md §8.5: the §2.9 message (UNIQ_KEY, KEYS "K1 K2", offset 0) and the delay message
/// (SCHEDULE_TOPIC_XXXX, UNIQ_KEY only, offset 0xa8) in a 16-slot, 64-entry file.
#[test]
fn golden_file_matches_rocketmq_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut service = IndexService::load(dir.path(), 16, 64, true, 0).unwrap();
    service.build_index("TopicTest", Some("K1 K2"), Some(UNIQ_KEY), 0, GOLDEN_STORE_TS, 0).unwrap();
    service.build_index("SCHEDULE_TOPIC_XXXX", None, Some(DELAY_UNIQ_KEY), 0xa8, DELAY_STORE_TS, 0).unwrap();
    service.flush().unwrap();

    let path = only_file(dir.path());
    assert!(parse_index_file_name(path.file_name().unwrap().to_str().unwrap()).is_some(), "{path:?}");
    let bytes = std::fs::read(&path).unwrap();
    let mut expected = hex(
        "000001a20d5e1d4d 000001a20d5e1d70 0000000000000000 00000000000000a8 00000004 00000005", // header
    );
    let mut slots = [0i32; 16];
    (slots[3], slots[8], slots[9], slots[12]) = (1, 2, 3, 4);
    expected.extend(slots.iter().flat_map(|s| s.to_be_bytes()));
    expected.extend([0u8; 20]); // entry 0 is never used
    expected.extend(hex("15066133 0000000000000000 00000000 00000000")); // 1: TopicTest#<UNIQ_KEY>
    expected.extend(hex("0029e2c8 0000000000000000 00000000 00000000")); // 2: TopicTest#K1
    expected.extend(hex("0029e2c9 0000000000000000 00000000 00000000")); // 3: TopicTest#K2
    expected.extend(hex("309e11fc 00000000000000a8 00000000 00000000")); // 4: SCHEDULE_TOPIC_XXXX#…FFFF
    expected.resize(1384, 0);
    assert_eq!(bytes.len(), 1384);
    assert_eq!(bytes, expected);
}

#[test]
fn a_new_file_has_an_empty_header_with_index_count_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = IndexFile::create(dir.path(), 1_700_000_000_123, 4, 8).unwrap();
    assert_eq!(file.name(), "20231114221320123");
    assert_eq!(file.name_time_ms(), Some(1_700_000_000_123));
    assert_eq!(file.file_size_bytes(), 40 + 16 + 160);
    file.flush().unwrap();
    let bytes = std::fs::read(file.path()).unwrap();
    assert_eq!(
        &bytes[..40],
        &hex("0000000000000000 0000000000000000 0000000000000000 0000000000000000 00000000 00000001")[..]
    );
    assert!(bytes[40..].iter().all(|&b| b == 0));
    let mut out = Vec::new();
    file.select_phy_offsets("T#k", 10, 0, i64::MAX, &mut out);
    assert!(out.is_empty());
    assert_eq!(
        IndexFile::create(dir.path(), 1_700_000_000_123, 4, 8).err().map(|e| e.code),
        Some(ErrorCode::CreateMappedFileFailed),
        "an existing file is never overwritten"
    );
    assert_eq!(IndexFile::create(dir.path(), 1, 4, 1).err().map(|e| e.code), Some(ErrorCode::InvalidArg));
    assert_eq!(IndexFile::create(dir.path(), 1, 0, 8).err().map(|e| e.code), Some(ErrorCode::InvalidArg));
}

#[test]
fn query_by_key_and_time_range() {
    let dir = tempfile::tempdir().unwrap();
    let mut service = IndexService::load(dir.path(), 64, 100, true, 0).unwrap();
    // "order-1" at T0, T0+1s, T0+2s; "order-2" at T0+1s.
    service.build_index("T", Some("order-1"), None, 0, T0, 0).unwrap();
    service.build_index("T", Some("order-2 order-1"), None, 100, T0 + 1000, 0).unwrap();
    service.build_index("T", Some("order-1"), None, 200, T0 + 2999, 0).unwrap();

    assert_eq!(service.query_offsets("T", "order-1", 32, 0, i64::MAX), vec![200, 100, 0], "newest first");
    assert_eq!(service.query_offsets("T", "order-2", 32, 0, i64::MAX), vec![100]);
    assert_eq!(service.query_offsets("T", "order-1", 2, 0, i64::MAX), vec![200, 100], "max_count");
    assert_eq!(service.query_offsets("Other", "order-1", 32, 0, i64::MAX), Vec::<i64>::new(), "topic is in the key");
    assert_eq!(service.query_offsets("T", "missing", 32, 0, i64::MAX), Vec::<i64>::new());
    // Times are kept in whole seconds from the file's begin: T0+2999 reads back as T0+2000.
    let file = &service.files()[0];
    assert_eq!(file.entry(4).time_diff_secs, 2);
    assert_eq!(service.query_offsets("T", "order-1", 32, T0 + 1000, T0 + 2000), vec![200, 100]);
    assert_eq!(service.query_offsets("T", "order-1", 32, T0, T0 + 1999), vec![100, 0]);
    assert_eq!(service.query_offsets("T", "order-1", 32, T0 + 2001, T0 + 9000), Vec::<i64>::new());
    assert_eq!(service.query_offsets("T", "order-1", 32, T0 + 5000, T0 + 9000), Vec::<i64>::new(), "no overlap");
    assert_eq!(service.end_phy_offset(), 200);
    assert_eq!(service.end_timestamp(), T0 + 2999);
}

#[test]
fn colliding_keys_chain_through_prev_index_and_reach_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = IndexFile::create(dir.path(), T0, 2, 16).unwrap();
    // Every key lands in slot 0 or 1; "Aa" and "BB" even share a Java hash code.
    assert_eq!(index_key_hash("T#Aa"), index_key_hash("T#BB"));
    let keys = ["T#Aa", "T#x", "T#BB", "T#y", "T#Aa"];
    for (n, key) in keys.iter().enumerate() {
        assert!(file.put_key(key, n as i64 * 10, T0 + n as i64 * 1000).unwrap());
    }
    let header = file.header();
    assert_eq!(header.index_count, 6);
    assert_eq!(header.hash_slot_count, 2, "only the first key in each slot found it empty");

    // Walk each slot's chain from the slot to prevIndex 0: newest first, each entry points back.
    let mut seen = 0;
    for slot in 0..2 {
        let mut next = file.slot(slot);
        let mut last = i32::MAX;
        while next != 0 {
            assert!(next < last, "chain goes to older entries");
            let entry = file.entry(next);
            assert_eq!(entry.key_hash as u32 % 2, slot);
            assert_eq!(entry.key_hash, index_key_hash(keys[next as usize - 1]));
            assert_eq!(entry.phy_offset, (next as i64 - 1) * 10);
            assert_eq!(entry.time_diff_secs, next - 1);
            (last, next) = (next, entry.prev_index);
            seen += 1;
        }
    }
    assert_eq!(seen, 5);

    // Hash matches only: "BB" shares the hash of "Aa", so its offset comes back for "Aa".
    let mut out = Vec::new();
    file.select_phy_offsets("T#Aa", 10, 0, i64::MAX, &mut out);
    assert_eq!(out, vec![40, 20, 0]);
    out.clear();
    file.select_phy_offsets("T#x", 10, 0, i64::MAX, &mut out);
    assert_eq!(out, vec![10]);
    // `out` is shared across calls and capped as a whole.
    out.clear();
    out.push(-1);
    file.select_phy_offsets("T#Aa", 2, 0, i64::MAX, &mut out);
    assert_eq!(out, vec![-1, 40]);
    // The chain stops at the first entry older than the range's begin.
    out.clear();
    file.select_phy_offsets("T#Aa", 10, T0 + 2000, i64::MAX, &mut out);
    assert_eq!(out, vec![40, 20]);
}

#[test]
fn rollback_records_are_not_indexed_other_transaction_types_are() {
    let dir = tempfile::tempdir().unwrap();
    let mut service = IndexService::load(dir.path(), 8, 16, true, 0).unwrap();
    service.build_index("T", Some("rb"), Some("U1"), 0, T0, TRANSACTION_ROLLBACK_TYPE).unwrap();
    service.build_index("T", Some("pr"), None, 100, T0, TRANSACTION_PREPARED_TYPE).unwrap();
    service.build_index("T", Some("cm"), None, 200, T0, TRANSACTION_COMMIT_TYPE | 0x10).unwrap();
    assert_eq!(service.query_offsets("T", "rb", 32, 0, i64::MAX), Vec::<i64>::new());
    assert_eq!(service.query_offsets("T", "U1", 32, 0, i64::MAX), Vec::<i64>::new());
    assert_eq!(service.query_offsets("T", "pr", 32, 0, i64::MAX), vec![100]);
    assert_eq!(service.query_offsets("T", "cm", 32, 0, i64::MAX), vec![200]);
    assert_eq!(service.files()[0].header().index_count, 3);
}

#[test]
fn keys_split_on_single_spaces_and_skip_empty_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut service = IndexService::load(dir.path(), 8, 16, true, 0).unwrap();
    service.build_index("T", Some(" a  b "), Some("U"), 0, T0, 0).unwrap();
    let file = &service.files()[0];
    assert_eq!(file.header().index_count, 4, "U, a, b");
    assert_eq!(file.entry(1).key_hash, index_key_hash("T#U"), "the UNIQ_KEY comes first");
    assert_eq!(file.entry(2).key_hash, index_key_hash("T#a"));
    assert_eq!(file.entry(3).key_hash, index_key_hash("T#b"));
}

#[test]
fn a_full_file_rolls_to_a_new_one_that_continues_from_its_end() {
    let dir = tempfile::tempdir().unwrap();
    // index_num 4: entries 1..=3 per file.
    let mut service = IndexService::load(dir.path(), 4, 4, true, 0).unwrap();
    for n in 0..3 {
        assert_eq!(put_record(&mut service, n), None);
    }
    assert!(service.files()[0].is_full());
    assert_eq!(service.files().len(), 1, "the roll happens at the next put");

    // The next record rolls: the full file's end time is returned for the checkpoint.
    let filled = service.build_index("T", Some("k3"), None, 300, T0 + 5500, 0).unwrap();
    assert_eq!(filled, Some(T0 + 2000));
    assert_eq!(service.files().len(), 2);
    let names = file_names(dir.path());
    assert_eq!(names.len(), 2);
    assert!(names[0] < names[1], "names increase even within one millisecond: {names:?}");
    let second = &service.files()[1];
    assert_eq!(
        second.header(),
        IndexHeader {
            begin_timestamp: T0 + 5500,
            end_timestamp: T0 + 5500,
            begin_phy_offset: 300,
            end_phy_offset: 300,
            hash_slot_count: 1,
            index_count: 2
        }
    );
    // As in Java, the first entry's time diff is taken before the begin moves: from the
    // previous file's end (T0+2s) to T0+5.5s, 3 s.
    assert_eq!(
        second.entry(1),
        IndexEntry { key_hash: index_key_hash("T#k3"), phy_offset: 300, time_diff_secs: 3, prev_index: 0 }
    );

    // Queries span both files, newest first.
    service.build_index("T", Some("k1"), None, 400, T0 + 6000, 0).unwrap();
    assert_eq!(service.query_offsets("T", "k1", 32, 0, i64::MAX), vec![400, 100]);
    assert_eq!(service.query_offsets("T", "k1", 1, 0, i64::MAX), vec![400]);
    // A begin inside the newest file stops the walk there.
    assert_eq!(service.query_offsets("T", "k1", 32, T0 + 5500, i64::MAX), vec![400]);

    // Keys of one record may straddle files: the roll happens in the middle of its keys.
    let filled = service.build_index("T", Some("x y"), None, 500, T0 + 7000, 0).unwrap();
    assert_eq!(filled, Some(T0 + 7000), "the second file ended with x");
    assert_eq!(service.files().len(), 3);
    assert_eq!(service.query_offsets("T", "x", 32, 0, i64::MAX), vec![500]);
    assert_eq!(service.query_offsets("T", "y", 32, 0, i64::MAX), vec![500]);
}

#[test]
fn files_read_back_after_a_normal_exit() {
    let dir = tempfile::tempdir().unwrap();
    let (headers, names) = {
        let mut service = IndexService::load(dir.path(), 4, 4, true, 0).unwrap();
        for n in 0..5 {
            put_record(&mut service, n);
        }
        service.flush().unwrap();
        let headers: Vec<IndexHeader> = service.files().iter().map(IndexFile::header).collect();
        let names: Vec<String> = service.files().iter().map(|f| f.name().to_string()).collect();
        (headers, names)
    };
    let mut service = IndexService::load(dir.path(), 4, 4, true, 0).unwrap();
    assert_eq!(service.files().iter().map(IndexFile::header).collect::<Vec<_>>(), headers);
    assert_eq!(service.files().iter().map(|f| f.name().to_string()).collect::<Vec<_>>(), names);
    for n in 0..5 {
        assert_eq!(service.query_offsets("T", &format!("k{n}"), 32, 0, i64::MAX), vec![n * 100]);
    }
    // Writing continues in the last file.
    put_record(&mut service, 5);
    assert_eq!(service.files().len(), 2);
    assert_eq!(service.files()[1].header().index_count, 4);
    assert_eq!(service.query_offsets("T", "k5", 32, 0, i64::MAX), vec![500]);
}

#[test]
fn open_existing_checks_length_and_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = {
        let mut file = IndexFile::create(dir.path(), T0, 4, 8).unwrap();
        file.put_key("T#a", 7, T0).unwrap();
        file.flush().unwrap();
        file.path().to_path_buf()
    };
    let reopened = IndexFile::open_existing(&path, 4, 8).unwrap();
    assert_eq!(reopened.header().index_count, 2);
    assert_eq!(reopened.end_phy_offset(), 7);
    drop(reopened);
    assert_eq!(IndexFile::open_existing(&path, 4, 9).err().map(|e| e.code), Some(ErrorCode::Corrupt), "length");

    // indexCount above the configured entries.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[36..40].copy_from_slice(&9i32.to_be_bytes());
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(IndexFile::open_existing(&path, 4, 8).err().map(|e| e.code), Some(ErrorCode::Corrupt));
    // A Java file never flushed before its first put has indexCount 0 on disk: it reads as 1.
    bytes[..40].fill(0);
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(IndexFile::open_existing(&path, 4, 8).unwrap().header().index_count, 1);
}

#[test]
fn an_abnormal_exit_destroys_files_newer_than_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let index_msg_timestamp = {
        let mut service = IndexService::load(dir.path(), 4, 4, true, 0).unwrap();
        let mut index_msg_timestamp = 0;
        for n in 0..7 {
            if let Some(ts) = put_record(&mut service, n) {
                index_msg_timestamp = ts;
            }
        }
        assert_eq!(service.files().len(), 3);
        assert_eq!(index_msg_timestamp, T0 + 5000, "the second file filled with k5");
        service.flush().unwrap();
        index_msg_timestamp
    };
    let before = file_names(dir.path());

    // A normal exit keeps every file, whatever the checkpoint says.
    assert_eq!(IndexService::load(dir.path(), 4, 4, true, 0).unwrap().files().len(), 3);

    // After a crash, the file holding k6 (end T0+6s) is newer than the checkpoint: destroyed.
    let mut service = IndexService::load(dir.path(), 4, 4, false, index_msg_timestamp).unwrap();
    assert_eq!(service.files().len(), 2);
    assert_eq!(file_names(dir.path()), before[..2].to_vec());
    assert_eq!(service.query_offsets("T", "k6", 32, 0, i64::MAX), Vec::<i64>::new());
    assert_eq!(service.end_phy_offset(), 500);

    // Recovery re-dispatches from earlier: the dedup drops what the kept files hold, then k6
    // is indexed again in a new file.
    for n in 3..7 {
        put_record(&mut service, n);
    }
    assert_eq!(service.files().len(), 3);
    for n in 0..7 {
        let expected = if n == 5 { vec![500, 500] } else { vec![n * 100] };
        assert_eq!(service.query_offsets("T", &format!("k{n}"), 32, 0, i64::MAX), expected, "k{n}");
    }
    let names = file_names(dir.path());
    assert!(names[1] < names[2], "{names:?}");

    // A checkpoint from before any file filled destroys them all.
    drop(service);
    let service = IndexService::load(dir.path(), 4, 4, false, 0).unwrap();
    assert!(service.files().is_empty());
    assert!(file_names(dir.path()).is_empty());
}

#[test]
fn a_re_dispatched_record_below_the_end_offset_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut service = IndexService::load(dir.path(), 8, 64, true, 0).unwrap();
    for n in 0..3 {
        put_record(&mut service, n);
    }
    let header = service.files()[0].header();
    assert_eq!(header.end_phy_offset, 200);

    // Offsets below endPhyOffset were indexed already.
    put_record(&mut service, 0);
    put_record(&mut service, 1);
    assert_eq!(service.files()[0].header(), header);
    assert_eq!(service.query_offsets("T", "k1", 32, 0, i64::MAX), vec![100]);

    // As in Java, only offsets *below* the end are skipped: the last record comes back twice.
    put_record(&mut service, 2);
    assert_eq!(service.files()[0].header().index_count, header.index_count + 1);
    assert_eq!(service.query_offsets("T", "k2", 32, 0, i64::MAX), vec![200, 200]);
}

#[test]
fn delete_expired_removes_leading_files_behind_the_commit_log_but_never_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let mut service = IndexService::load(dir.path(), 4, 4, true, 0).unwrap();
    for n in 0..7 {
        put_record(&mut service, n);
    }
    // Files end at offsets 200, 500 and 600.
    let ends: Vec<i64> = service.files().iter().map(IndexFile::end_phy_offset).collect();
    assert_eq!(ends, vec![200, 500, 600]);
    let names = file_names(dir.path());

    assert_eq!(service.delete_expired(200).unwrap(), 0, "endPhyOffset must be below the minimum");
    assert_eq!(service.delete_expired(201).unwrap(), 1);
    assert_eq!(file_names(dir.path()), names[1..].to_vec());
    assert_eq!(service.query_offsets("T", "k0", 32, 0, i64::MAX), Vec::<i64>::new());
    assert_eq!(service.query_offsets("T", "k3", 32, 0, i64::MAX), vec![300]);

    assert_eq!(service.delete_expired(i64::MAX).unwrap(), 1, "the last file stays");
    assert_eq!(file_names(dir.path()), names[2..].to_vec());
    assert_eq!(service.query_offsets("T", "k6", 32, 0, i64::MAX), vec![600]);

    service.destroy().unwrap();
    assert!(file_names(dir.path()).is_empty());
    assert_eq!(service.delete_expired(i64::MAX).unwrap(), 0);
}

#[test]
fn load_ignores_other_names_and_removes_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
    std::fs::write(dir.path().join("20231114221320123"), b"").unwrap();
    let mut service = IndexService::load(dir.path(), 4, 4, true, 0).unwrap();
    assert!(service.files().is_empty());
    assert_eq!(file_names(dir.path()), vec!["notes.txt".to_string()]);
    put_record(&mut service, 0);
    assert_eq!(service.files().len(), 1);
    // A file of another size is refused, not silently remapped.
    drop(service);
    assert_eq!(IndexService::load(dir.path(), 4, 5, true, 0).err().map(|e| e.code), Some(ErrorCode::Corrupt));
}

#[test]
fn a_damaged_chain_that_loops_ends_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let path = {
        let mut file = IndexFile::create(dir.path(), T0, 1, 8).unwrap();
        file.put_key("T#a", 10, T0).unwrap();
        file.put_key("T#a", 20, T0).unwrap();
        file.flush().unwrap();
        file.path().to_path_buf()
    };
    // Entry 1 (at 40 + 4 + 20) gets prevIndex 2: 2 → 1 → 2 → … Java would walk it until
    // max_count; the walk stops at the first pointer that does not go to an older entry.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[64 + 16..64 + 20].copy_from_slice(&2i32.to_be_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let file = IndexFile::open_existing(&path, 1, 8).unwrap();
    assert_eq!(file.entry(1).prev_index, 2);
    let mut out = Vec::new();
    file.select_phy_offsets("T#a", 32, 0, i64::MAX, &mut out);
    assert_eq!(out, vec![20, 10]);
}
