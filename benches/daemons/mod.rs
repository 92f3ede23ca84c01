//! The real daemons for the end-to-end benchmarks: release builds of
//! `mesos-master` and `mesos-agent`, started on loopback and stopped with
//! SIGTERM when dropped.
//!
//! The binaries come from `target/release`: build them first with
//! `cargo build --release -p mesos --bins`.

// Each bench uses part of it (only e2e measures memory).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long a daemon gets to print what is waited for.
const DEADLINE: Duration = Duration::from_secs(120);

/// Where `cargo build --release -p mesos --bins` puts the daemons: this
/// bench runs from `target/release/deps`.
pub(crate) fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the bench's own path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/release");
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --release -p mesos --bins` first",
        path.display()
    );
    path
}

/// A daemon whose stderr lines are collected as they come.
pub(crate) struct Daemon {
    child: Child,
    lines: Receiver<String>,
}

impl Daemon {
    pub(crate) fn start(name: &str, args: &[String]) -> Daemon {
        let mut child = Command::new(binary(name))
            .args(args)
            .env_remove("LIBPROCESS_IP")
            .env_remove("LIBPROCESS_PORT")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the daemon starts");
        let stderr = child.stderr.take().expect("stderr");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Daemon { child, lines }
    }

    pub(crate) fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line with '{}' before the deadline", needle),
            }
        }
    }

    /// `VmRSS` from `/proc/<pid>/status`, in kB.
    pub(crate) fn resident_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/<pid>/status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmRSS line")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = self.child.wait();
    }
}

pub(crate) struct Cluster {
    pub(crate) master: Daemon,
    pub(crate) agent: Daemon,
    /// `ip:port`.
    pub(crate) master_address: String,
    _work_dir: tempfile::TempDir,
}

/// A master and one agent with `resources`, registered.
pub(crate) fn start_cluster(resources: &str) -> Cluster {
    start_cluster_with(resources, &[])
}

/// A master and one agent with `resources` and the flags `extra`,
/// registered.
pub(crate) fn start_cluster_with(resources: &str, extra: &[String]) -> Cluster {
    let master = Daemon::start(
        "mesos-master",
        &[
            "--ip=127.0.0.1".into(),
            "--port=0".into(),
            "--registry=in_memory".into(),
        ],
    );
    let started = master.wait_for("started on master@");
    let master_address = started
        .rsplit("master@")
        .next()
        .expect("an address")
        .trim()
        .to_string();
    let work_dir = tempfile::tempdir().expect("a work directory");
    let launcher_dir = binary("mesos-executor")
        .parent()
        .expect("a directory")
        .to_string_lossy()
        .into_owned();
    let path = work_dir.path().display();
    let mut flags = vec![
        format!("--master={}", master_address),
        "--ip=127.0.0.1".into(),
        "--port=0".into(),
        format!("--work_dir={}/work", path),
        format!("--runtime_dir={}/run", path),
        format!("--launcher_dir={}", launcher_dir),
        format!("--resources={}", resources),
        "--no-switch_user".into(),
    ];
    flags.extend_from_slice(extra);
    let agent = Daemon::start("mesos-agent", &flags);
    agent.wait_for("Registered with master");
    Cluster {
        master,
        agent,
        master_address,
        _work_dir: work_dir,
    }
}
