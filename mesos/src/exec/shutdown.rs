//! What ends an executor that does not exit by itself after a shutdown
//! (Mesos' `ShutdownProcess`): once the grace period passes, its whole
//! process group is killed.

use libprocess::{delay, Handlers, Process, SelfPid};
use stout::Duration;

#[derive(Debug)]
pub(super) struct ShutdownProcess {
    grace_period: Duration,
}

impl ShutdownProcess {
    pub(super) fn new(grace_period: Duration) -> ShutdownProcess {
        ShutdownProcess { grace_period }
    }
}

impl Process for ShutdownProcess {
    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        tracing::debug!(
            "Scheduling shutdown of the executor in {}",
            self.grace_period
        );
        delay(self.grace_period, &self.self_pid(), |_: &mut Self| kill());
    }
}

fn kill() {
    tracing::debug!("Committing suicide by killing the process group");
    let group = nix::unistd::Pid::from_raw(0);
    if let Err(error) = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL) {
        tracing::error!("Failed to kill the process group: {}", error);
    }
    std::process::exit(1);
}
