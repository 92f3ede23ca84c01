//! `MesosContainerizer`: the handle the agent holds, and the process that
//! owns the containers (Mesos' `MesosContainerizerProcess`).
//!
//! A container goes PREPARING (isolators prepare) → ISOLATING (its init
//! process is forked; isolators isolate it) → RUNNING, and DESTROYING
//! from any of these: the launcher kills its processes, the isolators
//! clean up, and `wait`/`destroy` complete with how it ended. A container
//! whose init process exits is destroyed the same way. The posix
//! isolators need nothing done before the command runs, so the init
//! process runs the command right away (Mesos' launch helper waits for a
//! signal after isolation).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use libprocess::metrics::Counter;
use libprocess::{await_all, collect, dispatch, Future, Process, Promise, SelfPid, PID};
use prost::Message;
use stout::{Error, Try};

use super::isolator::Isolator;
use super::isolators::posix::PosixIsolator;
use super::launch::{command, container_environment, lookup_user, User};
use super::launcher::{Launcher, SubprocessLauncher};
use super::usage::aggregate;
use crate::common::resources::Resources;
use crate::slave::containerizer::{Containerizer, LaunchResult};
use crate::slave::state::SlaveState;
use crate::slave::{ContainerConfig, ContainerLaunchInfo, ContainerState, ContainerTermination};
use crate::{container_info, ContainerId, ContainerStatus, ResourceStatistics};

/// The isolators used when `--isolation` is not given.
pub const DEFAULT_ISOLATION: &str = "posix/cpu,posix/mem";

/// The file under a container's runtime directory holding its init pid.
const PID_FILE: &str = "pid";

/// The agent flags the Mesos containerizer reads.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--work_dir`: where the sandboxes are (recovery finds a run's
    /// sandbox there).
    pub work_dir: String,
    /// `--runtime_dir`: where the containerizer checkpoints its
    /// containers' pids, to find orphans after a restart.
    pub runtime_dir: String,
    /// `--isolation`: a comma-separated list of isolators.
    pub isolation: String,
}

impl Options {
    /// Options with the default isolation.
    pub fn new(work_dir: impl Into<String>, runtime_dir: impl Into<String>) -> Options {
        Options {
            work_dir: work_dir.into(),
            runtime_dir: runtime_dir.into(),
            isolation: DEFAULT_ISOLATION.to_string(),
        }
    }
}

/// The isolators `isolation` names, in order. Duplicates and unknown
/// names are errors; `process` is the deprecated name of
/// `posix/cpu,posix/mem`.
fn create_isolators(isolation: &str) -> Try<Vec<Arc<dyn Isolator>>> {
    let tokens: Vec<&str> = isolation.split(',').filter(|t| !t.is_empty()).collect();
    let unique: HashSet<&str> = tokens.iter().copied().collect();
    if unique.len() != tokens.len() {
        return Err(Error::new(format!(
            "Duplicate entries found in --isolation flag '{:?}'",
            tokens
        )));
    }
    let mut names = Vec::new();
    for token in tokens {
        if token == "process" {
            tracing::warn!(
                "The 'process' isolation flag is deprecated, please update your flags to \
                 '--isolation=posix/cpu,posix/mem'."
            );
            names.extend(["posix/cpu", "posix/mem"]);
        } else {
            names.push(token);
        }
    }
    names.dedup();
    tracing::info!("Using isolation {:?}", names);
    names
        .into_iter()
        .map(|name| -> Try<Arc<dyn Isolator>> {
            match name {
                "posix/cpu" => Ok(Arc::new(PosixIsolator::cpu())),
                "posix/mem" => Ok(Arc::new(PosixIsolator::mem())),
                other => Err(Error::new(format!(
                    "Unknown or unsupported isolator '{}'",
                    other
                ))),
            }
        })
        .collect()
}

/// The Mesos containerizer. Cheap to share behind an `Arc`; dropping it
/// terminates its process.
#[derive(Debug)]
pub struct MesosContainerizer {
    process: PID<MesosContainerizerProcess>,
}

impl MesosContainerizer {
    /// The containerizer the agent's flags describe: the posix launcher
    /// and the `--isolation` isolators. Spawns its process on the current
    /// runtime.
    pub fn create(options: Options) -> Try<MesosContainerizer> {
        let isolators = create_isolators(&options.isolation)?;
        Ok(MesosContainerizer::new(
            options,
            Arc::new(SubprocessLauncher::new()),
            isolators,
        ))
    }

