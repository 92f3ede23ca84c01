//! The command executor's logic as plain data (Mesos' `CommandExecutor`
//! without its I/O): events, timers and the task's exit go in, the
//! actions to take come out, in order. Time is an input.

use std::collections::BTreeMap;

use libprocess::Time;
use stout::Duration;

use crate::common::status_utils::{succeeded, wstringify};
use crate::v1::executor::{call, event, Call, Event};
use crate::v1::{
    check_info, check_status_info, environment, framework_info, task_status, CheckStatusInfo,
    CommandInfo, Environment, ExecutorId, FrameworkId, FrameworkInfo, KillPolicy, TaskId, TaskInfo,
    TaskState, TaskStatus,
};

/// How long to wait between SUBSCRIBE attempts.
pub(crate) const REGISTRATION_RETRY_INTERVAL: Duration = Duration::from_secs(1);

/// The grace period of a kill without a kill policy (Mesos keeps 3s for
/// compatibility).
pub(crate) const DEFAULT_KILL_GRACE_PERIOD: Duration = Duration::from_secs(3);

/// How long to wait for the acknowledgement of the terminal update.
pub(crate) const TERMINAL_ACK_TIMEOUT: Duration = Duration::from_secs(60);

/// The timers the executor sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TimerKind {
    /// Retry SUBSCRIBE until subscribed (never cancelled).
    Registration,
    /// Escalate the kill to SIGKILL.
    Escalation,
    /// The task's `max_completion_time`.
    Completion,
    /// Give up waiting for the terminal update's acknowledgement.
    SelfTerminate,
}

/// What the executor's shell does for it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    /// Send a call to the agent.
    Send(Box<Call>),
    /// Start the task's command in a session and process group of its own,
    /// with exactly this environment; report with `launched`.
    Launch {
        command: CommandInfo,
        environment: BTreeMap<String, String>,
    },
    /// Send a signal to the process tree of the task (its group and
    /// session included).
    KillTree(i32),
    /// Arm a timer (replacing one of the same kind, except
    /// `Registration`, which is never cancelled).
    Schedule(TimerKind, Duration),
    /// Disarm a timer.
    Cancel(TimerKind),
    /// Stop: done, exit with success.
    Terminate,
    /// Stop: exit with failure, logging why.
    Exit(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Connected,
    Disconnected,
    Subscribed,
}

struct TaskData {
    info: TaskInfo,
    /// An acknowledgement for any of its updates arrived.
    acknowledged: bool,
}

/// What the executor is given at start (its flags and environment).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `MESOS_FRAMEWORK_ID`.
    pub framework_id: FrameworkId,
    /// `MESOS_EXECUTOR_ID`.
    pub executor_id: ExecutorId,
    /// `MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD`, or Mesos' default.
    pub shutdown_grace_period: Duration,
    /// `--task_command`: the command to run instead of the task's.
    pub task_command: Option<CommandInfo>,
    /// `--task_environment`: added to the executor's environment for the
    /// task.
    pub task_environment: Option<Environment>,
    /// The executor's own environment, which the task inherits.
    pub environment: BTreeMap<String, String>,
}

/// The command executor of one task.
pub(crate) struct CommandExecutor {
    settings: Settings,
    state: State,
    task: Option<TaskData>,
    launched: bool,
    killed: bool,
    killed_by_max_completion_timer: bool,
    terminated: bool,
    kill_grace_period_start: Option<Time>,
    /// When the escalation timer fires.
    escalation_deadline: Option<Time>,
    kill_policy: Option<KillPolicy>,
    framework_info: Option<FrameworkInfo>,
    /// Updates not acknowledged yet, by UUID, in the order sent.
    unacknowledged: Vec<(stout::Uuid, call::Update)>,
}

fn nanos(duration: &Option<crate::v1::DurationInfo>) -> Option<Duration> {
    duration
        .as_ref()
        .map(|d| Duration::from_nanos(d.nanoseconds))
}

impl CommandExecutor {
    pub(crate) fn new(settings: Settings) -> CommandExecutor {
        CommandExecutor {
            settings,
            state: State::Disconnected,
            task: None,
            launched: false,
            killed: false,
            killed_by_max_completion_timer: false,
            terminated: false,
            kill_grace_period_start: None,
            escalation_deadline: None,
            kill_policy: None,
            framework_info: None,
            unacknowledged: Vec::new(),
        }
    }

