//! The process that owns the external containerizer's containers (the
//! seeds' `ExternalContainerizerProcess`).
//!
//! A container's `launch` invocation comes first: every other command for
//! it waits on its `launched` future (MESOS-1251). One `wait` invocation at
//! a time reaps the container; its `Termination` completes the container.
//! `destroy` runs the program's `destroy`; the pending `wait` invocation
//! then returns how the container ended (or is killed a second later),
//! which completes the container. A failed launch keeps
//! the container until it is destroyed (the agent destroys it right away),
//! so that the program hears `destroy` for it too; its termination comes
//! then. Every invocation but `wait` has a time limit.

use std::collections::{BTreeMap, HashMap, HashSet};

use bytes::Bytes;
use libprocess::{await_all, delay, dispatch, Future, Process, Promise, SelfPid};
use prost::Message;
use stout::Duration;

use super::invoke::{self, Command, Invoker, Sandbox};
use super::{messages, record, Options};
use crate::common::resources::Resources;
use crate::containerizer::{Containers, Destroy, Termination, Update, Usage, Wait};
use crate::slave::containerizer::LaunchResult;
use crate::slave::state::SlaveState;
use crate::slave::{paths, ContainerConfig, ContainerTermination};
use crate::task_status::Reason;
use crate::{ContainerId, ContainerStatus, ResourceStatistics, TaskState};

/// How long the program's `wait` has to return after its `destroy` did.
const WAIT_GRACE: Duration = Duration::from_secs(1);

/// One container the program runs for the agent.
#[derive(Debug)]
struct Container {
    /// Where its invocations run; none for an orphan.
    sandbox: Option<Sandbox>,
    /// Ready once `launch` returned 0; failed with why otherwise.
    launched: Future<()>,
    /// The pid of the `wait` invocation under way.
    waiting: Option<i32>,
    /// How it ended: completed by `wait`'s result (or by a failed launch).
    termination: Promise<Option<ContainerTermination>>,
    /// `destroy` was asked for.
    destroying: bool,
    /// The program's `destroy` returned.
    destroyed: bool,
    /// The program's `destroy` failed: why.
    destroy_error: Option<String>,
    /// What `wait` gave, kept while the program's `destroy` still runs:
    /// a destroyed container ends once both are done.
    waited: Option<Result<Bytes, String>>,
    /// The resources of the last `update`.
    resources: Resources,
}

impl Container {
    fn new(sandbox: Option<Sandbox>, launched: Future<()>) -> Container {
        Container {
            sandbox,
            launched,
            waiting: None,
            termination: Promise::new(),
            destroying: false,
            destroyed: false,
            destroy_error: None,
            waited: None,
            resources: Resources::default(),
        }
    }
}

/// The external containerizer's process.
#[derive(Debug)]
pub struct ExternalContainerizerProcess {
    options: Options,
    invoker: Invoker,
    containers: HashMap<ContainerId, Container>,
}

impl Process for ExternalContainerizerProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "external-containerizer".into()
    }
}

/// A record's payload decoded as `M`.
fn decode<M: Message + Default>(payload: Bytes, what: &str) -> Result<M, String> {
    M::decode(payload).map_err(|e| format!("Failed to parse the {} from the program: {}", what, e))
}

impl ExternalContainerizerProcess {
    pub(super) fn new(options: Options) -> ExternalContainerizerProcess {
        let invoker = Invoker::new(&options.path, &options.work_dir, &options.launcher_dir);
        ExternalContainerizerProcess {
            options,
            invoker,
            containers: HashMap::new(),
        }
    }

    /// Runs `command` for `container_id` within the time limit.
    fn run(
        &self,
        command: Command,
        input: Option<Vec<u8>>,
        sandbox: Option<&Sandbox>,
    ) -> Future<Result<Bytes, String>> {
        match self
            .invoker
            .invoke(command, input, sandbox, BTreeMap::new())
        {
            Ok(invocation) => invocation.done_within(self.options.timeout),
            Err(e) => Future::ready(Err(e.to_string())),
        }
    }

    pub(super) fn recover(&mut self, state: Option<SlaveState>) -> Future<()> {
        tracing::info!("Recovering containerizer");
        let me = self.self_pid();
        self.run(Command::Recover, None, None).then(move |result| {
            if let Err(e) = result {
                return Future::failed(format!("Recover failed: {}", e));
            }
            dispatch(&me, move |p| p.run(Command::Containers, None, None))
                .flatten()
                .then(move |result| {
                    let containers =
                        match result.and_then(|p| decode::<Containers>(p, "Containers")) {
                            Ok(containers) => containers.containers.into_iter().collect(),
                            Err(e) => return Future::failed(format!("Recover failed: {}", e)),
                        };
                    dispatch(&me, move |p| p.reattach(state.as_ref(), containers)).flatten()
                })
        })
    }

