//! The agent's `work_dir` layout (Mesos' `slave/paths`): where sandboxes
//! live and where the agent checkpoints what it must recover.
//!
//! ```text
//! <root>/slaves/<slave id>/frameworks/<framework id>/executors/<executor id>/runs/<container id>
//! <root>/slaves/latest                           (the latest agent)
//! .../executors/<executor id>/runs/latest         (the latest run)
//! ```
//!
//! The same layout under `<work_dir>/meta` (`get_meta_root_dir`) holds the
//! checkpoints: `slave.info`, `framework.info`, `framework.pid`,
//! `executor.info`, `pids/forked.pid`, `pids/libprocess.pid`,
//! `tasks/<task id>/task.info` and `tasks/<task id>/task.updates`. Each
//! `get_*` function takes the root it builds on, as Mesos' do: the work
//! dir for sandboxes, the meta dir for checkpoints.

use std::os::unix::fs::PermissionsExt;

use stout::{Error, Try};

use crate::common::validation;
use crate::{ContainerId, ExecutorId, FrameworkId, SlaveId, TaskId};

/// The name of the symbolic link to the latest agent or run.
pub const LATEST_SYMLINK: &str = "latest";

/// The executor's libprocess pid file, in the run's `pids` directory.
pub const LIBPROCESS_PID_FILE: &str = "libprocess.pid";

/// The marker file of an executor that uses the HTTP API.
pub const HTTP_MARKER_FILE: &str = "http.marker";

const BOOT_ID_FILE: &str = "boot_id";
const SLAVE_INFO_FILE: &str = "slave.info";
const DRAIN_CONFIG_FILE: &str = "drain.config";
const FRAMEWORK_PID_FILE: &str = "framework.pid";
const FRAMEWORK_INFO_FILE: &str = "framework.info";
const EXECUTOR_INFO_FILE: &str = "executor.info";
const EXECUTOR_SENTINEL_FILE: &str = "executor.sentinel";
const FORKED_PID_FILE: &str = "forked.pid";
const TASK_INFO_FILE: &str = "task.info";
const TASK_UPDATES_FILE: &str = "task.updates";
const RESOURCES_INFO_FILE: &str = "resources.info";
const RESOURCES_TARGET_FILE: &str = "resources.target";
const EXECUTOR_GENERATED_FOR_COMMAND_TASK_FILE: &str = "executor_generated_for_command_task";

const CONTAINERS_DIR: &str = "containers";
const SLAVES_DIR: &str = "slaves";
const FRAMEWORKS_DIR: &str = "frameworks";
const EXECUTORS_DIR: &str = "executors";
const EXECUTOR_RUNS_DIR: &str = "runs";
const PIDS_DIR: &str = "pids";
const TASKS_DIR: &str = "tasks";

/// The most characters a container ID may have (Mesos'
/// `MAX_CONTAINER_ID_LENGTH`).
const MAX_CONTAINER_ID_LENGTH: usize = 242;

/// The IDs an executor run's sandbox path names (Mesos' `ExecutorRunPath`).
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutorRunPath {
    /// The agent.
    pub slave_id: SlaveId,
    /// The framework.
    pub framework_id: FrameworkId,
    /// The executor.
    pub executor_id: ExecutorId,
    /// The run.
    pub container_id: ContainerId,
}

/// The IDs in `dir`, a run's sandbox (or a path beneath it) under
/// `root_dir`.
pub fn parse_executor_run_path(root_dir: &str, dir: &str) -> Try<ExecutorRunPath> {
    // With a separator at its end, the root can't match half a name.
    let root = stout::path::join(root_dir, "");
    let Some(rest) = dir.strip_prefix(&root) else {
        return Err(Error::new(format!(
            "Directory '{}' does not fall under the root directory: {}",
            dir, root
        )));
    };
    let tokens: Vec<&str> = rest.split('/').filter(|t| !t.is_empty()).collect();
    if tokens.len() < 8 {
        return Err(Error::new(format!(
            "Path after root directory is not long enough to be an executor run path: {}",
            tokens.join("/")
        )));
    }
    if tokens[0] == SLAVES_DIR
        && tokens[2] == FRAMEWORKS_DIR
        && tokens[4] == EXECUTORS_DIR
        && tokens[6] == EXECUTOR_RUNS_DIR
    {
        return Ok(ExecutorRunPath {
            slave_id: SlaveId {
                value: tokens[1].to_string(),
            },
            framework_id: FrameworkId {
                value: tokens[3].to_string(),
            },
            executor_id: ExecutorId {
                value: tokens[5].to_string(),
            },
            container_id: ContainerId {
                value: tokens[7].to_string(),
                parent: None,
            },
        });
    }
    Err(Error::new(format!(
        "Could not parse executor run path from directory: {}",
        dir
    )))
}

