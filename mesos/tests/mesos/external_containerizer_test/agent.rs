//! The external containerizer under the agent, on the in-process cluster
//! (`--containerizers=external --containerizer_path=<fake program>`): how
//! the program's answers reach the framework and the agent's endpoints.

use libprocess::testing::{await_ready, future_protobuf, ANY};
use mesos::containerizer::{Launch, Termination};
use mesos::internal::RunTaskMessage;
use mesos::task_status::Reason;
use mesos::testing::cluster::Slave;
use mesos::testing::MockScheduler;
use mesos::{CommandInfo, Filters, Offer, ResourceStatistics, TaskId, TaskInfo, TaskState};
use serde_json::Value;

use super::fake_ecp::{decode, FakeEcp};
use crate::cluster_helpers as ch;
use crate::http_helpers::{get_json, loopback_runtime};

/// A command task on all of `offer`.
fn command_task(offer: &Offer, id: &str) -> TaskInfo {
    TaskInfo {
        name: id.to_string(),
        task_id: TaskId {
            value: id.to_string(),
        },
        slave_id: offer.slave_id.clone(),
        resources: offer.resources.clone(),
        command: Some(CommandInfo {
            value: Some("sleep 1000".to_string()),
            ..CommandInfo::default()
        }),
        ..TaskInfo::default()
    }
}

fn start_slave(master: &mesos::testing::cluster::Master, ecp: &FakeEcp) -> Slave {
    let path = ecp.path();
    Slave::start_mesos(master.create_detector(), move |flags| {
        flags.containerizers = "external".to_string();
        flags.containerizer_path = Some(path);
        flags.resources = Some("cpus:2;mem:1024".to_string());
    })
    .expect("the agent starts")
}

#[test]
fn killed_termination_fails_the_task_with_the_limit_reason() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let ecp = FakeEcp::new();
    ecp.reply(
        "wait",
        &Termination {
            killed: true,
            message: "Memory limit exceeded: Requested: 1024MB Maximum Used: 1100MB".to_string(),
            status: Some(9),
        },
    );
    let _slave = start_slave(&master, &ecp);
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);

    let status = sched.status_update.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![command_task(&offers[0], "1")],
        Filters::default(),
    );
    let status = await_ready(&status);
    assert_eq!(TaskState::TaskFailed, status.state());
    assert_eq!(Reason::ContainerLimitationMemory, status.reason());
    assert!(
        status.message().contains("Memory limit exceeded"),
        "{}",
        status.message()
    );
    // The program got the task with its command executor.
    let launch: Launch = decode(&ecp.call("launch").stdin);
    assert_eq!(
        Some("1"),
        launch.task_info.as_ref().map(|t| t.task_id.value.as_str())
    );
    ch::stop(&driver);
}

#[test]
fn failed_launch_fails_only_its_task() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let ecp = FakeEcp::new();
    ecp.fail("launch", 1, "cannot run image 'docker:///redis'");
    let slave = start_slave(&master, &ecp);
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);

    let status = sched.status_update.future();
    let next_offers = sched.resource_offers.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![command_task(&offers[0], "1")],
        Filters {
            refuse_seconds: Some(0.0),
        },
    );
    let status = await_ready(&status);
    assert_eq!(TaskState::TaskFailed, status.state());
    assert_eq!(Reason::ContainerLaunchFailed, status.reason());
    assert!(
        status
            .message()
            .contains("cannot run image 'docker:///redis'"),
        "{}",
        status.message()
    );
    // The agent destroyed the container, and still serves.
    let destroyed: mesos::containerizer::Destroy = decode(&ecp.call("destroy").stdin);
    let launched: Launch = decode(&ecp.call("launch").stdin);
    assert_eq!(launched.container_id, destroyed.container_id);
    let offers = await_ready(&next_offers);
    assert_eq!(
        offers[0].slave_id,
        status.slave_id.clone().expect("the agent")
    );
    assert_eq!(
        Value::Array(Vec::new()),
        get_json(slave.pid.upid(), "monitor/statistics")
    );
    ch::stop(&driver);
}

