//! The master's side of replication (docs/replication.md §2): a listener thread, and per slave a
//! reader thread (its 8-byte offset reports) and a writer thread that streams the CommitLog from
//! the mapped files in frames of at most `haTransferBatchSize`, with a heartbeat when idle.
//! Depends on `mapped_file_queue` and the `AppendSignal` (`super`).

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use super::{frame_header, AppendSignal, HaSettings, FRAME_HEADER_LEN, REPORT_LEN};
use crate::mapped_file::MappedFile;
use crate::mapped_file_queue::MappedFileQueue;

/// Told of every slave report: the offset below which that slave holds the whole log.
pub type AckListener = Box<dyn Fn(u64) + Send + Sync>;

struct Shared {
    files: Arc<MappedFileQueue>,
    signal: Arc<AppendSignal>,
    settings: HaSettings,
    stopping: AtomicBool,
    /// The highest offset a slave has confirmed (`push2SlaveMaxOffset`).
    acked: AtomicU64,
    connections: AtomicUsize,
    next_id: AtomicU64,
    sockets: Mutex<Vec<(u64, TcpStream)>>,
    listener: Mutex<Option<AckListener>>,
    last_error: Mutex<String>,
}

/// What the broker reports of the master's side.
#[derive(Debug, Clone)]
pub struct MasterStatus {
    pub port: u16,
    pub connections: usize,
    pub acked_offset: u64,
    pub last_error: String,
}

pub struct HaMaster {
    shared: Arc<Shared>,
    port: u16,
    accept_thread: Option<JoinHandle<()>>,
}

/// One slave's state shared by its reader and writer threads.
struct Connection {
    id: u64,
    /// The slave's first report: where the transfer starts (None until it arrives).
    first_report: Mutex<Option<u64>>,
    reported: Condvar,
    closed: AtomicBool,
}

impl HaMaster {
    /// Listens on `port` (0: any free port) on every interface and serves slaves until `stop`.
    pub fn start(
        files: Arc<MappedFileQueue>,
        signal: Arc<AppendSignal>,
        settings: HaSettings,
        port: u16,
    ) -> io::Result<HaMaster> {
        let listener = TcpListener::bind(("0.0.0.0", port))?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            files,
            signal,
            settings,
            stopping: AtomicBool::new(false),
            acked: AtomicU64::new(0),
            connections: AtomicUsize::new(0),
            next_id: AtomicU64::new(0),
            sockets: Mutex::new(Vec::new()),
            listener: Mutex::new(None),
            last_error: Mutex::new(String::new()),
        });
        let accepting = Arc::clone(&shared);
        let accept_thread =
            std::thread::Builder::new().name("ha-accept".into()).spawn(move || accept_loop(&accepting, &listener))?;
        Ok(HaMaster { shared, port, accept_thread: Some(accept_thread) })
    }

    pub fn set_ack_listener(&self, listener: Option<AckListener>) {
        *self.shared.listener.lock() = listener;
    }

    pub fn status(&self) -> MasterStatus {
        MasterStatus {
            port: self.port,
            connections: self.shared.connections.load(Ordering::Acquire),
            acked_offset: self.shared.acked.load(Ordering::Acquire),
            last_error: self.shared.last_error.lock().clone(),
        }
    }

    /// Closes the listener and every slave connection.
    pub fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::Release);
        for (_, socket) in self.shared.sockets.lock().drain(..) {
            let _ = socket.shutdown(Shutdown::Both);
        }
        self.shared.signal.raise();
        // Wakes the blocked accept.
        let _ = TcpStream::connect_timeout(&([127, 0, 0, 1], self.port).into(), Duration::from_secs(1));
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for HaMaster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::Acquire) {
            return;
        }
        let Ok(stream) = stream else { continue };
        if let Err(error) = serve(shared, stream) {
            *shared.last_error.lock() = format!("cannot serve a slave: {error}");
        }
    }
}

