//! `long-lived-framework` (Mesos' `src/examples/long_lived_framework.cpp`):
//! a framework on the v1 scheduler library that picks one agent and keeps
//! launching small tasks there on one multi-task executor,
//! `long-lived-executor`; when the agent or the executor is lost it picks
//! another. It runs until stopped (SIGINT, SIGTERM) or the master sends
//! an ERROR, and publishes `long_lived_framework/*` metrics.

mod example;
mod http_scheduler;

use std::borrow::Cow;
use std::collections::VecDeque;
use std::process::ExitCode;
use std::sync::Arc;

use http_scheduler::{ExitStatus, Framework};
use libprocess::metrics::{self, Counter, PullGauge};
use libprocess::{delay, dispatch, Clock, Handlers, Process, SelfPid, Time, PID};
use mesos::master::detector::MasterDetector;
use mesos::v1::scheduler::{call, event, Event, Mesos};
use mesos::v1::task_status;
use mesos::v1::{
    framework_info, AgentId, CommandInfo, ExecutorId, ExecutorInfo, Filters, FrameworkInfo, Offer,
    TaskId, TaskInfo, TaskState, TaskStatus,
};
use mesos::Resources;
use stout::{flag, Duration, FlagSet, Flags as StoutFlags};

// Per-task resources are nominal: the executor's resources are what the
// container gets, however many tasks it runs.
const CPUS_PER_TASK: f64 = 0.001;
const MEM_PER_TASK: u32 = 1;

const CPUS_PER_EXECUTOR: f64 = 0.1;
const MEM_PER_EXECUTOR: u32 = 32;

const EXECUTOR_BINARY: &str = "long-lived-executor";
const EXECUTOR_NAME: &str = "Long Lived Executor (C++)";
const FRAMEWORK_NAME: &str = "Long Lived Framework (C++)";
const FRAMEWORK_METRICS_PREFIX: &str = "long_lived_framework";

/// How often the framework subscribes until it is subscribed.
const REGISTRATION_RETRY: Duration = Duration::from_secs(1);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Disconnected,
    Connected,
    Subscribed,
}

/// The framework's metrics, published while it runs.
struct Metrics {
    uptime_secs: PullGauge,
    subscribed: PullGauge,
    offers_received: Counter,
    tasks_launched: Counter,
    /// The only expected terminal state is TASK_FINISHED.
    abnormal_terminations: Counter,
}

impl Metrics {
    fn new(pid: &PID<LongLivedScheduler>) -> Metrics {
        let name = |metric: &str| format!("{}/{}", FRAMEWORK_METRICS_PREFIX, metric);
        let pull = |metric: &str, f: fn(&mut LongLivedScheduler) -> f64| {
            let pid = pid.clone();
            PullGauge::new(name(metric), move || dispatch(&pid, f))
        };
        let metrics = Metrics {
            uptime_secs: pull("uptime_secs", |s| (Clock::now() - s.start_time).secs()),
            subscribed: pull("subscribed", |s| f64::from(s.state == State::Subscribed)),
            offers_received: Counter::new(name("offers_received")),
            tasks_launched: Counter::new(name("tasks_launched")),
            abnormal_terminations: Counter::new(name("abnormal_terminations")),
        };
        metrics::add(metrics.uptime_secs.clone());
        metrics::add(metrics.subscribed.clone());
        metrics::add(metrics.offers_received.clone());
        metrics::add(metrics.tasks_launched.clone());
        metrics::add(metrics.abnormal_terminations.clone());
        metrics
    }

    fn remove(&self) {
        metrics::remove(&self.uptime_secs);
        metrics::remove(&self.subscribed);
        metrics::remove(&self.offers_received);
        metrics::remove(&self.tasks_launched);
        metrics::remove(&self.abnormal_terminations);
    }
}

struct LongLivedScheduler {
    state: State,
    detector: Arc<dyn MasterDetector>,
    framework: FrameworkInfo,
    role: String,
    executor: ExecutorInfo,
    task_resources: Resources,
    tasks_launched: u64,
    /// The agent running the executor: while it and the executor live,
    /// every task goes there.
    agent_id: Option<AgentId>,
    mesos: Option<Mesos>,
    start_time: Time,
    metrics: Option<Metrics>,
    exit: ExitStatus,
}

