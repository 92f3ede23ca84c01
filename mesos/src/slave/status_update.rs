//! Task status updates through the agent (Mesos' `Slave::statusUpdate`
//! and its continuations, `forward`, `statusUpdateAcknowledgement`): an
//! update from an executor (or made by the agent) is checked, applied to
//! the task, handed to the status update manager and acknowledged to the
//! executor; the manager forwards it to the master, whose
//! acknowledgement completes the task.

use libprocess::{defer, send_protobuf, Future, SelfPid, UPID};

use crate::common::protobuf_utils::is_terminal_state;
use crate::internal::{StatusUpdate, StatusUpdateAcknowledgementMessage, StatusUpdateMessage};
use crate::slave::executor::{ExecutorState, ToExecutor};
use crate::slave::framework::FrameworkState;
use crate::slave::slave::{Slave, SlaveState};
use crate::slave::ContainerTermination;
use crate::task_status::{Reason, Source};
use crate::{
    network_info, ContainerId, ContainerStatus, ExecutorId, FrameworkId, NetworkInfo, TaskId,
    TaskState,
};

/// Who sent a status update, which decides its source and who gets the
/// acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateSource {
    /// The agent made it: nobody to acknowledge.
    Agent,
    /// An executor driver at this pid.
    Executor(UPID),
    /// A v1 HTTP executor, acknowledged on its event stream.
    HttpExecutor,
}

impl Slave {
    /// `StatusUpdateMessage` from an executor driver: the update, and the
    /// pid to acknowledge (empty: the agent's own).
    pub(crate) fn status_update_message(&mut self, message: StatusUpdateMessage) {
        let source = match message.pid.as_deref().filter(|p| !p.is_empty()) {
            None => UpdateSource::Agent,
            Some(pid) => match UPID::parse(pid) {
                Ok(pid) => UpdateSource::Executor(pid),
                Err(error) => {
                    tracing::warn!("Ignoring status update with a bad pid '{}': {}", pid, error);
                    self.metrics.invalid_status_updates += 1;
                    return;
                }
            },
        };
        self.status_update(message.update, source);
    }

    pub(crate) fn status_update(&mut self, mut update: StatusUpdate, source: UpdateSource) {
        let task_id = update.status.task_id.clone();
        tracing::info!(
            "Handling status update {} for task {} of framework {}",
            update.status.state().as_str_name(),
            task_id.value,
            update.framework_id.value
        );
        let Some(uuid) = update.uuid.clone() else {
            tracing::warn!(
                "Ignoring status update for task {} without 'uuid'",
                task_id.value
            );
            self.metrics.invalid_status_updates += 1;
            return;
        };
        if update.slave_id != self.info.id || update.status.slave_id != self.info.id {
            tracing::warn!(
                "Ignoring status update for task {} due to Slave ID mismatch; expected '{}', \
                 received '{}'",
                task_id.value,
                self.slave_id().value,
                update
                    .slave_id
                    .as_ref()
                    .or(update.status.slave_id.as_ref())
                    .map(|id| id.value.as_str())
                    .unwrap_or_default()
            );
            self.metrics.invalid_status_updates += 1;
            return;
        }

        update.status.uuid = Some(uuid);
        update.status.set_source(if source == UpdateSource::Agent {
            Source::Slave
        } else {
            Source::Executor
        });
        if let Some(executor_id) = &update.executor_id {
            update.status.executor_id = Some(executor_id.clone());
        }

        let framework_id = update.framework_id.clone();
        let Some(framework) = self.frameworks.get_mut(&framework_id.value) else {
            tracing::warn!(
                "Ignoring status update for task {} for unknown framework {}",
                task_id.value,
                framework_id.value
            );
            self.metrics.invalid_status_updates += 1;
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Ignoring status update for task {} for terminating framework {}",
                task_id.value,
                framework_id.value
            );
            self.metrics.invalid_status_updates += 1;
            return;
        }

        // An update for a task not given to an executor yet: the agent's
        // own (e.g. killed before launch).
        if framework.is_pending(&task_id) {
            framework.remove_pending_task(&task_id);
            if framework.idle() {
                self.remove_framework(&framework_id);
            }
            self.metrics.valid_status_updates += 1;
            self.hand_to_manager(update, source, None);
            return;
        }

