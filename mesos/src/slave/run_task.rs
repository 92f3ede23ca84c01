//! Running a task (Mesos' `Slave::runTask`, `run`, `__run`,
//! `launchExecutor`, `executorLaunched`): the framework and executor
//! records, the executor's sandbox and container, and the task queued
//! until the executor registers.

use libprocess::{defer, delay, Future, SelfPid, UPID};

use crate::common::protobuf_utils::framework::get_roles;
use crate::common::protobuf_utils::{create_status_update, StatusUpdateOptions};
use crate::common::resources::upgrade_resources;
use crate::internal::RunTaskMessage;
use crate::slave::containerizer::LaunchResult;
use crate::slave::environment::{executor_environment, ExecutorEnvironment};
use crate::slave::executor::{Executor, ExecutorState};
use crate::slave::executor_info::get_executor_info;
use crate::slave::framework::{Framework, FrameworkState};
use crate::slave::paths::create_executor_directory;
use crate::slave::slave::{Slave, SlaveState};
use crate::slave::status_update::UpdateSource;
use crate::slave::{ContainerConfig, ContainerTermination};
use crate::task_status::{Reason, Source};
use crate::{
    resource::AllocationInfo, ContainerId, ExecutorId, ExecutorInfo, FrameworkId, FrameworkInfo,
    Resource, Resources, TaskInfo, TaskState,
};

/// TASK_DROPPED for a partition-aware framework, else TASK_LOST.
pub(crate) fn dropped_state(framework: &FrameworkInfo) -> TaskState {
    if crate::common::protobuf_utils::framework::Capabilities::new(&framework.capabilities)
        .partition_aware
    {
        TaskState::TaskDropped
    } else {
        TaskState::TaskLost
    }
}

/// Gives resources without an allocation the framework's role (a
/// framework of one role may leave it out).
fn inject_allocation_info(resources: &mut [Resource], framework: &FrameworkInfo) {
    let roles = get_roles(framework);
    for resource in resources.iter_mut().filter(|r| r.allocation_info.is_none()) {
        if roles.len() == 1 {
            resource.allocation_info = Some(AllocationInfo {
                role: roles.iter().next().cloned(),
            });
        }
    }
}

impl Slave {
    pub(crate) fn run_task(&mut self, from: &UPID, message: RunTaskMessage) {
        if !self.is_master(from) {
            tracing::warn!(
                "Ignoring run task message from {} because it is not the expected master: {}",
                from,
                self.master_name()
            );
            return;
        }
        let task = message.task;
        if task.executor.is_some() == task.command.is_some() {
            tracing::warn!(
                "Ignoring task {} which should have either CommandInfo or ExecutorInfo set \
                 but not both",
                task.task_id.value
            );
            return;
        }
        if message.framework.id.is_none() {
            tracing::error!(
                "Ignoring run task message from {} because it does not have a framework ID",
                from
            );
            return;
        }
        let executor_info = get_executor_info(&self.flags, &message.framework, &task);
        let generated = task.executor.is_none();
        let pid = message
            .pid
            .as_deref()
            .filter(|pid| !pid.is_empty())
            .and_then(|pid| UPID::parse(pid).ok())
            // An HTTP framework's is the empty pid (`@0.0.0.0:0`).
            .filter(|pid| !pid.is_empty());
        self.run(
            message.framework,
            executor_info,
            task,
            pid,
            message.launch_executor,
            generated,
        );
    }

