//! Checks on protocol messages that the master and the agent share
//! (Mesos' `src/common/validation.cpp`): IDs, secrets, environments,
//! volumes, containers, health checks and checks, offer filters. Each
//! returns Mesos' error text.

use std::borrow::Cow;
use std::num::FpCategory;

use stout::{Error, Try};

use crate::common::resources::Resources;
use crate::container_info::Type as ContainerType;
use crate::environment::variable::Type as VariableType;
use crate::secret::Type as SecretType;
use crate::volume::source::Type as SourceType;
use crate::{check_info, health_check};
use crate::{
    CheckInfo, CheckStatusInfo, CommandInfo, ContainerInfo, Environment, ExecutorId, FrameworkId,
    HealthCheck, OfferFilters, Resource, Secret, SlaveId, TaskId, Volume,
};

/// The longest file name Linux allows: IDs become directory names.
const NAME_MAX: usize = 255;

fn fail<T>(message: impl Into<Cow<'static, str>>) -> Try<T> {
    Err(Error::new(message))
}

/// Checks what every ID must be: not empty, at most 255 bytes, not `.` or
/// `..`, and without control characters or path separators (`/`, `\`),
/// since IDs name directories.
pub fn validate_id(id: &str) -> Try<()> {
    if id.is_empty() {
        return fail("ID must not be empty");
    }
    if id.len() > NAME_MAX {
        return fail(format!(
            "ID must not be greater than {} characters",
            NAME_MAX
        ));
    }
    if id == "." || id == ".." {
        return fail(format!("'{}' is disallowed", id));
    }
    let invalid = |byte: u8| byte.is_ascii_control() || byte == b'/' || byte == b'\\';
    if id.bytes().any(invalid) {
        return fail(format!("'{}' contains invalid characters", id));
    }
    Ok(())
}

/// A task ID: [`validate_id`].
pub fn validate_task_id(task_id: &TaskId) -> Try<()> {
    validate_id(&task_id.value)
}

/// An executor ID: [`validate_id`].
pub fn validate_executor_id(executor_id: &ExecutorId) -> Try<()> {
    validate_id(&executor_id.value)
}

/// An agent ID: [`validate_id`].
pub fn validate_slave_id(slave_id: &SlaveId) -> Try<()> {
    validate_id(&slave_id.value)
}

/// A framework ID: [`validate_id`].
pub fn validate_framework_id(framework_id: &FrameworkId) -> Try<()> {
    validate_id(&framework_id.value)
}

/// A secret has the field its type names and not the other one. A
/// secret of unknown type passes.
pub fn validate_secret(secret: &Secret) -> Try<()> {
    match secret.r#type() {
        SecretType::Reference => {
            let Some(reference) = &secret.reference else {
                return fail("Secret of type REFERENCE must have the 'reference' field set");
            };
            if secret.value.is_some() {
                return fail(format!(
                    "Secret '{}' of type REFERENCE must not have the 'value' field set",
                    reference.name
                ));
            }
        }
        SecretType::Value => {
            if secret.value.is_none() {
                return fail("Secret of type VALUE must have the 'value' field set");
            }
            if secret.reference.is_some() {
                return fail("Secret of type VALUE must not have the 'reference' field set");
            }
        }
        SecretType::Unknown => {}
    }
    Ok(())
}

/// Each variable has a value or a valid secret, as its type says; a
/// secret's value cannot hold NUL bytes (the environment could not carry
/// them). A variable of a type this version does not know reads as
/// `VALUE`, the field's default.
pub fn validate_environment(environment: &Environment) -> Try<()> {
    for variable in &environment.variables {
        let name = &variable.name;
        match variable.r#type() {
            VariableType::Secret => {
                let Some(secret) = &variable.secret else {
                    return fail(format!(
                        "Environment variable '{}' of type 'SECRET' must have a secret set",
                        name
                    ));
                };
                if variable.value.is_some() {
                    return fail(format!(
                        "Environment variable '{}' of type 'SECRET' must not have a value set",
                        name
                    ));
                }
                validate_secret(secret).map_err(|e| {
                    e.context(format!(
                        "Environment variable '{}' specifies an invalid secret",
                        name
                    ))
                })?;
                if secret.value.as_ref().is_some_and(|v| v.data.contains(&0)) {
                    return fail(format!(
                        "Environment variable '{}' specifies a secret containing null bytes, \
                         which is not allowed in the environment",
                        name
                    ));
                }
            }
            VariableType::Value => {
                if variable.value.is_none() {
                    return fail(format!(
                        "Environment variable '{}' of type 'VALUE' must have a value set",
                        name
                    ));
                }
                if variable.secret.is_some() {
                    return fail(format!(
                        "Environment variable '{}' of type 'VALUE' must not have a secret set",
                        name
                    ));
                }
            }
            VariableType::Unknown => {
                return fail("Environment variable of type 'UNKNOWN' is not allowed");
            }
        }
    }
    Ok(())
}