/// Starts a slave's reader and writer threads.
fn serve(shared: &Arc<Shared>, stream: TcpStream) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(shared.settings.housekeeping_interval))?;
    stream.set_write_timeout(Some(shared.settings.housekeeping_interval))?;
    let id = shared.next_id.fetch_add(1, Ordering::AcqRel);
    let connection = Arc::new(Connection {
        id,
        first_report: Mutex::new(None),
        reported: Condvar::new(),
        closed: AtomicBool::new(false),
    });
    shared.sockets.lock().push((id, stream.try_clone()?));
    shared.connections.fetch_add(1, Ordering::AcqRel);
    let (reader, writer) = (stream.try_clone()?, stream);
    let (reader_shared, reader_connection) = (Arc::clone(shared), Arc::clone(&connection));
    std::thread::Builder::new().name("ha-read".into()).spawn(move || {
        let outcome = read_reports(&reader_shared, &reader_connection, reader);
        close(&reader_shared, &reader_connection, outcome.err());
    })?;
    let writer_shared = Arc::clone(shared);
    std::thread::Builder::new().name("ha-write".into()).spawn(move || {
        let outcome = transfer(&writer_shared, &connection, writer);
        close(&writer_shared, &connection, outcome.err());
    })?;
    Ok(())
}

/// Ends a connection once (the first of its two threads to stop), recording why.
fn close(shared: &Shared, connection: &Connection, error: Option<io::Error>) {
    if connection.closed.swap(true, Ordering::AcqRel) {
        return;
    }
    if let Some(error) = error.filter(|_| !shared.stopping.load(Ordering::Acquire)) {
        *shared.last_error.lock() = error.to_string();
    }
    let mut sockets = shared.sockets.lock();
    if let Some(at) = sockets.iter().position(|(id, _)| *id == connection.id) {
        let _ = sockets.remove(at).1.shutdown(Shutdown::Both);
    }
    drop(sockets);
    shared.connections.fetch_sub(1, Ordering::AcqRel);
    let mut first = connection.first_report.lock();
    first.get_or_insert(u64::MAX);
    connection.reported.notify_all();
    shared.signal.raise();
}

/// The slave's reports: 8-byte big-endian offsets. A report past the master's end (a slave whose
/// log diverged, or garbage) closes the connection.
fn read_reports(shared: &Shared, connection: &Connection, mut stream: TcpStream) -> io::Result<()> {
    let mut report = [0u8; REPORT_LEN];
    loop {
        stream.read_exact(&mut report)?;
        let offset = u64::from_be_bytes(report);
        let master_end = shared.files.max_offset();
        if offset > master_end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a slave reports offset {offset}, past this master's CommitLog end {master_end}: \
                     its log has diverged (or it sent garbage); the connection is closed"
                ),
            ));
        }
        shared.acked.fetch_max(offset, Ordering::AcqRel);
        {
            let mut first = connection.first_report.lock();
            if first.is_none() {
                *first = Some(offset);
                connection.reported.notify_all();
            }
        }
        if let Some(listener) = shared.listener.lock().as_ref() {
            listener(offset);
        }
    }
}

/// Streams the CommitLog from where the slave stands (an empty slave: from the start of the
/// master's last file), a heartbeat after `haSendHeartbeatInterval` without a frame.
fn transfer(shared: &Shared, connection: &Connection, mut stream: TcpStream) -> io::Result<()> {
    let start = {
        let mut first = connection.first_report.lock();
        while first.is_none() {
            connection.reported.wait(&mut first);
        }
        first.unwrap_or(u64::MAX)
    };
    if start == u64::MAX {
        return Ok(());
    }
    let file_size = shared.files.file_size();
    let mut next = match start {
        0 => shared.files.max_offset() - shared.files.max_offset() % file_size,
        offset => offset,
    };
    let mut frame = Vec::with_capacity(FRAME_HEADER_LEN + shared.settings.transfer_batch_size);
    let mut last_frame = Instant::now();
    while !connection.closed.load(Ordering::Acquire) {
        let generation = shared.signal.generation();
        if let Some((file, position, len)) = chunk_at(&shared.files, next, shared.settings.transfer_batch_size) {
            frame.clear();
            frame.extend_from_slice(&frame_header(next, len as u32));
            frame.extend_from_slice(file.read(position, len));
            stream.write_all(&frame)?;
            next += len;
            last_frame = Instant::now();
            continue;
        }
        if last_frame.elapsed() >= shared.settings.heartbeat_interval {
            stream.write_all(&frame_header(next, 0))?;
            last_frame = Instant::now();
        }
        shared.signal.wait_past(generation, Duration::from_millis(100));
    }
    Ok(())
}

/// The readable bytes from `offset` in its file, at most `batch` (a frame never spans two files).
fn chunk_at(files: &MappedFileQueue, offset: u64, batch: usize) -> Option<(Arc<MappedFile>, u64, u64)> {
    let file = files.find_by_offset(offset)?;
    let position = offset - file.file_from_offset();
    let available = file.read_position().checked_sub(position)?;
    if available == 0 {
        return None;
    }
    Some((file, position, available.min(batch as u64)))
}
