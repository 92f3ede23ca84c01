//! The binaries end to end on loopback: `mesos-master`, `mesos-agent`,
//! `mesos-execute` and the `mesos-executor` the agent launches, as a user
//! runs them. Each test waits on what the daemons print, with deadlines.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use mesos::testing::cluster::TempDir;

const DEADLINE: Duration = Duration::from_secs(60);

fn bin(name: &str) -> String {
    match name {
        "mesos-master" => env!("CARGO_BIN_EXE_mesos-master"),
        "mesos-agent" => env!("CARGO_BIN_EXE_mesos-agent"),
        "mesos-execute" => env!("CARGO_BIN_EXE_mesos-execute"),
        "mesos-local" => env!("CARGO_BIN_EXE_mesos-local"),
        _ => env!("CARGO_BIN_EXE_mesos-executor"),
    }
    .to_string()
}

/// A daemon whose stderr lines are collected as they come.
struct Daemon {
    child: Child,
    lines: Receiver<String>,
}

impl Daemon {
    fn start(name: &str, args: &[String]) -> Daemon {
        let mut child = Command::new(bin(name))
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

    /// The first line containing `needle`, waiting at most [`DEADLINE`].
    fn wait_for(&self, needle: &str) -> String {
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

    fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        self.child.wait().expect("the daemon exits")
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
struct Cluster {
    /// Kept running for the test; terminated when dropped.
    _master: Daemon,
    agent: Daemon,
    master_address: String,
    _work_dir: TempDir,
}

fn cluster() -> Cluster {
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
    let launcher_dir = std::path::Path::new(&bin("mesos-executor"))
        .parent()
        .expect("a directory")
        .to_string_lossy()
        .into_owned();
    let agent = Daemon::start(
        "mesos-agent",
        &[
            format!("--master={}", master_address),
            "--ip=127.0.0.1".into(),
            "--port=0".into(),
            format!("--work_dir={}", work_dir.path()),
            // Its own, or agents of other tests would take its containers
            // for orphans when they recover.
            format!("--runtime_dir={}/run", work_dir.path()),
            format!("--launcher_dir={}", launcher_dir),
            "--resources=cpus:2;mem:1024;disk:1024;ports:[31000-32000]".into(),
            "--no-switch_user".into(),
        ],
    );
    agent.wait_for("Registered with master");
    Cluster {
        _master: master,
        agent,
        master_address,
        _work_dir: work_dir,
    }
}

fn execute(cluster: &Cluster, name: &str, command: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        format!("--master={}", cluster.master_address),
        format!("--name={}", name),
        format!("--command={}", command),
        "--quiet".to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    Command::new(bin("mesos-execute"))
        .args(&args)
        .output()
        .expect("mesos-execute runs")
}

/// The processes whose command line is exactly `command` (the task's
/// own process, not the shell or tools that name it).
fn processes_running(command: &str) -> Vec<String> {
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
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn echo_hello_finishes_and_exits_zero() {
    let cluster = cluster();
    let output = execute(&cluster, "hello", "echo hello", &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stdout);
    assert!(stdout.contains("Received status update TASK_RUNNING for task 'hello'"));
    assert!(stdout.contains("Received status update TASK_FINISHED for task 'hello'"));
    assert!(stdout.contains("  message: 'Command exited with status 0'"));
    drop(cluster);
}

#[test]
fn json_events_run_a_task_the_same() {
    let cluster = cluster();
    let output = execute(&cluster, "json", "echo json", &["--content_type=json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stdout);
    assert!(stdout.contains("Subscribed with ID "), "{}", stdout);
    assert!(stdout.contains("Submitted task 'json' to agent '"));
    assert!(stdout.contains("Received status update TASK_FINISHED for task 'json'"));
}

#[test]
fn an_unknown_content_type_is_refused() {
    let output = Command::new(bin("mesos-execute"))
        .args([
            "--master=127.0.0.1:5050",
            "--name=xml",
            "--command=true",
            "--content_type=xml",
        ])
        .output()
        .expect("mesos-execute runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Invalid content type 'xml'"));
}

#[test]
fn exit_3_fails_the_task_and_mesos_execute() {
    let cluster = cluster();
    let output = execute(&cluster, "three", "exit 3", &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{}", stdout);
    assert!(stdout.contains("Received status update TASK_FAILED for task 'three'"));
    assert!(stdout.contains("  message: 'Command exited with status 3'"));
}

#[test]
fn a_task_killed_mid_run_is_killed_and_gone() {
    let cluster = cluster();
    let marker = format!("sleep 98{}", std::process::id() % 1000);
    let output = execute(&cluster, "sleeper", &marker, &["--kill_after=1secs"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{}", stdout);
    assert!(
        stdout.contains("Received status update TASK_KILLED for task 'sleeper'"),
        "{}",
        stdout
    );
    assert!(processes_running(&marker).is_empty());
}

#[test]
fn sigterm_to_the_agent_leaves_no_task_behind() {
    let mut cluster = cluster();
    let marker = format!("sleep 97{}", std::process::id() % 1000);
    let mut execute = Killed(
        Command::new(bin("mesos-execute"))
            .args([
                format!("--master={}", cluster.master_address),
                "--name=orphan".to_string(),
                format!("--command={}", marker),
                "--quiet".to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("mesos-execute runs"),
    );
    let stdout = BufReader::new(execute.0.stdout.take().expect("stdout"));
    for line in stdout.lines().map_while(Result::ok) {
        if line.contains("TASK_RUNNING") {
            break;
        }
    }
    assert_eq!(processes_running(&marker).len(), 1);

    let status = cluster.agent.terminate();
    assert!(status.success(), "the agent exits cleanly: {:?}", status);
    assert!(processes_running(&marker).is_empty());
    drop(execute);
    drop(cluster);
}

#[test]
fn mesos_local_runs_a_task_on_its_agents() {
    let work_dir = TempDir::new("e2e-local").expect("a work directory");
    let mut local = Killed(
        Command::new(bin("mesos-local"))
            .args([
                "--ip=127.0.0.1".to_string(),
                "--port=0".to_string(),
                "--num_slaves=2".to_string(),
                format!("--work_dir={}", work_dir.path()),
                "--quiet".to_string(),
            ])
            .env_remove("LIBPROCESS_IP")
            .env_remove("LIBPROCESS_PORT")
            .stdout(Stdio::piped())
            .spawn()
            .expect("mesos-local runs"),
    );
    let mut stdout = BufReader::new(local.0.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("its first line");
    let address = first
        .trim()
        .rsplit(" at ")
        .next()
        .expect("an address")
        .to_string();
    assert!(first.contains("a master and 2 agent(s)"), "{}", first);

    let output = Command::new(bin("mesos-execute"))
        .args([
            format!("--master={}", address),
            "--name=local".to_string(),
            "--command=echo local".to_string(),
            "--quiet".to_string(),
        ])
        .output()
        .expect("mesos-execute runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", printed);
    assert!(printed.contains("Received status update TASK_FINISHED for task 'local'"));

    let pid = nix::unistd::Pid::from_raw(local.0.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("a signal");
    assert!(local.0.wait().expect("mesos-local exits").success());
}
