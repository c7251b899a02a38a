//! ServiceThread: one named background thread with a wake-up signal and an orderly stop (RocketMQ's
//! `ServiceThread`). The flush, commit and clean services run their loops on it. Depends on
//! `parking_lot` only.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

#[derive(Default)]
struct SignalState {
    woken: bool,
    stopped: bool,
}

/// What the loop waits on: a wake-up from another thread, a stop, or its own timeout.
#[derive(Default)]
pub struct Signal {
    state: Mutex<SignalState>,
    changed: Condvar,
}

impl Signal {
    /// Sleeps until woken, stopped, `timeout` passes or `ready()` holds (checked before each
    /// sleep). Clears the wake-up. Returns true when the service is stopping.
    pub fn wait(&self, timeout: Duration, ready: impl Fn() -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.state.lock();
        while !state.stopped && !state.woken && !ready() {
            if self.changed.wait_until(&mut state, deadline).timed_out() {
                break;
            }
        }
        state.woken = false;
        state.stopped
    }

    pub fn wake(&self) {
        let mut state = self.state.lock();
        if !state.woken {
            state.woken = true;
            drop(state);
            self.changed.notify_one();
        }
    }

    fn stop(&self) {
        self.state.lock().stopped = true;
        self.changed.notify_all();
    }
}

pub struct ServiceThread {
    signal: Arc<Signal>,
    thread: Option<JoinHandle<()>>,
}

impl ServiceThread {
    /// Starts `name` running `body(&signal)`; the body returns once `Signal::wait` reports a stop.
    pub fn start(name: &str, body: impl FnOnce(&Signal) + Send + 'static) -> ServiceThread {
        let signal = Arc::new(Signal::default());
        let worker = Arc::clone(&signal);
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || body(&worker))
            .unwrap_or_else(|e| panic!("spawn the {name} thread: {e}"));
        ServiceThread { signal, thread: Some(thread) }
    }

    pub fn wake(&self) {
        self.signal.wake();
    }

    /// Signals the stop and waits for the loop's last pass to finish. Idempotent.
    pub fn shutdown(&mut self) {
        self.signal.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ServiceThread {
    fn drop(&mut self) {
        self.shutdown();
    }
}
