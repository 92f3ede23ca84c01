//! The agent's record of one executor and its tasks (Mesos' `Executor` in
//! `slave.hpp`): queued tasks waiting for it to register, launched and
//! terminated tasks, and how to reach it.

use std::collections::HashMap;

use libprocess::{send_protobuf, UPID};
use stout::{Error, Try};

use crate::common::protobuf_utils::{create_task, is_terminal_state};
use crate::internal::{
    FrameworkToExecutorMessage, KillTaskMessage, RunTaskMessage, ShutdownExecutorMessage,
    StatusUpdateAcknowledgementMessage,
};
use crate::slave::http::executor::HttpConnection;
use crate::slave::ContainerTermination;
use crate::{
    task_status, ContainerId, ExecutorId, ExecutorInfo, FrameworkId, Resources, Task, TaskId,
    TaskInfo, TaskState, TaskStatus,
};

/// The most completed tasks an executor keeps.
pub const MAX_COMPLETED_TASKS_PER_EXECUTOR: usize = 200;

/// Where an executor is in its life (Mesos' `Executor::State`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecutorState {
    /// Launched; not registered yet.
    Registering,
    /// Registered.
    Running,
    /// Asked to shut down.
    Terminating,
    /// Its container ended.
    Terminated,
}

/// How the agent reaches a registered executor.
#[derive(Debug)]
pub enum ExecutorChannel {
    /// A driver-based executor, by its libprocess pid.
    Pid(UPID),
    /// A v1 HTTP executor, over its subscription's event stream.
    Http(HttpConnection),
}

/// One executor of a framework on this agent.
#[derive(Debug)]
pub struct Executor {
    /// Its ID.
    pub id: ExecutorId,
    /// Its info, as launched.
    pub info: ExecutorInfo,
    /// Its framework.
    pub framework_id: FrameworkId,
    /// The container it runs in (one per run).
    pub container_id: ContainerId,
    /// Its sandbox.
    pub directory: String,
    /// The user it runs as (`--switch_user`).
    pub user: Option<String>,
    /// Whether its framework checkpoints.
    pub checkpoint: bool,
    /// Where it is in its life.
    pub state: ExecutorState,
    /// How to reach it, once registered.
    pub channel: Option<ExecutorChannel>,
    /// Whether the agent generated it for a command task.
    pub generated_for_command_task: bool,
    /// Tasks waiting for it to register, in arrival order.
    pub queued_tasks: Vec<TaskInfo>,
    /// Tasks sent to it and not yet terminal.
    pub launched_tasks: HashMap<String, Task>,
    /// Terminal tasks whose terminal update is not acknowledged yet.
    pub terminated_tasks: HashMap<String, Task>,
    /// Terminal and acknowledged tasks, the latest last.
    pub completed_tasks: Vec<Task>,
    /// Updates handed to the status update manager and not yet handled,
    /// by task ID value, in arrival order.
    pub pending_status_updates: HashMap<String, Vec<TaskStatus>>,
    /// Why the agent is ending the container, if it is (the status
    /// updates for its unfinished tasks tell this).
    pub pending_termination: Option<ContainerTermination>,
}

impl Executor {
    /// A new executor, registering.
    pub fn new(
        framework_id: FrameworkId,
        info: ExecutorInfo,
        container_id: ContainerId,
        directory: String,
        user: Option<String>,
        checkpoint: bool,
        generated_for_command_task: bool,
    ) -> Executor {
        Executor {
            id: info.executor_id.clone(),
            info,
            framework_id,
            container_id,
            directory,
            user,
            checkpoint,
            state: ExecutorState::Registering,
            channel: None,
            generated_for_command_task,
            queued_tasks: Vec::new(),
            launched_tasks: HashMap::new(),
            terminated_tasks: HashMap::new(),
            completed_tasks: Vec::new(),
            pending_status_updates: HashMap::new(),
            pending_termination: None,
        }
    }

    /// Queues `task` until the executor registers.
    pub fn enqueue_task(&mut self, task: TaskInfo) {
        self.queued_tasks.retain(|t| t.task_id != task.task_id);
        self.queued_tasks.push(task);
    }

    /// Whether `task_id` is queued.
    pub fn is_queued(&self, task_id: &TaskId) -> bool {
        self.queued_tasks.iter().any(|t| &t.task_id == task_id)
    }

