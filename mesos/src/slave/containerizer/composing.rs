//! `ComposingContainerizer` (Mesos' `slave/containerizer/composing`):
//! several containerizers tried in order (`--containerizers=mesos,external`).
//! A launch goes to the first that does not answer `NotSupported`; every
//! later call for that container goes to the containerizer that took it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use libprocess::{await_one, collect, dispatch, Future, Process, SelfPid, PID};

use crate::common::resources::Resources;
use crate::slave::containerizer::{Containerizer, LaunchResult};
use crate::slave::state::SlaveState;
use crate::slave::{ContainerConfig, ContainerTermination};
use crate::{ContainerId, ContainerStatus, ResourceStatistics};

/// Containerizers composed in order. Dropping it terminates its process.
#[derive(Debug)]
pub struct ComposingContainerizer {
    process: PID<ComposingContainerizerProcess>,
}

/// A container and who runs it.
#[derive(Debug)]
struct Container {
    /// The index of the containerizer that has it (or is being asked).
    containerizer: usize,
    /// `destroy` was asked for (a launch still being placed stops).
    destroying: bool,
}

/// The process behind [`ComposingContainerizer`].
pub struct ComposingContainerizerProcess {
    containerizers: Vec<Arc<dyn Containerizer>>,
    containers: HashMap<ContainerId, Container>,
}

impl std::fmt::Debug for ComposingContainerizerProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ComposingContainerizerProcess")
            .field("containerizers", &self.containerizers.len())
            .field("containers", &self.containers)
            .finish()
    }
}

impl Process for ComposingContainerizerProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "composing-containerizer".into()
    }
}

impl ComposingContainerizer {
    /// Composes `containerizers`, tried in this order. Spawns its process
    /// on the current runtime.
    pub fn new(containerizers: Vec<Arc<dyn Containerizer>>) -> ComposingContainerizer {
        ComposingContainerizer {
            process: libprocess::spawn(ComposingContainerizerProcess {
                containerizers,
                containers: HashMap::new(),
            }),
        }
    }

    /// Runs `f` with the containerizer that has `container_id`, or
    /// returns `unknown` for a container none has.
    fn forward<T, F>(&self, container_id: &ContainerId, unknown: Future<T>, f: F) -> Future<T>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(&dyn Containerizer) -> Future<T> + Send + 'static,
    {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| {
            match p
                .containers
                .get(&container_id)
                .map(|c| p.containerizers[c.containerizer].clone())
            {
                Some(containerizer) => f(containerizer.as_ref()),
                None => unknown,
            }
        })
        .flatten()
    }
}

impl Drop for ComposingContainerizer {
    fn drop(&mut self) {
        libprocess::terminate(&self.process, true);
    }
}

impl ComposingContainerizerProcess {
    fn recover(&mut self, state: Option<SlaveState>) -> Future<()> {
        let recovered: Vec<Future<HashSet<ContainerId>>> = self
            .containerizers
            .iter()
            .map(|containerizer| {
                let containerizer = containerizer.clone();
                containerizer
                    .recover(state.as_ref())
                    .then(move |()| containerizer.containers())
            })
            .collect();
        let me = self.self_pid();
        collect(recovered).then(move |sets| {
            dispatch(&me, move |p| {
                for (index, set) in sets.into_iter().enumerate() {
                    for container_id in set {
                        p.adopt(container_id, index);
                    }
                }
            })
        })
    }

    /// Records that containerizer `index` has `container_id`, until it ends.
    fn adopt(&mut self, container_id: ContainerId, index: usize) {
        self.containers
            .entry(container_id.clone())
            .or_insert(Container {
                containerizer: index,
                destroying: false,
            })
            .containerizer = index;
        let me = self.self_pid();
        self.containerizers[index]
            .wait(&container_id)
            .on_any(move |_| {
                dispatch(&me, move |p| p.containers.remove(&container_id));
            });
    }

