//! The parts of a `TaskInfo` the master checks before launching a task
//! (Mesos' `validation::task::internal`), and the resources of a task
//! group with its executor ([`group`]).
//!
//! When launching, the master runs, in this order: [`validate_task_id`],
//! its check that the ID is new to the framework, [`validate_slave_id`],
//! [`validate_kill_policy`], [`validate_max_completion_time`],
//! [`validate_check`], [`validate_health_check`],
//! [`validate_resources`], [`validate_command_info`],
//! [`validate_container_info`] and [`validate_resource_limits`]; then
//! the task's executor, [`validate_task_and_executor_resources`] among
//! its checks; then [`validate_share_cgroups`].

use stout::{Bytes, Try};

use super::{fail, resource};
use crate::common::protobuf_utils::slave::Capabilities;
use crate::common::resources::Resources;
use crate::common::validation;
use crate::{SlaveId, TaskInfo};

/// The task's ID is a valid ID
/// ([`validate_id`](crate::common::validation::validate_id)).
pub fn validate_task_id(task: &TaskInfo) -> Try<()> {
    validation::validate_task_id(&task.task_id)
}

/// The task is for the agent `slave_id`, the one its offer came from.
pub fn validate_slave_id(task: &TaskInfo, slave_id: &SlaveId) -> Try<()> {
    if task.slave_id != *slave_id {
        return fail(format!(
            "Task uses invalid agent {} while agent {} is expected",
            task.slave_id.value, slave_id.value
        ));
    }
    Ok(())
}

/// The kill policy's grace period, if any, is not negative.
pub fn validate_kill_policy(task: &TaskInfo) -> Try<()> {
    let grace_period = task.kill_policy.and_then(|policy| policy.grace_period);
    if grace_period.is_some_and(|period| period.nanoseconds < 0) {
        return fail("Task's 'kill_policy.grace_period' must be non-negative");
    }
    Ok(())
}

/// The maximum completion time, if any, is not negative.
pub fn validate_max_completion_time(task: &TaskInfo) -> Try<()> {
    if task
        .max_completion_time
        .is_some_and(|time| time.nanoseconds < 0)
    {
        return fail("Task's `max_completion_time` must be non-negative");
    }
    Ok(())
}

/// The task's check, if any, is valid
/// ([`validate_check_info`](crate::common::validation::validate_check_info)).
pub fn validate_check(task: &TaskInfo) -> Try<()> {
    match &task.check {
        Some(check) => {
            validation::validate_check_info(check).map_err(|e| e.context("Task uses invalid check"))
        }
        None => Ok(()),
    }
}

/// The task's health check, if any, is valid
/// ([`validate_health_check`](crate::common::validation::validate_health_check)).
pub fn validate_health_check(task: &TaskInfo) -> Try<()> {
    match &task.health_check {
        Some(check) => validation::validate_health_check(check)
            .map_err(|e| e.context("Task uses invalid health check")),
        None => Ok(()),
    }
}

/// The task uses some resources, valid ones ([`resource::validate`]),
/// with unique persistence IDs, allocated to one role, and not mixing
/// revocable and non-revocable resources of a name.
pub fn validate_resources(task: &TaskInfo) -> Try<()> {
    if task.resources.is_empty() {
        return fail("Task uses no resources");
    }
    resource::validate(&task.resources).map_err(|e| e.context("Task uses invalid resources"))?;
    let resources = Resources::from(task.resources.as_slice());
    resource::validate_unique_persistence_id(&resources)
        .map_err(|e| e.context("Task uses duplicate persistence ID"))?;
    resource::validate_allocated_to_single_role(&resources)
        .map_err(|e| e.context("Invalid task resources"))?;
    resource::validate_revocable_and_non_revocable_resources(&resources)
        .map_err(|e| e.context("Task mixes revocable and non-revocable resources"))
}

/// The resources of the task and of its executor (if any) together are
/// valid, do not overlap (the same port in both, say), have unique
/// persistence IDs and do not mix revocable and non-revocable resources
/// of a name.
pub fn validate_task_and_executor_resources(task: &TaskInfo) -> Try<()> {
    let task_resources = Resources::from(task.resources.as_slice());
    let executor_resources = task
        .executor
        .as_ref()
        .map(|executor| Resources::from(executor.resources.as_slice()));
    let mut total = task_resources.clone();
    if let Some(executor_resources) = &executor_resources {
        total += executor_resources;
    }
    resource::validate(&total.to_vec())
        .map_err(|e| e.context("Task and its executor use invalid resources"))?;
    // Only once the sum is known to be valid are the parts compared.
    if let Some(executor_resources) = executor_resources {
        let parts = [task_resources, executor_resources];
        if resource::detect_overlapping_set_and_range_resources(&parts) {
            return fail(format!(
                "There are overlapping resources in the task resources {} and executor \
                 resources {}",
                parts[0], parts[1]
            ));
        }
    }
    resource::validate_unique_persistence_id(&total)
        .map_err(|e| e.context("Task and its executor use duplicate persistence ID"))?;
    resource::validate_revocable_and_non_revocable_resources(&total)
        .map_err(|e| e.context("Task and its executor mix revocable and non-revocable resources"))
}