    /// Takes `task_id` out of the queue.
    pub fn dequeue_task(&mut self, task_id: &TaskId) -> Option<TaskInfo> {
        let index = self
            .queued_tasks
            .iter()
            .position(|t| &t.task_id == task_id)?;
        Some(self.queued_tasks.remove(index))
    }

    /// Records `task` as sent to the executor, staging.
    pub fn add_launched_task(&mut self, task: &TaskInfo) {
        let record = create_task(task, TaskState::TaskStaging, &self.framework_id);
        self.launched_tasks
            .insert(task.task_id.value.clone(), record);
    }

    /// Whether the executor has `task_id`, in any list but the completed.
    pub fn has_task(&self, task_id: &TaskId) -> bool {
        self.is_queued(task_id)
            || self.launched_tasks.contains_key(&task_id.value)
            || self.terminated_tasks.contains_key(&task_id.value)
    }

    /// Moves an acknowledged terminal task to the completed ones.
    pub fn complete_task(&mut self, task_id: &TaskId) {
        if let Some(task) = self.terminated_tasks.remove(&task_id.value) {
            if self.completed_tasks.len() == MAX_COMPLETED_TASKS_PER_EXECUTOR {
                self.completed_tasks.remove(0);
            }
            self.completed_tasks.push(task);
        }
    }

    /// Whether any task is still queued, launched, or terminal and not
    /// acknowledged.
    pub fn incomplete_tasks(&self) -> bool {
        !self.queued_tasks.is_empty()
            || !self.launched_tasks.is_empty()
            || !self.terminated_tasks.is_empty()
    }

    /// Whether the executor was ever given a task: one is launched, or a
    /// finished one had an update from the executor.
    pub fn ever_sent_task(&self) -> bool {
        let from_executor = |task: &Task| {
            task.statuses
                .iter()
                .any(|s| s.source == Some(task_status::Source::Executor as i32))
        };
        !self.launched_tasks.is_empty()
            || self.terminated_tasks.values().any(from_executor)
            || self.completed_tasks.iter().any(from_executor)
    }

    /// Notes an update on its way through the status update manager.
    pub fn add_pending_task_status(&mut self, status: &TaskStatus) {
        self.pending_status_updates
            .entry(status.task_id.value.clone())
            .or_default()
            .push(status.clone());
    }

    /// The manager handled the update.
    pub fn remove_pending_task_status(&mut self, status: &TaskStatus) {
        let task = &status.task_id.value;
        if let Some(pending) = self.pending_status_updates.get_mut(task) {
            pending.retain(|s| s.uuid != status.uuid);
            if pending.is_empty() {
                self.pending_status_updates.remove(task);
            }
        }
    }

    /// Applies `status` to its task: a queued task may only become
    /// terminal; a launched task's first terminal update moves it to the
    /// terminated tasks; later terminal updates are errors.
    pub fn update_task_state(&mut self, status: &TaskStatus) -> Try<()> {
        let state = status.state();
        let terminal = is_terminal_state(state);
        let key = status.task_id.value.clone();
        let mut task = if self.is_queued(&status.task_id) {
            if !terminal {
                return Err(Error::new(
                    "Cannot send non-terminal update for queued task",
                ));
            }
            let info = self
                .dequeue_task(&status.task_id)
                .ok_or_else(|| Error::new("Task is unknown"))?;
            create_task(&info, state, &self.framework_id)
        } else if self.launched_tasks.contains_key(&key) {
            if terminal {
                // Only the first terminal update (as the executor sent
                // them) may end the task.
                if let Some(first) = self.first_pending_terminal(&key) {
                    if first.uuid != status.uuid {
                        return Err(Error::new(format!(
                            "Unexpected terminal status update after first status update {}",
                            first.state().as_str_name()
                        )));
                    }
                }
            }
            self.launched_tasks
                .remove(&key)
                .ok_or_else(|| Error::new("Task is unknown"))?
        } else if let Some(task) = self.terminated_tasks.get(&key) {
            return Err(Error::new(format!(
                "Task is already terminated with state {}",
                task.state().as_str_name()
            )));
        } else {
            return Err(Error::new("Task is unknown"));
        };

        // A repeated state replaces the previous status (e.g. health
        // changes while running).
        if task
            .statuses
            .last()
            .is_some_and(|s| s.state == status.state)
        {
            task.statuses.pop();
        }
        task.statuses.push(status.clone());
        task.state = status.state;
        if terminal {
            self.terminated_tasks.insert(key, task);
        } else {
            self.launched_tasks.insert(key, task);
        }
        Ok(())
    }