    /// Takes a task for an executor: creates the framework's record if
    /// needed, launches the executor if it does not exist, and queues the
    /// task for it.
    pub(crate) fn run(
        &mut self,
        framework_info: FrameworkInfo,
        mut executor_info: ExecutorInfo,
        mut task: TaskInfo,
        pid: Option<UPID>,
        launch_executor: Option<bool>,
        generated_for_command_task: bool,
    ) {
        inject_allocation_info(&mut executor_info.resources, &framework_info);
        upgrade_resources(&mut executor_info.resources);
        inject_allocation_info(&mut task.resources, &framework_info);
        if let Some(executor) = &mut task.executor {
            inject_allocation_info(&mut executor.resources, &framework_info);
        }
        upgrade_resources(&mut task.resources);

        let framework_id = framework_info.id.clone().unwrap_or_default();
        tracing::info!(
            "Got assigned task '{}' for framework {}",
            task.task_id.value,
            framework_id.value
        );

        if Some(&task.slave_id) != self.info.id.as_ref() {
            tracing::warn!(
                "Agent {} ignoring running task '{}' because it was intended for old agent {}",
                self.slave_id().value,
                task.task_id.value,
                task.slave_id.value
            );
            return;
        }
        if matches!(self.state, SlaveState::Recovering | SlaveState::Terminating) {
            tracing::warn!(
                "Ignoring running task '{}' because the agent is {}",
                task.task_id.value,
                self.state
            );
            return;
        }

        let max_completed = self.flags.max_completed_executors_per_framework;
        if !self.frameworks.contains_key(&framework_id.value) {
            let mut framework = Framework::new(framework_info.clone(), pid, max_completed);
            // A framework coming back keeps its ended executors.
            if let Some(index) = self
                .completed_frameworks
                .iter()
                .position(|f| f.info.id.as_ref() == Some(&framework_id))
            {
                framework.completed_executors =
                    self.completed_frameworks.remove(index).completed_executors;
            }
            self.frameworks
                .insert(framework_id.value.clone(), framework);
        }
        if let Some(framework) = self.framework_mut(&framework_id) {
            framework.add_pending_task(&executor_info.executor_id, task.clone());
        }

        // Without GC or authorization in this build, nothing stands
        // between receiving the task and launching it.
        self.launch(
            framework_info,
            executor_info,
            task,
            launch_executor,
            generated_for_command_task,
        );
    }

    /// Status updates of `state` for `tasks`, from the agent.
    fn send_agent_updates(
        &mut self,
        framework_id: &FrameworkId,
        tasks: &[crate::TaskId],
        state: TaskState,
        message: &str,
        reason: Reason,
        executor_id: Option<ExecutorId>,
    ) {
        for task_id in tasks {
            let update = create_status_update(
                framework_id,
                self.info.id.clone(),
                task_id,
                state,
                Source::Slave,
                Some(libprocess::random::uuid()),
                StatusUpdateOptions {
                    message: message.to_string(),
                    reason: Some(reason),
                    executor_id: executor_id.clone(),
                    ..StatusUpdateOptions::default()
                },
            );
            self.status_update(update, UpdateSource::Agent);
        }
    }

    fn launch(
        &mut self,
        framework_info: FrameworkInfo,
        executor_info: ExecutorInfo,
        task: TaskInfo,
        launch_executor: Option<bool>,
        generated_for_command_task: bool,
    ) {
        let framework_id = framework_info.id.clone().unwrap_or_default();
        let executor_id = executor_info.executor_id.clone();
        let task_ids = [task.task_id.clone()];
        let dropped = dropped_state(&framework_info);

        let Some(framework) = self.framework_mut(&framework_id) else {
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Ignoring running task '{}' of framework {} because the framework is terminating",
                task.task_id.value,
                framework_id.value
            );
            framework.remove_pending_task(&task.task_id);
            if framework.idle() {
                self.remove_framework(&framework_id);
            }
            if launch_executor == Some(true) {
                self.send_exited_executor_message(&framework_id, &executor_id, None);
            }
            return;
        }
        if !framework.remove_pending_task(&task.task_id) {
            tracing::warn!(
                "Ignoring running task '{}' of framework {} because it has been killed in the \
                 meantime",
                task.task_id.value,
                framework_id.value
            );
            if launch_executor == Some(true) {
                self.send_exited_executor_message(&framework_id, &executor_id, None);
            }
            return;
        }

