//! Launchers: how the Mesos containerizer starts a container's init
//! process and kills everything in it (Mesos' `Launcher`), and the `posix`
//! one (Mesos' `SubprocessLauncher`).

use std::collections::{HashMap, HashSet};

use libprocess::subprocess::{self, ChildHook, Subprocess};
use libprocess::Future;
use parking_lot::Mutex;
use stout::{Error, Try};

use crate::slave::ContainerState;
use crate::{ContainerId, ContainerStatus};

/// Mesos' `Launcher`: forks containers' init processes and destroys
/// containers whole.
pub trait Launcher: Send + Sync + 'static {
    /// Takes over the containers a restarted agent checkpointed; returns
    /// the containers it finds that `states` does not name (orphans).
    fn recover(&self, states: &[ContainerState]) -> Future<HashSet<ContainerId>>;

    /// Launches `command` as the container's init process; the child is
    /// the container's only process the launcher starts, everything else
    /// descends from it.
    fn fork(&self, container_id: &ContainerId, command: subprocess::Launcher) -> Try<Subprocess>;

    /// Kills every process of the container and becomes ready once the
    /// init process is gone. An unknown container is nothing to do.
    fn destroy(&self, container_id: &ContainerId) -> Future<()>;

    /// The container's status as the launcher knows it: its init pid.
    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus>;
}

/// The `posix` launcher (Mesos' `SubprocessLauncher`): each container's
/// init process leads its own session, and destroying the container kills
/// that process' tree, its process groups and its sessions with
/// `SIGKILL`. A process that leaves all of those escapes it, as in Mesos.
#[derive(Debug, Default)]
pub struct SubprocessLauncher {
    pids: Mutex<HashMap<ContainerId, i32>>,
}

impl SubprocessLauncher {
    /// A launcher with no containers.
    pub fn new() -> SubprocessLauncher {
        SubprocessLauncher::default()
    }
}

impl Launcher for SubprocessLauncher {
    fn recover(&self, states: &[ContainerState]) -> Future<HashSet<ContainerId>> {
        let mut pids = self.pids.lock();
        for state in states {
            let Ok(pid) = i32::try_from(state.pid) else {
                return Future::failed(format!(
                    "Invalid pid {} for container {}",
                    state.pid, state.container_id.value
                ));
            };
            if pids.values().any(|p| *p == pid) {
                return Future::failed(format!(
                    "Detected duplicate pid {} for container {}",
                    pid, state.container_id.value
                ));
            }
            pids.insert(state.container_id.clone(), pid);
        }
        // Without cgroups or namespaces nothing marks a process as a
        // container's: there are no orphans to find.
        Future::ready(HashSet::new())
    }

    fn fork(&self, container_id: &ContainerId, command: subprocess::Launcher) -> Try<Subprocess> {
        let mut pids = self.pids.lock();
        if pids.contains_key(container_id) {
            return Err(Error::new(format!(
                "Process has already been forked for container {}",
                container_id.value
            )));
        }
        // A session of its own makes the container's processes one
        // session to kill.
        let child = command
            .child_hook(ChildHook::setsid())
            .launch()
            .map_err(|e| Error::new(format!("Failed to fork a child process: {}", e)))?;
        tracing::info!(
            "Forked child with pid '{}' for container '{}'",
            child.pid(),
            container_id.value
        );
        pids.insert(container_id.clone(), child.pid());
        Ok(child)
    }

    fn destroy(&self, container_id: &ContainerId) -> Future<()> {
        tracing::info!("Asked to destroy container {}", container_id.value);
        let Some(pid) = self.pids.lock().remove(container_id) else {
            tracing::warn!(
                "Ignored destroy for unknown container {}",
                container_id.value
            );
            return Future::ready(());
        };
        // Errors are ignored as in Mesos: the reap below tells whether
        // the init process is gone.
        if let Err(error) = stout::os::killtree(pid, nix::libc::SIGKILL, true, true) {
            tracing::warn!("Failed to kill the process tree of {}: {}", pid, error);
        }
        let reaped = libprocess::reap(pid);
        reaped.then(|_| Future::ready(())).repair(|failed| {
            Future::failed(format!(
                "Failed to kill all processes: {}",
                failed.failure().unwrap_or("unknown error")
            ))
        })
    }

    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus> {
        match self.pids.lock().get(container_id) {
            Some(pid) => Future::ready(ContainerStatus {
                executor_pid: u32::try_from(*pid).ok(),
                ..ContainerStatus::default()
            }),
            None => Future::failed("Container does not exist!"),
        }
    }
}
