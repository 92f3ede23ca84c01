//! Between the agent's types and the program's: the `Launch` the program
//! gets, and the agent's `ContainerTermination` for the program's
//! `Termination`.

use std::collections::BTreeMap;

use crate::containerizer::{Launch, Termination};
use crate::slave::{ContainerConfig, ContainerTermination};
use crate::task_status::Reason;
use crate::{ContainerId, SlaveId, TaskState};

/// The `Launch` for `config`. The agent, its pid and whether the
/// framework checkpoints are in the executor's `environment`
/// (`MESOS_SLAVE_ID`, `MESOS_SLAVE_PID`, `MESOS_CHECKPOINT`), where the
/// agent put them for the executor.
pub fn launch(
    container_id: &ContainerId,
    config: &ContainerConfig,
    environment: &BTreeMap<String, String>,
) -> Launch {
    Launch {
        container_id: container_id.clone(),
        task_info: config.task_info.clone(),
        executor_info: config.executor_info.clone(),
        directory: Some(config.directory.clone()),
        user: config.user.clone(),
        slave_id: environment.get("MESOS_SLAVE_ID").map(|value| SlaveId {
            value: value.clone(),
        }),
        slave_pid: environment.get("MESOS_SLAVE_PID").cloned(),
        checkpoint: Some(environment.get("MESOS_CHECKPOINT").map(String::as_str) == Some("1")),
    }
}

/// How the agent sees a container that the program reports ended.
///
/// `killed` means the program enforced a limit: the task fails with
/// Mesos' limitation reason, as the Mesos containerizer reports it. The
/// program's `Termination` has no reason field, so its message tells
/// which limit: one about memory or disk gets that resource's reason.
pub fn termination(termination: &Termination) -> ContainerTermination {
    let message = Some(termination.message.clone()).filter(|m| !m.is_empty());
    if !termination.killed {
        return ContainerTermination {
            status: termination.status,
            message,
            ..ContainerTermination::default()
        };
    }
    let text = termination.message.to_ascii_lowercase();
    let reason = if text.contains("memory") {
        Reason::ContainerLimitationMemory
    } else if text.contains("disk") {
        Reason::ContainerLimitationDisk
    } else {
        Reason::ContainerLimitation
    };
    ContainerTermination {
        status: termination.status,
        state: Some(TaskState::TaskFailed as i32),
        reason: Some(reason as i32),
        message: message.or_else(|| Some("Container exceeded a resource limit".to_string())),
        ..ContainerTermination::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn killed_maps_to_the_limits_reason() {
        let killed = |message: &str| Termination {
            killed: true,
            message: message.to_string(),
            status: Some(9),
        };
        let memory = termination(&killed("Memory limit exceeded: Requested: 32MB"));
        assert_eq!(memory.state, Some(TaskState::TaskFailed as i32));
        assert_eq!(
            memory.reason,
            Some(Reason::ContainerLimitationMemory as i32)
        );
        assert_eq!(
            memory.message.as_deref(),
            Some("Memory limit exceeded: Requested: 32MB")
        );
        let disk = termination(&killed("Disk usage (2GB) exceeds quota (1GB)"));
        assert_eq!(disk.reason, Some(Reason::ContainerLimitationDisk as i32));
        let other = termination(&killed(""));
        assert_eq!(other.reason, Some(Reason::ContainerLimitation as i32));
        assert!(other.message.is_some());
    }

    #[test]
    fn an_exit_keeps_its_status_and_no_state() {
        let ended = termination(&Termination {
            killed: false,
            message: String::new(),
            status: Some(3 << 8),
        });
        assert_eq!(ended.status, Some(3 << 8));
        assert_eq!(ended.state, None);
        assert_eq!(ended.reason, None);
        assert_eq!(ended.message, None);
    }
}
