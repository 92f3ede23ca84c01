//! What the executor library needs to know, from the environment the
//! agent gives an executor (`MESOS_SLAVE_PID`, `MESOS_CHECKPOINT`, ...) or
//! given explicitly.

use std::collections::BTreeMap;
use std::fmt;

use libprocess::http::{self, Url};
use libprocess::UPID;
use stout::Duration;

/// Where the agent is and how to behave when the connection to it breaks
/// (Mesos reads these in `MesosProcess`' constructor).
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The agent's `/api/v1/executor` endpoint.
    pub agent: Url,
    /// `MESOS_LOCAL`: the executor runs inside the agent's OS process (tests),
    /// so a shutdown terminates the library instead of killing the
    /// process group.
    pub local: bool,
    /// `MESOS_CHECKPOINT=1`: the framework checkpoints, so the library
    /// reconnects after a disconnection (the agent may be recovering).
    pub checkpoint: bool,
    /// `MESOS_RECOVERY_TIMEOUT`: how long to keep trying to reconnect
    /// (with checkpointing).
    pub recovery_timeout: Option<Duration>,
    /// `MESOS_SUBSCRIPTION_BACKOFF_MAX`: the largest wait between
    /// reconnection attempts (with checkpointing).
    pub max_backoff: Option<Duration>,
    /// `MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD`: how long a shut down
    /// executor has before its process group is killed.
    pub shutdown_grace_period: Duration,
    /// `MESOS_EXECUTOR_AUTHENTICATION_TOKEN`: sent as a bearer token.
    pub authentication_token: Option<String>,
}

/// Why the environment did not configure the library; the text is
/// Mesos'.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// A variable the library needs is not set.
    Missing(&'static str),
    /// The logging flags in the environment do not load.
    Flags(String),
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

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(name) => {
                write!(f, "Expecting '{}' to be set in the environment", name)
            }
            ConfigError::Flags(error) => write!(f, "Failed to load flags: {}", error),
            ConfigError::Invalid { name, value, error } if error.is_empty() => {
                write!(f, "Failed to parse {} '{}'", name, value)
            }
            ConfigError::Invalid { name, value, error } => {
                write!(f, "Failed to parse {} '{}': {}", name, value, error)
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// The configuration the agent's environment for an executor gives,
    /// read as Mesos' library reads it (only `MESOS_*` variables count).
    /// The agent is reached at `MESOS_SLAVE_PID`'s address, path
    /// `/<agent id>/api/v1/executor`, over TLS when the current runtime
    /// uses it. Unix domain sockets (`MESOS_DOMAIN_SOCKET`) are not
    /// supported.
    pub fn from_environment(environment: &BTreeMap<String, String>) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            environment
                .get(name)
                .filter(|_| name.starts_with("MESOS_"))
                .cloned()
        };
        let duration = |name: &'static str| -> Result<Option<Duration>, ConfigError> {
            get(name)
                .map(|value| {
                    Duration::parse(&value).map_err(|e| ConfigError::Invalid {
                        name,
                        value: value.clone(),
                        error: e.to_string(),
                    })
                })
                .transpose()
        };

        let pid = get("MESOS_SLAVE_PID").ok_or(ConfigError::Missing("MESOS_SLAVE_PID"))?;
        let upid = UPID::parse(&pid)
            .ok()
            .filter(UPID::is_valid)
            .ok_or_else(|| ConfigError::Invalid {
                name: "MESOS_SLAVE_PID",
                value: pid.clone(),
                error: String::new(),
            })?;
        let checkpoint = get("MESOS_CHECKPOINT").as_deref() == Some("1");
        let (recovery_timeout, max_backoff) = if checkpoint {
            (
                Some(
                    duration("MESOS_RECOVERY_TIMEOUT")?
                        .ok_or(ConfigError::Missing("MESOS_RECOVERY_TIMEOUT"))?,
                ),
                Some(
                    duration("MESOS_SUBSCRIPTION_BACKOFF_MAX")?
                        .ok_or(ConfigError::Missing("MESOS_SUBSCRIPTION_BACKOFF_MAX"))?,
                ),
            )
        } else {
            (None, None)
        };
        let shutdown_grace_period = duration("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD")?
            .ok_or(ConfigError::Missing("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"))?;
        Ok(Config {
            agent: http::url_of(&upid, "api/v1/executor"),
            local: get("MESOS_LOCAL").is_some(),
            checkpoint,
            recovery_timeout,
            max_backoff,
            shutdown_grace_period,
            authentication_token: get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN"),
        })
    }
}
