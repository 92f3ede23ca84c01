//! `test-http-framework` (Mesos' `src/examples/test_http_framework.cpp`):
//! `test-framework` on the v1 scheduler library, with its executor on the
//! v1 executor library (`test-http-executor`). It runs five tasks, tears
//! the framework down and exits 0 once all finished; a task failed,
//! killed or lost makes it exit 1.

mod example;
mod http_scheduler;

use std::borrow::Cow;
use std::collections::VecDeque;
use std::process::ExitCode;
use std::sync::Arc;

use example::say;
use http_scheduler::{ExitStatus, Framework};
use libprocess::{delay, Handlers, Process, SelfPid};
use mesos::master::detector::MasterDetector;
use mesos::resource::reservation_info;
use mesos::v1::scheduler::{call, event, Event, Mesos};
use mesos::v1::{
    framework_info, CommandInfo, ExecutorId, ExecutorInfo, FrameworkInfo, Offer, TaskId, TaskInfo,
    TaskState, TaskStatus,
};
use mesos::{resource, Resources};
use stout::Duration;

const CPUS_PER_TASK: u32 = 1;
const MEM_PER_TASK: u32 = 128;

/// How many tasks Mesos' HTTP test framework runs (its `totalTasks`).
const TOTAL_TASKS: usize = 5;

const EXECUTOR_BINARY: &str = "test-http-executor";
const EXECUTOR_NAME: &str = "Test Executor (C++)";
const FRAMEWORK_NAME: &str = "Event Call Scheduler using libprocess (C++)";

/// How often the framework subscribes until it is subscribed.
const REGISTRATION_RETRY: Duration = Duration::from_secs(1);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Initializing,
    Subscribed,
    Disconnected,
    /// TEARDOWN sent: the master closes the stream, and the library's
    /// reconnection must not subscribe the removed framework again.
    TearingDown,
}

struct HttpScheduler {
    framework: FrameworkInfo,
    role: String,
    executor: ExecutorInfo,
    detector: Arc<dyn MasterDetector>,
    mesos: Option<Mesos>,
    state: State,
    tasks_launched: usize,
    tasks_finished: usize,
    exit: ExitStatus,
}

impl Process for HttpScheduler {
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed("http-scheduler")
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        self.mesos = Some(http_scheduler::library(
            Arc::clone(&self.detector),
            self.self_pid(),
        ));
    }
}

impl Framework for HttpScheduler {
    fn connected(&mut self) {
        self.register();
    }

    fn disconnected(&mut self) {
        if self.state == State::TearingDown {
            // The master closes the stream once it removed the framework.
            return libprocess::terminate(self.self_pid(), false);
        }
        self.state = State::Disconnected;
    }

    fn received(&mut self, events: VecDeque<Event>) {
        for event in events {
            match event.r#type() {
                event::Type::Subscribed => {
                    say!("\nReceived a SUBSCRIBED event");
                    let Some(subscribed) = event.subscribed else {
                        continue;
                    };
                    say!("Subscribed with ID {}", subscribed.framework_id.value);
                    self.framework.id = Some(subscribed.framework_id);
                    self.state = State::Subscribed;
                }
                event::Type::Offers => {
                    say!("\nReceived an OFFERS event");
                    if let Some(offers) = event.offers {
                        self.resource_offers(&offers.offers);
                    }
                }
                event::Type::InverseOffers => say!("\nReceived an INVERSE_OFFERS event"),
                event::Type::Rescind => say!("\nReceived a RESCIND event"),
                event::Type::RescindInverseOffer => {
                    say!("\nReceived a RESCIND_INVERSE_OFFER event")
                }
                event::Type::Update => {
                    say!("\nReceived an UPDATE event");
                    if let Some(update) = event.update {
                        self.status_update(&update.status);
                    }
                }
                event::Type::UpdateOperationStatus => {}
                event::Type::Message => say!("\nReceived a MESSAGE event"),
                event::Type::Failure => {
                    say!("\nReceived a FAILURE event");
                    if let Some(failure) = event.failure {
                        print_failure(&failure);
                    }
                }
                event::Type::Error => {
                    let message = event.error.map(|e| e.message).unwrap_or_default();
                    say!("\nReceived an ERROR event: {}", message);
                    self.exit.set(1);
                    return libprocess::terminate(self.self_pid(), false);
                }
                event::Type::Heartbeat => say!("\nReceived a HEARTBEAT event"),
                event::Type::Unknown => tracing::warn!("Received an UNKNOWN event and ignored"),
            }
        }
    }
}

/// What Mesos' framework prints of a FAILURE event.
fn print_failure(failure: &event::Failure) {
    match (&failure.executor_id, &failure.agent_id) {
        (Some(executor_id), agent_id) => {
            let mut line = format!("Executor '{}' terminated", executor_id.value);
            if let Some(agent_id) = agent_id {
                line += &format!(" on Agent '{}'", agent_id.value);
            }
            if let Some(status) = failure.status {
                line += &format!(", and {}", mesos::common::status_utils::wstringify(status));
            }
            say!("{}", line);
        }
        (None, Some(agent_id)) => say!("Agent '{}' terminated", agent_id.value),
        (None, None) => {}
    }
}

impl HttpScheduler {
    fn register(&mut self) {
        if matches!(self.state, State::Subscribed | State::TearingDown) {
            return;
        }
        if let Some(mesos) = &self.mesos {
            mesos.send(http_scheduler::subscribe(&self.framework));
        }
        delay(REGISTRATION_RETRY, &self.self_pid(), Self::register);
    }

