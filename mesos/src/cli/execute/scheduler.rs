//! `mesos-execute`'s scheduler: launch the task on the first offer that
//! holds its resources, decline and suppress the others, print every
//! status update, and stop at the task's terminal one.

use std::sync::Arc;

use parking_lot::Mutex;
use stout::Duration;

use crate::common::protobuf_utils::is_terminal_state;
use crate::sched::{MesosSchedulerDriver, Scheduler};
use crate::{
    task_status, Filters, FrameworkId, MasterInfo, Offer, Resources, TaskInfo, TaskStatus,
};

/// Prints a line to stdout, as `println!` does, except that a closed
/// stdout (`mesos-execute | head -1`) is not an error worth dying for.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// How the run ended, for the exit status.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    /// The task reached TASK_FINISHED.
    pub(super) finished: bool,
}

pub(super) struct CommandScheduler {
    task: TaskInfo,
    resources: Resources,
    role: String,
    kill_after: Option<Duration>,
    launched: bool,
    outcome: Arc<Mutex<Outcome>>,
}

impl CommandScheduler {
    pub(super) fn new(
        task: TaskInfo,
        resources: Resources,
        role: String,
        kill_after: Option<Duration>,
    ) -> (CommandScheduler, Arc<Mutex<Outcome>>) {
        let outcome = Arc::new(Mutex::new(Outcome::default()));
        let scheduler = CommandScheduler {
            task,
            resources,
            role,
            kill_after,
            launched: false,
            outcome: Arc::clone(&outcome),
        };
        (scheduler, outcome)
    }
}

impl Scheduler for CommandScheduler {
    fn registered(
        &mut self,
        _driver: &MesosSchedulerDriver,
        framework_id: &FrameworkId,
        _master_info: &MasterInfo,
    ) {
        say!("Subscribed with ID {}", framework_id.value);
    }

    fn resource_offers(&mut self, driver: &MesosSchedulerDriver, offers: &[Offer]) {
        for offer in offers {
            let mut needed = self.resources.clone();
            needed.allocate(&self.role);
            let offered = Resources::from(offer.resources.as_slice());
            if !self.launched && offered.to_unreserved().contains(&needed.to_unreserved()) {
                let mut task = self.task.clone();
                task.slave_id = offer.slave_id.clone();
                // Take the offered resources (reservations included) that
                // cover what the task needs.
                task.resources = offered.find(&needed).unwrap_or(needed).to_vec();
                driver.launch_tasks(
                    vec![offer.id.clone()],
                    vec![task.clone()],
                    Filters::default(),
                );
                say!(
                    "Submitted task '{}' to agent '{}'",
                    task.name,
                    offer.slave_id.value
                );
                self.launched = true;
            } else {
                driver.decline_offer(offer.id.clone(), Filters::default());
                driver.suppress_offers(Vec::new());
            }
        }
    }

    fn status_update(&mut self, driver: &MesosSchedulerDriver, status: &TaskStatus) {
        say!(
            "Received status update {} for task '{}'",
            status.state().as_str_name(),
            status.task_id.value
        );
        if let Some(message) = &status.message {
            say!("  message: '{}'", message);
        }
        if let Some(source) = status
            .source
            .and_then(|s| task_status::Source::try_from(s).ok())
        {
            say!("  source: {}", source.as_str_name());
        }
        if let Some(reason) = status
            .reason
            .and_then(|r| task_status::Reason::try_from(r).ok())
        {
            say!("  reason: {}", reason.as_str_name());
        }
        if let Some(healthy) = status.healthy {
            say!("  healthy?: {}", u8::from(healthy));
        }
        if let (Some(after), crate::TaskState::TaskRunning) = (self.kill_after, status.state()) {
            let driver = driver.clone();
            let task_id = status.task_id.clone();
            libprocess::Clock::timer(after, move || {
                say!("Asked to kill task '{}'", task_id.value);
                driver.kill_task(task_id);
            });
        }
        if is_terminal_state(status.state()) {
            self.outcome.lock().finished = status.state() == crate::TaskState::TaskFinished;
            driver.stop(false);
        }
    }

    fn error(&mut self, driver: &MesosSchedulerDriver, message: &str) {
        eprintln!("Received an ERROR event: {}", message);
        driver.abort();
    }
}
