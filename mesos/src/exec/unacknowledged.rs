//! What the agent has not acknowledged (Mesos' `updates` and `tasks` of
//! the executor driver): status updates and launched tasks, in order,
//! offered again to a restarted agent on re-registration.

use bytes::Bytes;
use stout::Uuid;

use super::ExecutorConfig;
use crate::internal::StatusUpdate;
use crate::{TaskId, TaskInfo, TaskStatus};

/// The executor's status update for `status`, named by `uuid` and stamped
/// `now` (seconds since the epoch), for both the update and its status.
pub(super) fn status_update(
    config: &ExecutorConfig,
    mut status: TaskStatus,
    uuid: Uuid,
    now: f64,
) -> StatusUpdate {
    let uuid = Bytes::copy_from_slice(&uuid.to_bytes());
    status.timestamp = Some(now);
    status.uuid = Some(uuid.clone());
    status.slave_id = Some(config.slave_id.clone());
    StatusUpdate {
        framework_id: config.framework_id.clone(),
        executor_id: Some(config.executor_id.clone()),
        slave_id: Some(config.slave_id.clone()),
        status,
        timestamp: now,
        uuid: Some(uuid),
        latest_state: None,
    }
}

/// The unacknowledged updates and tasks, as plain data.
#[derive(Debug, Default)]
pub(super) struct Unacknowledged {
    updates: Vec<(Uuid, StatusUpdate)>,
    tasks: Vec<TaskInfo>,
}

impl Unacknowledged {
    /// A task to launch; false (and not kept) for one already launched.
    pub(super) fn launched(&mut self, task: &TaskInfo) -> bool {
        if self.tasks.iter().any(|t| t.task_id == task.task_id) {
            return false;
        }
        self.tasks.push(task.clone());
        true
    }

    /// An update sent under `uuid`.
    pub(super) fn sent(&mut self, uuid: Uuid, update: StatusUpdate) {
        self.updates.push((uuid, update));
    }

    /// The agent acknowledged update `uuid` of `task_id`: both are done
    /// with. False for an unknown update.
    pub(super) fn acknowledged(&mut self, uuid: Uuid, task_id: &TaskId) -> bool {
        let Some(index) = self.updates.iter().position(|(u, _)| *u == uuid) else {
            return false;
        };
        self.updates.remove(index);
        self.tasks.retain(|t| &t.task_id != task_id);
        true
    }

    /// The updates, in the order sent.
    pub(super) fn updates(&self) -> Vec<StatusUpdate> {
        self.updates.iter().map(|(_, u)| u.clone()).collect()
    }

    /// The tasks, in the order launched.
    pub(super) fn tasks(&self) -> Vec<TaskInfo> {
        self.tasks.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str) -> TaskInfo {
        TaskInfo {
            task_id: TaskId { value: id.into() },
            ..TaskInfo::default()
        }
    }

    #[test]
    fn an_acknowledgement_settles_the_update_and_its_task() {
        let mut unacknowledged = Unacknowledged::default();
        assert!(unacknowledged.launched(&task("1")));
        assert!(!unacknowledged.launched(&task("1")));
        assert!(unacknowledged.launched(&task("2")));

        let uuid = Uuid::from_random_bytes([7; 16]);
        let update = StatusUpdate {
            status: TaskStatus {
                task_id: task("1").task_id,
                ..TaskStatus::default()
            },
            ..StatusUpdate::default()
        };
        unacknowledged.sent(uuid, update.clone());
        assert_eq!(vec![update], unacknowledged.updates());

        let other = Uuid::from_random_bytes([8; 16]);
        assert!(!unacknowledged.acknowledged(other, &task("1").task_id));
        assert!(unacknowledged.acknowledged(uuid, &task("1").task_id));
        assert!(unacknowledged.updates().is_empty());
        assert_eq!(vec![task("2")], unacknowledged.tasks());
    }
}