        let Some(executor_id) = framework.executor_id_of_task(&task_id) else {
            tracing::warn!(
                "Could not find the executor for status update for task {}",
                task_id.value
            );
            self.metrics.valid_status_updates += 1;
            self.hand_to_manager(update, source, None);
            return;
        };
        let Some(executor) = framework.executor_mut(&executor_id) else {
            return;
        };

        let status = update.status.clone();
        if status.source() == Source::Executor && status.state() == TaskState::TaskStaging {
            tracing::error!(
                "Received TASK_STAGING from executor {} which is not allowed. Shutting down the \
                 executor",
                executor.describe()
            );
            self.shutdown_executor_now(&framework_id, &executor_id);
            return;
        }
        if let (
            UpdateSource::Executor(pid),
            Some(crate::slave::executor::ExecutorChannel::Pid(known)),
        ) = (&source, &executor.channel)
        {
            if pid != known {
                tracing::warn!(
                    "Received status update for task {} from {} on behalf of a different \
                     executor '{}' ({})",
                    task_id.value,
                    pid,
                    executor.id.value,
                    known
                );
            }
        }

        self.metrics.valid_status_updates += 1;
        executor.add_pending_task_status(&status);

        let queued = executor.is_queued(&task_id);
        let dropped_by_agent = executor.launched_tasks.contains_key(&task_id.value)
            && matches!(status.state(), TaskState::TaskDropped | TaskState::TaskLost)
            && status.source() == Source::Slave;
        if queued || dropped_by_agent {
            self.apply_status_update(update, source, executor_id, Future::ready(None));
            return;
        }