    pub(crate) fn connected(&mut self) -> Vec<Action> {
        self.state = State::Connected;
        self.registration_timer()
    }

    pub(crate) fn disconnected(&mut self) {
        self.state = State::Disconnected;
    }

    /// SUBSCRIBE, with what is unacknowledged, and try again later unless
    /// subscribed or disconnected.
    pub(crate) fn registration_timer(&mut self) -> Vec<Action> {
        if self.state != State::Connected {
            return Vec::new();
        }
        let subscribe = call::Subscribe {
            unacknowledged_updates: self.unacknowledged.iter().map(|(_, u)| u.clone()).collect(),
            unacknowledged_tasks: self
                .task
                .iter()
                .filter(|t| !t.acknowledged)
                .map(|t| t.info.clone())
                .collect(),
        };
        let call = Call {
            r#type: Some(call::Type::Subscribe as i32),
            framework_id: self.settings.framework_id.clone(),
            executor_id: self.settings.executor_id.clone(),
            subscribe: Some(subscribe),
            ..Call::default()
        };
        vec![
            Action::Send(Box::new(call)),
            Action::Schedule(TimerKind::Registration, REGISTRATION_RETRY_INTERVAL),
        ]
    }

    pub(crate) fn received(&mut self, event: Event, now: Time) -> Vec<Action> {
        let kind = event
            .r#type
            .and_then(|t| event::Type::try_from(t).ok())
            .unwrap_or(event::Type::Unknown);
        tracing::info!("Received {} event", kind.as_str_name());
        match kind {
            event::Type::Subscribed => {
                if let Some(subscribed) = event.subscribed {
                    tracing::info!("Subscribed executor on {}", subscribed.agent_info.hostname);
                    self.framework_info = Some(subscribed.framework_info);
                }
                self.state = State::Subscribed;
                Vec::new()
            }
            event::Type::Launch => match event.launch {
                Some(launch) => self.launch(launch.task, now),
                None => Vec::new(),
            },
            event::Type::LaunchGroup => {
                // Only the default executor runs task groups.
                tracing::error!("LAUNCH_GROUP event is not supported");
                self.shutdown(now)
            }
            event::Type::Kill => match event.kill {
                Some(kill) => self.kill(&kill.task_id, kill.kill_policy, now),
                None => Vec::new(),
            },
            event::Type::Acknowledged => match event.acknowledged {
                Some(ack) => self.acknowledged(&ack.uuid),
                None => Vec::new(),
            },
            event::Type::Shutdown => self.shutdown(now),
            event::Type::Error => {
                let message = event.error.map(|e| e.message).unwrap_or_default();
                tracing::error!("Error: {}", message);
                Vec::new()
            }
            event::Type::Message | event::Type::Heartbeat => Vec::new(),
            event::Type::Unknown => {
                tracing::warn!("Received an UNKNOWN event and ignored");
                Vec::new()
            }
        }
    }

    fn acknowledged(&mut self, uuid: &[u8]) -> Vec<Action> {
        let Ok(uuid) = stout::Uuid::from_bytes(uuid) else {
            tracing::warn!("Received acknowledgement with an invalid UUID");
            return Vec::new();
        };
        let Some(index) = self.unacknowledged.iter().position(|(u, _)| *u == uuid) else {
            tracing::warn!(
                "Received acknowledgement {} for unknown status update",
                uuid
            );
            return Vec::new();
        };
        let (_, update) = self.unacknowledged.remove(index);
        if let Some(task) = &mut self.task {
            task.acknowledged = true;
        }
        let state = TaskState::try_from(update.status.state).unwrap_or(TaskState::TaskUnknown);
        if is_terminal(state) {
            vec![Action::Terminate]
        } else {
            Vec::new()
        }
    }