/// Mesos' text for a container ID: `<parent>.<child>` for a nested one.
fn container_id_string(container_id: &ContainerId) -> String {
    match &container_id.parent {
        Some(parent) => format!("{}.{}", container_id_string(parent), container_id.value),
        None => container_id.value.clone(),
    }
}

fn join<const N: usize>(parts: [&str; N]) -> String {
    stout::path::join_all(parts)
}

/// The full paths of the entries of `dir`, sorted; none when it does not
/// exist (Mesos' `fs::list(dir/*)`).
fn list(dir: &str) -> Try<Vec<String>> {
    if !stout::os::exists(dir) {
        return Ok(Vec::new());
    }
    Ok(stout::os::ls(dir)?
        .into_iter()
        .map(|name| stout::path::join(dir, &name))
        .collect())
}

/// `<root>/meta`: where the agent checkpoints.
pub fn get_meta_root_dir(root_dir: &str) -> String {
    join([root_dir, "meta"])
}

/// `<root>/slaves`: where the sandboxes are.
pub fn get_sandbox_root_dir(root_dir: &str) -> String {
    join([root_dir, SLAVES_DIR])
}

/// `<root>/provisioner`.
pub fn get_provisioner_dir(root_dir: &str) -> String {
    join([root_dir, "provisioner"])
}

/// `<root>/boot_id`: the boot the agent last ran in.
pub fn get_boot_id_path(root_dir: &str) -> String {
    join([root_dir, BOOT_ID_FILE])
}

/// `<root>/slaves/latest`.
pub fn get_latest_slave_path(root_dir: &str) -> String {
    join([root_dir, SLAVES_DIR, LATEST_SYMLINK])
}

/// `<root>/slaves/<slave id>`.
pub fn get_slave_path(root_dir: &str, slave_id: &SlaveId) -> String {
    join([root_dir, SLAVES_DIR, &slave_id.value])
}

/// The agent's `slave.info` checkpoint.
pub fn get_slave_info_path(root_dir: &str, slave_id: &SlaveId) -> String {
    join([&get_slave_path(root_dir, slave_id), SLAVE_INFO_FILE])
}

/// The agent's `drain.config` checkpoint.
pub fn get_drain_config_path(meta_dir: &str, slave_id: &SlaveId) -> String {
    join([&get_slave_path(meta_dir, slave_id), DRAIN_CONFIG_FILE])
}

/// `<root>/containers/<container id>`.
pub fn get_container_path(root_dir: &str, container_id: &ContainerId) -> String {
    join([root_dir, CONTAINERS_DIR, &container_id_string(container_id)])
}

/// Every framework directory of the agent.
pub fn get_framework_paths(root_dir: &str, slave_id: &SlaveId) -> Try<Vec<String>> {
    list(&join([&get_slave_path(root_dir, slave_id), FRAMEWORKS_DIR]))
}

/// `.../slaves/<slave id>/frameworks/<framework id>`.
pub fn get_framework_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
) -> String {
    join([
        &get_slave_path(root_dir, slave_id),
        FRAMEWORKS_DIR,
        &framework_id.value,
    ])
}

/// The framework's `framework.pid` checkpoint (its scheduler's pid).
pub fn get_framework_pid_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
) -> String {
    join([
        &get_framework_path(root_dir, slave_id, framework_id),
        FRAMEWORK_PID_FILE,
    ])
}

/// The framework's `framework.info` checkpoint.
pub fn get_framework_info_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
) -> String {
    join([
        &get_framework_path(root_dir, slave_id, framework_id),
        FRAMEWORK_INFO_FILE,
    ])
}

/// Every executor directory of the framework.
pub fn get_executor_paths(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
) -> Try<Vec<String>> {
    list(&join([
        &get_framework_path(root_dir, slave_id, framework_id),
        EXECUTORS_DIR,
    ]))
}

/// `.../frameworks/<framework id>/executors/<executor id>`.
pub fn get_executor_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
) -> String {
    join([
        &get_framework_path(root_dir, slave_id, framework_id),
        EXECUTORS_DIR,
        &executor_id.value,
    ])
}

