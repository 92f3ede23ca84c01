//! The agent's counters (Mesos' `slave/metrics.hpp`), by their Mesos
//! names without the `slave/` prefix.

/// Counters of what the agent handled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    /// `slave/tasks_finished`.
    pub tasks_finished: u64,
    /// `slave/tasks_failed`.
    pub tasks_failed: u64,
    /// `slave/tasks_killed`.
    pub tasks_killed: u64,
    /// `slave/tasks_lost`.
    pub tasks_lost: u64,
    /// `slave/tasks_gone`.
    pub tasks_gone: u64,
    /// `slave/executors_terminated`.
    pub executors_terminated: u64,
    /// `slave/valid_status_updates`.
    pub valid_status_updates: u64,
    /// `slave/invalid_status_updates`.
    pub invalid_status_updates: u64,
    /// `slave/valid_framework_messages`.
    pub valid_framework_messages: u64,
    /// `slave/invalid_framework_messages`.
    pub invalid_framework_messages: u64,
    /// `slave/container_launch_errors`.
    pub container_launch_errors: u64,
}

impl Metrics {
    /// Counts a task that reached `state`, a terminal state.
    pub(crate) fn task_terminated(&mut self, state: crate::TaskState) {
        use crate::TaskState::*;
        match state {
            TaskFinished => self.tasks_finished += 1,
            TaskFailed => self.tasks_failed += 1,
            TaskKilled => self.tasks_killed += 1,
            TaskLost => self.tasks_lost += 1,
            TaskGone => self.tasks_gone += 1,
            other => tracing::error!("Unexpected terminal task state {}", other.as_str_name()),
        }
    }
}