    fn launch(&mut self, task: TaskInfo, now: Time) -> Vec<Action> {
        if self.state != State::Subscribed {
            return vec![Action::Exit(format!(
                "Received a task to launch while {:?}, not subscribed",
                self.state
            ))];
        }
        if self.launched {
            let status = self.status(
                &task.task_id,
                TaskState::TaskFailed,
                None,
                Some("Attempted to run multiple tasks using a \"command\" executor".to_string()),
                now,
            );
            return vec![self.forward(status)];
        }
        let task_id = task.task_id.clone();
        self.kill_policy = task.kill_policy;
        let command = match (&self.settings.task_command, &task.command) {
            (Some(command), _) | (None, Some(command)) => command.clone(),
            (None, None) => {
                return vec![Action::Exit(format!(
                    "Expecting task '{}' to have a command",
                    task_id.value
                ))]
            }
        };
        if command.value.is_none() {
            let what = if command.shell() {
                "Shell command"
            } else {
                "Executable"
            };
            return vec![Action::Exit(format!(
                "{} of task '{}' is not specified",
                what, task_id.value
            ))];
        }
        let environment = self.task_environment(&task, &command);
        let completion = nanos(&task.max_completion_time).filter(|d| d.ns() > 0);
        self.task = Some(TaskData {
            info: task,
            acknowledged: false,
        });

        let mut actions = Vec::new();
        let starting = self.status(&task_id, TaskState::TaskStarting, None, None, now);
        actions.push(self.forward(starting));
        if let Some(duration) = completion {
            tracing::info!(
                "Task {} has a max completion time of {}",
                task_id.value,
                duration
            );
            actions.push(Action::Schedule(TimerKind::Completion, duration));
        }
        tracing::info!("Starting task {}", task_id.value);
        actions.push(Action::Launch {
            command,
            environment,
        });
        actions
    }

    /// The task runs: it was forked.
    pub(crate) fn launched(&mut self, pid: i32, now: Time) -> Vec<Action> {
        tracing::info!("Forked command at {}", pid);
        self.launched = true;
        let Some(task_id) = self.task.as_ref().map(|t| t.info.task_id.clone()) else {
            return Vec::new();
        };
        let running = self.status(&task_id, TaskState::TaskRunning, None, None, now);
        vec![self.forward(running)]
    }

    /// The task could not be forked: it failed.
    pub(crate) fn launch_failed(&mut self, error: &str, now: Time) -> Vec<Action> {
        self.launched = true;
        self.terminated = true;
        let Some(task_id) = self.task.as_ref().map(|t| t.info.task_id.clone()) else {
            return Vec::new();
        };
        let message = format!("Failed to launch task subprocess: {}", error);
        tracing::error!("{}", message);
        let failed = self.status(&task_id, TaskState::TaskFailed, None, Some(message), now);
        vec![
            Action::Cancel(TimerKind::Completion),
            self.forward(failed),
            Action::Schedule(TimerKind::SelfTerminate, TERMINAL_ACK_TIMEOUT),
        ]
    }