    /// Takes back the containers that `state` names and the program still
    /// runs; destroys the others the program runs (orphans).
    fn reattach(
        &mut self,
        state: Option<&SlaveState>,
        mut orphans: HashSet<ContainerId>,
    ) -> Future<()> {
        for framework in state.iter().flat_map(|s| s.frameworks.values()) {
            for executor in framework.executors.values() {
                let (Some(info), Some(latest)) = (&executor.info, &executor.latest) else {
                    tracing::warn!(
                        "Skipping recovery of an executor of framework {:?}: its info or its \
                         latest run could not be recovered",
                        framework.id.as_ref().map(|id| &id.value)
                    );
                    continue;
                };
                if executor
                    .runs
                    .get(&latest.value)
                    .is_none_or(|run| run.completed)
                {
                    continue;
                }
                if !orphans.remove(latest) {
                    tracing::warn!(
                        "Skipping recovery of executor '{}' because the external containerizer \
                         has not identified {} as active",
                        info.executor_id.value,
                        latest.value
                    );
                    continue;
                }
                let (Some(slave_id), Some(framework_id)) =
                    (state.and_then(|s| s.id.as_ref()), framework.id.as_ref())
                else {
                    continue;
                };
                tracing::info!(
                    "Recovering container '{}' for executor '{}' of framework {}",
                    latest.value,
                    info.executor_id.value,
                    framework_id.value
                );
                let directory = paths::get_executor_run_path(
                    &self.options.work_dir,
                    slave_id,
                    framework_id,
                    &info.executor_id,
                    latest,
                );
                let user = info
                    .command
                    .as_ref()
                    .and_then(|c| c.user.clone())
                    .or_else(|| framework.info.as_ref().map(|f| f.user.clone()));
                let sandbox = Sandbox { directory, user };
                self.containers.insert(
                    latest.clone(),
                    Container::new(Some(sandbox), Future::ready(())),
                );
            }
        }

        let mut destroyed = Vec::new();
        for container_id in orphans {
            tracing::info!(
                "Destroying container '{}' as it is in an orphaned state",
                container_id.value
            );
            self.containers.insert(
                container_id.clone(),
                Container::new(None, Future::ready(())),
            );
            destroyed.push(self.destroy(container_id));
        }
        await_all(destroyed).map(|_| tracing::info!("Recovery done"))
    }

    pub(super) fn launch(
        &mut self,
        container_id: ContainerId,
        config: ContainerConfig,
        environment: BTreeMap<String, String>,
        pid_checkpoint_path: Option<String>,
    ) -> Future<LaunchResult> {
        tracing::info!("Launching container '{}'", container_id.value);
        if self.containers.contains_key(&container_id) {
            return Future::ready(LaunchResult::AlreadyLaunched);
        }
        let launch = messages::launch(&container_id, &config, &environment);
        let mut environment = environment;
        if let Some(hadoop_home) = &self.options.hadoop_home {
            environment.insert("HADOOP_HOME".into(), hadoop_home.clone());
        }
        if let Some(image) = &self.options.default_container_image {
            environment.insert("MESOS_DEFAULT_CONTAINER_IMAGE".into(), image.clone());
        }
        let sandbox = Sandbox {
            directory: config.directory.clone(),
            user: config.user.clone(),
        };
        let invocation = match self.invoker.invoke(
            Command::Launch,
            Some(record::frame(&launch)),
            Some(&sandbox),
            environment,
        ) {
            Ok(invocation) => invocation,
            Err(e) => {
                return Future::failed(format!(
                    "Launch of container '{}' failed: {}",
                    container_id.value, e
                ))
            }
        };
        // Recovery of checkpointed executors expects a forked pid: the
        // launch invocation's stands in for it, as with Mesos' external
        // containerizer.
        if let Some(path) = pid_checkpoint_path {
            if let Err(e) = stout::os::write_atomic(&path, invocation.pid().to_string(), false) {
                invoke::kill(invocation.pid());
                return Future::failed(format!("Could not checkpoint executor's pid: {}", e));
            }
        }

        let launched = Promise::new();
        let mut container = Container::new(Some(sandbox), launched.future());
        container.resources = Resources::from(config.resources.clone());
        self.containers.insert(container_id.clone(), container);
        let me = self.self_pid();
        let timeout = self.options.timeout;
        invocation.done_within(timeout).then(move |result| {
            dispatch(&me, move |p| p.launched(&container_id, result, launched)).flatten()
        })
    }

