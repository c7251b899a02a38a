//! The pure-Rust half of `npm run bench:store`: appends messages of `--size` bytes in batches of
//! `--batch` for `--seconds`, building each batch from message fields as the TypeScript side
//! does, and prints one JSON line {"msgPerSec", "mbPerSec", "messages"}.
//! `--flush sync` counts a message only once its group commit is acknowledged, with at most
//! `--in-flight` batches unacknowledged (as concurrent producers would); `--pool on` enables the
//! TransientStorePool.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use clean_rocketmq_store::record_encoder::{encode_draft, MessageDraft};
use std::sync::{Arc, Condvar, Mutex};

use clean_rocketmq_store::{FlushDiskType, FlushEvent, MessageStore, StoreConfig};

struct Args {
    size: usize,
    batch: usize,
    seconds: f64,
    dir: std::path::PathBuf,
    sync_flush: bool,
    pool: bool,
    in_flight: u64,
}

fn parse_args() -> Args {
    let mut args = Args {
        size: 1024,
        batch: 256,
        seconds: 2.0,
        dir: std::env::temp_dir().join("append-bench"),
        sync_flush: false,
        pool: false,
        in_flight: 8,
    };
    let raw: Vec<String> = std::env::args().skip(1).collect();
    for pair in raw.chunks(2) {
        let value = pair.get(1).map(String::as_str).unwrap_or_default();
        match pair[0].as_str() {
            "--size" => args.size = value.parse().expect("--size"),
            "--batch" => args.batch = value.parse().expect("--batch"),
            "--seconds" => args.seconds = value.parse().expect("--seconds"),
            "--dir" => args.dir = value.into(),
            "--flush" => args.sync_flush = value == "sync",
            "--pool" => args.pool = value == "on",
            "--in-flight" => args.in_flight = value.parse().expect("--in-flight"),
            other => panic!("unknown argument {other}"),
        }
    }
    args
}

/// The highest flushed offset reported by the store's flush listener, and a signal when it moves.
type FlushedOffset = Arc<(Mutex<u64>, Condvar)>;

/// Opens the store with the benchmark's flush and pool settings and follows its flushed offset.
fn open_store(args: &Args) -> (MessageStore, FlushedOffset) {
    let mut config = StoreConfig::new(&args.dir);
    if args.sync_flush {
        config.flush_disk_type = FlushDiskType::SyncFlush;
    }
    if args.pool {
        config.transient_store_pool_enable = true;
        config.transient_store_pool_size = 2;
    }
    let store = MessageStore::open(config).expect("open store");
    let flushed: FlushedOffset = Arc::new((Mutex::new(0u64), Condvar::new()));
    let listener_flushed = Arc::clone(&flushed);
    store.set_flush_listener(Some(Box::new(move |event| {
        if let FlushEvent::Flushed(offset) = event {
            *listener_flushed.0.lock().unwrap() = offset;
            listener_flushed.1.notify_all();
        }
    })));
    (store, flushed)
}

/// The reused buffers a batch is encoded into, and the sequence that makes each message's keys unique.
struct BatchEncoder {
    body: Vec<u8>,
    buffer: Vec<u8>,
    properties: String,
    sequence: u64,
    born_host: std::net::SocketAddr,
    store_host: std::net::SocketAddr,
}

impl BatchEncoder {
    fn new(args: &Args) -> BatchEncoder {
        BatchEncoder {
            body: vec![b'm'; args.size],
            buffer: Vec::with_capacity(args.batch * (args.size + 256)),
            properties: String::with_capacity(128),
            sequence: 0,
            born_host: "127.0.0.1:50000".parse().unwrap(),
            store_host: "127.0.0.1:10911".parse().unwrap(),
        }
    }

    /// Encodes `batch` record drafts back to back, as the TypeScript side does, into `self.buffer`.
    fn encode(&mut self, batch: usize) {
        self.buffer.clear();
        for i in 0..batch {
            self.sequence += 1;
            let sequence = self.sequence;
            self.properties.clear();
            write!(
                self.properties,
                "TAGS\x01TagA\x02KEYS\x01key-{sequence}\x02UNIQ_KEY\x017F0000010001{sequence:020X}\x02WAIT\x01true\x02"
            )
            .unwrap();
            let draft = MessageDraft {
                topic: "BenchTopic",
                queue_id: (i % 8) as i32,
                flag: 0,
                sys_flag: 0,
                born_timestamp: 1_700_000_000_000,
                born_host: self.born_host,
                store_host: self.store_host,
                reconsume_times: 0,
                prepared_transaction_offset: 0,
                body: &self.body,
                properties: self.properties.as_bytes(),
            };
            encode_draft(&draft, &mut self.buffer);
        }
    }
}

fn main() {
    let args = parse_args();
    let (mut store, flushed) = open_store(&args);
    let batch_bytes_estimate = (args.batch * (args.size + 200)) as u64;
    let wait_for_flush = |end: u64, slack: u64| {
        let (lock, ready) = &*flushed;
        let mut at = lock.lock().unwrap();
        while *at + slack < end {
            at = ready.wait(at).unwrap();
        }
    };
    let mut encoder = BatchEncoder::new(&args);
    let mut messages: u64 = 0;
    let run = |warmup: bool, store: &mut MessageStore, encoder: &mut BatchEncoder| {
        let window = if warmup { Duration::from_millis(300) } else { Duration::from_secs_f64(args.seconds) };
        let started = Instant::now();
        let mut count = 0u64;
        while started.elapsed() < window {
            encoder.encode(args.batch);
            store.append_batch(&encoder.buffer, args.batch, |_, _, _| {}).expect("append");
            if args.sync_flush {
                wait_for_flush(store.max_physical_offset() as u64, args.in_flight * batch_bytes_estimate);
            }
            count += args.batch as u64;
        }
        if args.sync_flush {
            wait_for_flush(store.max_physical_offset() as u64, 0);
        }
        (count, started.elapsed())
    };
    run(true, &mut store, &mut encoder);
    let (count, elapsed) = run(false, &mut store, &mut encoder);
    messages += count;
    store.close().expect("close");
    let msg_per_sec = messages as f64 / elapsed.as_secs_f64();
    let mb_per_sec = msg_per_sec * args.size as f64 / 1_000_000.0;
    println!("{{\"msgPerSec\":{msg_per_sec:.0},\"mbPerSec\":{mb_per_sec:.1},\"messages\":{messages}}}");
}