/// A command: so far only its environment is checked.
pub fn validate_command_info(command: &CommandInfo) -> Try<()> {
    match &command.environment {
        Some(environment) => validate_environment(environment),
        None => Ok(()),
    }
}

/// A volume comes from exactly one of a host path, an image or a source,
/// and a source has the field its type names.
pub fn validate_volume(volume: &Volume) -> Try<()> {
    let origins = [
        volume.host_path.is_some(),
        volume.image.is_some(),
        volume.source.is_some(),
    ];
    if origins.iter().filter(|&&set| set).count() != 1 {
        return fail("Only one of them should be set: 'host_path', 'image' and 'source'");
    }
    let Some(source) = &volume.source else {
        return Ok(());
    };
    let missing = match source.r#type() {
        SourceType::DockerVolume => source.docker_volume.is_none().then_some("docker_volume"),
        SourceType::HostPath => source.host_path.is_none().then_some("host_path"),
        SourceType::SandboxPath => source.sandbox_path.is_none().then_some("sandbox_path"),
        SourceType::Secret => source.secret.is_none().then_some("secret"),
        SourceType::CsiVolume => {
            let Some(csi) = &source.csi_volume else {
                return fail("'source.csi_volume' is not set for CSI volume");
            };
            if csi.static_provisioning.is_none() {
                return fail("'source.csi_volume.static_provisioning' is not set for CSI volume");
            }
            None
        }
        SourceType::Unknown => return fail("'source.type' is unknown"),
    };
    match missing {
        Some(field) => fail(format!(
            "'source.{}' is not set for {} volume",
            field,
            source.r#type().as_str_name()
        )),
        None => Ok(()),
    }
}

/// A container's volumes are valid, and a Docker container has its
/// `DockerInfo`, without a `name` parameter (the Docker containerizer
/// names its containers itself and finds them by those names).
///
/// Mesos also logs a warning when the message sets the fields of more
/// than one container type; that is no error, and not checked here.
pub fn validate_container_info(container: &ContainerInfo) -> Try<()> {
    for volume in &container.volumes {
        validate_volume(volume).map_err(|e| e.context("Invalid volume"))?;
    }
    if container.r#type == ContainerType::Docker as i32 {
        let Some(docker) = &container.docker else {
            return fail("DockerInfo 'docker' is not set for DOCKER typed ContainerInfo");
        };
        if docker.parameters.iter().any(|p| p.key == "name") {
            return fail("Parameter in DockerInfo must not be 'name'");
        }
    }
    Ok(())
}

/// GPUs come whole: the sum of the `gpus` has no fraction (scalars keep
/// three decimals).
pub fn validate_gpus(resources: &[Resource]) -> Try<()> {
    let gpus = Resources::from(resources).gpus().unwrap_or(0.0);
    // As Mesos: the thousandths, truncated to an integer.
    if (gpus * 1000.0) as i64 % 1000 != 0 {
        return fail("The 'gpus' resource must be an unsigned integer");
    }
    Ok(())
}

/// A health check has a known type and the matching field; a command
/// has a value and a valid environment, an HTTP check the `http` or
/// `https` scheme and an absolute path; no timing is negative.
pub fn validate_health_check(check: &HealthCheck) -> Try<()> {
    // An enum value this version does not know is, as protobuf decodes
    // it in Mesos, no type at all.
    let Some(kind) = check
        .r#type
        .and_then(|t| health_check::Type::try_from(t).ok())
    else {
        return fail("HealthCheck must specify 'type'");
    };
    match kind {
        health_check::Type::Command => {
            let Some(command) = &check.command else {
                return fail("Expecting 'command' to be set for COMMAND health check");
            };
            if command.value.is_none() {
                return fail(format!(
                    "Command health check must contain {}",
                    command_kind(command)
                ));
            }
            validate_command_info(command)
                .map_err(|e| e.context("Health check's `CommandInfo` is invalid"))?;
        }
        health_check::Type::Http => {
            let Some(http) = &check.http else {
                return fail("Expecting 'http' to be set for HTTP health check");
            };
            if let Some(scheme) = http
                .scheme
                .as_ref()
                .filter(|s| *s != "http" && *s != "https")
            {
                return fail(format!(
                    "Unsupported HTTP health check scheme: '{}'",
                    scheme
                ));
            }
            if let Some(path) = http.path.as_ref().filter(|p| !p.starts_with('/')) {
                return fail(format!(
                    "The path '{}' of HTTP health check must start with '/'",
                    path
                ));
            }
        }
        health_check::Type::Tcp => {
            if check.tcp.is_none() {
                return fail("Expecting 'tcp' to be set for TCP health check");
            }
        }
        health_check::Type::Unknown => {
            return fail(format!(
                "'{}' is not a valid health check type",
                kind.as_str_name()
            ));
        }
    }
    non_negative("delay_seconds", check.delay_seconds)?;
    non_negative("grace_period_seconds", check.grace_period_seconds)?;
    non_negative("interval_seconds", check.interval_seconds)?;
    non_negative("timeout_seconds", check.timeout_seconds)
}

