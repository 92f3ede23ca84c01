//! Executors talking to the agent through the executor driver (Mesos'
//! `Slave::registerExecutor`, `executorMessage`, `schedulerMessage`,
//! `updateFramework`): registration, which releases the queued tasks,
//! and framework messages in both directions.

use libprocess::{send_protobuf, UPID};

use crate::internal::{
    ExecutorRegisteredMessage, ExecutorToFrameworkMessage, FrameworkToExecutorMessage,
    RegisterExecutorMessage, ShutdownExecutorMessage, UpdateFrameworkMessage,
};
use crate::slave::executor::{ExecutorChannel, ExecutorState, ToExecutor};
use crate::slave::framework::FrameworkState;
use crate::slave::slave::{Slave, SlaveState};

impl Slave {
    pub(crate) fn register_executor(&mut self, from: &UPID, message: RegisterExecutorMessage) {
        let RegisterExecutorMessage {
            framework_id,
            executor_id,
        } = message;
        tracing::info!(
            "Got registration for executor '{}' of framework {} from {}",
            executor_id.value,
            framework_id.value,
            from
        );
        let shutdown = || send_protobuf(from, &ShutdownExecutorMessage::default());
        match self.state {
            SlaveState::Recovering => {
                tracing::warn!(
                    "Shutting down executor '{}' of framework {} because the agent is still \
                     recovering",
                    executor_id.value,
                    framework_id.value
                );
                return shutdown();
            }
            SlaveState::Terminating => {
                tracing::warn!(
                    "Shutting down executor '{}' of framework {} because the agent is \
                     terminating",
                    executor_id.value,
                    framework_id.value
                );
                return shutdown();
            }
            SlaveState::Disconnected | SlaveState::Running => {}
        }
        let Some(framework) = self.framework(&framework_id) else {
            tracing::warn!(
                "Shutting down executor '{}' as the framework {} does not exist",
                executor_id.value,
                framework_id.value
            );
            return shutdown();
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Shutting down executor '{}' as the framework {} is terminating",
                executor_id.value,
                framework_id.value
            );
            return shutdown();
        }
        let framework_info = framework.info.clone();
        let Some(executor) = framework.executor(&executor_id) else {
            tracing::warn!(
                "Unexpected executor '{}' registering for framework {}",
                executor_id.value,
                framework_id.value
            );
            return shutdown();
        };
        if executor.state != ExecutorState::Registering {
            tracing::warn!(
                "Shutting down executor {} because it is in unexpected state {:?}",
                executor.describe(),
                executor.state
            );
            return shutdown();
        }
        if !executor.ever_sent_task() && executor.queued_tasks.is_empty() {
            tracing::warn!(
                "Shutting down registering executor {} because it has no tasks to run",
                executor.describe()
            );
            if let Some(executor) = self.executor_mut(&framework_id, &executor_id) {
                executor.state = ExecutorState::Running;
                executor.channel = Some(ExecutorChannel::Pid(from.clone()));
            }
            libprocess::link(from);
            self.shutdown_executor_now(&framework_id, &executor_id);
            return;
        }

        let slave_info = self.info.clone();
        let slave_id = self.slave_id();
        let Some(executor) = self.executor_mut(&framework_id, &executor_id) else {
            return;
        };
        executor.state = ExecutorState::Running;
        executor.channel = Some(ExecutorChannel::Pid(from.clone()));
        libprocess::link(from);