        // The container's status (its IPs) goes along with the update.
        let container_id = status
            .container_status
            .as_ref()
            .and_then(|s| s.container_id.clone())
            .unwrap_or_else(|| executor.container_id.clone());
        let pid = self.self_pid();
        self.containerizer
            .status(&container_id)
            .map(Some)
            .on_any(libprocess::defer!(
                pid,
                Slave::apply_status_update,
                update,
                source,
                executor_id,
                _
            ));
    }

    /// Mesos' `_statusUpdate`: the container's status (when there is one)
    /// into the update, the task's new state, and for a terminal state,
    /// the container shrunk to the remaining tasks. Dispatched by name,
    /// for tests to await.
    pub fn apply_status_update(
        &mut self,
        mut update: StatusUpdate,
        source: UpdateSource,
        executor_id: ExecutorId,
        container_status: Future<Option<ContainerStatus>>,
    ) {
        if let Some(Some(container_status)) = container_status.value() {
            let ip = self.self_pid().upid().address().ip().to_string();
            let status = update
                .status
                .container_status
                .get_or_insert_with(ContainerStatus::default);
            prost_merge(status, container_status);
            if status.network_infos.is_empty() {
                status.network_infos.push(NetworkInfo {
                    ip_addresses: vec![network_info::IpAddress {
                        ip_address: Some(ip),
                        ..Default::default()
                    }],
                    ..Default::default()
                });
            }
        }

        let framework_id = update.framework_id.clone();
        let executor = self
            .frameworks
            .get_mut(&framework_id.value)
            .and_then(|f| f.executor_mut(&executor_id));
        let Some(executor) = executor else {
            tracing::warn!(
                "Ignoring container status update for framework {}for a non-existent executor",
                framework_id.value
            );
            return;
        };
        let status = update.status.clone();
        if let Err(error) = executor.update_task_state(&status) {
            tracing::error!(
                "Failed to update state of task '{}' to {}: {}",
                status.task_id.value,
                status.state().as_str_name(),
                error
            );
            self.status_update_handled(Future::ready(()), update, source);
            return;
        }
        let (container_id, checkpoint) = (executor.container_id.clone(), executor.checkpoint);
        if !is_terminal_state(status.state()) {
            self.hand_to_manager(
                update,
                source,
                checkpoint.then_some((executor_id, container_id)),
            );
            return;
        }
        self.metrics.task_terminated(status.state());
        let resources = executor.allocated_resources();
        let pid = self.self_pid();
        self.containerizer
            .update(&container_id, resources, Default::default())
            .on_any(defer(&pid, move |slave: &mut Slave, future: Future<()>| {
                slave.container_updated(
                    future,
                    update,
                    source,
                    executor_id,
                    container_id,
                    checkpoint,
                )
            }));
    }

    /// Mesos' `__statusUpdate`.
    fn container_updated(
        &mut self,
        future: Future<()>,
        update: StatusUpdate,
        source: UpdateSource,
        executor_id: ExecutorId,
        container_id: ContainerId,
        checkpoint: bool,
    ) {
        if !future.is_ready() {
            let failure = future.failure().unwrap_or("discarded").to_string();
            tracing::error!(
                "Failed to update resources for container {} of executor '{}' running task {} \
                 on status update for terminal task, destroying container: {}",
                container_id.value,
                executor_id.value,
                update.status.task_id.value,
                failure
            );
            self.containerizer.destroy(&container_id);
            let partition_aware = self
                .framework(&update.framework_id)
                .is_some_and(|f| f.capabilities.partition_aware);
            if let Some(executor) = self.executor_mut(&update.framework_id, &executor_id) {
                let state = if partition_aware {
                    TaskState::TaskGone
                } else {
                    TaskState::TaskLost
                };
                executor.pending_termination = Some(ContainerTermination {
                    state: Some(state as i32),
                    reason: Some(Reason::ContainerUpdateFailed as i32),
                    message: Some(format!(
                        "Failed to update resources for container: {}",
                        failure
                    )),
                    ..ContainerTermination::default()
                });
            }
        }
        self.hand_to_manager(
            update,
            source,
            checkpoint.then_some((executor_id, container_id)),
        );
    }

    fn hand_to_manager(
        &mut self,
        update: StatusUpdate,
        source: UpdateSource,
        checkpoint: Option<(ExecutorId, ContainerId)>,
    ) {
        let slave_id = self.slave_id();
        let handled = self.status_updates.update(
            update.clone(),
            &slave_id,
            checkpoint.as_ref().map(|(e, c)| (e, c)),
        );
        let pid = self.self_pid();
        handled.on_any(defer(&pid, move |slave: &mut Slave, future: Future<()>| {
            slave.status_update_handled(future, update, source)
        }));
    }

    /// Mesos' `___statusUpdate`: the manager has the update; acknowledge
    /// it to the executor.
    fn status_update_handled(
        &mut self,
        future: Future<()>,
        update: StatusUpdate,
        source: UpdateSource,
    ) {
        if !future.is_ready() {
            tracing::error!(
                "Failed to handle status update for task {}: {}",
                update.status.task_id.value,
                future.failure().unwrap_or("discarded")
            );
            return;
        }
        let status = &update.status;
        let executor_id = self.executor_id_of_task(&update.framework_id, &status.task_id);
        if let Some(executor_id) = &executor_id {
            if let Some(executor) = self.executor_mut(&update.framework_id, executor_id) {
                executor.remove_pending_task_status(status);
            }
        }
        let message = StatusUpdateAcknowledgementMessage {
            framework_id: update.framework_id.clone(),
            slave_id: update.slave_id.clone().unwrap_or_default(),
            task_id: status.task_id.clone(),
            uuid: update.uuid.clone().unwrap_or_default(),
        };
        match source {
            UpdateSource::Agent => {}
            UpdateSource::Executor(pid) => {
                tracing::info!(
                    "Sending acknowledgement for status update {} for task {} to {}",
                    status.state().as_str_name(),
                    status.task_id.value,
                    pid
                );
                send_protobuf(&pid, &message);
            }
            UpdateSource::HttpExecutor => {
                let executor = executor_id
                    .as_ref()
                    .and_then(|e| self.executor(&update.framework_id, e));
                match executor {
                    Some(executor) => executor.send(ToExecutor::Acknowledgement(message)),
                    None => tracing::warn!(
                        "Ignoring sending acknowledgement for status update for task {} of \
                         unknown executor",
                        status.task_id.value
                    ),
                }
            }
        }
    }

    /// Sends an update the manager releases to the master (only while
    /// registered), with the task's latest state.
    pub(crate) fn forward(&mut self, mut update: StatusUpdate) {
        if self.state != SlaveState::Running {
            tracing::warn!(
                "Dropping status update for task {} sent by task status update manager because \
                 the agent is in {} state",
                update.status.task_id.value,
                self.state
            );
            return;
        }
        update.status.uuid = update.uuid.clone();
        let task_id = update.status.task_id.clone();
        let framework_id = update.framework_id.clone();
        if let Some(executor_id) = self.executor_id_of_task(&framework_id, &task_id) {
            if let Some(executor) = self.executor_mut(&framework_id, &executor_id) {
                let task = match executor.launched_tasks.get_mut(&task_id.value) {
                    Some(task) => Some(task),
                    None => executor.terminated_tasks.get_mut(&task_id.value),
                };
                if let Some(task) = task {
                    task.status_update_state = Some(update.status.state);
                    task.status_update_uuid = update.uuid.clone();
                    update.latest_state = Some(task.state);
                }
            }
        }
        let Some(master) = self.master.clone() else {
            return;
        };
        tracing::info!(
            "Forwarding the update {} for task {} to {}",
            update.status.state().as_str_name(),
            task_id.value,
            master
        );
        let message = StatusUpdateMessage {
            update,
            // The master's acknowledgement comes to the agent first.
            pid: Some(self.self_pid().upid().to_string()),
        };
        send_protobuf(&master, &message);
    }

    /// `StatusUpdateAcknowledgementMessage`: from the master (or, for
    /// updates the agent sent itself, another agent process).
    pub fn status_update_acknowledgement(
        &mut self,
        from: &UPID,
        message: StatusUpdateAcknowledgementMessage,
    ) {
        if from.id().starts_with("master") {
            if self.state != SlaveState::Running {
                tracing::warn!(
                    "Dropping status update acknowledgement message for {} because the agent is \
                     in {} state",
                    message.framework_id.value,
                    self.state
                );
                return;
            }
            if !self.is_master(from) {
                tracing::warn!(
                    "Ignoring status update acknowledgement message from {} because it is not \
                     the expected master: {}",
                    from,
                    self.master_name()
                );
                return;
            }
        }
        let uuid = match stout::Uuid::from_bytes(&message.uuid) {
            Ok(uuid) => uuid,
            Err(error) => {
                tracing::warn!(
                    "Ignoring status update acknowledgement with a bad uuid: {}",
                    error
                );
                return;
            }
        };
        let pid = self.self_pid();
        let (task_id, framework_id) = (message.task_id, message.framework_id);
        self.status_updates
            .acknowledgement(&task_id, &framework_id, uuid)
            .on_any(libprocess::defer!(
                pid,
                Slave::acknowledged,
                _,
                task_id,
                framework_id,
                uuid
            ));
    }

    /// Mesos' `_statusUpdateAcknowledgement`: a terminal task whose
    /// stream is done completes; an ended executor with nothing left goes,
    /// and so does an idle framework. Dispatched by name, for tests to
    /// await.
    pub fn acknowledged(
        &mut self,
        future: Future<bool>,
        task_id: TaskId,
        framework_id: FrameworkId,
        uuid: stout::Uuid,
    ) {
        let (task_id, framework_id) = (&task_id, &framework_id);
        let Some(more) = future.value().copied() else {
            tracing::error!(
                "Failed to handle status update acknowledgement (UUID: {}) for task {} of \
                 framework {}: {}",
                uuid,
                task_id.value,
                framework_id.value,
                future.failure().unwrap_or("future discarded")
            );
            return;
        };
        if self.framework(framework_id).is_none() {
            tracing::error!(
                "Status update acknowledgement (UUID: {}) for task {} of unknown framework {}",
                uuid,
                task_id.value,
                framework_id.value
            );
            return;
        }
        let Some(executor_id) = self.executor_id_of_task(framework_id, task_id) else {
            tracing::error!(
                "Status update acknowledgement (UUID: {}) for task {} of unknown executor",
                uuid,
                task_id.value
            );
            return;
        };
        let Some(executor) = self.executor_mut(framework_id, &executor_id) else {
            return;
        };
        if executor.terminated_tasks.contains_key(&task_id.value) && !more {
            executor.complete_task(task_id);
        }
        if executor.state == ExecutorState::Terminated && !executor.incomplete_tasks() {
            self.remove_executor(framework_id, &executor_id);
        }
        if self.framework(framework_id).is_some_and(|f| f.idle()) {
            self.remove_framework(framework_id);
        }
    }
}

/// `to.MergeFrom(from)` for a container status.
fn prost_merge(to: &mut ContainerStatus, from: &ContainerStatus) {
    use prost::Message;
    if let Err(error) = to.merge(from.encode_to_vec().as_slice()) {
        tracing::warn!("Failed to merge the container's status: {}", error);
    }
}