    /// The environment of the task: the executor's, then `--task_environment`,
    /// then the command's own, then `MESOS_ALLOCATION_ROLE`.
    fn task_environment(&self, task: &TaskInfo, command: &CommandInfo) -> BTreeMap<String, String> {
        let mut environment = self.settings.environment.clone();
        let layers = [
            self.settings.task_environment.as_ref(),
            command.environment.as_ref(),
        ];
        for variable in layers.into_iter().flatten().flat_map(|e| &e.variables) {
            // An unresolved secret overrides nothing.
            if variable.r#type == Some(environment::variable::Type::Secret as i32) {
                continue;
            }
            let value = variable.value.clone().unwrap_or_default();
            if environment.get(&variable.name).is_some_and(|v| *v != value) {
                tracing::info!("Overwriting environment variable '{}'", variable.name);
            }
            environment.insert(variable.name.clone(), value);
        }
        // Tasks cannot mix roles: the first resource's role is the task's.
        if let Some(resource) = task.resources.first() {
            let role = resource
                .allocation_info
                .as_ref()
                .and_then(|a| a.role.clone())
                .unwrap_or_default();
            environment.insert("MESOS_ALLOCATION_ROLE".to_string(), role);
        }
        environment
    }

    /// A KILL event: the grace period is the event's kill policy's, else
    /// the task's, else the default.
    fn kill(&mut self, task_id: &TaskId, policy: Option<KillPolicy>, now: Time) -> Vec<Action> {
        let grace_period = nanos(&policy.and_then(|p| p.grace_period))
            .or_else(|| nanos(&self.kill_policy.as_ref().and_then(|p| p.grace_period)))
            .unwrap_or(DEFAULT_KILL_GRACE_PERIOD);
        tracing::info!(
            "Received kill for task {} with grace period of {}",
            task_id.value,
            grace_period
        );
        let mut actions = vec![Action::Cancel(TimerKind::Completion)];
        actions.extend(self.kill_with(grace_period, now));
        actions
    }

    /// SHUTDOWN: kill the task, leaving time to send TASK_KILLED before
    /// the agent destroys the container.
    fn shutdown(&mut self, now: Time) -> Vec<Action> {
        tracing::info!("Shutting down");
        if !self.launched {
            return vec![Action::Terminate];
        }
        let grace_period = self.settings.shutdown_grace_period
            - libprocess::MAX_REAP_INTERVAL
            - Duration::from_secs(1);
        let grace_period = if grace_period.ns() < 0 {
            Duration::default()
        } else {
            grace_period
        };
        self.kill_with(grace_period, now)
    }

    fn kill_with(&mut self, grace_period: Duration, now: Time) -> Vec<Action> {
        if self.terminated {
            return Vec::new();
        }
        if !self.launched {
            // E.g. the task never arrived (MESOS-8297).
            return vec![Action::Exit(
                "Terminating because kill task message has been received before the task \
                 has been launched"
                    .to_string(),
            )];
        }
        let mut actions = Vec::new();
        if self.killed {
            // A repeated kill may only shorten the grace period.
            let (Some(start), Some(deadline)) =
                (self.kill_grace_period_start, self.escalation_deadline)
            else {
                return actions;
            };
            if start + grace_period > deadline {
                return actions;
            }
            let elapsed = now - start;
            let remaining = if grace_period > elapsed {
                grace_period - elapsed
            } else {
                Duration::default()
            };
            tracing::info!(
                "Rescheduling escalation to SIGKILL in {} from now",
                remaining
            );
            self.escalation_deadline = Some(now + remaining);
            actions.push(Action::Schedule(TimerKind::Escalation, remaining));
            return actions;
        }
        let Some(task_id) = self.task.as_ref().map(|t| t.info.task_id.clone()) else {
            return actions;
        };
        let killing_capable = self.framework_info.as_ref().is_some_and(|info| {
            info.capabilities.iter().any(|c| {
                c.r#type == Some(framework_info::capability::Type::TaskKillingState as i32)
            })
        });
        if !self.killed_by_max_completion_timer && killing_capable {
            let killing = self.status(&task_id, TaskState::TaskKilling, None, None, now);
            actions.push(self.forward(killing));
        }
        tracing::info!("Sending SIGTERM to process tree");
        actions.push(Action::KillTree(libc_signal::SIGTERM));
        tracing::info!(
            "Scheduling escalation to SIGKILL in {} from now",
            grace_period
        );
        actions.push(Action::Schedule(TimerKind::Escalation, grace_period));
        self.kill_grace_period_start = Some(now);
        self.escalation_deadline = Some(now + grace_period);
        self.killed = true;
        actions
    }

    /// The escalation timer fired.
    pub(crate) fn escalated(&mut self) -> Vec<Action> {
        if self.terminated {
            return Vec::new();
        }
        tracing::info!("Process did not terminate in time, sending SIGKILL to process tree");
        vec![Action::KillTree(libc_signal::SIGKILL)]
    }

    /// The task's `max_completion_time` passed.
    pub(crate) fn completion_timeout(&mut self, now: Time) -> Vec<Action> {
        if self.terminated || self.killed {
            return Vec::new();
        }
        tracing::info!("Killing task which exceeded its maximum completion time");
        self.killed_by_max_completion_timer = true;
        self.kill_with(Duration::default(), now)
    }

    /// The task's process was reaped, with its wait status (`Ok(None)`
    /// when unknown).
    pub(crate) fn reaped(&mut self, status: Result<Option<i32>, String>, now: Time) -> Vec<Action> {
        self.terminated = true;
        let (state, message, reason) = match status {
            Err(failure) => (
                TaskState::TaskFailed,
                format!("Failed to get exit status for Command: {}", failure),
                None,
            ),
            Ok(None) => (
                TaskState::TaskFailed,
                "Failed to get exit status for Command".to_string(),
                None,
            ),
            Ok(Some(status)) => {
                let (state, reason) = if self.killed_by_max_completion_timer {
                    (
                        TaskState::TaskFailed,
                        Some(task_status::Reason::MaxCompletionTimeReached),
                    )
                } else if self.killed {
                    (TaskState::TaskKilled, None)
                } else if succeeded(status) {
                    (TaskState::TaskFinished, None)
                } else {
                    (TaskState::TaskFailed, None)
                };
                (state, format!("Command {}", wstringify(status)), reason)
            }
        };
        tracing::info!("{}", message);
        let mut actions = vec![
            Action::Cancel(TimerKind::Escalation),
            Action::Cancel(TimerKind::Completion),
        ];
        if let Some(task_id) = self.task.as_ref().map(|t| t.info.task_id.clone()) {
            let status = self.status(&task_id, state, reason, Some(message), now);
            actions.push(self.forward(status));
        }
        // A fail-safe in case the agent never acknowledges.
        actions.push(Action::Schedule(
            TimerKind::SelfTerminate,
            TERMINAL_ACK_TIMEOUT,
        ));
        actions
    }

    /// The terminal update was not acknowledged in time.
    pub(crate) fn self_terminate(&mut self) -> Vec<Action> {
        vec![Action::Exit(
            "Did not receive ACK for the terminal status update from the agent".to_string(),
        )]
    }

    /// A status made from scratch for `task_id`.
    fn status(
        &self,
        task_id: &TaskId,
        state: TaskState,
        reason: Option<task_status::Reason>,
        message: Option<String>,
        now: Time,
    ) -> TaskStatus {
        let uuid = libprocess::random::uuid();
        // With a check defined, every status carries a check status, even
        // before there is a result.
        let check_status = self
            .task
            .as_ref()
            .and_then(|t| t.info.check.as_ref())
            .map(|check| {
                let kind = check
                    .r#type
                    .and_then(|t| check_info::Type::try_from(t).ok());
                CheckStatusInfo {
                    r#type: check.r#type,
                    command: (kind == Some(check_info::Type::Command))
                        .then(check_status_info::Command::default),
                    http: (kind == Some(check_info::Type::Http))
                        .then(check_status_info::Http::default),
                    tcp: (kind == Some(check_info::Type::Tcp))
                        .then(check_status_info::Tcp::default),
                }
            });
        TaskStatus {
            task_id: task_id.clone(),
            state: state as i32,
            uuid: Some(uuid.to_bytes().to_vec().into()),
            timestamp: Some(now.secs()),
            executor_id: Some(self.settings.executor_id.clone()),
            source: Some(task_status::Source::Executor as i32),
            reason: reason.map(|r| r as i32),
            message,
            check_status,
            ..TaskStatus::default()
        }
    }

    /// An UPDATE call for `status`, remembered until acknowledged.
    fn forward(&mut self, status: TaskStatus) -> Action {
        let update = call::Update { status };
        if let Some(uuid) = update
            .status
            .uuid
            .as_ref()
            .and_then(|u| stout::Uuid::from_bytes(u).ok())
        {
            self.unacknowledged.push((uuid, update.clone()));
        }
        Action::Send(Box::new(Call {
            r#type: Some(call::Type::Update as i32),
            framework_id: self.settings.framework_id.clone(),
            executor_id: self.settings.executor_id.clone(),
            update: Some(update),
            ..Call::default()
        }))
    }
}

fn is_terminal(state: TaskState) -> bool {
    matches!(
        state,
        TaskState::TaskFinished
            | TaskState::TaskFailed
            | TaskState::TaskKilled
            | TaskState::TaskError
            | TaskState::TaskDropped
            | TaskState::TaskGone
            | TaskState::TaskGoneByOperator
            | TaskState::TaskLost
    )
}

/// The two signals the executor sends.
pub(crate) mod libc_signal {
    /// `SIGTERM`.
    pub(crate) const SIGTERM: i32 = nix::sys::signal::Signal::SIGTERM as i32;
    /// `SIGKILL`.
    pub(crate) const SIGKILL: i32 = nix::sys::signal::Signal::SIGKILL as i32;
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