    fn first_pending_terminal(&self, task: &str) -> Option<&TaskStatus> {
        self.pending_status_updates
            .get(task)?
            .iter()
            .find(|s| is_terminal_state(s.state()))
    }

    /// What the executor and its tasks use: its own resources plus its
    /// queued and launched tasks'.
    pub fn allocated_resources(&self) -> Resources {
        let mut resources = Resources::from(self.info.resources.clone());
        for task in &self.queued_tasks {
            resources += Resources::from(task.resources.clone());
        }
        for task in self.launched_tasks.values() {
            resources += Resources::from(task.resources.clone());
        }
        resources
    }

    /// `'<id>' of framework <framework id>`, as Mesos logs an executor.
    pub fn describe(&self) -> String {
        let via = match &self.channel {
            Some(ExecutorChannel::Pid(pid)) => format!(" at {}", pid),
            Some(ExecutorChannel::Http(_)) => " (via HTTP)".to_string(),
            None => String::new(),
        };
        format!(
            "'{}' of framework {}{}",
            self.id.value, self.framework_id.value, via
        )
    }
}

/// What the agent sends an executor, as the executor driver's messages;
/// an HTTP executor gets each as its v1 event.
#[derive(Clone, Debug)]
pub enum ToExecutor {
    /// Run a task (`LAUNCH`).
    RunTask(Box<RunTaskMessage>),
    /// Kill a task (`KILL`).
    KillTask(KillTaskMessage),
    /// The agent took a status update (`ACKNOWLEDGED`).
    Acknowledgement(StatusUpdateAcknowledgementMessage),
    /// A message from the scheduler (`MESSAGE`).
    FrameworkMessage(FrameworkToExecutorMessage),
    /// Shut down (`SHUTDOWN`).
    Shutdown(ShutdownExecutorMessage),
}

impl ToExecutor {
    /// The v0 executor event an HTTP executor gets for this message.
    pub fn to_event(&self) -> crate::executor::Event {
        use crate::executor::event;
        let mut e = crate::executor::Event::default();
        match self {
            ToExecutor::RunTask(message) => {
                e.set_type(event::Type::Launch);
                e.launch = Some(event::Launch {
                    task: message.task.clone(),
                });
            }
            ToExecutor::KillTask(message) => {
                e.set_type(event::Type::Kill);
                e.kill = Some(event::Kill {
                    task_id: message.task_id.clone(),
                    kill_policy: message.kill_policy,
                });
            }
            ToExecutor::Acknowledgement(message) => {
                e.set_type(event::Type::Acknowledged);
                e.acknowledged = Some(event::Acknowledged {
                    task_id: message.task_id.clone(),
                    uuid: message.uuid.clone(),
                });
            }
            ToExecutor::FrameworkMessage(message) => {
                e.set_type(event::Type::Message);
                e.message = Some(event::Message {
                    data: message.data.clone(),
                });
            }
            ToExecutor::Shutdown(_) => e.set_type(event::Type::Shutdown),
        }
        e
    }
}

impl Executor {
    /// Sends `message` to the executor, if it is connected.
    pub fn send(&self, message: ToExecutor) {
        match &self.channel {
            Some(ExecutorChannel::Pid(pid)) => match &message {
                ToExecutor::RunTask(m) => send_protobuf(pid, m.as_ref()),
                ToExecutor::KillTask(m) => send_protobuf(pid, m),
                ToExecutor::Acknowledgement(m) => send_protobuf(pid, m),
                ToExecutor::FrameworkMessage(m) => send_protobuf(pid, m),
                ToExecutor::Shutdown(m) => send_protobuf(pid, m),
            },
            Some(ExecutorChannel::Http(connection)) => {
                if !connection.send(&message.to_event()) {
                    tracing::warn!(
                        "Unable to send event to executor {}: connection closed",
                        self.describe()
                    );
                }
            }
            None => tracing::warn!(
                "Unable to send event to executor {}: unknown connection type",
                self.describe()
            ),
        }
    }
}
