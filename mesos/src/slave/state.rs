//! What a restarted agent recovers from its checkpoints (Mesos'
//! `slave/state.hpp`), as plain data. Reading it from `<work_dir>/meta`
//! comes with agent recovery; the containerizers already take it.

use std::collections::HashMap;

use crate::{
    ContainerId, ExecutorId, ExecutorInfo, FrameworkId, FrameworkInfo, SlaveId, SlaveInfo,
};

/// One run of an executor: one container.
#[derive(Clone, Debug, Default)]
pub struct RunState {
    /// The run's container.
    pub id: Option<ContainerId>,
    /// The executor's forked pid, if checkpointed.
    pub forked_pid: Option<i32>,
    /// The executor's libprocess pid, if it registered.
    pub libprocess_pid: Option<String>,
    /// Whether the run ended (its sentinel file exists).
    pub completed: bool,
}

/// An executor and its runs.
#[derive(Clone, Debug, Default)]
pub struct ExecutorState {
    /// The executor's ID.
    pub id: Option<ExecutorId>,
    /// Its info, as checkpointed.
    pub info: Option<ExecutorInfo>,
    /// The latest run's container.
    pub latest: Option<ContainerId>,
    /// Every run, by container ID value.
    pub runs: HashMap<String, RunState>,
}

/// A framework and its executors.
#[derive(Clone, Debug, Default)]
pub struct FrameworkState {
    /// The framework's ID.
    pub id: Option<FrameworkId>,
    /// Its info, as checkpointed.
    pub info: Option<FrameworkInfo>,
    /// The scheduler's pid, as checkpointed.
    pub pid: Option<String>,
    /// Its executors, by executor ID value.
    pub executors: HashMap<String, ExecutorState>,
}

/// The agent's checkpointed state.
#[derive(Clone, Debug, Default)]
pub struct SlaveState {
    /// The agent's ID.
    pub id: Option<SlaveId>,
    /// Its info, as checkpointed.
    pub info: Option<SlaveInfo>,
    /// Its frameworks, by framework ID value.
    pub frameworks: HashMap<String, FrameworkState>,
}
