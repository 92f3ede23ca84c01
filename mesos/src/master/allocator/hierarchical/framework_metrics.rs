//! The allocator's per-framework metrics (Mesos' allocator
//! `FrameworkMetrics`): `master/frameworks/<name>/<id>/roles/<role>/suppressed`,
//! 1 while the framework has the role's offers suppressed. A removed
//! framework's gauges stay, at their last values, among the
//! `--max_completed_frameworks` latest removed, as Mesos keeps them.

use std::collections::{HashMap, VecDeque};

use libprocess::metrics::{self, PushGauge};

use super::state::State;
use crate::master::framework_metrics::prefix;
use crate::FrameworkId;

/// The suppression gauges of current and recently removed frameworks.
#[derive(Default)]
pub(super) struct SuppressedGauges {
    current: HashMap<FrameworkId, HashMap<String, PushGauge>>,
    completed: VecDeque<HashMap<String, PushGauge>>,
}

fn publish(gauge: &PushGauge) {
    metrics::add(gauge.clone()).on_failed(|error| tracing::debug!("Metric not published: {error}"));
}

fn unpublish(gauges: HashMap<String, PushGauge>) {
    for gauge in gauges.values() {
        drop(metrics::remove(gauge));
    }
}

impl SuppressedGauges {
    /// Matches the gauges to the state's frameworks, their roles and
    /// what they suppress; keeps at most `max_completed` removed
    /// frameworks' gauges.
    pub(super) fn sync(&mut self, state: &State, max_completed: usize) {
        let removed: Vec<FrameworkId> = self
            .current
            .keys()
            .filter(|id| !state.frameworks().contains_key(*id))
            .cloned()
            .collect();
        for id in removed {
            if let Some(gauges) = self.current.remove(&id) {
                self.completed.push_back(gauges);
            }
        }
        while self.completed.len() > max_completed {
            if let Some(gauges) = self.completed.pop_front() {
                unpublish(gauges);
            }
        }
        for (id, framework) in state.frameworks() {
            let gauges = self.current.entry(id.clone()).or_default();
            gauges.retain(|role, gauge| {
                let keep = framework.roles.contains(role);
                if !keep {
                    drop(metrics::remove(gauge));
                }
                keep
            });
            for role in &framework.roles {
                let gauge = gauges.entry(role.clone()).or_insert_with(|| {
                    let name = format!("{}roles/{role}/suppressed", prefix(&framework.info));
                    let gauge = PushGauge::new(name);
                    publish(&gauge);
                    gauge
                });
                let suppressed = framework.suppressed_roles.contains(role);
                gauge.set(if suppressed { 1.0 } else { 0.0 });
            }
        }
    }

    /// Unpublishes them all (the allocator is going away).
    pub(super) fn remove(&mut self) {
        for gauges in self
            .current
            .drain()
            .map(|(_, gauges)| gauges)
            .chain(self.completed.drain(..))
        {
            unpublish(gauges);
        }
    }
}
