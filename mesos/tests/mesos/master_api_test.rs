//! Mesos' `MasterAPITest`: the v1 operator API at `/master/api/v1`, each
//! call in protobuf and in JSON; and the answers to calls the API
//! refuses (content types, bodies, methods, unknown calls).

use std::sync::Arc;

use libprocess::testing::await_ready;
use libprocess::Clock;
use mesos::common::http::ContentType;
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{
    default_executor_info, default_framework_info, send_status_update_from_task_id, MockExecutor,
    MockScheduler, TestContainerizer,
};
use mesos::v1::master::{call, response, Call, Response};
use mesos::{Resources, TaskId, TaskState};
use serde_json::Value;

use crate::http_helpers::{
    future_acknowledgement, loopback_runtime, post, post_call, RunningTask, CONTENT_TYPES,
};

/// `MasterAPITest::CreateMasterFlags`: no batch allocations in the way.
fn master_flags() -> mesos::master::Flags {
    let mut flags = create_master_flags();
    flags.allocation_interval = stout::Duration::from_secs(1000);
    flags
}

fn v1_call(kind: call::Type) -> Call {
    let mut call = Call::default();
    call.set_type(kind);
    call
}

/// Posts a call of `kind` to the master: the response, of type `kind`'s.
fn ask(master: &Master, kind: call::Type, content_type: ContentType) -> Response {
    ask_call(master, &v1_call(kind), content_type)
}

fn ask_call(master: &Master, call: &Call, content_type: ContentType) -> Response {
    post_call(master.pid.upid(), "api/v1", call, content_type)
}

