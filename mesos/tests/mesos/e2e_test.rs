//! The binaries end to end on loopback: `mesos-master`, `mesos-agent`,
//! `mesos-execute` and the `mesos-executor` the agent launches, as a user
//! runs them. Each test waits on what the daemons print, with deadlines.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use crate::e2e_helpers::{
    bin, cluster, cluster_with_resources, local, processes_running, Cluster, Killed,
};

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
    let mut local = local(2, &[]);
    assert!(
        local.first.contains("a master and 2 agent(s)"),
        "{}",
        local.first
    );

    let output = Command::new(bin("mesos-execute"))
        .args([
            format!("--master={}", local.address),
            "--name=local".to_string(),
            "--command=echo local".to_string(),
            "--quiet".to_string(),
        ])
        .output()
        .expect("mesos-execute runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", printed);
    assert!(printed.contains("Received status update TASK_FINISHED for task 'local'"));

    assert!(local.daemon.terminate().success());
}

/// An example framework runs 10 tasks to TASK_FINISHED: `test-framework`
/// against the master and agent binaries, its tasks on `test-executor`
/// (a custom executor on the executor driver), and exits 0.
#[test]
fn an_example_framework_runs_10_tasks_to_finished() {
    let cluster = cluster_with_resources("cpus:10;mem:2048;disk:1024;ports:[31000-32000]");
    let output = Command::new(bin("test-framework"))
        .args([
            format!("--master={}", cluster.master_address),
            "--num_tasks=10".to_string(),
            "--quiet".to_string(),
        ])
        .env_remove("MESOS_HELPER_DIR")
        .output()
        .expect("test-framework runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", printed);
    for task in 0..10 {
        for state in ["TASK_RUNNING", "TASK_FINISHED"] {
            let line = format!("Task {} is in state {}\n", task, state);
            assert_eq!(printed.matches(&line).count(), 1, "{}", printed);
        }
    }
    assert!(!printed.contains("Task 10 "), "{}", printed);
    // The executors ran in the agent's sandboxes, and said so.
    let stdout = std::fs::read_dir(format!("{}/slaves", cluster.work_dir.path()))
        .expect("the agent's sandboxes")
        .flatten()
        .flat_map(|agent| {
            std::fs::read_dir(agent.path().join("frameworks"))
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|framework| {
            framework
                .path()
                .join("executors/default/runs/latest/stdout")
        })
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect::<String>();
    assert_eq!(stdout.matches("Finishing task").count(), 10, "{}", stdout);
}

/// `long-lived-framework` keeps launching tasks on one executor: they run
/// and finish, until SIGTERM stops it, cleanly.
#[test]
fn the_long_lived_framework_runs_tasks_until_stopped() {
    let cluster = cluster();
    let mut framework = crate::e2e_helpers::Daemon::spawn(
        Command::new(bin("long-lived-framework"))
            .arg(format!("--master={}", cluster.master_address))
            .env_remove("MESOS_HELPER_DIR"),
        false,
    );
    framework.wait_for("Subscribed with ID");
    framework.wait_for("Task 0 is in state TASK_RUNNING");
    framework.wait_for("Task 1 is in state TASK_RUNNING");
    framework.wait_for("is in state TASK_FINISHED");
    assert!(framework.terminate().success());
}
