//! What a shut down executor does when it does not exit by itself: after
//! the grace period, kill its whole process group (Mesos'
//! `ShutdownProcess`).

use std::borrow::Cow;

use libprocess::{delay, Handlers, Process, SelfPid};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use stout::Duration;

/// Kills the process group it runs in once the grace period has passed.
#[derive(Debug)]
pub(super) struct ShutdownProcess {
    grace_period: Duration,
}

impl ShutdownProcess {
    pub(super) fn new(grace_period: Duration) -> ShutdownProcess {
        ShutdownProcess { grace_period }
    }

    fn kill(&mut self) {
        tracing::debug!("Committing suicide by killing the process group");
        // Our own group, ourselves included: the executor's tasks go too.
        let _ = killpg(Pid::from_raw(0), Signal::SIGKILL);
        // Only reached if the signal could not be sent.
        std::process::exit(-1);
    }
}

impl Process for ShutdownProcess {
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed("__shutdown_executor__")
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        tracing::debug!(
            "Scheduling shutdown of the executor in {}",
            self.grace_period
        );
        delay(self.grace_period, &self.self_pid(), ShutdownProcess::kill);
    }
}