#[test]
fn get_health() {
    let _runtime = loopback_runtime();
    let master = Master::start(master_flags()).expect("the master starts");
    for content_type in CONTENT_TYPES {
        let response = ask(&master, call::Type::GetHealth, content_type);
        assert_eq!(response.r#type(), response::Type::GetHealth);
        assert!(response.get_health.expect("get_health").healthy);
    }
}

#[test]
fn get_flags() {
    let _runtime = loopback_runtime();
    let master = Master::start(master_flags()).expect("the master starts");
    for content_type in CONTENT_TYPES {
        let response = ask(&master, call::Type::GetFlags, content_type);
        assert_eq!(response.r#type(), response::Type::GetFlags);
        let flags = response.get_flags.expect("get_flags").flags;
        let registry = flags.iter().find(|f| f.name == "registry");
        assert_eq!(registry.and_then(|f| f.value.as_deref()), Some("in_memory"));
    }
}

#[test]
fn get_version() {
    let _runtime = loopback_runtime();
    let master = Master::start(master_flags()).expect("the master starts");
    for content_type in CONTENT_TYPES {
        let response = ask(&master, call::Type::GetVersion, content_type);
        assert_eq!(response.r#type(), response::Type::GetVersion);
        let version = response.get_version.expect("get_version").version_info;
        assert_eq!(version.version, mesos::MESOS_VERSION);
    }
}

#[test]
fn get_metrics() {
    let _runtime = loopback_runtime();
    let master = Master::start(master_flags()).expect("the master starts");
    for content_type in CONTENT_TYPES {
        let mut call = v1_call(call::Type::GetMetrics);
        call.get_metrics = Some(call::GetMetrics {
            timeout: Some(mesos::v1::DurationInfo {
                nanoseconds: stout::Duration::from_secs(5).ns(),
            }),
        });
        let response = ask_call(&master, &call, content_type);
        assert_eq!(response.r#type(), response::Type::GetMetrics);
        let metrics = response.get_metrics.expect("get_metrics").metrics;
        assert!(metrics.iter().all(|m| m.value.is_some()));
        assert!(metrics.iter().any(|m| m.name == "master/uptime_secs"));
    }
}

#[test]
fn get_agents() {
    let _runtime = loopback_runtime();
    let running = RunningTask::start(master_flags());
    for content_type in CONTENT_TYPES {
        let response = ask(&running.master, call::Type::GetAgents, content_type);
        assert_eq!(response.r#type(), response::Type::GetAgents);
        let agents = response.get_agents.expect("get_agents").agents;
        assert_eq!(agents.len(), 1);
        let agent = &agents[0];
        assert_eq!(
            agent.pid.as_deref(),
            Some(running.slave.pid.to_string().as_str())
        );
        assert!(agent.active);
        assert_eq!(agent.version, mesos::MESOS_VERSION);
        // cpus, mem, disk and ports of the test flags (`gpus:0` is none).
        assert_eq!(agent.total_resources.len(), 4);
        assert!(agent.resource_providers.is_empty());
    }
}

#[test]
fn get_frameworks() {
    let _runtime = loopback_runtime();
    let master = Master::start(master_flags()).expect("the master starts");
    let sched = MockScheduler::new();
    let driver = MesosSchedulerDriver::with_detector(
        sched.clone(),
        default_framework_info(),
        master.create_detector(),
        true,
    );
    let registered = sched.registered.future();
    driver.start();
    await_ready(&registered);
    for content_type in CONTENT_TYPES {
        let response = ask(&master, call::Type::GetFrameworks, content_type);
        assert_eq!(response.r#type(), response::Type::GetFrameworks);
        let frameworks = response.get_frameworks.expect("get_frameworks").frameworks;
        assert_eq!(frameworks.len(), 1);
        let framework = &frameworks[0];
        assert_eq!(framework.framework_info.name, "default");
        assert_eq!(framework.framework_info.roles, vec!["*".to_string()]);
        assert!(!framework.framework_info.checkpoint());
        assert!(framework.active);
        assert!(framework.connected);
        assert!(!framework.recovered);
    }
    driver.stop(false);
    driver.join();
}

#[test]
fn get_executors() {
    let _runtime = loopback_runtime();
    let running = RunningTask::start(master_flags());
    for content_type in CONTENT_TYPES {
        let response = ask(&running.master, call::Type::GetExecutors, content_type);
        assert_eq!(response.r#type(), response::Type::GetExecutors);
        let executors = response.get_executors.expect("get_executors").executors;
        assert_eq!(executors.len(), 1);
        assert_eq!(executors[0].agent_id.value, running.slave_id().value);
        assert_eq!(
            executors[0].executor_info.executor_id.value,
            running.exec.id.value
        );
    }
}

#[test]
fn get_state() {
    let _runtime = loopback_runtime();
    let running = RunningTask::start(master_flags());
    let state = |content_type| {
        let response = ask(&running.master, call::Type::GetState, content_type);
        assert_eq!(response.r#type(), response::Type::GetState);
        response.get_state.expect("get_state")
    };
    for content_type in CONTENT_TYPES {
        let state = state(content_type);
        assert_eq!(
            state.get_frameworks.expect("frameworks").frameworks.len(),
            1
        );
        assert_eq!(state.get_agents.expect("agents").agents.len(), 1);
        let tasks = state.get_tasks.expect("tasks");
        assert_eq!(tasks.tasks.len(), 1);
        assert!(tasks.completed_tasks.is_empty());
        assert_eq!(state.get_executors.expect("executors").executors.len(), 1);
    }

    running
        .exec
        .kill_task
        .will_once(send_status_update_from_task_id(TaskState::TaskKilled));
    let status = running.sched.status_update.future();
    let acknowledgement = future_acknowledgement(running.slave.pid.upid());
    running.driver.kill_task(TaskId { value: "1".into() });
    assert_eq!(await_ready(&status).state(), TaskState::TaskKilled);
    await_ready(&acknowledgement);
    for content_type in CONTENT_TYPES {
        let tasks = state(content_type).get_tasks.expect("tasks");
        assert!(tasks.tasks.is_empty());
        assert_eq!(tasks.completed_tasks.len(), 1);
    }
}

#[test]
#[allow(deprecated)] // `pending_tasks`, which Mesos' test checks too.
fn get_tasks_no_running_task() {
    let _runtime = loopback_runtime();
    let master = Master::start(master_flags()).expect("the master starts");
    for content_type in CONTENT_TYPES {
        let response = ask(&master, call::Type::GetTasks, content_type);
        assert_eq!(response.r#type(), response::Type::GetTasks);
        let tasks = response.get_tasks.expect("get_tasks");
        assert!(tasks.pending_tasks.is_empty());
        assert!(tasks.tasks.is_empty());
        assert!(tasks.completed_tasks.is_empty());
    }
}

#[test]
fn get_tasks() {
    let _runtime = loopback_runtime();
    let running = RunningTask::start(master_flags());
    for content_type in CONTENT_TYPES {
        let response = ask(&running.master, call::Type::GetTasks, content_type);
        let tasks = response.get_tasks.expect("get_tasks");
        assert_eq!(tasks.tasks.len(), 1);
        assert_eq!(tasks.tasks[0].task_id.value, "1");
        assert_eq!(tasks.tasks[0].state(), mesos::v1::TaskState::TaskRunning);
        assert!(tasks.completed_tasks.is_empty());
    }
}

#[test]
fn get_roles() {
    let _runtime = loopback_runtime();
    let mut flags = master_flags();
    flags.roles = Some("role1".into());
    flags.weights = Some("role1=2.5".into());
    let master = Master::start(flags).expect("the master starts");
    let exec = MockExecutor::new(default_executor_info().executor_id);
    let _slave = Slave::start_with(
        master.create_detector(),
        Arc::new(TestContainerizer::new(&exec)),
        |flags| {
            flags.resources = Some(
                "cpus(role1):0.5;mem(role1):512;ports(role1):[31000-31001];\
                 disk(role1):1024;gpus(role1):0"
                    .into(),
            )
        },
    )
    .expect("the agent starts");
    let mut info = default_framework_info();
    info.roles = vec!["role1".into()];
    let sched = MockScheduler::new();
    let driver =
        MesosSchedulerDriver::with_detector(sched.clone(), info, master.create_detector(), true);
    let offers = sched.resource_offers.future();
    driver.start();
    await_ready(&offers);
    for content_type in CONTENT_TYPES {
        let response = ask(&master, call::Type::GetRoles, content_type);
        assert_eq!(response.r#type(), response::Type::GetRoles);
        let roles = response.get_roles.expect("get_roles").roles;
        assert_eq!(roles.len(), 2);
        assert_eq!(roles[1].name, "role1");
        assert_eq!(roles[1].weight, 2.5);
        let resources: Vec<mesos::Resource> = roles[1]
            .resources
            .iter()
            .map(|r| mesos::common::evolve::devolve(r).expect("v0"))
            .collect();
        assert_eq!(
            Resources::from(resources.as_slice()),
            Resources::parse("cpus:0.5; disk:1024; mem:512").expect("resources")
        );
    }
    driver.stop(false);
    driver.join();
}

#[test]
fn get_master() {
    let _runtime = loopback_runtime();
    let mut flags = master_flags();
    flags.domain = Some(serde_json::json!({
        "fault_domain": {"region": {"name": "region-abc"}, "zone": {"name": "zone-123"}}
    }));
    let master = Master::start(flags).expect("the master starts");
    let ip = u32::from_ne_bytes(master.pid.upid().address().ip().octets());
    Clock::pause();
    Clock::advance(stout::Duration::from_secs(1));
    for content_type in CONTENT_TYPES {
        let response = ask(&master, call::Type::GetMaster, content_type);
        assert_eq!(response.r#type(), response::Type::GetMaster);
        let get_master = response.get_master.expect("get_master");
        let info = get_master.master_info.expect("master_info");
        let domain = info.domain.and_then(|d| d.fault_domain).expect("domain");
        assert_eq!(domain.region.name, "region-abc");
        assert_eq!(info.ip, ip);
        let now = Clock::now().secs();
        assert!(get_master.start_time.is_some_and(|t| t < now));
        assert!(get_master.elected_time.is_some_and(|t| t < now));
    }
}

/// The JSON lists the arrays Mesos always writes, empty ones too.
#[test]
fn get_state_json_lists_empty_arrays() {
    let _runtime = loopback_runtime();
    let master = Master::start(master_flags()).expect("the master starts");
    let call = mesos::json::jsonify(&v1_call(call::Type::GetState));
    let response = post(
        master.pid.upid(),
        "api/v1",
        call,
        Some("application/json"),
        Some("application/json"),
    );
    let json: Value = serde_json::from_slice(&response.body_bytes()).expect("JSON");
    let state = &json["get_state"];
    assert_eq!(state["get_tasks"]["completed_tasks"], serde_json::json!([]));
    assert_eq!(
        state["get_agents"]["recovered_agents"],
        serde_json::json!([])
    );
    assert_eq!(state["get_executors"]["executors"], serde_json::json!([]));
}

/// What the API answers to what it cannot take: Mesos' codes and texts.
#[test]
fn bad_requests() {
    let _runtime = loopback_runtime();
    let master = Master::start(master_flags()).expect("the master starts");
    let pid = master.pid.upid();
    let json = Some("application/json");
    let health = mesos::json::jsonify(&v1_call(call::Type::GetHealth));
    let cases: Vec<(libprocess::http::Response, u16, &str)> = vec![
        (
            post(pid, "api/v1", health.clone(), None, json),
            400,
            "Expecting 'Content-Type' to be present",
        ),
        (
            post(pid, "api/v1", "{", json, json),
            400,
            "Failed to parse body into JSON: ",
        ),
        (
            post(pid, "api/v1", r#"{"type": 1}"#, json, json),
            400,
            "Failed to convert JSON into Call protobuf: ",
        ),
        (
            post(
                pid,
                "api/v1",
                vec![0xff, 0xff],
                Some("application/x-protobuf"),
                json,
            ),
            400,
            "Failed to parse body into Call protobuf",
        ),
        (
            post(pid, "api/v1", health.clone(), Some("text/plain"), json),
            415,
            "Expecting 'Content-Type' of application/json or application/x-protobuf",
        ),
        (
            post(pid, "api/v1", health.clone(), json, Some("text/html")),
            406,
            "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
        ),
        (
            post(pid, "api/v1", "{}", json, json),
            400,
            "Failed to validate master::Call: Expecting 'type' to be present",
        ),
        (
            post(pid, "api/v1", r#"{"type": "GET_METRICS"}"#, json, json),
            400,
            "Failed to validate master::Call: Expecting 'get_metrics' to be present",
        ),
        (
            post(pid, "api/v1", r#"{"type": "UNKNOWN"}"#, json, json),
            501,
            "501 Not Implemented.",
        ),
        (
            crate::http_helpers::get(pid, "api/v1", None),
            405,
            "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.",
        ),
    ];
    for (response, code, body) in cases {
        let text = String::from_utf8_lossy(&response.body_bytes()).into_owned();
        assert_eq!(response.code, code, "{}", text);
        assert!(text.starts_with(body), "{:?} is not {:?}", text, body);
    }
}
