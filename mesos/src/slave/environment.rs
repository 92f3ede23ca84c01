//! The environment the agent gives an executor (Mesos'
//! `executorEnvironment`): how it finds the agent, who it is, where its
//! sandbox is, and how long it may take to shut down.

use std::collections::BTreeMap;

use libprocess::UPID;
use stout::Duration;

use crate::slave::flags::Flags;
use crate::{ExecutorInfo, SlaveId};

/// What [`executor_environment`] reads besides the flags and the executor.
#[derive(Clone, Debug)]
pub struct ExecutorEnvironment<'a> {
    /// The executor's sandbox.
    pub directory: &'a str,
    /// The agent's ID.
    pub slave_id: &'a SlaveId,
    /// The agent's pid.
    pub slave_pid: &'a UPID,
    /// The executor's authentication token, if one was generated.
    pub authentication_token: Option<&'a str>,
    /// Whether the framework checkpoints.
    pub checkpoint: bool,
    /// The agent's own `LIBPROCESS_IP`, passed on so that an executor on
    /// a host without DNS does not need a hostname lookup.
    pub libprocess_ip: Option<&'a str>,
}

/// The executor's environment: `--executor_environment_variables`, then
/// the agent's `MESOS_*` variables (which win).
pub fn executor_environment(
    flags: &Flags,
    executor_info: &ExecutorInfo,
    context: &ExecutorEnvironment<'_>,
) -> BTreeMap<String, String> {
    let mut environment = BTreeMap::new();

    if let Some(ip) = context.libprocess_ip {
        environment.insert("LIBPROCESS_IP".to_string(), ip.to_string());
    }

    // The flag is validated to hold string values only.
    if let Some(serde_json::Value::Object(variables)) = &flags.executor_environment_variables {
        for (key, value) in variables {
            if let Some(value) = value.as_str() {
                environment.insert(key.clone(), value.to_string());
            }
        }
    }

    // A random port: the agent's `--port` may be in the environment.
    environment.insert("LIBPROCESS_PORT".to_string(), "0".to_string());

    let mut set = |name: &str, value: String| {
        environment.insert(name.to_string(), value);
    };
    set(
        "MESOS_FRAMEWORK_ID",
        executor_info
            .framework_id
            .as_ref()
            .map(|id| id.value.clone())
            .unwrap_or_default(),
    );
    set("MESOS_EXECUTOR_ID", executor_info.executor_id.value.clone());
    set("MESOS_DIRECTORY", context.directory.to_string());
    set("MESOS_SLAVE_ID", context.slave_id.value.clone());
    set("MESOS_SLAVE_PID", context.slave_pid.to_string());
    set(
        "MESOS_AGENT_ENDPOINT",
        context.slave_pid.address().to_string(),
    );
    set("MESOS_CHECKPOINT", flag(context.checkpoint));
    set(
        "MESOS_HTTP_COMMAND_EXECUTOR",
        flag(flags.http_command_executor),
    );
    if flags.http_executor_domain_sockets {
        if let Some(location) = &flags.domain_socket_location {
            set("MESOS_DOMAIN_SOCKET", location.clone());
        }
    }

    // The executor's own grace period wins over the agent's default.
    let grace_period = executor_info
        .shutdown_grace_period
        .as_ref()
        .map(|d| Duration::from_nanos(d.nanoseconds))
        .unwrap_or(flags.executor_shutdown_grace_period);
    set(
        "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD",
        grace_period.to_string(),
    );

    if context.checkpoint {
        set("MESOS_RECOVERY_TIMEOUT", flags.recovery_timeout.to_string());
        // The longest an executor backs off between resubscriptions.
        set(
            "MESOS_SUBSCRIPTION_BACKOFF_MAX",
            flags.executor_reregistration_timeout.to_string(),
        );
    }

    if let Some(token) = context.authentication_token {
        set("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", token.to_string());
    }

    environment
}

fn flag(value: bool) -> String {
    if value { "1" } else { "0" }.to_string()
}
