//! TransientStorePool (docs/store-format.md §5): `transientStorePoolSize` off-heap buffers of one CommitLog
//! file each, locked in memory when the OS allows. A file being appended to borrows one; appends
//! copy into it and the commit thread writes it to the file, so the append path never waits on
//! the kernel's write path. A buffer goes back once its file is fully committed.
//! Depends on `memmap2` (anonymous mappings) and `libc` (mlock).

use memmap2::MmapMut;
use parking_lot::Mutex;

use crate::error::{ErrorCode, StoreError, StoreResult};

pub struct TransientStorePool {
    buffer_size: usize,
    free: Mutex<Vec<MmapMut>>,
    /// Whether `mlock` succeeded for every buffer (it needs RLIMIT_MEMLOCK or root).
    locked: bool,
}

impl TransientStorePool {
    pub fn new(count: usize, buffer_size: usize) -> StoreResult<TransientStorePool> {
        let mut buffers = Vec::with_capacity(count);
        let mut locked = true;
        for _ in 0..count {
            let buffer = MmapMut::map_anon(buffer_size).map_err(|e| {
                StoreError::new(
                    ErrorCode::Io,
                    format!("transient store pool: cannot allocate {buffer_size} bytes: {e}"),
                )
            })?;
            // SAFETY: the range is exactly this mapping.
            locked &= unsafe { libc::mlock(buffer.as_ptr().cast(), buffer_size) } == 0;
            buffers.push(buffer);
        }
        Ok(TransientStorePool { buffer_size, free: Mutex::new(buffers), locked })
    }

    pub fn buffer_size(&self) -> usize {
        self.buffer_size
    }
    pub fn is_locked(&self) -> bool {
        self.locked
    }
    pub fn available(&self) -> usize {
        self.free.lock().len()
    }

    pub fn borrow(&self) -> Option<MmapMut> {
        self.free.lock().pop()
    }

    pub fn give_back(&self, buffer: MmapMut) {
        assert_eq!(buffer.len(), self.buffer_size, "a foreign buffer came back to the pool");
        self.free.lock().push(buffer);
    }
}
