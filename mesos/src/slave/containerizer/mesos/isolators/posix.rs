//! The `posix/cpu` and `posix/mem` isolators (Mesos'
//! `isolators/posix.hpp`): they isolate nothing, and measure a container
//! as the process tree of its init process, read from `/proc`.

use std::collections::{BTreeMap, HashMap, HashSet};

use libprocess::{Clock, Future, Promise};
use nix::unistd::{sysconf, SysconfVar};
use parking_lot::Mutex;
use stout::{Error, Try};

use crate::common::resources::Resources;
use crate::slave::containerizer::mesos::isolator::Isolator;
use crate::slave::{ContainerConfig, ContainerLaunchInfo, ContainerLimitation, ContainerState};
use crate::{ContainerId, ResourceStatistics};

/// What a posix isolator measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Cpu,
    Mem,
}

/// Mesos' `PosixIsolatorProcess`: the containers' init pids and the
/// limitation promises nothing ever fulfils (posix isolation enforces no
/// limit).
#[derive(Debug)]
pub struct PosixIsolator {
    measure: Measure,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    pids: HashMap<ContainerId, i32>,
    promises: HashMap<ContainerId, Promise<ContainerLimitation>>,
}

impl PosixIsolator {
    /// The `posix/cpu` isolator: CPU times.
    pub fn cpu() -> PosixIsolator {
        PosixIsolator::new(Measure::Cpu)
    }

    /// The `posix/mem` isolator: resident memory.
    pub fn mem() -> PosixIsolator {
        PosixIsolator::new(Measure::Mem)
    }

    fn new(measure: Measure) -> PosixIsolator {
        PosixIsolator {
            measure,
            state: Mutex::new(State::default()),
        }
    }
}

fn unknown<T: Send + Sync + 'static>(container_id: &ContainerId) -> Future<T> {
    Future::failed(format!("Unknown container: {}", container_id.value))
}

impl Isolator for PosixIsolator {
    fn recover(&self, states: &[ContainerState], _orphans: &HashSet<ContainerId>) -> Future<()> {
        let mut state = self.state.lock();
        for run in states {
            if state.pids.contains_key(&run.container_id) {
                return Future::failed("Container already recovered");
            }
            let Ok(pid) = i32::try_from(run.pid) else {
                return Future::failed(format!("Invalid pid {}", run.pid));
            };
            state.pids.insert(run.container_id.clone(), pid);
            state
                .promises
                .insert(run.container_id.clone(), Promise::new());
        }
        Future::ready(())
    }

    fn prepare(
        &self,
        container_id: &ContainerId,
        _config: &ContainerConfig,
    ) -> Future<Option<ContainerLaunchInfo>> {
        let mut state = self.state.lock();
        if state.promises.contains_key(container_id) {
            return Future::failed(format!(
                "Container {} has already been prepared",
                container_id.value
            ));
        }
        state.promises.insert(container_id.clone(), Promise::new());
        Future::ready(None)
    }

    fn isolate(&self, container_id: &ContainerId, pid: i32) -> Future<()> {
        let mut state = self.state.lock();
        if !state.promises.contains_key(container_id) {
            return unknown(container_id);
        }
        state.pids.insert(container_id.clone(), pid);
        Future::ready(())
    }

    fn watch(&self, container_id: &ContainerId) -> Future<ContainerLimitation> {
        match self.state.lock().promises.get(container_id) {
            Some(promise) => promise.future(),
            None => unknown(container_id),
        }
    }

    fn update(
        &self,
        container_id: &ContainerId,
        _resource_requests: &Resources,
        _resource_limits: &BTreeMap<String, f64>,
    ) -> Future<()> {
        if !self.state.lock().promises.contains_key(container_id) {
            return unknown(container_id);
        }
        Future::ready(())
    }

    fn usage(&self, container_id: &ContainerId) -> Future<ResourceStatistics> {
        let Some(pid) = self.state.lock().pids.get(container_id).copied() else {
            tracing::warn!(
                "No resource usage for unknown container '{}'",
                container_id.value
            );
            return Future::ready(ResourceStatistics::default());
        };
        let (mem, cpus) = match self.measure {
            Measure::Cpu => (false, true),
            Measure::Mem => (true, false),
        };
        Future::from_try(usage(pid, mem, cpus))
    }

