//! The allocator's metrics under Mesos' names (`allocator/mesos/...`, as
//! `master/allocator/mesos/metrics.cpp` registers them).

use std::collections::HashMap;
use std::sync::Arc;

use libprocess::metrics::{self, Counter, PullGauge, Timer, Unit};
use libprocess::{dispatch, SelfPid, PID};
use stout::Duration;

use super::framework_metrics::SuppressedGauges;
use super::process::HierarchicalAllocatorProcess;
use super::state::State;
use crate::master::allocator::sorter::Sorter;

/// The resources whose totals the allocator publishes.
const RESOURCE_METRICS: [&str; 3] = ["cpus", "mem", "disk"];

/// The `allocator/mesos/*` metrics.
pub(super) struct Metrics {
    pub(super) allocation_runs: Counter,
    pub(super) allocation_run: Timer,
    pub(super) allocation_run_latency: Timer,
    gauges: Vec<PullGauge>,
    /// Gauges that come and go with roles and frameworks, by name (see
    /// [`wanted`]).
    dynamic: HashMap<String, PullGauge>,
    /// With `--publish_per_framework_metrics`.
    suppressed: SuppressedGauges,
}

/// Reads a dynamic gauge's value from the allocator.
type Getter = Arc<dyn Fn(&State) -> f64 + Send + Sync>;

fn getter(f: impl Fn(&State) -> f64 + Send + Sync + 'static) -> Getter {
    Arc::new(f)
}

/// The gauges the state calls for now (Mesos adds and removes them as
/// roles and frameworks come and go): per tracked role
/// `offer_filters/roles/<role>/active`; per role in the role sorter
/// `roles/<role>/shares/dominant`; per role (the root `""` too) and
/// resource it consumes `quota/roles/<role>/resources/<name>/consumed`;
/// per role with quota its `guarantee`, `limit` and
/// `offered_or_allocated`.
fn wanted(state: &State) -> Vec<(String, Getter)> {
    let mut wanted = Vec::new();
    for role in state.role_tree().paths() {
        let name = role.to_string();
        wanted.push((
            format!("allocator/mesos/offer_filters/roles/{role}/active"),
            getter(move |state| state.offer_filters_active(&name) as f64),
        ));
    }
    for client in state.role_sorter.clients() {
        let name = client.to_string();
        wanted.push((
            format!("allocator/mesos/roles/{client}/shares/dominant"),
            getter(move |state| state.role_sorter.dominant_share(&name).unwrap_or(0.0)),
        ));
    }
    let tree = state.role_tree();
    for role in std::iter::once(tree.root()).chain(tree.roles().values()) {
        let path = role.role.clone();
        let prefix = format!("allocator/mesos/quota/roles/{path}/resources");
        for (resource, _) in role.quota_consumed().iter() {
            let (path, resource) = (path.clone(), resource.to_string());
            wanted.push((
                format!("{prefix}/{resource}/consumed"),
                getter(move |state| {
                    let tree = state.role_tree();
                    let role = if path.is_empty() {
                        Some(tree.root())
                    } else {
                        tree.get(&path)
                    };
                    role.map_or(0.0, |role| role.quota_consumed().get(&resource).value)
                }),
            ));
        }
        let quota = role.quota();
        if quota.is_default() {
            continue;
        }
        for (resource, _) in quota.guarantees.iter() {
            let (path, resource) = (path.clone(), resource.to_string());
            wanted.push((
                format!("{prefix}/{resource}/guarantee"),
                getter(move |state| {
                    state
                        .role_tree()
                        .get(&path)
                        .map_or(0.0, |role| role.quota().guarantees.get(&resource).value)
                }),
            ));
        }
        for (resource, _) in quota.limits.iter() {
            let (path, resource) = (path.clone(), resource.to_string());
            wanted.push((
                format!("{prefix}/{resource}/limit"),
                getter(move |state| {
                    state
                        .role_tree()
                        .get(&path)
                        .and_then(|role| role.quota().limits.get(&resource))
                        .map_or(0.0, |limit| limit.value)
                }),
            ));
        }
        let names: std::collections::BTreeSet<&str> = quota
            .guarantees
            .iter()
            .chain(quota.limits.iter())
            .map(|(name, _)| name)
            .collect();
        for resource in names {
            let (path, resource) = (path.clone(), resource.to_string());
            wanted.push((
                format!("{prefix}/{resource}/offered_or_allocated"),
                getter(move |state| {
                    if !state.role_sorter.contains(&path) {
                        return 0.0;
                    }
                    state
                        .role_sorter
                        .allocation_scalar_quantities(&path)
                        .get(&resource)
                        .value
                }),
            ));
        }
    }
    wanted
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
            dynamic: HashMap::new(),
            suppressed: SuppressedGauges::default(),
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

    /// Adds and removes the gauges that come and go with roles and
    /// frameworks to match the state.
    pub(super) fn sync(&mut self, pid: &PID<HierarchicalAllocatorProcess>, state: &State) {
        let wanted: HashMap<String, Getter> = wanted(state).into_iter().collect();
        self.dynamic.retain(|name, gauge| {
            let keep = wanted.contains_key(name);
            if !keep {
                unpublish(gauge);
            }
            keep
        });
        for (name, get) in wanted {
            if self.dynamic.contains_key(&name) {
                continue;
            }
            let gauge = pull(pid, name.clone(), move |process| get(&process.state));
            publish(gauge.clone());
            self.dynamic.insert(name, gauge);
        }
        let options = state.options();
        if options.publish_per_framework_metrics {
            self.suppressed
                .sync(state, options.max_completed_frameworks);
        }
    }

    pub(super) fn remove(&mut self) {
        self.suppressed.remove();
        unpublish(&self.allocation_runs);
        unpublish(&self.allocation_run);
        unpublish(&self.allocation_run_latency);
        for gauge in self.gauges.iter().chain(self.dynamic.values()) {
            unpublish(gauge);
        }
    }
}
