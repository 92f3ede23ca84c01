//! `Executor` and `async_`: serializing plain callbacks on a process of
//! their own.

use crate::future::Future;
use crate::{dispatch, spawn, terminate, Process, PID};

pub(crate) struct ExecutorProcess;

impl Process for ExecutorProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "__executor__".into()
    }
}

/// A process that runs callbacks one at a time, in order (libprocess'
/// `Executor`). It terminates when dropped.
#[derive(Debug)]
pub struct Executor {
    pid: PID<ExecutorProcess>,
}

impl Executor {
    /// Spawns the executor's process.
    pub fn new() -> Executor {
        Executor {
            pid: spawn(ExecutorProcess),
        }
    }

    /// Runs `f` on the executor; a future for its result.
    pub fn execute<R, F>(&self, f: F) -> Future<R>
    where
        R: Send + Sync + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        dispatch(&self.pid, move |_| f())
    }

    /// A callback that, when called, runs `f(value)` on the executor.
    pub fn defer<A, F>(&self, f: F) -> impl FnOnce(A) + Send + 'static
    where
        A: Send + 'static,
        F: FnOnce(A) + Send + 'static,
    {
        let pid = self.pid.clone();
        move |value| {
            dispatch(&pid, move |_| f(value));
        }
    }
}

impl Default for Executor {
    fn default() -> Executor {
        Executor::new()
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        terminate(&self.pid, false);
    }
}

/// Runs `f` on a fresh process of its own and returns a future for the
/// result (libprocess' `async`). The process terminates afterwards.
pub fn async_<R, F>(f: F) -> Future<R>
where
    R: Send + Sync + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let executor = Executor::new();
    executor.execute(f)
}

/// Runs `f` on a process of its own, spawned for it and terminated after
/// (libprocess' `run`, a thunk).
pub fn run<R, F>(f: F) -> Future<R>
where
    R: Send + Sync + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    async_(f)
}
