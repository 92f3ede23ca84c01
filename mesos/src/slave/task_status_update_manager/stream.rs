//! One task's status update stream (Mesos' `TaskStatusUpdateStream`), as
//! plain data: the updates waiting to be acknowledged, in order, and the
//! UUIDs received and acknowledged, with duplicates and unexpected
//! acknowledgements refused as Mesos refuses them. A checkpointing stream
//! appends a `StatusUpdateRecord` to the task's updates file before it
//! applies an update or acknowledgement.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::os::unix::fs::OpenOptionsExt;

use libprocess::Time;
use stout::{Error, Try, Uuid};

use crate::common::protobuf_utils;
use crate::internal::{status_update_record, StatusUpdate, StatusUpdateRecord};
use crate::{FrameworkId, TaskId, TaskState};

/// `<state> (Status UUID: <uuid>) for task <id> of framework <id>`, as
/// Mesos prints an update.
pub(crate) fn describe(update: &StatusUpdate) -> String {
    let uuid = update
        .uuid
        .as_ref()
        .and_then(|uuid| Uuid::from_bytes(uuid).ok())
        .map(|uuid| uuid.to_string())
        .unwrap_or_default();
    let state = TaskState::try_from(update.status.state)
        .map(|state| state.as_str_name())
        .unwrap_or("UNKNOWN");
    format!(
        "{} (Status UUID: {}) for task {} of framework {}",
        state, uuid, update.status.task_id.value, update.framework_id.value
    )
}

/// The UUID an update carries.
fn uuid_of(update: &StatusUpdate) -> Try<Uuid> {
    match &update.uuid {
        Some(uuid) => Uuid::from_bytes(uuid)
            .map_err(|e| Error::new(format!("Task status update has an invalid 'uuid': {}", e))),
        None => Err(Error::new("Task status update is missing 'uuid'")),
    }
}

/// A task's stream of status updates.
#[derive(Debug)]
pub struct TaskStatusUpdateStream {
    /// Whether the stream checkpoints to its updates file.
    pub checkpoint: bool,
    /// Whether a terminal update was acknowledged.
    pub terminated: bool,
    /// When the head of `pending` is due to be resent, if it was sent.
    pub timeout: Option<Time>,
    /// The updates not acknowledged yet; the head is the one in flight.
    pub pending: VecDeque<StatusUpdate>,
    task_id: TaskId,
    framework_id: FrameworkId,
    received: HashSet<Uuid>,
    acknowledged: HashSet<Uuid>,
    /// The updates file and its path, for a checkpointing stream.
    file: Option<(File, String)>,
    /// A failure to checkpoint: the stream refuses everything after it.
    error: Option<String>,
}

impl TaskStatusUpdateStream {
    /// A stream for the task; `path` is its updates file for a
    /// checkpointing stream (created, with its directory, if missing).
    pub fn new(task_id: TaskId, framework_id: FrameworkId, path: Option<String>) -> Self {
        let mut stream = TaskStatusUpdateStream {
            checkpoint: path.is_some(),
            terminated: false,
            timeout: None,
            pending: VecDeque::new(),
            task_id,
            framework_id,
            received: HashSet::new(),
            acknowledged: HashSet::new(),
            file: None,
            error: None,
        };
        if let Some(path) = path {
            match open(&path) {
                Ok(file) => stream.file = Some((file, path)),
                Err(error) => stream.error = Some(error.to_string()),
            }
        }
        stream
    }

    /// The task.
    pub fn task_id(&self) -> &TaskId {
        &self.task_id
    }

    /// The task's framework.
    pub fn framework_id(&self) -> &FrameworkId {
        &self.framework_id
    }

    /// Takes an update from the executor: true if new, false if it was
    /// received (or acknowledged) before and is ignored.
    pub fn update(&mut self, update: &StatusUpdate) -> Try<bool> {
        if let Some(error) = &self.error {
            return Err(Error::new(error.clone()));
        }
        let uuid = uuid_of(update)?;
        // The agent can die after the framework acknowledged an update
        // but before the executor heard the agent's acknowledgement.
        if self.acknowledged.contains(&uuid) {
            tracing::warn!(
                "Ignoring task status update {} that has already been acknowledged by the \
                 framework!",
                describe(update)
            );
            return Ok(false);
        }
        if self.received.contains(&uuid) {
            tracing::warn!("Ignoring duplicate task status update {}", describe(update));
            return Ok(false);
        }
        self.handle(update, status_update_record::Type::Update, uuid)?;
        Ok(true)
    }

