//! The master's record of a framework (Mesos' `master::Framework`): its
//! info, its connection, its tasks, offers and executors, and the
//! resources it uses and has been offered, by agent.

use std::collections::{HashMap, HashSet, VecDeque};

use libprocess::{send_protobuf, Time, Timer, UPID};

use super::framework_metrics::FrameworkMetrics;
use crate::common::evolve::SchedulerMessage;
use crate::common::http::StreamingHttpConnection;
use crate::common::protobuf_utils::framework::Capabilities;
use crate::common::protobuf_utils::is_terminal_state;
use crate::common::resources::Resources;
use crate::{
    ExecutorId, ExecutorInfo, FrameworkId, FrameworkInfo, OfferId, SlaveId, Task, TaskId, TaskState,
};

/// How the master reaches a framework's scheduler: a driver (libprocess)
/// scheduler at its pid, or a v1 HTTP scheduler on the event stream its
/// SUBSCRIBE opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    /// A scheduler driver at this pid.
    Pid(UPID),
    /// A subscription to `/api/v1/scheduler`.
    Http(StreamingHttpConnection),
}

impl Connection {
    /// Sends `message` to the scheduler: as is to a driver, as the v1
    /// event it evolves into on a stream. False if the stream is closed.
    /// The one place the master's words to schedulers go out.
    pub fn send<M: SchedulerMessage>(&self, message: &M) -> bool {
        match self {
            Connection::Pid(pid) => {
                send_protobuf(pid, message);
                true
            }
            Connection::Http(http) => match message.evolve_event() {
                Ok(event) => http.send(&event),
                Err(error) => {
                    tracing::error!(
                        "Failed to evolve '{}' into an event: {}",
                        libprocess::name_of::<M>(),
                        error
                    );
                    false
                }
            },
        }
    }
}

impl std::fmt::Display for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Connection::Pid(pid) => write!(f, "{}", pid),
            Connection::Http(http) => write!(f, "HTTP stream {}", http.stream_id),
        }
    }
}

/// A framework's state in the master (Mesos' `Framework::State`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameworkState {
    /// Connected and receiving offers.
    Active,
    /// Connected, receiving no offers (deactivated).
    Inactive,
    /// Its scheduler went away; waiting `failover_timeout` for it.
    Disconnected,
    /// Known only from a reregistering agent after a master failover; its
    /// scheduler has not subscribed yet.
    Recovered,
}

/// The master's bookkeeping for one framework.
#[derive(Debug)]
pub struct Framework {
    /// The framework's ID.
    pub id: FrameworkId,
    /// The framework's info as it last subscribed.
    pub info: FrameworkInfo,
    /// Its capabilities, from `info`.
    pub capabilities: Capabilities,
    /// Where its scheduler is (none while recovered).
    pub connection: Option<Connection>,
    /// Its state.
    pub state: FrameworkState,
    /// When it first subscribed.
    pub registered_time: Time,
    /// When it last (re)subscribed: tells a failover timeout for an old
    /// disconnection from the current one.
    pub reregistered_time: Time,
    /// When it was removed (the epoch while it is not).
    pub unregistered_time: Time,
    /// Its tasks that are not yet removed (terminal ones wait for the
    /// acknowledgement of their last update).
    pub tasks: HashMap<TaskId, Task>,
    /// Removed tasks, newest last, at most `--max_completed_tasks_per_framework`.
    pub completed_tasks: VecDeque<Task>,
    /// Tasks that were on agents now unreachable.
    pub unreachable_tasks: HashMap<TaskId, Task>,
    /// Its outstanding offers.
    pub offers: HashSet<OfferId>,
    /// Its executors, by agent.
    pub executors: HashMap<SlaveId, HashMap<ExecutorId, ExecutorInfo>>,
    /// What its tasks and executors use, by agent.
    pub used_resources: HashMap<SlaveId, Resources>,
    /// What it has been offered and not yet used or declined, by agent.
    pub offered_resources: HashMap<SlaveId, Resources>,
    /// The failover timeout armed when its scheduler disconnected.
    pub failover_timer: Option<Timer>,
    /// Its `master/frameworks/<name>/<id>/*` metrics.
    pub metrics: FrameworkMetrics,
    max_completed_tasks: usize,
}

