//! The driver's calls, as `mesos.scheduler.Call` messages to the master
//! (framework messages straight to the agent when it is known).

use std::collections::BTreeSet;

use libprocess::UPID;

use super::{has_id, SchedulerProcess};
use crate::common::protobuf_utils::{self, StatusUpdateOptions};
use crate::framework_info::capability::Type as FrameworkCapability;
use crate::internal::FrameworkToExecutorMessage;
use crate::offer::operation::{Launch, Type as OperationType};
use crate::offer::Operation;
use crate::scheduler::{call, OfferConstraints};
use crate::task_status::{Reason, Source};
use crate::{
    ExecutorId, Filters, FrameworkInfo, OfferId, Request, SlaveId, TaskId, TaskState, TaskStatus,
};

impl SchedulerProcess {
    pub(in crate::sched) fn kill_task(&mut self, task_id: TaskId) {
        if !self.connected {
            tracing::debug!("Ignoring kill task message as master is disconnected");
            return;
        }
        let mut call = self.call(call::Type::Kill);
        call.kill = Some(call::Kill {
            task_id,
            ..call::Kill::default()
        });
        self.send_to_master(&call);
    }

    pub(in crate::sched) fn request_resources(&mut self, requests: Vec<Request>) {
        if !self.connected {
            tracing::debug!("Ignoring request resources message as master is disconnected");
            return;
        }
        let mut call = self.call(call::Type::Request);
        call.request = Some(call::Request { requests });
        self.send_to_master(&call);
    }

    pub(in crate::sched) fn launch_tasks(
        &mut self,
        offer_ids: Vec<OfferId>,
        tasks: Vec<crate::TaskInfo>,
        filters: Filters,
    ) {
        let operation = Operation {
            r#type: Some(OperationType::Launch as i32),
            launch: Some(Launch { task_infos: tasks }),
            ..Operation::default()
        };
        self.accept_offers(offer_ids, vec![operation], filters);
    }

