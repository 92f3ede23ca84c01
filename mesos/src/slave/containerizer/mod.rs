//! Mesos' containerizer interface: how the agent launches, watches and
//! destroys the containers its executors run in.
//!
//! The agent holds a `Containerizer` and does not know which one it is:
//! the Mesos containerizer (launcher plus isolators), the external
//! containerizer, or a test's own.

pub mod mesos;

use std::collections::{BTreeMap, HashSet};

use libprocess::Future;

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
