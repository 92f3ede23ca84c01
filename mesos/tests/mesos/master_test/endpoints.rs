//! Mesos' `MasterTest` cases about the master's read endpoints
//! (`/slaves`, `/state`, `/state-summary`, `/tasks`, `/frameworks`) and
//! its `MasterInfo`, on the in-process cluster over loopback.

use std::sync::Arc;

use libprocess::testing::{await_ready, future_protobuf, ANY};
use libprocess::Clock;
use mesos::internal::SlaveRegisteredMessage;
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{
    default_executor_info, default_framework_info, send_status_update_from_task,
    send_status_update_from_task_id, MockExecutor, MockScheduler, TestContainerizer,
};
use mesos::{Resources, TaskId, TaskInfo, TaskState};
use serde_json::{json, Value};

use crate::http_helpers::{get_json, loopback_runtime, RunningTask};

/// A registered agent with the test containerizer. The clock is paused
/// until it registers, so that the registration awaited is its own.
fn agent(master: &Master) -> (Slave, MockExecutor) {
    let exec = MockExecutor::new(default_executor_info().executor_id);
    let containerizer = Arc::new(TestContainerizer::new(&exec));
    Clock::pause();
    let slave = Slave::start(master.create_detector(), containerizer).expect("the agent starts");
    let registered = future_protobuf::<SlaveRegisteredMessage>(ANY, &slave.pid);
    Clock::settle();
    // `--registration_backoff_factor` of the test flags.
    Clock::advance(stout::Duration::from_millis(10));
    await_ready(&registered);
    Clock::resume();
    (slave, exec)
}

fn scheduler(master: &Master) -> (MesosSchedulerDriver, MockScheduler) {
    let sched = MockScheduler::new();
    let driver = MesosSchedulerDriver::with_detector(
        sched.clone(),
        default_framework_info(),
        master.create_detector(),
        true,
    );
    (driver, sched)
}

#[test]
fn slaves_endpoint_without_slaves() {
    let _runtime = loopback_runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let slaves = get_json(master.pid.upid(), "slaves");
    assert_eq!(slaves, json!({"slaves": [], "recovered_slaves": []}));
}

#[test]
fn slaves_endpoint_two_slaves() {
    let _runtime = loopback_runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let _first = agent(&master);
    let _second = agent(&master);
    let slaves = get_json(master.pid.upid(), "slaves");
    assert_eq!(slaves["slaves"].as_array().map(Vec::len), Some(2));
}

#[test]
fn state_endpoint() {
    let _runtime = loopback_runtime();
    let mut flags = create_master_flags();
    flags.hostname = Some("localhost".into());
    flags.cluster = Some("test-cluster".into());
    Clock::pause();
    let master = Master::start(flags).expect("the master starts");
    let state = get_json(master.pid.upid(), "state");
    // The name older tools use answers the same.
    assert_eq!(get_json(master.pid.upid(), "state.json")["id"], state["id"]);

    let build = mesos::version::build();
    assert_eq!(state["version"], mesos::MESOS_VERSION);
    assert_eq!(state["build_date"], build.date);
    assert_eq!(state["build_time"], build.time);
    assert_eq!(state["build_user"], build.user);
    assert_eq!(
        state["start_time"].as_f64().map(|t| t as i64),
        Some(Clock::now().secs() as i64)
    );
    assert_ne!(state["id"], "");
    assert!(state["id"].is_string());
    assert_eq!(state["pid"], master.pid.to_string());
    assert_eq!(state["hostname"], "localhost");
    assert_eq!(state["leader_info"]["hostname"], "localhost");
    assert_eq!(
        state["leader_info"]["port"],
        master.pid.upid().address().port()
    );
    assert_eq!(state["activated_slaves"], 0.0);
    assert_eq!(state["deactivated_slaves"], 0.0);
    assert_eq!(state["cluster"], "test-cluster");
    assert!(state["flags"].as_object().is_some_and(|f| !f.is_empty()));
    for empty in [
        "slaves",
        "orphan_tasks",
        "frameworks",
        "completed_frameworks",
        "unregistered_frameworks",
    ] {
        assert_eq!(state[empty], json!([]), "{}", empty);
    }
    let capabilities = state["capabilities"].as_array().expect("capabilities");
    for expected in ["AGENT_UPDATE", "AGENT_DRAINING", "QUOTA_V2"] {
        assert!(capabilities.contains(&json!(expected)), "{}", expected);
    }
}

