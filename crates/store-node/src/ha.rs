//! N-API glue for replication (docs/replication.md): starts the store crate's HA master or slave
//! threads over the shared store, forwards slave acknowledgements to JS, reports status. No
//! replication logic lives here.

use std::sync::Arc;
use std::time::Duration;

use clean_rocketmq_store::ha::client::HaClient;
use clean_rocketmq_store::ha::master::HaMaster;
use clean_rocketmq_store::ha::HaSettings;
use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use crate::{invalid_arg, lock_store, NativeStore, Result};

#[derive(Default)]
pub struct HaParts {
    master: Option<HaMaster>,
    client: Option<HaClient>,
}

impl HaParts {
    pub fn stop(&mut self) {
        if let Some(mut client) = self.client.take() {
            client.stop();
        }
        if let Some(mut master) = self.master.take() {
            master.stop();
        }
    }
}

/// `haTransferBatchSize`, `haSendHeartbeatInterval`, `haHousekeepingInterval` (RocketMQ's defaults when absent).
#[napi(object)]
pub struct HaOptions {
    pub transfer_batch_size_bytes: Option<u32>,
    pub heartbeat_interval_ms: Option<u32>,
    pub housekeeping_interval_ms: Option<u32>,
}

fn settings(options: &HaOptions) -> HaSettings {
    let mut settings = HaSettings::default();
    if let Some(v) = options.transfer_batch_size_bytes {
        settings.transfer_batch_size = v.max(1) as usize;
    }
    if let Some(v) = options.heartbeat_interval_ms {
        settings.heartbeat_interval = Duration::from_millis(v.into());
    }
    if let Some(v) = options.housekeeping_interval_ms {
        settings.housekeeping_interval = Duration::from_millis(v.into());
    }
    settings
}

#[napi(object)]
pub struct HaStatus {
    /// "MASTER", "SLAVE" or "NONE".
    pub role: String,
    /// Master: the HA listener's port.
    pub port: u32,
    /// Master: connected slaves.
    pub connections: u32,
    /// Master: the highest offset a slave confirmed.
    pub acked_offset: f64,
    /// Slave: the master's HA address.
    pub master_address: String,
    pub connected: bool,
    /// Slave: the end of the last frame received.
    pub master_offset: f64,
    /// Slave: the last offset reported.
    pub reported_offset: f64,
    pub last_error: String,
}

/// `(ackedOffset)`: one call per slave report.
type AckArgs = FnArgs<(f64,)>;
type AckCallback = ThreadsafeFunction<AckArgs, (), AckArgs, napi::Status, false, true>;

#[napi]
impl NativeStore {
    /// Serves slaves on `port` (0: any free port); returns the port listened on.
    #[napi]
    pub fn start_ha_master(&mut self, port: u32, options: HaOptions) -> Result<u32> {
        if self.ha.master.is_some() || self.ha.client.is_some() {
            return Err(invalid_arg("replication is already started".into()));
        }
        let (files, signal) = {
            let store = self.store()?;
            (store.commit_log_files(), store.append_signal())
        };
        let port = u16::try_from(port).map_err(|_| invalid_arg(format!("haListenPort {port} out of range")))?;
        let master = HaMaster::start(files, signal, settings(&options), port)
            .map_err(|e| invalid_arg(format!("cannot listen for slaves on port {port}: {e}")))?;
        let bound = master.status().port;
        self.ha.master = Some(master);
        Ok(bound.into())
    }

    /// Registers `callback(ackedOffset)`, called on the JS thread for each slave report; `null` removes it.
    #[napi(ts_args_type = "callback: ((ackedOffset: number) => void) | null")]
    pub fn set_ha_ack_listener(&mut self, callback: Option<AckCallback>) -> Result<()> {
        let Some(master) = &self.ha.master else { return Err(invalid_arg("no HA master is started".into())) };
        master.set_ack_listener(callback.map(|callback| {
            Box::new(move |offset: u64| {
                callback.call(FnArgs { data: (offset as f64,) }, ThreadsafeFunctionCallMode::NonBlocking);
            }) as Box<dyn Fn(u64) + Send + Sync>
        }));
        Ok(())
    }

    /// Replicates from the master's HA address `host:port` ("" waits for `setHaMasterAddress`).
    #[napi]
    pub fn start_ha_slave(&mut self, master_address: String, options: HaOptions) -> Result<()> {
        if self.ha.master.is_some() || self.ha.client.is_some() {
            return Err(invalid_arg("replication is already started".into()));
        }
        self.store()?.set_read_only_replica();
        let (for_end, for_append) = (Arc::clone(&self.store), Arc::clone(&self.store));
        let end =
            Box::new(move || lock_store(&for_end).map(|store| store.max_physical_offset() as u64).map_err(js_to_store));
        let append = Box::new(move |offset: u64, bytes: &[u8]| {
            let mut store = lock_store(&for_append).map_err(js_to_store)?;
            store.append_replica(offset, bytes)
        });
        let client = HaClient::start(master_address, end, append, settings(&options))
            .map_err(|e| invalid_arg(format!("cannot start the replication thread: {e}")))?;
        self.ha.client = Some(client);
        Ok(())
    }

    /// The master's HA address learned from the registry.
    #[napi]
    pub fn set_ha_master_address(&mut self, master_address: String) -> Result<()> {
        let Some(client) = &self.ha.client else { return Err(invalid_arg("no HA slave is started".into())) };
        client.set_master(master_address);
        Ok(())
    }

    #[napi]
    pub fn get_ha_status(&self) -> HaStatus {
        let mut status = HaStatus {
            role: "NONE".into(),
            port: 0,
            connections: 0,
            acked_offset: 0.0,
            master_address: String::new(),
            connected: false,
            master_offset: 0.0,
            reported_offset: 0.0,
            last_error: String::new(),
        };
        if let Some(master) = &self.ha.master {
            let m = master.status();
            status.role = "MASTER".into();
            status.port = m.port.into();
            status.connections = m.connections as u32;
            status.acked_offset = m.acked_offset as f64;
            status.last_error = m.last_error;
        }
        if let Some(client) = &self.ha.client {
            let c = client.status();
            status.role = "SLAVE".into();
            status.master_address = c.master_address;
            status.connected = c.connected;
            status.master_offset = c.master_offset as f64;
            status.reported_offset = c.reported_offset as f64;
            status.last_error = c.last_error;
        }
        status
    }
}

fn js_to_store(error: napi::Error<crate::Code>) -> clean_rocketmq_store::StoreError {
    clean_rocketmq_store::StoreError::new(clean_rocketmq_store::ErrorCode::StoreClosed, error.reason.clone())
}
