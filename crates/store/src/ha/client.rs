//! The slave's side of replication (docs/replication.md §3): one thread that connects to the
//! master's HA port, reports its CommitLog end (8 bytes), reads the master's frames and hands each
//! body to the store's raw append, reporting again after each read and every heartbeat interval.
//! Reconnects after any error. Depends on the frames (`super`) and std networking.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::{HaSettings, FRAME_HEADER_LEN};
use crate::error::StoreResult;

/// Appends a master's bytes at their offset; returns the CommitLog's new end.
pub type ReplicaAppend = Box<dyn FnMut(u64, &[u8]) -> StoreResult<u64> + Send>;
/// The slave's CommitLog end.
pub type ReplicaEnd = Box<dyn Fn() -> StoreResult<u64> + Send>;

/// How long the slave waits before connecting again (RocketMQ's HAClient waits 5 s).
const RECONNECT_WAIT: Duration = Duration::from_secs(5);
const READ_POLL: Duration = Duration::from_millis(500);
const READ_BUFFER_BYTES: usize = 1024 * 1024;

#[derive(Default)]
struct Shared {
    master: Mutex<String>,
    stopping: AtomicBool,
    connected: AtomicBool,
    /// The end of the last frame received: the master's offset as this slave last heard it.
    master_offset: AtomicU64,
    /// The last offset reported to the master.
    reported: AtomicU64,
    socket: Mutex<Option<TcpStream>>,
    last_error: Mutex<String>,
}

/// What the broker reports of the slave's side.
#[derive(Debug, Clone)]
pub struct ClientStatus {
    pub master_address: String,
    pub connected: bool,
    pub master_offset: u64,
    pub reported_offset: u64,
    pub last_error: String,
}

pub struct HaClient {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl HaClient {
    /// Starts replicating from `master` (`host:port` of its HA listener; "" waits for `set_master`).
    pub fn start(master: String, end: ReplicaEnd, append: ReplicaAppend, settings: HaSettings) -> io::Result<HaClient> {
        let shared = Arc::new(Shared::default());
        *shared.master.lock() = master;
        let running = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("ha-client".into())
            .spawn(move || run(&running, &end, append, settings))?;
        Ok(HaClient { shared, thread: Some(thread) })
    }

    /// A new master address (from the registry); a live connection to another one is closed.
    pub fn set_master(&self, master: String) {
        let mut current = self.shared.master.lock();
        if *current != master {
            *current = master;
            if let Some(socket) = self.shared.socket.lock().as_ref() {
                let _ = socket.shutdown(Shutdown::Both);
            }
        }
    }

    pub fn status(&self) -> ClientStatus {
        ClientStatus {
            master_address: self.shared.master.lock().clone(),
            connected: self.shared.connected.load(Ordering::Acquire),
            master_offset: self.shared.master_offset.load(Ordering::Acquire),
            reported_offset: self.shared.reported.load(Ordering::Acquire),
            last_error: self.shared.last_error.lock().clone(),
        }
    }

    pub fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::Release);
        if let Some(socket) = self.shared.socket.lock().as_ref() {
            let _ = socket.shutdown(Shutdown::Both);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for HaClient {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(shared: &Shared, end: &ReplicaEnd, mut append: ReplicaAppend, settings: HaSettings) {
    while !shared.stopping.load(Ordering::Acquire) {
        let master = shared.master.lock().clone();
        if !master.is_empty() {
            let outcome = connect(&master).and_then(|stream| session(shared, stream, end, &mut append, settings));
            shared.connected.store(false, Ordering::Release);
            *shared.socket.lock() = None;
            match outcome {
                Err(error) if !shared.stopping.load(Ordering::Acquire) => {
                    *shared.last_error.lock() = format!("replication from {master}: {error}");
                }
                _ => {}
            }
        }
        wait_before_reconnect(shared, &master, RECONNECT_WAIT);
    }
}

/// Sleeps `total`, cut short by a stop or a new master address.
fn wait_before_reconnect(shared: &Shared, master: &str, total: Duration) {
    let deadline = Instant::now() + total;
    while !shared.stopping.load(Ordering::Acquire) && Instant::now() < deadline && *shared.master.lock() == master {
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn connect(master: &str) -> io::Result<TcpStream> {
    let address = master
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("no address for {master}")))?;
    let stream = TcpStream::connect_timeout(&address, Duration::from_secs(3))?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(READ_POLL))?;
    Ok(stream)
}

/// One connection: report, then read frames until an error, a stop or `haHousekeepingInterval` of silence.
fn session(
    shared: &Shared,
    mut stream: TcpStream,
    end: &ReplicaEnd,
    append: &mut ReplicaAppend,
    settings: HaSettings,
) -> io::Result<()> {
    *shared.socket.lock() = Some(stream.try_clone()?);
    shared.connected.store(true, Ordering::Release);
    let mut ours = end().map_err(to_io)?;
    report(shared, &mut stream, ours)?;
    let (mut last_report, mut last_heard) = (Instant::now(), Instant::now());
    let mut buffer = Vec::with_capacity(READ_BUFFER_BYTES);
    let mut read = vec![0u8; READ_BUFFER_BYTES];
    while !shared.stopping.load(Ordering::Acquire) {
        match stream.read(&mut read) {
            Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the master closed the connection")),
            Ok(n) => {
                buffer.extend_from_slice(&read[..n]);
                last_heard = Instant::now();
                let before = ours;
                ours = apply_frames(shared, &mut buffer, ours, append)?;
                if ours != before {
                    report(shared, &mut stream, ours)?;
                    last_report = Instant::now();
                }
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
            Err(e) => return Err(e),
        }
        if last_heard.elapsed() >= settings.housekeeping_interval {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "nothing heard from the master: housekeeping closes"));
        }
        if last_report.elapsed() >= settings.heartbeat_interval {
            report(shared, &mut stream, ours)?;
            last_report = Instant::now();
        }
    }
    Ok(())
}

fn report(shared: &Shared, stream: &mut TcpStream, offset: u64) -> io::Result<()> {
    stream.write_all(&offset.to_be_bytes())?;
    shared.reported.store(offset, Ordering::Release);
    Ok(())
}

/// Appends every whole frame in `buffer` and drops them from it; returns the CommitLog end. A frame
/// that does not start at this slave's end (unless the slave is empty) means the logs diverged.
fn apply_frames(shared: &Shared, buffer: &mut Vec<u8>, mut ours: u64, append: &mut ReplicaAppend) -> io::Result<u64> {
    let mut at = 0usize;
    while buffer.len() - at >= FRAME_HEADER_LEN {
        let header = &buffer[at..at + FRAME_HEADER_LEN];
        let offset = u64::from_be_bytes(header[..8].try_into().expect("8 bytes"));
        let size = u32::from_be_bytes(header[8..].try_into().expect("4 bytes")) as usize;
        if buffer.len() - at - FRAME_HEADER_LEN < size {
            break;
        }
        if ours != 0 && offset != ours {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the master sends from offset {offset} but this slave's CommitLog ends at {ours}: diverged"),
            ));
        }
        if size > 0 {
            let body = &buffer[at + FRAME_HEADER_LEN..at + FRAME_HEADER_LEN + size];
            ours = append(offset, body).map_err(to_io)?;
        }
        shared.master_offset.store(offset + size as u64, Ordering::Release);
        at += FRAME_HEADER_LEN + size;
    }
    buffer.drain(..at);
    Ok(ours)
}

fn to_io(error: crate::error::StoreError) -> io::Error {
    io::Error::other(format!("{}: {}", error.code.as_str(), error.message))
}
