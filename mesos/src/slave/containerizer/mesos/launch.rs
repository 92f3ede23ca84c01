//! What a container's init process runs (the part of Mesos' launch
//! helper that matters without namespaces): the command, its environment,
//! its standard streams in the sandbox, its working directory and user.

use std::collections::BTreeMap;

use libprocess::subprocess::{self, ChildHook, Io};
use stout::{Error, Try};

use crate::environment;
use crate::slave::{ContainerConfig, ContainerLaunchInfo};

/// The `PATH` a container gets when its environment has none (stout's
/// `os::host_default_path`).
const HOST_DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The user a container runs as: uid, gid and supplementary groups.
pub(super) struct User {
    pub(super) uid: u32,
    gid: u32,
    groups: Vec<u32>,
}

/// The uid, gid and groups of `name`, for switching to it.
pub(super) fn lookup_user(name: &str) -> Try<User> {
    let entry = match nix::unistd::User::from_name(name) {
        Ok(Some(entry)) => entry,
        Ok(None) => {
            return Err(Error::new(format!(
                "Failed to get the uid of user '{}': not found",
                name
            )))
        }
        Err(e) => {
            return Err(Error::new(format!(
                "Failed to get the uid of user '{}': {}",
                name,
                e.desc()
            )))
        }
    };
    let c_name = std::ffi::CString::new(name)
        .map_err(|_| Error::new(format!("Invalid user name '{}'", name)))?;
    let groups = nix::unistd::getgrouplist(&c_name, entry.gid).map_err(|e| {
        Error::new(format!(
            "Failed to get the supplementary gids of user '{}': {}",
            name,
            e.desc()
        ))
    })?;
    Ok(User {
        uid: entry.uid.as_raw(),
        gid: entry.gid.as_raw(),
        groups: groups.into_iter().map(|g| g.as_raw()).collect(),
    })
}

/// The container's environment (Mesos' order: the agent's, then
/// `MESOS_SANDBOX`, then the isolators', then the command's own values),
/// with a default `PATH`.
pub(super) fn container_environment(
    environment: BTreeMap<String, String>,
    config: &ContainerConfig,
    launch_infos: &[Option<ContainerLaunchInfo>],
) -> BTreeMap<String, String> {
    let mut result = environment;
    result.insert("MESOS_SANDBOX".to_string(), config.directory.clone());
    let isolators = launch_infos
        .iter()
        .flatten()
        .filter_map(|info| info.environment.as_ref());
    let command = config.command_info.environment.iter();
    for environment in isolators.chain(command) {
        for variable in &environment.variables {
            // Secrets are resolved by an isolator, never passed as is.
            if variable.r#type() != environment::variable::Type::Secret {
                result.insert(variable.name.clone(), variable.value().to_string());
            }
        }
    }
    result
        .entry("PATH".to_string())
        .or_insert_with(|| HOST_DEFAULT_PATH.to_string());
    result
}

/// The program a non-shell command runs: `value`, looked up in the
/// container's `PATH` and then its working directory when it has no `/`.
fn executable(value: &str, path: &str, directory: &str) -> String {
    if value.contains('/') {
        return value.to_string();
    }
    path.split(':')
        .chain(std::iter::once(directory))
        .map(|dir| stout::path::join(dir, value))
        .find(|candidate| std::path::Path::new(candidate).is_file())
        .unwrap_or_else(|| value.to_string())
}

/// The init process' command: `sh -c <value>` for a shell command (the
/// default), else `value` run with `arguments` as its argv.
pub(super) fn command(
    config: &ContainerConfig,
    environment: BTreeMap<String, String>,
    user: Option<User>,
) -> subprocess::Launcher {
    let info = &config.command_info;
    let directory = &config.directory;
    let value = info.value().to_string();
    let launcher = if info.shell() {
        subprocess::shell(value)
    } else {
        let path = environment.get("PATH").cloned().unwrap_or_default();
        subprocess::subprocess(executable(&value, &path, directory), info.arguments.clone())
    };
    let launcher = launcher
        .stdin(Io::path("/dev/null"))
        .stdout(Io::path(stout::path::join(directory, "stdout")))
        .stderr(Io::path(stout::path::join(directory, "stderr")))
        .environment(environment)
        .child_hook(ChildHook::chdir(directory));
    match user {
        Some(user) => launcher.child_hook(ChildHook::su(user.uid, user.gid, user.groups)),
        None => launcher,
    }
}