/// The task's command, if any, is valid
/// ([`validate_command_info`](crate::common::validation::validate_command_info)).
pub fn validate_command_info(task: &TaskInfo) -> Try<()> {
    match &task.command {
        Some(command) => validation::validate_command_info(command)
            .map_err(|e| e.context("Task's `CommandInfo` is invalid")),
        None => Ok(()),
    }
}

/// The task's container, if any, is valid
/// ([`validate_container_info`](crate::common::validation::validate_container_info)).
pub fn validate_container_info(task: &TaskInfo) -> Try<()> {
    match &task.container {
        Some(container) => validation::validate_container_info(container)
            .map_err(|e| e.context("Task's `ContainerInfo` is invalid")),
        None => Ok(()),
    }
}

/// Resource limits, if the task sets any: the agent supports them, they
/// name only `cpus` and `mem`, and each is at least what the task
/// requests of it (a memory limit may be infinite).
pub fn validate_resource_limits(task: &TaskInfo, agent: &Capabilities) -> Try<()> {
    let limits = &task.limits;
    if limits.is_empty() {
        return Ok(());
    }
    if !agent.task_resource_limits {
        return fail("Agent is not capable of handling task resource limits");
    }
    let (cpus, mem) = (limits.get("cpus"), limits.get("mem"));
    if limits.len() > usize::from(cpus.is_some()) + usize::from(mem.is_some()) {
        return fail("Only cpus and mem may be included in a task's resource limits");
    }
    let requested = Resources::from(task.resources.as_slice());
    if let Some(limit) = cpus {
        let Some(request) = requested.cpus() else {
            return fail("When a CPU limit is specified, a CPU request must also be specified");
        };
        if limit.value < request {
            return fail("The cpu limit must be greater than or equal to the cpu request");
        }
    }
    if let Some(limit) = mem {
        let Some(request) = requested.mem() else {
            return fail(
                "When a memory limit is specified, a memory request must also be specified",
            );
        };
        // Whole megabytes, the fraction dropped, as Mesos converts it.
        if !limit.value.is_infinite() && Bytes::megabytes(limit.value as u64) < request {
            return fail("The memory limit must be greater than or equal to the memory request");
        }
    }
    Ok(())
}

/// A task launched alone (not in a task group) cannot ask for cgroups of
/// its own (`share_cgroups` false).
pub fn validate_share_cgroups(task: &TaskInfo) -> Try<()> {
    let share_cgroups = task
        .container
        .as_ref()
        .and_then(|container| container.linux_info.as_ref())
        .and_then(|linux| linux.share_cgroups);
    if share_cgroups == Some(false) {
        return fail("Only tasks in a task group may have 'share_cgroups' set to 'false'");
    }
    Ok(())
}

/// The tasks of a task group (Mesos' `validation::task::group::internal`).
pub mod group {
    use stout::Try;

    use super::super::{fail, resource};
    use crate::common::resources::Resources;
    use crate::{ExecutorInfo, TaskGroupInfo};

    /// The resources of the group's tasks and of their executor together
    /// have unique persistence IDs, do not mix revocable and non-revocable
    /// resources of a name, and do not overlap (one port in two tasks,
    /// say).
    pub fn validate_task_group_and_executor_resources(
        group: &TaskGroupInfo,
        executor: &ExecutorInfo,
    ) -> Try<()> {
        let executor_resources = Resources::from(executor.resources.as_slice());
        let task_resources: Vec<Resources> = group
            .tasks
            .iter()
            .map(|task| Resources::from(task.resources.as_slice()))
            .collect();
        let mut total = executor_resources.clone();
        for resources in &task_resources {
            total += resources;
        }
        resource::validate_unique_persistence_id(&total)
            .map_err(|e| e.context("Task group and executor use duplicate persistence ID"))?;
        resource::validate_revocable_and_non_revocable_resources(&total).map_err(|e| {
            e.context("Task group and executor mix revocable and non-revocable resources")
        })?;

        let mut all = task_resources.clone();
        all.push(executor_resources.clone());
        if resource::detect_overlapping_set_and_range_resources(&all) {
            // The tasks' resources as stout prints a vector.
            let tasks: Vec<String> = task_resources.iter().map(ToString::to_string).collect();
            return fail(format!(
                "There are overlapping resources in the task group's task resources [ {} ] \
                 and/or executor resources {}",
                tasks.join(", "),
                executor_resources
            ));
        }
        Ok(())
    }
}
