//! `test-executor` (Mesos' `src/examples/test_executor.cpp`): the
//! executor of `test-framework`, on the executor driver. Each task it
//! gets goes to TASK_RUNNING and straight on to TASK_FINISHED.

use mesos::exec::{Executor, MesosExecutorDriver};
use mesos::{ExecutorInfo, FrameworkInfo, SlaveInfo, Status, TaskInfo, TaskState, TaskStatus};

/// Prints a line; a closed stdout is no reason to die.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

struct TestExecutor;

impl Executor for TestExecutor {
    fn registered(
        &mut self,
        _: &MesosExecutorDriver,
        _: &ExecutorInfo,
        _: &FrameworkInfo,
        slave_info: &SlaveInfo,
    ) {
        say!("Registered executor on {}", slave_info.hostname);
    }

    fn reregistered(&mut self, _: &MesosExecutorDriver, slave_info: &SlaveInfo) {
        say!("Re-registered executor on {}", slave_info.hostname);
    }

    fn launch_task(&mut self, driver: &MesosExecutorDriver, task: &TaskInfo) {
        say!("Starting task {}", task.task_id.value);
        let mut status = TaskStatus {
            task_id: task.task_id.clone(),
            ..TaskStatus::default()
        };
        status.set_state(TaskState::TaskRunning);
        driver.send_status_update(status.clone());

        // This is where one would perform the requested task.

        say!("Finishing task {}", task.task_id.value);
        status.set_state(TaskState::TaskFinished);
        driver.send_status_update(status);
    }
}

fn main() -> std::process::ExitCode {
    // As libprocess initializes itself: from the environment the agent
    // gave (`LIBPROCESS_IP`, ...).
    let runtime = match libprocess::Builder::from_environment().and_then(|b| b.try_build()) {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("Failed to initialize libprocess: {}", e);
            return std::process::ExitCode::FAILURE;
        }
    };
    let _enter = runtime.enter();
    let driver = MesosExecutorDriver::new(TestExecutor);
    if driver.run() == Status::DriverStopped {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
