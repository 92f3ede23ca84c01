//! Killing tasks, shutting executors and frameworks down, and cleaning
//! up after a container ends (Mesos' `Slave::killTask`, `kill`,
//! `shutdownExecutor`, `shutdownFramework`, `shutdown`,
//! `executorTerminated`, `removeExecutor`, `removeFramework`).

use libprocess::{delay, send_protobuf, Future, SelfPid, UPID};
use stout::Duration;

use crate::common::protobuf_utils::{create_status_update, is_terminal_state, StatusUpdateOptions};
use crate::internal::{
    ExitedExecutorMessage, KillTaskMessage, ShutdownExecutorMessage, ShutdownFrameworkMessage,
    ShutdownMessage, UnregisterSlaveMessage,
};
use crate::slave::executor::{Executor, ExecutorState, ToExecutor};
use crate::slave::framework::FrameworkState;
use crate::slave::slave::{Slave, SlaveState, MAX_COMPLETED_FRAMEWORKS};
use crate::slave::status_update::UpdateSource;
use crate::slave::ContainerTermination;
use crate::task_status::{Reason, Source};
use crate::{ContainerId, ExecutorId, FrameworkId, Resources, TaskId, TaskState};

impl Slave {
    pub(crate) fn kill_task(&mut self, from: &UPID, message: KillTaskMessage) {
        if !self.is_master(from) {
            tracing::warn!(
                "Ignoring kill task message from {} because it is not the expected master: {}",
                from,
                self.master_name()
            );
            return;
        }
        let framework_id = message.framework_id.clone();
        let task_id = message.task_id.clone();
        tracing::info!(
            "Asked to kill task {} of framework {}",
            task_id.value,
            framework_id.value
        );
        if matches!(self.state, SlaveState::Recovering | SlaveState::Terminating) {
            tracing::warn!(
                "Cannot kill task {} of framework {} because the agent is {}",
                task_id.value,
                framework_id.value,
                self.state
            );
            return;
        }
        let Some(framework) = self.framework(&framework_id) else {
            tracing::warn!(
                "Ignoring kill task {} of framework {} because no such framework is running",
                task_id.value,
                framework_id.value
            );
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Ignoring kill task {} of framework {} because the framework is terminating",
                task_id.value,
                framework_id.value
            );
            return;
        }
        if let Some(executor_id) = framework.executor_id_for_pending_task(&task_id) {
            tracing::warn!(
                "Killing task {} of framework {} before it was launched",
                task_id.value,
                framework_id.value
            );
            self.agent_update(
                &framework_id,
                &task_id,
                TaskState::TaskKilled,
                "Killed before delivery to the executor",
                Reason::TaskKilledDuringLaunch,
                Some(executor_id),
            );
            return;
        }
        let partition_aware = framework.capabilities.partition_aware;
        let Some(executor_id) = framework.executor_id_of_task(&task_id) else {
            tracing::warn!(
                "Cannot kill task {} of framework {} because no corresponding executor is running",
                task_id.value,
                framework_id.value
            );
            let state = if partition_aware {
                TaskState::TaskDropped
            } else {
                TaskState::TaskLost
            };
            self.agent_update(
                &framework_id,
                &task_id,
                state,
                "Cannot find executor",
                Reason::ExecutorTerminated,
                None,
            );
            return;
        };
        self.kill(&framework_id, &executor_id, message);
    }

    /// An update of `task_id` to `state`, made by the agent.
    fn agent_update(
        &mut self,
        framework_id: &FrameworkId,
        task_id: &TaskId,
        state: TaskState,
        message: &str,
        reason: Reason,
        executor_id: Option<ExecutorId>,
    ) {
        let update = create_status_update(
            framework_id,
            self.info.id.clone(),
            task_id,
            state,
            Source::Slave,
            Some(libprocess::random::uuid()),
            StatusUpdateOptions {
                message: message.to_string(),
                reason: Some(reason),
                executor_id,
                ..StatusUpdateOptions::default()
            },
        );
        self.status_update(update, UpdateSource::Agent);
    }

    fn kill(
        &mut self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
        message: KillTaskMessage,
    ) {
        let Some(executor) = self.executor(framework_id, executor_id) else {
            return;
        };
        let task_id = message.task_id.clone();
        match executor.state {
            ExecutorState::Registering => {
                tracing::warn!(
                    "Transitioning the state of task {} of framework {} to TASK_KILLED because \
                     the executor is not registered",
                    task_id.value,
                    framework_id.value
                );
                self.agent_update(
                    framework_id,
                    &task_id,
                    TaskState::TaskKilled,
                    "Killed before delivery to the executor",
                    Reason::TaskKilledDuringLaunch,
                    Some(executor_id.clone()),
                );
            }
            ExecutorState::Terminating => tracing::warn!(
                "Ignoring kill task {} because the executor {} is terminating",
                task_id.value,
                executor.describe()
            ),
            ExecutorState::Terminated => tracing::warn!(
                "Ignoring kill task {} because the executor {} is terminated",
                task_id.value,
                executor.describe()
            ),
            ExecutorState::Running if executor.is_queued(&task_id) => {
                self.agent_update(
                    framework_id,
                    &task_id,
                    TaskState::TaskKilled,
                    "Killed before delivery to the executor",
                    Reason::TaskKilledDuringLaunch,
                    Some(executor_id.clone()),
                );
                let Some(executor) = self.executor(framework_id, executor_id) else {
                    return;
                };
                if !executor.ever_sent_task() && executor.queued_tasks.is_empty() {
                    tracing::warn!(
                        "Shutting down executor {} because it has never been sent a task and all \
                         of its queued tasks have been killed before delivery",
                        executor.describe()
                    );
                    self.shutdown_executor_now(framework_id, executor_id);
                }
            }
            ExecutorState::Running => executor.send(ToExecutor::KillTask(message)),
        }
    }

    /// `ShutdownExecutorMessage` from the master.
    pub(crate) fn shutdown_executor(&mut self, from: &UPID, message: ShutdownExecutorMessage) {
        let framework_id = message.framework_id.unwrap_or_default();
        let executor_id = message.executor_id.unwrap_or_default();
        if !from.is_empty() && !self.is_master(from) {
            tracing::warn!(
                "Ignoring shutdown executor message for executor '{}' of framework {} from {} \
                 because it is not from the registered master ({})",
                executor_id.value,
                framework_id.value,
                from,
                self.master_name()
            );
            return;
        }
        tracing::info!(
            "Asked to shut down executor '{}' of framework {} by {}",
            executor_id.value,
            framework_id.value,
            from
        );
        if matches!(
            self.state,
            SlaveState::Recovering | SlaveState::Disconnected
        ) {
            tracing::warn!(
                "Ignoring shutdown executor message for executor '{}' of framework {} because \
                 the agent has not yet registered with the master",
                executor_id.value,
                framework_id.value
            );
            return;
        }
        let Some(framework) = self.framework(&framework_id) else {
            tracing::warn!(
                "Cannot shut down executor '{}' of unknown framework {}",
                executor_id.value,
                framework_id.value
            );
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Ignoring shutdown executor '{}' of framework {} because the framework is \
                 terminating",
                executor_id.value,
                framework_id.value
            );
            return;
        }
        match framework.executor(&executor_id).map(|e| e.state) {
            None => tracing::warn!(
                "Ignoring shutdown of unknown executor '{}' of framework {}",
                executor_id.value,
                framework_id.value
            ),
            Some(ExecutorState::Terminating) => tracing::warn!(
                "Ignoring shutdown executor '{}' of framework {} because the executor is \
                 terminating",
                executor_id.value,
                framework_id.value
            ),
            Some(ExecutorState::Terminated) => tracing::warn!(
                "Ignoring shutdown executor '{}' of framework {} because the executor is \
                 terminated",
                executor_id.value,
                framework_id.value
            ),
            Some(_) => self.shutdown_executor_now(&framework_id, &executor_id),
        }
    }

    /// Mesos' `_shutdownExecutor`: asks the executor to shut down and
    /// destroys its container if it has not ended within its grace
    /// period.
    pub(crate) fn shutdown_executor_now(
        &mut self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
    ) {
        let default_grace = self.flags.executor_shutdown_grace_period;
        let pid = self.self_pid();
        let Some(executor) = self.executor_mut(framework_id, executor_id) else {
            return;
        };
        tracing::info!("Shutting down executor {}", executor.describe());
        executor.state = ExecutorState::Terminating;
        executor.send(ToExecutor::Shutdown(ShutdownExecutorMessage::default()));
        let timeout = executor
            .info
            .shutdown_grace_period
            .as_ref()
            .map(|d| Duration::from_nanos(d.nanoseconds))
            .unwrap_or(default_grace);
        let (f, e, c) = (
            framework_id.clone(),
            executor_id.clone(),
            executor.container_id.clone(),
        );
        delay(timeout, &pid, move |slave: &mut Slave| {
            slave.shutdown_executor_timeout(&f, &e, &c)
        });
    }

    fn shutdown_executor_timeout(
        &mut self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
        container_id: &ContainerId,
    ) {
        let Some(executor) = self.executor(framework_id, executor_id) else {
            tracing::debug!(
                "Executor '{}' of framework {} seems to have exited. Ignoring its shutdown \
                 timeout",
                executor_id.value,
                framework_id.value
            );
            return;
        };
        if &executor.container_id != container_id {
            tracing::info!(
                "A new executor {} with run {} seems to be active. Ignoring the shutdown \
                 timeout for the old executor run {}",
                executor.describe(),
                executor.container_id.value,
                container_id.value
            );
            return;
        }
        match executor.state {
            ExecutorState::Terminated => {
                tracing::info!("Executor {} has already terminated", executor.describe())
            }
            ExecutorState::Terminating => {
                tracing::info!("Killing executor {}", executor.describe());
                self.containerizer.destroy(container_id);
            }
            state => tracing::error!(
                "Executor {} is in unexpected state {:?}",
                executor.describe(),
                state
            ),
        }
    }

    pub(crate) fn shutdown_framework(&mut self, from: &UPID, message: ShutdownFrameworkMessage) {
        let framework_id = message.framework_id;
        if !from.is_empty() && !self.is_master(from) {
            tracing::warn!(
                "Ignoring shutdown framework message for {} from {} because it is not from the \
                 registered master ({})",
                framework_id.value,
                from,
                self.master_name()
            );
            return;
        }
        tracing::debug!(
            "Asked to shut down framework {} by {}",
            framework_id.value,
            from
        );
        if matches!(
            self.state,
            SlaveState::Recovering | SlaveState::Disconnected
        ) {
            tracing::warn!(
                "Ignoring shutdown framework message for {} because the agent has not yet \
                 registered with the master",
                framework_id.value
            );
            return;
        }
        let Some(framework) = self.framework_mut(&framework_id) else {
            tracing::debug!("Cannot shut down unknown framework {}", framework_id.value);
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Ignoring shutdown framework {} because it is terminating",
                framework_id.value
            );
            return;
        }
        tracing::info!("Shutting down framework {}", framework_id.value);
        framework.state = FrameworkState::Terminating;
        // Tasks not given to an executor are dropped with the framework.
        framework.pending_tasks.clear();
        let executors: Vec<(ExecutorId, ExecutorState)> = framework
            .executors
            .values()
            .map(|e| (e.id.clone(), e.state))
            .collect();
        for (executor_id, state) in executors {
            match state {
                ExecutorState::Registering | ExecutorState::Running => {
                    self.shutdown_executor_now(&framework_id, &executor_id)
                }
                ExecutorState::Terminated => self.remove_executor(&framework_id, &executor_id),
                ExecutorState::Terminating => {}
            }
        }
        if self.framework(&framework_id).is_some_and(|f| f.idle()) {
            self.remove_framework(&framework_id);
        }
    }

    /// `ShutdownMessage` from the master, or the agent shutting itself
    /// down (`from` empty): unregister if registered, shut every
    /// framework down, and terminate once none is left.
    pub(crate) fn shutdown(&mut self, from: &UPID, message: ShutdownMessage) {
        let reason = message.message.unwrap_or_default();
        if !from.is_empty() && !self.is_master(from) {
            tracing::warn!(
                "Ignoring shutdown message from {} because it is not from the registered \
                 master: {}",
                from,
                self.master_name()
            );
            return;
        }
        if !from.is_empty() {
            tracing::info!(
                "Agent asked to shut down by {}{}",
                from,
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(" because '{}'", reason)
                }
            );
        } else if let (Some(id), Some(master)) = (&self.info.id, &self.master) {
            tracing::info!("Unregistering and shutting down");
            send_protobuf(
                master,
                &UnregisterSlaveMessage {
                    slave_id: id.clone(),
                },
            );
        } else {
            tracing::info!("Shutting down");
        }
        self.state = SlaveState::Terminating;
        if self.frameworks.is_empty() {
            libprocess::terminate(self.self_pid(), true);
            return;
        }
        let ids: Vec<FrameworkId> = self.frameworks.values().map(|f| f.id()).collect();
        for framework_id in ids {
            self.shutdown_framework(from, ShutdownFrameworkMessage { framework_id });
        }
    }

    /// The executor's container ended: its unfinished tasks fail (or are
    /// lost, as the termination says), the master hears of a custom
    /// executor's exit, and the records go once nothing is left.
    pub fn executor_terminated(
        &mut self,
        framework_id: FrameworkId,
        executor_id: ExecutorId,
        termination: Future<Option<ContainerTermination>>,
    ) {
        let (framework_id, executor_id) = (&framework_id, &executor_id);
        let status = match termination.value() {
            None => {
                tracing::error!(
                    "Termination of executor '{}' of framework {} failed: {}",
                    executor_id.value,
                    framework_id.value,
                    termination.failure().unwrap_or("discarded")
                );
                -1
            }
            Some(None) => {
                tracing::error!(
                    "Termination of executor '{}' of framework {} failed: unknown container",
                    executor_id.value,
                    framework_id.value
                );
                -1
            }
            Some(Some(ContainerTermination { status: None, .. })) => {
                tracing::info!(
                    "Executor '{}' of framework {} has terminated with unknown status",
                    executor_id.value,
                    framework_id.value
                );
                -1
            }
            Some(Some(ContainerTermination {
                status: Some(status),
                ..
            })) => {
                tracing::info!(
                    "Executor '{}' of framework {} {}",
                    executor_id.value,
                    framework_id.value,
                    describe_wait_status(*status)
                );
                *status
            }
        };

        let Some(framework) = self.frameworks.get_mut(&framework_id.value) else {
            tracing::warn!(
                "Framework {} for executor '{}' does not exist",
                framework_id.value,
                executor_id.value
            );
            return;
        };
        let framework_terminating = framework.state == FrameworkState::Terminating;
        let Some(executor) = framework.executor_mut(executor_id) else {
            tracing::warn!(
                "Executor '{}' of framework {} does not exist",
                executor_id.value,
                framework_id.value
            );
            return;
        };
        if executor.state == ExecutorState::Terminated {
            tracing::error!(
                "Executor '{}' of framework {} in unexpected state {:?}",
                executor_id.value,
                framework_id.value,
                executor.state
            );
            return;
        }
        self.metrics.executors_terminated += 1;
        executor.state = ExecutorState::Terminated;

        if !framework_terminating {
            let mut unfinished: Vec<TaskId> = executor
                .launched_tasks
                .values()
                .filter(|t| !is_terminal_state(t.state()))
                .map(|t| t.task_id.clone())
                .collect();
            unfinished.extend(executor.queued_tasks.iter().map(|t| t.task_id.clone()));
            let updates: Vec<_> = unfinished
                .iter()
                .map(|task_id| executor_terminated_update(executor, task_id, &termination))
                .collect();
            for (task_id, state, reason, message, limited) in updates {
                let update = create_status_update(
                    framework_id,
                    self.info.id.clone(),
                    &task_id,
                    state,
                    Source::Slave,
                    Some(libprocess::random::uuid()),
                    StatusUpdateOptions {
                        message,
                        reason: Some(reason),
                        executor_id: Some(executor_id.clone()),
                        limited_resources: limited,
                        ..StatusUpdateOptions::default()
                    },
                );
                self.status_update(update, UpdateSource::Agent);
            }
        } else {
            let launched: Vec<_> = executor.launched_tasks.drain().collect();
            executor.terminated_tasks.extend(launched);
        }

        let Some(executor) = self.executor(framework_id, executor_id) else {
            return;
        };
        if !executor.generated_for_command_task {
            self.send_exited_executor_message(framework_id, executor_id, Some(status));
        }
        let remove = self.state == SlaveState::Terminating
            || framework_terminating
            || !executor.incomplete_tasks();
        if remove {
            self.remove_executor(framework_id, executor_id);
        }
        if self.framework(framework_id).is_some_and(|f| f.idle()) {
            self.remove_framework(framework_id);
        }
    }

    pub(crate) fn send_exited_executor_message(
        &self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
        status: Option<i32>,
    ) {
        if let Some(master) = &self.master {
            send_protobuf(
                master,
                &ExitedExecutorMessage {
                    slave_id: self.slave_id(),
                    framework_id: framework_id.clone(),
                    executor_id: executor_id.clone(),
                    status: status.unwrap_or(-1),
                },
            );
        }
    }

    /// Drops an ended executor (its sandbox would go to GC, which this
    /// build does not have yet).
    pub(crate) fn remove_executor(&mut self, framework_id: &FrameworkId, executor_id: &ExecutorId) {
        let Some(framework) = self.framework_mut(framework_id) else {
            return;
        };
        if let Some(executor) = framework.executor(executor_id) {
            tracing::info!("Cleaning up executor {}", executor.describe());
            if let ExecutorState::Registering
            | ExecutorState::Running
            | ExecutorState::Terminating = executor.state
            {
                tracing::error!(
                    "Removing executor {} in state {:?}",
                    executor.describe(),
                    executor.state
                );
            }
            if let Some(crate::slave::executor::ExecutorChannel::Http(connection)) =
                &executor.channel
            {
                connection.close();
            }
        }
        framework.destroy_executor(executor_id);
    }

    pub(crate) fn remove_framework(&mut self, framework_id: &FrameworkId) {
        tracing::info!("Cleaning up framework {}", framework_id.value);
        self.status_updates.cleanup(framework_id);
        if let Some(framework) = self.frameworks.remove(&framework_id.value) {
            if self.completed_frameworks.len() == MAX_COMPLETED_FRAMEWORKS {
                self.completed_frameworks.remove(0);
            }
            self.completed_frameworks.push(framework);
        }
        if self.state == SlaveState::Terminating && self.frameworks.is_empty() {
            libprocess::terminate(self.self_pid(), true);
        }
    }
}