/// The executor's `executor.info` checkpoint.
pub fn get_executor_info_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
) -> String {
    join([
        &get_executor_path(root_dir, slave_id, framework_id, executor_id),
        EXECUTOR_INFO_FILE,
    ])
}

/// The marker of an executor the agent generated for a command task.
pub fn get_executor_generated_for_command_task_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
) -> String {
    join([
        &get_executor_path(root_dir, slave_id, framework_id, executor_id),
        EXECUTOR_GENERATED_FOR_COMMAND_TASK_FILE,
    ])
}

/// Every run directory of the executor (the `latest` link included).
pub fn get_executor_run_paths(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
) -> Try<Vec<String>> {
    list(&join([
        &get_executor_path(root_dir, slave_id, framework_id, executor_id),
        EXECUTOR_RUNS_DIR,
    ]))
}

/// `.../executors/<executor id>/runs/<container id>`: a run's sandbox
/// (under the work dir) or checkpoints (under the meta dir).
pub fn get_executor_run_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
) -> String {
    join([
        &get_executor_path(root_dir, slave_id, framework_id, executor_id),
        EXECUTOR_RUNS_DIR,
        &container_id_string(container_id),
    ])
}

/// The run's `http.marker`.
pub fn get_executor_http_marker_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
) -> String {
    join([
        &get_executor_run_path(root_dir, slave_id, framework_id, executor_id, container_id),
        HTTP_MARKER_FILE,
    ])
}

/// The run's `executor.sentinel`: present once the run has ended.
pub fn get_executor_sentinel_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
) -> String {
    join([
        &get_executor_run_path(root_dir, slave_id, framework_id, executor_id, container_id),
        EXECUTOR_SENTINEL_FILE,
    ])
}

/// `/frameworks/<framework id>/executors/<executor id>/runs/latest`: the
/// path the agent's `/files` endpoint serves the latest sandbox under.
pub fn get_executor_virtual_path(framework_id: &FrameworkId, executor_id: &ExecutorId) -> String {
    join([
        "/frameworks",
        &framework_id.value,
        EXECUTORS_DIR,
        &executor_id.value,
        EXECUTOR_RUNS_DIR,
        LATEST_SYMLINK,
    ])
}

/// `.../executors/<executor id>/runs/latest`.
pub fn get_executor_latest_run_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
) -> String {
    join([
        &get_executor_path(root_dir, slave_id, framework_id, executor_id),
        EXECUTOR_RUNS_DIR,
        LATEST_SYMLINK,
    ])
}

/// The run's `pids/libprocess.pid` checkpoint (the executor's UPID).
pub fn get_libprocess_pid_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
) -> String {
    join([
        &get_executor_run_path(root_dir, slave_id, framework_id, executor_id, container_id),
        PIDS_DIR,
        LIBPROCESS_PID_FILE,
    ])
}

/// The run's `pids/forked.pid` checkpoint (the executor's OS pid).
pub fn get_forked_pid_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
) -> String {
    join([
        &get_executor_run_path(root_dir, slave_id, framework_id, executor_id, container_id),
        PIDS_DIR,
        FORKED_PID_FILE,
    ])
}

/// Every task directory of the run.
pub fn get_task_paths(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
) -> Try<Vec<String>> {
    list(&join([
        &get_executor_run_path(root_dir, slave_id, framework_id, executor_id, container_id),
        TASKS_DIR,
    ]))
}

/// `.../runs/<container id>/tasks/<task id>`.
pub fn get_task_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
    task_id: &TaskId,
) -> String {
    join([
        &get_executor_run_path(root_dir, slave_id, framework_id, executor_id, container_id),
        TASKS_DIR,
        &task_id.value,
    ])
}

/// The task's `task.info` checkpoint.
pub fn get_task_info_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
    task_id: &TaskId,
) -> String {
    join([
        &get_task_path(
            root_dir,
            slave_id,
            framework_id,
            executor_id,
            container_id,
            task_id,
        ),
        TASK_INFO_FILE,
    ])
}

/// The task's `task.updates` checkpoint: its status update stream's
/// `StatusUpdateRecord`s.
pub fn get_task_updates_path(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
    task_id: &TaskId,
) -> String {
    join([
        &get_task_path(
            root_dir,
            slave_id,
            framework_id,
            executor_id,
            container_id,
            task_id,
        ),
        TASK_UPDATES_FILE,
    ])
}

/// `<root>/resources/resources.info`: the checkpointed resources.
pub fn get_resources_info_path(root_dir: &str) -> String {
    join([root_dir, "resources", RESOURCES_INFO_FILE])
}

