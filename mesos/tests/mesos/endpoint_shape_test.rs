//! Our endpoints' JSON against captures of a real Mesos: for every object
//! both have, the same keys and the same kinds of values, so that a
//! change of shape shows up here.

use mesos::v1::master::{call, Call};
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