#[test]
fn usage_shows_in_monitor_statistics() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let ecp = FakeEcp::new();
    ecp.hold("wait");
    ecp.reply(
        "usage",
        &ResourceStatistics {
            timestamp: 1.5,
            cpus_user_time_secs: Some(0.12),
            cpus_system_time_secs: Some(0.5),
            cpus_limit: Some(2.0),
            mem_rss_bytes: Some(1 << 20),
            mem_limit_bytes: Some(1 << 30),
            ..ResourceStatistics::default()
        },
    );
    let slave = start_slave(&master, &ecp);
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);
    let run_task = future_protobuf::<RunTaskMessage>(ANY, slave.pid.upid());
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![command_task(&offers[0], "1")],
        Filters::default(),
    );
    await_ready(&run_task);

    // The agent knows the executor once it has the task; its statistics
    // are the program's, asked for once `launch` returned.
    let entries = get_json(slave.pid.upid(), "monitor/statistics");
    let statistics = entries[0]["statistics"].clone();
    assert_eq!(entries[0]["executor_id"], "1");
    let usage: mesos::containerizer::Usage = decode(&ecp.call("usage").stdin);
    let launch: Launch = decode(&ecp.call("launch").stdin);
    assert_eq!(launch.container_id, usage.container_id);
    assert_eq!(0.12, statistics["cpus_user_time_secs"]);
    assert_eq!(0.5, statistics["cpus_system_time_secs"]);
    assert_eq!(2.0, statistics["cpus_limit"]);
    assert_eq!(1u64 << 20, statistics["mem_rss_bytes"]);
    assert_eq!(1u64 << 30, statistics["mem_limit_bytes"]);

    let status = sched.status_update.future();
    ecp.release("wait");
    assert_eq!(TaskState::TaskFailed, await_ready(&status).state());
    ch::stop(&driver);
}

/// Mesos' `ExternalContainerizerTest.Launch` (disabled upstream by
/// MESOS-1257, and its program reported made-up usage): a command task
/// through the example program, its usage read through the containerizer
/// as the agent's monitor reads it, then killed.
#[test]
fn launch() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let program = env!("CARGO_BIN_EXE_test-containerizer").to_string();
    let slave = Slave::start_mesos(master.create_detector(), move |flags| {
        flags.isolation = "external".to_string();
        flags.containerizer_path = Some(program);
    })
    .expect("the agent starts");
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);
    let resources = mesos::Resources::from(offers[0].resources.clone());
    let (cpus, mem) = (
        resources.cpus().expect("cpus"),
        resources.mem().expect("mem"),
    );

    let task = command_task(&offers[0], "1");
    let starting = sched.status_update.future();
    let running = sched.status_update.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task.clone()],
        Filters::default(),
    );
    assert_eq!(TaskState::TaskStarting, await_ready(&starting).state());
    assert_eq!(TaskState::TaskRunning, await_ready(&running).state());

    // The monitor's view: `/monitor/statistics` asks the program for usage.
    let entries = get_json(slave.pid.upid(), "monitor/statistics");
    let statistics = &entries[0]["statistics"];
    // The limits are the task's and its command executor's resources.
    let cpus_limit = statistics["cpus_limit"].as_f64().expect("cpus_limit");
    let mem_limit = statistics["mem_limit_bytes"]
        .as_u64()
        .expect("mem_limit_bytes");
    assert!(cpus_limit >= cpus, "{cpus_limit} < {cpus}");
    assert!(mem_limit >= mem.bytes(), "{mem_limit} < {}", mem.bytes());
    assert!(statistics["mem_rss_bytes"].as_u64().expect("rss") >= 1024);

    let killed = sched.status_update.future();
    driver.kill_task(task.task_id.clone());
    assert_eq!(TaskState::TaskKilled, await_ready(&killed).state());
    ch::stop(&driver);
}
