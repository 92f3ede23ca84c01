//! What ends an executor that does not exit by itself after a shutdown
//! (Mesos' `ShutdownProcess`): once the grace period passes, its whole
//! process group is killed.

use libprocess::{delay, Handlers, Process, SelfPid};
use stout::Duration;

#[derive(Debug)]
pub(super) struct ShutdownProcess {
    grace_period: Duration,
    /// What ends the executor (a stand-in in unit tests).
    kill: fn(),
}

impl ShutdownProcess {
    pub(super) fn new(grace_period: Duration) -> ShutdownProcess {
        ShutdownProcess {
            grace_period,
            kill: kill_process_group,
        }
    }
}

impl Process for ShutdownProcess {
    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        tracing::debug!(
            "Scheduling shutdown of the executor in {}",
            self.grace_period
        );
        delay(self.grace_period, &self.self_pid(), |p: &mut Self| {
            (p.kill)()
        });
    }
}

fn kill_process_group() {
    tracing::debug!("Committing suicide by killing the process group");
    let group = nix::unistd::Pid::from_raw(0);
    if let Err(error) = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL) {
        tracing::error!("Failed to kill the process group: {}", error);
    }
    std::process::exit(1);
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use libprocess::{spawn, Clock};

    use super::*;

    static KILLED: AtomicBool = AtomicBool::new(false);

    #[test]
    fn kills_after_the_grace_period() {
        let _rt = libprocess::testing::runtime();
        Clock::pause();
        spawn(ShutdownProcess {
            grace_period: Duration::from_secs(5),
            kill: || KILLED.store(true, Ordering::SeqCst),
        });
        Clock::settle();
        Clock::advance(Duration::from_secs(4));
        Clock::settle();
        assert!(!KILLED.load(Ordering::SeqCst));
        Clock::advance(Duration::from_secs(1));
        Clock::settle();
        assert!(KILLED.load(Ordering::SeqCst));
    }
}
