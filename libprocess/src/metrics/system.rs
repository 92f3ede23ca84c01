//! The host's gauges (libprocess' `System` process): `system/cpus_total`,
//! `system/load_{1,5,15}min`, `system/mem_{total,free}_bytes`, read from
//! the kernel when a snapshot is taken.

use nix::sys::sysinfo::sysinfo;
use nix::unistd::{sysconf, SysconfVar};

use super::PullGauge;
use crate::Future;

/// A gauge whose value `read` fetches; a failed read leaves the gauge out
/// of the snapshot, as libprocess does.
fn gauge(name: &str, read: fn() -> Result<f64, String>) -> PullGauge {
    PullGauge::new(format!("system/{name}"), move || match read() {
        Ok(value) => Future::ready(value),
        Err(error) => Future::failed(error),
    })
}

fn load(pick: fn((f64, f64, f64)) -> f64) -> Result<f64, String> {
    let info = sysinfo().map_err(|e| format!("Failed to get loadavg: {e}"))?;
    Ok(pick(info.load_average()))
}

fn cpus_total() -> Result<f64, String> {
    match sysconf(SysconfVar::_NPROCESSORS_ONLN) {
        Ok(Some(cpus)) => Ok(cpus as f64),
        Ok(None) => Err("Failed to get cpus: unsupported".to_string()),
        Err(e) => Err(format!("Failed to get cpus: {e}")),
    }
}

fn memory(pick: fn(&nix::sys::sysinfo::SysInfo) -> u64) -> Result<f64, String> {
    let info = sysinfo().map_err(|e| format!("Failed to get memory: {e}"))?;
    Ok(pick(&info) as f64)
}

/// The six gauges, by name.
pub(super) fn gauges() -> Vec<PullGauge> {
    vec![
        gauge("load_1min", || load(|l| l.0)),
        gauge("load_5min", || load(|l| l.1)),
        gauge("load_15min", || load(|l| l.2)),
        gauge("cpus_total", cpus_total),
        gauge("mem_total_bytes", || memory(|i| i.ram_total())),
        gauge("mem_free_bytes", || memory(|i| i.ram_unused())),
    ]
}