        tracing::info!(
            "Launching task '{}' for framework {}",
            task.task_id.value,
            framework_id.value
        );

        let exists = framework.executor(&executor_id).is_some();
        // A command task always gets a new executor; for others the master
        // says whether one should be launched.
        if let (Some(launch), false) = (launch_executor, task.command.is_some()) {
            if launch && exists {
                self.send_agent_updates(
                    &framework_id,
                    &task_ids,
                    dropped,
                    "Master wants to launch executor, but one already exists",
                    Reason::ExecutorTerminated,
                    Some(executor_id.clone()),
                );
                let terminated = self
                    .executor(&framework_id, &executor_id)
                    .is_some_and(|e| e.state == ExecutorState::Terminated);
                if terminated {
                    self.send_exited_executor_message(&framework_id, &executor_id, None);
                } else {
                    self.shutdown_executor_now(&framework_id, &executor_id);
                }
                return;
            }
            if !launch && !exists {
                self.send_agent_updates(
                    &framework_id,
                    &task_ids,
                    dropped,
                    "No executor is expected to launch and there is none running",
                    Reason::ExecutorTerminated,
                    Some(executor_id.clone()),
                );
                return;
            }
        }

        if !exists {
            if let Err(error) =
                self.add_executor(&framework_id, &executor_info, generated_for_command_task)
            {
                self.send_agent_updates(
                    &framework_id,
                    &task_ids,
                    dropped,
                    &error.to_string(),
                    Reason::ExecutorTerminated,
                    Some(executor_id.clone()),
                );
                if self.framework(&framework_id).is_some_and(Framework::idle) {
                    self.remove_framework(&framework_id);
                }
                if launch_executor == Some(true) {
                    self.send_exited_executor_message(&framework_id, &executor_id, None);
                }
                return;
            }
            // The container gets the tasks' resources with the
            // executor's.
            let mut container_executor = executor_info.clone();
            let resources = Resources::from(executor_info.resources.clone())
                + Resources::from(task.resources.clone());
            container_executor.resources = resources.to_vec();
            if container_executor.container.is_none() {
                container_executor.container = self
                    .flags
                    .default_container_info
                    .as_ref()
                    .map(|c| c.get().clone());
            }
            let command_task = generated_for_command_task.then(|| task.clone());
            self.launch_executor(&framework_id, container_executor, command_task);
        }

