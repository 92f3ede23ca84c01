//! The agent's `slave/*` values (Mesos' `Slave::_tasks_staging`,
//! `_resources_total` and the like), computed from its state when a
//! snapshot asks.

use libprocess::Clock;

use crate::common::resource_gauges;
use crate::slave::executor::ExecutorState;
use crate::slave::metrics::COUNTERS;
use crate::slave::slave::{Slave, SlaveState};
use crate::value::Scalar;
use crate::{Resources, TaskState};

/// The gauges read from the agent's state, without `slave/`.
const GAUGES: [&str; 11] = [
    "uptime_secs",
    "registered",
    "frameworks_active",
    "tasks_staging",
    "tasks_starting",
    "tasks_running",
    "tasks_killing",
    "executors_registering",
    "executors_running",
    "executors_terminating",
    "executor_directory_max_allowed_age_secs",
];

/// Every published name without `slave/`: the counters, the gauges, and
/// `<resource>_{total,used,percent}` with their `_revocable_` forms.
pub(crate) fn names() -> Vec<String> {
    let mut names: Vec<String> = COUNTERS
        .iter()
        .chain(GAUGES.iter())
        .map(|name| name.to_string())
        .collect();
    names.extend(resource_gauges::names(""));
    names
}

impl Slave {
    /// A metric's value by its name without `slave/`; `None` for a name
    /// not in [`names`].
    pub(crate) fn gauge(&self, name: &str) -> Option<f64> {
        if let Some(count) = self.metrics.counter(name) {
            return Some(count as f64);
        }
        if let Some(value) = self.resource_gauge(name) {
            return Some(value);
        }
        let executors = || self.frameworks.values().flat_map(|f| f.executors.values());
        let executors_in = |state: ExecutorState| executors().filter(|e| e.state == state).count();
        let tasks_in = |state: TaskState| {
            executors()
                .flat_map(|e| e.launched_tasks.values())
                .filter(|t| t.state() == state)
                .count()
        };
        let count = match name {
            "uptime_secs" => return Some((Clock::now() - self.start_time).secs()),
            "executor_directory_max_allowed_age_secs" => {
                return Some(self.executor_directory_max_allowed_age_secs())
            }
            "registered" => usize::from(self.state == SlaveState::Running),
            "frameworks_active" => self.frameworks.len(),
            // Tasks not yet given to an executor count as staging too.
            "tasks_staging" => {
                let pending: usize = self
                    .frameworks
                    .values()
                    .flat_map(|f| f.pending_tasks.values())
                    .map(Vec::len)
                    .sum();
                let queued: usize = executors().map(|e| e.queued_tasks.len()).sum();
                pending + queued + tasks_in(TaskState::TaskStaging)
            }
            "tasks_starting" => tasks_in(TaskState::TaskStarting),
            "tasks_running" => tasks_in(TaskState::TaskRunning),
            "tasks_killing" => tasks_in(TaskState::TaskKilling),
            "executors_registering" => executors_in(ExecutorState::Registering),
            "executors_running" => executors_in(ExecutorState::Running),
            "executors_terminating" => executors_in(ExecutorState::Terminating),
            _ => return None,
        };
        Some(count as f64)
    }

    /// `--gc_delay` scaled down by the work directory's disk usage (Mesos'
    /// `age`): how long executor directories may be kept now.
    fn executor_directory_max_allowed_age_secs(&self) -> f64 {
        let usage = nix::sys::statvfs::statvfs(self.flags.work_dir.as_str())
            .ok()
            .filter(|stat| stat.blocks() > 0)
            .map_or(0.0, |stat| {
                (stat.blocks() - stat.blocks_free()) as f64 / stat.blocks() as f64
            });
        let headroom = (1.0 - self.flags.gc_disk_headroom - usage).max(0.0);
        self.flags.gc_delay.secs() * headroom
    }

    /// `<resource>_{total,used,percent}` and the revocable ones: the
    /// total as the agent declares it (no revocable resources without
    /// oversubscription), use by the frameworks' executors and tasks.
    fn resource_gauge(&self, name: &str) -> Option<f64> {
        let gauge = resource_gauges::parse(name)?;
        let resource = gauge.resource;
        let scalar =
            |resources: &Resources| resources.get::<Scalar>(resource).map_or(0.0, |s| s.value);
        let declared = Resources::from(self.info.resources.as_slice());
        let mut used = Resources::new();
        for framework in self.frameworks.values() {
            for executor in framework.executors.values() {
                used += executor.allocated_resources();
            }
            for task in framework.pending_tasks.values().flatten() {
                used += Resources::from(task.resources.as_slice());
            }
        }
        let (total, used) = if gauge.revocable {
            (scalar(&declared.revocable()), scalar(&used.revocable()))
        } else {
            (
                scalar(&declared.non_revocable()),
                scalar(&used.non_revocable()),
            )
        };
        Some(gauge.value(total, used))
    }
}