    /// The launch invocation returned.
    fn launched(
        &mut self,
        container_id: &ContainerId,
        result: Result<Bytes, String>,
        launched: Promise<()>,
    ) -> Future<LaunchResult> {
        match result {
            Ok(_) => {
                launched.set(());
                Future::ready(LaunchResult::Success)
            }
            Err(e) => {
                let message = format!("Could not launch container '{}': {}", container_id.value, e);
                launched.fail(message.clone());
                Future::failed(message)
            }
        }
    }

    pub(super) fn wait(
        &mut self,
        container_id: ContainerId,
    ) -> Future<Option<ContainerTermination>> {
        // Only once `launch` returned 0: a failed launch ends with destroy.
        self.once_launched(container_id, false, |p, id| p.start_wait(id))
    }

    /// The container's termination; `then` runs on the process once its
    /// `launch` has returned (succeeded, unless `even_failed`).
    fn once_launched(
        &mut self,
        container_id: ContainerId,
        even_failed: bool,
        then: impl FnOnce(&mut Self, &ContainerId) + Send + 'static,
    ) -> Future<Option<ContainerTermination>> {
        let Some(container) = self.containers.get(&container_id) else {
            return Future::ready(None);
        };
        let termination = container.termination.future();
        let me = self.self_pid();
        container.launched.on_any(move |launched| {
            if even_failed || launched.is_ready() {
                dispatch(&me, move |p| then(p, &container_id));
            }
        });
        termination
    }

    /// Starts the `wait` invocation, unless one is under way.
    fn start_wait(&mut self, container_id: &ContainerId) {
        let Some(container) = self.containers.get_mut(container_id) else {
            return;
        };
        let waited = container.waiting.is_some() || container.waited.is_some();
        if waited || !container.termination.future().is_pending() {
            return;
        }
        let wait = Wait {
            container_id: container_id.clone(),
        };
        let invocation = match self.invoker.invoke(
            Command::Wait,
            Some(record::frame(&wait)),
            container.sandbox.as_ref(),
            BTreeMap::new(),
        ) {
            Ok(invocation) => invocation,
            Err(e) => {
                container.termination.fail(format!(
                    "Wait on container '{}' failed: {}",
                    container_id.value, e
                ));
                self.containers.remove(container_id);
                return;
            }
        };
        container.waiting = Some(invocation.pid());
        let me = self.self_pid();
        let container_id = container_id.clone();
        invocation.done().on_ready(move |result| {
            dispatch(&me, move |p| p.waited(&container_id, result));
        });
    }

    /// The `wait` invocation ended: the container is gone, once the
    /// program's `destroy` (if asked for) has returned too.
    fn waited(&mut self, container_id: &ContainerId, result: Result<Bytes, String>) {
        let Some(container) = self.containers.get_mut(container_id) else {
            return;
        };
        container.waiting = None;
        if container.destroying && !container.destroyed {
            container.waited = Some(result);
            return;
        }
        self.finish(container_id, result);
    }

    /// Completes the container with `wait`'s result and forgets it.
    fn finish(&mut self, container_id: &ContainerId, result: Result<Bytes, String>) {
        let Some(container) = self.containers.remove(container_id) else {
            return;
        };
        let termination = result.and_then(|p| decode::<Termination>(p, "Termination"));
        match (termination, container.destroying, container.destroy_error) {
            (_, true, Some(error)) => {
                container.termination.fail(error);
            }
            (Ok(termination), _, _) => {
                tracing::debug!("Wait Termination: {:?}", termination);
                container
                    .termination
                    .set(Some(messages::termination(&termination)));
            }
            // Killed by `destroy`, as `destroy` asked.
            (Err(_), true, None) => {
                container.termination.set(Some(ContainerTermination {
                    message: Some("Container destroyed".to_string()),
                    ..ContainerTermination::default()
                }));
            }
            (Err(e), false, _) => {
                container.termination.fail(format!(
                    "Wait on container '{}' failed: {}",
                    container_id.value, e
                ));
            }
        }
    }

    pub(super) fn destroy(
        &mut self,
        container_id: ContainerId,
    ) -> Future<Option<ContainerTermination>> {
        self.once_launched(container_id, true, |p, id| p.start_destroy(id))
    }

    /// Runs the program's `destroy` (once `launch` has returned), making
    /// sure a `wait` invocation reaps the container.
    fn start_destroy(&mut self, container_id: &ContainerId) {
        let Some(container) = self.containers.get_mut(container_id) else {
            return;
        };
        if container.destroying {
            return;
        }
        container.destroying = true;
        let launch_failed = container.launched.is_failed();
        if !launch_failed {
            self.start_wait(container_id);
        }
        let Some(container) = self.containers.get(container_id) else {
            return;
        };
        let destroy = Destroy {
            container_id: container_id.clone(),
        };
        let me = self.self_pid();
        let container_id = container_id.clone();
        self.run(
            Command::Destroy,
            Some(record::frame(&destroy)),
            container.sandbox.as_ref(),
        )
        .on_ready(move |result| {
            dispatch(&me, move |p| {
                p.destroyed(&container_id, result, launch_failed)
            });
        });
    }

