//! Running the binaries as a user runs them, for the end-to-end tests:
//! daemons whose log lines are collected as they come, a master and an
//! agent on loopback, `mesos-local`, and the example frameworks. Every
//! wait has a deadline.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use mesos::testing::cluster::TempDir;

pub(crate) const DEADLINE: Duration = Duration::from_secs(60);

/// The path of one of the package's binaries (cargo builds them all
/// before the tests).
pub(crate) fn bin(name: &str) -> String {
    match name {
        "mesos-master" => env!("CARGO_BIN_EXE_mesos-master"),
        "mesos-agent" => env!("CARGO_BIN_EXE_mesos-agent"),
        "mesos-execute" => env!("CARGO_BIN_EXE_mesos-execute"),
        "mesos-local" => env!("CARGO_BIN_EXE_mesos-local"),
        "mesos-executor" => env!("CARGO_BIN_EXE_mesos-executor"),
        "test-framework" => env!("CARGO_BIN_EXE_test-framework"),
        "test-executor" => env!("CARGO_BIN_EXE_test-executor"),
        "test-http-framework" => env!("CARGO_BIN_EXE_test-http-framework"),
        "test-http-executor" => env!("CARGO_BIN_EXE_test-http-executor"),
        "long-lived-framework" => env!("CARGO_BIN_EXE_long-lived-framework"),
        "long-lived-executor" => env!("CARGO_BIN_EXE_long-lived-executor"),
        "test-containerizer" => env!("CARGO_BIN_EXE_test-containerizer"),
        other => panic!("no binary '{}' in the package", other),
    }
    .to_string()
}

/// Lines of a child's output as they come.
pub(crate) struct Lines(Receiver<String>);

impl Lines {
    fn from(stream: impl std::io::Read + Send + 'static) -> Lines {
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Lines(lines)
    }

    /// The next line, waiting at most [`DEADLINE`].
    pub(crate) fn next(&self) -> String {
        self.0
            .recv_timeout(DEADLINE)
            .expect("a line before the deadline")
    }

    /// The first line containing `needle`, waiting at most [`DEADLINE`].
    pub(crate) fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.0.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line with '{}' before the deadline", needle),
            }
        }
    }
}

/// A daemon, or a framework running until stopped, with its stderr (or
/// stdout) lines collected; SIGTERM stops it when dropped.
pub(crate) struct Daemon {
    pub(crate) child: Child,
    pub(crate) lines: Lines,
}

impl Daemon {
    /// `name` with `args`, its stderr collected.
    pub(crate) fn start(name: &str, args: &[String]) -> Daemon {
        Daemon::spawn(Command::new(bin(name)).args(args), false)
    }

    /// `command`, with its stdout collected when `stdout`, else its
    /// stderr; outside of libprocess' environment of the tests.
    pub(crate) fn spawn(command: &mut Command, stdout: bool) -> Daemon {
        command
            .env_remove("LIBPROCESS_IP")
            .env_remove("LIBPROCESS_PORT");
        if stdout {
            command.stdout(Stdio::piped()).stderr(Stdio::null());
        } else {
            command.stdout(Stdio::null()).stderr(Stdio::piped());
        }
        let mut child = command.spawn().expect("the program starts");
        let lines = if stdout {
            Lines::from(child.stdout.take().expect("stdout"))
        } else {
            Lines::from(child.stderr.take().expect("stderr"))
        };
        Daemon { child, lines }
    }

    /// The first line containing `needle`, waiting at most [`DEADLINE`].
    pub(crate) fn wait_for(&self, needle: &str) -> String {
        self.lines.wait_for(needle)
    }

    /// Sends SIGTERM and waits for the exit.
    pub(crate) fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        self.child.wait().expect("the program exits")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.terminate();
        }
    }
}

/// A master and an agent on loopback, on ports the kernel picks.
pub(crate) struct Cluster {
    /// Kept running for the test; terminated when dropped.
    pub(crate) _master: Daemon,
    pub(crate) agent: Daemon,
    pub(crate) master_address: String,
    pub(crate) work_dir: TempDir,
}

/// A cluster whose agent offers `cpus:2;mem:1024;disk:1024;ports:[31000-32000]`.
pub(crate) fn cluster() -> Cluster {
    cluster_with_resources("cpus:2;mem:1024;disk:1024;ports:[31000-32000]")
}

/// A cluster whose agent offers `resources`.
pub(crate) fn cluster_with_resources(resources: &str) -> Cluster {
    cluster_with(resources, &[])
}

/// A cluster whose agent offers `resources` and has the flags `extra`.
pub(crate) fn cluster_with(resources: &str, extra: &[String]) -> Cluster {
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
    let work_dir = TempDir::new("e2e-agent").expect("a work directory");
    let mut flags = vec![
        format!("--master={}", master_address),
        "--ip=127.0.0.1".into(),
        "--port=0".into(),
        format!("--work_dir={}", work_dir.path()),
        // Its own, or agents of other tests would take its containers
        // for orphans when they recover.
        format!("--runtime_dir={}/run", work_dir.path()),
        format!("--launcher_dir={}", launcher_dir()),
        format!("--resources={}", resources),
        "--no-switch_user".into(),
    ];
    flags.extend_from_slice(extra);
    let agent = Daemon::start("mesos-agent", &flags);
    agent.wait_for("Registered with master");
    Cluster {
        _master: master,
        agent,
        master_address,
        work_dir,
    }
}

/// Where the binaries are: the agent's `--launcher_dir`.
pub(crate) fn launcher_dir() -> String {
    std::path::Path::new(&bin("mesos-executor"))
        .parent()
        .expect("a directory")
        .to_string_lossy()
        .into_owned()
}

/// `mesos-local` on loopback with `agents` agents, configured by the
/// `MESOS_*` variables in `environment`.
pub(crate) struct Local {
    pub(crate) daemon: Daemon,
    /// Where the master listens, `127.0.0.1:<port>`.
    pub(crate) address: String,
    /// Its first line.
    pub(crate) first: String,
    pub(crate) _work_dir: TempDir,
}

pub(crate) fn local(agents: usize, environment: &[(&str, &str)]) -> Local {
    let work_dir = TempDir::new("e2e-local").expect("a work directory");
    let daemon = Daemon::spawn(
        Command::new(bin("mesos-local"))
            .args([
                "--ip=127.0.0.1".to_string(),
                "--port=0".to_string(),
                format!("--num_slaves={}", agents),
                format!("--work_dir={}", work_dir.path()),
                "--quiet".to_string(),
            ])
            .envs(environment.iter().copied()),
        true,
    );
    let first = daemon.lines.next();
    let address = first
        .trim()
        .rsplit(" at ")
        .next()
        .expect("an address")
        .to_string();
    Local {
        daemon,
        address,
        first,
        _work_dir: work_dir,
    }
}

/// The processes whose command line is exactly `command` (the task's
/// own process, not the shell or tools that name it).
pub(crate) fn processes_running(command: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.trim_end() == command {
            found.push(cmdline);
        }
    }
    found
}

/// A child killed when dropped, so a failing test leaves nothing behind.
pub(crate) struct Killed(pub(crate) Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
