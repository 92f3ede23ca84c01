//! The commands other than `launch`: `wait`, `destroy`, `usage`,
//! `update`, `containers` and `recover`.

use mesos::containerizer::{Containers, Destroy, Termination, Update, Usage, Wait};
use mesos::{ContainerId, ResourceStatistics};
use nix::errno::Errno;
use nix::fcntl::FlockArg;
use nix::sys::signal::{killpg, Signal};

use crate::state::{self, Container};
use crate::{framing, proc_stats, Error, Try};

/// `wait < Wait > Termination`: blocks until the monitor recorded how
/// the executor ended.
pub(crate) fn wait() -> Try<()> {
    let wait: Wait = framing::receive()?;
    let container = Container::existing(&wait.container_id)?;
    // The monitor holds the lock exclusively until it wrote the status.
    let _lock = container
        .lock(FlockArg::LockShared)?
        .map_err(|e| Error::new(format!("Failed to lock the container: {}", e)))?;
    let status = container.status()?.ok_or_else(|| {
        Error::new(format!(
            "Container '{}' has no exit status: its monitor died",
            container.id()
        ))
    })?;
    let limited = container.limited()?;
    framing::send(&Termination {
        killed: limited.is_some(),
        message: limited.unwrap_or_default(),
        status: Some(status),
    })
}

/// `destroy < Destroy`: kills the executor's process group. Idempotent:
/// an unknown or ended container is no error.
pub(crate) fn destroy() -> Try<()> {
    let destroy: Destroy = framing::receive()?;
    let container = Container::new(&destroy.container_id)?;
    if !container.exists() {
        eprintln!(
            "Container '{}' is unknown: nothing to destroy",
            container.id()
        );
        return Ok(());
    }
    if container.status()?.is_some() {
        eprintln!("Container '{}' has already ended", container.id());
        return Ok(());
    }
    kill_group(&container)
}

/// Sends SIGKILL to the container's process group; one already gone is
/// fine.
fn kill_group(container: &Container) -> Try<()> {
    let pgid = container.pgid()?;
    match killpg(pgid, Signal::SIGKILL) {
        Ok(()) => eprintln!(
            "Killed process group {} of container '{}'",
            pgid,
            container.id()
        ),
        Err(Errno::ESRCH) => eprintln!(
            "Process group {} of container '{}' is already gone",
            pgid,
            container.id()
        ),
        Err(e) => {
            return Err(Error::new(format!(
                "Failed to kill process group {}: {}",
                pgid, e
            )))
        }
    }
    Ok(())
}

/// `usage < Usage > ResourceStatistics`: what the executor's process
/// group uses now, and the container's limits.
pub(crate) fn usage() -> Try<()> {
    let usage: Usage = framing::receive()?;
    let container = Container::existing(&usage.container_id)?;
    let limits = container.limits()?;
    // This program runs outside the agent: the wall clock is its own.
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| Error::new(format!("The clock is before the epoch: {}", e)))?
        .as_secs_f64();
    let mut statistics = ResourceStatistics {
        timestamp,
        cpus_limit: limits.cpus,
        mem_limit_bytes: limits.mem_bytes(),
        ..ResourceStatistics::default()
    };
    // An ended container's group id may belong to someone else by now.
    if container.status()?.is_none() {
        let stats = proc_stats::group(container.pgid()?)?;
        statistics.processes = Some(stats.processes);
        statistics.cpus_user_time_secs = Some(stats.user_secs);
        statistics.cpus_system_time_secs = Some(stats.system_secs);
        statistics.mem_rss_bytes = Some(stats.rss_bytes);
    }
    framing::send(&statistics)
}

/// `update < Update`: replaces the container's resources, and so the
/// limits `usage` reports and the monitor enforces.
pub(crate) fn update() -> Try<()> {
    let update: Update = framing::receive()?;
    let container = Container::existing(&update.container_id)?;
    eprintln!("Received {} resource elements", update.resources.len());
    container.store_resources(update.resources)
}

/// `containers > Containers`: the containers whose executor still runs.
pub(crate) fn containers() -> Try<()> {
    let mut containers = Vec::new();
    for container in state::all()? {
        if container.status()?.is_none() {
            containers.push(ContainerId {
                value: container.id().to_owned(),
                ..ContainerId::default()
            });
        }
    }
    framing::send(&Containers { containers })
}

/// `recover`: forgets the containers that ended, or whose monitor died
/// (nothing would ever report how they end); keeps the running ones.
pub(crate) fn recover() -> Try<()> {
    for container in state::all()? {
        if container.status()?.is_some() {
            container.remove()?;
            eprintln!("Removed ended container '{}'", container.id());
            continue;
        }
        // The monitor holds the lock for as long as it lives.
        match container.lock(FlockArg::LockExclusiveNonblock) {
            Ok(Err(Errno::EWOULDBLOCK)) => {
                eprintln!("Recovered running container '{}'", container.id());
                continue;
            }
            Ok(Err(e)) => {
                return Err(Error::new(format!(
                    "Failed to lock container '{}': {}",
                    container.id(),
                    e
                )))
            }
            // Locked by us, or no lock file: no monitor.
            Ok(Ok(_)) | Err(_) => {}
        }
        // Its executor may still run, unwatched.
        if container.pgid().is_ok() {
            kill_group(&container)?;
        }
        let monitor = container.monitor();
        container.remove()?;
        match monitor {
            Some(pid) => eprintln!(
                "Removed container '{}': its monitor (pid {}) is gone",
                container.id(),
                pid
            ),
            None => eprintln!("Removed container '{}': it has no monitor", container.id()),
        }
    }
    Ok(())
}