    /// The program's `destroy` returned: the `wait` invocation goes too.
    fn destroyed(
        &mut self,
        container_id: &ContainerId,
        result: Result<Bytes, String>,
        launch_failed: bool,
    ) {
        if launch_failed {
            if let Err(e) = result {
                tracing::error!(
                    "Destroy of container '{}' failed: {}",
                    container_id.value,
                    e
                );
            }
            if let Some(container) = self.containers.remove(container_id) {
                container.termination.set(Some(ContainerTermination {
                    state: Some(TaskState::TaskFailed as i32),
                    reason: Some(Reason::ContainerLaunchFailed as i32),
                    ..ContainerTermination::default()
                }));
            }
            return;
        }
        let Some(container) = self.containers.get_mut(container_id) else {
            return;
        };
        container.destroyed = true;
        if let Err(e) = result {
            tracing::error!(
                "Destroy of container '{}' failed: {}",
                container_id.value,
                e
            );
            container.destroy_error = Some(format!(
                "Failed to destroy container '{}': {}",
                container_id.value, e
            ));
        }
        if let Some(waited) = container.waited.take() {
            self.finish(container_id, waited);
        } else if let Some(pid) = container.waiting {
            // The program's `wait` returns once its `destroy` has killed
            // the executor, with how it ended; one that does not is killed.
            let container_id = container_id.clone();
            delay(WAIT_GRACE, &self.self_pid(), move |p: &mut Self| {
                p.unwait(&container_id, pid)
            });
        }
    }

    /// Kills the `wait` invocation `pid` if it still runs for the container.
    fn unwait(&mut self, container_id: &ContainerId, pid: i32) {
        let waiting = self.containers.get(container_id).and_then(|c| c.waiting);
        if waiting == Some(pid) {
            invoke::kill(pid);
        }
    }

    pub(super) fn update(&mut self, container_id: ContainerId, resources: Resources) -> Future<()> {
        let Some(container) = self.containers.get(&container_id) else {
            return Future::failed(format!("Container '{}' not running", container_id.value));
        };
        let me = self.self_pid();
        container
            .launched
            .then(move |()| dispatch(&me, move |p| p.run_update(container_id, resources)).flatten())
    }

    fn run_update(&mut self, container_id: ContainerId, resources: Resources) -> Future<()> {
        let Some(container) = self.containers.get_mut(&container_id) else {
            return Future::failed(format!("Container '{}' not running", container_id.value));
        };
        // The program hears of changes only: the agent asks again with the
        // same resources when an executor subscribes.
        if container.resources == resources {
            return Future::ready(());
        }
        container.resources = resources.clone();
        let update = Update {
            container_id: container_id.clone(),
            resources: resources.into(),
        };
        let sandbox = container.sandbox.clone();
        self.run(
            Command::Update,
            Some(record::frame(&update)),
            sandbox.as_ref(),
        )
        .then(|result| Future::from_try(result.map(|_| ()).map_err(stout::Error::new)))
    }

    pub(super) fn usage(&mut self, container_id: ContainerId) -> Future<ResourceStatistics> {
        let Some(container) = self.containers.get(&container_id) else {
            return Future::failed(format!("Container '{}' not running", container_id.value));
        };
        let me = self.self_pid();
        container
            .launched
            .then(move |()| dispatch(&me, move |p| p.run_usage(container_id)).flatten())
    }

    fn run_usage(&mut self, container_id: ContainerId) -> Future<ResourceStatistics> {
        let Some(container) = self.containers.get(&container_id) else {
            return Future::failed(format!("Container '{}' not running", container_id.value));
        };
        let usage = Usage {
            container_id: container_id.clone(),
        };
        self.run(
            Command::Usage,
            Some(record::frame(&usage)),
            container.sandbox.as_ref(),
        )
        .then(|result| {
            let statistics =
                result.and_then(|p| decode::<ResourceStatistics>(p, "ResourceStatistics"));
            Future::from_try(statistics.map_err(stout::Error::new))
        })
    }

    pub(super) fn status(&self, container_id: ContainerId) -> Future<ContainerStatus> {
        if !self.containers.contains_key(&container_id) {
            return Future::failed(format!("Container '{}' not running", container_id.value));
        }
        Future::ready(ContainerStatus {
            container_id: Some(container_id),
            ..ContainerStatus::default()
        })
    }

    pub(super) fn containers(&self) -> HashSet<ContainerId> {
        self.containers.keys().cloned().collect()
    }
}
