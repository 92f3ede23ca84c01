//! The master's record of an agent (Mesos' `master::Slave`): its info and
//! pid, whether it is connected and active, and which frameworks' tasks,
//! executors and offers are on it, with the resources they hold.

use std::collections::{HashMap, HashSet};

use libprocess::{Time, Timer, UPID};

use super::framework::subtract;
use super::slave_observer::SlaveObserverHandle;
use crate::common::protobuf_utils::is_terminal_state;
use crate::common::protobuf_utils::slave::Capabilities;
use crate::common::resources::Resources;
use crate::{
    slave_info, ExecutorId, ExecutorInfo, FrameworkId, OfferId, SlaveId, SlaveInfo, Task, TaskId,
    TaskState,
};

/// The master's bookkeeping for one registered agent.
#[derive(Debug)]
pub struct Slave {
    /// The agent's ID.
    pub id: SlaveId,
    /// Its info, with the ID.
    pub info: SlaveInfo,
    /// Its pid.
    pub pid: UPID,
    /// The Mesos version it runs.
    pub version: String,
    /// Its capabilities, as sent.
    pub capabilities: Vec<slave_info::Capability>,
    /// The version of its own resources, as it last sent it; launches
    /// carry it so that the agent can refuse ones made on stale state.
    pub resource_version: Option<crate::Uuid>,
    /// When it registered.
    pub registered_time: Time,
    /// When it last reregistered.
    pub reregistered_time: Option<Time>,
    /// Whether its link to the master is up.
    pub connected: bool,
    /// Whether its resources are offered.
    pub active: bool,
    /// Its total resources.
    pub total_resources: Resources,
    /// Tasks on it, by framework (the tasks themselves are the
    /// frameworks').
    pub tasks: HashMap<FrameworkId, HashSet<TaskId>>,
    /// Tasks a framework asked to kill, by framework.
    pub killed_tasks: HashMap<FrameworkId, HashSet<TaskId>>,
    /// Executors on it, by framework.
    pub executors: HashMap<FrameworkId, HashMap<ExecutorId, ExecutorInfo>>,
    /// Outstanding offers of its resources.
    pub offers: HashSet<OfferId>,
    /// What each framework's tasks and executors use on it.
    pub used_resources: HashMap<FrameworkId, Resources>,
    /// What is offered of it.
    pub offered_resources: Resources,
    /// Its health checker.
    pub observer: Option<SlaveObserverHandle>,
    /// The `--agent_reregister_timeout` armed when it disconnected.
    pub reregistration_timer: Option<Timer>,
}

impl Slave {
    /// A newly (re)registered, connected and active agent.
    pub fn new(
        info: SlaveInfo,
        pid: UPID,
        version: String,
        capabilities: Vec<slave_info::Capability>,
        now: Time,
    ) -> Slave {
        Slave {
            id: info.id.clone().unwrap_or_default(),
            total_resources: Resources::from(info.resources.as_slice()),
            info,
            pid,
            version,
            capabilities,
            resource_version: None,
            registered_time: now,
            reregistered_time: None,
            connected: true,
            active: true,
            tasks: HashMap::new(),
            killed_tasks: HashMap::new(),
            executors: HashMap::new(),
            offers: HashSet::new(),
            used_resources: HashMap::new(),
            offered_resources: Resources::new(),
            observer: None,
            reregistration_timer: None,
        }
    }

    /// Its capabilities as flags.
    pub fn capability_flags(&self) -> Capabilities {
        Capabilities::new(&self.capabilities)
    }

    /// Whether the task is on it.
    pub fn has_task(&self, framework_id: &FrameworkId, task_id: &TaskId) -> bool {
        self.tasks
            .get(framework_id)
            .is_some_and(|tasks| tasks.contains(task_id))
    }

    /// Records a task; a non-terminal task's resources count as used.
    pub fn add_task(&mut self, task: &Task) {
        let framework_id = task.framework_id.clone();
        if !is_terminal_state(task.state()) && task.state() != TaskState::TaskUnreachable {
            *self.used_resources.entry(framework_id.clone()).or_default() +=
                Resources::from(task.resources.as_slice());
        }
        self.tasks
            .entry(framework_id)
            .or_default()
            .insert(task.task_id.clone());
    }

    /// The task's resources stop counting as used.
    pub fn recover_resources(&mut self, task: &Task) {
        let framework_id = task.framework_id.clone();
        subtract(
            &mut self.used_resources,
            &framework_id,
            &Resources::from(task.resources.as_slice()),
        );
    }

    /// Forgets a task; a non-terminal task's resources are given back.
    pub fn remove_task(&mut self, task: &Task) {
        let framework_id = task.framework_id.clone();
        if !is_terminal_state(task.state()) && task.state() != TaskState::TaskUnreachable {
            self.recover_resources(task);
        }
        if let Some(tasks) = self.tasks.get_mut(&framework_id) {
            tasks.remove(&task.task_id);
            if tasks.is_empty() {
                self.tasks.remove(&framework_id);
            }
        }
        if let Some(killed) = self.killed_tasks.get_mut(&framework_id) {
            killed.remove(&task.task_id);
            if killed.is_empty() {
                self.killed_tasks.remove(&framework_id);
            }
        }
    }

    /// Records an outstanding offer.
    pub fn add_offer(&mut self, offer_id: OfferId, resources: &Resources) {
        self.offers.insert(offer_id);
        self.offered_resources += resources;
    }

    /// Forgets an offer.
    pub fn remove_offer(&mut self, offer_id: &OfferId, resources: &Resources) {
        self.offers.remove(offer_id);
        self.offered_resources -= resources;
    }

    /// Whether the framework's executor is on it.
    pub fn has_executor(&self, framework_id: &FrameworkId, executor_id: &ExecutorId) -> bool {
        self.executors
            .get(framework_id)
            .is_some_and(|executors| executors.contains_key(executor_id))
    }

    /// Records an executor; its resources count as used.
    pub fn add_executor(&mut self, framework_id: &FrameworkId, executor: ExecutorInfo) {
        *self.used_resources.entry(framework_id.clone()).or_default() +=
            Resources::from(executor.resources.as_slice());
        self.executors
            .entry(framework_id.clone())
            .or_default()
            .insert(executor.executor_id.clone(), executor);
    }

    /// Forgets an executor, giving its resources back.
    pub fn remove_executor(&mut self, framework_id: &FrameworkId, executor_id: &ExecutorId) {
        let Some(executors) = self.executors.get_mut(framework_id) else {
            return;
        };
        if let Some(executor) = executors.remove(executor_id) {
            subtract(
                &mut self.used_resources,
                framework_id,
                &Resources::from(executor.resources.as_slice()),
            );
        }
        if executors.is_empty() {
            self.executors.remove(framework_id);
        }
    }
}