        let Some(executor) = self.executor_mut(&framework_id, &executor_id) else {
            return;
        };
        match executor.state {
            ExecutorState::Terminating | ExecutorState::Terminated => {
                let what = if executor.state == ExecutorState::Terminating {
                    "terminating"
                } else {
                    "terminated"
                };
                tracing::warn!(
                    "Asked to run task '{}' for framework {} with executor '{}' which is {}",
                    task.task_id.value,
                    framework_id.value,
                    executor_id.value,
                    what
                );
                self.send_agent_updates(
                    &framework_id,
                    &task_ids,
                    dropped,
                    &format!("Executor {}", what),
                    Reason::ExecutorTerminated,
                    None,
                );
            }
            ExecutorState::Registering => {
                executor.enqueue_task(task);
                tracing::info!(
                    "Queued task '{}' for executor {}",
                    task_ids[0].value,
                    executor.describe()
                );
            }
            ExecutorState::Running => {
                executor.enqueue_task(task);
                tracing::info!(
                    "Queued task '{}' for executor {}",
                    task_ids[0].value,
                    executor.describe()
                );
                self.update_then_send(&framework_id, &executor_id, task_ids.to_vec());
            }
        }
    }

    /// Resizes the executor's container to its tasks, then sends it the
    /// queued `tasks` (Mesos' `___run`).
    pub(crate) fn update_then_send(
        &mut self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
        tasks: Vec<crate::TaskId>,
    ) {
        let Some(executor) = self.executor(framework_id, executor_id) else {
            return;
        };
        let container_id = executor.container_id.clone();
        let resources = executor.allocated_resources();
        let pid = self.self_pid();
        let (framework_id, executor_id) = (framework_id.clone(), executor_id.clone());
        self.containerizer
            .update(&container_id, resources, Default::default())
            .on_any(defer(&pid, move |slave: &mut Slave, future: Future<()>| {
                slave.send_queued_tasks(future, &framework_id, &executor_id, &container_id, &tasks)
            }));
    }

    fn send_queued_tasks(
        &mut self,
        future: Future<()>,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
        container_id: &ContainerId,
        tasks: &[crate::TaskId],
    ) {
        if !future.is_ready() {
            let failure = future.failure().unwrap_or("discarded").to_string();
            tracing::error!(
                "Failed to update resources for container {} of executor '{}' of framework {}, \
                 destroying container: {}",
                container_id.value,
                executor_id.value,
                framework_id.value,
                failure
            );
            self.containerizer.destroy(container_id);
            let dropped = self.framework(framework_id).map(|f| {
                if f.capabilities.partition_aware {
                    TaskState::TaskGone
                } else {
                    TaskState::TaskLost
                }
            });
            if let (Some(state), Some(executor)) =
                (dropped, self.executor_mut(framework_id, executor_id))
            {
                executor.pending_termination = Some(ContainerTermination {
                    state: Some(state as i32),
                    reason: Some(Reason::ContainerUpdateFailed as i32),
                    message: Some(format!(
                        "Failed to update resources for container: {}",
                        failure
                    )),
                    ..ContainerTermination::default()
                });
            }
            return;
        }
        let Some(framework) = self.framework(framework_id) else {
            tracing::warn!(
                "Ignoring sending queued tasks to executor '{}' of framework {} because the \
                 framework does not exist",
                executor_id.value,
                framework_id.value
            );
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Ignoring sending queued tasks to executor '{}' of framework {} because the \
                 framework is terminating",
                executor_id.value,
                framework_id.value
            );
            return;
        }
        let framework_info = framework.info.clone();
        let scheduler = framework.pid.clone();
        let Some(executor) = self.executor_mut(framework_id, executor_id) else {
            return;
        };
        if &executor.container_id != container_id {
            tracing::warn!(
                "Ignoring sending queued tasks to executor {} because the target container {} \
                 has exited",
                executor.describe(),
                container_id.value
            );
            return;
        }
        if executor.state != ExecutorState::Running {
            tracing::warn!(
                "Ignoring sending queued tasks to executor {} because the executor is not running",
                executor.describe()
            );
            return;
        }
        for task_id in tasks {
            let Some(task) = executor.dequeue_task(task_id) else {
                tracing::warn!(
                    "Ignoring sending queued task '{}' to executor {} because the task has been \
                     killed",
                    task_id.value,
                    executor.describe()
                );
                continue;
            };
            executor.add_launched_task(&task);
            tracing::info!(
                "Sending queued task '{}' to executor {}",
                task_id.value,
                executor.describe()
            );
            let message = RunTaskMessage {
                framework: framework_info.clone(),
                task,
                pid: Some(
                    scheduler
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                ),
                ..RunTaskMessage::default()
            };
            executor.send(crate::slave::executor::ToExecutor::RunTask(Box::new(
                message,
            )));
        }
    }

    /// Mesos' `Framework::addExecutor`: a container ID, the user
    /// (`--switch_user`: the command's user, else the framework's), the
    /// sandbox, and the record.
    fn add_executor(
        &mut self,
        framework_id: &FrameworkId,
        executor_info: &ExecutorInfo,
        generated_for_command_task: bool,
    ) -> stout::Try<()> {
        let container_id = ContainerId {
            value: libprocess::random::uuid().to_string(),
            ..ContainerId::default()
        };
        let slave_id = self.slave_id();
        let work_dir = self.flags.work_dir.clone();
        let switch_user = self.flags.switch_user;
        let Some(framework) = self.framework_mut(framework_id) else {
            return Err(stout::Error::new("Unknown framework"));
        };
        let user = switch_user.then(|| {
            executor_info
                .command
                .as_ref()
                .and_then(|c| c.user.clone())
                .unwrap_or_else(|| framework.info.user.clone())
        });
        let directory = create_executor_directory(
            &work_dir,
            &slave_id,
            framework_id,
            &executor_info.executor_id,
            &container_id,
            user.as_deref(),
        )?;
        tracing::info!(
            "Launching executor '{}' of framework {} with resources {} in work directory '{}'",
            executor_info.executor_id.value,
            framework_id.value,
            Resources::from(executor_info.resources.clone()),
            directory
        );
        let executor = Executor::new(
            framework_id.clone(),
            executor_info.clone(),
            container_id,
            directory,
            user,
            framework.info.checkpoint(),
            generated_for_command_task,
        );
        framework
            .executors
            .insert(executor_info.executor_id.value.clone(), executor);
        Ok(())
    }

    /// Asks the containerizer for the executor's container, and gives
    /// the executor `--executor_registration_timeout` to register.
    fn launch_executor(
        &mut self,
        framework_id: &FrameworkId,
        executor_info: ExecutorInfo,
        task: Option<TaskInfo>,
    ) {
        let Some(framework) = self.framework(framework_id) else {
            return;
        };
        let checkpoint = framework.info.checkpoint();
        let Some(executor) = framework.executor(&executor_info.executor_id) else {
            return;
        };
        let slave_id = self.slave_id();
        let slave_pid = self.self_pid().upid().clone();
        let environment = executor_environment(
            &self.flags,
            &executor_info,
            &ExecutorEnvironment {
                directory: &executor.directory,
                slave_id: &slave_id,
                slave_pid: &slave_pid,
                authentication_token: None,
                checkpoint,
                libprocess_ip: self.libprocess_ip.as_deref(),
            },
        );
        let config = ContainerConfig {
            command_info: executor_info.command.clone().unwrap_or_default(),
            resources: executor_info.resources.clone(),
            directory: executor.directory.clone(),
            user: executor.user.clone(),
            container_info: executor_info.container.clone(),
            task_info: task.filter(|_| executor.generated_for_command_task),
            executor_info: Some(executor_info.clone()),
            ..ContainerConfig::default()
        };
        let container_id = executor.container_id.clone();
        let executor_id = executor.id.clone();
        tracing::info!(
            "Launching container {} for executor '{}' of framework {}",
            container_id.value,
            executor_id.value,
            framework_id.value
        );
        let pid = self.self_pid();
        let (f, e, c) = (
            framework_id.clone(),
            executor_id.clone(),
            container_id.clone(),
        );
        self.containerizer
            .launch(&container_id, config, environment, None)
            .on_any(defer(
                &pid,
                move |slave: &mut Slave, future: Future<LaunchResult>| {
                    slave.executor_launched(&f, &e, &c, future)
                },
            ));

        let (f, e, c) = (framework_id.clone(), executor_id, container_id);
        delay(
            self.flags.executor_registration_timeout,
            &pid,
            move |slave: &mut Slave| slave.register_executor_timeout(&f, &e, &c),
        );
    }

    fn executor_launched(
        &mut self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
        container_id: &ContainerId,
        future: Future<LaunchResult>,
    ) {
        let pid = self.self_pid();
        self.containerizer
            .wait(container_id)
            .on_any(libprocess::defer!(
                pid,
                Slave::executor_terminated,
                framework_id.clone(),
                executor_id.clone(),
                _
            ));

        match future.value() {
            None => {
                let failure = future.failure().unwrap_or("discarded").to_string();
                tracing::error!(
                    "Container '{}' for executor '{}' of framework {} failed to start: {}",
                    container_id.value,
                    executor_id.value,
                    framework_id.value,
                    failure
                );
                self.metrics.container_launch_errors += 1;
                self.containerizer.destroy(container_id);
                if let Some(executor) = self.executor_mut(framework_id, executor_id) {
                    executor.pending_termination = Some(ContainerTermination {
                        state: Some(TaskState::TaskFailed as i32),
                        reason: Some(Reason::ContainerLaunchFailed as i32),
                        message: Some(format!("Failed to launch container: {}", failure)),
                        ..ContainerTermination::default()
                    });
                }
                return;
            }
            Some(LaunchResult::NotSupported) => {
                tracing::error!(
                    "Container '{}' for executor '{}' of framework {} failed to start: None of \
                     the enabled containerizers ({}) could create a container for the provided \
                     TaskInfo/ExecutorInfo message",
                    container_id.value,
                    executor_id.value,
                    framework_id.value,
                    self.flags.containerizers
                );
                self.metrics.container_launch_errors += 1;
                return;
            }
            Some(LaunchResult::AlreadyLaunched) => {
                tracing::error!(
                    "Container '{}' for executor '{}' of framework {} has already been launched.",
                    container_id.value,
                    executor_id.value,
                    framework_id.value
                );
                return;
            }
            Some(LaunchResult::Success) => {}
        }

        let Some(framework) = self.framework(framework_id) else {
            tracing::warn!(
                "Framework '{}' for executor '{}' is no longer valid",
                framework_id.value,
                executor_id.value
            );
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::warn!(
                "Killing executor '{}' of framework {} because the framework is terminating",
                executor_id.value,
                framework_id.value
            );
            self.containerizer.destroy(container_id);
            return;
        }
        match framework.executor(executor_id).map(|e| e.state) {
            None => {
                tracing::warn!(
                    "Killing unknown executor '{}' of framework {}",
                    executor_id.value,
                    framework_id.value
                );
                self.containerizer.destroy(container_id);
            }
            Some(ExecutorState::Terminating) => {
                tracing::warn!(
                    "Killing executor '{}' of framework {} because the executor is terminating",
                    executor_id.value,
                    framework_id.value
                );
                self.containerizer.destroy(container_id);
            }
            Some(_) => {}
        }
    }

    fn register_executor_timeout(
        &mut self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
        container_id: &ContainerId,
    ) {
        let timeout = self.flags.executor_registration_timeout;
        let Some(framework) = self.framework_mut(framework_id) else {
            tracing::info!(
                "Framework {} seems to have exited. Ignoring registration timeout for executor \
                 '{}'",
                framework_id.value,
                executor_id.value
            );
            return;
        };
        if framework.state == FrameworkState::Terminating {
            tracing::info!(
                "Ignoring registration timeout for executor '{}' because the  framework {} is \
                 terminating",
                executor_id.value,
                framework_id.value
            );
            return;
        }
        let Some(executor) = framework.executor_mut(executor_id) else {
            tracing::debug!(
                "Executor '{}' of framework {} seems to have exited. Ignoring its registration \
                 timeout",
                executor_id.value,
                framework_id.value
            );
            return;
        };
        if &executor.container_id != container_id {
            tracing::info!(
                "A new executor {} with run {} seems to be active. Ignoring the registration \
                 timeout for the old executor run {}",
                executor.describe(),
                executor.container_id.value,
                container_id.value
            );
            return;
        }
        if executor.state != ExecutorState::Registering {
            return;
        }
        tracing::info!(
            "Terminating executor {} because it did not register within {}",
            executor.describe(),
            timeout
        );
        executor.state = ExecutorState::Terminating;
        executor.pending_termination = Some(ContainerTermination {
            state: Some(TaskState::TaskFailed as i32),
            reason: Some(Reason::ExecutorRegistrationTimeout as i32),
            message: Some(format!("Executor did not register within {}", timeout)),
            ..ContainerTermination::default()
        });
        self.containerizer.destroy(container_id);
    }
}
