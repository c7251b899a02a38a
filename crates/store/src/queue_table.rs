//! The table of ConsumeQueues by (topic, queueId), with each queue's next queue offset
//! (`topicQueueTable`). Owns the `consumequeue/<topic>/<queueId>/` folders. Depends on `consume_queue`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::consume_queue::ConsumeQueue;
use crate::error::{StoreError, StoreResult};

pub struct QueueState {
    /// The queue offset the next message of this queue gets.
    pub next_queue_offset: i64,
    pub consume_queue: ConsumeQueue,
}

pub struct QueueTable {
    root: PathBuf,
    units_per_file: u64,
    topics: HashMap<Vec<u8>, Vec<Option<QueueState>>>,
}

impl QueueTable {
    /// Loads every `consumequeue/<topic>/<queueId>` folder.
    pub fn load(root: &Path, units_per_file: u64) -> StoreResult<QueueTable> {
        std::fs::create_dir_all(root).map_err(|e| StoreError::io(&format!("create {}", root.display()), e))?;
        let mut table = QueueTable {
            root: root.to_path_buf(),
            units_per_file,
            topics: HashMap::new(),
        };
        for topic_dir in sub_dirs(root)? {
            let Some(topic) = topic_dir.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
            for queue_dir in sub_dirs(&topic_dir)? {
                let Some(queue_id) = queue_dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse::<u32>().ok())
                else {
                    continue;
                };
                table.get_or_load(topic.as_bytes(), queue_id as usize)?;
            }
        }
        Ok(table)
    }

    pub fn get(&self, topic: &[u8], queue_id: usize) -> Option<&QueueState> {
        self.topics.get(topic)?.get(queue_id)?.as_ref()
    }

    /// The queue, loaded (or created) on first use. `topic` must already be validated as a
    /// safe folder name.
    pub fn get_or_load(&mut self, topic: &[u8], queue_id: usize) -> StoreResult<&mut QueueState> {
        if !self.topics.contains_key(topic) {
            self.topics.insert(topic.to_vec(), Vec::new());
        }
        let queues = self.topics.get_mut(topic).expect("inserted above");
        if queues.len() <= queue_id {
            queues.resize_with(queue_id + 1, || None);
        }
        let slot = &mut queues[queue_id];
        if slot.is_none() {
            let topic_name = std::str::from_utf8(topic).expect("validated topic is ASCII");
            let dir = self.root.join(topic_name).join(queue_id.to_string());
            let consume_queue = ConsumeQueue::load(&dir, self.units_per_file)?;
            *slot = Some(QueueState {
                next_queue_offset: consume_queue.max_offset_in_queue(),
                consume_queue,
            });
        }
        Ok(slot.as_mut().expect("filled above"))
    }

    pub fn queues_mut(&mut self) -> impl Iterator<Item = &mut QueueState> {
        self.topics.values_mut().flat_map(|queues| queues.iter_mut().flatten())
    }

    pub fn queues(&self) -> impl Iterator<Item = &QueueState> {
        self.topics.values().flat_map(|queues| queues.iter().flatten())
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
