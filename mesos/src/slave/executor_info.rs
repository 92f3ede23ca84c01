//! The executor the agent makes up for a command task (Mesos'
//! `Slave::getExecutorInfo`): `mesos-executor` from `--launcher_dir`,
//! named after the task and its command, with a small resource overhead.

use libprocess::MAX_REAP_INTERVAL;
use stout::{Bytes, Duration};

use crate::slave::constants::{DEFAULT_EXECUTOR_CPUS, DEFAULT_EXECUTOR_MEM, MESOS_EXECUTOR};
use crate::slave::flags::Flags;
use crate::{
    container_info, CommandInfo, DurationInfo, ExecutorId, ExecutorInfo, FrameworkInfo, Resources,
    TaskInfo,
};

/// The executor that runs `task`: the task's own if it has one (tasks of
/// a task group carry the group's), else a command executor whose ID is
/// the task's.
pub fn get_executor_info(
    flags: &Flags,
    framework: &FrameworkInfo,
    task: &TaskInfo,
) -> ExecutorInfo {
    if let Some(executor) = &task.executor {
        return executor.clone();
    }
    let default_command = CommandInfo::default();
    let command = task.command.as_ref().unwrap_or(&default_command);
    let task_id = &task.task_id.value;

    let mut executor = ExecutorInfo {
        executor_id: ExecutorId {
            value: task_id.clone(),
        },
        framework_id: framework.id.clone(),
        // Checkpointed with the executor, so that a restarted agent picks
        // the same containerizer.
        container: task.container.clone(),
        name: Some(format!(
            "Command Executor (Task: {}) {}",
            task_id,
            command_name(command)
        )),
        labels: task.labels.clone(),
        discovery: task.discovery.clone(),
        ..ExecutorInfo::default()
    };
    #[allow(deprecated)] // Mesos still sets `source` for command executors.
    {
        executor.source = Some(task_id.clone());
    }

    // Room for the executor to send TASK_KILLED after the task's own
    // grace period, before the agent destroys the container.
    if let Some(grace_period) = task
        .kill_policy
        .as_ref()
        .and_then(|policy| policy.grace_period.as_ref())
    {
        let grace_period = Duration::from_nanos(grace_period.nanoseconds)
            + MAX_REAP_INTERVAL
            + Duration::from_secs(1);
        executor.shutdown_grace_period = Some(DurationInfo {
            nanoseconds: grace_period.ns(),
        });
    }

    let mut executor_command = CommandInfo {
        uris: command.uris.clone(),
        environment: command.environment.clone(),
        user: command.user.clone(),
        ..CommandInfo::default()
    };
    let path = std::path::Path::new(&flags.launcher_dir).join(MESOS_EXECUTOR);
    match std::fs::canonicalize(&path) {
        Ok(path) => {
            executor_command.shell = Some(false);
            executor_command.value = Some(path.to_string_lossy().into_owned());
            executor_command.arguments = vec![
                MESOS_EXECUTOR.to_string(),
                format!("--launcher_dir={}", flags.launcher_dir),
            ];
            let has_rootfs = task.container.as_ref().is_some_and(|container| {
                container.r#type() == container_info::Type::Mesos
                    && container.mesos.as_ref().is_some_and(|m| m.image.is_some())
            });
            if has_rootfs {
                executor_command
                    .arguments
                    .push(format!("--sandbox_directory={}", flags.sandbox_directory));
                if flags.switch_user {
                    let user = command.user.as_deref().unwrap_or(&framework.user);
                    executor_command.arguments.push(format!("--user={}", user));
                }
            }
        }
        Err(error) => {
            let reason = if error.kind() == std::io::ErrorKind::NotFound {
                "No such file or directory".to_string()
            } else {
                stout::strerror(&error)
            };
            executor_command.shell = Some(true);
            executor_command.value = Some(format!("echo '{}'; exit 1", reason));
        }
    }
    executor.command = Some(executor_command);

    // The overhead of the command executor itself, allocated to the
    // task's role.
    let mut overhead = Resources::parse(&format!(
        "cpus:{};mem:{}",
        DEFAULT_EXECUTOR_CPUS,
        DEFAULT_EXECUTOR_MEM.bytes() / Bytes::MEGABYTES
    ))
    .unwrap_or_default();
    let role = task
        .resources
        .iter()
        .find_map(|r| r.allocation_info.as_ref().and_then(|a| a.role.clone()));
    if let Some(role) = role {
        overhead.allocate(&role);
    }
    executor.resources = overhead.to_vec();
    executor
}

/// `(Command: sh -c '...')` or `(Command: [argv...])`, truncated as
/// Mesos does.
fn command_name(command: &CommandInfo) -> String {
    let truncate = |text: &str| -> Option<String> {
        (text.chars().count() > 15).then(|| text.chars().take(12).collect())
    };
    match (&command.value, command.shell()) {
        (None, true) => "(Command: NO COMMAND)".to_string(),
        (None, false) => "(Command: NO EXECUTABLE)".to_string(),
        (Some(value), true) => match truncate(value) {
            Some(prefix) => format!("(Command: sh -c '{}...')", prefix),
            None => format!("(Command: sh -c '{}')", value),
        },
        (Some(value), false) => {
            let args = format!("{}, {}", value, command.arguments.join(", "));
            match truncate(&args) {
                Some(prefix) => format!("(Command: [{}...])", prefix),
                None => format!("(Command: [{}])", args),
            }
        }
    }
}
