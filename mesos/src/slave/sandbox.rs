//! The executor's sandbox under `--work_dir`, laid out as Mesos' `paths`
//! lays it out: `slaves/<agent>/frameworks/<framework>/executors/
//! <executor>/runs/<container>`, with a `latest` link to the newest run.

use stout::{Error, Try};

use crate::{ContainerId, ExecutorId, FrameworkId, SlaveId};

/// Creates the run's sandbox (owned by `user` when given) and points the
/// executor's `runs/latest` at it; returns its path.
pub(crate) fn create_executor_directory(
    root_dir: &str,
    slave_id: &SlaveId,
    framework_id: &FrameworkId,
    executor_id: &ExecutorId,
    container_id: &ContainerId,
    user: Option<&str>,
) -> Try<String> {
    for (what, id) in [
        ("agent", &slave_id.value),
        ("framework", &framework_id.value),
        ("executor", &executor_id.value),
        ("container", &container_id.value),
    ] {
        // An ID names one directory, never another place.
        if id.is_empty() || id == "." || id == ".." || id.contains('/') {
            return Err(Error::new(format!("Invalid {} ID '{}'", what, id)));
        }
    }
    let runs = format!(
        "{}/slaves/{}/frameworks/{}/executors/{}/runs",
        root_dir, slave_id.value, framework_id.value, executor_id.value
    );
    let directory = format!("{}/{}", runs, container_id.value);
    stout::os::mkdir(&directory, true).map_err(|e| {
        Error::new(format!(
            "Failed to create executor directory '{}': {}",
            directory, e
        ))
    })?;
    if let Some(user) = user {
        if let Err(e) = chown(user, &directory) {
            // Best effort: the chown failed already.
            let _ = stout::os::rmdir(&directory, false, true);
            return Err(Error::new(format!(
                "Failed to chown directory '{}' to user '{}': {}",
                directory, user, e
            )));
        }
    }
    let latest = format!("{}/latest", runs);
    if std::fs::symlink_metadata(&latest).is_ok() {
        stout::os::rm(&latest)?;
    }
    std::os::unix::fs::symlink(&directory, &latest).map_err(|e| {
        Error::errno(
            format!("Failed to symlink '{}' to '{}'", directory, latest),
            &e,
        )
    })?;
    Ok(directory)
}

fn chown(user: &str, path: &str) -> Try<()> {
    match nix::unistd::User::from_name(user) {
        Ok(Some(entry)) => nix::unistd::chown(path, Some(entry.uid), Some(entry.gid))
            .map_err(|e| Error::new(format!("chown failed: {}", e.desc()))),
        Ok(None) => Err(Error::new(format!("No such user '{}'", user))),
        Err(e) => Err(Error::new(format!(
            "Failed to get user information for '{}': {}",
            user,
            e.desc()
        ))),
    }
}
