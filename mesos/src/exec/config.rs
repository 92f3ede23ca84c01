//! Where an executor finds its agent and itself: the environment the
//! agent launches it with (`MESOS_SLAVE_PID`, `MESOS_SLAVE_ID`, ...), or
//! the same given directly by an in-process test.

use std::collections::HashMap;
use std::fmt;

use libprocess::UPID;
use stout::Duration;

use crate::{ExecutorId, FrameworkId, SlaveId};

/// How long an executor's tasks get to finish after a shutdown before the
/// executor's process group is killed (Mesos'
/// `DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD`).
pub(super) const DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD: Duration = Duration::from_secs(5);

/// How long a checkpointing executor waits for its agent to come back
/// (Mesos' `RECOVERY_TIMEOUT`).
pub(super) const RECOVERY_TIMEOUT: Duration = Duration::from_mins(15);

/// The executor driver's configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutorConfig {
    /// The agent's pid (`MESOS_SLAVE_PID`).
    pub slave_pid: UPID,
    /// The agent's id (`MESOS_SLAVE_ID`).
    pub slave_id: SlaveId,
    /// `MESOS_FRAMEWORK_ID`.
    pub framework_id: FrameworkId,
    /// `MESOS_EXECUTOR_ID`.
    pub executor_id: ExecutorId,
    /// The sandbox (`MESOS_DIRECTORY`).
    pub directory: String,
    /// Whether the framework checkpoints (`MESOS_CHECKPOINT=1`): then the
    /// executor waits `recovery_timeout` for a restarted agent.
    pub checkpoint: bool,
    /// `MESOS_RECOVERY_TIMEOUT`, read only when checkpointing.
    pub recovery_timeout: Duration,
    /// `MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD`.
    pub shutdown_grace_period: Duration,
    /// Run inside the agent's (or a test's) OS process (`MESOS_LOCAL` is
    /// set): shutting down terminates the driver's process instead of
    /// killing the process group.
    pub local: bool,
}

/// Why the environment does not configure an executor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecutorConfigError {
    /// A required variable is not set.
    Missing(&'static str),
    /// A variable's value does not parse.
    Invalid {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// Why it does not parse.
        error: String,
    },
}

impl fmt::Display for ExecutorConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecutorConfigError::Missing(name) => {
                write!(f, "Expecting '{}' to be set in the environment", name)
            }
            ExecutorConfigError::Invalid { name, value, error } => write!(
                f,
                "Failed to parse value '{}' of '{}': {}",
                value, name, error
            ),
        }
    }
}

impl std::error::Error for ExecutorConfigError {}

impl ExecutorConfig {
    /// The configuration in this OS process' environment.
    pub fn from_env() -> Result<ExecutorConfig, ExecutorConfigError> {
        ExecutorConfig::from_environment(&std::env::vars().collect())
    }

    /// The configuration in `environment`, with Mesos' defaults for the
    /// optional variables.
    pub fn from_environment(
        environment: &HashMap<String, String>,
    ) -> Result<ExecutorConfig, ExecutorConfigError> {
        let required = |name: &'static str| {
            environment
                .get(name)
                .cloned()
                .ok_or(ExecutorConfigError::Missing(name))
        };
        let duration = |name: &'static str, default: Duration| match environment.get(name) {
            None => Ok(default),
            Some(value) => Duration::parse(value).map_err(|error| ExecutorConfigError::Invalid {
                name,
                value: value.clone(),
                error: error.to_string(),
            }),
        };

        let pid = required("MESOS_SLAVE_PID")?;
        let slave_pid = UPID::parse(&pid).map_err(|error| ExecutorConfigError::Invalid {
            name: "MESOS_SLAVE_PID",
            value: pid.clone(),
            error: error.to_string(),
        })?;
        let slave_id = SlaveId {
            value: required("MESOS_SLAVE_ID")?,
        };
        let framework_id = FrameworkId {
            value: required("MESOS_FRAMEWORK_ID")?,
        };
        let executor_id = ExecutorId {
            value: required("MESOS_EXECUTOR_ID")?,
        };
        let directory = required("MESOS_DIRECTORY")?;
        let shutdown_grace_period = duration(
            "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD",
            DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD,
        )?;
        let checkpoint = environment.get("MESOS_CHECKPOINT").map(String::as_str) == Some("1");
        let recovery_timeout = if checkpoint {
            duration("MESOS_RECOVERY_TIMEOUT", RECOVERY_TIMEOUT)?
        } else {
            RECOVERY_TIMEOUT
        };
        Ok(ExecutorConfig {
            slave_pid,
            slave_id,
            framework_id,
            executor_id,
            directory,
            checkpoint,
            recovery_timeout,
            shutdown_grace_period,
            local: environment.contains_key("MESOS_LOCAL"),
        })
    }
}