    /// A containerizer with the given launcher and isolators (tests give
    /// their own).
    pub fn new(
        options: Options,
        launcher: Arc<dyn Launcher>,
        isolators: Vec<Arc<dyn Isolator>>,
    ) -> MesosContainerizer {
        let destroy_errors = Counter::new("containerizer/mesos/container_destroy_errors");
        // Another containerizer in this runtime may hold the name.
        libprocess::metrics::add(destroy_errors.clone()).on_failed(|error| {
            tracing::warn!("Failed to add the containerizer's metrics: {}", error)
        });
        let process = libprocess::spawn(MesosContainerizerProcess {
            options,
            launcher,
            isolators,
            containers: HashMap::new(),
            destroy_errors,
        });
        MesosContainerizer { process }
    }
}

impl Drop for MesosContainerizer {
    fn drop(&mut self) {
        libprocess::terminate(&self.process, true);
    }
}

impl Containerizer for MesosContainerizer {
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

    fn update(
        &self,
        container_id: &ContainerId,
        resource_requests: Resources,
        resource_limits: BTreeMap<String, f64>,
    ) -> Future<()> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| {
            p.update(container_id, resource_requests, resource_limits)
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
        dispatch(&self.process, move |p| p.wait(&container_id)).flatten()
    }

    fn destroy(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        let container_id = container_id.clone();
        libprocess::dispatch!(
            &self.process,
            MesosContainerizerProcess::destroy,
            container_id,
            None
        )
    }

    fn kill(&self, container_id: &ContainerId, signal: i32) -> Future<bool> {
        let container_id = container_id.clone();
        dispatch(&self.process, move |p| p.kill(container_id, signal)).flatten()
    }

    fn containers(&self) -> Future<HashSet<ContainerId>> {
        dispatch(&self.process, |p| p.containers.keys().cloned().collect())
    }
}

/// Where a container is in its life (Mesos' `MesosContainerizerProcess::State`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum State {
    Preparing,
    Isolating,
    Running,
    Destroying,
}

/// One container (Mesos' `MesosContainerizerProcess::Container`).
pub(super) struct Container {
    pub(super) state: State,
    /// The init process, once forked (or recovered).
    pub(super) pid: Option<i32>,
    /// The init process' wait status, once reaped (`None`: not our child).
    pub(super) status: Option<Future<Option<i32>>>,
    /// The isolators' preparations, then their isolation.
    pub(super) preparing: Future<()>,
    pub(super) isolation: Future<()>,
    pub(super) termination: Promise<ContainerTermination>,
    pub(super) resource_requests: Option<Resources>,
    pub(super) resource_limits: Option<BTreeMap<String, f64>>,
}

impl Container {
    fn new(state: State) -> Container {
        Container {
            state,
            pid: None,
            status: None,
            preparing: Future::ready(()),
            isolation: Future::ready(()),
            termination: Promise::new(),
            resource_requests: None,
            resource_limits: None,
        }
    }
}

/// The process owning the containers (its `destroy` is dispatched by
/// name, for tests to await).
pub struct MesosContainerizerProcess {
    pub(super) options: Options,
    pub(super) launcher: Arc<dyn Launcher>,
    pub(super) isolators: Vec<Arc<dyn Isolator>>,
    pub(super) containers: HashMap<ContainerId, Container>,
    /// `containerizer/mesos/container_destroy_errors`.
    pub(super) destroy_errors: Counter,
}

impl std::fmt::Debug for MesosContainerizerProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MesosContainerizerProcess")
            .field("containers", &self.containers.len())
            .finish_non_exhaustive()
    }
}

impl Process for MesosContainerizerProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "mesos-containerizer".into()
    }

    fn finalize(&mut self) {
        drop(libprocess::metrics::remove(&self.destroy_errors));
    }
}

/// `<runtime_dir>/containers/<container id>`.
pub(super) fn runtime_path(runtime_dir: &str, container_id: &ContainerId) -> String {
    stout::path::join_all([runtime_dir, "containers", &container_id.value])
}

/// Writes `contents` to `path` atomically, creating its directory (Mesos'
/// `state::checkpoint` with its default, no fsync: the pid checkpoints
/// are written on the launch path, where a disk flush would delay every
/// task).
fn checkpoint(path: &str, contents: &str) -> Try<()> {
    stout::os::mkdir(stout::path::dirname(path), true)?;
    stout::os::write_atomic(path, contents, false)
}

