//! Mesos' `Isolator` interface: what the Mesos containerizer asks of each
//! isolator it was given with `--isolation`.

use std::collections::{BTreeMap, HashSet};

use libprocess::Future;

use crate::common::resources::Resources;
use crate::slave::{ContainerConfig, ContainerLaunchInfo, ContainerLimitation, ContainerState};
use crate::{ContainerId, ContainerStatus, ResourceStatistics};

/// An isolator (Mesos' `mesos::slave::Isolator`). The containerizer calls
/// `prepare` before the container's init process exists, `isolate` with
/// its pid before it runs the command, and `cleanup` once every process
/// of the container is gone.
pub trait Isolator: Send + Sync + 'static {
    /// Takes over the recovered containers' `states`; `orphans` are
    /// containers that will be destroyed.
    fn recover(&self, states: &[ContainerState], orphans: &HashSet<ContainerId>) -> Future<()>;

    /// Prepares for a new container; what it returns is merged into the
    /// container's launch.
    fn prepare(
        &self,
        container_id: &ContainerId,
        config: &ContainerConfig,
    ) -> Future<Option<ContainerLaunchInfo>>;

    /// Isolates the container's init process `pid`.
    fn isolate(&self, container_id: &ContainerId, pid: i32) -> Future<()>;

    /// Becomes ready if the container reaches a limit it must die for.
    fn watch(&self, container_id: &ContainerId) -> Future<ContainerLimitation>;

    /// Applies new resource requests and limits.
    fn update(
        &self,
        container_id: &ContainerId,
        resource_requests: &Resources,
        resource_limits: &BTreeMap<String, f64>,
    ) -> Future<()>;

    /// The container's resource usage, as far as this isolator measures
    /// it.
    fn usage(&self, container_id: &ContainerId) -> Future<ResourceStatistics>;

    /// What this isolator adds to the container's status.
    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus> {
        let _ = container_id;
        Future::ready(ContainerStatus::default())
    }

    /// Forgets the container, whose processes are all gone.
    fn cleanup(&self, container_id: &ContainerId) -> Future<()>;
}
