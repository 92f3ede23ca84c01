//! Tasks after launch: status updates from agents forwarded to the
//! framework, ACKNOWLEDGE forwarded to the agent, KILL, RECONCILE,
//! SHUTDOWN, framework and executor messages, exited executors, and the
//! bookkeeping of task states and resources (Mesos' `statusUpdate`,
//! `forward`, `updateTask`, `removeTask`, `acknowledge`, `kill`,
//! `reconcile`, `exitedExecutor`, ...).

use libprocess::{send_protobuf, UPID};

use super::Master;
use crate::common::protobuf_utils::{
    create_status_update, get_task_check_status, get_task_container_status, get_task_health,
    is_terminal_state, StatusUpdateOptions,
};
use crate::common::resources::Resources;
use crate::internal::StatusUpdate;
use crate::internal::{
    ExecutorToFrameworkMessage, ExitedExecutorMessage, FrameworkToExecutorMessage, KillTaskMessage,
    ShutdownExecutorMessage, StatusUpdateAcknowledgementMessage, StatusUpdateMessage,
};
use crate::scheduler::call::{reconcile, Acknowledge, Kill, Message, Reconcile, Shutdown};
use crate::task_status::{Reason, Source};
use crate::{ExecutorId, FrameworkId, SlaveId, TaskId, TaskState};

impl Master {
    /// A status update from an agent (Mesos' `statusUpdate`).
    pub(super) fn status_update_message(&mut self, _from: &UPID, message: StatusUpdateMessage) {
        self.metrics.messages_status_update.increment();
        let update = message.update;
        let Some(pid) = message
            .pid
            .as_deref()
            .and_then(|pid| UPID::parse(pid).ok())
            .filter(|pid| !pid.is_empty())
        else {
            tracing::warn!("Ignoring status update without the pid to acknowledge to");
            self.metrics.invalid_status_updates.increment();
            return;
        };
        let slave_id = update.slave_id.clone().unwrap_or_default();
        if self.slaves.removed.contains(&slave_id) {
            tracing::warn!(
                "Ignoring status update from removed agent {} with id {}",
                pid,
                slave_id.value
            );
            self.metrics.invalid_status_updates.increment();
            return;
        }
        if !self.slaves.registered.contains_key(&slave_id) {
            tracing::warn!(
                "Ignoring status update from unknown agent {} with id {}",
                pid,
                slave_id.value
            );
            self.metrics.invalid_status_updates.increment();
            return;
        }
        let uuid = update.uuid.as_deref().unwrap_or_default();
        if let Err(error) = stout::Uuid::from_bytes(uuid) {
            tracing::warn!(
                "Ignoring status update from agent {}: {}",
                slave_id.value,
                error
            );
            self.metrics.invalid_status_updates.increment();
            return;
        }
        let task_id = update.status.task_id.clone();
        tracing::info!(
            "Status update {} for task {} of framework {} from agent {}",
            update.status.state().as_str_name(),
            task_id.value,
            update.framework_id.value,
            slave_id.value
        );
        let framework_id = update.framework_id.clone();
        let connected = self
            .frameworks
            .get(&framework_id)
            .is_some_and(|framework| framework.connected());
        if connected {
            self.forward(&update, Some(&pid), &framework_id);
        } else {
            tracing::warn!(
                "Received status update for task {} from agent {} for {} framework",
                task_id.value,
                slave_id.value,
                if self.frameworks.contains_key(&framework_id) {
                    "a disconnected"
                } else {
                    "an unknown"
                }
            );
        }
        let known = self
            .slaves
            .registered
            .get(&slave_id)
            .is_some_and(|slave| slave.has_task(&framework_id, &task_id))
            && self
                .frameworks
                .get(&framework_id)
                .is_some_and(|f| f.tasks.contains_key(&task_id));
        if !known {
            tracing::warn!(
                "Could not lookup task {} for status update from agent {}",
                task_id.value,
                slave_id.value
            );
            self.metrics.invalid_status_updates.increment();
            return;
        }
        self.update_task(&framework_id, &task_id, &update);
        if connected {
            self.metrics.valid_status_updates.increment();
        } else {
            self.metrics.invalid_status_updates.increment();
        }
    }

