//! The master's gauges (Mesos' `Master::_slaves_active`,
//! `_resources_total` and the like): computed from the master's state
//! when a snapshot asks.

use libprocess::{Clock, SelfPid};

use super::Master;
use crate::common::resource_gauges;
use crate::value::Scalar;
use crate::TaskState;

/// The gauges that do not depend on a resource.
const GAUGES: &[&str] = &[
    "master/uptime_secs",
    "master/elected",
    "master/slaves_connected",
    "master/slaves_disconnected",
    "master/slaves_active",
    "master/slaves_inactive",
    "master/slaves_unreachable",
    "master/frameworks_connected",
    "master/frameworks_disconnected",
    "master/frameworks_active",
    "master/frameworks_inactive",
    "master/outstanding_offers",
    "master/tasks_staging",
    "master/tasks_starting",
    "master/tasks_running",
    "master/tasks_unreachable",
    "master/tasks_killing",
    "master/event_queue_messages",
    "master/event_queue_dispatches",
    "master/event_queue_http_requests",
];

/// Every gauge's name: the fixed ones, then `master/<resource>_total`,
/// `_used`, `_percent` and their `_revocable_` forms.
pub(super) fn gauge_names() -> Vec<String> {
    let mut names: Vec<String> = GAUGES.iter().map(|name| name.to_string()).collect();
    names.extend(resource_gauges::names("master/"));
    names
}

/// Total and used amounts of one resource, revocable or not.
struct Amounts {
    total: f64,
    used: f64,
}

impl Master {
    /// A gauge's value, by name (see [`gauge_names`]); unknown names are 0.
    pub(super) fn gauge(&self, name: &str) -> f64 {
        if let Some(value) = self.resource_gauge(name) {
            return value;
        }
        use TaskState::*;
        let slaves = self.slaves.registered.values();
        let frameworks = self.frameworks.values();
        let count_tasks = |state: TaskState| {
            self.frameworks
                .values()
                .flat_map(|f| f.tasks.values())
                .filter(|t| t.state() == state)
                .count()
        };
        let queued = || libprocess::testing::queued_events(self.self_pid().upid());
        let count = match name {
            "master/uptime_secs" => return (Clock::now() - self.start_time).secs(),
            "master/elected" => usize::from(self.elected_time.is_some()),
            "master/slaves_connected" => slaves.filter(|s| s.connected).count(),
            "master/slaves_disconnected" => slaves.filter(|s| !s.connected).count(),
            "master/slaves_active" => slaves.filter(|s| s.active).count(),
            "master/slaves_inactive" => slaves.filter(|s| !s.active).count(),
            "master/slaves_unreachable" => self.slaves.unreachable.len(),
            "master/frameworks_connected" => frameworks.filter(|f| f.connected()).count(),
            "master/frameworks_disconnected" => frameworks.filter(|f| !f.connected()).count(),
            "master/frameworks_active" => frameworks.filter(|f| f.active()).count(),
            "master/frameworks_inactive" => frameworks.filter(|f| !f.active()).count(),
            "master/outstanding_offers" => self.offers.len(),
            "master/tasks_staging" => count_tasks(TaskStaging),
            "master/tasks_starting" => count_tasks(TaskStarting),
            "master/tasks_running" => count_tasks(TaskRunning),
            "master/tasks_unreachable" => count_tasks(TaskUnreachable),
            "master/tasks_killing" => count_tasks(TaskKilling),
            "master/event_queue_messages" => queued().messages,
            "master/event_queue_dispatches" => queued().dispatches,
            "master/event_queue_http_requests" => queued().http,
            _ => 0,
        };
        count as f64
    }

    /// `master/<resource>_{total,used,percent}` and the revocable ones:
    /// totals over registered agents (the non-revocable total as the
    /// agents declared it, as Mesos does), use by tasks and executors.
    fn resource_gauge(&self, name: &str) -> Option<f64> {
        let gauge = resource_gauges::parse(name.strip_prefix("master/")?)?;
        let amounts = self.resource_amounts(gauge.resource, gauge.revocable);
        Some(gauge.value(amounts.total, amounts.used))
    }

    fn resource_amounts(&self, resource: &str, revocable: bool) -> Amounts {
        let scalar = |resources: &crate::Resources| {
            resources
                .get::<Scalar>(resource)
                .map_or(0.0, |scalar| scalar.value)
        };
        let mut amounts = Amounts {
            total: 0.0,
            used: 0.0,
        };
        for slave in self.slaves.registered.values() {
            amounts.total += if revocable {
                scalar(&slave.total_resources.revocable())
            } else {
                scalar(&crate::Resources::from(slave.info.resources.as_slice()))
            };
            let used: crate::Resources = slave.used_resources.values().sum();
            amounts.used += if revocable {
                scalar(&used.revocable())
            } else {
                scalar(&used.non_revocable())
            };
        }
        amounts
    }
}
