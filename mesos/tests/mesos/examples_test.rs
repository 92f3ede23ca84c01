//! `ExamplesTest` (Mesos' `src/tests/examples_tests.cpp`): the example
//! frameworks run to completion with `--master=local`, as Mesos' scripts
//! run them; and the example executors on the v1 executor API run tasks
//! for a framework on the in-process cluster.

use std::collections::BTreeMap;
use std::process::{Command, Output};

use libprocess::testing::{await_ready, await_ready_for};
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master, Slave, TempDir};
use mesos::testing::{create_executor_info, default_framework_info, MockScheduler};
use mesos::{Filters, Resources, TaskId, TaskInfo, TaskState};

use crate::e2e_helpers::{bin, DEADLINE};

/// Runs example framework `name` with `--master=local`, in the
/// environment Mesos' `*_framework_test.sh` scripts give it: a local
/// cluster of three agents with `cpus:2;mem:10240` each, in temporary
/// directories. Returns its output once it exited.
fn run_locally(name: &str) -> Output {
    let work_dir = TempDir::new("examples-work").expect("a work directory");
    let runtime_dir = TempDir::new("examples-run").expect("a runtime directory");
    Command::new(bin(name))
        .arg("--master=local")
        .arg("--quiet")
        .env("MESOS_WORK_DIR", work_dir.path())
        .env("MESOS_RUNTIME_DIR", runtime_dir.path())
        .env("MESOS_AUTHENTICATION_TIMEOUT", "200ms")
        .env("MESOS_NUM_SLAVES", "3")
        .env("MESOS_RESOURCES", "cpus:2;mem:10240")
        .env("MESOS_ISOLATION", "filesystem/posix,posix/cpu,posix/mem")
        .env("MESOS_LAUNCHER", "posix")
        .env("MESOS_AUTHENTICATE_FRAMEWORKS", "false")
        // Executors reach the agents on loopback.
        .env("LIBPROCESS_IP", "127.0.0.1")
        .env_remove("LIBPROCESS_PORT")
        .env_remove("MESOS_HELPER_DIR")
        .output()
        .expect("the framework runs")
}

/// Whether `printed` says that each of five tasks finished, once.
fn five_tasks_finished(printed: &str) -> bool {
    (0..5).all(|task| {
        let line = format!("Task {} is in state TASK_FINISHED\n", task);
        printed.matches(&line).count() == 1
    }) && !printed.contains("Task 5 ")
}

/// `ExamplesTest.TestFramework`: `test-framework --master=local` runs its
/// five tasks on `test-executor` and exits 0.
#[test]
fn test_framework() {
    let output = run_locally("test-framework");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", printed);
    assert!(printed.contains("Registered!"), "{}", printed);
    assert!(five_tasks_finished(&printed), "{}", printed);
}

/// `ExamplesTest.TestHTTPFramework`: `test-http-framework
/// --master=local` runs its five tasks on `test-http-executor` and exits
/// 0.
#[test]
fn test_http_framework() {
    let output = run_locally("test-http-framework");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", printed);
    assert!(five_tasks_finished(&printed), "{}", printed);
}

/// A runtime listening on loopback: real executors (OS processes) reach
/// the agent over it.
fn loopback_runtime() -> libprocess::testing::TestRuntime {
    libprocess::testing::runtime_with(libprocess::Builder::default().listen(
        std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0),
    ))
}

/// Launches `tasks` tasks on one executor running `executor` (one of the
/// example executors on the v1 executor API, with `executor_resources`)
/// through a driver-based framework on the in-process cluster, and
/// returns each task's states in the order they came.
fn run_tasks_on(
    executor: &str,
    executor_resources: &str,
    tasks: usize,
) -> BTreeMap<String, Vec<TaskState>> {
    let _runtime = loopback_runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let _slave = Slave::start_mesos(master.create_detector(), |flags| {
        flags.resources = Some("cpus:2;mem:1024;disk:1024".to_string());
    })
    .expect("the agent starts");

    let sched = MockScheduler::new();
    let driver = MesosSchedulerDriver::with_detector(
        sched.clone(),
        default_framework_info(),
        master.create_detector(),
        true,
    );
    let offers = sched.resource_offers.future();
    driver.start();
    let offers = await_ready(&offers);
    let offer = &offers[0];

    let mut executor = create_executor_info("default", &bin(executor));
    let allocated = |text: &str| {
        let mut resources = Resources::parse(text).expect("resources");
        resources.allocate("*");
        resources
    };
    executor.resources = allocated(executor_resources).to_vec();
    let task_resources = allocated("cpus:0.5;mem:128");
    let launched: Vec<TaskInfo> = (0..tasks)
        .map(|n| TaskInfo {
            name: format!("Task {}", n),
            task_id: TaskId {
                value: n.to_string(),
            },
            slave_id: offer.slave_id.clone(),
            resources: task_resources.to_vec(),
            executor: Some(executor.clone()),
            ..TaskInfo::default()
        })
        .collect();

    // Each task's RUNNING and FINISHED.
    let updates: Vec<_> = (0..2 * tasks)
        .map(|_| sched.status_update.future())
        .collect();
    driver.launch_tasks(vec![offer.id.clone()], launched, Filters::default());

    let mut states: BTreeMap<String, Vec<TaskState>> = BTreeMap::new();
    for update in &updates {
        let status = await_ready_for(
            update,
            stout::Duration::from_secs(DEADLINE.as_secs() as i64),
        );
        states
            .entry(status.task_id.value.clone())
            .or_default()
            .push(status.state());
    }
    driver.stop(false);
    driver.join();
    states
}

/// `test-http-executor` runs each task to TASK_RUNNING, then
/// TASK_FINISHED, over the agent's `/api/v1/executor`.
#[test]
fn test_http_executor_runs_tasks() {
    let states = run_tasks_on("test-http-executor", "cpus:0.1;mem:32", 2);
    let expected = vec![TaskState::TaskRunning, TaskState::TaskFinished];
    assert_eq!(states.len(), 2, "{:?}", states);
    for (task, states) in &states {
        assert_eq!(*states, expected, "task {}", task);
    }
}

/// `long-lived-executor` runs several tasks at once on one executor, each
/// to TASK_RUNNING, then (after a while) TASK_FINISHED, over the agent's
/// `/api/v1/executor`.
#[test]
fn long_lived_executor_runs_tasks() {
    let states = run_tasks_on("long-lived-executor", "cpus:0.1;mem:32", 3);
    let expected = vec![TaskState::TaskRunning, TaskState::TaskFinished];
    assert_eq!(states.len(), 3, "{:?}", states);
    for (task, states) in &states {
        assert_eq!(*states, expected, "task {}", task);
    }
}