impl Framework {
    /// A framework that just subscribed (or was recovered, with no
    /// connection), at `now`.
    pub fn new(
        info: FrameworkInfo,
        connection: Option<Connection>,
        now: Time,
        max_completed_tasks: usize,
        publish_metrics: bool,
    ) -> Framework {
        let state = if connection.is_some() {
            FrameworkState::Active
        } else {
            FrameworkState::Recovered
        };
        let metrics = FrameworkMetrics::new(&info, publish_metrics);
        metrics
            .subscribed
            .set(if connection.is_some() { 1.0 } else { 0.0 });
        Framework {
            id: info.id.clone().unwrap_or_default(),
            capabilities: Capabilities::new(&info.capabilities),
            info,
            connection,
            state,
            registered_time: now,
            reregistered_time: now,
            unregistered_time: Time::EPOCH,
            tasks: HashMap::new(),
            completed_tasks: VecDeque::new(),
            unreachable_tasks: HashMap::new(),
            offers: HashSet::new(),
            executors: HashMap::new(),
            used_resources: HashMap::new(),
            offered_resources: HashMap::new(),
            failover_timer: None,
            metrics,
            max_completed_tasks,
        }
    }

    /// Its scheduler's pid, for a driver framework.
    pub fn pid(&self) -> Option<&UPID> {
        match &self.connection {
            Some(Connection::Pid(pid)) => Some(pid),
            _ => None,
        }
    }

    /// Its scheduler's event stream, for a connected HTTP framework.
    pub fn http(&self) -> Option<&StreamingHttpConnection> {
        match &self.connection {
            Some(Connection::Http(http)) => Some(http),
            _ => None,
        }
    }

    /// Whether its scheduler is connected.
    pub fn connected(&self) -> bool {
        matches!(
            self.state,
            FrameworkState::Active | FrameworkState::Inactive
        )
    }

    /// Whether it receives offers.
    pub fn active(&self) -> bool {
        self.state == FrameworkState::Active
    }

    /// Whether it is known only from agents.
    pub fn recovered(&self) -> bool {
        self.state == FrameworkState::Recovered
    }

    /// Moves it to `state`; `subscribed` says whether it is connected.
    pub fn set_state(&mut self, state: FrameworkState) {
        self.state = state;
        let subscribed = if self.connected() { 1.0 } else { 0.0 };
        self.metrics.subscribed.set(subscribed);
    }

    /// Sends `message` to its scheduler, if it has a connection; counted
    /// as sent either way, as Mesos counts it.
    pub fn send<M: SchedulerMessage>(&self, message: &M) {
        self.metrics.increment_event(M::EVENT);
        match &self.connection {
            Some(connection) => {
                if !connection.send(message) {
                    tracing::warn!(
                        "Unable to send event to framework {}: connection closed",
                        self.id.value
                    );
                }
            }
            None => tracing::warn!(
                "Unable to send message to framework {}: not connected",
                self.id.value
            ),
        }
    }

    /// Takes a new connection (a resubscription or failover), closing
    /// the stream of the one it replaces (Mesos'
    /// `Framework::updateConnection`). Does not change the state.
    pub fn update_connection(&mut self, connection: Connection) {
        if let Some(Connection::Http(old)) = &self.connection {
            if Some(&connection) != self.connection.as_ref() {
                old.close();
            }
        }
        self.connection = Some(connection);
    }

    /// Its scheduler is gone: an HTTP stream is closed and forgotten (a
    /// driver's pid is kept, to recognise it), and the framework is
    /// disconnected (Mesos' `Framework::disconnect`).
    pub fn disconnect(&mut self) {
        if let Some(Connection::Http(http)) = &self.connection {
            http.close();
            self.connection = None;
        }
        self.set_state(FrameworkState::Disconnected);
    }

    /// Replaces its info (a resubscription), keeping the ID.
    pub fn update_info(&mut self, info: FrameworkInfo) {
        self.capabilities = Capabilities::new(&info.capabilities);
        self.info = info;
        self.info.id = Some(self.id.clone());
    }

    /// What it uses on all agents.
    pub fn total_used_resources(&self) -> Resources {
        self.used_resources.values().sum()
    }

