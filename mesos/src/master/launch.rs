//! ACCEPT with LAUNCH: the offers are checked (Mesos'
//! `validation::offer`), each task is validated (Mesos'
//! `validation::task::validate`, built from the checks in
//! [`validation`](super::validation)), valid tasks are recorded STAGING
//! and sent to the agent in a `RunTaskMessage`, invalid ones answered
//! with a master-generated update, and what is left goes back to the
//! allocator with the call's filters.

use std::collections::{HashMap, HashSet};

use stout::{Error, Try};

use super::agent::Slave;
use super::constants::{MIN_CPUS, MIN_MEM};
use super::framework::Framework;
use super::validation::{executor, task};
use super::Master;
use crate::common::protobuf_utils::{
    create_resource_versions, create_status_update, create_task, inject_allocation_info,
    StatusUpdateOptions,
};
use crate::common::resources::Resources;
use crate::executor_info::Type as ExecutorType;
use crate::internal::RunTaskMessage;
use crate::offer::{operation, Operation};
use crate::scheduler::call::Accept;
use crate::task_status::{Reason, Source};
use crate::{FrameworkId, OfferId, SlaveId, TaskInfo, TaskState};

/// Mesos' `validation::offer::validate`: the offers are distinct,
/// outstanding, the framework's, of one role and of one agent.
fn validate_offers(master: &Master, offer_ids: &[OfferId], framework_id: &FrameworkId) -> Try<()> {
    let mut seen = HashSet::new();
    for offer_id in offer_ids {
        if !seen.insert(offer_id) {
            return Err(Error::new(format!(
                "Duplicate offer {} in offer list",
                offer_id.value
            )));
        }
    }
    let offer = |id: &OfferId| {
        master
            .offers
            .get(id)
            .ok_or_else(|| Error::new(format!("Offer {} is no longer valid", id.value)))
    };
    for offer_id in offer_ids {
        offer(offer_id)?;
    }
    for offer_id in offer_ids {
        let offer = offer(offer_id)?;
        if &offer.framework_id != framework_id {
            return Err(Error::new(format!(
                "Offer {} has invalid framework {} while framework {} is expected",
                offer_id.value, offer.framework_id.value, framework_id.value
            )));
        }
    }
    let mut role: Option<String> = None;
    for offer_id in offer_ids {
        let offer = offer(offer_id)?;
        let this = offer
            .allocation_info
            .as_ref()
            .and_then(|a| a.role.clone())
            .unwrap_or_default();
        match &role {
            None => role = Some(this),
            Some(role) if role != &this => {
                return Err(Error::new(format!(
                    "Aggregated offers must be allocated to the same role. Offer {} uses role \
                     '{} but another is using role '{}",
                    offer_id.value, this, role
                )))
            }
            Some(_) => {}
        }
    }
    let mut slave: Option<&SlaveId> = None;
    for offer_id in offer_ids {
        let offer = offer(offer_id)?;
        match slave {
            None => slave = Some(&offer.slave_id),
            Some(slave) if slave != &offer.slave_id => {
                return Err(Error::new(format!(
                    "Aggregated offers must belong to one single agent. Offer {} uses agent {} \
                     and agent {}",
                    offer_id.value, offer.slave_id.value, slave.value
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Mesos' `validation::task::validate`: the task, then its executor and
/// their resources against what was offered.
pub(super) fn validate_task(
    task_info: &TaskInfo,
    framework: &Framework,
    slave: &Slave,
    offered: &Resources,
) -> Try<()> {
    task::validate_task_id(task_info)?;
    if framework.tasks.contains_key(&task_info.task_id) {
        return Err(Error::new(format!(
            "Task has duplicate ID: {}",
            task_info.task_id.value
        )));
    }
    if framework.unreachable_tasks.contains_key(&task_info.task_id) {
        return Err(Error::new(format!(
            "Task reuses the ID of an unreachable task: {}",
            task_info.task_id.value
        )));
    }
    task::validate_slave_id(task_info, &slave.id)?;
    task::validate_kill_policy(task_info)?;
    task::validate_max_completion_time(task_info)?;
    task::validate_check(task_info)?;
    task::validate_health_check(task_info)?;
    task::validate_resources(task_info)?;
    task::validate_command_info(task_info)?;
    task::validate_container_info(task_info)?;
    task::validate_resource_limits(task_info, &slave.capability_flags())?;

    if task_info.executor.is_some() == task_info.command.is_some() {
        return Err(Error::new(
            "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present",
        ));
    }
    let mut total = Resources::from(task_info.resources.as_slice());
    if let Some(executor_info) = &task_info.executor {
        executor::validate(executor_info)?;
        executor::validate_framework_id(executor_info, &framework.id)?;
        executor::validate_resources(executor_info)?;
        if let Some(existing) = slave
            .executors
            .get(&framework.id)
            .and_then(|executors| executors.get(&executor_info.executor_id))
        {
            if existing != executor_info {
                let rule = "------------------------------------------------------------";
                return Err(Error::new(format!(
                    "ExecutorInfo is not compatible with existing ExecutorInfo with same \
                     ExecutorID.\n{rule}\nExisting ExecutorInfo:\n{existing:?}\n{rule}\n\
                     ExecutorInfo:\n{executor_info:?}\n{rule}\n"
                )));
            }
        }
        if executor_info.r#type.is_some() && executor_info.r#type() != ExecutorType::Custom {
            return Err(Error::new("'ExecutorInfo.type' must be 'CUSTOM'"));
        }
        if executor_info.command.is_none() {
            return Err(Error::new("'ExecutorInfo.command' must be set"));
        }
        let executor_resources = Resources::from(executor_info.resources.as_slice());
        if !executor_resources.shared().is_empty() {
            return Err(Error::new(format!(
                "Executor resources {} should not contain any shared resources",
                executor_resources
            )));
        }
        if executor_resources.cpus().is_none_or(|cpus| cpus < MIN_CPUS) {
            tracing::warn!(
                "Executor '{}' for task '{}' uses less CPUs than the minimum required ({}). \
                 Please update your executor, as this will be mandatory in future releases.",
                executor_info.executor_id.value,
                task_info.task_id.value,
                MIN_CPUS
            );
        }
        if executor_resources.mem().is_none_or(|mem| mem < MIN_MEM) {
            tracing::warn!(
                "Executor '{}' for task '{}' uses less memory than the minimum required ({}). \
                 Please update your executor, as this will be mandatory in future releases.",
                executor_info.executor_id.value,
                task_info.task_id.value,
                MIN_MEM
            );
        }
        let share_cgroups = executor_info
            .container
            .as_ref()
            .and_then(|c| c.linux_info.as_ref())
            .and_then(|l| l.share_cgroups);
        if share_cgroups == Some(true) {
            return Err(Error::new(
                "The 'share_cgroups' field cannot be set to 'true' on executor containers",
            ));
        }
        if !slave.has_executor(&framework.id, &executor_info.executor_id) {
            total += executor_resources;
        }
    }
    task::validate_task_and_executor_resources(task_info)?;
    if !offered.contains(&total) {
        return Err(Error::new(format!(
            "Total resources {} required by task and its executor is more than available {}",
            total, offered
        )));
    }
    task::validate_share_cgroups(task_info)
}

/// The tasks an operation launches.
fn tasks_of(operation: &Operation) -> Vec<TaskInfo> {
    match operation.r#type() {
        operation::Type::Launch => operation
            .launch
            .as_ref()
            .map(|launch| launch.task_infos.clone())
            .unwrap_or_default(),
        operation::Type::LaunchGroup => operation
            .launch_group
            .as_ref()
            .map(|group| group.task_group.tasks.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

impl Master {
    /// Sends the framework a master-generated update for a task that will
    /// not run.
    fn refuse_task(
        &mut self,
        framework_id: &FrameworkId,
        task_info: &TaskInfo,
        state: TaskState,
        reason: Reason,
        message: String,
    ) {
        let update = create_status_update(
            framework_id,
            Some(task_info.slave_id.clone()),
            &task_info.task_id,
            state,
            Source::Master,
            None,
            StatusUpdateOptions {
                message,
                reason: Some(reason),
                ..StatusUpdateOptions::default()
            },
        );
        match state {
            TaskState::TaskError => self.metrics.tasks_error.increment(),
            TaskState::TaskDropped => self.metrics.tasks_dropped.increment(),
            TaskState::TaskLost => self.metrics.tasks_lost.increment(),
            _ => {}
        }
        self.metrics
            .increment_tasks_states(state as i32, Source::Master as i32, reason as i32);
        self.forward(&update, None, framework_id);
    }

    /// ACCEPT (Mesos' `accept` and `_accept`, for LAUNCH).
    pub(super) fn accept(&mut self, framework_id: &FrameworkId, mut accept: Accept) {
        for operation in &accept.operations {
            if operation.r#type() == operation::Type::Launch {
                if tasks_of(operation).is_empty() {
                    self.metrics.messages_decline_offers.increment();
                    tracing::warn!(
                        "Implicitly declining offers in ACCEPT call for framework {} as the \
                         launch operation specified no tasks",
                        framework_id.value
                    );
                } else {
                    self.metrics.messages_launch_tasks.increment();
                }
            }
        }
        let Some(partition_aware) = self
            .frameworks
            .get(framework_id)
            .map(|f| f.capabilities.partition_aware)
        else {
            return;
        };
        let validation = if accept.offer_ids.is_empty() {
            Err(Error::new("No offers specified"))
        } else {
            validate_offers(self, &accept.offer_ids, framework_id)
        };
        if let Err(error) = validation {
            for offer_id in &accept.offer_ids {
                if self.offers.contains_key(offer_id) {
                    self.discard_offer(offer_id);
                } else {
                    tracing::warn!(
                        "Ignoring accept of offer {} since it is no longer valid",
                        offer_id.value
                    );
                }
            }
            tracing::warn!("ACCEPT call used invalid offers: {}", error);
            let state = if partition_aware {
                TaskState::TaskDropped
            } else {
                TaskState::TaskLost
            };
            for operation in &accept.operations {
                for task_info in tasks_of(operation) {
                    self.refuse_task(
                        framework_id,
                        &task_info,
                        state,
                        Reason::InvalidOffers,
                        format!("Task launched with invalid offers: {}", error),
                    );
                }
            }
            return;
        }

        // The offers are valid: take them, and their resources.
        let first = &self.offers[&accept.offer_ids[0]];
        let slave_id = first.slave_id.clone();
        let allocation_info = first.allocation_info.clone().unwrap_or_default();
        let mut offered = Resources::new();
        let mut accepted = 0;
        for offer_id in &accept.offer_ids {
            if let Some(offer) = self.remove_offer(offer_id) {
                offered += Resources::from(offer.resources.as_slice());
                accepted += 1;
            }
        }
        for operation in &mut accept.operations {
            inject_allocation_info(operation, &allocation_info);
        }
        tracing::info!(
            "Processing ACCEPT call for offers: {:?} on agent {} for framework {}",
            accept
                .offer_ids
                .iter()
                .map(|id| &id.value)
                .collect::<Vec<_>>(),
            slave_id.value,
            framework_id.value
        );

        let connected = self
            .slaves
            .registered
            .get(&slave_id)
            .map(|slave| slave.connected);
        if connected != Some(true) {
            let state = if partition_aware {
                TaskState::TaskDropped
            } else {
                TaskState::TaskLost
            };
            let (reason, message) = match connected {
                None => (Reason::SlaveRemoved, "Agent removed"),
                Some(_) => (Reason::SlaveDisconnected, "Agent disconnected"),
            };
            for operation in &accept.operations {
                for task_info in tasks_of(operation) {
                    self.refuse_task(framework_id, &task_info, state, reason, message.to_string());
                }
            }
            self.allocator
                .recover_resources(framework_id, &slave_id, offered, None, false);
            return;
        }

        if let Some(framework) = self.frameworks.get(framework_id) {
            framework.metrics.offers_accepted.add(accepted);
            for operation in &accept.operations {
                if matches!(
                    operation.r#type(),
                    operation::Type::Launch | operation::Type::LaunchGroup
                ) {
                    framework.metrics.increment_operation(operation.r#type());
                }
            }
        }
        let mut remaining = offered.clone();
        let mut launched = Resources::new();
        for operation in &accept.operations {
            match operation.r#type() {
                operation::Type::Launch => {
                    for mut task_info in tasks_of(operation) {
                        if let Some(executor) = &mut task_info.executor {
                            if executor.framework_id.is_none() {
                                executor.framework_id = Some(framework_id.clone());
                            }
                        }
                        if operation.id.is_some() {
                            self.refuse_task(
                                framework_id,
                                &task_info,
                                TaskState::TaskError,
                                Reason::TaskInvalid,
                                "The `id` field cannot be set on LAUNCH operations".to_string(),
                            );
                            continue;
                        }
                        let available = remaining.non_shared() + offered.shared();
                        match self.launch(framework_id, &slave_id, task_info.clone(), &available) {
                            Ok(consumed) => {
                                remaining -= &consumed;
                                launched += consumed;
                            }
                            Err(error) => self.refuse_task(
                                framework_id,
                                &task_info,
                                TaskState::TaskError,
                                Reason::TaskInvalid,
                                error.to_string(),
                            ),
                        }
                    }
                }
                operation::Type::LaunchGroup => {
                    for task_info in tasks_of(operation) {
                        self.refuse_task(
                            framework_id,
                            &task_info,
                            TaskState::TaskError,
                            Reason::TaskGroupInvalid,
                            "LAUNCH_GROUP is not supported by this master yet".to_string(),
                        );
                    }
                }
                other => tracing::warn!(
                    "Dropping {} operation from framework {}: not supported by this master yet",
                    other.as_str_name(),
                    framework_id.value
                ),
            }
        }
        if !remaining.is_empty() {
            self.allocator.recover_resources(
                framework_id,
                &slave_id,
                remaining,
                // Unset filters are the default ones (5 seconds), as in Mesos.
                Some(accept.filters.unwrap_or_default()),
                false,
            );
        }
        if !launched.is_empty() {
            self.allocator
                .transition_offered_to_allocated(&slave_id, launched);
        }
    }

    /// Validates the task, records it (and a new executor) and sends it
    /// to the agent: what it consumes of `available`.
    fn launch(
        &mut self,
        framework_id: &FrameworkId,
        slave_id: &SlaveId,
        task_info: TaskInfo,
        available: &Resources,
    ) -> Try<Resources> {
        let (Some(framework), Some(slave)) = (
            self.frameworks.get(framework_id),
            self.slaves.registered.get(slave_id),
        ) else {
            return Err(Error::new("Framework or agent is gone"));
        };
        validate_task(&task_info, framework, slave, available)?;
        let mut consumed = Resources::new();
        let mut launch_executor = true;
        if let Some(executor) = &task_info.executor {
            launch_executor = !slave.has_executor(framework_id, &executor.executor_id);
            if launch_executor {
                tracing::info!(
                    "Adding executor '{}' with resources {} of framework {} on agent {}",
                    executor.executor_id.value,
                    Resources::from(executor.resources.as_slice()),
                    framework_id.value,
                    slave_id.value
                );
                consumed += Resources::from(executor.resources.as_slice());
                if let Some(slave) = self.slaves.registered.get_mut(slave_id) {
                    slave.add_executor(framework_id, executor.clone());
                }
                if let Some(framework) = self.frameworks.get_mut(framework_id) {
                    framework.add_executor(slave_id, executor.clone());
                }
            }
        }
        let task = create_task(&task_info, TaskState::TaskStaging, framework_id);
        consumed += Resources::from(task_info.resources.as_slice());
        let Some(slave) = self.slaves.registered.get_mut(slave_id) else {
            return Err(Error::new("Agent is gone"));
        };
        slave.add_task(&task);
        let resource_versions = slave
            .resource_version
            .clone()
            .map(|uuid| create_resource_versions(&HashMap::from([(None, uuid)])))
            .unwrap_or_default();
        let slave_pid = slave.pid.clone();
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return Err(Error::new("Framework is gone"));
        };
        framework.add_task(task);
        tracing::info!(
            "Launching task {} of framework {} with resources {} on agent {} on {}",
            task_info.task_id.value,
            framework_id.value,
            Resources::from(task_info.resources.as_slice()),
            slave_id.value,
            if launch_executor {
                "new executor"
            } else {
                "existing executor"
            }
        );
        // `framework_id` is deprecated: agents since 0.2x read `framework`.
        #[allow(deprecated)]
        let message = RunTaskMessage {
            framework_id: None,
            framework: framework.info.clone(),
            pid: Some(
                framework
                    .pid()
                    .cloned()
                    .unwrap_or_else(libprocess::UPID::empty)
                    .to_string(),
            ),
            task: task_info,
            resource_version_uuids: resource_versions,
            launch_executor: Some(launch_executor),
        };
        libprocess::send_protobuf(&slave_pid, &message);
        Ok(consumed)
    }
}
