//! The allocator's metrics under Mesos' names (`allocator/mesos/...`, as
//! `master/allocator/mesos/metrics.cpp` registers them).

use std::collections::HashMap;

use libprocess::metrics::{self, Counter, PullGauge, Timer, Unit};
use libprocess::{dispatch, SelfPid, PID};
use stout::Duration;

use super::process::HierarchicalAllocatorProcess;
use super::state::State;

/// The resources whose totals the allocator publishes.
const RESOURCE_METRICS: [&str; 3] = ["cpus", "mem", "disk"];

/// The `allocator/mesos/*` metrics.
pub(super) struct Metrics {
    pub(super) allocation_runs: Counter,
    pub(super) allocation_run: Timer,
    pub(super) allocation_run_latency: Timer,
    gauges: Vec<PullGauge>,
    /// `offer_filters/roles/<role>/active`, one per tracked role.
    offer_filters_active: HashMap<String, PullGauge>,
}

/// Registers a metric; a name taken (by another allocator in the same
/// runtime, in tests) leaves this one unpublished.
fn publish(metric: impl metrics::Metric) {
    metrics::add(metric).on_failed(|error| tracing::debug!("Metric not published: {error}"));
}

fn unpublish(metric: &impl metrics::Metric) {
    metrics::remove(metric).on_failed(|error| tracing::debug!("Metric not removed: {error}"));
}

fn pull<F>(pid: &PID<HierarchicalAllocatorProcess>, name: String, f: F) -> PullGauge
where
    F: Fn(&mut HierarchicalAllocatorProcess) -> f64 + Clone + Send + Sync + 'static,
{
    let pid = pid.clone();
    PullGauge::new(name, move || {
        let f = f.clone();
        dispatch(&pid, move |process: &mut HierarchicalAllocatorProcess| {
            f(process)
        })
    })
}

impl Metrics {
    pub(super) fn new(pid: &PID<HierarchicalAllocatorProcess>) -> Metrics {
        let hour = Duration::from_hrs(1);
        let metrics = Metrics {
            allocation_runs: Counter::new("allocator/mesos/allocation_runs"),
            allocation_run: Timer::with_window(
                "allocator/mesos/allocation_run",
                Unit::Milliseconds,
                hour,
            ),
            allocation_run_latency: Timer::with_window(
                "allocator/mesos/allocation_run_latency",
                Unit::Milliseconds,
                hour,
            ),
            gauges: Vec::new(),
            offer_filters_active: HashMap::new(),
        };
        let mut gauges = Vec::new();
        for name in [
            "allocator/mesos/event_queue_dispatches",
            "allocator/event_queue_dispatches",
        ] {
            gauges.push(pull(pid, name.to_string(), |process| {
                let me = process.self_pid();
                libprocess::testing::queued_events(me.upid()).dispatches as f64
            }));
        }
        for resource in RESOURCE_METRICS {
            gauges.push(pull(
                pid,
                format!("allocator/mesos/resources/{resource}/total"),
                move |process| process.state.resources_total(resource),
            ));
            gauges.push(pull(
                pid,
                format!("allocator/mesos/resources/{resource}/offered_or_allocated"),
                move |process| process.state.resources_offered_or_allocated(resource),
            ));
        }
        publish(metrics.allocation_runs.clone());
        publish(metrics.allocation_run.clone());
        publish(metrics.allocation_run_latency.clone());
        for gauge in &gauges {
            publish(gauge.clone());
        }
        Metrics { gauges, ..metrics }
    }

    /// Adds and removes the per-role gauges to match the role tree.
    pub(super) fn sync_roles(&mut self, pid: &PID<HierarchicalAllocatorProcess>, state: &State) {
        let roles = state.role_tree().paths();
        self.offer_filters_active.retain(|role, gauge| {
            let keep = roles.contains(role.as_str());
            if !keep {
                unpublish(gauge);
            }
            keep
        });
        for role in roles {
            if self.offer_filters_active.contains_key(role) {
                continue;
            }
            let name = role.to_string();
            let gauge = pull(
                pid,
                format!("allocator/mesos/offer_filters/roles/{role}/active"),
                move |process| process.state.offer_filters_active(&name) as f64,
            );
            publish(gauge.clone());
            self.offer_filters_active.insert(role.to_string(), gauge);
        }
    }

    pub(super) fn remove(&self) {
        unpublish(&self.allocation_runs);
        unpublish(&self.allocation_run);
        unpublish(&self.allocation_run_latency);
        for gauge in self.gauges.iter().chain(self.offer_filters_active.values()) {
            unpublish(gauge);
        }
    }
}