#[test]
fn state_summary_endpoint() {
    let _runtime = loopback_runtime();
    let mut flags = create_master_flags();
    flags.hostname = Some("localhost".into());
    flags.cluster = Some("test-cluster".into());
    let running = RunningTask::start(flags);

    running
        .exec
        .kill_task
        .will_once(send_status_update_from_task_id(TaskState::TaskKilled));
    let status = running.sched.status_update.future();
    running.driver.kill_task(TaskId { value: "1".into() });
    assert_eq!(await_ready(&status).state(), TaskState::TaskKilled);

    let state = get_json(running.master.pid.upid(), "state-summary");
    assert_eq!(state["hostname"], "localhost");
    assert_eq!(state["cluster"], "test-cluster");
    assert_eq!(state["slaves"].as_array().map(Vec::len), Some(1));
    assert_eq!(state["slaves"][0]["TASK_RUNNING"], 0);
    assert_eq!(state["slaves"][0]["TASK_KILLED"], 1);
    assert_eq!(state["frameworks"].as_array().map(Vec::len), Some(1));
    assert_eq!(state["frameworks"][0]["TASK_RUNNING"], 0);
    assert_eq!(state["frameworks"][0]["TASK_KILLED"], 1);
}

/// Whether every key of `part` is in `whole` with an equal value
/// (recursively for objects; Mesos' `JSON::Value::contains`).
fn contains(whole: &Value, part: &Value) -> bool {
    stout::json::contains(whole, part)
}

#[test]
fn tasks_endpoint() {
    let _runtime = loopback_runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let (_slave, exec) = agent(&master);
    let (driver, sched) = scheduler(&master);
    let registered = sched.registered.future();
    let offers = sched.resource_offers.future();
    driver.start();
    let (framework_id, _) = await_ready(&registered);
    let offer = await_ready(&offers).into_iter().next().expect("an offer");

    let task = |id: &str, name: &str| TaskInfo {
        name: name.to_string(),
        task_id: TaskId { value: id.into() },
        slave_id: offer.slave_id.clone(),
        resources: Resources::parse("cpus:0.1;mem:12")
            .expect("resources")
            .to_vec(),
        executor: Some(default_executor_info()),
        ..TaskInfo::default()
    };
    let mut task1 = task("1", "test1");
    task1
        .limits
        .insert("cpus".into(), mesos::value::Scalar { value: 0.5 });
    task1
        .limits
        .insert("mem".into(), mesos::value::Scalar { value: 64.0 });
    let task2 = task("2", "test2");

    exec.launch_task
        .will_repeatedly(send_status_update_from_task(TaskState::TaskRunning));
    let statuses = [sched.status_update.future(), sched.status_update.future()];
    driver.launch_tasks(
        vec![offer.id.clone()],
        vec![task1, task2],
        mesos::Filters::default(),
    );
    for status in statuses {
        let status = await_ready(&status);
        assert_eq!(status.state(), TaskState::TaskRunning);
        assert_eq!(status.executor_id.as_ref(), Some(&exec.id));
    }

    let tasks = get_json(master.pid.upid(), "tasks");
    let expected = |id: &str, name: &str| {
        let mut task = json!({
            "executor_id": "default",
            "framework_id": framework_id.value,
            "id": id,
            "name": name,
            "state": "TASK_RUNNING",
        });
        if id == "1" {
            task["limits"] = json!({"cpus": 0.5, "mem": 64.0});
        }
        task
    };
    // In either order.
    let array = tasks["tasks"].as_array().expect("tasks");
    assert_eq!(array.len(), 2);
    let (one, two) = (expected("1", "test1"), expected("2", "test2"));
    assert!(
        (contains(&array[0], &one) && contains(&array[1], &two))
            || (contains(&array[0], &two) && contains(&array[1], &one)),
        "{}",
        tasks
    );

    let response = crate::http_helpers::get(
        master.pid.upid(),
        "tasks",
        Some(&format!("task_id=1&framework_id={}", framework_id.value)),
    );
    assert_eq!(response.code, 200);
    let one: Value = serde_json::from_slice(&response.body_bytes()).expect("JSON");
    assert_eq!(one["tasks"].as_array().map(Vec::len), Some(1));
    assert!(contains(&one["tasks"][0], &expected("1", "test1")));

    driver.stop(false);
    driver.join();
}

