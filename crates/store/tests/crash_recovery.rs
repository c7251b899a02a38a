//! SIGKILL in the middle of steady appends: the store reopens through abnormal recovery with every
//! acknowledged message readable byte for byte and every ConsumeQueue unit pointing at a valid
//! record. The child is this test binary re-run with `CRASH_CHILD_DIR` set.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use clean_rocketmq_store::record::{body_crc_matches, parse_record};
use clean_rocketmq_store::record_encoder::{encode_draft, MessageDraft};
use clean_rocketmq_store::{FlushDiskType, FlushEvent, GetMessageRequest, GetMessageStatus, MessageStore};

const BATCH: usize = 16;

fn body_for(sequence: u64) -> Vec<u8> {
    let len = 100 + (sequence % 900) as usize;
    (0..len).map(|i| (sequence as usize * 31 + i) as u8).collect()
}

fn config(dir: &str, flush: FlushDiskType) -> clean_rocketmq_store::StoreConfig {
    let mut config = common::test_config(dir);
    config.commit_log_file_size_bytes = 256 * 1024;
    config.consume_queue_units_per_file = 1000;
    config.flush_disk_type = flush;
    config.flush_interval_commit_log_ms = 20;
    config
}

/// The child: appends batches forever; prints `batch <first> <count> <end>` after each and
/// `flushed <offset>` from the flush thread.
#[test]
fn crash_child_writer() {
    let Ok(dir) = std::env::var("CRASH_CHILD_DIR") else { return };
    let flush =
        if std::env::var("CRASH_CHILD_SYNC").is_ok() { FlushDiskType::SyncFlush } else { FlushDiskType::AsyncFlush };
    let mut child_config = config(&dir, flush);
    child_config.transient_store_pool_enable = std::env::var("CRASH_CHILD_POOL").is_ok();
    child_config.transient_store_pool_size = 2;
    let mut store = MessageStore::open(child_config).unwrap();
    let out = Arc::new(Mutex::new(std::io::stdout()));
    let listener_out = Arc::clone(&out);
    store.set_flush_listener(Some(Box::new(move |event| {
        if let FlushEvent::Flushed(offset) = event {
            let mut out = listener_out.lock().unwrap();
            writeln!(out, "flushed {offset}").unwrap();
            out.flush().unwrap();
        }
    })));
    let mut sequence = 0u64;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let bodies: Vec<Vec<u8>> = (0..BATCH as u64).map(|i| body_for(sequence + i)).collect();
        let mut last_size = 0;
        for body in &bodies {
            let start = buffer.len();
            let mut draft: MessageDraft = common::golden(b"TAGS\x01TagA\x02");
            draft.queue_id = 0;
            draft.body = body;
            encode_draft(&draft, &mut buffer);
            last_size = buffer.len() - start;
        }
        // The batch's end: the last record's offset plus its size (with the pool,
        // max_physical_offset is only the committed end).
        let mut last_offset = 0;
        store.append_batch(&buffer, BATCH, |_, physical_offset, _| last_offset = physical_offset).unwrap();
        let end = last_offset + last_size as u64;
        let mut out = out.lock().unwrap();
        writeln!(out, "batch {sequence} {BATCH} {end}").unwrap();
        out.flush().unwrap();
        sequence += BATCH as u64;
    }
}

/// Runs the child until `acked_batches` batches are acknowledged, then SIGKILLs it.
/// Returns how many messages were acknowledged (flushed for SYNC_FLUSH, appended for ASYNC).
fn run_and_kill(dir: &str, sync: bool, pool: bool, acked_batches: usize) -> u64 {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", "crash_child_writer", "--nocapture", "--test-threads=1"]);
    command.env("CRASH_CHILD_DIR", dir).stdout(Stdio::piped()).stderr(Stdio::null());
    if sync {
        command.env("CRASH_CHILD_SYNC", "1");
    }
    if pool {
        command.env("CRASH_CHILD_POOL", "1");
    }
    let mut child = command.spawn().unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut batches: Vec<(u64, u64)> = Vec::new();
    let mut acked = 0u64;
    let mut acked_count = 0usize;
    for line in lines {
        let line = line.unwrap();
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["batch", first, count, end] => {
                let (first, count, end): (u64, u64, u64) =
                    (first.parse().unwrap(), count.parse().unwrap(), end.parse().unwrap());
                batches.push((first + count, end));
                if !sync {
                    acked = first + count;
                    acked_count += 1;
                }
            }
            ["flushed", offset] if sync => {
                let offset: u64 = offset.parse().unwrap();
                for &(next_sequence, end) in &batches {
                    if end <= offset && next_sequence > acked {
                        acked = next_sequence;
                        acked_count += 1;
                    }
                }
            }
            _ => {}
        }
        if acked_count >= acked_batches {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    acked
}

/// Reads the queue from 0 and checks every record; returns how many there are.
fn verify_queue(store: &mut MessageStore) -> u64 {
    let request = GetMessageRequest { max_count: 64, max_size_bytes: 1 << 20, tag_codes: None };
    let mut offset = 0i64;
    loop {
        let result = store.get_messages("TopicTest", 0, offset, &request).unwrap();
        if result.status != GetMessageStatus::Found {
            assert!(
                matches!(result.status, GetMessageStatus::OffsetOverflowOne | GetMessageStatus::NoMessageInQueue),
                "unexpected status {:?} at {offset}",
                result.status
            );
            return offset as u64;
        }
        let mut at = 0usize;
        while at < result.buffer.len() {
            let view = parse_record(&result.buffer[at..]).expect("every unit points at a valid record");
            let record = &result.buffer[at..at + view.total_size as usize];
            assert!(body_crc_matches(record, &view), "CRC of queue offset {offset}");
            assert_eq!(view.queue_offset, offset, "QUEUEOFFSET matches the unit");
            assert_eq!(view.body(record), &body_for(offset as u64)[..], "body of queue offset {offset}");
            at += view.total_size as usize;
            offset += 1;
        }
    }
}

fn crash_and_recover(sync: bool, pool: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap().to_owned();
    let acked = run_and_kill(&path, sync, pool, 200);
    assert!(dir.path().join("abort").exists(), "a killed store leaves its abort file");
    let mut store = MessageStore::open(config(&path, FlushDiskType::AsyncFlush)).unwrap();
    let readable = verify_queue(&mut store);
    assert!(readable >= acked, "{readable} messages readable, {acked} acknowledged");
    // The store takes appends again, continuing the queue.
    let mut buffer = Vec::new();
    let body = body_for(readable);
    let mut draft = common::golden(b"TAGS\x01TagA\x02");
    draft.queue_id = 0;
    draft.body = &body;
    encode_draft(&draft, &mut buffer);
    let mut queue_offset = -1;
    store.append_batch(&buffer, 1, |_, _, q| queue_offset = q).unwrap();
    assert_eq!(queue_offset as u64, readable);
    store.close().unwrap();
    assert!(!dir.path().join("abort").exists(), "a clean close removes the abort file");
}

#[test]
fn sync_flush_keeps_every_acknowledged_message_after_sigkill() {
    crash_and_recover(true, false);
}

#[test]
fn sync_flush_with_the_transient_pool_keeps_every_acknowledged_message_after_sigkill() {
    crash_and_recover(true, true);
}

#[test]
fn async_flush_reopens_consistent_after_sigkill() {
    crash_and_recover(false, false);
}
