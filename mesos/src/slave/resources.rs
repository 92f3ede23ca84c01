//! The resources an agent offers (Mesos' `Containerizer::resources`):
//! `--resources`, with whatever of cpus, mem, disk and ports it leaves
//! out detected from the host or defaulted.

use stout::{Bytes, Try};

use crate::slave::constants::{DEFAULT_CPUS, DEFAULT_DISK, DEFAULT_MEM, DEFAULT_PORTS};
use crate::slave::flags::Flags;
use crate::Resources;

/// What the host has, as the agent detects it; `Err` where detection
/// failed (the agent then falls back to Mesos' defaults).
#[derive(Clone, Debug)]
pub struct HostResources {
    /// The number of online cpus.
    pub cpus: Result<f64, String>,
    /// The total memory.
    pub mem: Result<Bytes, String>,
    /// The size of the file system holding the work directory.
    pub disk: Result<Bytes, String>,
}

impl HostResources {
    /// Detects this host's cpus and memory, and the size of the file
    /// system holding `work_dir`.
    pub fn detect(work_dir: &str) -> HostResources {
        HostResources {
            cpus: std::thread::available_parallelism()
                .map(|n| n.get() as f64)
                .map_err(|e| e.to_string()),
            mem: total_memory(),
            disk: nix::sys::statvfs::statvfs(work_dir)
                .map(|fs| Bytes::new(fs.blocks() * fs.fragment_size()))
                .map_err(|e| e.desc().to_string()),
        }
    }
}

/// `MemTotal` of `/proc/meminfo`.
fn total_memory() -> Result<Bytes, String> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").map_err(|e| e.to_string())?;
    meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kb| kb.trim().parse::<u64>().ok())
        .map(Bytes::kilobytes)
        .ok_or_else(|| "Failed to find MemTotal in /proc/meminfo".to_string())
}

/// The agent's total resources: `--resources` (reserved to
/// `--default_role` where it names no role), plus, for each of cpus, mem,
/// disk and ports it does not name, the host's: all cpus; all memory but
/// 1 GB (half of it below 2 GB); all disk but 5 GB (half of it below
/// 10 GB); ports `[31000-32000]`.
pub fn agent_resources(flags: &Flags, host: &HostResources) -> Try<Resources> {
    let text = flags.resources.as_deref().unwrap_or("");
    let role = flags.default_role.as_str();
    let mut resources = Resources::parse_with_role(text, role)?;
    // "cpus:0" must count as given, and `Resources` drops empty
    // resources: look at what was written.
    let named = Resources::from_string(text, role)?;
    let has = |name: &str| named.iter().any(|r| r.name == name);
    let parse = |name: &str, value: &str| Resources::parse_resource(name, value, role);

    if !has("cpus") {
        let cpus = host.cpus.clone().unwrap_or_else(|error| {
            tracing::warn!(
                "Failed to auto-detect the number of cpus to use: '{}'; defaulting to {}",
                error,
                DEFAULT_CPUS
            );
            DEFAULT_CPUS
        });
        resources += parse("cpus", &cpus.to_string())?;
    }
    if !has("mem") {
        let mem = match &host.mem {
            Ok(total) if *total >= Bytes::gigabytes(2) => *total - Bytes::gigabytes(1),
            Ok(total) => Bytes::new(total.bytes() / 2),
            Err(error) => {
                tracing::warn!(
                    "Failed to auto-detect the size of main memory: '{}' ; defaulting to DEFAULT_MEM",
                    error
                );
                DEFAULT_MEM
            }
        };
        resources += parse("mem", &(mem.bytes() / Bytes::MEGABYTES).to_string())?;
    }
    if !has("disk") {
        let disk = match &host.disk {
            Ok(total) if *total >= Bytes::gigabytes(10) => *total - Bytes::gigabytes(5),
            Ok(total) => Bytes::new(total.bytes() / 2),
            Err(error) => {
                tracing::warn!(
                    "Failed to auto-detect the disk space: '{}' ; defaulting to {}",
                    error,
                    DEFAULT_DISK
                );
                DEFAULT_DISK
            }
        };
        resources += parse("disk", &(disk.bytes() / Bytes::MEGABYTES).to_string())?;
    }
    if !has("ports") {
        resources += parse("ports", DEFAULT_PORTS)?;
    }
    crate::common::resources::validate_all(&resources.to_vec())?;
    Ok(resources)
}
