//! Agents leaving: link breaks and the reregistration timeout,
//! unregistration, the unreachable transition after failed health
//! checks, and taking an agent out of the master (Mesos' `exited`,
//! `markUnreachable`, `removeSlave`, `__removeSlave`).

use libprocess::metrics::Counter;
use libprocess::{Future, SelfPid};

use super::framework::Framework;
use super::registrar::{MarkSlaveUnreachable, RemoveSlave};
use super::Master;
use crate::common::protobuf_utils::{create_status_update, get_current_time, StatusUpdateOptions};
use crate::internal::LostSlaveMessage;
use crate::task_status::{Reason, Source};
use crate::{FrameworkId, SlaveId, SlaveInfo, TaskState, TimeInfo};

impl Master {
    /// The agent's link broke: its resources are no longer offered, and
    /// it has `--agent_reregister_timeout` to come back.
    pub(super) fn slave_exited(&mut self, slave_id: &SlaveId) {
        let Some(slave) = self.slaves.registered.get_mut(slave_id) else {
            return;
        };
        tracing::info!("Agent {} at {} disconnected", slave_id.value, slave.pid);
        if !slave.connected {
            tracing::warn!(
                "Ignoring duplicate exited() notification for agent {}",
                slave_id.value
            );
            return;
        }
        slave.connected = false;
        if let Some(observer) = &slave.observer {
            observer.disconnect();
        }
        let was_active = slave.active;
        slave.active = false;
        let offers: Vec<_> = slave.offers.iter().cloned().collect();
        let frameworks: Vec<FrameworkId> = slave
            .tasks
            .keys()
            .chain(slave.executors.keys())
            .cloned()
            .collect();
        if was_active {
            self.allocator.deactivate_slave(slave_id);
        }
        for offer_id in offers {
            self.rescind_offer(&offer_id);
        }
        for framework_id in frameworks {
            let checkpoint = self
                .frameworks
                .get(&framework_id)
                .is_some_and(|f| f.info.checkpoint());
            if !checkpoint {
                tracing::info!(
                    "Removing framework {} from disconnected agent {} because the framework \
                     is not checkpointing",
                    framework_id.value,
                    slave_id.value
                );
                self.remove_framework_from_slave(slave_id, &framework_id);
            }
        }
        let timer = libprocess::delay(self.flags.agent_reregister_timeout, &self.self_pid(), {
            let slave_id = slave_id.clone();
            move |master: &mut Master| master.agent_reregister_timeout(slave_id)
        });
        if let Some(slave) = self.slaves.registered.get_mut(slave_id) {
            slave.reregistration_timer = Some(timer);
        }
    }

    fn agent_reregister_timeout(&mut self, slave_id: SlaveId) {
        let Some(slave) = self.slaves.registered.get(&slave_id) else {
            return;
        };
        if slave.connected {
            return;
        }
        let info = slave.info.clone();
        self.mark_unreachable(info, false, "agent did not reregister within the timeout");
    }

    /// After a failover, agents from the registry that did not reregister
    /// in time are marked unreachable.
    pub(super) fn recovered_slaves_timeout(&mut self) {
        let recovered: Vec<SlaveInfo> = self.slaves.recovered.values().cloned().collect();
        for info in recovered {
            self.mark_unreachable(info, true, "did not reregister after master failover");
        }
    }

    /// The observer gave up on the agent.
    pub(super) fn mark_unreachable_after_failed_health_check(&mut self, slave_id: SlaveId) {
        let Some(slave) = self.slaves.registered.get(&slave_id) else {
            tracing::warn!(
                "Unable to mark unknown agent {} unreachable",
                slave_id.value
            );
            return;
        };
        self.metrics.slave_unreachable_scheduled.increment();
        let info = slave.info.clone();
        self.mark_unreachable(info, false, "health check timed out");
    }