impl Process for LongLivedScheduler {
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed("long-lived-scheduler")
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        self.start_time = Clock::now();
        self.metrics = Some(Metrics::new(&self.self_pid()));
        self.mesos = Some(http_scheduler::library(
            Arc::clone(&self.detector),
            self.self_pid(),
        ));
    }

    fn finalize(&mut self) {
        if let Some(metrics) = self.metrics.take() {
            metrics.remove();
        }
    }
}

impl Framework for LongLivedScheduler {
    fn connected(&mut self) {
        self.state = State::Connected;
        self.register();
    }

    fn disconnected(&mut self) {
        tracing::info!("Disconnected!");
        self.state = State::Disconnected;
    }

    fn received(&mut self, events: VecDeque<Event>) {
        for event in events {
            tracing::info!("Received {} event", event.r#type().as_str_name());
            match event.r#type() {
                event::Type::Subscribed => {
                    let Some(subscribed) = event.subscribed else {
                        continue;
                    };
                    self.framework.id = Some(subscribed.framework_id);
                    tracing::info!(
                        "Subscribed with ID '{}'",
                        self.framework
                            .id
                            .as_ref()
                            .map_or("", |id| id.value.as_str())
                    );
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
                event::Type::Failure => {
                    let Some(failure) = event.failure else {
                        continue;
                    };
                    match (failure.agent_id, failure.executor_id) {
                        (Some(agent_id), Some(executor_id)) => {
                            self.executor_failed(&executor_id, &agent_id, failure.status)
                        }
                        (Some(agent_id), None) => self.agent_failed(&agent_id),
                        (None, _) => tracing::warn!("Ignoring a FAILURE event without an agent"),
                    }
                }
                event::Type::Error => {
                    let message = event.error.map(|e| e.message).unwrap_or_default();
                    eprintln!("Error: {}", message);
                    self.exit.set(1);
                    libprocess::terminate(self.self_pid(), false);
                    return;
                }
                event::Type::Unknown => tracing::warn!("Received an UNKNOWN event and ignored"),
                _ => {}
            }
        }
    }
}

impl LongLivedScheduler {
    fn register(&mut self) {
        if self.state != State::Connected {
            return;
        }
        self.send(http_scheduler::subscribe(&self.framework));
        delay(REGISTRATION_RETRY, &self.self_pid(), Self::register);
    }

    fn send(&self, call: mesos::v1::scheduler::Call) {
        if let Some(mesos) = &self.mesos {
            mesos.send(call);
        }
    }

    fn offers(&mut self, offers: Vec<Offer>) {
        if self.state != State::Subscribed {
            return;
        }
        let mut executor_resources = http_scheduler::resources(&self.executor.resources);
        executor_resources.allocate(&self.role);
        if let Some(metrics) = &self.metrics {
            metrics.offers_received.add(offers.len() as i64);
        }
        for offer in &offers {
            let offered = http_scheduler::resources(&offer.resources).to_unreserved();
            match &self.agent_id {
                // No executor runs in the cluster: start one with a task.
                None => {
                    if offered.contains(&(&self.task_resources + &executor_resources)) {
                        tracing::info!(
                            "Starting executor and task {} on {}",
                            self.tasks_launched,
                            offer.hostname
                        );
                        self.launch(offer);
                        self.agent_id = Some(offer.agent_id.clone());
                    } else {
                        self.decline(offer);
                    }
                }
                // The agent with the executor: more tasks for it.
                Some(agent_id) if *agent_id == offer.agent_id => {
                    if offered.contains(&self.task_resources) {
                        tracing::info!(
                            "Starting task {} on {}",
                            self.tasks_launched,
                            offer.hostname
                        );
                        self.launch(offer);
                    } else {
                        self.decline(offer);
                    }
                }
                Some(_) => self.decline(offer),
            }
        }
    }