        send_protobuf(
            from,
            &ExecutorRegisteredMessage {
                executor_info: executor.info.clone(),
                framework_id: framework_id.clone(),
                framework_info,
                slave_id,
                slave_info,
            },
        );
        let queued = executor
            .queued_tasks
            .iter()
            .map(|t| t.task_id.clone())
            .collect();
        self.update_then_send(&framework_id, &executor_id, queued);
    }

    /// `ExecutorToFrameworkMessage` from an executor: to the scheduler
    /// directly if it has a pid, else through the master.
    pub(crate) fn executor_message(&mut self, message: ExecutorToFrameworkMessage) {
        let framework_id = &message.framework_id;
        let executor_id = &message.executor_id;
        if self.state != SlaveState::Running {
            tracing::warn!(
                "Dropping framework message from executor '{}' to framework {} because the \
                 agent is in {} state",
                executor_id.value,
                framework_id.value,
                self.state
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        }
        let Some(framework) = self.framework(framework_id) else {
            tracing::warn!(
                "Cannot send framework message from executor '{}' to framework {} because \
                 framework does not exist",
                executor_id.value,
                framework_id.value
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Ignoring framework message from executor '{}' to framework {} because \
                 framework is terminating",
                executor_id.value,
                framework_id.value
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        }
        match (&framework.pid, &self.master) {
            (Some(pid), _) => {
                tracing::info!(
                    "Sending message for framework {} to {}",
                    framework_id.value,
                    pid
                );
                send_protobuf(pid, &message);
            }
            (None, Some(master)) => {
                tracing::info!(
                    "Sending message for framework {} through the master {}",
                    framework_id.value,
                    master
                );
                send_protobuf(master, &message);
            }
            (None, None) => return,
        }
        self.metrics.valid_framework_messages += 1;
    }

    /// `FrameworkToExecutorMessage` from the master (Mesos'
    /// `schedulerMessage`): to the executor, if it is running.
    pub(crate) fn scheduler_message(&mut self, message: FrameworkToExecutorMessage) {
        let framework_id = message.framework_id.clone();
        let executor_id = message.executor_id.clone();
        if self.state != SlaveState::Running {
            tracing::warn!(
                "Dropping message from framework {} because the agent is in {} state",
                framework_id.value,
                self.state
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        }
        let Some(framework) = self.framework(&framework_id) else {
            tracing::warn!(
                "Dropping message from framework {} because framework does not exist",
                framework_id.value
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Dropping message from framework {} because framework is terminating",
                framework_id.value
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        }
        let Some(executor) = framework.executor(&executor_id) else {
            tracing::warn!(
                "Dropping message for executor {} because executor does not exist",
                executor_id.value
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        };
        if executor.state != ExecutorState::Running {
            tracing::warn!(
                "Dropping message for executor {} because executor is not running",
                executor.describe()
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        }
        executor.send(ToExecutor::FrameworkMessage(message));
        self.metrics.valid_framework_messages += 1;
    }

    /// `UpdateFrameworkMessage`: the scheduler's new pid (after a
    /// failover) and info.
    pub(crate) fn update_framework(&mut self, message: UpdateFrameworkMessage) {
        let framework_id = message.framework_id.clone();
        if self.state != SlaveState::Running {
            tracing::warn!(
                "Dropping updateFramework message for {} because the agent is in {} state",
                framework_id.value,
                self.state
            );
            self.metrics.invalid_framework_messages += 1;
            return;
        }
        let pid = message
            .pid
            .as_deref()
            .filter(|p| !p.is_empty())
            .and_then(|p| UPID::parse(p).ok())
            // An HTTP framework's is the empty pid (`@0.0.0.0:0`).
            .filter(|pid| !pid.is_empty());
        let Some(framework) = self.framework_mut(&framework_id) else {
            tracing::info!(
                "Ignoring info update for framework {} because it does not exist",
                framework_id.value
            );
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Ignoring info update for framework {} because it is terminating",
                framework_id.value
            );
            return;
        }
        tracing::info!(
            "Updating info for framework {}{}",
            framework_id.value,
            pid.as_ref()
                .map(|p| format!(" with pid updated to {}", p))
                .unwrap_or_default()
        );
        if let Some(info) = message.framework_info {
            framework.capabilities =
                crate::common::protobuf_utils::framework::Capabilities::new(&info.capabilities);
            framework.info = info;
        }
        framework.pid = pid;
        // Updates held for the old scheduler can go now.
        self.status_updates.resume();
    }
}
