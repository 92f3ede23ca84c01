//! What Mesos' executors on the v1 executor library
//! (`test_http_executor.cpp`, `long_lived_executor.cpp`) share: the
//! process that subscribes (again every second until subscribed, with the
//! updates and tasks the agent has not acknowledged), sends status
//! updates and forgets them once acknowledged. Each executor adds what it
//! does with the events ([`Behavior`]).

use std::borrow::Cow;
use std::collections::VecDeque;
use std::process::ExitCode;

use bytes::Bytes;
use libprocess::{delay, dispatch, Clock, Handlers, Process, SelfPid, PID};
use mesos::v1::executor::{call, event, Call, Callbacks, ContentType, Event, Mesos};
use mesos::v1::{task_status, ExecutorId, FrameworkId, TaskInfo, TaskState, TaskStatus};
use stout::Duration;

/// How often an executor subscribes until it is subscribed.
const REGISTRATION_RETRY: Duration = Duration::from_secs(1);

/// Where the executor is with its agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    Connected,
    Disconnected,
    Subscribed,
}

/// The state both executors keep: the library, and what the agent has
/// not acknowledged yet (in the order it happened).
pub(crate) struct Core {
    framework_id: FrameworkId,
    executor_id: ExecutorId,
    pub(crate) state: State,
    mesos: Option<Mesos>,
    updates: Vec<(Bytes, call::Update)>,
    tasks: Vec<TaskInfo>,
}

impl Core {
    fn call(&self, kind: call::Type) -> Call {
        Call {
            framework_id: self.framework_id.clone(),
            executor_id: self.executor_id.clone(),
            r#type: Some(kind as i32),
            ..Call::default()
        }
    }

    fn send(&self, call: Call) {
        if let Some(mesos) = &self.mesos {
            mesos.send(call);
        }
    }

    /// Keeps `task` until the agent acknowledges an update of it.
    pub(crate) fn launched(&mut self, task: &TaskInfo) {
        self.tasks.retain(|t| t.task_id != task.task_id);
        self.tasks.push(task.clone());
    }

    /// Sends `state` for `task` from the executor, kept until the agent
    /// acknowledges it; `timestamped` stamps it with the Clock's time.
    pub(crate) fn update(&mut self, task: &TaskInfo, state: TaskState, timestamped: bool) {
        let uuid = Bytes::copy_from_slice(&libprocess::random::uuid().to_bytes());
        let mut status = TaskStatus {
            task_id: task.task_id.clone(),
            executor_id: Some(self.executor_id.clone()),
            uuid: Some(uuid.clone()),
            timestamp: timestamped.then(|| Clock::now().secs()),
            ..TaskStatus::default()
        };
        status.set_state(state);
        status.set_source(task_status::Source::Executor);
        let update = call::Update { status };
        self.updates.push((uuid, update.clone()));
        let mut call = self.call(call::Type::Update);
        call.update = Some(update);
        self.send(call);
    }

    fn subscribe(&self) {
        let mut call = self.call(call::Type::Subscribe);
        call.subscribe = Some(call::Subscribe {
            unacknowledged_tasks: self.tasks.clone(),
            unacknowledged_updates: self.updates.iter().map(|(_, u)| u.clone()).collect(),
        });
        self.send(call);
    }

    /// What every event does to the core, before the behavior sees it.
    fn received(&mut self, event: &Event) {
        match event.r#type() {
            event::Type::Subscribed => self.state = State::Subscribed,
            event::Type::Acknowledged => {
                if let Some(acknowledged) = &event.acknowledged {
                    self.updates.retain(|(uuid, _)| *uuid != acknowledged.uuid);
                    self.tasks.retain(|t| t.task_id != acknowledged.task_id);
                }
            }
            _ => {}
        }
    }
}

/// What an executor does with the agent's events.
pub(crate) trait Behavior: Send + Sized + 'static {
    /// The process' id prefix.
    const NAME: &'static str;

    /// `event` arrived; the core has already taken its part.
    fn received(&mut self, core: &mut Core, event: Event, pid: &PID<Executor<Self>>);
}

/// The executor's process.
pub(crate) struct Executor<B> {
    pub(crate) core: Core,
    behavior: B,
}

impl<B> std::fmt::Debug for Executor<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("state", &self.core.state)
            .finish()
    }
}

/// Hands the library's callbacks to the executor's process.
struct Forward<B>(PID<Executor<B>>);

impl<B: Behavior> Callbacks for Forward<B> {
    fn connected(&mut self) {
        dispatch(&self.0, Executor::<B>::connected);
    }

    fn disconnected(&mut self) {
        dispatch(&self.0, |e: &mut Executor<B>| {
            e.core.state = State::Disconnected
        });
    }

    fn received(&mut self, events: VecDeque<Event>) {
        dispatch(&self.0, move |e: &mut Executor<B>| e.received(events));
    }
}

impl<B: Behavior> Process for Executor<B> {
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed(B::NAME)
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        // Created here, so that callbacks only come once this process runs.
        let environment = stout::os::environment();
        match Mesos::from_environment(
            ContentType::Protobuf,
            &environment,
            Forward(self.self_pid()),
        ) {
            Ok(mesos) => self.core.mesos = Some(mesos),
            Err(e) => {
                eprintln!("Failed to start the executor library: {}", e);
                libprocess::terminate(self.self_pid(), false);
            }
        }
    }
}

impl<B: Behavior> Executor<B> {
    fn connected(&mut self) {
        self.core.state = State::Connected;
        self.register();
    }

    fn register(&mut self) {
        if self.core.state != State::Connected {
            return;
        }
        self.core.subscribe();
        delay(REGISTRATION_RETRY, &self.self_pid(), Self::register);
    }

    fn received(&mut self, events: VecDeque<Event>) {
        let pid = self.self_pid();
        for event in events {
            self.core.received(&event);
            self.behavior.received(&mut self.core, event, &pid);
        }
    }
}

/// An executor's `main`: the ids from the agent's environment, then the
/// process until it terminates.
pub(crate) fn main(behavior: impl Behavior) -> ExitCode {
    let id = |name: &str| match std::env::var(name) {
        Ok(value) => Ok(value),
        Err(_) => {
            eprintln!("Expecting '{}' to be set in the environment", name);
            Err(ExitCode::FAILURE)
        }
    };
    let (framework_id, executor_id) = match (id("MESOS_FRAMEWORK_ID"), id("MESOS_EXECUTOR_ID")) {
        (Ok(framework), Ok(executor)) => (framework, executor),
        (Err(status), _) | (_, Err(status)) => return status,
    };
    // As libprocess initializes itself: from the environment the agent
    // gave (`LIBPROCESS_IP`, ...).
    let runtime = match libprocess::Builder::from_environment().and_then(|b| b.try_build()) {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("Failed to initialize libprocess: {}", e);
            return ExitCode::FAILURE;
        }
    };
    let _enter = runtime.enter();
    let executor = Executor {
        core: Core {
            framework_id: FrameworkId {
                value: framework_id,
            },
            executor_id: ExecutorId { value: executor_id },
            state: State::Disconnected,
            mesos: None,
            updates: Vec::new(),
            tasks: Vec::new(),
        },
        behavior,
    };
    let pid = libprocess::spawn(executor);
    libprocess::wait(&pid, None);
    ExitCode::SUCCESS
}
