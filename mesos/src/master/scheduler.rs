//! Scheduler input: the `mesos.scheduler.Call` messages the 1.x driver
//! sends (validated and routed, Mesos' `Master::receive`), and the
//! pre-0.24 messages older drivers send, each mapped onto the same call.

use libprocess::{send_protobuf, UPID};
use stout::{Error, Try};

use super::framework::Connection;
use super::Master;
use crate::internal::{
    DeactivateFrameworkMessage, FrameworkErrorMessage, FrameworkToExecutorMessage, KillTaskMessage,
    LaunchTasksMessage, ReconcileTasksMessage, RegisterFrameworkMessage,
    ReregisterFrameworkMessage, ResourceRequestMessage, ReviveOffersMessage,
    StatusUpdateAcknowledgementMessage, UnregisterFrameworkMessage,
};
use crate::offer::{operation, Operation};
use crate::scheduler::call::{self, reconcile, Type};
use crate::scheduler::Call;
use crate::FrameworkId;

/// Mesos' `validation::scheduler::call::validate`: the call names its
/// type, carries the message for it and, past SUBSCRIBE, the framework.
pub(super) fn validate(call: &Call) -> Try<()> {
    let Some(kind) = call.r#type.and_then(|t| Type::try_from(t).ok()) else {
        return Err(Error::new("Expecting 'type' to be present"));
    };
    if kind == Type::Subscribe {
        let Some(subscribe) = &call.subscribe else {
            return Err(Error::new("Expecting 'subscribe' to be present"));
        };
        // Unset, either is the empty ID.
        let info_id = subscribe.framework_info.id.clone().unwrap_or_default();
        if info_id != call.framework_id.clone().unwrap_or_default() {
            return Err(Error::new(
                "'framework_id' differs from 'subscribe.framework_info.id'",
            ));
        }
        return Ok(());
    }
    if call.framework_id.is_none() {
        return Err(Error::new("Expecting 'framework_id' to be present"));
    }
    let present = |present: bool, name: &str| {
        if present {
            Ok(())
        } else {
            Err(Error::new(format!("Expecting '{}' to be present", name)))
        }
    };
    match kind {
        Type::Accept => present(call.accept.is_some(), "accept"),
        Type::Decline => present(call.decline.is_some(), "decline"),
        Type::AcceptInverseOffers => present(
            call.accept_inverse_offers.is_some(),
            "accept_inverse_offers",
        ),
        Type::DeclineInverseOffers => present(
            call.decline_inverse_offers.is_some(),
            "decline_inverse_offers",
        ),
        Type::Kill => present(call.kill.is_some(), "kill"),
        Type::Shutdown => present(call.shutdown.is_some(), "shutdown"),
        Type::Acknowledge => {
            let Some(acknowledge) = &call.acknowledge else {
                return present(false, "acknowledge");
            };
            stout::Uuid::from_bytes(&acknowledge.uuid).map(|_| ())
        }
        Type::AcknowledgeOperationStatus => {
            let Some(acknowledge) = &call.acknowledge_operation_status else {
                return present(false, "acknowledge_operation_status");
            };
            stout::Uuid::from_bytes(&acknowledge.uuid)?;
            present(acknowledge.slave_id.is_some(), "agent_id")
        }
        Type::Reconcile => present(call.reconcile.is_some(), "reconcile"),
        Type::ReconcileOperations => {
            present(call.reconcile_operations.is_some(), "reconcile_operations")
        }
        Type::Message => present(call.message.is_some(), "message"),
        Type::Request => present(call.request.is_some(), "request"),
        Type::UpdateFramework => present(call.update_framework.is_some(), "update_framework"),
        Type::Unknown | Type::Subscribe | Type::Teardown | Type::Revive | Type::Suppress => Ok(()),
    }
}

/// A call this master does not carry out, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Unsupported(pub(super) &'static str);

pub(super) fn type_name(call: &Call) -> &'static str {
    call.r#type
        .and_then(|t| Type::try_from(t).ok())
        .unwrap_or(Type::Unknown)
        .as_str_name()
}

impl Master {
    fn drop_call(&self, from: &UPID, call: &Call, message: &str) {
        tracing::warn!(
            "Dropping {} call from framework {} at {}: {}",
            type_name(call),
            call.framework_id
                .as_ref()
                .map_or("", |id| id.value.as_str()),
            from,
            message
        );
    }