    fn update(&mut self, status: TaskStatus) {
        if self.state != State::Subscribed {
            return;
        }
        tracing::info!(
            "Task {} is in state {}{}",
            status.task_id.value,
            status.state().as_str_name(),
            status
                .message
                .as_ref()
                .map(|m| format!(" with message: {}", m))
                .unwrap_or_default()
        );
        if let Some(call) = http_scheduler::acknowledge(&self.framework, &status) {
            self.send(call);
        }
        let abnormal = matches!(
            status.state(),
            TaskState::TaskKilled
                | TaskState::TaskLost
                | TaskState::TaskFailed
                | TaskState::TaskError
        );
        // A launch on an invalid offer is not an abnormal termination.
        let invalid_offers = status.reason == Some(task_status::Reason::InvalidOffers as i32);
        if abnormal && !invalid_offers {
            if let Some(metrics) = &self.metrics {
                metrics.abnormal_terminations.increment();
            }
        }
    }

    fn agent_failed(&mut self, agent_id: &AgentId) {
        tracing::info!("Agent lost: {}", agent_id.value);
        if self.agent_id.as_ref() == Some(agent_id) {
            self.agent_id = None;
        }
    }

    fn executor_failed(
        &mut self,
        executor_id: &ExecutorId,
        agent_id: &AgentId,
        status: Option<i32>,
    ) {
        tracing::info!(
            "Executor '{}' lost on agent '{}{}",
            executor_id.value,
            agent_id.value,
            status
                .map(|s| format!("' with status: {}", s))
                .unwrap_or_default()
        );
        self.agent_id = None;
    }

    fn decline(&self, offer: &Offer) {
        let mut call = http_scheduler::call(&self.framework, call::Type::Decline);
        call.decline = Some(call::Decline {
            offer_ids: vec![offer.id.clone()],
            filters: Some(Filters {
                refuse_seconds: Some(600.0),
            }),
        });
        self.send(call);
    }

