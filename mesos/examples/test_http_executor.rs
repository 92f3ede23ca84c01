//! `test-http-executor` (Mesos' `src/examples/test_http_executor.cpp`):
//! the executor of `test-http-framework`, on the v1 executor library.
//! Each task it gets goes to TASK_RUNNING and straight on to
//! TASK_FINISHED.

mod http_executor;

use http_executor::{Behavior, Core, Executor};
use libprocess::PID;
use mesos::v1::executor::{event, Event};
use mesos::v1::TaskState;

/// Prints a line; a closed stdout is no reason to die.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

struct TestExecutor;

impl Behavior for TestExecutor {
    const NAME: &'static str = "test-http-executor";

    fn received(&mut self, core: &mut Core, event: Event, _: &PID<Executor<Self>>) {
        match event.r#type() {
            event::Type::Subscribed => say!("Received a SUBSCRIBED event"),
            event::Type::Launch => {
                let Some(launch) = event.launch else { return };
                let task = launch.task;
                core.launched(&task);
                say!("Starting task {}", task.task_id.value);
                core.update(&task, TaskState::TaskRunning, false);

                // This is where one would perform the requested task.

                say!("Finishing task {}", task.task_id.value);
                core.update(&task, TaskState::TaskFinished, false);
            }
            event::Type::LaunchGroup => say!("Received a LAUNCH_GROUP event"),
            event::Type::Kill => say!("Received a KILL event"),
            event::Type::Acknowledged => say!("Received an ACKNOWLEDGED event"),
            event::Type::Message => say!("Received a MESSAGE event"),
            event::Type::Shutdown => say!("Received a SHUTDOWN event"),
            event::Type::Error => say!("Received an ERROR event"),
            event::Type::Heartbeat => {}
            event::Type::Unknown => tracing::warn!("Received an UNKNOWN event and ignored"),
        }
    }
}

fn main() -> std::process::ExitCode {
    http_executor::main(TestExecutor)
}
