//! Master/slave replication, wire-compatible with RocketMQ's HA (docs/replication.md): the frames,
//! the append signal, and the master (`master`) and slave (`client`) transfer threads. Depends on
//! `mapped_file_queue` (the master reads the CommitLog files) and std networking.

pub mod client;
pub mod master;

use std::time::Duration;

use parking_lot::{Condvar, Mutex};

/// The master's frame header: physical offset (8 bytes) then body size (4 bytes), big-endian.
pub const FRAME_HEADER_LEN: usize = 12;
/// The slave's report: its CommitLog end, 8 bytes big-endian.
pub const REPORT_LEN: usize = 8;

/// The transfer settings, RocketMQ's `MessageStoreConfig` names and defaults (docs/replication.md §4).
#[derive(Debug, Clone, Copy)]
pub struct HaSettings {
    /// `haTransferBatchSize`: the most CommitLog bytes in one frame.
    pub transfer_batch_size: usize,
    /// `haSendHeartbeatInterval`: the longest quiet time before a heartbeat (master) or a report (slave).
    pub heartbeat_interval: Duration,
    /// `haHousekeepingInterval`: a connection that hears nothing this long is closed.
    pub housekeeping_interval: Duration,
}

impl Default for HaSettings {
    fn default() -> Self {
        HaSettings {
            transfer_batch_size: 32 * 1024,
            heartbeat_interval: Duration::from_secs(5),
            housekeeping_interval: Duration::from_secs(20),
        }
    }
}

/// Raised after every append; the master's transfer threads sleep on it between batches.
#[derive(Default)]
pub struct AppendSignal {
    generation: Mutex<u64>,
    raised: Condvar,
}

impl AppendSignal {
    pub fn raise(&self) {
        *self.generation.lock() += 1;
        self.raised.notify_all();
    }

    /// The current generation, to wait past.
    pub fn generation(&self) -> u64 {
        *self.generation.lock()
    }

    /// Sleeps until the generation moves past `seen` or `timeout` passes.
    pub fn wait_past(&self, seen: u64, timeout: Duration) {
        let mut generation = self.generation.lock();
        if *generation == seen {
            let _ = self.raised.wait_for(&mut generation, timeout);
        }
    }
}

/// Encodes a master frame header.
pub fn frame_header(physical_offset: u64, body_size: u32) -> [u8; FRAME_HEADER_LEN] {
    let mut header = [0u8; FRAME_HEADER_LEN];
    header[..8].copy_from_slice(&physical_offset.to_be_bytes());
    header[8..].copy_from_slice(&body_size.to_be_bytes());
    header
}