/// A check has a known type and the matching field; a command has a
/// value and a valid environment, an HTTP check an absolute path; no
/// timing is negative.
pub fn validate_check_info(check: &CheckInfo) -> Try<()> {
    let Some(kind) = check
        .r#type
        .and_then(|t| check_info::Type::try_from(t).ok())
    else {
        return fail("CheckInfo must specify 'type'");
    };
    match kind {
        check_info::Type::Command => {
            let Some(command) = &check.command else {
                return fail("Expecting 'command' to be set for COMMAND check");
            };
            let command = &command.command;
            if command.value.is_none() {
                return fail(format!(
                    "Command check must contain {}",
                    command_kind(command)
                ));
            }
            validate_command_info(command)
                .map_err(|e| e.context("Check's `CommandInfo` is invalid"))?;
        }
        check_info::Type::Http => {
            let Some(http) = &check.http else {
                return fail("Expecting 'http' to be set for HTTP check");
            };
            if let Some(path) = http.path.as_ref().filter(|p| !p.starts_with('/')) {
                return fail(format!(
                    "The path '{}' of HTTP check must start with '/'",
                    path
                ));
            }
        }
        check_info::Type::Tcp => {
            if check.tcp.is_none() {
                return fail("Expecting 'tcp' to be set for TCP check");
            }
        }
        check_info::Type::Unknown => {
            return fail(format!(
                "'{}' is not a valid check type",
                kind.as_str_name()
            ));
        }
    }
    non_negative("delay_seconds", check.delay_seconds)?;
    non_negative("interval_seconds", check.interval_seconds)?;
    non_negative("timeout_seconds", check.timeout_seconds)
}

/// A check's status has a known type and the matching field.
pub fn validate_check_status_info(status: &CheckStatusInfo) -> Try<()> {
    let Some(kind) = status
        .r#type
        .and_then(|t| check_info::Type::try_from(t).ok())
    else {
        return fail("CheckStatusInfo must specify 'type'");
    };
    let present = match kind {
        check_info::Type::Command => status.command.is_some(),
        check_info::Type::Http => status.http.is_some(),
        check_info::Type::Tcp => status.tcp.is_some(),
        check_info::Type::Unknown => {
            return fail(format!(
                "'{}' is not a valid check's status type",
                kind.as_str_name()
            ));
        }
    };
    if !present {
        let field = kind.as_str_name().to_lowercase();
        return fail(format!(
            "Expecting '{}' to be set for {} check's status",
            field,
            kind.as_str_name()
        ));
    }
    Ok(())
}

/// Each set of minimum allocatable quantities names at least one
/// resource, with a finite, non-negative, normal (or zero) amount.
pub fn validate_offer_filters(filters: &OfferFilters) -> Try<()> {
    let Some(minimum) = &filters.min_allocatable_resources else {
        return Ok(());
    };
    for quantities in &minimum.quantities {
        if quantities.quantities.is_empty() {
            return fail("Resource quantities must contain at least one quantity");
        }
        // Sorted so that the error, should several quantities be wrong,
        // does not depend on the map's order.
        let mut entries: Vec<_> = quantities.quantities.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (name, scalar) in entries {
            validate_input_scalar_value(scalar.value)
                .map_err(|e| e.context(format!("Invalid resource quantity for '{}'", name)))?;
        }
    }
    Ok(())
}

/// An amount a user gives: not infinite, not NaN, not subnormal, not
/// negative.
pub fn validate_input_scalar_value(value: f64) -> Try<()> {
    match value.classify() {
        FpCategory::Infinite => fail("Infinite values not supported"),
        FpCategory::Nan => fail("NaN not supported"),
        FpCategory::Subnormal => fail("Subnormal values not supported"),
        FpCategory::Normal if value < 0.0 => fail("Negative values not supported"),
        FpCategory::Normal | FpCategory::Zero => Ok(()),
    }
}

/// What a command without a value lacks, for the error.
fn command_kind(command: &CommandInfo) -> &'static str {
    if command.shell() {
        "'shell command'"
    } else {
        "'executable path'"
    }
}

fn non_negative(field: &str, seconds: Option<f64>) -> Try<()> {
    if seconds.is_some_and(|s| s < 0.0) {
        return fail(format!("Expecting '{}' to be non-negative", field));
    }
    Ok(())
}
