//! What the agent needs of its task status update manager (Mesos'
//! `TaskStatusUpdateManager`, which the agent is constructed with): take
//! each update into its task's stream, forward the stream's head through
//! the agent to the master until acknowledged, and hold forwarding while
//! the agent is disconnected.

use libprocess::Future;

use crate::internal::StatusUpdate;
use crate::{ContainerId, ExecutorId, FrameworkId, SlaveId, TaskId};

/// Called by the manager with each update to send to the master (the
/// agent's `forward`).
pub type Forward = Box<dyn Fn(StatusUpdate) + Send + Sync>;

/// The agent's view of its task status update manager.
pub trait StatusUpdateManager: Send + Sync + 'static {
    /// Gives the manager the agent's `forward`.
    fn initialize(&self, forward: Forward);

    /// Takes `update` into its task's stream; with an executor and
    /// container (a checkpointing framework), checkpointed first. Ready
    /// once the update is in the stream.
    fn update(
        &self,
        update: StatusUpdate,
        slave_id: &SlaveId,
        checkpoint: Option<(&ExecutorId, &ContainerId)>,
    ) -> Future<()>;

    /// The master acknowledged the update with `uuid`: ready with whether
    /// the task's stream goes on (false: the acknowledged update was
    /// terminal and the stream is done).
    fn acknowledgement(
        &self,
        task_id: &TaskId,
        framework_id: &FrameworkId,
        uuid: stout::Uuid,
    ) -> Future<bool>;

    /// Stops forwarding (the agent lost its master).
    fn pause(&self);

    /// Forwards again, starting with every stream's head.
    fn resume(&self);

    /// Drops the streams of a framework the agent removed.
    fn cleanup(&self, framework_id: &FrameworkId);
}

impl StatusUpdateManager for crate::slave::task_status_update_manager::TaskStatusUpdateManager {
    fn initialize(&self, forward: Forward) {
        crate::slave::task_status_update_manager::TaskStatusUpdateManager::initialize(
            self, forward,
        );
    }

    fn update(
        &self,
        update: StatusUpdate,
        slave_id: &SlaveId,
        checkpoint: Option<(&ExecutorId, &ContainerId)>,
    ) -> Future<()> {
        crate::slave::task_status_update_manager::TaskStatusUpdateManager::update(
            self, update, slave_id, checkpoint,
        )
    }

    fn acknowledgement(
        &self,
        task_id: &TaskId,
        framework_id: &FrameworkId,
        uuid: stout::Uuid,
    ) -> Future<bool> {
        crate::slave::task_status_update_manager::TaskStatusUpdateManager::acknowledgement(
            self,
            task_id,
            framework_id,
            uuid,
        )
    }

    fn pause(&self) {
        crate::slave::task_status_update_manager::TaskStatusUpdateManager::pause(self);
    }

    fn resume(&self) {
        crate::slave::task_status_update_manager::TaskStatusUpdateManager::resume(self);
    }

    fn cleanup(&self, framework_id: &FrameworkId) {
        crate::slave::task_status_update_manager::TaskStatusUpdateManager::cleanup(
            self,
            framework_id,
        );
    }
}