    fn launch(
        &mut self,
        container_id: ContainerId,
        config: ContainerConfig,
        environment: BTreeMap<String, String>,
        pid_checkpoint_path: Option<String>,
        index: usize,
    ) -> Future<LaunchResult> {
        if index == 0 && self.containers.contains_key(&container_id) {
            return Future::ready(LaunchResult::AlreadyLaunched);
        }
        let Some(containerizer) = self.containerizers.get(index).cloned() else {
            self.containers.remove(&container_id);
            return Future::ready(LaunchResult::NotSupported);
        };
        let container = self
            .containers
            .entry(container_id.clone())
            .or_insert(Container {
                containerizer: index,
                destroying: false,
            });
        container.containerizer = index;
        let me = self.self_pid();
        let launched = containerizer.launch(
            &container_id,
            config.clone(),
            environment.clone(),
            pid_checkpoint_path.clone(),
        );
        await_one(launched).then(move |launched| {
            dispatch(&me, move |p| {
                let destroyed = p.containers.get(&container_id).is_none_or(|c| c.destroying);
                match launched.value().copied() {
                    // A failed launch stays until it is destroyed, so the
                    // containerizer that failed hears of the destroy.
                    None => launched,
                    // The last one's answer stands; an earlier one's
                    // stops the loop when a destroy came meanwhile.
                    Some(LaunchResult::NotSupported) if index + 1 == p.containerizers.len() => {
                        p.containers.remove(&container_id);
                        launched
                    }
                    Some(LaunchResult::NotSupported) if destroyed => {
                        p.containers.remove(&container_id);
                        Future::failed("Container was destroyed while launching")
                    }
                    Some(LaunchResult::NotSupported) => p.launch(
                        container_id,
                        config,
                        environment,
                        pid_checkpoint_path,
                        index + 1,
                    ),
                    Some(LaunchResult::Success) => {
                        p.adopt(container_id, index);
                        launched
                    }
                    Some(LaunchResult::AlreadyLaunched) => launched,
                }
            })
            .flatten()
        })
    }

    fn destroy(&mut self, container_id: ContainerId) -> Future<Option<ContainerTermination>> {
        let Some(container) = self.containers.get_mut(&container_id) else {
            return Future::ready(None);
        };
        container.destroying = true;
        let containerizer = self.containerizers[container.containerizer].clone();
        let me = self.self_pid();
        let destroyed = containerizer.destroy(&container_id);
        destroyed.on_any(move |_| {
            dispatch(&me, move |p| p.containers.remove(&container_id));
        });
        destroyed
    }
}

impl Containerizer for ComposingContainerizer {
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
            p.launch(container_id, config, environment, pid_checkpoint_path, 0)
        })
        .flatten()
    }

    fn update(
        &self,
        container_id: &ContainerId,
        resource_requests: Resources,
        resource_limits: BTreeMap<String, f64>,
    ) -> Future<()> {
        let id = container_id.clone();
        let unknown = Future::failed(format!("Unknown container {}", container_id.value));
        self.forward(container_id, unknown, move |c| {
            c.update(&id, resource_requests, resource_limits)
        })
    }

    fn usage(&self, container_id: &ContainerId) -> Future<ResourceStatistics> {
        let id = container_id.clone();
        let unknown = Future::failed(format!("Unknown container {}", container_id.value));
        self.forward(container_id, unknown, move |c| c.usage(&id))
    }

    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus> {
        let id = container_id.clone();
        let unknown = Future::failed(format!("Unknown container {}", container_id.value));
        self.forward(container_id, unknown, move |c| c.status(&id))
    }

    fn wait(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        let id = container_id.clone();
        self.forward(container_id, Future::ready(None), move |c| c.wait(&id))
    }

    fn destroy(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| p.destroy(container_id)).flatten()
    }

    fn kill(&self, container_id: &ContainerId, signal: i32) -> Future<bool> {
        let id = container_id.clone();
        self.forward(container_id, Future::ready(false), move |c| {
            c.kill(&id, signal)
        })
    }

    fn containers(&self) -> Future<HashSet<ContainerId>> {
        dispatch(&self.process, |p| p.containers.keys().cloned().collect())
    }
}