    fn mark_unreachable(&mut self, info: SlaveInfo, during_failover: bool, message: &str) {
        let slave_id = info.id.clone().unwrap_or_default();
        if self.slaves.marking_unreachable.contains(&slave_id) {
            tracing::info!(
                "Not marking agent {} unreachable because another unreachable transition is \
                 already in progress",
                slave_id.value
            );
            return;
        }
        if self.slaves.removing.contains(&slave_id) {
            tracing::info!(
                "Not marking agent {} unreachable because it is being removed",
                slave_id.value
            );
            return;
        }
        tracing::info!("Marking agent {} unreachable: {}", slave_id.value, message);
        self.slaves.marking_unreachable.insert(slave_id);
        let unreachable_time = get_current_time();
        self.registrar
            .apply(Box::new(MarkSlaveUnreachable::new(
                info.clone(),
                unreachable_time,
            )))
            .on_any(libprocess::defer!(
                self.self_pid(),
                Master::_mark_unreachable,
                info,
                unreachable_time,
                during_failover,
                message.to_string(),
                _
            ));
    }

    fn _mark_unreachable(
        &mut self,
        info: SlaveInfo,
        unreachable_time: TimeInfo,
        during_failover: bool,
        message: String,
        marked: Future<bool>,
    ) {
        let slave_id = info.id.clone().unwrap_or_default();
        self.slaves.marking_unreachable.remove(&slave_id);
        if let Some(error) = marked.failure() {
            tracing::error!(
                "Failed to mark agent {} unreachable in the registry: {}",
                slave_id.value,
                error
            );
            return;
        }
        self.slaves
            .unreachable
            .insert(slave_id.clone(), unreachable_time);
        self.metrics.slave_unreachable_completed.increment();
        self.metrics.slave_removals.increment();
        self.metrics.slave_removals_reason_unhealthy.increment();
        if during_failover {
            self.metrics.recovery_slave_removals.increment();
            self.slaves.recovered.remove(&slave_id);
            tracing::info!("Marked agent {} unreachable: {}", slave_id.value, message);
            self.send_slave_lost(&slave_id);
            return;
        }
        tracing::info!("Marked agent {} unreachable: {}", slave_id.value, message);
        self._remove_slave(&slave_id, &message, Some(unreachable_time));
    }

    /// Removes the agent from the registry, then from the master; the
    /// removal counts under `reason` too.
    pub(super) fn remove_slave(&mut self, slave_id: &SlaveId, message: &str, reason: Counter) {
        let Some(slave) = self.slaves.registered.get_mut(slave_id) else {
            return;
        };
        if slave.active {
            slave.active = false;
            self.allocator.deactivate_slave(slave_id);
        }
        let info = slave.info.clone();
        tracing::info!("Removing agent {}: {}", slave_id.value, message);
        self.slaves.removing.insert(slave_id.clone());
        self.registrar
            .apply(Box::new(RemoveSlave::new(info)))
            .on_any(libprocess::defer!(
                self.self_pid(),
                Master::removed_slave,
                slave_id.clone(),
                message.to_string(),
                reason,
                _
            ));
    }

    fn removed_slave(
        &mut self,
        slave_id: SlaveId,
        message: String,
        reason: Counter,
        removed: Future<bool>,
    ) {
        self.slaves.removing.remove(&slave_id);
        if let Some(error) = removed.failure() {
            tracing::error!(
                "Failed to remove agent {} from the registry: {}",
                slave_id.value,
                error
            );
            return;
        }
        self.metrics.slave_removals.increment();
        reason.increment();
        self._remove_slave(&slave_id, &message, None);
    }

