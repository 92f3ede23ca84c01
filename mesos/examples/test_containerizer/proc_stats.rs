//! Resource usage of a process group, summed over `/proc/<pid>/stat`.

use std::fs;

use nix::unistd::{sysconf, Pid, SysconfVar};

use crate::{Error, Try};

/// What the processes of one group use.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct GroupStats {
    pub(crate) processes: u32,
    pub(crate) user_secs: f64,
    pub(crate) system_secs: f64,
    pub(crate) rss_bytes: u64,
}

/// Sums the stats of every process in group `pgid`.
pub(crate) fn group(pgid: Pid) -> Try<GroupStats> {
    let ticks = system_value(SysconfVar::CLK_TCK, "CLK_TCK")? as f64;
    let page_size = system_value(SysconfVar::PAGE_SIZE, "PAGE_SIZE")?;
    let entries =
        fs::read_dir("/proc").map_err(|e| Error::new(format!("Failed to read /proc: {}", e)))?;
    let mut stats = GroupStats::default();
    for entry in entries.flatten() {
        let is_pid = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.bytes().all(|b| b.is_ascii_digit()));
        if !is_pid {
            continue;
        }
        // A process may end between the listing and the read.
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some(process) = parse_stat(&stat) else {
            continue;
        };
        if process.pgrp != pgid.as_raw() {
            continue;
        }
        stats.processes += 1;
        stats.user_secs += process.utime as f64 / ticks;
        stats.system_secs += process.stime as f64 / ticks;
        stats.rss_bytes += process.rss_pages * page_size;
    }
    Ok(stats)
}

struct ProcessStat {
    pgrp: i32,
    utime: u64,
    stime: u64,
    rss_pages: u64,
}

/// The fields of `proc(5)`'s `stat` this needs. The command name (field
/// 2) may hold spaces and parentheses, so fields are counted from its
/// closing parenthesis, the last one in the line.
fn parse_stat(stat: &str) -> Option<ProcessStat> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `fields[0]` is field 3 (state).
    let field = |number: usize| fields.get(number - 3).copied();
    Some(ProcessStat {
        pgrp: field(5)?.parse().ok()?,
        utime: field(14)?.parse().ok()?,
        stime: field(15)?.parse().ok()?,
        // A negative RSS is not seen in practice; count it as none.
        rss_pages: field(24)?.parse().unwrap_or(0),
    })
}

fn system_value(variable: SysconfVar, name: &str) -> Try<u64> {
    match sysconf(variable) {
        Ok(Some(value)) if value > 0 => Ok(value as u64),
        _ => Err(Error::new(format!("Failed to get sysconf({})", name))),
    }
}
