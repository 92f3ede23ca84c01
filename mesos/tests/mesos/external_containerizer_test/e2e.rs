//! The binaries with the external containerizer, as the README shows
//! them: `mesos-agent --containerizers=external
//! --containerizer_path=<example program>` and `mesos-execute`.

use std::process::{Command, Output};

use crate::e2e_helpers::{bin, cluster_with, Cluster, Daemon};

const RESOURCES: &str = "cpus:2;mem:1024;disk:1024;ports:[31000-32000]";

fn external(program: &str) -> Cluster {
    cluster_with(
        RESOURCES,
        &[
            "--containerizers=external".to_string(),
            format!("--containerizer_path={}", program),
        ],
    )
}

/// Runs `mesos-execute`: whether it exited 0, and what it printed.
fn execute(cluster: &Cluster, name: &str, command: &str, extra: &[&str]) -> (bool, String) {
    let output: Output = Command::new(bin("mesos-execute"))
        .arg(format!("--master={}", cluster.master_address))
        .arg(format!("--name={}", name))
        .arg(format!("--command={}", command))
        .args(extra)
        .output()
        .expect("mesos-execute runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.success(), stdout)
}

/// Runs `command` as task `name` and expects it to finish.
fn assert_finishes(cluster: &Cluster, name: &str, command: &str) -> String {
    let (success, stdout) = execute(cluster, name, command, &[]);
    assert!(success, "{}", stdout);
    let finished = format!("Received status update TASK_FINISHED for task '{}'", name);
    assert!(stdout.contains(&finished), "{}", stdout);
    stdout
}

/// The Python example `name`, when this machine has Python 3.
fn python_program(name: &str) -> Option<String> {
    let found = Command::new("python3").arg("--version").output();
    if !found.is_ok_and(|output| output.status.success()) {
        eprintln!("python3 is not installed: skipping the Python example");
        return None;
    }
    Some(format!(
        "{}/examples/python/{}",
        env!("CARGO_MANIFEST_DIR"),
        name
    ))
}

#[test]
fn a_task_runs_to_finished_through_the_example_program() {
    let cluster = external(&bin("test-containerizer"));
    let stdout = assert_finishes(&cluster, "hello", "echo hello from the ecp");
    assert!(stdout.contains("Received status update TASK_RUNNING for task 'hello'"));
    // The command ran in its sandbox, with the executor's output there.
    let found = walk(cluster.work_dir.path())
        .into_iter()
        .filter(|path| path.ends_with("/stdout"))
        .any(|path| {
            std::fs::read_to_string(path).is_ok_and(|text| text.contains("hello from the ecp"))
        });
    assert!(found, "no sandbox stdout with the task's output");
}

#[test]
fn a_task_runs_to_finished_through_the_python_program() {
    let Some(program) = python_program("test_containerizer.py") else {
        return;
    };
    let cluster = external(&program);
    assert_finishes(&cluster, "hello", "echo hello");
}

/// The README's few-line program.
#[test]
fn tasks_run_through_the_tiny_program() {
    let Some(program) = python_program("tiny_containerizer.py") else {
        return;
    };
    let cluster = external(&program);
    assert_finishes(&cluster, "hello", "echo hello");
    let (success, stdout) = execute(&cluster, "three", "exit 3", &[]);
    assert!(!success, "{}", stdout);
    assert!(
        stdout.contains("  message: 'Command exited with status 3'"),
        "{}",
        stdout
    );
    // A task killed mid-run: the program destroys its executor.
    let (_, stdout) = execute(&cluster, "sleeper", "sleep 1000", &["--kill_after=1secs"]);
    assert!(
        stdout.contains("Received status update TASK_KILLED for task 'sleeper'"),
        "{}",
        stdout
    );
}

#[test]
fn an_image_the_program_cannot_run_fails_the_task() {
    let cluster = external(&bin("test-containerizer"));
    let (success, stdout) = execute(&cluster, "redis", "true", &["--docker_image=redis"]);
    assert!(!success, "{}", stdout);
    assert!(
        stdout.contains("Received status update TASK_FAILED for task 'redis'"),
        "{}",
        stdout
    );
    assert!(stdout.contains("cannot run image 'redis'"), "{}", stdout);
    // The agent lives on: the next task runs.
    assert_finishes(&cluster, "after", "true");
}

#[test]
fn a_missing_program_is_a_startup_error() {
    let mut agent = Daemon::start(
        "mesos-agent",
        &[
            "--master=127.0.0.1:1".to_string(),
            "--work_dir=/tmp/mesos-missing-ecp".to_string(),
            "--containerizers=external".to_string(),
            "--containerizer_path=/nonexistent/ecp".to_string(),
        ],
    );
    agent.wait_for("Failed to find the external containerizer '/nonexistent/ecp'");
    let status = agent.child.wait().expect("the agent exits");
    assert_eq!(Some(1), status.code());
}

/// Every file under `root`.
fn walk(root: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path.to_string_lossy().into_owned());
            }
        }
    }
    files
}