    /// Takes the agent out of the master (Mesos' `__removeSlave`): its
    /// tasks become TASK_LOST (TASK_UNREACHABLE or TASK_GONE_BY_OPERATOR
    /// for partition-aware frameworks), its executors and offers go, and
    /// frameworks hear `LostSlaveMessage`.
    fn _remove_slave(
        &mut self,
        slave_id: &SlaveId,
        message: &str,
        unreachable_time: Option<TimeInfo>,
    ) {
        let Some(slave) = self.slaves.registered.get(slave_id) else {
            return;
        };
        self.allocator.remove_slave(slave_id);
        let tasks: Vec<(FrameworkId, Vec<crate::TaskId>)> = slave
            .tasks
            .iter()
            .map(|(f, ts)| (f.clone(), ts.iter().cloned().collect()))
            .collect();
        let executors: Vec<(FrameworkId, Vec<crate::ExecutorId>)> = slave
            .executors
            .iter()
            .map(|(f, es)| (f.clone(), es.keys().cloned().collect()))
            .collect();
        let offers: Vec<_> = slave.offers.iter().cloned().collect();

        for (framework_id, task_ids) in tasks {
            let Some(framework) = self.frameworks.get(&framework_id) else {
                continue;
            };
            let (state, reason, unreachable) = if !framework.capabilities.partition_aware {
                (TaskState::TaskLost, Reason::SlaveRemoved, true)
            } else if unreachable_time.is_some() {
                (TaskState::TaskUnreachable, Reason::SlaveRemoved, true)
            } else {
                (
                    TaskState::TaskGoneByOperator,
                    Reason::SlaveRemovedByOperator,
                    false,
                )
            };
            // A removed (not unreachable) agent's tasks are not kept as
            // unreachable ones.
            let unreachable = unreachable && unreachable_time.is_some();
            for task_id in task_ids {
                let Some(task) = self
                    .frameworks
                    .get(&framework_id)
                    .and_then(|f| f.tasks.get(&task_id))
                else {
                    continue;
                };
                let update = create_status_update(
                    &framework_id,
                    Some(slave_id.clone()),
                    &task_id,
                    state,
                    Source::Master,
                    None,
                    StatusUpdateOptions {
                        message: message.to_string(),
                        reason: Some(reason),
                        executor_id: task.executor_id.clone(),
                        unreachable_time,
                        ..StatusUpdateOptions::default()
                    },
                );
                self.update_task(&framework_id, &task_id, &update);
                self.remove_task(&framework_id, &task_id, unreachable);
                match self.frameworks.get(&framework_id) {
                    Some(framework) if framework.connected() => {
                        self.forward(&update, None, &framework_id)
                    }
                    _ => tracing::warn!(
                        "Dropping update {:?} for disconnected framework {}",
                        update.status.state(),
                        framework_id.value
                    ),
                }
            }
        }
        for (framework_id, executor_ids) in executors {
            for executor_id in executor_ids {
                self.remove_executor(slave_id, &framework_id, &executor_id);
            }
        }
        for offer_id in offers {
            self.rescind_offer(&offer_id);
        }
        self.slaves.registered.remove(slave_id);
        if unreachable_time.is_none() {
            self.slaves.removed.insert(slave_id.clone());
        }
        self.send_slave_lost(slave_id);
    }

    /// Tells every connected framework the agent is lost.
    fn send_slave_lost(&self, slave_id: &SlaveId) {
        for framework in self.frameworks.values().filter(|f| f.connected()) {
            framework.send(&LostSlaveMessage {
                slave_id: slave_id.clone(),
            });
        }
    }

    /// Forgets a framework's tasks and executors on an agent (a
    /// non-checkpointing framework's, when the agent disconnects).
    fn remove_framework_from_slave(&mut self, slave_id: &SlaveId, framework_id: &FrameworkId) {
        let Some(slave) = self.slaves.registered.get(slave_id) else {
            return;
        };
        let hostname = slave.info.hostname.clone();
        let task_ids: Vec<_> = slave
            .tasks
            .get(framework_id)
            .map(|tasks| tasks.iter().cloned().collect())
            .unwrap_or_default();
        let executor_ids: Vec<_> = slave
            .executors
            .get(framework_id)
            .map(|executors| executors.keys().cloned().collect())
            .unwrap_or_default();
        for task_id in task_ids {
            let Some(framework) = self.frameworks.get(framework_id) else {
                break;
            };
            let Some(task) = framework.tasks.get(&task_id) else {
                continue;
            };
            let update = create_status_update(
                framework_id,
                Some(slave_id.clone()),
                &task_id,
                TaskState::TaskLost,
                Source::Master,
                None,
                StatusUpdateOptions {
                    message: format!("Agent {} disconnected", hostname),
                    reason: Some(Reason::SlaveDisconnected),
                    executor_id: task.executor_id.clone(),
                    ..StatusUpdateOptions::default()
                },
            );
            self.update_task(framework_id, &task_id, &update);
            self.remove_task(framework_id, &task_id, false);
            if self
                .frameworks
                .get(framework_id)
                .is_some_and(Framework::connected)
            {
                self.forward(&update, None, framework_id);
            }
        }
        for executor_id in executor_ids {
            self.remove_executor(slave_id, framework_id, &executor_id);
        }
    }
}
