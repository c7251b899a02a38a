//! The store's marker files in `storePathRootDir` (docs/store-format.md §9.2): `lock` (an exclusive flock,
//! one store per folder) and `abort` (the PID while running; found at open means a crash).
//! Depends on `error`.

use std::fs::File;

use crate::error::{ErrorCode, StoreError, StoreResult};

/// The `abort` file holds the PID while the store runs; finding it at open means a crash.
pub fn write_abort_file(path: &std::path::Path) -> StoreResult<()> {
    std::fs::write(path, std::process::id().to_string()).map_err(|e| StoreError::io(&path.display().to_string(), e))
}

/// Takes the exclusive `lock` file (docs/store-format.md §9.2): a second store on the same folder fails.
pub fn lock_store(root: &std::path::Path) -> StoreResult<File> {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    let path = root.join("lock");
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| StoreError::io(&path.display().to_string(), e))?;
    // SAFETY: flock on an open descriptor we own.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        return Err(StoreError::new(ErrorCode::Io, format!("Lock failed, MQ already started ({})", path.display())));
    }
    file.write_all(b"lock").map_err(|e| StoreError::io(&path.display().to_string(), e))?;
    Ok(file)
}