impl MesosContainerizerProcess {
    fn recover(&mut self, state: Option<SlaveState>) -> Future<()> {
        tracing::info!("Recovering Mesos containers");
        let recoverable = state
            .as_ref()
            .map(|state| self.recoverable(state))
            .unwrap_or_default();
        for run in &recoverable {
            // A pid that does not fit was refused by `recoverable`.
            let pid = i32::try_from(run.pid).unwrap_or_default();
            let mut container = Container::new(State::Running);
            container.pid = Some(pid);
            container.status = Some(libprocess::reap(pid));
            self.containers.insert(run.container_id.clone(), container);
        }

        // A container with a checkpointed pid that the agent does not
        // know of is an orphan: it is destroyed.
        let mut orphan_states = Vec::new();
        let containers_dir = stout::path::join(&self.options.runtime_dir, "containers");
        if stout::os::exists(&containers_dir) {
            let names = match stout::os::ls(&containers_dir) {
                Ok(names) => names,
                Err(e) => return Future::failed(format!("Failed to list containers: {}", e)),
            };
            for name in names {
                let container_id = ContainerId {
                    value: name,
                    parent: None,
                };
                if self.containers.contains_key(&container_id) {
                    continue;
                }
                let path = stout::path::join(
                    &runtime_path(&self.options.runtime_dir, &container_id),
                    PID_FILE,
                );
                let Some(pid) = stout::os::read(&path)
                    .ok()
                    .and_then(|pid| pid.trim().parse::<i32>().ok())
                    .filter(|pid| *pid > 0)
                else {
                    // No init process was ever forked: only the
                    // directory is left.
                    let _ = stout::os::rmdir(
                        runtime_path(&self.options.runtime_dir, &container_id),
                        true,
                        true,
                    );
                    continue;
                };
                let mut container = Container::new(State::Running);
                container.pid = Some(pid);
                container.status = Some(libprocess::reap(pid));
                self.containers.insert(container_id.clone(), container);
                orphan_states.push(ContainerState {
                    container_id,
                    pid: pid as u64,
                    directory: String::new(),
                    ..ContainerState::default()
                });
            }
        }

        let all: Vec<ContainerState> = recoverable
            .iter()
            .chain(orphan_states.iter())
            .cloned()
            .collect();
        let mut orphans: HashSet<ContainerId> = orphan_states
            .iter()
            .map(|state| state.container_id.clone())
            .collect();
        let launcher = self.launcher.clone();
        let isolators = self.isolators.clone();
        let me = self.self_pid();
        launcher.recover(&all).then(move |more| {
            orphans.extend(more);
            let recovering = isolators
                .iter()
                .map(|isolator| isolator.recover(&recoverable, &orphans))
                .collect();
            collect(recovering).then(move |_| {
                dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                    p.recovered(recoverable, orphans)
                })
            })
        })
    }

    /// The latest live runs `state` names with a forked pid, as
    /// `ContainerState`s.
    fn recoverable(&self, state: &SlaveState) -> Vec<ContainerState> {
        let mut result = Vec::new();
        let Some(slave_id) = &state.id else {
            return result;
        };
        for framework in state.frameworks.values() {
            let Some(framework_id) = &framework.id else {
                continue;
            };
            for executor in framework.executors.values() {
                let Some(executor_id) = &executor.id else {
                    continue;
                };
                let Some(info) = &executor.info else {
                    tracing::warn!(
                        "Skipping recovery of executor '{}' of framework {} because its \
                         info could not be recovered",
                        executor_id.value,
                        framework_id.value
                    );
                    continue;
                };
                let Some(latest) = &executor.latest else {
                    tracing::warn!(
                        "Skipping recovery of executor '{}' of framework {} because its \
                         latest run could not be recovered",
                        executor_id.value,
                        framework_id.value
                    );
                    continue;
                };
                let Some(run) = executor.runs.get(&latest.value) else {
                    continue;
                };
                let Some(pid) = run.forked_pid.filter(|pid| *pid > 0) else {
                    continue;
                };
                if run.completed {
                    continue;
                }
                let mesos = container_info::Type::Mesos as i32;
                if info.container.as_ref().is_some_and(|c| c.r#type != mesos) {
                    tracing::info!(
                        "Skipping recovery of executor '{}' of framework {} because it was \
                         not launched from mesos containerizer",
                        executor_id.value,
                        framework_id.value
                    );
                    continue;
                }
                tracing::info!(
                    "Recovering container {} for executor '{}' of framework {}",
                    latest.value,
                    executor_id.value,
                    framework_id.value
                );
                let directory = crate::slave::paths::get_executor_run_path(
                    &self.options.work_dir,
                    slave_id,
                    framework_id,
                    executor_id,
                    latest,
                );
                result.push(ContainerState {
                    executor_info: Some(info.clone()),
                    container_id: latest.clone(),
                    pid: pid as u64,
                    directory,
                    ..ContainerState::default()
                });
            }
        }
        result
    }

    fn recovered(&mut self, recoverable: Vec<ContainerState>, orphans: HashSet<ContainerId>) {
        for run in recoverable {
            self.watch(&run.container_id);
        }
        for container_id in orphans {
            tracing::info!("Cleaning up orphan container {}", container_id.value);
            // Not waited for, as in Mesos.
            drop(self.destroy(container_id, None));
        }
    }

    /// Destroys the container when its init process is reaped or an
    /// isolator reports a limitation.
    fn watch(&mut self, container_id: &ContainerId) {
        let Some(container) = self.containers.get(container_id) else {
            return;
        };
        let me = self.self_pid();
        if let Some(status) = &container.status {
            let (me, container_id) = (me.clone(), container_id.clone());
            status.on_any(move |_| {
                dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                    p.reaped(container_id)
                })
            });
        }
        for isolator in &self.isolators {
            let (me, container_id) = (me.clone(), container_id.clone());
            isolator
                .watch(&container_id.clone())
                .on_any(move |limitation| {
                    dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                        p.limited(container_id, limitation)
                    })
                });
        }
    }

    fn launch(
        &mut self,
        container_id: ContainerId,
        config: ContainerConfig,
        environment: BTreeMap<String, String>,
        pid_checkpoint_path: Option<String>,
    ) -> Future<LaunchResult> {
        if self.containers.contains_key(&container_id) {
            return Future::ready(LaunchResult::AlreadyLaunched);
        }
        let mesos = container_info::Type::Mesos as i32;
        if config
            .container_info
            .as_ref()
            .is_some_and(|info| info.r#type != mesos)
        {
            return Future::ready(LaunchResult::NotSupported);
        }
        if container_id.parent.is_some() {
            return Future::failed("Nested containers are not supported");
        }
        // Mesos' launch helper switches to the user unless it is the
        // agent's own.
        let user = match &config.user {
            Some(name) => match lookup_user(name) {
                Ok(user) if user.uid == nix::unistd::geteuid().as_raw() => None,
                Ok(user) => Some(user),
                Err(error) => return Future::failed(error.to_string()),
            },
            None => None,
        };
        tracing::info!(
            "Starting container {} with directory '{}'",
            container_id.value,
            config.directory
        );

        let preparations: Vec<_> = self
            .isolators
            .iter()
            .map(|isolator| isolator.prepare(&container_id, &config))
            .collect();
        let launch_infos = collect(preparations);
        let mut container = Container::new(State::Preparing);
        container.preparing = launch_infos.map(|_| ());
        self.containers.insert(container_id.clone(), container);

        let me = self.self_pid();
        launch_infos.then(move |launch_infos| {
            dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                p.fork(
                    container_id,
                    config,
                    environment,
                    pid_checkpoint_path,
                    user,
                    launch_infos,
                )
            })
            .flatten()
        })
    }

    /// Forks the init process once the isolators are prepared (Mesos'
    /// `_launch`), then isolates it.
    fn fork(
        &mut self,
        container_id: ContainerId,
        config: ContainerConfig,
        environment: BTreeMap<String, String>,
        pid_checkpoint_path: Option<String>,
        user: Option<User>,
        launch_infos: Vec<Option<ContainerLaunchInfo>>,
    ) -> Future<LaunchResult> {
        match self.containers.get(&container_id) {
            None => return Future::failed("Container destroyed during preparing"),
            Some(c) if c.state == State::Destroying => {
                return Future::failed("Container is being destroyed during preparing")
            }
            Some(_) => {}
        }
        let environment = container_environment(environment, &config, &launch_infos);
        let child = match self
            .launcher
            .fork(&container_id, command(&config, environment, user))
        {
            Ok(child) => child,
            Err(error) => return Future::failed(format!("Failed to fork: {}", error)),
        };
        let pid = child.pid();
        let Some(container) = self.containers.get_mut(&container_id) else {
            return Future::failed("Container destroyed during preparing");
        };
        container.pid = Some(pid);
        container.status = Some(child.status());
        container.state = State::Isolating;

        if let Some(path) = pid_checkpoint_path {
            tracing::info!("Checkpointing container's forked pid {} to '{}'", pid, path);
            if let Err(error) = checkpoint(&path, &pid.to_string()) {
                tracing::error!(
                    "Failed to checkpoint container's forked pid to '{}': {}",
                    path,
                    error
                );
                self.watch(&container_id);
                return Future::failed("Could not checkpoint container's pid");
            }
        }
        let pid_path = stout::path::join(
            &runtime_path(&self.options.runtime_dir, &container_id),
            PID_FILE,
        );
        if let Err(error) = checkpoint(&pid_path, &pid.to_string()) {
            self.watch(&container_id);
            return Future::failed(format!(
                "Failed to checkpoint the container pid to '{}': {}",
                pid_path, error
            ));
        }

        let isolations: Vec<_> = self
            .isolators
            .iter()
            .map(|isolator| isolator.isolate(&container_id, pid))
            .collect();
        let isolation = collect(isolations).map(|_| ());
        if let Some(container) = self.containers.get_mut(&container_id) {
            container.isolation = isolation.clone();
        }
        self.watch(&container_id);

        let me = self.self_pid();
        isolation.then(move |()| {
            dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                p.isolated(container_id)
            })
            .flatten()
        })
    }

    fn isolated(&mut self, container_id: ContainerId) -> Future<LaunchResult> {
        match self.containers.get_mut(&container_id) {
            None => Future::failed("Container destroyed during isolating"),
            Some(c) if c.state == State::Destroying => {
                Future::failed("Container is being destroyed during isolating")
            }
            Some(c) => {
                c.state = State::Running;
                Future::ready(LaunchResult::Success)
            }
        }
    }

    fn update(
        &mut self,
        container_id: ContainerId,
        resource_requests: Resources,
        resource_limits: BTreeMap<String, f64>,
    ) -> Future<()> {
        let Some(container) = self.containers.get_mut(&container_id) else {
            tracing::warn!(
                "Ignoring update for unknown container {}",
                container_id.value
            );
            return Future::ready(());
        };
        if container.state == State::Destroying {
            tracing::warn!(
                "Ignoring update for currently being destroyed container {}",
                container_id.value
            );
            return Future::ready(());
        }
        let updates = self
            .isolators
            .iter()
            .map(|isolator| isolator.update(&container_id, &resource_requests, &resource_limits))
            .collect();
        container.resource_requests = Some(resource_requests);
        container.resource_limits = Some(resource_limits);
        collect(updates).map(|_| ())
    }

    fn usage(&mut self, container_id: ContainerId) -> Future<ResourceStatistics> {
        let Some(container) = self.containers.get(&container_id) else {
            return Future::failed(format!("Unknown container {}", container_id.value));
        };
        let requests = container.resource_requests.clone();
        let limits = container.resource_limits.clone();
        let usages = self
            .isolators
            .iter()
            .map(|isolator| isolator.usage(&container_id))
            .collect();
        await_all(usages).then(move |statistics| {
            Future::from_try(aggregate(&container_id, requests, limits, statistics))
        })
    }

    fn status(&mut self, container_id: ContainerId) -> Future<ContainerStatus> {
        if !self.containers.contains_key(&container_id) {
            return Future::failed(format!("Unknown container: {}", container_id.value));
        }
        let mut statuses: Vec<_> = self
            .isolators
            .iter()
            .map(|isolator| isolator.status(&container_id))
            .collect();
        statuses.push(self.launcher.status(&container_id));
        await_all(statuses).map(move |statuses| {
            let mut result = ContainerStatus {
                container_id: Some(container_id.clone()),
                ..ContainerStatus::default()
            };
            for status in statuses {
                match status.value() {
                    // Protobuf's MergeFrom: set fields override, repeated
                    // ones append.
                    Some(status) => {
                        let _ = result.merge(status.encode_to_vec().as_slice());
                    }
                    None => tracing::warn!(
                        "Skipping status for container {} because: {}",
                        container_id.value,
                        status.failure().unwrap_or("discarded")
                    ),
                }
            }
            result
        })
    }

    fn wait(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        match self.containers.get(container_id) {
            Some(container) => container.termination.future().map(Some),
            None => Future::ready(None),
        }
    }

    fn kill(&mut self, container_id: ContainerId, signal: i32) -> Future<bool> {
        let Some(container) = self.containers.get(&container_id) else {
            tracing::warn!("Attempted to kill unknown container {}", container_id.value);
            return Future::ready(false);
        };
        tracing::info!(
            "Sending signal {} to container {} in {:?} state",
            signal,
            container_id.value,
            container.state
        );
        let Some(pid) = container.pid else {
            tracing::warn!(
                "Unable to find the pid for container {}, destroying it",
                container_id.value
            );
            drop(self.destroy(container_id, None));
            return Future::ready(true);
        };
        let signal = match nix::sys::signal::Signal::try_from(signal) {
            Ok(signal) => signal,
            Err(e) => {
                return Future::failed(format!("Unable to send signal to container: {}", e.desc()))
            }
        };
        match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal) {
            Ok(()) => Future::ready(true),
            Err(e) => Future::failed(format!("Unable to send signal to container: {}", e.desc())),
        }
    }
}
