//! `long-lived-executor` (Mesos' `src/examples/long_lived_executor.cpp`):
//! the executor of `long-lived-framework`, on the v1 executor library. It
//! runs many tasks at once; each reports TASK_RUNNING, then TASK_FINISHED
//! after a random 0 to 9 seconds.

mod http_executor;

use http_executor::{Behavior, Core, Executor};
use libprocess::{delay, PID};
use mesos::v1::executor::{event, Event};
use mesos::v1::TaskState;
use stout::Duration;

/// Prints a line; a closed stdout is no reason to die.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

struct LongLivedExecutor;

impl Behavior for LongLivedExecutor {
    const NAME: &'static str = "long-lived-executor";

    fn received(&mut self, core: &mut Core, event: Event, pid: &PID<Executor<Self>>) {
        say!("Received {} event", event.r#type().as_str_name());
        match event.r#type() {
            event::Type::Subscribed => {
                let hostname = event
                    .subscribed
                    .map(|s| s.agent_info.hostname)
                    .unwrap_or_default();
                say!("Subscribed executor on {}", hostname);
            }
            event::Type::Launch => {
                let Some(launch) = event.launch else { return };
                let task = launch.task;
                say!("Starting task {}", task.task_id.value);
                core.launched(&task);
                // The task "runs" for a while; the Clock times it.
                let seconds = libprocess::random::below(10);
                let finished = task.clone();
                delay(
                    Duration::from_secs(seconds as i64),
                    pid,
                    move |e: &mut Executor<Self>| {
                        e.core.update(&finished, TaskState::TaskFinished, true)
                    },
                );
                core.update(&task, TaskState::TaskRunning, true);
            }
            event::Type::Error => {
                let message = event.error.map(|e| e.message).unwrap_or_default();
                eprintln!("Error: {}", message);
            }
            event::Type::Unknown => tracing::warn!("Received an UNKNOWN event and ignored"),
            _ => {}
        }
    }
}

fn main() -> std::process::ExitCode {
    http_executor::main(LongLivedExecutor)
}
