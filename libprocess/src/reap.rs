//! `reap`: the exit status of a process, as libprocess' reaper gives it.
//!
//! Each runtime has one `__reaper__` process, spawned on first use. It
//! polls the pids it was asked about on the [`Clock`](crate::Clock)
//! (`delay`, never a sleep), so a test with a paused clock drives it with
//! `Clock::advance(MAX_REAP_INTERVAL)`. A child is reaped with
//! `waitpid(WNOHANG)` and its wait status reported; any other process is
//! reported as `None` once it is gone.
//!
//! Unlike libprocess, which polls forever, the reaper only keeps a timer
//! while it has pids to watch, so an idle runtime has no timer pending.
//! Where the kernel can say when a process ends (a pidfd, Linux 5.3), the
//! reaper also looks at that pid as soon as it ends, instead of up to a
//! poll interval later: a launch that waits for a short-lived helper
//! program (the external containerizer's) does not wait 100 ms for it.

use std::collections::HashMap;

use nix::errno::Errno;
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use stout::Duration;

use crate::future::{Future, Promise};
use crate::runtime::Inner;
use crate::{delay, dispatch, Process, SelfPid};

/// The shortest interval between two polls (up to 50 pids watched).
const MIN_REAP_INTERVAL: Duration = Duration::from_millis(100);

/// The longest interval between two polls (500 pids watched or more);
/// advancing a paused clock by this much always makes the reaper look.
pub const MAX_REAP_INTERVAL: Duration = Duration::from_secs(1);

const LOW_PID_COUNT: usize = 50;
const HIGH_PID_COUNT: usize = 500;

/// The exit status of process `pid`: for a child of this OS process, its
/// wait status (decode it with `WIFEXITED`-style helpers such as
/// [`std::os::unix::process::ExitStatusExt::from_raw`]); for any other
/// process, `None` once it no longer runs (a process that does not exist
/// now is `None` right away). Never discarded; fails only when `waitpid`
/// reports an unexpected error. Polled at up to [`MAX_REAP_INTERVAL`] on the
/// clock of the current runtime.
pub fn reap(pid: i32) -> Future<Option<i32>> {
    if pid <= 0 {
        // kill/waitpid would address a process group, not one process.
        return Future::failed(format!("Cannot reap invalid pid {}", pid));
    }
    let reaper = Inner::with(|inner| inner.reaper());
    dispatch(&reaper, move |reaper| reaper.reap(pid)).flatten()
}

/// libprocess' `ReaperProcess`: the promises per pid, polled together.
#[derive(Default)]
pub(crate) struct ReaperProcess {
    promises: HashMap<i32, Vec<Promise<Option<i32>>>>,
    /// A poll is scheduled.
    polling: bool,
}

impl Process for ReaperProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "__reaper__".into()
    }
}

/// What one look at a pid found.
enum Look {
    Running,
    Exited(Option<i32>),
    Error(String),
}

impl ReaperProcess {
    fn reap(&mut self, pid: i32) -> Future<Option<i32>> {
        if !stout::os::exists_process(pid) {
            return Future::ready(None);
        }
        let promise = Promise::new();
        let future = promise.future();
        let promises = self.promises.entry(pid).or_default();
        promises.push(promise);
        if promises.len() == 1 {
            self.watch(pid);
        }
        if !self.polling {
            self.polling = true;
            self.schedule();
        }
        future
    }

    /// Looks at `pid` once the kernel says it ended; polling stays the
    /// way for what a pidfd cannot watch.
    fn watch(&self, pid: i32) {
        let Some(process) = rustix::process::Pid::from_raw(pid) else {
            return;
        };
        let Ok(fd) = rustix::process::pidfd_open(process, rustix::process::PidfdFlags::empty())
        else {
            return;
        };
        let reaper = self.self_pid();
        crate::io::poll(&fd, crate::io::READ).on_any(move |_| {
            drop(fd);
            dispatch(&reaper, move |reaper| reaper.look_at(pid));
        });
    }

    /// Completes `pid`'s promises if it has ended.
    fn look_at(&mut self, pid: i32) {
        if !self.promises.contains_key(&pid) {
            return;
        }
        let outcome = match look(pid) {
            Look::Running => return,
            Look::Exited(status) => Ok(status),
            Look::Error(message) => Err(message),
        };
        for promise in self.promises.remove(&pid).unwrap_or_default() {
            match &outcome {
                Ok(status) => promise.set(*status),
                Err(message) => promise.fail(message.clone()),
            };
        }
    }

    fn schedule(&self) {
        delay(self.interval(), &self.self_pid(), ReaperProcess::poll);
    }

    fn poll(&mut self) {
        let pids: Vec<i32> = self.promises.keys().copied().collect();
        for pid in pids {
            self.look_at(pid);
        }
        self.polling = !self.promises.is_empty();
        if self.polling {
            self.schedule();
        }
    }

    /// libprocess' bounded linear model: 100ms up to 50 pids, 1s from 500,
    /// linear in between.
    fn interval(&self) -> Duration {
        let count: usize = self.promises.values().map(Vec::len).sum();
        if count <= LOW_PID_COUNT {
            return MIN_REAP_INTERVAL;
        }
        if count >= HIGH_PID_COUNT {
            return MAX_REAP_INTERVAL;
        }
        let fraction = (count - LOW_PID_COUNT) as f64 / (HIGH_PID_COUNT - LOW_PID_COUNT) as f64;
        MIN_REAP_INTERVAL + (MAX_REAP_INTERVAL - MIN_REAP_INTERVAL) * fraction
    }
}

fn look(pid: i32) -> Look {
    match waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG)) {
        Ok(WaitStatus::Exited(_, code)) => Look::Exited(Some((code & 0xff) << 8)),
        Ok(WaitStatus::Signaled(_, signal, core)) => {
            Look::Exited(Some(signal as i32 | if core { 0x80 } else { 0 }))
        }
        // Still running (or stopped/continued, which were not asked for).
        Ok(_) | Err(Errno::EINTR) => Look::Running,
        // Not our child: someone else reaps it. A zombie has terminated
        // too; counting it as gone keeps a host whose init does not reap
        // orphans from holding the future forever.
        Err(Errno::ECHILD) => {
            let zombie = matches!(stout::os::process(pid), Ok(Some(p)) if p.zombie);
            if zombie || !stout::os::exists_process(pid) {
                Look::Exited(None)
            } else {
                Look::Running
            }
        }
        Err(errno) => Look::Error(format!(
            "Failed to waitpid for process {}: {}",
            pid,
            errno.desc()
        )),
    }
}
