//! The driver an executor holds (Mesos' `MesosExecutorDriver`): its
//! status, and the calls it dispatches to its process.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use libprocess::{dispatch, spawn, Latch, PID};
use parking_lot::Mutex;

use super::process::ExecutorProcess;
use super::{Executor, ExecutorConfig};
use crate::{Status, TaskStatus};

/// A handle on an executor driver; clones share the driver and compare
/// equal (as Mesos' tests compare driver pointers). The driver's process
/// terminates once it is stopped, or once every handle is gone (a handle
/// the executor keeps counts).
///
/// Each call returns the driver's [`Status`]: calls other than `start`
/// do something only while it is `DRIVER_RUNNING`.
#[derive(Clone)]
pub struct MesosExecutorDriver {
    shared: Arc<Shared>,
}

impl PartialEq for MesosExecutorDriver {
    fn eq(&self, other: &MesosExecutorDriver) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Eq for MesosExecutorDriver {}

impl std::fmt::Debug for MesosExecutorDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MesosExecutorDriver")
            .field("status", &self.shared.state.lock().status)
            .finish()
    }
}

pub(super) struct Shared {
    state: Mutex<State>,
    /// The process' view of whether the driver was aborted (abort sets it
    /// before the process hears of it).
    aborted: Arc<AtomicBool>,
    /// Triggered when the process stops or aborts; `join` waits on it.
    latch: Arc<Latch>,
}

struct State {
    status: Status,
    process: Option<PID<ExecutorProcess>>,
    /// What `start` needs, until it runs.
    unstarted: Option<(Box<dyn Executor>, Option<ExecutorConfig>)>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(pid) = self.state.get_mut().process.take() {
            // Terminates from within, so this works from any thread.
            dispatch(&pid, |_: &mut ExecutorProcess| {
                libprocess::terminate(libprocess::self_pid(), false)
            });
        }
    }
}

impl MesosExecutorDriver {
    /// A driver configured, at `start`, by the environment the agent
    /// launched this executor with.
    pub fn new(executor: impl Executor) -> MesosExecutorDriver {
        Self::create(Box::new(executor), None)
    }

    /// A driver configured by `config` (for executors run in-process).
    pub fn with_config(executor: impl Executor, config: ExecutorConfig) -> MesosExecutorDriver {
        Self::create(Box::new(executor), Some(config))
    }

    fn create(executor: Box<dyn Executor>, config: Option<ExecutorConfig>) -> MesosExecutorDriver {
        MesosExecutorDriver {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    status: Status::DriverNotStarted,
                    process: None,
                    unstarted: Some((executor, config)),
                }),
                aborted: Arc::new(AtomicBool::new(false)),
                latch: Arc::new(Latch::new()),
            }),
        }
    }

    pub(super) fn from_shared(shared: Arc<Shared>) -> MesosExecutorDriver {
        MesosExecutorDriver { shared }
    }

    /// Starts the driver: spawns its process, which registers with the
    /// agent. A configuration the environment lacks aborts the driver and
    /// is reported through [`Executor::error`].
    pub fn start(&self) -> Status {
        let mut state = self.shared.state.lock();
        if state.status != Status::DriverNotStarted {
            return state.status;
        }
        let Some((mut executor, config)) = state.unstarted.take() else {
            return state.status;
        };
        let config = match config.map_or_else(ExecutorConfig::from_env, Ok) {
            Ok(config) => config,
            Err(error) => {
                state.status = Status::DriverAborted;
                drop(state);
                let message = error.to_string();
                tracing::error!("{}", message);
                // Unlocked: the executor may call into the driver.
                executor.error(self, &message);
                return self.status();
            }
        };
        let process = ExecutorProcess::new(
            Arc::downgrade(&self.shared),
            self.shared.aborted.clone(),
            self.shared.latch.clone(),
            executor,
            config,
        );
        state.process = Some(spawn(process));
        state.status = Status::DriverRunning;
        state.status
    }

    /// Stops the driver: its process terminates. Returns `DRIVER_ABORTED`
    /// for an aborted driver.
    pub fn stop(&self) -> Status {
        let mut state = self.shared.state.lock();
        if state.status != Status::DriverRunning && state.status != Status::DriverAborted {
            return state.status;
        }
        if let Some(pid) = &state.process {
            dispatch(pid, |p: &mut ExecutorProcess| p.stop());
        }
        let aborted = state.status == Status::DriverAborted;
        state.status = Status::DriverStopped;
        if aborted {
            Status::DriverAborted
        } else {
            state.status
        }
    }

    /// Aborts the driver: it ignores the agent from now on; `stop` may
    /// follow.
    pub fn abort(&self) -> Status {
        let mut state = self.shared.state.lock();
        if state.status != Status::DriverRunning {
            return state.status;
        }
        self.shared.aborted.store(true, Ordering::SeqCst);
        if let Some(pid) = &state.process {
            dispatch(pid, |p: &mut ExecutorProcess| p.abort());
        }
        state.status = Status::DriverAborted;
        state.status
    }

    /// Blocks until the driver is stopped or aborted. Never call it from a
    /// callback: the driver's process would wait for itself.
    pub fn join(&self) -> Status {
        {
            let state = self.shared.state.lock();
            if state.status != Status::DriverRunning {
                return state.status;
            }
        }
        self.shared.latch.await_(None);
        self.shared.state.lock().status
    }

    /// `start`, then `join`.
    pub fn run(&self) -> Status {
        let status = self.start();
        if status != Status::DriverRunning {
            return status;
        }
        self.join()
    }

    /// The driver's status.
    pub fn status(&self) -> Status {
        self.shared.state.lock().status
    }

    fn call(&self, f: impl FnOnce(&mut ExecutorProcess) + Send + 'static) -> Status {
        let state = self.shared.state.lock();
        if state.status != Status::DriverRunning {
            return state.status;
        }
        if let Some(pid) = &state.process {
            dispatch(pid, f);
        }
        state.status
    }

    /// Sends a task's status to the agent, stamped with a new uuid and the
    /// clock's time; the driver keeps it until the agent acknowledges it.
    pub fn send_status_update(&self, status: TaskStatus) -> Status {
        self.call(move |p| p.send_status_update(status))
    }

    /// Sends `data` to the framework's scheduler, through the agent.
    pub fn send_framework_message(&self, data: impl Into<bytes::Bytes>) -> Status {
        let data = data.into();
        self.call(move |p| p.send_framework_message(data))
    }
}
