//! A container's usage as the agent reports it: the isolators' figures
//! with the container's resource requests and limits (Mesos' `_usage`).

use std::collections::BTreeMap;

use libprocess::Future;
use prost::Message;
use stout::{Error, Try};

use crate::common::resources::Resources;
use crate::{ContainerId, ResourceStatistics};

/// The isolators' statistics merged, with the container's requests and
/// limits (Mesos' `_usage`).
pub(super) fn aggregate(
    container_id: &ContainerId,
    requests: Option<Resources>,
    limits: Option<BTreeMap<String, f64>>,
    statistics: Vec<Future<ResourceStatistics>>,
) -> Try<ResourceStatistics> {
    let mut result = ResourceStatistics {
        timestamp: libprocess::Clock::now().secs(),
        ..ResourceStatistics::default()
    };
    for statistic in statistics {
        match statistic.value() {
            Some(statistic) => {
                let _ = result.merge(statistic.encode_to_vec().as_slice());
            }
            None => tracing::warn!(
                "Skipping resource statistic for container {} because: {}",
                container_id.value,
                statistic.failure().unwrap_or("discarded")
            ),
        }
    }
    let cpu_request = requests.as_ref().and_then(Resources::cpus);
    let mem_request = requests.as_ref().and_then(Resources::mem);
    let cpu_limit = limits.as_ref().and_then(|l| l.get("cpus").copied());
    let mem_limit = limits.as_ref().and_then(|l| l.get("mem").copied());
    if let Some(cpus) = cpu_request {
        result.cpus_soft_limit = Some(cpus);
    }
    if let Some(limit) = cpu_limit {
        result.cpus_limit = Some(if limit.is_infinite() {
            host_cpus()? as f64
        } else {
            limit
        });
    }
    if let Some(mem) = mem_request {
        result.mem_soft_limit_bytes = Some(mem.bytes());
    }
    if let Some(limit) = mem_limit {
        result.mem_limit_bytes = Some(if limit.is_infinite() {
            host_memory()?
        } else {
            (limit as u64) * 1024 * 1024
        });
    } else if let Some(mem) = mem_request {
        result.mem_limit_bytes = Some(mem.bytes());
    }
    Ok(result)
}

/// The host's online CPUs (stout's `os::cpus`).
fn host_cpus() -> Try<i64> {
    match nix::unistd::sysconf(nix::unistd::SysconfVar::_NPROCESSORS_ONLN) {
        Ok(Some(cpus)) => Ok(cpus),
        _ => Err(Error::new("Failed to auto-detect the number of cpus")),
    }
}

/// The host's total memory in bytes, from `/proc/meminfo`.
fn host_memory() -> Try<u64> {
    let meminfo = stout::os::read("/proc/meminfo")?;
    meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kb| kb * 1024)
        .ok_or_else(|| Error::new("Failed to auto-detect the size of main memory"))
}