#[test]
fn frameworks_endpoint_without_frameworks() {
    let _runtime = loopback_runtime();
    let mut flags = create_master_flags();
    flags.hostname = Some("localhost".into());
    flags.cluster = Some("test-cluster".into());
    Clock::pause();
    let master = Master::start(flags).expect("the master starts");
    let frameworks = get_json(master.pid.upid(), "frameworks");
    for empty in [
        "frameworks",
        "completed_frameworks",
        "unregistered_frameworks",
    ] {
        assert_eq!(frameworks[empty], json!([]), "{}", empty);
    }
}

#[test]
fn frameworks_endpoint_multiple_frameworks() {
    let _runtime = loopback_runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let _agent = agent(&master);
    let (driver1, sched1) = scheduler(&master);
    let (driver2, sched2) = scheduler(&master);
    let registered1 = sched1.registered.future();
    let registered2 = sched2.registered.future();
    driver1.start();
    driver2.start();
    let (id1, _) = await_ready(&registered1);
    let (id2, _) = await_ready(&registered2);

    let frameworks = get_json(master.pid.upid(), "frameworks");
    let array = frameworks["frameworks"].as_array().expect("frameworks");
    assert_eq!(array.len(), 2);
    let named = |id: &mesos::FrameworkId| json!({"id": id.value, "name": "default"});
    assert!(
        (contains(&array[0], &named(&id1)) && contains(&array[1], &named(&id2)))
            || (contains(&array[0], &named(&id2)) && contains(&array[1], &named(&id1)))
    );

    let response = crate::http_helpers::get(
        master.pid.upid(),
        "frameworks",
        Some(&format!("framework_id={}", id1.value)),
    );
    let one: Value = serde_json::from_slice(&response.body_bytes()).expect("JSON");
    assert_eq!(one["frameworks"].as_array().map(Vec::len), Some(1));
    assert!(contains(&one["frameworks"][0], &named(&id1)));

    // Torn down, the framework is a completed one.
    driver1.stop(false);
    driver1.join();
    let completed = crate::http_helpers::get(
        master.pid.upid(),
        "frameworks",
        Some(&format!("framework_id={}", id1.value)),
    );
    let completed: Value = serde_json::from_slice(&completed.body_bytes()).expect("JSON");
    assert_eq!(completed["frameworks"], json!([]));
    assert_eq!(
        completed["completed_frameworks"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(contains(
        &completed["completed_frameworks"][0],
        &named(&id1)
    ));

    driver2.stop(false);
    driver2.join();
}

#[test]
fn master_info() {
    let _runtime = loopback_runtime();
    let mut flags = create_master_flags();
    flags.domain = Some(json!({
        "fault_domain": {"region": {"name": "region-abc"}, "zone": {"name": "zone-xyz"}}
    }));
    let master = Master::start(flags).expect("the master starts");
    let _agent = agent(&master);
    let (driver, sched) = scheduler(&master);
    let registered = sched.registered.future();
    driver.start();
    let (_, info) = await_ready(&registered);
    let domain = info.domain.and_then(|d| d.fault_domain).expect("a domain");
    assert_eq!(domain.region.name, "region-abc");
    assert_eq!(domain.zone.name, "zone-xyz");
    let address = master.pid.upid().address();
    assert_eq!(info.port, u32::from(address.port()));
    assert_eq!(
        std::net::Ipv4Addr::from(info.ip.to_ne_bytes()),
        *address.ip()
    );
    driver.stop(false);
    driver.join();
}