    /// Sends the update to the framework, to be acknowledged to
    /// `acknowledgee` (none for the master's own updates); remembers
    /// what it forwarded, for acknowledgements and reconciliation.
    pub(super) fn forward(
        &mut self,
        update: &StatusUpdate,
        acknowledgee: Option<&UPID>,
        framework_id: &FrameworkId,
    ) {
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return;
        };
        match acknowledgee {
            None => tracing::info!(
                "Sending status update {} for task {} of framework {}{}",
                update.status.state().as_str_name(),
                update.status.task_id.value,
                framework_id.value,
                update
                    .status
                    .message
                    .as_ref()
                    .map(|m| format!(" '{}'", m))
                    .unwrap_or_default()
            ),
            Some(_) => tracing::info!(
                "Forwarding status update {} for task {} of framework {}",
                update.status.state().as_str_name(),
                update.status.task_id.value,
                framework_id.value
            ),
        }
        if update.uuid.is_some() {
            if let Some(task) = framework.tasks.get_mut(&update.status.task_id) {
                task.status_update_state = Some(update.status.state);
                task.status_update_uuid = update.status.uuid.clone();
            }
        }
        framework.send(&StatusUpdateMessage {
            update: update.clone(),
            // The master's own updates name the empty pid (`@0.0.0.0:0`), as
            // Mesos' do: nothing to acknowledge them to.
            pid: Some(
                acknowledgee
                    .cloned()
                    .unwrap_or_else(UPID::empty)
                    .to_string(),
            ),
        });
    }

    /// Applies the update to the task (Mesos' `updateTask`): a task that
    /// becomes terminal or unreachable gives its resources back.
    pub(super) fn update_task(
        &mut self,
        framework_id: &FrameworkId,
        task_id: &TaskId,
        update: &StatusUpdate,
    ) {
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return;
        };
        let Some(task) = framework.tasks.get_mut(task_id) else {
            return;
        };
        let status = &update.status;
        let update_state = update
            .latest_state
            .and_then(|s| TaskState::try_from(s).ok())
            .unwrap_or_else(|| status.state());
        let terminal_or_unreachable =
            |state: TaskState| is_terminal_state(state) || state == TaskState::TaskUnreachable;
        let transitioned =
            !terminal_or_unreachable(task.state()) && terminal_or_unreachable(update_state);
        if !is_terminal_state(task.state()) {
            if task.state() != update_state {
                framework.metrics.decrement_active_task_state(task.state());
                framework.metrics.increment_task_state(update_state);
            }
            task.set_state(update_state);
        }
        // Consecutive updates of one state keep only the latest status.
        if task.statuses.last().map(|s| s.state) == Some(status.state) {
            task.statuses.pop();
        }
        let mut kept = status.clone();
        kept.data = None;
        task.statuses.push(kept);
        tracing::info!(
            "Updating the state of task {} of framework {} (latest state: {}, status update \
             state: {})",
            task_id.value,
            framework_id.value,
            task.state().as_str_name(),
            status.state().as_str_name()
        );
        if !transitioned {
            return;
        }
        let task = task.clone();
        let resources = Resources::from(task.resources.as_slice());
        self.allocator
            .recover_resources(framework_id, &task.slave_id, resources, None, true);
        if let Some(slave) = self.slaves.registered.get_mut(&task.slave_id) {
            slave.recover_resources(&task);
        }
        if let Some(framework) = self.frameworks.get_mut(framework_id) {
            framework.recover_resources(task_id);
        }
        let counter = match status.state() {
            TaskState::TaskFinished => Some(&self.metrics.tasks_finished),
            TaskState::TaskFailed => Some(&self.metrics.tasks_failed),
            TaskState::TaskKilled => Some(&self.metrics.tasks_killed),
            TaskState::TaskLost => Some(&self.metrics.tasks_lost),
            TaskState::TaskError => Some(&self.metrics.tasks_error),
            TaskState::TaskDropped => Some(&self.metrics.tasks_dropped),
            TaskState::TaskGone => Some(&self.metrics.tasks_gone),
            TaskState::TaskGoneByOperator => Some(&self.metrics.tasks_gone_by_operator),
            _ => None,
        };
        if let Some(counter) = counter {
            counter.increment();
        }
        if let Some(reason) = status.reason {
            self.metrics.increment_tasks_states(
                status.state,
                status.source.unwrap_or_default(),
                reason,
            );
        }
    }

    /// Removes the task from its agent and framework (Mesos'
    /// `removeTask`); a task still running gives its resources back.
    pub(super) fn remove_task(
        &mut self,
        framework_id: &FrameworkId,
        task_id: &TaskId,
        unreachable: bool,
    ) {
        let Some(task) = self
            .frameworks
            .get(framework_id)
            .and_then(|f| f.tasks.get(task_id))
            .cloned()
        else {
            return;
        };
        let resources = Resources::from(task.resources.as_slice());
        if !is_terminal_state(task.state()) && task.state() != TaskState::TaskUnreachable {
            tracing::warn!(
                "Removing task {} with resources {} of framework {} on agent {} in \
                 non-terminal state {}",
                task_id.value,
                resources,
                framework_id.value,
                task.slave_id.value,
                task.state().as_str_name()
            );
            self.allocator
                .recover_resources(framework_id, &task.slave_id, resources, None, true);
        } else {
            tracing::info!(
                "Removing task {} with resources {} of framework {} on agent {}",
                task_id.value,
                resources,
                framework_id.value,
                task.slave_id.value
            );
        }
        if let Some(framework) = self.frameworks.get_mut(framework_id) {
            framework.remove_task(task_id, unreachable);
        }
        if let Some(slave) = self.slaves.registered.get_mut(&task.slave_id) {
            slave.remove_task(&task);
        }
    }

    /// Forgets an executor, its resources back to the allocator.
    pub(super) fn remove_executor(
        &mut self,
        slave_id: &SlaveId,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
    ) {
        let Some(slave) = self.slaves.registered.get_mut(slave_id) else {
            return;
        };
        let Some(executor) = slave
            .executors
            .get(framework_id)
            .and_then(|executors| executors.get(executor_id))
            .cloned()
        else {
            return;
        };
        let resources = Resources::from(executor.resources.as_slice());
        tracing::info!(
            "Removing executor '{}' with resources {} of framework {} on agent {}",
            executor_id.value,
            resources,
            framework_id.value,
            slave_id.value
        );
        slave.remove_executor(framework_id, executor_id);
        self.allocator
            .recover_resources(framework_id, slave_id, resources, None, true);
        if let Some(framework) = self.frameworks.get_mut(framework_id) {
            framework.remove_executor(slave_id, executor_id);
        }
    }

    /// ACKNOWLEDGE: forwarded to the agent; the acknowledgement of a
    /// task's terminal update removes the task.
    pub(super) fn acknowledge(&mut self, framework_id: &FrameworkId, acknowledge: Acknowledge) {
        self.metrics
            .messages_status_update_acknowledgement
            .increment();
        let slave_id = acknowledge.slave_id.clone();
        let task_id = acknowledge.task_id.clone();
        let Some(slave) = self.slaves.registered.get(&slave_id) else {
            tracing::warn!(
                "Cannot send status update acknowledgement for task {} of framework {} to \
                 agent {} because agent is not registered",
                task_id.value,
                framework_id.value,
                slave_id.value
            );
            self.metrics
                .invalid_status_update_acknowledgements
                .increment();
            return;
        };
        if !slave.connected {
            tracing::warn!(
                "Cannot send status update acknowledgement for task {} of framework {} to \
                 agent {} because agent is disconnected",
                task_id.value,
                framework_id.value,
                slave_id.value
            );
            self.metrics
                .invalid_status_update_acknowledgements
                .increment();
            return;
        }
        let slave_pid = slave.pid.clone();
        let task = slave
            .has_task(framework_id, &task_id)
            .then(|| {
                self.frameworks
                    .get(framework_id)
                    .and_then(|f| f.tasks.get(&task_id))
            })
            .flatten();
        if let Some(task) = task {
            let Some(state) = task.status_update_state else {
                tracing::warn!(
                    "Ignoring status update acknowledgement for task {} of framework {} to \
                     agent {} because the update was not sent by this master",
                    task_id.value,
                    framework_id.value,
                    slave_id.value
                );
                self.metrics
                    .invalid_status_update_acknowledgements
                    .increment();
                return;
            };
            let terminal = TaskState::try_from(state).is_ok_and(is_terminal_state);
            if terminal && task.status_update_uuid.as_deref() == Some(&acknowledge.uuid[..]) {
                self.remove_task(framework_id, &task_id, false);
            }
        }
        tracing::info!(
            "Processing ACKNOWLEDGE call for task {} of framework {} on agent {}",
            task_id.value,
            framework_id.value,
            slave_id.value
        );
        send_protobuf(
            &slave_pid,
            &StatusUpdateAcknowledgementMessage {
                slave_id,
                framework_id: framework_id.clone(),
                task_id,
                uuid: acknowledge.uuid,
            },
        );
        self.metrics
            .valid_status_update_acknowledgements
            .increment();
    }

    /// KILL: to the task's agent; an unknown task is reconciled instead.
    pub(super) fn kill(&mut self, framework_id: &FrameworkId, kill: Kill) {
        self.metrics.messages_kill_task.increment();
        let task_id = kill.task_id.clone();
        tracing::info!(
            "Processing KILL call for task '{}' of framework {}",
            task_id.value,
            framework_id.value
        );
        let Some(task) = self
            .frameworks
            .get(framework_id)
            .and_then(|f| f.tasks.get(&task_id))
        else {
            tracing::warn!(
                "Cannot kill task {} of framework {} because it is unknown; performing \
                 reconciliation instead",
                task_id.value,
                framework_id.value
            );
            self.reconcile(
                framework_id,
                Reconcile {
                    tasks: vec![reconcile::Task {
                        task_id,
                        slave_id: kill.slave_id,
                    }],
                },
            );
            return;
        };
        let slave_id = task.slave_id.clone();
        if kill.slave_id.as_ref().is_some_and(|id| id != &slave_id) {
            tracing::warn!(
                "Cannot kill task {} of framework {} because it belongs to a different agent",
                task_id.value,
                framework_id.value
            );
            return;
        }
        let Some(slave) = self.slaves.registered.get_mut(&slave_id) else {
            return;
        };
        slave
            .killed_tasks
            .entry(framework_id.clone())
            .or_default()
            .insert(task_id.clone());
        if slave.connected {
            send_protobuf(
                &slave.pid,
                &KillTaskMessage {
                    framework_id: framework_id.clone(),
                    task_id,
                    kill_policy: kill.kill_policy,
                },
            );
        } else {
            tracing::warn!(
                "Cannot kill task {} of framework {} because the agent {} is disconnected. \
                 Kill will be retried if the agent reregisters",
                task_id.value,
                framework_id.value,
                slave_id.value
            );
        }
    }

    /// RECONCILE (Mesos' `reconcile`): the latest state of the given
    /// tasks, or of all the framework's tasks if none is given.
    pub(super) fn reconcile(&mut self, framework_id: &FrameworkId, reconcile: Reconcile) {
        self.metrics.messages_reconcile_tasks.increment();
        let Some(framework) = self.frameworks.get(framework_id) else {
            return;
        };
        let partition_aware = framework.capabilities.partition_aware;
        let latest = |task: &crate::Task| {
            let state = task
                .status_update_state
                .and_then(|s| TaskState::try_from(s).ok())
                .unwrap_or_else(|| task.state());
            create_status_update(
                framework_id,
                Some(task.slave_id.clone()),
                &task.task_id,
                state,
                Source::Master,
                None,
                StatusUpdateOptions {
                    message: "Reconciliation: Latest task state".to_string(),
                    reason: Some(Reason::Reconciliation),
                    executor_id: task.executor_id.clone(),
                    healthy: get_task_health(task),
                    check_status: get_task_check_status(task),
                    container_status: get_task_container_status(task).cloned(),
                    ..StatusUpdateOptions::default()
                },
            )
        };
        let send =
            |update: StatusUpdate| framework.send(&StatusUpdateMessage { update, pid: None });
        if reconcile.tasks.is_empty() {
            tracing::info!(
                "Performing implicit task state reconciliation for framework {}",
                framework_id.value
            );
            for task in framework.tasks.values() {
                send(latest(task));
            }
            return;
        }
        tracing::info!(
            "Performing explicit task state reconciliation for {} tasks of framework {}",
            reconcile.tasks.len(),
            framework_id.value
        );
        let unknown_state = |state: TaskState| {
            if partition_aware {
                state
            } else {
                TaskState::TaskLost
            }
        };
        for t in reconcile.tasks {
            let slave_id = t.slave_id.clone();
            let (state, message, unreachable_time) =
                if let Some(task) = framework.tasks.get(&t.task_id) {
                    send(latest(task));
                    continue;
                } else if slave_id
                    .as_ref()
                    .map_or(!self.slaves.recovered.is_empty(), |id| {
                        self.slaves.recovered.contains_key(id)
                    })
                {
                    tracing::info!(
                        "Dropping reconciliation of task {} for framework {} because {} not \
                         yet reregistered with the master",
                        t.task_id.value,
                        framework_id.value,
                        slave_id
                            .as_ref()
                            .map_or("some agents have".to_string(), |id| format!(
                                "agent {} has",
                                id.value
                            ))
                    );
                    continue;
                } else if slave_id
                    .as_ref()
                    .is_some_and(|id| self.slaves.registered.contains_key(id))
                {
                    (
                        unknown_state(TaskState::TaskGone),
                        "Reconciliation: Task is unknown to the agent",
                        None,
                    )
                } else if let Some(time) = slave_id
                    .as_ref()
                    .and_then(|id| self.slaves.unreachable.get(id))
                {
                    (
                        unknown_state(TaskState::TaskUnreachable),
                        "Reconciliation: Task is unreachable",
                        Some(*time),
                    )
                } else {
                    (
                        unknown_state(TaskState::TaskUnknown),
                        "Reconciliation: Task is unknown",
                        None,
                    )
                };
            send(create_status_update(
                framework_id,
                slave_id,
                &t.task_id,
                state,
                Source::Master,
                None,
                StatusUpdateOptions {
                    message: message.to_string(),
                    reason: Some(Reason::Reconciliation),
                    unreachable_time,
                    ..StatusUpdateOptions::default()
                },
            ));
        }
    }

    /// SHUTDOWN: the agent shuts the executor down.
    pub(super) fn shutdown_executor(&mut self, framework_id: &FrameworkId, shutdown: Shutdown) {
        let reason = match self.slaves.registered.get(&shutdown.slave_id) {
            None => Some("agent is not registered"),
            Some(slave) if !slave.connected => Some("agent is disconnected"),
            Some(_) => None,
        };
        if let Some(reason) = reason {
            tracing::warn!(
                "Cannot shutdown executor '{}' of framework {} on agent {} because {}",
                shutdown.executor_id.value,
                framework_id.value,
                shutdown.slave_id.value,
                reason
            );
            return;
        }
        tracing::info!(
            "Processing SHUTDOWN call for executor '{}' of framework {} on agent {}",
            shutdown.executor_id.value,
            framework_id.value,
            shutdown.slave_id.value
        );
        if let Some(slave) = self.slaves.registered.get(&shutdown.slave_id) {
            send_protobuf(
                &slave.pid,
                &ShutdownExecutorMessage {
                    executor_id: Some(shutdown.executor_id),
                    framework_id: Some(framework_id.clone()),
                },
            );
        }
    }

    /// MESSAGE: framework data for an executor, through its agent.
    pub(super) fn message(&mut self, framework_id: &FrameworkId, message: Message) {
        self.metrics.messages_framework_to_executor.increment();
        let reason = match self.slaves.registered.get(&message.slave_id) {
            None => Some("agent is not registered"),
            Some(slave) if !slave.connected => Some("agent is disconnected"),
            Some(_) => None,
        };
        if let Some(reason) = reason {
            tracing::warn!(
                "Cannot send framework message for framework {} to agent {} because {}",
                framework_id.value,
                message.slave_id.value,
                reason
            );
            self.metrics
                .invalid_framework_to_executor_messages
                .increment();
            return;
        }
        if let Some(slave) = self.slaves.registered.get(&message.slave_id) {
            send_protobuf(
                &slave.pid,
                &FrameworkToExecutorMessage {
                    slave_id: message.slave_id.clone(),
                    framework_id: framework_id.clone(),
                    executor_id: message.executor_id,
                    data: message.data,
                },
            );
        }
        self.metrics
            .valid_framework_to_executor_messages
            .increment();
    }

    /// An executor's data for its framework, from the agent.
    pub(super) fn executor_message(&mut self, _from: &UPID, message: ExecutorToFrameworkMessage) {
        self.metrics.messages_executor_to_framework.increment();
        let framework_id = &message.framework_id;
        let problem = if self.slaves.removed.contains(&message.slave_id) {
            Some("the agent was removed")
        } else if !self.slaves.registered.contains_key(&message.slave_id) {
            Some("the agent is not registered")
        } else {
            match self.frameworks.get(framework_id) {
                None => Some("the framework is unknown"),
                Some(framework) if !framework.connected() => Some("the framework is disconnected"),
                Some(_) => None,
            }
        };
        if let Some(problem) = problem {
            tracing::warn!(
                "Not forwarding executor message for executor '{}' of framework {} on agent {} \
                 because {}",
                message.executor_id.value,
                framework_id.value,
                message.slave_id.value,
                problem
            );
            self.metrics
                .invalid_executor_to_framework_messages
                .increment();
            return;
        }
        if let Some(framework) = self.frameworks.get(framework_id) {
            framework.send(&message);
        }
        self.metrics
            .valid_executor_to_framework_messages
            .increment();
    }

    /// An executor exited on an agent: forgotten, and the framework told.
    pub(super) fn exited_executor(&mut self, _from: &UPID, message: ExitedExecutorMessage) {
        self.metrics.messages_exited_executor.increment();
        let ExitedExecutorMessage {
            slave_id,
            framework_id,
            executor_id,
            status,
        } = &message;
        if self.slaves.removed.contains(slave_id) {
            tracing::warn!(
                "Ignoring exited executor '{}' of framework {} on removed agent {}",
                executor_id.value,
                framework_id.value,
                slave_id.value
            );
            return;
        }
        if !self.slaves.registered.contains_key(slave_id) {
            tracing::warn!(
                "Ignoring exited executor '{}' of framework {} on unknown agent {}",
                executor_id.value,
                framework_id.value,
                slave_id.value
            );
            return;
        }
        tracing::info!(
            "Executor '{}' of framework {} on agent {} exited with status {}",
            executor_id.value,
            framework_id.value,
            slave_id.value,
            status
        );
        self.remove_executor(slave_id, framework_id, executor_id);
        match self.frameworks.get(framework_id) {
            Some(framework) if framework.connected() => framework.send(&message),
            _ => tracing::warn!(
                "Not forwarding exited executor message for executor '{}' of framework {} \
                 because the framework is unknown or disconnected",
                executor_id.value,
                framework_id.value
            ),
        }
    }
}