    fn resource_offers(&mut self, offers: &[Offer]) {
        for offer in offers {
            let offered = http_scheduler::resources(&offer.resources);
            say!("Received offer {} with {}", offer.id.value, offered);
            let tasks = self.tasks_for(offer, offered);
            if let Some(mesos) = &self.mesos {
                mesos.send(http_scheduler::launch(&self.framework, offer, tasks));
            }
        }
    }

    /// The tasks `offer` (holding `remaining`) has resources for.
    fn tasks_for(&mut self, offer: &Offer, mut remaining: Resources) -> Vec<TaskInfo> {
        let Ok(mut task_resources) =
            Resources::parse(&format!("cpus:{};mem:{}", CPUS_PER_TASK, MEM_PER_TASK))
        else {
            return Vec::new();
        };
        task_resources.allocate(&self.role);
        let wanted = if self.role == "*" {
            task_resources.clone()
        } else {
            task_resources.push_reservation(&resource::ReservationInfo {
                r#type: Some(reservation_info::Type::Static as i32),
                role: Some(self.role.clone()),
                ..Default::default()
            })
        };
        let mut tasks = Vec::new();
        while self.tasks_launched < TOTAL_TASKS
            && remaining.to_unreserved().contains(&task_resources)
        {
            let Some(resources) = remaining.find(&wanted) else {
                break;
            };
            let task_id = self.tasks_launched;
            self.tasks_launched += 1;
            say!("Launching task {} using offer {}", task_id, offer.id.value);
            tasks.push(TaskInfo {
                name: format!("Task {}", task_id),
                task_id: TaskId {
                    value: task_id.to_string(),
                },
                agent_id: offer.agent_id.clone(),
                executor: Some(self.executor.clone()),
                resources: http_scheduler::v1_resources(&resources),
                ..TaskInfo::default()
            });
            remaining -= resources;
        }
        tasks
    }

    fn status_update(&mut self, status: &TaskStatus) {
        let mut line = format!(
            "Task {} is in state {}",
            status.task_id.value,
            status.state().as_str_name()
        );
        if let Some(message) = &status.message {
            line += &format!(" with message '{}'", message);
        }
        say!("{}", line);
        if let Some(call) = http_scheduler::acknowledge(&self.framework, status) {
            if let Some(mesos) = &self.mesos {
                mesos.send(call);
            }
        }
        if status.state() == TaskState::TaskFinished {
            self.tasks_finished += 1;
        }
        if matches!(
            status.state(),
            TaskState::TaskLost | TaskState::TaskKilled | TaskState::TaskFailed
        ) {
            eprintln!(
                "Exiting because task {} is in unexpected state {} with reason {} \
                 from source {} with message '{}'",
                status.task_id.value,
                status.state().as_str_name(),
                status.reason().as_str_name(),
                status.source().as_str_name(),
                status.message.as_deref().unwrap_or_default()
            );
            self.exit.set(1);
            return self.teardown();
        }
        if self.tasks_finished == TOTAL_TASKS {
            self.teardown();
        }
    }

    /// Tears the framework down, then ends the process (once the master
    /// answered, so that the call is not lost with the library).
    fn teardown(&mut self) {
        let pid = self.self_pid();
        let Some(mesos) = &self.mesos else {
            return libprocess::terminate(pid, false);
        };
        self.state = State::TearingDown;
        let teardown = http_scheduler::call(&self.framework, call::Type::Teardown);
        mesos
            .call(teardown)
            .on_any(move |_| libprocess::terminate(pid, false));
    }
}

fn main() -> ExitCode {
    let signals = match mesos::daemon::block_signals() {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("{}", e);
            return ExitCode::FAILURE;
        }
    };
    let uri = example::executor_path(EXECUTOR_BINARY);
    let args: Vec<String> = std::env::args().collect();
    let flags: example::Flags = match example::load(&args) {
        Ok(flags) => flags,
        Err(status) => return ExitCode::from(status),
    };
    example::configure_local(&flags);
    let user = match stout::os::user() {
        Ok(user) => user,
        Err(e) => {
            eprintln!("Failed to get the current user: {}", e);
            return ExitCode::FAILURE;
        }
    };
    let framework = FrameworkInfo {
        user,
        principal: Some(flags.principal.clone()),
        name: FRAMEWORK_NAME.to_string(),
        checkpoint: Some(flags.checkpoint),
        roles: vec![flags.role.clone()],
        capabilities: [
            framework_info::capability::Type::MultiRole,
            framework_info::capability::Type::ReservationRefinement,
        ]
        .into_iter()
        .map(|kind| framework_info::Capability {
            r#type: Some(kind as i32),
        })
        .collect(),
        ..FrameworkInfo::default()
    };
    let executor = ExecutorInfo {
        executor_id: ExecutorId {
            value: "default".to_string(),
        },
        command: Some(CommandInfo {
            value: Some(uri),
            ..CommandInfo::default()
        }),
        name: Some(EXECUTOR_NAME.to_string()),
        ..ExecutorInfo::default()
    };
    let runtime = match example::runtime() {
        Ok(runtime) => runtime,
        Err(status) => return ExitCode::from(status),
    };
    let _enter = runtime.enter();
    let (detector, local) = match http_scheduler::detector(&flags.master) {
        Ok(detected) => detected,
        Err(e) => {
            eprintln!("{}", e);
            return ExitCode::FAILURE;
        }
    };
    let exit = ExitStatus::default();
    let scheduler = HttpScheduler {
        framework,
        role: flags.role.clone(),
        executor,
        detector,
        mesos: None,
        state: State::Initializing,
        tasks_launched: 0,
        tasks_finished: 0,
        exit: exit.clone(),
    };
    http_scheduler::run(signals, scheduler, local, exit)
}