/// `<root>/resources/resources.target`: the resources being checkpointed.
pub fn get_resources_target_path(root_dir: &str) -> String {
    join([root_dir, "resources", RESOURCES_TARGET_FILE])
}

/// Checks a container ID as Mesos' `validateContainerId` does.
fn validate_container_id(container_id: &ContainerId) -> Try<()> {
    let id = &container_id.value;
    validation::validate_id(id)?;
    if id.len() > MAX_CONTAINER_ID_LENGTH {
        return Err(Error::new(format!(
            "'ContainerID.value' '{}' exceeds the maximum length ({})",
            id, MAX_CONTAINER_ID_LENGTH
        )));
    }
    if id.contains(['.', ' ']) {
        return Err(Error::new(format!(
            "'ContainerID.value' '{}' contains invalid characters",
            id
        )));
    }
    Ok(())
}

/// Replaces the `latest` link with one to `directory`.
fn relink_latest(directory: &str, latest: &str) -> Try<()> {
    if stout::os::exists(latest) {
        stout::os::rm(latest)?;
    }
    std::os::unix::fs::symlink(directory, latest).map_err(|e| {
        Error::errno(
            format!("Failed to symlink '{}' to '{}'", directory, latest),
            &e,
        )
    })
}

/// Creates the run's sandbox under `root_dir` (owned by `user` when
/// given: the agent passes the task's user when it switches users) and
/// points the executor's `latest` link at it; returns its path.
pub fn create_executor_directory(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
    user: Option<&str>,
) -> Try<String> {
    // The IDs come from the master or the agent, already validated; a
    // bad one must not name a directory anywhere else.
    validation::validate_slave_id(slave_id)?;
    validation::validate_framework_id(framework_id)?;
    validation::validate_executor_id(executor_id)?;
    validate_container_id(container_id)?;

    let directory =
        get_executor_run_path(root_dir, slave_id, framework_id, executor_id, container_id);
    match user {
        Some(user) => {
            tracing::info!("Creating sandbox '{}' for user '{}'", directory, user)
        }
        None => tracing::info!("Creating sandbox '{}'", directory),
    }
    create_sandbox_directory(&directory, user).map_err(|e| {
        Error::new(format!(
            "Failed to create executor directory '{}': {}",
            directory, e
        ))
    })?;
    let latest = get_executor_latest_run_path(root_dir, slave_id, framework_id, executor_id);
    relink_latest(&directory, &latest)?;
    Ok(directory)
}

/// Creates `directory` (and its parents) as a sandbox: mode 0750 (no
/// access for others: it holds the task's private data), owned by `user`
/// when given.
pub fn create_sandbox_directory(directory: &str, user: Option<&str>) -> Try<()> {
    stout::os::mkdir(directory, true)
        .map_err(|e| Error::new(format!("Failed to create directory: {}", e)))?;
    std::fs::set_permissions(directory, std::fs::Permissions::from_mode(0o750))
        .map_err(|e| Error::errno("Failed to chmod directory", &e))?;
    if let Some(user) = user {
        if let Err(e) = chown(user, directory) {
            // Best effort: the chown already failed.
            let _ = stout::os::rmdir(directory, false, true);
            return Err(Error::new(format!(
                "Failed to chown directory to '{}': {}",
                user, e
            )));
        }
    }
    Ok(())
}

/// Gives `path` to `user` and the user's primary group.
pub(crate) fn chown(user: &str, path: &str) -> Try<()> {
    let entry = match nix::unistd::User::from_name(user) {
        Ok(Some(entry)) => entry,
        Ok(None) => return Err(Error::new(format!("No such user '{}'", user))),
        Err(e) => {
            return Err(Error::new(format!(
                "Failed to get user information for '{}': {}",
                user,
                e.desc()
            )))
        }
    };
    nix::unistd::chown(path, Some(entry.uid), Some(entry.gid))
        .map_err(|e| Error::new(format!("chown failed: {}", e.desc())))
}

/// Creates the agent's directory under `root_dir` and points
/// `slaves/latest` at it; returns its path.
pub fn create_slave_directory(root_dir: &str, slave_id: &SlaveId) -> Try<String> {
    validation::validate_slave_id(slave_id)?;
    let directory = get_slave_path(root_dir, slave_id);
    stout::os::mkdir(&directory, true).map_err(|e| {
        Error::new(format!(
            "Failed to create agent directory '{}': {}",
            directory, e
        ))
    })?;
    relink_latest(&directory, &get_latest_slave_path(root_dir))?;
    Ok(directory)
}
