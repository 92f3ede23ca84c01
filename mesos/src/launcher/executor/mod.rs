//! Mesos' command executor (`src/launcher/executor.cpp`): subscribes
//! with the agent through the v1 executor library, runs its one task's
//! `CommandInfo` (`sh -c <value>`, or `value` with `arguments`) in a
//! session of its own, reports TASK_STARTING, TASK_RUNNING and how it
//! ended, kills it with SIGTERM and then SIGKILL after the kill policy's
//! grace period, and exits once the terminal update is acknowledged.
//!
//! ```no_run
//! use mesos::launcher::executor::{self, Exit};
//!
//! let environment = stout::os::environment();
//! let flags = stout::FlagSet::<executor::Flags>::new();
//! let (settings, config) = executor::configure(&flags, &environment).expect("an executor");
//! let exit = executor::spawn(settings, config);
//! assert_eq!(exit.wait_for(stout::Duration::from_secs(60)), true);
//! ```

mod flags;
mod process;
mod state;

use std::collections::BTreeMap;

use libprocess::Future;
use stout::Duration;

pub use flags::{Flags, PKGLIBEXECDIR};
pub use state::Settings;

use crate::v1::executor::{Config, ContentType};
use crate::v1::{CommandInfo, Environment, ExecutorId, FrameworkId};
use process::CommandExecutorProcess;

/// How long an executor has to shut down when the agent does not say
/// (Mesos' `DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD`).
pub const DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD: Duration = Duration::from_secs(5);

/// How the command executor ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The terminal update was acknowledged, or there was no task to run.
    Success,
    /// It gave up, for this reason (Mesos exits with `EXIT_FAILURE`).
    Failure(String),
}

/// Spawns the command executor on the current runtime; the future
/// completes when it is done.
pub fn spawn(settings: Settings, config: Config) -> Future<Exit> {
    let (process, exit) = CommandExecutorProcess::new(settings, ContentType::Protobuf, config);
    libprocess::spawn(process);
    exit
}

/// The executor's settings and the library's configuration from its flags
/// and the environment the agent gave it, or Mesos' error.
pub fn configure(
    flags: &Flags,
    environment: &BTreeMap<String, String>,
) -> Result<(Settings, Config), String> {
    let unsupported = [
        ("rootfs", flags.rootfs.is_some()),
        ("user", flags.user.is_some()),
        (
            "effective_capabilities",
            flags.effective_capabilities.is_some(),
        ),
        (
            "bounding_capabilities",
            flags.bounding_capabilities.is_some(),
        ),
        ("tty_slave_path", flags.tty_slave_path.is_some()),
        ("task_launch_info", flags.task_launch_info.is_some()),
        (
            "task_supplementary_groups",
            flags.task_supplementary_groups.is_some(),
        ),
    ];
    // These need Mesos' containerizer launch helper, which this port's
    // command executor does without: refuse rather than ignore them.
    if let Some((name, _)) = unsupported.iter().find(|(_, given)| *given) {
        return Err(format!(
            "Flag '--{}' is not supported by this command executor",
            name
        ));
    }
    let required = |name: &str| {
        environment
            .get(name)
            .cloned()
            .ok_or_else(|| format!("Expecting '{}' to be set in the environment", name))
    };
    let framework_id = FrameworkId {
        value: required("MESOS_FRAMEWORK_ID")?,
    };
    let executor_id = ExecutorId {
        value: required("MESOS_EXECUTOR_ID")?,
    };
    let shutdown_grace_period = match environment.get("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD") {
        Some(value) => Duration::parse(value).map_err(|e| {
            format!(
                "Failed to parse value '{}' of 'MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD': {}",
                value, e
            )
        })?,
        None => DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD,
    };
    let task_command = flags
        .task_command
        .as_deref()
        .map(|text| {
            let json: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("Failed to parse JSON: {}", e))?;
            crate::json::parse::<CommandInfo>(&json)
                .map_err(|e| format!("Failed to parse protobuf: {}", e))
        })
        .transpose()?;
    let task_environment = flags
        .task_environment
        .as_ref()
        .map(|json| {
            crate::json::parse::<Environment>(json)
                .map_err(|e| format!("Failed to load flag 'task_environment': {}", e))
        })
        .transpose()?;
    let config = Config::from_environment(environment).map_err(|e| e.to_string())?;
    // The token is the executor's alone, never its task's.
    let mut environment = environment.clone();
    environment.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    let settings = Settings {
        framework_id,
        executor_id,
        shutdown_grace_period,
        task_command,
        task_environment,
        environment,
    };
    Ok((settings, config))
}
