//! An `ExecutorInfo` a framework sends (Mesos' `validation::executor`).
//!
//! [`validate`] is what holds of any executor; when the executor comes
//! with a launch, the master also checks its framework ID
//! ([`validate_framework_id`]) and resources ([`validate_resources`]),
//! and that it matches an executor of the same ID already on the agent.

use stout::Try;

use super::{fail, resource};
use crate::common::resources::Resources;
use crate::common::validation;
use crate::container_info::Type as ContainerType;
use crate::executor_info::Type;
use crate::{ExecutorInfo, FrameworkId};

/// Checks the executor's type, ID, shutdown grace period, command and
/// container, in that order; the first error.
pub fn validate(executor: &ExecutorInfo) -> Try<()> {
    validate_type(executor)?;
    validate_executor_id(executor)?;
    validate_shutdown_grace_period(executor)?;
    validate_command_info(executor)?;
    validate_container_info(executor)
}

/// The executor's ID is a valid ID
/// ([`validate_id`](crate::common::validation::validate_id)).
pub fn validate_executor_id(executor: &ExecutorInfo) -> Try<()> {
    validation::validate_executor_id(&executor.executor_id)
}

/// A `DEFAULT` executor has no command and, if it has a container, a
/// Mesos container without an image; a `CUSTOM` executor has a command.
/// An executor of unknown type (one newer than this master) passes.
pub fn validate_type(executor: &ExecutorInfo) -> Try<()> {
    match executor.r#type() {
        Type::Default => {
            if executor.command.is_some() {
                return fail("'ExecutorInfo.command' must not be set for 'DEFAULT' executor");
            }
            if let Some(container) = &executor.container {
                if container.r#type != ContainerType::Mesos as i32 {
                    return fail(
                        "'ExecutorInfo.container.type' must be 'MESOS' for 'DEFAULT' executor",
                    );
                }
                if container.mesos.as_ref().is_some_and(|m| m.image.is_some()) {
                    return fail(
                        "'ExecutorInfo.container.mesos.image' must not be set for 'DEFAULT' \
                         executor",
                    );
                }
            }
        }
        Type::Custom => {
            if executor.command.is_none() {
                return fail("'ExecutorInfo.command' must be set for 'CUSTOM' executor");
            }
        }
        Type::Unknown => {}
    }
    Ok(())
}

/// The executor names the framework launching it, `framework_id` (the
/// master fills the field in for executors of launch operations).
pub fn validate_framework_id(executor: &ExecutorInfo, framework_id: &FrameworkId) -> Try<()> {
    let Some(actual) = &executor.framework_id else {
        return fail("'ExecutorInfo.framework_id' must be set");
    };
    if actual != framework_id {
        return fail(format!(
            "ExecutorInfo has an invalid FrameworkID (Actual: {} vs Expected: {})",
            actual.value, framework_id.value
        ));
    }
    Ok(())
}

/// The shutdown grace period, if any, is not negative.
pub fn validate_shutdown_grace_period(executor: &ExecutorInfo) -> Try<()> {
    if executor
        .shutdown_grace_period
        .is_some_and(|period| period.nanoseconds < 0)
    {
        return fail("ExecutorInfo's 'shutdown_grace_period' must be non-negative");
    }
    Ok(())
}

/// The executor's resources are valid
/// ([`resource::validate`]), with unique persistence IDs, allocated to
/// one role, and not mixing revocable and non-revocable resources of a
/// name.
pub fn validate_resources(executor: &ExecutorInfo) -> Try<()> {
    resource::validate(&executor.resources)
        .map_err(|e| e.context("Executor uses invalid resources"))?;
    let resources = Resources::from(executor.resources.as_slice());
    resource::validate_unique_persistence_id(&resources)
        .map_err(|e| e.context("Executor uses duplicate persistence ID"))?;
    resource::validate_allocated_to_single_role(&resources)
        .map_err(|e| e.context("Invalid executor resources"))?;
    resource::validate_revocable_and_non_revocable_resources(&resources)
        .map_err(|e| e.context("Executor mixes revocable and non-revocable resources"))
}

/// The executor's command, if any, is valid
/// ([`validate_command_info`](crate::common::validation::validate_command_info)).
pub fn validate_command_info(executor: &ExecutorInfo) -> Try<()> {
    match &executor.command {
        Some(command) => validation::validate_command_info(command)
            .map_err(|e| e.context("Executor's `CommandInfo` is invalid")),
        None => Ok(()),
    }
}

/// The executor's container, if any, is valid
/// ([`validate_container_info`](crate::common::validation::validate_container_info)).
pub fn validate_container_info(executor: &ExecutorInfo) -> Try<()> {
    match &executor.container {
        Some(container) => validation::validate_container_info(container)
            .map_err(|e| e.context("Executor's `ContainerInfo` is invalid")),
        None => Ok(()),
    }
}