    fn cleanup(&self, container_id: &ContainerId) -> Future<()> {
        let mut state = self.state.lock();
        if state.promises.remove(container_id).is_none() {
            tracing::debug!(
                "Ignoring cleanup request for unknown container {}",
                container_id.value
            );
            return Future::ready(());
        }
        state.pids.remove(container_id);
        Future::ready(())
    }
}

/// One process' counters from `/proc/<pid>/stat`.
#[derive(Debug, Default, PartialEq)]
struct Counters {
    /// User and system CPU time, in clock ticks.
    utime: u64,
    stime: u64,
    /// Resident set, in pages.
    rss: u64,
}

/// Reads `pid`'s counters; `None` if it is gone.
fn counters(pid: i32) -> Try<Option<Counters>> {
    match std::fs::read_to_string(format!("/proc/{}/stat", pid)) {
        Ok(stat) => parse_stat(&stat)
            .map(Some)
            .ok_or_else(|| Error::new(format!("Failed to parse '/proc/{}/stat'", pid))),
        // The process exited between listing and reading.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.raw_os_error() == Some(nix::libc::ESRCH) => Ok(None),
        Err(e) => Err(Error::errno(format!("Failed to read process {}", pid), &e)),
    }
}

/// `utime`, `stime` and `rss` are fields 14, 15 and 24 of `stat`, counted
/// after the command name, which may hold spaces and parentheses.
fn parse_stat(stat: &str) -> Option<Counters> {
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    // Fields from the state (field 3) on.
    let field = |n: usize| fields.get(n - 3)?.parse::<i64>().ok();
    Some(Counters {
        utime: u64::try_from(field(14)?).ok()?,
        stime: u64::try_from(field(15)?).ok()?,
        rss: u64::try_from(field(24)?).unwrap_or(0),
    })
}

/// The usage of `pid` and its descendants (Mesos' `usage(pid, mem,
/// cpus)`): resident memory with `mem`, user and system CPU time with
/// `cpus`.
pub(crate) fn usage(pid: i32, mem: bool, cpus: bool) -> Try<ResourceStatistics> {
    let error = |e: Error| Error::new(format!("Failed to get usage: {}", e));
    let Some(root) = counters(pid).map_err(error)? else {
        return Err(error(Error::new(format!("No process found at {}", pid))));
    };
    let mut total = root;
    for child in stout::os::children(pid, true).map_err(error)? {
        if let Some(c) = counters(child).map_err(error)? {
            total.utime += c.utime;
            total.stime += c.stime;
            total.rss += c.rss;
        }
    }
    let mut statistics = ResourceStatistics {
        timestamp: Clock::now().secs(),
        ..ResourceStatistics::default()
    };
    if mem {
        let page = sysconf(SysconfVar::PAGE_SIZE)
            .ok()
            .flatten()
            .unwrap_or(4096);
        statistics.mem_rss_bytes = Some(total.rss * u64::try_from(page).unwrap_or(4096));
    }
    if cpus {
        let ticks = sysconf(SysconfVar::CLK_TCK).ok().flatten().unwrap_or(100) as f64;
        statistics.cpus_user_time_secs = Some(total.utime as f64 / ticks);
        statistics.cpus_system_time_secs = Some(total.stime as f64 / ticks);
    }
    Ok(statistics)
}

#[cfg(test)]
mod tests {
    use super::{parse_stat, Counters};

    #[test]
    fn parses_the_counters_after_the_command_name() {
        let stat = "42 (a (b) c) S 1 42 42 0 -1 4194304 100 0 0 0 7 3 0 0 20 0 1 0 \
                    12345 1000000 250 18446744073709551615";
        assert_eq!(
            parse_stat(stat),
            Some(Counters {
                utime: 7,
                stime: 3,
                rss: 250
            })
        );
        assert_eq!(parse_stat("42 (x) S 1"), None);
    }
}
