//! Operating-system helpers (stout's `os::`): files and directories, the
//! environment, the host, shell commands and process trees. Errors carry
//! stout's texts: `"<what failed>: <strerror>"`.

mod fs;
mod process;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use crate::{Error, Try};

pub use fs::{exists, ls, mkdir, read, rm, rmdir, touch, write, write_atomic};
pub use process::{children, exists_process, killtree, process, processes, Process, ProcessTree};

/// The process' environment as a map (stout's `os::environment`).
pub fn environment() -> BTreeMap<String, String> {
    std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect()
}

/// This host's name, as `gethostname(2)` reports it.
pub fn hostname() -> Try<String> {
    let name = nix::unistd::gethostname()
        .map_err(|e| Error::new(format!("Failed to get hostname: {}", e.desc())))?;
    name.into_string()
        .map_err(|_| Error::new("Failed to get hostname: not valid UTF-8"))
}

/// The kernel's boot id (`/proc/sys/kernel/random/boot_id`), which Mesos
/// uses to tell an agent reboot from an agent restart.
pub fn boot_id() -> Try<String> {
    Ok(read("/proc/sys/kernel/random/boot_id")?.trim().to_string())
}

/// The name of the effective user.
pub fn user() -> Try<String> {
    let uid = nix::unistd::geteuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => Ok(user.name),
        Ok(None) => Err(Error::new(format!("No user with uid {}", uid))),
        Err(e) => Err(Error::new(format!(
            "Failed to look up uid {}: {}",
            uid,
            e.desc()
        ))),
    }
}

/// Runs `command` with `sh -c` and returns its exit code (`None` when a
/// signal killed it), as `system(3)`.
pub fn system(command: &str) -> Try<Option<i32>> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(command)
        .status()
        .map_err(|e| Error::errno("Failed to run 'sh'", &e))?;
    Ok(status.code())
}

/// Runs `command` with `sh -c` and returns its standard output; a non-zero
/// exit is an error naming the command and its status.
pub fn shell(command: &str) -> Try<String> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error::errno("Failed to run 'sh'", &e))?;
    if !output.status.success() {
        return Err(Error::new(format!(
            "Failed to execute '{}'; the command was either not found or exited with a \
             non-zero exit status: {}",
            command, output.status
        )));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| Error::new(format!("Output of '{}' is not valid UTF-8", command)))
}

/// The first executable named `name` on `$PATH`.
pub fn which(name: &str) -> Option<String> {
    let path = std::env::var("PATH").ok()?;
    path.split(':')
        .filter(|dir| !dir.is_empty())
        .map(|dir| crate::path::join(dir, name))
        .find(|candidate| {
            nix::unistd::access(candidate.as_str(), nix::unistd::AccessFlags::X_OK).is_ok()
                && std::path::Path::new(candidate).is_file()
        })
}