    /// A scheduler's call (Mesos' `Master::receive`).
    pub(super) fn receive(&mut self, from: &UPID, mut call: Call) {
        if let Err(error) = validate(&call) {
            self.drop_call(from, &call, &error.to_string());
            return;
        }
        let kind = Type::try_from(call.r#type.unwrap_or_default()).unwrap_or(Type::Unknown);
        if kind == Type::Subscribe {
            if let Some(subscribe) = call.subscribe.take() {
                self.subscribe(Connection::Pid(from.clone()), subscribe);
            }
            return;
        }
        let framework_id = call.framework_id.clone().unwrap_or_default();
        let Some(framework) = self.frameworks.get(&framework_id) else {
            self.drop_call(from, &call, "Framework cannot be found");
            return;
        };
        if framework.pid() != Some(from) {
            self.drop_call(from, &call, "Call is not from registered framework");
            return;
        }
        if !framework.connected() {
            tracing::info!(
                "Refusing {} call from framework {}: Framework disconnected",
                type_name(&call),
                framework_id.value
            );
            send_protobuf(
                from,
                &FrameworkErrorMessage {
                    message: "Framework disconnected".to_string(),
                },
            );
            return;
        }
        let name = type_name(&call);
        if let Err(unsupported) = self.dispatch_call(&framework_id, call) {
            tracing::warn!(
                "Dropping {} call from framework {} at {}: {}",
                name,
                framework_id.value,
                from,
                unsupported.0
            );
        }
    }

    /// Runs a validated call of a subscribed framework, whichever way it
    /// came (a driver's message or an HTTP request): the calls both APIs
    /// share. `Err` names what this master does not do.
    pub(super) fn dispatch_call(
        &mut self,
        framework_id: &FrameworkId,
        call: Call,
    ) -> Result<(), Unsupported> {
        let kind = Type::try_from(call.r#type.unwrap_or_default()).unwrap_or(Type::Unknown);
        if let Some(framework) = self.frameworks.get(framework_id) {
            framework.metrics.increment_call(kind);
        }
        match kind {
            Type::Subscribe | Type::Unknown => tracing::warn!("'UNKNOWN' call"),
            Type::Teardown => self.teardown(framework_id),
            Type::Accept => {
                if let Some(accept) = call.accept {
                    self.accept(framework_id, accept);
                }
            }
            Type::Decline => {
                if let Some(decline) = call.decline {
                    self.decline(framework_id, decline);
                }
            }
            Type::AcceptInverseOffers | Type::DeclineInverseOffers => {
                // Inverse offers come with maintenance, which this build
                // does not have: there are none to answer.
                return Err(Unsupported("Inverse offers are not supported"));
            }
            Type::Revive => self.revive(framework_id, call.revive.unwrap_or_default()),
            Type::Kill => {
                if let Some(kill) = call.kill {
                    self.kill(framework_id, kill);
                }
            }
            Type::Shutdown => {
                if let Some(shutdown) = call.shutdown {
                    self.shutdown_executor(framework_id, shutdown);
                }
            }
            Type::Acknowledge => {
                if let Some(acknowledge) = call.acknowledge {
                    self.acknowledge(framework_id, acknowledge);
                }
            }
            Type::AcknowledgeOperationStatus => {
                self.metrics
                    .messages_operation_status_update_acknowledgement
                    .increment();
                return Err(Unsupported(
                    "'ACKNOWLEDGE_OPERATION_STATUS' is not supported by the v0 API",
                ));
            }
            Type::Reconcile => {
                if let Some(reconcile) = call.reconcile {
                    self.reconcile(framework_id, reconcile);
                }
            }
            Type::ReconcileOperations => {
                self.metrics.messages_reconcile_operations.increment();
                return Err(Unsupported(
                    "'RECONCILE_OPERATIONS' is not supported by the v0 API",
                ));
            }
            Type::Message => {
                if let Some(message) = call.message {
                    self.message(framework_id, message);
                }
            }
            Type::Request => {
                if let Some(request) = call.request {
                    self.request(framework_id, request);
                }
            }
            Type::Suppress => self.suppress(framework_id, call.suppress.unwrap_or_default()),
            Type::UpdateFramework => {
                return Err(Unsupported("UPDATE_FRAMEWORK is not supported yet"))
            }
        }
        Ok(())
    }

    /// The framework at `from` may act for `framework_id` (the checks of
    /// the pre-0.24 handlers).
    fn legacy_framework(&self, from: &UPID, framework_id: &FrameworkId, what: &str) -> bool {
        match self.frameworks.get(framework_id) {
            None => {
                tracing::warn!(
                    "Ignoring {} message for framework {} because the framework cannot be found",
                    what,
                    framework_id.value
                );
                false
            }
            Some(framework) if framework.pid() != Some(from) => {
                tracing::warn!(
                    "Ignoring {} message for framework {} because it is not expected from {}",
                    what,
                    framework_id.value,
                    from
                );
                false
            }
            Some(_) => true,
        }
    }

    pub(super) fn register_framework(&mut self, from: &UPID, message: RegisterFrameworkMessage) {
        let info = message.framework;
        if info.id.as_ref().is_some_and(|id| !id.value.is_empty()) {
            let error = "Registering with 'id' already set";
            tracing::info!(
                "Refusing registration request of framework '{}' at {}: {}",
                info.name,
                from,
                error
            );
            send_protobuf(
                from,
                &FrameworkErrorMessage {
                    message: error.to_string(),
                },
            );
            return;
        }
        self.subscribe(
            Connection::Pid(from.clone()),
            call::Subscribe {
                framework_info: info,
                ..call::Subscribe::default()
            },
        );
    }

    pub(super) fn reregister_framework(
        &mut self,
        from: &UPID,
        message: ReregisterFrameworkMessage,
    ) {
        let info = message.framework;
        if info.id.as_ref().is_none_or(|id| id.value.is_empty()) {
            let error = "Re-registering without an 'id'";
            tracing::info!(
                "Refusing re-registration request of framework '{}' at {}: {}",
                info.name,
                from,
                error
            );
            send_protobuf(
                from,
                &FrameworkErrorMessage {
                    message: error.to_string(),
                },
            );
            return;
        }
        self.subscribe(
            Connection::Pid(from.clone()),
            call::Subscribe {
                framework_info: info,
                force: Some(message.failover),
                ..call::Subscribe::default()
            },
        );
    }

    pub(super) fn unregister_framework(
        &mut self,
        from: &UPID,
        message: UnregisterFrameworkMessage,
    ) {
        tracing::info!(
            "Asked to unregister framework {}",
            message.framework_id.value
        );
        if self.legacy_framework(from, &message.framework_id, "unregister framework") {
            self.teardown(&message.framework_id);
        }
    }

    pub(super) fn deactivate_framework(
        &mut self,
        from: &UPID,
        message: DeactivateFrameworkMessage,
    ) {
        self.metrics.messages_deactivate_framework.increment();
        let framework_id = message.framework_id;
        if !self.legacy_framework(from, &framework_id, "deactivate framework") {
            return;
        }
        if self
            .frameworks
            .get(&framework_id)
            .is_some_and(|framework| framework.active())
        {
            self.deactivate(&framework_id, true);
        }
    }

    pub(super) fn resource_request(&mut self, from: &UPID, message: ResourceRequestMessage) {
        if self.legacy_framework(from, &message.framework_id, "resource request") {
            self.request(
                &message.framework_id,
                call::Request {
                    requests: message.requests,
                },
            );
        }
    }

    pub(super) fn launch_tasks(&mut self, from: &UPID, message: LaunchTasksMessage) {
        if !self.legacy_framework(from, &message.framework_id, "launch tasks") {
            return;
        }
        let accept = call::Accept {
            offer_ids: message.offer_ids,
            operations: vec![Operation {
                r#type: Some(operation::Type::Launch as i32),
                launch: Some(operation::Launch {
                    task_infos: message.tasks,
                }),
                ..Operation::default()
            }],
            filters: Some(message.filters),
        };
        self.accept(&message.framework_id, accept);
    }

    pub(super) fn revive_offers(&mut self, from: &UPID, message: ReviveOffersMessage) {
        if self.legacy_framework(from, &message.framework_id, "revive offers") {
            self.revive(
                &message.framework_id,
                call::Revive {
                    roles: message.roles,
                },
            );
        }
    }

    pub(super) fn kill_task(&mut self, from: &UPID, message: KillTaskMessage) {
        // Old drivers sent kills without a pid check of their own; Mesos
        // accepts them from the framework's pid only.
        if self.legacy_framework(from, &message.framework_id, "kill task") {
            self.kill(
                &message.framework_id,
                call::Kill {
                    task_id: message.task_id,
                    slave_id: None,
                    kill_policy: message.kill_policy,
                },
            );
        }
    }

    pub(super) fn status_update_acknowledgement(
        &mut self,
        from: &UPID,
        message: StatusUpdateAcknowledgementMessage,
    ) {
        if !self.legacy_framework(from, &message.framework_id, "status update acknowledgement") {
            self.metrics
                .invalid_status_update_acknowledgements
                .increment();
            return;
        }
        if stout::Uuid::from_bytes(&message.uuid).is_err() {
            self.metrics
                .invalid_status_update_acknowledgements
                .increment();
            return;
        }
        self.acknowledge(
            &message.framework_id,
            call::Acknowledge {
                slave_id: message.slave_id,
                task_id: message.task_id,
                uuid: message.uuid,
            },
        );
    }

    pub(super) fn scheduler_message(&mut self, from: &UPID, message: FrameworkToExecutorMessage) {
        if !self.legacy_framework(from, &message.framework_id, "framework message") {
            self.metrics
                .invalid_framework_to_executor_messages
                .increment();
            return;
        }
        self.message(
            &message.framework_id,
            call::Message {
                slave_id: message.slave_id,
                executor_id: message.executor_id,
                data: message.data,
            },
        );
    }

    pub(super) fn reconcile_tasks(&mut self, from: &UPID, message: ReconcileTasksMessage) {
        if !self.legacy_framework(from, &message.framework_id, "reconcile tasks") {
            return;
        }
        let tasks = message
            .statuses
            .into_iter()
            .map(|status| reconcile::Task {
                task_id: status.task_id,
                slave_id: status.slave_id,
            })
            .collect();
        self.reconcile(&message.framework_id, call::Reconcile { tasks });
    }
}
