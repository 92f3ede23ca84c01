//! Mesos' `MockExecutor`: an executor whose every callback is an
//! [`Expectations`], and the actions Mesos' tests give it.

use crate::exec::{Executor, MesosExecutorDriver};
use crate::{
    ExecutorId, ExecutorInfo, FrameworkInfo, SlaveInfo, TaskId, TaskInfo, TaskState, TaskStatus,
};

use super::Expectations;

type On<A> = Expectations<MesosExecutorDriver, A>;

/// An executor of expectations, known by its ID (the test containerizer
/// runs it for executors with that ID). Clones share the expectations.
#[derive(Clone, Debug)]
pub struct MockExecutor {
    /// The executor's ID.
    pub id: ExecutorId,
    /// `registered(executor_info, framework_info, slave_info)`.
    pub registered: On<(ExecutorInfo, FrameworkInfo, SlaveInfo)>,
    /// `reregistered(slave_info)`.
    pub reregistered: On<SlaveInfo>,
    /// `disconnected()`.
    pub disconnected: On<()>,
    /// `launchTask(task)`.
    pub launch_task: On<TaskInfo>,
    /// `killTask(task_id)`.
    pub kill_task: On<TaskId>,
    /// `frameworkMessage(data)`.
    pub framework_message: On<Vec<u8>>,
    /// `shutdown()`.
    pub shutdown: On<()>,
    /// `error(message)`.
    pub error: On<String>,
}

impl MockExecutor {
    /// An executor with ID `id` and no expectations.
    pub fn new(id: ExecutorId) -> MockExecutor {
        MockExecutor {
            id,
            registered: On::new(),
            reregistered: On::new(),
            disconnected: On::new(),
            launch_task: On::new(),
            kill_task: On::new(),
            framework_message: On::new(),
            shutdown: On::new(),
            error: On::new(),
        }
    }
}

/// Mesos' `SendStatusUpdateFromTask(state)`: an action for `launch_task`
/// that reports the launched task in `state`.
pub fn send_status_update_from_task(
    state: TaskState,
) -> impl FnMut(&MesosExecutorDriver, TaskInfo) + Send + 'static {
    move |driver, task| {
        driver.send_status_update(TaskStatus {
            task_id: task.task_id.clone(),
            state: state as i32,
            ..TaskStatus::default()
        });
    }
}

/// Mesos' `SendStatusUpdateFromTaskID(state)`: an action for `kill_task`
/// that reports the task in `state`.
pub fn send_status_update_from_task_id(
    state: TaskState,
) -> impl FnMut(&MesosExecutorDriver, TaskId) + Send + 'static {
    move |driver, task_id| {
        driver.send_status_update(TaskStatus {
            task_id,
            state: state as i32,
            ..TaskStatus::default()
        });
    }
}

impl Executor for MockExecutor {
    fn registered(
        &mut self,
        driver: &MesosExecutorDriver,
        executor_info: &ExecutorInfo,
        framework_info: &FrameworkInfo,
        slave_info: &SlaveInfo,
    ) {
        self.registered.call(
            driver,
            (
                executor_info.clone(),
                framework_info.clone(),
                slave_info.clone(),
            ),
        );
    }

    fn reregistered(&mut self, driver: &MesosExecutorDriver, slave_info: &SlaveInfo) {
        self.reregistered.call(driver, slave_info.clone());
    }

    fn disconnected(&mut self, driver: &MesosExecutorDriver) {
        self.disconnected.call(driver, ());
    }

    fn launch_task(&mut self, driver: &MesosExecutorDriver, task: &TaskInfo) {
        self.launch_task.call(driver, task.clone());
    }

    fn kill_task(&mut self, driver: &MesosExecutorDriver, task_id: &TaskId) {
        self.kill_task.call(driver, task_id.clone());
    }

    fn framework_message(&mut self, driver: &MesosExecutorDriver, data: &[u8]) {
        self.framework_message.call(driver, data.to_vec());
    }

    fn shutdown(&mut self, driver: &MesosExecutorDriver) {
        self.shutdown.call(driver, ());
    }

    fn error(&mut self, driver: &MesosExecutorDriver, message: &str) {
        self.error.call(driver, message.to_string());
    }
}
