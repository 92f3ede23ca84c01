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

/// Sums the stats of the processes of group `pgid` that descend from its
/// leader (the executor): found through `/proc/<pid>/task/<tid>/children`,
/// a few reads where a scan of all of `/proc` would cost hundreds, which
/// adds up with a monitor per container checking its limit.
pub(crate) fn group(pgid: Pid) -> Try<GroupStats> {
    let ticks = system_value(SysconfVar::CLK_TCK, "CLK_TCK")? as f64;
    let page_size = system_value(SysconfVar::PAGE_SIZE, "PAGE_SIZE")?;
    let mut stats = GroupStats::default();
    let mut pending = vec![pgid.as_raw()];
    while let Some(pid) = pending.pop() {
        // A process may end while the tree is walked.
        let Ok(stat) = fs::read_to_string(format!("/proc/{}/stat", pid)) else {
            continue;
        };
        let Some(process) = parse_stat(&stat) else {
            continue;
        };
        pending.extend(children(pid));
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

/// The children of every thread of `pid`.
fn children(pid: i32) -> Vec<i32> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{}/task", pid)) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|child| child.parse().ok())
                .collect::<Vec<i32>>()
        })
        .collect()
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
