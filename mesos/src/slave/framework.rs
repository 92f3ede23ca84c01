//! The agent's record of one framework (Mesos' `Framework` in
//! `slave.hpp`): its info, its scheduler's pid, the tasks not yet handed
//! to an executor, and its executors.

use std::collections::HashMap;

use libprocess::UPID;

use crate::common::protobuf_utils::framework::Capabilities;
use crate::slave::executor::Executor;
use crate::{ExecutorId, FrameworkId, FrameworkInfo, TaskId, TaskInfo};

/// Where a framework is in its life on the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameworkState {
    /// Running tasks.
    Running,
    /// Shutting down: its executors are being shut down.
    Terminating,
}

/// One framework with tasks on this agent.
#[derive(Debug)]
pub struct Framework {
    /// Where it is in its life.
    pub state: FrameworkState,
    /// Its info, as the master last sent it.
    pub info: FrameworkInfo,
    /// Its capabilities, from the info.
    pub capabilities: Capabilities,
    /// The scheduler's pid (none for an HTTP framework): where executors'
    /// framework messages go directly.
    pub pid: Option<UPID>,
    /// Tasks received and not yet given to an executor, by executor ID
    /// value.
    pub pending_tasks: HashMap<String, Vec<TaskInfo>>,
    /// Its executors, by executor ID value.
    pub executors: HashMap<String, Executor>,
    /// Its ended executors, the latest last.
    pub completed_executors: Vec<Executor>,
    /// The most ended executors kept.
    pub max_completed_executors: usize,
}

impl Framework {
    /// A framework as a `RunTaskMessage` introduces it.
    pub fn new(
        info: FrameworkInfo,
        pid: Option<UPID>,
        max_completed_executors: usize,
    ) -> Framework {
        Framework {
            state: FrameworkState::Running,
            capabilities: Capabilities::new(&info.capabilities),
            info,
            pid,
            pending_tasks: HashMap::new(),
            executors: HashMap::new(),
            completed_executors: Vec::new(),
            max_completed_executors,
        }
    }

    /// Its ID (set on every framework the master sends).
    pub fn id(&self) -> FrameworkId {
        self.info.id.clone().unwrap_or_default()
    }

    /// Whether it has neither executors nor pending tasks: it can go.
    pub fn idle(&self) -> bool {
        self.executors.is_empty() && self.pending_tasks.is_empty()
    }

    /// Notes `task`, for `executor_id`, as received.
    pub fn add_pending_task(&mut self, executor_id: &ExecutorId, task: TaskInfo) {
        self.pending_tasks
            .entry(executor_id.value.clone())
            .or_default()
            .push(task);
    }

    /// Whether `task_id` is pending.
    pub fn is_pending(&self, task_id: &TaskId) -> bool {
        self.pending_tasks
            .values()
            .any(|tasks| tasks.iter().any(|t| &t.task_id == task_id))
    }

    /// The executor a pending task is for.
    pub fn executor_id_for_pending_task(&self, task_id: &TaskId) -> Option<ExecutorId> {
        self.pending_tasks.iter().find_map(|(executor, tasks)| {
            tasks
                .iter()
                .any(|t| &t.task_id == task_id)
                .then(|| ExecutorId {
                    value: executor.clone(),
                })
        })
    }

    /// Drops a pending task; false if it was not pending.
    pub fn remove_pending_task(&mut self, task_id: &TaskId) -> bool {
        let Some(executor) = self.executor_id_for_pending_task(task_id) else {
            return false;
        };
        if let Some(tasks) = self.pending_tasks.get_mut(&executor.value) {
            tasks.retain(|t| &t.task_id != task_id);
            if tasks.is_empty() {
                self.pending_tasks.remove(&executor.value);
            }
        }
        true
    }

    /// The executor by ID.
    pub fn executor(&self, executor_id: &ExecutorId) -> Option<&Executor> {
        self.executors.get(&executor_id.value)
    }

    /// The executor by ID, to change.
    pub fn executor_mut(&mut self, executor_id: &ExecutorId) -> Option<&mut Executor> {
        self.executors.get_mut(&executor_id.value)
    }

    /// The ID of the executor that has `task_id` (queued, launched or
    /// terminated).
    pub fn executor_id_of_task(&self, task_id: &TaskId) -> Option<ExecutorId> {
        self.executors
            .values()
            .find(|e| e.has_task(task_id))
            .map(|e| e.id.clone())
    }

    /// Moves an executor to the completed ones.
    pub fn destroy_executor(&mut self, executor_id: &ExecutorId) {
        if let Some(executor) = self.executors.remove(&executor_id.value) {
            if self.max_completed_executors == 0 {
                return;
            }
            if self.completed_executors.len() == self.max_completed_executors {
                self.completed_executors.remove(0);
            }
            self.completed_executors.push(executor);
        }
    }
}
