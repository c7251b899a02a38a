//! clean-rocketmq-store: Apache RocketMQ's store formats and mechanisms in pure Rust — mmap
//! CommitLog segments, ConsumeQueues, recovery — with no knowledge of N-API or the network.

pub mod allocate_service;
pub mod checkpoint;
pub mod clean_service;
pub mod commit_log;
pub mod commit_service;
pub mod config;
pub mod consume_queue;
pub mod delay_level;
pub mod error;
pub mod flush_service;
pub mod get_message;
pub mod ha;
pub mod index_dispatcher;
pub mod index_file;
pub mod index_service;
pub mod limits;
pub mod mapped_file;
pub mod mapped_file_queue;
pub mod message_reader;
pub mod message_store;
pub mod properties;
pub mod queue_table;
pub mod record;
pub mod record_encoder;
pub mod service_thread;
pub mod store_files;
pub mod transient_store_pool;

pub use config::{FlushDiskType, StoreConfig};
pub use error::{ErrorCode, StoreError, StoreResult};
pub use flush_service::FlushEvent;
pub use get_message::{GetMessageRequest, GetMessageResult, GetMessageStatus, QueryMessageResult};
pub use message_store::MessageStore;
