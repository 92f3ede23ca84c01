//! The agent's counters (Mesos' `slave/metrics.hpp`), by their Mesos
//! names without the `slave/` prefix, and their publication: every
//! `slave/*` metric is a gauge read from the agent when a snapshot asks
//! (`gauges.rs` computes the values).

use libprocess::metrics::{self, Metric, PullGauge, PushGauge};
use libprocess::{dispatch, Future, PID};
use stout::Duration;

use crate::slave::slave::Slave;

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
    /// `slave/executors_preempted`: executors killed to correct
    /// oversubscription (none without a QoS controller).
    pub executors_preempted: u64,
    /// `slave/recovery_errors`: checkpointed state that failed to recover
    /// under `--strict=false` (none while the agent recovers nothing).
    pub recovery_errors: u64,
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

    /// A counter's value by its name without `slave/`.
    pub(crate) fn counter(&self, name: &str) -> Option<u64> {
        Some(match name {
            "tasks_finished" => self.tasks_finished,
            "tasks_failed" => self.tasks_failed,
            "tasks_killed" => self.tasks_killed,
            "tasks_lost" => self.tasks_lost,
            "tasks_gone" => self.tasks_gone,
            "executors_terminated" => self.executors_terminated,
            "executors_preempted" => self.executors_preempted,
            "recovery_errors" => self.recovery_errors,
            "valid_status_updates" => self.valid_status_updates,
            "invalid_status_updates" => self.invalid_status_updates,
            "valid_framework_messages" => self.valid_framework_messages,
            "invalid_framework_messages" => self.invalid_framework_messages,
            "container_launch_errors" => self.container_launch_errors,
            _ => return None,
        })
    }
}

/// The counters' names, without `slave/`.
pub(crate) const COUNTERS: [&str; 13] = [
    "tasks_finished",
    "tasks_failed",
    "tasks_killed",
    "tasks_lost",
    "tasks_gone",
    "executors_terminated",
    "executors_preempted",
    "recovery_errors",
    "valid_status_updates",
    "invalid_status_updates",
    "valid_framework_messages",
    "invalid_framework_messages",
    "container_launch_errors",
];

/// The agent's metrics as published while its process runs.
#[derive(Default)]
pub(crate) struct Published {
    gauges: Vec<PullGauge>,
    /// `slave/recovery_time_secs`, added once recovery finished.
    recovery_time: Option<PushGauge>,
}

impl std::fmt::Debug for Published {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Published")
            .field("gauges", &self.gauges.len())
            .finish_non_exhaustive()
    }
}

/// Registers a metric; a name taken (by another agent in the same
/// runtime, in tests) leaves this one unpublished.
fn publish(metric: impl Metric) {
    metrics::add(metric).on_failed(|error| tracing::debug!("Metric not published: {error}"));
}

impl Published {
    /// Publishes every `slave/*` gauge of the agent at `pid`.
    pub(crate) fn new(pid: &PID<Slave>) -> Published {
        let gauges: Vec<PullGauge> = crate::slave::gauges::names()
            .into_iter()
            .map(|name| {
                let pid = pid.clone();
                let key = name.clone();
                PullGauge::new(format!("slave/{name}"), move || {
                    let key = key.clone();
                    dispatch(&pid, move |slave: &mut Slave| slave.gauge(&key)).then(|value| {
                        match value {
                            Some(value) => Future::ready(value),
                            None => Future::failed("Unknown metric"),
                        }
                    })
                })
            })
            .collect();
        for gauge in &gauges {
            publish(gauge.clone());
        }
        Published {
            gauges,
            recovery_time: None,
        }
    }

    /// Recovery finished `elapsed` after the agent started.
    pub(crate) fn set_recovery_time(&mut self, elapsed: Duration) {
        let gauge = PushGauge::new("slave/recovery_time_secs");
        gauge.set(elapsed.secs());
        publish(gauge.clone());
        self.recovery_time = Some(gauge);
    }

    /// Unpublishes them (the agent is terminating).
    pub(crate) fn remove(&mut self) {
        for gauge in self.gauges.drain(..) {
            drop(metrics::remove(&gauge));
        }
        if let Some(gauge) = self.recovery_time.take() {
            drop(metrics::remove(&gauge));
        }
    }
}
