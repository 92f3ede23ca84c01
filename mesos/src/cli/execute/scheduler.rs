//! `mesos-execute`'s scheduler (Mesos' `CommandScheduler`), a process on
//! the v1 scheduler library: subscribe (again every second until
//! subscribed), launch the task on the first offer that holds its
//! resources, decline and suppress the others, print and acknowledge
//! every status update, and end at the task's terminal one.

use std::collections::VecDeque;
use std::sync::Arc;

use libprocess::{delay, dispatch, Handlers, Process, SelfPid, PID};
use parking_lot::Mutex;
use stout::Duration;

use crate::common::evolve::{devolve, evolve};
use crate::common::protobuf_utils::is_terminal_state;
use crate::master::detector::MasterDetector;
use crate::v1::scheduler::{call, event, Call, Callbacks, ContentType, Event, Mesos};
use crate::v1::{AgentId, FrameworkInfo, Offer, TaskId, TaskInfo, TaskStatus};
use crate::Resources;

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

/// Where the scheduler is with the master.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Disconnected,
    Connected,
    Subscribed,
}

/// What the command scheduler was asked to run.
pub(super) struct Config {
    pub(super) framework: FrameworkInfo,
    pub(super) task: TaskInfo,
    pub(super) resources: Resources,
    pub(super) role: String,
    pub(super) kill_after: Option<Duration>,
    pub(super) content_type: ContentType,
    pub(super) detector: Arc<dyn MasterDetector>,
}

pub(super) struct CommandScheduler {
    config: Config,
    state: State,
    launched: bool,
    mesos: Option<Mesos>,
    outcome: Arc<Mutex<Outcome>>,
}

/// The library's callbacks, handed to the scheduler's process (Mesos
/// defers them to it).
struct Forward(PID<CommandScheduler>);

impl Callbacks for Forward {
    fn connected(&mut self) {
        dispatch(&self.0, CommandScheduler::connected);
    }

    fn disconnected(&mut self) {
        dispatch(&self.0, |s: &mut CommandScheduler| {
            s.state = State::Disconnected
        });
    }

    fn received(&mut self, events: VecDeque<Event>) {
        dispatch(&self.0, move |s: &mut CommandScheduler| s.received(events));
    }
}

impl Process for CommandScheduler {
    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        // Made here so that callbacks come only once the process runs.
        self.mesos = Some(Mesos::new(
            self.config.content_type,
            Arc::clone(&self.config.detector),
            Forward(self.self_pid()),
        ));
    }

    fn finalize(&mut self) {
        self.mesos = None;
    }
}

impl CommandScheduler {
    pub(super) fn new(config: Config) -> (CommandScheduler, Arc<Mutex<Outcome>>) {
        let outcome = Arc::new(Mutex::new(Outcome::default()));
        let scheduler = CommandScheduler {
            config,
            state: State::Disconnected,
            launched: false,
            mesos: None,
            outcome: Arc::clone(&outcome),
        };
        (scheduler, outcome)
    }

    fn send(&self, call: Call) {
        if let Some(mesos) = &self.mesos {
            mesos.send(call);
        }
    }

    /// A call of the subscribed framework.
    fn call(&self, kind: call::Type) -> Call {
        let mut call = Call {
            framework_id: self.config.framework.id.clone(),
            ..Call::default()
        };
        call.set_type(kind);
        call
    }

    fn connected(&mut self) {
        self.state = State::Connected;
        self.subscribe();
    }

    /// SUBSCRIBE, again every second until subscribed or disconnected.
    fn subscribe(&mut self) {
        if self.state != State::Connected {
            return;
        }
        let framework = &self.config.framework;
        let mut call = Call {
            framework_id: framework.id.clone(),
            subscribe: Some(call::Subscribe {
                framework_info: framework.clone(),
                ..call::Subscribe::default()
            }),
            ..Call::default()
        };
        call.set_type(call::Type::Subscribe);
        self.send(call);
        delay(
            Duration::from_secs(1),
            &self.self_pid(),
            CommandScheduler::subscribe,
        );
    }

