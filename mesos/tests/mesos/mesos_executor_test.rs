//! The `mesos-executor` binary: its flags, its errors, its glog output
//! and log files, and a task run end to end against a fake agent.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use libprocess::testing::AWAIT_TIMEOUT;
use mesos::v1::executor::call;
use mesos::v1::TaskState;

use crate::command_executor_test::{
    acknowledge, await_call, await_update, framework, launch, state, task,
};
use crate::fake_agent::{runtime, Agent};

fn mesos_executor() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mesos-executor"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        // Its own process group: nothing it kills is the test's.
        .process_group(0)
        .stdin(Stdio::null());
    command
}

/// Whether `line` starts as a glog line of `severity` does
/// (`E1206 10:00:05.179522 12345 file.rs:37] `).
fn is_glog_line(line: &str, severity: char) -> bool {
    let bytes = line.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    line.starts_with(severity)
        && digits(1..5)
        && line.get(5..6) == Some(" ")
        && digits(6..8)
        && line.get(8..9) == Some(":")
        && line.get(14..15) == Some(".")
        && digits(15..21)
        && line.get(21..22) == Some(" ")
        && line.contains(".rs:")
        && line.contains("] ")
}

#[test]
fn help() {
    let output = mesos_executor().arg("--help").output().expect("runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("Usage: mesos-executor [options]"),
        "{}",
        stdout
    );
    for flag in [
        "--launcher_dir=VALUE",
        "--task_command=VALUE",
        "--task_environment=VALUE",
        "--rootfs=VALUE",
        "--sandbox_directory=VALUE",
        "--working_directory=VALUE",
        "--user=VALUE",
        "--logging_level=VALUE",
        "--log_dir=VALUE",
        "--[no-]quiet",
    ] {
        assert!(stdout.contains(flag), "no {} in {}", flag, stdout);
    }
    assert!(stdout.contains("(default: /usr/local/libexec/mesos)"));
}

#[test]
fn unknown_flag() {
    let output = mesos_executor()
        .arg("--frobnicate=1")
        .output()
        .expect("runs");
    assert_eq!(Some(1), output.status.code());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("frobnicate"), "{}", stderr);
    assert!(
        stderr.contains("Usage: mesos-executor [options]"),
        "{}",
        stderr
    );
}

#[test]
fn missing_framework_id() {
    let output = mesos_executor().output().expect("runs");
    assert_eq!(Some(1), output.status.code());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find(|line| line.contains("Expecting 'MESOS_FRAMEWORK_ID' to be set in the environment"))
        .unwrap_or_else(|| panic!("no error in {}", stderr));
    assert!(is_glog_line(line, 'E'), "{}", line);
    assert!(line.contains(" mesos-executor.rs:"), "{}", line);
}

#[test]
fn missing_executor_id() {
    let output = mesos_executor()
        .env("MESOS_FRAMEWORK_ID", "framework-1")
        .output()
        .expect("runs");
    assert_eq!(Some(1), output.status.code());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Expecting 'MESOS_EXECUTOR_ID' to be set in the environment"),
        "{}",
        stderr
    );
}

#[test]
fn invalid_logging_level() {
    let output = mesos_executor()
        .arg("--logging_level=LOUD")
        .output()
        .expect("runs");
    assert_eq!(Some(1), output.status.code());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "'LOUD' is not a valid logging level. Possible values for 'logging_level' flag \
             are: 'INFO', 'WARNING', 'ERROR'."
        ),
        "{}",
        stderr
    );
}

/// `--log_dir`: glog's file names and symlinks; an ERROR line is in the
/// ERROR, WARNING and INFO files; `--quiet` keeps stderr empty.
#[test]
fn log_dir() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = mesos_executor()
        .arg(format!("--log_dir={}", dir.path().display()))
        .arg("--quiet")
        .output()
        .expect("runs");
    assert_eq!(Some(1), output.status.code());
    assert!(output.stderr.is_empty());

    let hostname = stout::os::hostname().expect("a hostname");
    let user = stout::os::user().expect("a user");
    let pid = output_pid(dir.path());
    for severity in ["INFO", "WARNING", "ERROR"] {
        let link = dir.path().join(format!("mesos-executor.{}", severity));
        let target = std::fs::read_link(&link).expect("a symlink per severity");
        let name = target.to_string_lossy().into_owned();
        let prefix = format!("mesos-executor.{}.{}.log.{}.", hostname, user, severity);
        assert!(name.starts_with(&prefix), "{}", name);
        // <YYYYMMDD-HHMMSS>.<pid>
        let (stamp, file_pid) = name[prefix.len()..].split_once('.').expect("a pid");
        assert_eq!(15, stamp.len(), "{}", name);
        assert_eq!(Some(8), stamp.find('-'));
        assert_eq!(pid, file_pid);

        let contents = std::fs::read_to_string(&link).expect("readable");
        assert!(
            contents.starts_with("Log file created at: "),
            "{}",
            contents
        );
        assert!(contents.contains(&format!("Running on machine: {}\n", hostname)));
        let line = contents
            .lines()
            .find(|line| line.contains("Expecting 'MESOS_FRAMEWORK_ID'"))
            .unwrap_or_else(|| panic!("no error in the {} file", severity));
        assert!(is_glog_line(line, 'E'), "{}", line);
    }
    let info = std::fs::read_to_string(dir.path().join("mesos-executor.INFO")).expect("readable");
    assert!(info.contains("] INFO level logging started!"), "{}", info);
}

/// The pid in the name of the one INFO log file under `dir`.
fn output_pid(dir: &std::path::Path) -> String {
    let name = std::fs::read_link(dir.join("mesos-executor.INFO"))
        .expect("an INFO symlink")
        .to_string_lossy()
        .into_owned();
    name.rsplit('.').next().unwrap_or_default().to_string()
}

/// The binary runs a task for a (fake) agent and exits with success once
/// its terminal update is acknowledged.
#[test]
fn runs_task() {
    let _runtime = runtime();
    let agent = Agent::start(framework(false));
    let mut child = mesos_executor()
        .env("MESOS_FRAMEWORK_ID", "framework-1")
        .env("MESOS_EXECUTOR_ID", "executor-1")
        .env("MESOS_SLAVE_PID", agent.pid())
        .env("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs")
        .env("MESOS_HTTP_COMMAND_EXECUTOR", "1")
        .arg("--quiet")
        .spawn()
        .expect("starts");

    await_call(&agent, call::Type::Subscribe);
    launch(&agent, task("exit 0"));
    let starting = await_update(&agent);
    assert_eq!(TaskState::TaskStarting, state(&starting));
    let running = await_update(&agent);
    assert_eq!(TaskState::TaskRunning, state(&running));
    let finished = await_update(&agent);
    assert_eq!(TaskState::TaskFinished, state(&finished));
    for status in [&starting, &running, &finished] {
        acknowledge(&agent, status);
    }

    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let (sender, exited) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait());
    });
    let Ok(status) = exited.recv_timeout(AWAIT_TIMEOUT.to_std().unwrap_or_default()) else {
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
        panic!("mesos-executor did not exit");
    };
    let status = status.expect("waitable");
    assert!(status.success(), "{:?}", status);
}
