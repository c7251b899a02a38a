//! The table of ConsumeQueues by (topic, queueId), with each queue's next queue offset
//! (`topicQueueTable`). Owns the `consumequeue/<topic>/<queueId>/` folders. Depends on `consume_queue`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::consume_queue::ConsumeQueue;
use crate::error::{StoreError, StoreResult};
use crate::flush_service::ConsumeQueueRegistry;

pub struct QueueState {
    /// The queue offset the next message of this queue gets.
    pub next_queue_offset: i64,
    pub consume_queue: ConsumeQueue,
}

/// Marks a queue slot that was never loaded.
const NO_QUEUE: u32 = u32::MAX;

pub struct QueueTable {
    root: PathBuf,
    /// Every queue's files, for the flush thread.
    registry: Arc<ConsumeQueueRegistry>,
    units_per_file: u64,
    /// topic → queueId → index into `queues`.
    index: HashMap<Vec<u8>, Vec<u32>>,
    queues: Vec<QueueState>,
}

impl QueueTable {
    /// Loads every `consumequeue/<topic>/<queueId>` folder.
    pub fn load(root: &Path, units_per_file: u64, registry: Arc<ConsumeQueueRegistry>) -> StoreResult<QueueTable> {
        std::fs::create_dir_all(root).map_err(|e| StoreError::io(&format!("create {}", root.display()), e))?;
        let mut table = QueueTable {
            root: root.to_path_buf(),
            registry,
            units_per_file,
            index: HashMap::new(),
            queues: Vec::new(),
        };
        for topic_dir in sub_dirs(root)? {
            let Some(topic) = topic_dir.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
            for queue_dir in sub_dirs(&topic_dir)? {
                let queue_id = queue_dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse::<u32>().ok());
                if let Some(queue_id) = queue_id {
                    table.index_of_or_load(topic.as_bytes(), queue_id as usize)?;
                }
            }
        }
        Ok(table)
    }

    pub fn get(&self, topic: &[u8], queue_id: usize) -> Option<&QueueState> {
        let index = *self.index.get(topic)?.get(queue_id)?;
        (index != NO_QUEUE).then(|| &self.queues[index as usize])
    }

    pub fn at(&mut self, index: usize) -> &mut QueueState {
        &mut self.queues[index]
    }

    /// The index of the queue, loaded (or created) on first use. `topic` must already be
    /// validated as a safe folder name.
    pub fn index_of_or_load(&mut self, topic: &[u8], queue_id: usize) -> StoreResult<usize> {
        if let Some(&index) = self.index.get(topic).and_then(|ids| ids.get(queue_id)) {
            if index != NO_QUEUE {
                return Ok(index as usize);
            }
        }
        let topic_name = std::str::from_utf8(topic).expect("validated topic is ASCII");
        let dir = self.root.join(topic_name).join(queue_id.to_string());
        let consume_queue = ConsumeQueue::load(&dir, self.units_per_file)?;
        self.registry.register(Arc::clone(consume_queue.files()));
        let index = self.queues.len();
        self.queues.push(QueueState { next_queue_offset: consume_queue.max_offset_in_queue(), consume_queue });
        let ids = self.index.entry(topic.to_vec()).or_default();
        if ids.len() <= queue_id {
            ids.resize(queue_id + 1, NO_QUEUE);
        }
        ids[queue_id] = index as u32;
        Ok(index)
    }

    pub fn queues_mut(&mut self) -> impl Iterator<Item = &mut QueueState> {
        self.queues.iter_mut()
    }

    pub fn queues(&self) -> impl Iterator<Item = &QueueState> {
        self.queues.iter()
    }
}

fn sub_dirs(dir: &Path) -> StoreResult<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| StoreError::io(&format!("list {}", dir.display()), e))?;
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(&format!("list {}", dir.display()), e))?;
        if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    Ok(dirs)
}
