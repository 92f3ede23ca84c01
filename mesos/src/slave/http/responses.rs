//! The operator API's answers about the agent's state, as protobufs
//! (Mesos' `Http::serializeGet*` and `_flags`): frameworks, executors,
//! tasks, all of them as `GET_STATE`, and the flags.

use crate::agent::response::{
    get_executors, get_frameworks, GetExecutors, GetFlags, GetFrameworks, GetState, GetTasks,
};
use crate::common::protobuf_utils::create_task;
use crate::slave::executor::Executor;
use crate::slave::framework::Framework;
use crate::slave::Slave;
use crate::{Flag, TaskState};

impl Slave {
    /// Registered frameworks by ID, then completed ones oldest first.
    fn all_frameworks(&self) -> Vec<&Framework> {
        let mut frameworks = self.sorted_frameworks();
        frameworks.extend(self.completed_frameworks.iter());
        frameworks
    }

    /// `GET_FRAMEWORKS`.
    pub fn get_frameworks(&self) -> GetFrameworks {
        let framework = |f: &Framework| get_frameworks::Framework {
            framework_info: f.info.clone(),
        };
        GetFrameworks {
            frameworks: self
                .sorted_frameworks()
                .into_iter()
                .map(framework)
                .collect(),
            completed_frameworks: self.completed_frameworks.iter().map(framework).collect(),
        }
    }

    /// `GET_EXECUTORS`: the running and completed executors of
    /// registered and completed frameworks.
    pub fn get_executors(&self) -> GetExecutors {
        let executor = |e: &Executor| get_executors::Executor {
            executor_info: e.info.clone(),
        };
        let mut executors = GetExecutors::default();
        for framework in self.all_frameworks() {
            executors
                .executors
                .extend(sorted_executors(framework).into_iter().map(executor));
            executors
                .completed_executors
                .extend(framework.completed_executors.iter().map(executor));
        }
        executors
    }

    /// `GET_TASKS`: tasks not yet given to an executor (pending), waiting
    /// for their executor (queued, both as `TASK_STAGING`), launched,
    /// terminated and not acknowledged, and completed.
    pub fn get_tasks(&self) -> GetTasks {
        let mut tasks = GetTasks::default();
        for framework in self.all_frameworks() {
            let id = framework.id();
            let mut pending: Vec<_> = framework.pending_tasks.iter().collect();
            pending.sort_by(|a, b| a.0.cmp(b.0));
            for info in pending.into_iter().flat_map(|(_, tasks)| tasks) {
                tasks
                    .pending_tasks
                    .push(create_task(info, TaskState::TaskStaging, &id));
            }
            let executors = sorted_executors(framework)
                .into_iter()
                .chain(framework.completed_executors.iter());
            for executor in executors {
                for info in &executor.queued_tasks {
                    tasks
                        .queued_tasks
                        .push(create_task(info, TaskState::TaskStaging, &id));
                }
                tasks
                    .launched_tasks
                    .extend(executor.launched_tasks.values().cloned());
                tasks
                    .terminated_tasks
                    .extend(executor.terminated_tasks.values().cloned());
                tasks
                    .completed_tasks
                    .extend(executor.completed_tasks.iter().cloned());
            }
        }
        tasks
    }

    /// `GET_STATE`.
    pub fn get_state(&self) -> GetState {
        GetState {
            get_tasks: Some(self.get_tasks()),
            get_executors: Some(self.get_executors()),
            get_frameworks: Some(self.get_frameworks()),
        }
    }

    /// `GET_FLAGS`: every flag with a value, by name.
    pub fn get_flags(&self) -> GetFlags {
        let flags = stout::FlagSet::with_values(self.flags.clone()).stringified();
        GetFlags {
            flags: flags
                .into_iter()
                .map(|(name, value)| Flag {
                    name,
                    value: Some(value),
                })
                .collect(),
        }
    }
}

/// A framework's running executors by ID.
pub(super) fn sorted_executors(framework: &Framework) -> Vec<&Executor> {
    let mut executors: Vec<&Executor> = framework.executors.values().collect();
    executors.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    executors
}