    fn launch(&mut self, offer: &Offer) {
        let task_id = self.tasks_launched;
        self.tasks_launched += 1;
        if let Some(metrics) = &self.metrics {
            metrics.tasks_launched.increment();
        }
        let task = TaskInfo {
            name: format!("Task {}", task_id),
            task_id: TaskId {
                value: task_id.to_string(),
            },
            agent_id: offer.agent_id.clone(),
            resources: http_scheduler::v1_resources(&self.task_resources),
            executor: Some(self.executor.clone()),
            ..TaskInfo::default()
        };
        self.send(http_scheduler::launch(&self.framework, offer, vec![task]));
    }
}

/// The example flags and the long-lived framework's own.
#[derive(Clone, Debug, Default)]
struct Flags {
    example: example::Flags,
    build_dir: Option<String>,
    executor_uri: Option<String>,
    executor_uris: Option<serde_json::Value>,
    executor_command: Option<String>,
}

example::embed_flags!(Flags);

impl StoutFlags for Flags {
    fn define(set: &mut FlagSet<Self>) {
        example::add_flags(set);
        flag!(set, build_dir).help(
            "The build directory of Mesos. If set, the framework will assume\n\
             that the executor, framework, and agent(s) all live on the same\n\
             machine.",
        );
        flag!(set, executor_uri).help(
            "URI the fetcher should use to get the executor's binary.\n\
             NOTE: This flag is deprecated in favor of `--executor_uris`",
        );
        flag!(set, executor_uris).help(
            "The value could be a JSON-formatted string of `URI`s that\n\
             should be fetched before running the executor, or a file\n\
             path containing the JSON-formatted `URI`s. Path must be of\n\
             the form `file:///path/to/file` or `/path/to/file`.\n\
             This flag replaces `--executor_uri`.\n\
             See the `CommandInfo::URI` message in `mesos.proto` for the\n\
             expected format.",
        );
        flag!(set, executor_command).help(
            "The command that should be used to start the executor.\n\
             This will override the value set by `--build_dir`.",
        );
    }
}

/// The executor's command: `--executor_command`, else the binary in
/// `--build_dir`'s `src`, else the one next to this program; with the
/// URIs to fetch.
fn executor_command(flags: &Flags) -> Result<CommandInfo, String> {
    let value = match (&flags.executor_command, &flags.build_dir) {
        (Some(command), _) => command.clone(),
        (None, Some(build_dir)) => format!("{}/src/{}", build_dir, EXECUTOR_BINARY),
        (None, None) => example::executor_path(EXECUTOR_BINARY),
    };
    let mut command = CommandInfo {
        value: Some(value),
        ..CommandInfo::default()
    };
    if flags.executor_uris.is_some() && flags.executor_uri.is_some() {
        return Err("Flag '--executor_uris' shall not be used with '--executor_uri'".into());
    }
    if let Some(uri) = &flags.executor_uri {
        tracing::warn!("Flag '--executor_uri' is deprecated, use '--executor_uris' instead");
        command.uris.push(mesos::v1::command_info::Uri {
            value: uri.clone(),
            executable: Some(true),
            ..Default::default()
        });
    }
    if let Some(uris) = &flags.executor_uris {
        let serde_json::Value::Array(uris) = uris else {
            return Err("Failed to convert '--executor_uris' to protobuf: \
                 Expecting a JSON array"
                .into());
        };
        for uri in uris {
            let uri = mesos::json::parse::<mesos::v1::command_info::Uri>(uri)
                .map_err(|e| format!("Failed to convert '--executor_uris' to protobuf: {}", e))?;
            command.uris.push(uri);
        }
    }
    Ok(command)
}

fn main() -> ExitCode {
    // Before any thread starts, so that every thread leaves them to the
    // one that waits for them.
    let signals = match mesos::daemon::block_signals() {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("{}", e);
            return ExitCode::FAILURE;
        }
    };
    let args: Vec<String> = std::env::args().collect();
    let flags: Flags = match example::load(&args) {
        Ok(flags) => flags,
        Err(status) => return ExitCode::from(status),
    };
    example::configure_local(&flags.example);
    let command = match executor_command(&flags) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("{}", e);
            return ExitCode::FAILURE;
        }
    };
    let parse = |text: String| Resources::parse(&text).map_err(|e| e.to_string());
    let (executor_resources, mut task_resources) = match (
        parse(format!(
            "cpus:{};mem:{}",
            CPUS_PER_EXECUTOR, MEM_PER_EXECUTOR
        )),
        parse(format!("cpus:{};mem:{}", CPUS_PER_TASK, MEM_PER_TASK)),
    ) {
        (Ok(executor), Ok(task)) => (executor, task),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{}", e);
            return ExitCode::FAILURE;
        }
    };
    task_resources.allocate(&flags.example.role);
    let executor = ExecutorInfo {
        executor_id: ExecutorId {
            value: "default".to_string(),
        },
        resources: http_scheduler::v1_resources(&executor_resources),
        name: Some(EXECUTOR_NAME.to_string()),
        command: Some(command),
        ..ExecutorInfo::default()
    };
    let user = match stout::os::user() {
        Ok(user) => user,
        Err(e) => {
            eprintln!("Failed to get the current user: {}", e);
            return ExitCode::FAILURE;
        }
    };
    let framework = FrameworkInfo {
        user,
        principal: Some(flags.example.principal.clone()),
        name: FRAMEWORK_NAME.to_string(),
        checkpoint: Some(flags.example.checkpoint),
        roles: vec![flags.example.role.clone()],
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
    let runtime = match example::runtime() {
        Ok(runtime) => runtime,
        Err(status) => return ExitCode::from(status),
    };
    let _enter = runtime.enter();
    let (detector, local) = match http_scheduler::detector(&flags.example.master) {
        Ok(detected) => detected,
        Err(e) => {
            eprintln!("{}", e);
            return ExitCode::FAILURE;
        }
    };
    let exit = ExitStatus::default();
    let scheduler = LongLivedScheduler {
        state: State::Disconnected,
        detector,
        framework,
        role: flags.example.role.clone(),
        executor,
        task_resources,
        tasks_launched: 0,
        agent_id: None,
        mesos: None,
        start_time: Time::default(),
        metrics: None,
        exit: exit.clone(),
    };
    http_scheduler::run(signals, scheduler, local, exit)
}