    /// Takes the framework's acknowledgement `uuid` of `update` (the
    /// stream's head): true if it acknowledges it, false for a duplicate
    /// or an acknowledgement of another update (a retried update can be
    /// acknowledged twice).
    pub fn acknowledgement(&mut self, uuid: Uuid, update: &StatusUpdate) -> Try<bool> {
        if let Some(error) = &self.error {
            return Err(Error::new(error.clone()));
        }
        if self.acknowledged.contains(&uuid) {
            tracing::warn!(
                "Duplicate task status update acknowledgment (UUID: {}) for update {}",
                uuid,
                describe(update)
            );
            return Ok(false);
        }
        let expected = uuid_of(update)?;
        if uuid != expected {
            tracing::warn!(
                "Unexpected task status update acknowledgement (received {}, expecting {}) \
                 for update {}",
                uuid,
                expected,
                describe(update)
            );
            return Ok(false);
        }
        self.handle(update, status_update_record::Type::Ack, uuid)?;
        Ok(true)
    }

    /// The update to send next (the head), if any.
    pub fn next(&self) -> Try<Option<&StatusUpdate>> {
        if let Some(error) = &self.error {
            return Err(Error::new(error.clone()));
        }
        Ok(self.pending.front())
    }

    /// Rebuilds the stream from its checkpointed records: each update in
    /// order, then its acknowledgement if `acks` holds it. Nothing is
    /// written.
    pub fn replay(&mut self, updates: &[StatusUpdate], acks: &HashSet<Uuid>) -> Try<()> {
        if let Some(error) = &self.error {
            return Err(Error::new(error.clone()));
        }
        tracing::debug!(
            "Replaying task status update stream for task {}",
            self.task_id.value
        );
        for update in updates {
            let uuid = uuid_of(update)?;
            self.apply(update, status_update_record::Type::Update, uuid);
            if acks.contains(&uuid) {
                self.apply(update, status_update_record::Type::Ack, uuid);
            }
        }
        Ok(())
    }

    /// Checkpoints (if the stream does), then applies.
    fn handle(
        &mut self,
        update: &StatusUpdate,
        r#type: status_update_record::Type,
        uuid: Uuid,
    ) -> Try<()> {
        if let Some((file, path)) = &mut self.file {
            tracing::info!(
                "Checkpointing {} for task status update {}",
                r#type.as_str_name(),
                describe(update)
            );
            let record = match r#type {
                status_update_record::Type::Update => StatusUpdateRecord {
                    r#type: r#type as i32,
                    update: Some(update.clone()),
                    uuid: None,
                },
                status_update_record::Type::Ack => StatusUpdateRecord {
                    r#type: r#type as i32,
                    update: None,
                    uuid: update.uuid.clone(),
                },
            };
            if let Err(e) = stout::protobuf::write(file, &record) {
                let error = format!(
                    "Failed to write task status update {} to '{}': {}",
                    describe(update),
                    path,
                    e
                );
                self.error = Some(error.clone());
                return Err(Error::new(error));
            }
        }
        self.apply(update, r#type, uuid);
        Ok(())
    }

    fn apply(&mut self, update: &StatusUpdate, r#type: status_update_record::Type, uuid: Uuid) {
        match r#type {
            status_update_record::Type::Update => {
                self.received.insert(uuid);
                self.pending.push_back(update.clone());
            }
            status_update_record::Type::Ack => {
                self.acknowledged.insert(uuid);
                self.pending.pop_front();
                if !self.terminated {
                    self.terminated = TaskState::try_from(update.status.state)
                        .is_ok_and(protobuf_utils::is_terminal_state);
                }
            }
        }
    }
}

/// Opens (creating) an updates file for appending.
fn open(path: &str) -> Try<File> {
    let directory = stout::path::dirname(path);
    stout::os::mkdir(directory, true)
        .map_err(|e| Error::new(format!("Failed to create '{}': {}", directory, e)))?;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o644)
        .open(path)
        .map_err(|e| Error::errno(format!("Failed to open '{}' for status updates", path), &e))
}

/// The records of an updates file: the updates in order and the UUIDs
/// acknowledged (Mesos' recovery of `task.updates`). A record cut short at
/// the end (the agent died writing it) ends the file.
pub fn read_task_updates(path: &str) -> Try<(Vec<StatusUpdate>, HashSet<Uuid>)> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::errno(format!("Failed to open updates file '{}'", path), &e))?;
    let mut reader = bytes.as_slice();
    let mut updates = Vec::new();
    let mut acks = HashSet::new();
    loop {
        let record: StatusUpdateRecord = match stout::protobuf::read(&mut reader) {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(error) => {
                tracing::warn!(
                    "Failed to read status update record from '{}' (truncated?): {}",
                    path,
                    error
                );
                break;
            }
        };
        match (record.r#type(), record.update, record.uuid) {
            (status_update_record::Type::Update, Some(update), _) => updates.push(update),
            (status_update_record::Type::Ack, _, Some(uuid)) => {
                acks.insert(Uuid::from_bytes(&uuid)?);
            }
            _ => {
                return Err(Error::new(format!(
                    "Malformed status update record in '{}'",
                    path
                )))
            }
        }
    }
    Ok((updates, acks))
}
