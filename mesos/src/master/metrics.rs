//! The master's metrics under Mesos' names (`master/...`): counters the
//! handlers bump, and gauges read from the master's state when a snapshot
//! is taken (see `gauges.rs`).

use std::collections::HashMap;

use libprocess::metrics::{self, Counter, PullGauge};
use libprocess::{dispatch, PID};

use super::gauges::gauge_names;
use super::Master;
use crate::task_status::{Reason, Source};
use crate::TaskState;

macro_rules! counters {
    ($($field:ident),* $(,)?) => {
        /// The master's counters; each is `master/<field name>`.
        #[derive(Clone)]
        pub struct Metrics {
            $(
                #[doc = concat!("`master/", stringify!($field), "`.")]
                pub $field: Counter,
            )*
            /// `master/slave_removals/reason_unhealthy`.
            pub slave_removals_reason_unhealthy: Counter,
            /// `master/slave_removals/reason_unregistered`.
            pub slave_removals_reason_unregistered: Counter,
            /// `master/slave_removals/reason_registered`.
            pub slave_removals_reason_registered: Counter,
            gauges: Vec<PullGauge>,
            /// `master/<state>/<source>/<reason>`, added as first seen.
            tasks_states: HashMap<(i32, i32, i32), Counter>,
        }

        impl Metrics {
            fn counters() -> Metrics {
                Metrics {
                    $($field: Counter::new(concat!("master/", stringify!($field))),)*
                    slave_removals_reason_unhealthy:
                        Counter::new("master/slave_removals/reason_unhealthy"),
                    slave_removals_reason_unregistered:
                        Counter::new("master/slave_removals/reason_unregistered"),
                    slave_removals_reason_registered:
                        Counter::new("master/slave_removals/reason_registered"),
                    gauges: Vec::new(),
                    tasks_states: HashMap::new(),
                }
            }

            fn each_counter(&self) -> Vec<&Counter> {
                vec![
                    $(&self.$field,)*
                    &self.slave_removals_reason_unhealthy,
                    &self.slave_removals_reason_unregistered,
                    &self.slave_removals_reason_registered,
                ]
            }
        }
    };
}

counters!(
    dropped_messages,
    messages_register_framework,
    messages_reregister_framework,
    messages_unregister_framework,
    messages_deactivate_framework,
    messages_kill_task,
    messages_status_update_acknowledgement,
    messages_resource_request,
    messages_launch_tasks,
    messages_decline_offers,
    messages_revive_offers,
    messages_suppress_offers,
    messages_reconcile_operations,
    messages_reconcile_tasks,
    messages_operation_status_update_acknowledgement,
    messages_framework_to_executor,
    messages_executor_to_framework,
    messages_register_slave,
    messages_reregister_slave,
    messages_unregister_slave,
    messages_status_update,
    messages_exited_executor,
    // Messages this master does not handle (authentication, agent
    // resource updates, operation feedback): counted by Mesos when
    // handled, registered here under the same names, so they stay 0.
    messages_authenticate,
    messages_update_slave,
    messages_operation_status_update,
    valid_operation_status_updates,
    invalid_operation_status_updates,
    valid_operation_status_update_acknowledgements,
    invalid_operation_status_update_acknowledgements,
    // No HTTP response cache either.
    http_cache_hits,
    valid_framework_to_executor_messages,
    invalid_framework_to_executor_messages,
    valid_executor_to_framework_messages,
    invalid_executor_to_framework_messages,
    valid_status_updates,
    invalid_status_updates,
    valid_status_update_acknowledgements,
    invalid_status_update_acknowledgements,
    tasks_finished,
    tasks_failed,
    tasks_killed,
    tasks_lost,
    tasks_error,
    tasks_dropped,
    tasks_gone,
    tasks_gone_by_operator,
    slave_registrations,
    slave_reregistrations,
    slave_removals,
    recovery_slave_removals,
    // Deprecated in Mesos and never counted there either; kept for
    // dashboards that read them.
    slave_shutdowns_scheduled,
    slave_shutdowns_completed,
    slave_shutdowns_canceled,
    slave_unreachable_scheduled,
    slave_unreachable_completed,
    slave_unreachable_canceled,
);

impl Metrics {
    /// Counters at zero, not yet registered.
    pub(super) fn new() -> Metrics {
        Metrics::counters()
    }

    /// Registers the counters, and gauges that ask the master at `pid`.
    pub(super) fn register(&mut self, pid: &PID<Master>) {
        for counter in self.each_counter() {
            metrics::add(counter.clone());
        }
        for name in gauge_names() {
            let pid = pid.clone();
            let gauge = PullGauge::new(name.clone(), move || {
                let name = name.clone();
                dispatch(&pid, move |master: &mut Master| master.gauge(&name))
            });
            metrics::add(gauge.clone());
            self.gauges.push(gauge);
        }
    }

    /// Mesos' `incrementTasksStates`: counts a task reaching `state`
    /// from `source` for `reason` (enum values as on the wire), under
    /// `master/task_lost/source_master/reason_invalid_offers` and the like.
    pub(super) fn increment_tasks_states(&mut self, state: i32, source: i32, reason: i32) {
        let counter = self
            .tasks_states
            .entry((state, source, reason))
            .or_insert_with(|| {
                let name = |known: Option<&str>, value: i32| {
                    known.map_or_else(|| value.to_string(), str::to_lowercase)
                };
                let counter = Counter::new(format!(
                    "master/{}/{}/{}",
                    name(
                        TaskState::try_from(state).ok().map(|s| s.as_str_name()),
                        state
                    ),
                    name(
                        Source::try_from(source).ok().map(|s| s.as_str_name()),
                        source
                    ),
                    name(
                        Reason::try_from(reason).ok().map(|r| r.as_str_name()),
                        reason
                    ),
                ));
                metrics::add(counter.clone());
                counter
            });
        counter.increment();
    }

    /// Unregisters everything (the master is going away).
    pub(super) fn unregister(&self) {
        for counter in self
            .each_counter()
            .into_iter()
            .chain(self.tasks_states.values())
        {
            metrics::remove(counter);
        }
        for gauge in &self.gauges {
            metrics::remove(gauge);
        }
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}
