//! One framework's metrics in the master (Mesos' `master::FrameworkMetrics`):
//! `master/frameworks/<url-encoded name>/<id>/...` counters of its calls,
//! the events sent to it, its offers, operations and tasks by state, and
//! whether it is subscribed. Published only with
//! `--publish_per_framework_metrics`; unpublished when dropped (with the
//! framework, when it leaves the completed frameworks).

use std::collections::HashMap;

use libprocess::metrics::{self, Counter, Metric, PushGauge};

use crate::common::protobuf_utils::is_terminal_state;
use crate::offer::operation;
use crate::scheduler::call;
use crate::v1::scheduler::event;
use crate::{FrameworkInfo, TaskState};

/// `master/frameworks/<url-encoded name>/<id>/` (Mesos'
/// `getFrameworkMetricPrefix`).
pub fn prefix(info: &FrameworkInfo) -> String {
    let id = info.id.as_ref().map_or("", |id| id.value.as_str());
    format!(
        "master/frameworks/{}/{}/",
        libprocess::http::encode(&info.name, ""),
        id
    )
}

/// The values of a protobuf enum with their lowercased names, less
/// `skip` (enum values are small; the range covers them all).
fn values<E: TryFrom<i32>>(name: fn(&E) -> &'static str, skip: &[i32]) -> Vec<(i32, String)> {
    (0..64)
        .filter(|value| !skip.contains(value))
        .filter_map(|value| {
            E::try_from(value)
                .ok()
                .map(|e| (value, name(&e).to_lowercase()))
        })
        .collect()
}

/// The per-framework metrics.
pub struct FrameworkMetrics {
    publish: bool,
    /// `subscribed`: 1 while the scheduler is connected.
    pub subscribed: PushGauge,
    calls: Counter,
    call_types: HashMap<i32, Counter>,
    events: Counter,
    event_types: HashMap<i32, Counter>,
    /// `offers/sent`.
    pub offers_sent: Counter,
    /// `offers/accepted`.
    pub offers_accepted: Counter,
    /// `offers/declined`.
    pub offers_declined: Counter,
    /// `offers/rescinded`.
    pub offers_rescinded: Counter,
    terminal_task_states: HashMap<i32, Counter>,
    active_task_states: HashMap<i32, PushGauge>,
    operations: Counter,
    operation_types: HashMap<i32, Counter>,
}

impl FrameworkMetrics {
    /// The metrics of the framework `info` names (with its ID), published
    /// if `publish`.
    pub fn new(info: &FrameworkInfo, publish: bool) -> FrameworkMetrics {
        let prefix = prefix(info);
        let counter = |name: &str| Counter::new(format!("{prefix}{name}"));
        let counters = |kind: &str, values: Vec<(i32, String)>| -> HashMap<i32, Counter> {
            values
                .into_iter()
                .map(|(value, name)| (value, counter(&format!("{kind}/{name}"))))
                .collect()
        };
        let unknown = [0];
        let states = values::<TaskState>(TaskState::as_str_name, &[]);
        let (terminal, active): (Vec<_>, Vec<_>) = states
            .into_iter()
            .partition(|(value, _)| TaskState::try_from(*value).is_ok_and(is_terminal_state));
        let metrics = FrameworkMetrics {
            publish,
            subscribed: PushGauge::new(format!("{prefix}subscribed")),
            calls: counter("calls"),
            call_types: counters(
                "calls",
                values::<call::Type>(call::Type::as_str_name, &unknown),
            ),
            events: counter("events"),
            event_types: counters(
                "events",
                values::<event::Type>(event::Type::as_str_name, &unknown),
            ),
            offers_sent: counter("offers/sent"),
            offers_accepted: counter("offers/accepted"),
            offers_declined: counter("offers/declined"),
            offers_rescinded: counter("offers/rescinded"),
            terminal_task_states: counters("tasks/terminal", terminal),
            active_task_states: active
                .into_iter()
                .map(|(value, name)| {
                    (
                        value,
                        PushGauge::new(format!("{prefix}tasks/active/{name}")),
                    )
                })
                .collect(),
            operations: counter("operations"),
            operation_types: counters(
                "operations",
                values::<operation::Type>(operation::Type::as_str_name, &unknown),
            ),
        };
        if publish {
            metrics.each(|metric| {
                metrics::add(metric).on_failed(|error| {
                    tracing::warn!("Per-framework metric not published: {error}")
                });
            });
        }
        metrics
    }

    /// Calls `f` with every metric.
    fn each(&self, mut f: impl FnMut(Box<dyn Metric>)) {
        f(Box::new(self.subscribed.clone()));
        for counter in [
            &self.calls,
            &self.events,
            &self.offers_sent,
            &self.offers_accepted,
            &self.offers_declined,
            &self.offers_rescinded,
            &self.operations,
        ] {
            f(Box::new(counter.clone()));
        }
        for counter in self
            .call_types
            .values()
            .chain(self.event_types.values())
            .chain(self.terminal_task_states.values())
            .chain(self.operation_types.values())
        {
            f(Box::new(counter.clone()));
        }
        for gauge in self.active_task_states.values() {
            f(Box::new(gauge.clone()));
        }
    }

    /// Counts a call of the framework.
    pub fn increment_call(&self, kind: call::Type) {
        if let Some(counter) = self.call_types.get(&(kind as i32)) {
            counter.increment();
            self.calls.increment();
        }
    }

    /// Counts an event sent to the framework.
    pub fn increment_event(&self, kind: event::Type) {
        if let Some(counter) = self.event_types.get(&(kind as i32)) {
            counter.increment();
            self.events.increment();
        }
    }

    /// A task entered `state`: a terminal state counts once, an active
    /// one counts while the task is in it.
    pub fn increment_task_state(&self, state: TaskState) {
        if let Some(counter) = self.terminal_task_states.get(&(state as i32)) {
            counter.increment();
        } else if let Some(gauge) = self.active_task_states.get(&(state as i32)) {
            gauge.increment();
        }
    }

    /// A task left the active `state`.
    pub fn decrement_active_task_state(&self, state: TaskState) {
        if let Some(gauge) = self.active_task_states.get(&(state as i32)) {
            gauge.decrement();
        }
    }

    /// Counts an operation the framework asked for.
    pub fn increment_operation(&self, kind: operation::Type) {
        if let Some(counter) = self.operation_types.get(&(kind as i32)) {
            counter.increment();
            self.operations.increment();
        }
    }
}

impl Drop for FrameworkMetrics {
    fn drop(&mut self) {
        if self.publish {
            self.each(|metric| {
                // One not published (its name was taken) is not found.
                drop(metrics::remove(&metric));
            });
        }
    }
}

impl std::fmt::Debug for FrameworkMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameworkMetrics")
            .field("subscribed", &self.subscribed.get())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FrameworkId;

    #[test]
    fn prefix_escapes_the_name() {
        let info = FrameworkInfo {
            name: "mesos-execute instance".to_string(),
            id: Some(FrameworkId {
                value: "f-0002".to_string(),
            }),
            ..FrameworkInfo::default()
        };
        assert_eq!(
            "master/frameworks/mesos-execute%20instance/f-0002/",
            prefix(&info)
        );
    }
}
