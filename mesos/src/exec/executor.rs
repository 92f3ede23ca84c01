//! The callbacks an executor implements (Mesos' `mesos::Executor`).

use crate::{ExecutorInfo, FrameworkInfo, SlaveInfo, TaskId, TaskInfo};

use super::MesosExecutorDriver;

/// An executor: the driver calls these on its own process, one at a time,
/// each with the driver so the executor can answer through it. Every
/// callback does nothing unless implemented.
pub trait Executor: Send + 'static {
    /// The executor registered with its agent.
    fn registered(
        &mut self,
        driver: &MesosExecutorDriver,
        executor_info: &ExecutorInfo,
        framework_info: &FrameworkInfo,
        slave_info: &SlaveInfo,
    ) {
        let _ = (driver, executor_info, framework_info, slave_info);
    }

    /// The executor re-registered with a restarted agent.
    fn reregistered(&mut self, driver: &MesosExecutorDriver, slave_info: &SlaveInfo) {
        let _ = (driver, slave_info);
    }

    /// The executor lost its agent. (Mesos' driver never calls it, and
    /// neither does this one: it is part of the interface only.)
    fn disconnected(&mut self, driver: &MesosExecutorDriver) {
        let _ = driver;
    }

    /// Run `task`; its status goes back with
    /// [`send_status_update`](MesosExecutorDriver::send_status_update).
    fn launch_task(&mut self, driver: &MesosExecutorDriver, task: &TaskInfo) {
        let _ = (driver, task);
    }

    /// Kill a task; its terminal status goes back as an update.
    fn kill_task(&mut self, driver: &MesosExecutorDriver, task_id: &TaskId) {
        let _ = (driver, task_id);
    }

    /// The framework sent the executor `data`.
    fn framework_message(&mut self, driver: &MesosExecutorDriver, data: &[u8]) {
        let _ = (driver, data);
    }

    /// Shut down: kill every task and send their terminal updates. The
    /// executor's process group is killed after the shutdown grace
    /// period, unless run locally.
    fn shutdown(&mut self, driver: &MesosExecutorDriver) {
        let _ = driver;
    }

    /// An unrecoverable error: the driver could not start or was aborted.
    fn error(&mut self, driver: &MesosExecutorDriver, message: &str) {
        let _ = (driver, message);
    }
}