    fn received(&mut self, events: VecDeque<Event>) {
        for event in events {
            let kind = event
                .r#type
                .and_then(|t| event::Type::try_from(t).ok())
                .unwrap_or(event::Type::Unknown);
            match kind {
                event::Type::Subscribed => {
                    let Some(subscribed) = event.subscribed else {
                        continue;
                    };
                    say!("Subscribed with ID {}", subscribed.framework_id.value);
                    self.config.framework.id = Some(subscribed.framework_id);
                    self.state = State::Subscribed;
                }
                event::Type::Offers => {
                    if let Some(offers) = event.offers {
                        self.offers(offers.offers);
                    }
                }
                event::Type::Update => {
                    if let Some(update) = event.update {
                        self.update(update.status);
                    }
                }
                event::Type::Error => {
                    let message = event.error.map(|e| e.message).unwrap_or_default();
                    eprintln!("Received an ERROR event: {}", message);
                    libprocess::terminate(self.self_pid(), true);
                }
                event::Type::Unknown => {
                    tracing::warn!("Received an UNKNOWN event and ignored");
                }
                _ => {}
            }
        }
    }

    fn offers(&mut self, offers: Vec<Offer>) {
        for offer in offers {
            let offered = offer
                .resources
                .iter()
                .map(devolve)
                .collect::<stout::Try<Vec<crate::Resource>>>()
                .map(|resources| Resources::from(resources.as_slice()))
                .unwrap_or_default();
            let mut needed = self.config.resources.clone();
            needed.allocate(&self.config.role);
            if !self.launched && offered.to_unreserved().contains(&needed.to_unreserved()) {
                // Take the offered resources (reservations included) that
                // cover what the task needs.
                let resources = offered.find(&needed).unwrap_or(needed);
                let mut task = self.config.task.clone();
                task.agent_id = offer.agent_id.clone();
                task.resources = match resources.to_vec().iter().map(evolve).collect() {
                    Ok(resources) => resources,
                    Err(error) => {
                        tracing::error!("Failed to convert the task's resources: {}", error);
                        continue;
                    }
                };
                let mut accept = self.call(call::Type::Accept);
                accept.accept = Some(launch(&offer, task.clone()));
                self.send(accept);
                say!(
                    "Submitted task '{}' to agent '{}'",
                    task.name,
                    offer.agent_id.value
                );
                self.launched = true;
            } else {
                let mut decline = self.call(call::Type::Decline);
                decline.decline = Some(call::Decline {
                    offer_ids: vec![offer.id.clone()],
                    filters: None,
                });
                self.send(decline);
                self.send(self.call(call::Type::Suppress));
            }
        }
    }

    fn update(&mut self, status: TaskStatus) {
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
            .and_then(|s| crate::v1::task_status::Source::try_from(s).ok())
        {
            say!("  source: {}", source.as_str_name());
        }
        if let Some(reason) = status
            .reason
            .and_then(|r| crate::v1::task_status::Reason::try_from(r).ok())
        {
            say!("  reason: {}", reason.as_str_name());
        }
        if let Some(healthy) = status.healthy {
            say!("  healthy?: {}", u8::from(healthy));
        }
        if let (Some(uuid), Some(agent_id)) = (&status.uuid, &status.agent_id) {
            let mut acknowledge = self.call(call::Type::Acknowledge);
            acknowledge.acknowledge = Some(call::Acknowledge {
                agent_id: agent_id.clone(),
                task_id: status.task_id.clone(),
                uuid: uuid.clone(),
            });
            self.send(acknowledge);
        }
        if let (Some(after), crate::v1::TaskState::TaskRunning) =
            (self.config.kill_after, status.state())
        {
            let task_id = status.task_id.clone();
            let agent_id = status.agent_id.clone().unwrap_or_default();
            delay(after, &self.self_pid(), move |s: &mut CommandScheduler| {
                s.kill(task_id, agent_id)
            });
        }
        let state = crate::TaskState::try_from(status.state).unwrap_or_default();
        if is_terminal_state(state) {
            self.outcome.lock().finished = state == crate::TaskState::TaskFinished;
            libprocess::terminate(self.self_pid(), true);
        }
    }

    fn kill(&mut self, task_id: TaskId, agent_id: AgentId) {
        say!(
            "Asked to kill task '{}' on agent '{}'",
            task_id.value,
            agent_id.value
        );
        let mut kill = self.call(call::Type::Kill);
        kill.kill = Some(call::Kill {
            task_id,
            agent_id: Some(agent_id),
            kill_policy: None,
        });
        self.send(kill);
    }
}

/// ACCEPT of `offer` with one LAUNCH of `task`.
fn launch(offer: &Offer, task: TaskInfo) -> call::Accept {
    use crate::v1::offer::{operation, Operation};
    call::Accept {
        offer_ids: vec![offer.id.clone()],
        operations: vec![Operation {
            r#type: Some(operation::Type::Launch as i32),
            launch: Some(operation::Launch {
                task_infos: vec![task],
            }),
            ..Operation::default()
        }],
        filters: None,
    }
}