    pub(in crate::sched) fn accept_offers(
        &mut self,
        offer_ids: Vec<OfferId>,
        operations: Vec<Operation>,
        filters: Filters,
    ) {
        let launched = |operations: &[Operation]| -> Vec<crate::TaskInfo> {
            operations
                .iter()
                .filter(|o| o.r#type == Some(OperationType::Launch as i32))
                .filter_map(|o| o.launch.as_ref())
                .flat_map(|l| l.task_infos.iter().cloned())
                .collect()
        };

        if !self.connected {
            tracing::debug!("Ignoring accept offers message as master is disconnected");
            // The tasks will not launch: say so, as the master would.
            let state = if protobuf_utils::framework_has_capability(
                &self.framework,
                FrameworkCapability::PartitionAware,
            ) {
                TaskState::TaskDropped
            } else {
                TaskState::TaskLost
            };
            for task in launched(&operations) {
                let update = protobuf_utils::create_status_update(
                    &self.framework_id(),
                    None,
                    &task.task_id,
                    state,
                    Source::Master,
                    None,
                    StatusUpdateOptions {
                        message: "Master disconnected".to_string(),
                        reason: Some(Reason::MasterDisconnected),
                        ..StatusUpdateOptions::default()
                    },
                );
                self.status_update(&UPID::empty(), update, &UPID::empty());
            }
            return;
        }

        if operations.iter().any(|o| o.id.is_some()) {
            tracing::error!(
                "An offer operation's 'id' field was set, which is disallowed because the \
                 SchedulerDriver cannot handle offer operation status updates; not accepting"
            );
            return;
        }

        for problem in self.agent_pids.accepted(&offer_ids, &launched(&operations)) {
            tracing::warn!("{}", problem);
        }

        let mut call = self.call(call::Type::Accept);
        call.accept = Some(call::Accept {
            offer_ids,
            operations,
            filters: Some(filters),
        });
        self.send_to_master(&call);
    }

    pub(in crate::sched) fn decline_offer(&mut self, offer_id: OfferId, filters: Filters) {
        if !self.connected {
            tracing::debug!("Ignoring decline offer message as master is disconnected");
            return;
        }
        if !self.agent_pids.forget_offer(&offer_id) {
            tracing::warn!("Attempting to decline an unknown offer {}", offer_id.value);
        }
        let mut call = self.call(call::Type::Decline);
        call.decline = Some(call::Decline {
            offer_ids: vec![offer_id],
            filters: Some(filters),
        });
        self.send_to_master(&call);
    }

    /// Revives `roles`, all of the framework's when empty.
    pub(in crate::sched) fn revive_offers(&mut self, roles: Vec<String>) {
        if roles.is_empty() {
            self.suppressed_roles.clear();
        } else {
            for role in &roles {
                self.suppressed_roles.remove(role);
            }
        }
        if !self.connected {
            tracing::debug!(
                "Ignoring REVIVE as master is disconnected; the set of suppressed roles in the \
                 driver has been updated and will be sent to the master during re-registration"
            );
            self.send_update_framework_on_connect = true;
            return;
        }
        let mut call = self.call(call::Type::Revive);
        if !roles.is_empty() {
            call.revive = Some(call::Revive { roles });
        }
        self.send_to_master(&call);
    }

    /// Suppresses `roles`, all of the framework's when empty.
    pub(in crate::sched) fn suppress_offers(&mut self, roles: Vec<String>) {
        if roles.is_empty() {
            self.suppressed_roles = self.framework.roles.iter().cloned().collect();
        } else {
            self.suppressed_roles.extend(roles.iter().cloned());
        }
        if !self.connected {
            tracing::debug!(
                "Ignoring SUPPRESS as master is disconnected; the set of suppressed roles in the \
                 driver has been updated and will be sent to the master during re-registration"
            );
            self.send_update_framework_on_connect = true;
            return;
        }
        let mut call = self.call(call::Type::Suppress);
        if !roles.is_empty() {
            call.suppress = Some(call::Suppress { roles });
        }
        self.send_to_master(&call);
    }

    pub(in crate::sched) fn acknowledge_status_update(&mut self, status: TaskStatus) {
        if !self.connected {
            tracing::debug!(
                "Ignoring explicit status update acknowledgement because the driver is disconnected"
            );
            return;
        }
        // Updates without a uuid (the master's) or without an agent
        // (reconciliation's) need no acknowledgement.
        match (&status.uuid, &status.slave_id) {
            (Some(uuid), Some(slave_id)) => {
                let mut call = self.call(call::Type::Acknowledge);
                call.acknowledge = Some(call::Acknowledge {
                    slave_id: slave_id.clone(),
                    task_id: status.task_id.clone(),
                    uuid: uuid.clone(),
                });
                self.send_to_master(&call);
            }
            _ => tracing::debug!(
                "Received ACK for status update of task {}",
                status.task_id.value
            ),
        }
    }

    pub(in crate::sched) fn send_framework_message(
        &mut self,
        executor_id: ExecutorId,
        slave_id: SlaveId,
        data: bytes::Bytes,
    ) {
        if !self.connected {
            tracing::debug!("Ignoring send framework message as master is disconnected");
            return;
        }
        match self.agent_pids.agent(&slave_id) {
            Some(agent) => {
                let message = FrameworkToExecutorMessage {
                    slave_id,
                    framework_id: self.framework_id(),
                    executor_id,
                    data,
                };
                libprocess::send_protobuf(agent, &message);
            }
            None => {
                tracing::debug!(
                    "Cannot send directly to agent {}; sending through master",
                    slave_id.value
                );
                let mut call = self.call(call::Type::Message);
                call.message = Some(call::Message {
                    slave_id,
                    executor_id,
                    data,
                });
                self.send_to_master(&call);
            }
        }
    }

    pub(in crate::sched) fn reconcile_tasks(&mut self, statuses: Vec<TaskStatus>) {
        if !self.connected {
            tracing::debug!("Ignoring task reconciliation as master is disconnected");
            return;
        }
        let mut call = self.call(call::Type::Reconcile);
        call.reconcile = Some(call::Reconcile {
            tasks: statuses
                .into_iter()
                .map(|status| call::reconcile::Task {
                    task_id: status.task_id,
                    slave_id: status.slave_id,
                })
                .collect(),
        });
        self.send_to_master(&call);
    }

    pub(in crate::sched) fn update_framework(
        &mut self,
        framework: FrameworkInfo,
        suppressed_roles: BTreeSet<String>,
        offer_constraints: Option<OfferConstraints>,
    ) {
        if !has_id(&self.framework) {
            self.error(
                "MesosSchedulerDriver::updateFramework() must not be called prior to \
                 registration with the master",
            );
            return;
        }
        if framework.id != self.framework.id {
            let message = format!(
                "The 'FrameworkInfo.id' provided to MesosSchedulerDriver::updateFramework() \
                 ({}) must be equal to the value known to the MesosSchedulerDriver ({})",
                framework.id.clone().unwrap_or_default().value,
                self.framework_id().value
            );
            self.error(&message);
            return;
        }
        self.framework = framework;
        self.suppressed_roles = suppressed_roles;
        self.offer_constraints = offer_constraints;
        if self.connected {
            self.send_update_framework();
        } else {
            tracing::debug!("Postponing UPDATE_FRAMEWORK call: not registered with master");
            self.send_update_framework_on_connect = true;
        }
    }

    pub(super) fn send_update_framework(&mut self) {
        let mut call = self.call(call::Type::UpdateFramework);
        call.update_framework = Some(call::UpdateFramework {
            framework_info: self.framework.clone(),
            suppressed_roles: self.suppressed_roles.iter().cloned().collect(),
            offer_constraints: self.offer_constraints.clone(),
        });
        tracing::debug!("Sending UPDATE_FRAMEWORK message");
        self.send_to_master(&call);
    }
}