    /// What it has been offered on all agents.
    pub fn total_offered_resources(&self) -> Resources {
        self.offered_resources.values().sum()
    }

    /// Records a new task; a non-terminal task's resources count as used.
    pub fn add_task(&mut self, task: Task) {
        self.metrics.increment_task_state(task.state());
        if !is_terminal_state(task.state()) {
            *self
                .used_resources
                .entry(task.slave_id.clone())
                .or_default() += Resources::from(task.resources.as_slice());
        }
        self.tasks.insert(task.task_id.clone(), task);
    }

    /// The task's resources stop counting as used (it became terminal or
    /// unreachable).
    pub fn recover_resources(&mut self, task_id: &TaskId) {
        if let Some(task) = self.tasks.get(task_id) {
            let resources = Resources::from(task.resources.as_slice());
            subtract(&mut self.used_resources, &task.slave_id, &resources);
        }
    }

    /// Removes a task: to the completed tasks, or to the unreachable ones.
    /// A task removed in a non-terminal, reachable state gives its
    /// resources back here.
    pub fn remove_task(&mut self, task_id: &TaskId, unreachable: bool) -> Option<Task> {
        let task = self.tasks.remove(task_id)?;
        if !is_terminal_state(task.state()) && task.state() != TaskState::TaskUnreachable {
            let resources = Resources::from(task.resources.as_slice());
            subtract(&mut self.used_resources, &task.slave_id, &resources);
        }
        if unreachable {
            self.unreachable_tasks
                .insert(task.task_id.clone(), task.clone());
        } else {
            self.add_completed_task(task.clone());
        }
        Some(task)
    }

    /// Keeps a finished task, dropping the oldest beyond the limit.
    pub fn add_completed_task(&mut self, task: Task) {
        if self.max_completed_tasks == 0 {
            return;
        }
        while self.completed_tasks.len() >= self.max_completed_tasks {
            self.completed_tasks.pop_front();
        }
        self.completed_tasks.push_back(task);
    }

    /// Records an outstanding offer of `resources` on `slave_id`.
    pub fn add_offer(&mut self, offer_id: OfferId, slave_id: &SlaveId, resources: &Resources) {
        self.offers.insert(offer_id);
        *self.offered_resources.entry(slave_id.clone()).or_default() += resources;
    }

    /// Forgets an offer (accepted, declined or rescinded).
    pub fn remove_offer(&mut self, offer_id: &OfferId, slave_id: &SlaveId, resources: &Resources) {
        self.offers.remove(offer_id);
        subtract(&mut self.offered_resources, slave_id, resources);
    }

    /// Whether it has the executor on the agent.
    pub fn has_executor(&self, slave_id: &SlaveId, executor_id: &ExecutorId) -> bool {
        self.executors
            .get(slave_id)
            .is_some_and(|executors| executors.contains_key(executor_id))
    }

    /// Records an executor on an agent; its resources count as used.
    pub fn add_executor(&mut self, slave_id: &SlaveId, executor: ExecutorInfo) {
        *self.used_resources.entry(slave_id.clone()).or_default() +=
            Resources::from(executor.resources.as_slice());
        self.executors
            .entry(slave_id.clone())
            .or_default()
            .insert(executor.executor_id.clone(), executor);
    }

    /// Forgets an executor, giving its resources back.
    pub fn remove_executor(&mut self, slave_id: &SlaveId, executor_id: &ExecutorId) {
        let Some(executors) = self.executors.get_mut(slave_id) else {
            return;
        };
        if let Some(executor) = executors.remove(executor_id) {
            let resources = Resources::from(executor.resources.as_slice());
            subtract(&mut self.used_resources, slave_id, &resources);
        }
        if executors.is_empty() {
            self.executors.remove(slave_id);
        }
    }
}

/// Takes `resources` off the agent's entry, dropping an entry that
/// becomes empty.
pub(super) fn subtract<K: std::hash::Hash + Eq + Clone>(
    map: &mut HashMap<K, Resources>,
    key: &K,
    resources: &Resources,
) {
    if let Some(entry) = map.get_mut(key) {
        *entry -= resources;
        if entry.is_empty() {
            map.remove(key);
        }
    }
}
