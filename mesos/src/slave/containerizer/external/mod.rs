//! The external containerizer (the seeds' `ExternalContainerizer`,
//! MESOS-816): the agent delegates its containers to an external
//! containerizer program (ECP), any executable, run as
//! `<containerizer_path> <command>` for each of seven commands:
//!
//! | command | stdin | stdout |
//! |---|---|---|
//! | `launch` | `containerizer::Launch` | |
//! | `update` | `containerizer::Update` | |
//! | `usage` | `containerizer::Usage` | `mesos::ResourceStatistics` |
//! | `wait` | `containerizer::Wait` | `containerizer::Termination` |
//! | `destroy` | `containerizer::Destroy` | |
//! | `containers` | | `containerizer::Containers` |
//! | `recover` | | |
//!
//! Each protobuf is preceded by its length in 4 bytes, host byte order
//! ([`frame`], [`unframe`]). A zero exit status means the program handled
//! the command. `launch` must return without waiting for the executor;
//! `wait` blocks until the executor ends. Every other command for a
//! container waits until that container's `launch` has returned.
//! Invocations get the agent's environment plus `MESOS_LIBEXEC_DIRECTORY`
//! and `MESOS_WORK_DIRECTORY` (and, for `launch`, the executor's
//! environment and `MESOS_DEFAULT_CONTAINER_IMAGE`); those with a sandbox
//! run in it, their stderr appended to its `stderr` file.
//!
//! An invocation that fails (a non-zero exit, a result that does not
//! parse or ends early, no answer within [`Options::timeout`]) fails
//! its container's operation, never the agent.
//!
//! ```no_run
//! use mesos::slave::containerizer::external::{ExternalContainerizer, Options};
//! use mesos::slave::containerizer::Containerizer;
//!
//! let options = Options::new("/usr/local/bin/my-ecp", "/var/lib/mesos");
//! let containerizer = ExternalContainerizer::create(options).expect("an executable ECP");
//! let recovered = containerizer.recover(None);
//! # let _ = recovered;
//! ```

mod invoke;
mod messages;
mod process;
mod record;

use std::collections::{BTreeMap, HashSet};

use libprocess::{dispatch, Future, PID};
use stout::{Duration, Error, Try};

pub use invoke::Command;
pub use messages::{launch as launch_message, termination as container_termination};
pub use process::ExternalContainerizerProcess;
pub use record::{frame, unframe};

use crate::common::resources::Resources;
use crate::slave::containerizer::{Containerizer, LaunchResult};
use crate::slave::state::SlaveState;
use crate::slave::{ContainerConfig, ContainerTermination};
use crate::{ContainerId, ContainerStatus, ResourceStatistics};

/// How long an invocation other than `wait` may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The agent flags the external containerizer reads.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--containerizer_path`: the program.
    pub path: String,
    /// `--work_dir`, the program's `MESOS_WORK_DIRECTORY`.
    pub work_dir: String,
    /// `--launcher_dir`, the program's `MESOS_LIBEXEC_DIRECTORY`.
    pub launcher_dir: String,
    /// `--default_container_image`, the program's
    /// `MESOS_DEFAULT_CONTAINER_IMAGE` on `launch`.
    pub default_container_image: Option<String>,
    /// `--hadoop_home`, the program's `HADOOP_HOME` on `launch`.
    pub hadoop_home: Option<String>,
    /// How long an invocation other than `wait` may take before it is
    /// killed and its operation fails (the seeds leave `launch` without a
    /// limit: a TODO this closes).
    pub timeout: Duration,
}

impl Options {
    /// Options for `path` with the agent's work directory `work_dir`.
    pub fn new(path: impl Into<String>, work_dir: impl Into<String>) -> Options {
        Options {
            path: path.into(),
            work_dir: work_dir.into(),
            launcher_dir: String::new(),
            default_container_image: None,
            hadoop_home: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// The external containerizer: the handle the agent holds. Dropping it
/// terminates its process.
#[derive(Debug)]
pub struct ExternalContainerizer {
    process: PID<ExternalContainerizerProcess>,
}

impl ExternalContainerizer {
    /// The containerizer for `options.path`, which must be an executable
    /// file. Spawns its process on the current runtime.
    pub fn create(options: Options) -> Try<ExternalContainerizer> {
        check_executable(&options.path)?;
        tracing::info!("Using external containerizer '{}'", options.path);
        Ok(ExternalContainerizer {
            process: libprocess::spawn(ExternalContainerizerProcess::new(options)),
        })
    }
}

/// An error unless `path` is an executable regular file.
fn check_executable(path: &str) -> Try<()> {
    use std::os::unix::fs::PermissionsExt;
    if path.is_empty() {
        return Err(Error::new(
            "The external containerizer needs --containerizer_path",
        ));
    }
    let metadata = std::fs::metadata(path).map_err(|e| {
        Error::errno(
            format!("Failed to find the external containerizer '{}'", path),
            &e,
        )
    })?;
    if !metadata.is_file() {
        return Err(Error::new(format!(
            "The external containerizer '{}' is not a file",
            path
        )));
    }
    let executable = metadata.permissions().mode() & 0o111 != 0
        && nix::unistd::access(path, nix::unistd::AccessFlags::X_OK).is_ok();
    if !executable {
        return Err(Error::new(format!(
            "The external containerizer '{}' is not executable",
            path
        )));
    }
    Ok(())
}

impl Drop for ExternalContainerizer {
    fn drop(&mut self) {
        libprocess::terminate(&self.process, true);
    }
}

impl Containerizer for ExternalContainerizer {
    fn recover(&self, state: Option<&SlaveState>) -> Future<()> {
        let state = state.cloned();
        dispatch(&self.process, move |p| p.recover(state)).flatten()
    }

    fn launch(
        &self,
        container_id: &ContainerId,
        config: ContainerConfig,
        environment: BTreeMap<String, String>,
        pid_checkpoint_path: Option<String>,
    ) -> Future<LaunchResult> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| {
            p.launch(container_id, config, environment, pid_checkpoint_path)
        })
        .flatten()
    }

    /// Limits have no place in the program's `Update`: it gets the
    /// resources only.
    fn update(
        &self,
        container_id: &ContainerId,
        resource_requests: Resources,
        _resource_limits: BTreeMap<String, f64>,
    ) -> Future<()> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| {
            p.update(container_id, resource_requests)
        })
        .flatten()
    }

    fn usage(&self, container_id: &ContainerId) -> Future<ResourceStatistics> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| p.usage(container_id)).flatten()
    }

    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| p.status(container_id)).flatten()
    }

    fn wait(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| p.wait(container_id)).flatten()
    }

    fn destroy(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| p.destroy(container_id)).flatten()
    }

    /// The program has no command for signals: SIGKILL and SIGTERM
    /// destroy the container, others are refused.
    fn kill(&self, container_id: &ContainerId, signal: i32) -> Future<bool> {
        use nix::sys::signal::Signal;
        if signal != Signal::SIGKILL as i32 && signal != Signal::SIGTERM as i32 {
            return Future::failed(format!(
                "The external containerizer cannot send signal {}",
                signal
            ));
        }
        self.destroy(container_id)
            .map(|termination| termination.is_some())
    }

    /// The containers the agent launched or recovered through this
    /// containerizer (the program's own list is read on recovery).
    fn containers(&self) -> Future<HashSet<ContainerId>> {
        dispatch(&self.process, |p| p.containers())
    }
}
