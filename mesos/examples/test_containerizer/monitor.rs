//! The monitor: the process `launch` leaves behind for each container.
//!
//! It takes the container's lock, starts the executor in a process group
//! of its own, says "ready" on stdout, and then waits for the executor,
//! records its raw wait status and exits, which releases the lock that
//! `wait` invocations block on. With a `mem` resource a thread meanwhile
//! kills the group when its RSS goes over the limit.

use std::fs::File;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitCode};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mesos::containerizer::Launch;
use nix::fcntl::{Flock, FlockArg};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::{setsid, Pid};

use crate::launch::READY;
use crate::state::Container;
use crate::{executor, framing, proc_stats, Error, Try, NAME};

/// How often the memory limit is checked.
const LIMIT_INTERVAL: Duration = Duration::from_millis(500);

const MEGABYTE: u64 = 1024 * 1024;

pub(crate) fn run() -> ExitCode {
    // A session of its own: whatever the agent does to the invocation's
    // process group or session does not reach the monitor.
    let _ = setsid();
    let (container, lock, mut executor) = match start() {
        Ok(started) => started,
        Err(error) => {
            // `launch` reports it.
            tell_launch(&error.to_string());
            return ExitCode::FAILURE;
        }
    };
    let pgid = Pid::from_raw(executor.id() as i32);
    tell_launch(READY);

    // Set once the executor ended, so that the limit is no longer
    // enforced on a group that is gone.
    let ended = Arc::new(Mutex::new(false));
    {
        let (container, ended) = (container.clone(), Arc::clone(&ended));
        std::thread::spawn(move || enforce_memory_limit(&container, pgid, &ended));
    }

    let result = reap(&container, &mut executor, pgid, &ended);
    drop(lock);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}: container {}: {}", NAME, container.id(), error);
            ExitCode::FAILURE
        }
    }
}

/// Answers the waiting `launch` invocation, which may be gone.
fn tell_launch(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", line).and_then(|()| stdout.flush());
}

/// Reads the launch and starts its executor under the container's lock.
fn start() -> Try<(Container, Flock<File>, Child)> {
    let launch: Launch = framing::receive()?;
    let container = Container::existing(&launch.container_id)?;
    let lock = container
        .lock(FlockArg::LockExclusive)?
        .map_err(|e| Error::new(format!("Failed to lock the container: {}", e)))?;
    let mut executor = executor::command(&launch)?
        .spawn()
        .map_err(|e| Error::new(format!("Failed to start the executor: {}", e)))?;
    if let Err(error) = container.write_pids(executor.id(), std::process::id()) {
        let _ = executor.kill();
        let _ = executor.wait();
        return Err(error);
    }
    Ok((container, lock, executor))
}

/// Waits for the executor, ends what is left of its group and records
/// the wait status.
fn reap(container: &Container, executor: &mut Child, pgid: Pid, ended: &Mutex<bool>) -> Try<()> {
    let status = executor
        .wait()
        .map_err(|e| Error::new(format!("Failed to wait for the executor: {}", e)))?;
    *ended.lock().unwrap_or_else(|e| e.into_inner()) = true;
    // The executor's children die with it, as in a container.
    let _ = killpg(pgid, Signal::SIGKILL);
    container.write_status(status.into_raw())
}

/// Polls the group's RSS against the container's latest `mem` and kills
/// the group when it is over, saying so in `limited` first.
fn enforce_memory_limit(container: &Container, pgid: Pid, ended: &Mutex<bool>) {
    let mut maximum = 0;
    loop {
        std::thread::sleep(LIMIT_INTERVAL);
        let Ok(limits) = container.limits() else {
            continue;
        };
        let (Some(limit), Ok(stats)) = (limits.mem_bytes(), proc_stats::group(pgid)) else {
            continue;
        };
        maximum = maximum.max(stats.rss_bytes);
        if stats.rss_bytes <= limit {
            continue;
        }
        let ended = ended.lock().unwrap_or_else(|e| e.into_inner());
        if *ended {
            return;
        }
        let message = format!(
            "Memory limit exceeded: Requested: {}MB Maximum Used: {}MB",
            limit / MEGABYTE,
            maximum / MEGABYTE
        );
        eprintln!("{}: container {}: {}", NAME, container.id(), message);
        if let Err(error) = container.write_limited(&message) {
            eprintln!("{}: container {}: {}", NAME, container.id(), error);
        }
        let _ = killpg(pgid, Signal::SIGKILL);
        return;
    }
}
