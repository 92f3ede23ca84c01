//! Mesos' `TestContainerizer`: runs executors inside the test's own OS
//! process, each a mock behind a real executor
//! driver that talks to the agent as a launched executor would.
//! (Mesos' also runs v1 HTTP executors; that comes with the mock HTTP
//! executor.)

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use libprocess::{Future, Promise};
use parking_lot::Mutex;

use crate::common::resources::Resources;
use crate::exec::{ExecutorConfig, MesosExecutorDriver};
use crate::slave::containerizer::{Containerizer, LaunchResult};
use crate::slave::state::SlaveState;
use crate::slave::{ContainerConfig, ContainerTermination};
use crate::{ContainerId, ContainerStatus, ExecutorId, FrameworkId, ResourceStatistics};

use super::{Expectations, MockExecutor};

struct Container {
    executor_id: Option<ExecutorId>,
    framework_id: Option<FrameworkId>,
    termination: Promise<ContainerTermination>,
}

#[derive(Default)]
struct State {
    executors: HashMap<ExecutorId, MockExecutor>,
    drivers: HashMap<ExecutorId, MesosExecutorDriver>,
    containers: HashMap<ContainerId, Container>,
    terminated: HashMap<ContainerId, ContainerTermination>,
    /// What `usage` answers, if not the default statistics.
    usage: Option<Result<ResourceStatistics, String>>,
    /// What `status` answers, if not the container ID alone.
    status: Option<ContainerStatus>,
}

/// A containerizer whose containers are in-process executors. Clones
/// share the containers.
#[derive(Clone, Default)]
pub struct TestContainerizer {
    state: Arc<Mutex<State>>,
    /// Every `update(container_id, resources)` call (Mesos' tests expect
    /// these on a launch).
    pub update: Expectations<TestContainerizer, (ContainerId, Resources)>,
    /// Every `launch(container_id, config)` call, before it runs.
    pub launch: Expectations<TestContainerizer, (ContainerId, ContainerConfig)>,
}

impl std::fmt::Debug for TestContainerizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.lock();
        f.debug_struct("TestContainerizer")
            .field("containers", &state.containers.len())
            .finish()
    }
}

impl TestContainerizer {
    /// A containerizer that runs `executor` for executors with its ID.
    pub fn new(executor: &MockExecutor) -> TestContainerizer {
        let containerizer = TestContainerizer::default();
        containerizer.add(executor);
        containerizer
    }

    /// Runs `executor` for executors with its ID too.
    pub fn add(&self, executor: &MockExecutor) {
        self.state
            .lock()
            .executors
            .insert(executor.id.clone(), executor.clone());
    }

    /// gmock's `EXPECT_CALL(containerizer, usage(_))
    /// .WillRepeatedly(Return(...))`: every container's usage is
    /// `usage` from now on (a failure with `Err`).
    pub fn will_report_usage(&self, usage: Result<ResourceStatistics, String>) {
        self.state.lock().usage = Some(usage);
    }

    /// Likewise for `status`: every container's status is `status`.
    pub fn will_report_status(&self, status: ContainerStatus) {
        self.state.lock().status = Some(status);
    }

    /// Destroys the container of `executor_id` of `framework_id` (tests do
    /// not know the container IDs the agent picks).
    pub fn destroy_executor(
        &self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
    ) -> Future<Option<ContainerTermination>> {
        let container_id = {
            let state = self.state.lock();
            state
                .containers
                .iter()
                .find(|(_, c)| {
                    c.framework_id.as_ref() == Some(framework_id)
                        && c.executor_id.as_ref() == Some(executor_id)
                })
                .map(|(id, _)| id.clone())
        };
        match container_id {
            Some(container_id) => self.destroy(&container_id),
            None => {
                tracing::warn!(
                    "Ignoring destroy of unknown container for executor '{}' of framework {}",
                    executor_id.value,
                    framework_id.value
                );
                Future::ready(None)
            }
        }
    }
}

impl Containerizer for TestContainerizer {
    fn recover(&self, _state: Option<&SlaveState>) -> Future<()> {
        Future::ready(())
    }