/// The state, reason, message and limited resources of the update for a
/// task whose executor ended (Mesos' `sendExecutorTerminatedStatusUpdate`):
/// the termination's, else what the agent noted when it ended the
/// container, else TASK_FAILED with REASON_EXECUTOR_TERMINATED.
fn executor_terminated_update(
    executor: &Executor,
    task_id: &TaskId,
    termination: &Future<Option<ContainerTermination>>,
) -> (TaskId, TaskState, Reason, String, Option<Resources>) {
    let ended = termination.value().and_then(Option::as_ref);
    let pending = executor.pending_termination.as_ref();
    let state = ended
        .and_then(|t| t.state)
        .or(pending.and_then(|t| t.state))
        .and_then(|s| TaskState::try_from(s).ok())
        .unwrap_or(TaskState::TaskFailed);
    let reason = ended
        .and_then(|t| t.reason)
        .or(pending.and_then(|t| t.reason))
        .and_then(|r| Reason::try_from(r).ok())
        .unwrap_or(Reason::ExecutorTerminated);
    let mut messages = Vec::new();
    if let Some(message) = pending.and_then(|t| t.message.clone()) {
        messages.push(message);
    }
    match termination.value() {
        None => messages.push(format!(
            "Abnormal executor termination: {}",
            termination.failure().unwrap_or("discarded future")
        )),
        Some(None) => messages.push("Abnormal executor termination: unknown container".to_string()),
        Some(Some(t)) => messages.extend(t.message.clone()),
    }
    let message = if messages.is_empty() {
        "Executor terminated".to_string()
    } else {
        messages.join("; ")
    };
    let limited = ended
        .filter(|t| !t.limited_resources.is_empty())
        .map(|t| Resources::from(t.limited_resources.clone()));
    (task_id.clone(), state, reason, message, limited)
}

/// `WSTRINGIFY`: how a wait status reads in Mesos' logs.
fn describe_wait_status(status: i32) -> String {
    use std::os::unix::process::ExitStatusExt;
    let status = std::process::ExitStatus::from_raw(status);
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {}", code),
        (None, Some(signal)) => format!(
            "terminated with signal {}",
            nix::sys::signal::Signal::try_from(signal)
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|_| format!("Unknown signal {}", signal))
        ),
        (None, None) => format!("wait status {}", status.into_raw()),
    }
}
