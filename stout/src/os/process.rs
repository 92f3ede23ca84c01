//! Processes and process trees, read from `/proc`.

use std::collections::{BTreeMap, BTreeSet};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::{Error, Try};

/// One process as `/proc/<pid>/stat` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    /// Its id.
    pub pid: i32,
    /// Its parent's id.
    pub parent: i32,
    /// Its process group.
    pub group: i32,
    /// Its session.
    pub session: i32,
    /// The command name (`comm`).
    pub command: String,
    /// Whether it has exited and waits to be reaped.
    pub zombie: bool,
}

/// A process and its descendants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessTree {
    /// The root.
    pub process: Process,
    /// The root's children, each with its own descendants.
    pub children: Vec<ProcessTree>,
}

impl ProcessTree {
    /// Whether `pid` is in the tree.
    pub fn contains(&self, pid: i32) -> bool {
        self.process.pid == pid || self.children.iter().any(|c| c.contains(pid))
    }
}

/// The process `pid`, or `None` when there is none.
pub fn process(pid: i32) -> Try<Option<Process>> {
    let stat = match std::fs::read_to_string(format!("/proc/{}/stat", pid)) {
        Ok(stat) => stat,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        // ESRCH: the process went away while we read.
        Err(e) if e.raw_os_error() == Some(nix::libc::ESRCH) => return Ok(None),
        Err(e) => return Err(Error::errno(format!("Failed to read process {}", pid), &e)),
    };
    parse_stat(&stat)
        .map(Some)
        .ok_or_else(|| Error::new(format!("Failed to parse '/proc/{}/stat'", pid)))
}

/// `pid (comm) state ppid pgrp session ...`; `comm` may hold spaces and
/// parentheses, so fields are read after its last `)`.
fn parse_stat(stat: &str) -> Option<Process> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let pid = stat[..open].trim().parse().ok()?;
    let command = stat.get(open + 1..close)?.to_string();
    let mut fields = stat[close + 1..].split_whitespace();
    let state = fields.next()?;
    let mut next = || fields.next()?.parse::<i32>().ok();
    Some(Process {
        pid,
        parent: next()?,
        group: next()?,
        session: next()?,
        command,
        zombie: state == "Z",
    })
}

/// Every process on the host.
pub fn processes() -> Try<Vec<Process>> {
    let entries =
        std::fs::read_dir("/proc").map_err(|e| Error::errno("Failed to list '/proc'", &e))?;
    let mut result = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if let Some(process) = process(pid)? {
            result.push(process);
        }
    }
    Ok(result)
}

/// Whether `pid` exists (a zombie still does), as `kill(pid, 0)` tells.
pub fn exists_process(pid: i32) -> bool {
    match kill(Pid::from_raw(pid), None) {
        Ok(()) => true,
        Err(errno) => errno == nix::errno::Errno::EPERM,
    }
}

/// The children of `pid`, and with `recursive` all its descendants.
pub fn children(pid: i32, recursive: bool) -> Try<BTreeSet<i32>> {
    let all = processes()?;
    let mut found = BTreeSet::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for p in all.iter().filter(|p| p.parent == parent) {
            if found.insert(p.pid) && recursive {
                frontier.push(p.pid);
            }
        }
    }
    Ok(found)
}

/// Sends `signal` to `pid` and all its descendants and, with `groups` or
/// `sessions`, to every process sharing a process group or session with
/// any of them (stout's `os::killtree`). The processes are stopped while
/// the tree is collected, so none can fork away, and continued after the
/// signal. Descendants whose parent already exited are still found through
/// the group or session; a root that is gone is looked for the same way.
/// Returns the trees that were signalled.
pub fn killtree(pid: i32, signal: i32, groups: bool, sessions: bool) -> Try<Vec<ProcessTree>> {
    let signal =
        Signal::try_from(signal).map_err(|_| Error::new(format!("Unknown signal {}", signal)))?;
    let me = std::process::id() as i32;
    let mut visited: BTreeMap<i32, Process> = BTreeMap::new();
    let mut group_ids = BTreeSet::new();
    let mut session_ids = BTreeSet::new();
    if groups {
        group_ids.insert(pid);
    }
    if sessions {
        session_ids.insert(pid);
    }
    loop {
        let snapshot = processes()?;
        let new: Vec<Process> = snapshot
            .into_iter()
            .filter(|p| p.pid != me && !visited.contains_key(&p.pid))
            .filter(|p| {
                p.pid == pid
                    || visited.contains_key(&p.parent)
                    || group_ids.contains(&p.group)
                    || session_ids.contains(&p.session)
            })
            .collect();
        if new.is_empty() {
            break;
        }
        for p in new {
            // A process that exited meanwhile needs no stopping.
            let _ = kill(Pid::from_raw(p.pid), Signal::SIGSTOP);
            if groups {
                group_ids.insert(p.group);
            }
            if sessions {
                session_ids.insert(p.session);
            }
            visited.insert(p.pid, p);
        }
    }
    for pid in visited.keys() {
        let _ = kill(Pid::from_raw(*pid), signal);
    }
    for pid in visited.keys() {
        let _ = kill(Pid::from_raw(*pid), Signal::SIGCONT);
    }
    Ok(forest(&visited))
}

fn forest(processes: &BTreeMap<i32, Process>) -> Vec<ProcessTree> {
    fn tree(p: &Process, all: &BTreeMap<i32, Process>) -> ProcessTree {
        ProcessTree {
            process: p.clone(),
            children: all
                .values()
                .filter(|c| c.parent == p.pid && c.pid != p.pid)
                .map(|c| tree(c, all))
                .collect(),
        }
    }
    processes
        .values()
        .filter(|p| !processes.contains_key(&p.parent) || p.parent == p.pid)
        .map(|p| tree(p, processes))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_stat;

    #[test]
    fn parses_commands_with_parentheses_and_spaces() {
        let p = parse_stat("42 (a (b) c) S 1 42 40 0 -1").expect("parses");
        assert_eq!((p.pid, p.parent, p.group, p.session), (42, 1, 42, 40));
        assert_eq!(p.command, "a (b) c");
        assert!(!p.zombie);
        assert!(parse_stat("garbage").is_none());
        assert!(parse_stat("1 (x) Z").is_none());
    }
}