    fn launch(
        &self,
        container_id: &ContainerId,
        config: ContainerConfig,
        environment: BTreeMap<String, String>,
        _pid_checkpoint_path: Option<String>,
    ) -> Future<LaunchResult> {
        self.launch
            .call(self, (container_id.clone(), config.clone()));
        let mut state = self.state.lock();
        if state.terminated.contains_key(container_id)
            || state.containers.contains_key(container_id)
        {
            return Future::failed(format!(
                "Container {} was launched before",
                container_id.value
            ));
        }
        let executor_info = config.executor_info.clone().unwrap_or_default();
        let executor_id = executor_info.executor_id.clone();
        let Some(executor) = state.executors.get(&executor_id).cloned() else {
            return Future::failed(format!(
                "Failed to launch executor '{}': it is unknown to the containerizer",
                executor_id.value
            ));
        };
        // The executor lives in this OS process: its environment goes to
        // its driver directly, not through this process' environment.
        let mut full: HashMap<String, String> = std::env::vars().collect();
        full.extend(environment);
        if let Some(command) = &executor_info.command {
            if let Some(env) = &command.environment {
                for variable in &env.variables {
                    full.entry(variable.name.clone())
                        .or_insert_with(|| variable.value.clone().unwrap_or_default());
                }
            }
        }
        full.insert("MESOS_LOCAL".to_string(), "1".to_string());
        let config = match ExecutorConfig::from_environment(&full) {
            Ok(config) => config,
            Err(e) => return Future::failed(format!("Failed to launch executor: {}", e)),
        };
        let driver = MesosExecutorDriver::with_config(executor, config);
        state.containers.insert(
            container_id.clone(),
            Container {
                executor_id: Some(executor_id.clone()),
                framework_id: executor_info.framework_id.clone(),
                termination: Promise::new(),
            },
        );
        state.drivers.insert(executor_id, driver.clone());
        drop(state);
        driver.start();
        Future::ready(LaunchResult::Success)
    }

    fn update(
        &self,
        container_id: &ContainerId,
        resource_requests: Resources,
        _resource_limits: BTreeMap<String, f64>,
    ) -> Future<()> {
        self.update
            .call(self, (container_id.clone(), resource_requests));
        Future::ready(())
    }

    fn usage(&self, _container_id: &ContainerId) -> Future<ResourceStatistics> {
        match self.state.lock().usage.clone() {
            None => Future::ready(ResourceStatistics::default()),
            Some(Ok(statistics)) => Future::ready(statistics),
            Some(Err(message)) => Future::failed(message),
        }
    }

    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus> {
        let status = self.state.lock().status.clone();
        Future::ready(status.unwrap_or_else(|| ContainerStatus {
            container_id: Some(container_id.clone()),
            ..ContainerStatus::default()
        }))
    }

    fn wait(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        let state = self.state.lock();
        if let Some(termination) = state.terminated.get(container_id) {
            return Future::ready(Some(termination.clone()));
        }
        match state.containers.get(container_id) {
            Some(container) => container.termination.future().map(Some),
            None => Future::ready(None),
        }
    }

    fn destroy(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        let (container, driver) = {
            let mut state = self.state.lock();
            let Some(container) = state.containers.remove(container_id) else {
                return Future::ready(None);
            };
            let driver = container
                .executor_id
                .as_ref()
                .and_then(|id| state.drivers.remove(id));
            (container, driver)
        };
        // Mesos' also joins the driver; stopping is enough here, and
        // joining could block the agent's worker on the executor's.
        if let Some(driver) = driver {
            driver.stop();
        }
        let termination = ContainerTermination {
            status: Some(0),
            message: Some("Killed executor".to_string()),
            ..ContainerTermination::default()
        };
        container.termination.set(termination.clone());
        self.state
            .lock()
            .terminated
            .insert(container_id.clone(), termination.clone());
        Future::ready(Some(termination))
    }

    fn kill(&self, container_id: &ContainerId, _signal: i32) -> Future<bool> {
        self.destroy(container_id).map(|_| true)
    }

    fn containers(&self) -> Future<HashSet<ContainerId>> {
        Future::ready(self.state.lock().containers.keys().cloned().collect())
    }
}
