//! Mesos' containerizer interface: how the agent launches, watches and
//! destroys the containers its executors run in.
//!
//! The agent holds a `Containerizer` and does not know which one it is:
//! the Mesos containerizer (launcher plus isolators), the external
//! containerizer, or a test's own.

mod composing;
pub mod external;
pub mod mesos;

pub use composing::{ComposingContainerizer, ComposingContainerizerProcess};

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use libprocess::Future;
use stout::{Error, Try};

use crate::common::resources::Resources;
use crate::slave::{ContainerConfig, ContainerTermination};
use crate::{ContainerId, ContainerStatus, ResourceStatistics};

/// What `launch` did (Mesos' `Containerizer::LaunchResult`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaunchResult {
    /// The container was launched.
    Success,
    /// A container with this ID exists already.
    AlreadyLaunched,
    /// This containerizer cannot launch this container (for a composing
    /// containerizer: try the next one).
    NotSupported,
}

/// Mesos' `mesos::internal::slave::Containerizer`.
pub trait Containerizer: Send + Sync + 'static {
    /// Recovers the containers of a restarted agent. `state` is what the
    /// agent checkpointed (`None`: nothing, a fresh agent); containers
    /// this containerizer finds that `state` does not name are orphans,
    /// and are destroyed.
    fn recover(&self, state: Option<&crate::slave::state::SlaveState>) -> Future<()>;

    /// Launches a container running `config`'s executor (or task) with
    /// `environment`. `pid_checkpoint_path` is where to checkpoint the
    /// executor's pid, for a checkpointing framework.
    fn launch(
        &self,
        container_id: &ContainerId,
        config: ContainerConfig,
        environment: BTreeMap<String, String>,
        pid_checkpoint_path: Option<String>,
    ) -> Future<LaunchResult>;

    /// Changes the resources (and limits, by resource name) a container
    /// may use.
    fn update(
        &self,
        container_id: &ContainerId,
        resource_requests: Resources,
        resource_limits: BTreeMap<String, f64>,
    ) -> Future<()>;

    /// The container's resource usage now.
    fn usage(&self, container_id: &ContainerId) -> Future<ResourceStatistics>;

    /// The container's status (its network and cgroup details, its pid).
    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus>;

    /// Becomes ready when the container ends: with how it ended, or
    /// `None` if this containerizer does not know the container.
    fn wait(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>>;

    /// Kills every process in the container and cleans it up; the same
    /// result as `wait`'s.
    fn destroy(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>>;

    /// Sends `signal` to the container's init process; false if the
    /// container is unknown.
    fn kill(&self, container_id: &ContainerId, signal: i32) -> Future<bool>;

    /// The containers this containerizer runs.
    fn containers(&self) -> Future<HashSet<ContainerId>>;
}

/// The containerizer the agent's flags ask for (Mesos'
/// `Containerizer::create`): each of `--containerizers` in order, composed
/// when there are several; the deprecated `--isolation=external` means
/// the external containerizer alone.
pub fn create(flags: &crate::slave::flags::Flags) -> Try<Arc<dyn Containerizer>> {
    if flags.isolation == "external" {
        tracing::warn!(
            "The 'external' isolation flag is deprecated, please update your flags to \
             '--containerizers=external'."
        );
        return Ok(Arc::new(create_external(flags)?));
    }
    let mut containerizers: Vec<Arc<dyn Containerizer>> = Vec::new();
    for kind in flags
        .containerizers
        .split(',')
        .filter(|kind| !kind.is_empty())
    {
        match kind {
            "mesos" => {
                let mut options =
                    mesos::Options::new(flags.work_dir.clone(), flags.runtime_dir.clone());
                options.isolation = flags.isolation.clone();
                let containerizer = mesos::MesosContainerizer::create(options)
                    .map_err(|e| e.context("Could not create MesosContainerizer"))?;
                containerizers.push(Arc::new(containerizer));
            }
            "external" => containerizers.push(Arc::new(create_external(flags)?)),
            other => {
                return Err(Error::new(format!(
                    "Unknown or unsupported containerizer: {}",
                    other
                )))
            }
        }
    }
    match containerizers.len() {
        0 => Err(Error::new("No containerizer in --containerizers")),
        1 => Ok(containerizers.remove(0)),
        _ => Ok(Arc::new(ComposingContainerizer::new(containerizers))),
    }
}

fn create_external(flags: &crate::slave::flags::Flags) -> Try<external::ExternalContainerizer> {
    let mut options = external::Options::new(
        flags.containerizer_path.clone().unwrap_or_default(),
        flags.work_dir.clone(),
    );
    options.launcher_dir = flags.launcher_dir.clone();
    options.default_container_image = flags.default_container_image.clone();
    options.hadoop_home = flags.hadoop_home.clone();
    external::ExternalContainerizer::create(options)
        .map_err(|e| e.context("Could not create ExternalContainerizer"))
}
