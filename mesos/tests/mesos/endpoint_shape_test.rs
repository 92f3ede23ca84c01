//! Our endpoints' JSON against captures of a real Mesos: for every object
//! both have, the same keys and the same kinds of values, so that a
//! change of shape shows up here.

use libprocess::testing::await_ready;
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{create_task, default_framework_info, MockScheduler};
use mesos::v1::master::{call, Call};
use mesos::{Filters, Resources, TaskState};
use serde_json::Value;

use crate::http_helpers::{
    get_json, loopback_runtime, post, reference, shape_differences, RunningTask,
};

/// Objects keyed by data (resource names, attributes, flags, roles), and
/// lists of resources whose first element's kind depends on the data.
const DATA_KEYED: &[&str] = &[
    "used_resources_full",
    "unreserved_resources_full",
    "offered_resources_full",
    "total_resources",
    "allocated_resources",
    "attributes",
    "flags",
    "resources",
    "used_resources",
    "offered_resources",
    "reserved_resources",
    "unreserved_resources",
    "reserved_resources_full",
    "allocated",
    "offered",
    "reserved",
    "consumed",
    "guarantee",
    "limit",
];

/// Differences that come from what the test runs rather than from the
/// shape: the test containerizer reports no container status, the
/// default framework is a driver framework (a pid) with a principal,
/// and the captured one an HTTP framework without either; ours is
/// multi-role (`roles`), the captured one is not (`role`); the driver
/// fills in the hostname; our task has an executor, the captured one was
/// a command task; the test agent has no attributes.
const DATA_DEPENDENT: &[&str] = &[
    ".get_state.get_agents.agents[].agent_info: -attributes",
    ".get_state.get_frameworks.frameworks[].framework_info: -role",
    ".get_state.get_frameworks.frameworks[].framework_info: +hostname",
    ".get_state.get_frameworks.frameworks[].framework_info: +principal",
    ".get_state.get_frameworks.frameworks[].framework_info: +roles",
    ".get_state.get_tasks.tasks[]: +executor_id",
    ".get_state.get_tasks.tasks[].statuses[].container_status: -executor_pid",
    ".frameworks[]: -role",
    ".frameworks[]: +roles",
    ".frameworks[].tasks[].statuses[]: -container_status",
    ".completed_frameworks[].completed_tasks[].statuses[]: -container_status",
    ".frameworks[]: +pid",
    ".frameworks[]: +principal",
    ".frameworks[]: +reregistered_time",
    ".completed_frameworks[]: +principal",
];

fn assert_shape(ours: &Value, name: &str) {
    let differences: Vec<String> = shape_differences(ours, &reference(name), DATA_KEYED)
        .into_iter()
        .filter(|d| !DATA_DEPENDENT.contains(&d.as_str()))
        .collect();
    assert!(differences.is_empty(), "{}: {:#?}", name, differences);
}

#[test]
fn master_endpoints_match_mesos() {
    let _runtime = loopback_runtime();
    let running = RunningTask::with_defaults();
    let master = running.master.pid.upid().clone();
    for (path, name) in [
        ("state", "master_master_state.json"),
        ("state-summary", "master_master_state-summary.json"),
        ("frameworks", "master_master_frameworks.json"),
        ("slaves", "master_master_slaves.json"),
        ("tasks", "master_master_tasks.json"),
        ("roles", "master_master_roles.json"),
    ] {
        assert_shape(&get_json(&master, path), name);
    }
    let call = mesos::json::jsonify(&v1_call(call::Type::GetState));
    let json = Some("application/json");
    let response = post(&master, "api/v1", call, json, json);
    let state: Value = serde_json::from_slice(&response.body_bytes()).expect("JSON");
    assert_shape(&state, "master_api_v1_GET_STATE.json");

    mesos::version::spawn();
    let version = libprocess::UPID::new("version", master.address());
    assert_shape(&get_json(&version, ""), "master_version.json");
    let call = mesos::json::jsonify(&v1_call(call::Type::GetVersion));
    let response = post(&master, "api/v1", call, json, json);
    let version: Value = serde_json::from_slice(&response.body_bytes()).expect("JSON");
    assert_shape(&version, "master_api_v1_GET_VERSION.json");
}

fn v1_call(kind: call::Type) -> Call {
    let mut call = Call::default();
    call.set_type(kind);
    call
}

/// What the agent shows of a driver framework that Mesos' capture, of a
/// `mesos-execute` framework, lacks or has otherwise: ours is multi-role
/// (`roles`, not `role`) and has a principal; the driver fills in the
/// hostname.
const AGENT_DATA_DEPENDENT: &[&str] = &[
    ".frameworks[]: -role",
    ".frameworks[]: +roles",
    ".frameworks[]: +principal",
    ".get_state.get_frameworks.frameworks[].framework_info: -role",
    ".get_state.get_frameworks.frameworks[].framework_info: +roles",
    ".get_state.get_frameworks.frameworks[].framework_info: +principal",
    ".get_state.get_frameworks.frameworks[].framework_info: +hostname",
];

/// The agent's endpoints while a command task runs under the Mesos
/// containerizer, as in the capture.
#[test]
fn agent_endpoints_match_mesos() {
    let _runtime = loopback_runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let slave = Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");
    let sched = MockScheduler::new();
    let driver = MesosSchedulerDriver::with_detector(
        sched.clone(),
        default_framework_info(),
        master.create_detector(),
        true,
    );
    let offers = sched.resource_offers.future();
    driver.start();
    let offer = await_ready(&offers).into_iter().next().expect("an offer");
    let mut task = create_task(&offer, "sleep 1000");
    task.resources = Resources::parse("cpus:1;mem:128")
        .expect("resources")
        .to_vec();
    let starting = sched.status_update.future();
    let running = sched.status_update.future();
    driver.launch_tasks(vec![offer.id.clone()], vec![task], Filters::default());
    await_ready(&starting);
    assert_eq!(await_ready(&running).state(), TaskState::TaskRunning);

    let agent = slave.pid.upid().clone();
    let assert_agent_shape = |ours: &Value, name: &str| {
        let differences: Vec<String> = shape_differences(ours, &reference(name), DATA_KEYED)
            .into_iter()
            .filter(|d| !AGENT_DATA_DEPENDENT.contains(&d.as_str()))
            .collect();
        assert!(differences.is_empty(), "{}: {:#?}", name, differences);
    };
    for (path, name) in [
        ("state", "agent_slave_1__state.json"),
        ("flags", "agent_slave_1__flags.json"),
        ("containers", "agent_containers.json"),
        ("monitor/statistics", "agent_monitor_statistics.json"),
    ] {
        assert_agent_shape(&get_json(&agent, path), name);
    }
    let mut call = mesos::v1::agent::Call::default();
    call.set_type(mesos::v1::agent::call::Type::GetState);
    let json = Some("application/json");
    let response = post(&agent, "api/v1", mesos::json::jsonify(&call), json, json);
    let state: Value = serde_json::from_slice(&response.body_bytes()).expect("JSON");
    assert_agent_shape(&state, "agent_api_v1_GET_STATE.json");
    driver.stop(false);
    driver.join();
}
