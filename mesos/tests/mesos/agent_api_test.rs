//! Mesos' `AgentAPITest` (`src/tests/api_tests.cpp`): the v1 operator
//! API at `/slave(1)/api/v1`, each call in protobuf and in JSON; and the
//! answers to calls the API refuses (headers, bodies, methods, calls not
//! served yet).

use std::sync::Arc;

use libprocess::http::Response as HttpResponse;
use libprocess::testing::{await_ready, future_dispatch, ANY};
use libprocess::Clock;
use mesos::common::http::ContentType;
use mesos::master::detector::StandaloneMasterDetector;
use mesos::slave::flags::JsonFlag;
use mesos::testing::cluster::Slave;
use mesos::testing::{send_status_update_from_task, TestContainerizer};
use mesos::v1::agent::{call, response, Call, Response};
use mesos::{network_info, ContainerStatus, NetworkInfo, ResourceStatistics, TaskState};
use serde_json::Value;

use crate::cluster_helpers as ch;
use crate::http_helpers::{get, loopback_runtime, post, post_call, RunningTask, CONTENT_TYPES};

fn v1_call(kind: call::Type) -> Call {
    let mut call = Call::default();
    call.set_type(kind);
    call
}

fn ask(slave: &Slave, kind: call::Type, content_type: ContentType) -> Response {
    ask_call(slave, &v1_call(kind), content_type)
}

fn ask_call(slave: &Slave, call: &Call, content_type: ContentType) -> Response {
    post_call(slave.pid.upid(), "api/v1", call, content_type)
}

/// An agent without a master, once it recovered (Mesos' tests wait for
/// `Slave::__recover`, then settle the paused clock).
fn recovered_agent() -> Slave {
    let recovered = future_dispatch(ANY, mesos::slave::Slave::recovered);
    let exec = ch::default_exec();
    let slave = Slave::start(
        Arc::new(StandaloneMasterDetector::new()),
        Arc::new(TestContainerizer::new(&exec)),
    )
    .expect("the agent starts");
    await_ready(&recovered);
    Clock::pause();
    Clock::settle();
    slave
}

#[test]
fn get_flags() {
    let _runtime = loopback_runtime();
    let slave = recovered_agent();
    for content_type in CONTENT_TYPES {
        let response = ask(&slave, call::Type::GetFlags, content_type);
        assert_eq!(response.r#type(), response::Type::GetFlags);
        let flags = response.get_flags.expect("get_flags").flags;
        let switch_user = flags.iter().find(|f| f.name == "switch_user");
        assert_eq!(switch_user.and_then(|f| f.value.as_deref()), Some("false"));
    }
}

#[test]
fn get_health() {
    let _runtime = loopback_runtime();
    let slave = recovered_agent();
    for content_type in CONTENT_TYPES {
        let response = ask(&slave, call::Type::GetHealth, content_type);
        assert_eq!(response.r#type(), response::Type::GetHealth);
        assert!(response.get_health.expect("get_health").healthy);
    }
}

#[test]
fn get_version() {
    let _runtime = loopback_runtime();
    let slave = recovered_agent();
    for content_type in CONTENT_TYPES {
        let response = ask(&slave, call::Type::GetVersion, content_type);
        assert_eq!(response.r#type(), response::Type::GetVersion);
        let version = response.get_version.expect("get_version").version_info;
        assert_eq!(version.version, mesos::MESOS_VERSION);
    }
}

#[test]
fn get_metrics() {
    let _runtime = loopback_runtime();
    let slave = recovered_agent();
    for content_type in CONTENT_TYPES {
        let mut call = v1_call(call::Type::GetMetrics);
        call.get_metrics = Some(call::GetMetrics {
            timeout: Some(mesos::v1::DurationInfo {
                nanoseconds: stout::Duration::from_secs(5).ns(),
            }),
        });
        let response = ask_call(&slave, &call, content_type);
        assert_eq!(response.r#type(), response::Type::GetMetrics);
        let metrics = response.get_metrics.expect("get_metrics").metrics;
        assert!(metrics.iter().all(|m| m.value.is_some()));
    }
}

#[test]
fn get_agent() {
    let _runtime = loopback_runtime();
    let recovered = future_dispatch(ANY, mesos::slave::Slave::recovered);
    let exec = ch::default_exec();
    let domain = mesos::DomainInfo {
        fault_domain: Some(mesos::domain_info::FaultDomain {
            region: mesos::domain_info::fault_domain::RegionInfo {
                name: "region-xyz".into(),
            },
            zone: mesos::domain_info::fault_domain::ZoneInfo {
                name: "zone-456".into(),
            },
        }),
    };
    let flag_domain = domain.clone();
    let slave = Slave::start_with(
        Arc::new(StandaloneMasterDetector::new()),
        Arc::new(TestContainerizer::new(&exec)),
        move |flags| {
            flags.hostname = Some("host".into());
            flags.domain = Some(JsonFlag(flag_domain));
        },
    )
    .expect("the agent starts");
    await_ready(&recovered);
    Clock::pause();
    Clock::settle();
    for content_type in CONTENT_TYPES {
        let response = ask(&slave, call::Type::GetAgent, content_type);
        assert_eq!(response.r#type(), response::Type::GetAgent);
        let info = response
            .get_agent
            .and_then(|a| a.agent_info)
            .expect("agent_info");
        assert_eq!(info.hostname, "host");
        let domain: mesos::v1::DomainInfo = mesos::common::evolve::evolve(&domain).expect("v1");
        assert_eq!(info.domain, Some(domain));
    }
}

#[test]
fn get_containers() {
    let _runtime = loopback_runtime();
    let master = ch::start_master();
    let exec = ch::default_exec();
    let (containerizer, slave) = ch::start_slave(&master, &exec);
    let sched = mesos::testing::MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);

    // No task launched: no container.
    for content_type in CONTENT_TYPES {
        let response = ask(&slave, call::Type::GetContainers, content_type);
        assert_eq!(response.r#type(), response::Type::GetContainers);
        assert!(response
            .get_containers
            .unwrap_or_default()
            .containers
            .is_empty());
    }

    let mut task = ch::task_on(&offers[0], "1");
    task.resources = mesos::Resources::parse("cpus:0.1;mem:32")
        .expect("resources")
        .to_vec();
    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let status = sched.status_update.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task],
        mesos::Filters::default(),
    );
    assert_eq!(await_ready(&status).state(), TaskState::TaskRunning);

    containerizer.will_report_usage(Ok(ResourceStatistics {
        mem_limit_bytes: Some(2048),
        timestamp: 0.0,
        ..ResourceStatistics::default()
    }));
    containerizer.will_report_status(ContainerStatus {
        network_infos: vec![NetworkInfo {
            ip_addresses: vec![network_info::IpAddress {
                ip_address: Some("192.168.1.20".into()),
                ..Default::default()
            }],
            ..NetworkInfo::default()
        }],
        ..ContainerStatus::default()
    });
    for content_type in CONTENT_TYPES {
        let response = ask(&slave, call::Type::GetContainers, content_type);
        assert_eq!(response.r#type(), response::Type::GetContainers);
        let containers = response.get_containers.expect("get_containers").containers;
        assert_eq!(containers.len(), 1);
        let status = containers[0].container_status.as_ref().expect("status");
        assert_eq!(
            status.network_infos[0].ip_addresses[0]
                .ip_address
                .as_deref(),
            Some("192.168.1.20")
        );
        let statistics = containers[0].resource_statistics.as_ref();
        assert_eq!(statistics.and_then(|s| s.mem_limit_bytes), Some(2048));
    }
    ch::stop(&driver);
}

#[test]
fn get_frameworks() {
    let _runtime = loopback_runtime();
    let running = RunningTask::with_defaults();
    for content_type in CONTENT_TYPES {
        let response = ask(&running.slave, call::Type::GetFrameworks, content_type);
        assert_eq!(response.r#type(), response::Type::GetFrameworks);
        let frameworks = response.get_frameworks.expect("get_frameworks");
        assert_eq!(frameworks.frameworks.len(), 1);
        assert_eq!(frameworks.frameworks[0].framework_info.name, "default");
        assert!(frameworks.completed_frameworks.is_empty());
    }

    // Once its executor terminated, the torn down framework is completed.
    let terminated = future_dispatch(ANY, mesos::slave::Slave::executor_terminated);
    running.driver.stop(false);
    running.driver.join();
    await_ready(&terminated);
    for content_type in CONTENT_TYPES {
        let response = ask(&running.slave, call::Type::GetFrameworks, content_type);
        let frameworks = response.get_frameworks.expect("get_frameworks");
        assert!(frameworks.frameworks.is_empty());
        assert_eq!(frameworks.completed_frameworks.len(), 1);
        assert_eq!(
            frameworks.completed_frameworks[0].framework_info.name,
            "default"
        );
    }
}

#[test]
fn get_executors() {
    let _runtime = loopback_runtime();
    let running = RunningTask::with_defaults();
    for content_type in CONTENT_TYPES {
        let response = ask(&running.slave, call::Type::GetExecutors, content_type);
        assert_eq!(response.r#type(), response::Type::GetExecutors);
        let executors = response.get_executors.expect("get_executors");
        assert_eq!(executors.executors.len(), 1);
        assert_eq!(
            executors.executors[0].executor_info.executor_id.value,
            running.exec.id.value
        );
        assert!(executors.completed_executors.is_empty());
    }
}

#[test]
fn get_tasks() {
    let _runtime = loopback_runtime();
    let running = RunningTask::with_defaults();
    for content_type in CONTENT_TYPES {
        let response = ask(&running.slave, call::Type::GetTasks, content_type);
        assert_eq!(response.r#type(), response::Type::GetTasks);
        let tasks = response.get_tasks.expect("get_tasks");
        assert!(tasks.pending_tasks.is_empty());
        assert!(tasks.queued_tasks.is_empty());
        assert_eq!(tasks.launched_tasks.len(), 1);
        assert_eq!(tasks.launched_tasks[0].task_id.value, "1");
        assert_eq!(
            tasks.launched_tasks[0].state(),
            mesos::v1::TaskState::TaskRunning
        );
        assert!(tasks.terminated_tasks.is_empty());
        assert!(tasks.completed_tasks.is_empty());
    }
}

#[test]
fn get_state() {
    let _runtime = loopback_runtime();
    let running = RunningTask::with_defaults();
    for content_type in CONTENT_TYPES {
        let response = ask(&running.slave, call::Type::GetState, content_type);
        assert_eq!(response.r#type(), response::Type::GetState);
        let state = response.get_state.expect("get_state");
        let frameworks = state.get_frameworks.expect("get_frameworks");
        assert_eq!(frameworks.frameworks.len(), 1);
        let executors = state.get_executors.expect("get_executors");
        assert_eq!(executors.executors.len(), 1);
        let tasks = state.get_tasks.expect("get_tasks");
        assert_eq!(tasks.launched_tasks.len(), 1);
        assert_eq!(tasks.launched_tasks[0].task_id.value, "1");
    }
}

/// The JSON lists the arrays Mesos always writes, empty ones too.
#[test]
fn get_state_json_lists_empty_arrays() {
    let _runtime = loopback_runtime();
    let slave = recovered_agent();
    let call = mesos::json::jsonify(&v1_call(call::Type::GetState));
    let json = Some("application/json");
    let response = post(slave.pid.upid(), "api/v1", call, json, json);
    let json: Value = serde_json::from_slice(&response.body_bytes()).expect("JSON");
    let state = &json["get_state"];
    for tasks in [
        "pending_tasks",
        "queued_tasks",
        "launched_tasks",
        "terminated_tasks",
        "completed_tasks",
    ] {
        assert_eq!(
            state["get_tasks"][tasks],
            serde_json::json!([]),
            "{}",
            tasks
        );
    }
    assert_eq!(
        state["get_executors"]["completed_executors"],
        serde_json::json!([])
    );
    assert_eq!(state["get_frameworks"]["frameworks"], serde_json::json!([]));
}

/// `AgentAPITest.DefaultAccept`: without an `Accept` header the answer
/// is JSON.
#[test]
fn default_accept() {
    let _runtime = loopback_runtime();
    let slave = recovered_agent();
    let call = mesos::json::jsonify(&v1_call(call::Type::GetState));
    let response = post(
        slave.pid.upid(),
        "api/v1",
        call,
        Some("application/json"),
        None,
    );
    assert_eq!(response.code, 200);
    assert_eq!(
        response.headers.get("Content-Type"),
        Some("application/json")
    );
}

fn post_with(slave: &Slave, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    let mut map = libprocess::http::Headers::new();
    for (name, value) in headers {
        map.insert(*name, *value);
    }
    let content_type = headers
        .iter()
        .find(|(name, _)| *name == "Content-Type")
        .map(|(_, value)| *value);
    await_ready(&libprocess::http::post(
        slave.pid.upid(),
        "api/v1",
        map,
        Some(bytes::Bytes::from(body.to_string())),
        content_type,
    ))
}

/// `AgentAPITest.HeaderValidation` and what else the API refuses: Mesos'
/// codes and texts.
#[test]
fn bad_requests() {
    let _runtime = loopback_runtime();
    let slave = recovered_agent();
    let pid = slave.pid.upid();
    let json = Some("application/json");
    let health = mesos::json::jsonify(&v1_call(call::Type::GetHealth));
    let health = health.as_str();
    let recordio = "application/recordio";
    let cases: Vec<(HttpResponse, u16, &str)> = vec![
        (
            post(pid, "api/v1", health.to_string(), None, json),
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
            "Not expecting a JSON number for field 'type'",
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
            "Failed to parse body into a protobuf object",
        ),
        (
            post(pid, "api/v1", health.to_string(), Some("text/plain"), json),
            415,
            "Expecting 'Content-Type' of application/json or application/x-protobuf or \
             application/recordio",
        ),
        (
            post(pid, "api/v1", health.to_string(), json, Some("text/html")),
            406,
            "Expecting 'Accept' to allow application/json or application/x-protobuf or \
             application/recordio",
        ),
        (
            post_with(
                &slave,
                health,
                &[("Content-Type", recordio), ("Accept", "application/json")],
            ),
            400,
            "Expecting 'Message-Content-Type' to be set for streaming requests",
        ),
        (
            post_with(
                &slave,
                health,
                &[
                    ("Content-Type", "application/json"),
                    ("Message-Content-Type", "application/json"),
                ],
            ),
            415,
            "Expecting 'Message-Content-Type' to be not set for non-streaming requests",
        ),
        (
            post_with(
                &slave,
                health,
                &[
                    ("Content-Type", "application/json"),
                    ("Accept", "application/json"),
                    ("Message-Accept", "application/json"),
                ],
            ),
            406,
            "Expecting 'Message-Accept' to be not set for non-streaming responses",
        ),
        (
            post_with(
                &slave,
                health,
                &[("Content-Type", "application/json"), ("Accept", recordio)],
            ),
            406,
            "Streaming response is not supported for GET_HEALTH call",
        ),
        (
            post(pid, "api/v1", "{}", json, json),
            400,
            "Failed to validate agent::Call: Expecting 'type' to be present",
        ),
        (
            post(pid, "api/v1", r#"{"type": "GET_METRICS"}"#, json, json),
            400,
            "Failed to validate agent::Call: Expecting 'get_metrics' to be present",
        ),
        (
            post(pid, "api/v1", r#"{"type": "UNKNOWN"}"#, json, json),
            501,
            "501 Not Implemented.",
        ),
        (
            post(pid, "api/v1", r#"{"type": "GET_OPERATIONS"}"#, json, json),
            501,
            "Call GET_OPERATIONS is not supported yet",
        ),
        (
            get(pid, "api/v1", None),
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

/// A streamed request body: the records' content type is checked, then
/// the call, which must be one that takes a stream.
#[test]
fn streaming_request_for_a_call_without_stream() {
    let _runtime = loopback_runtime();
    let slave = recovered_agent();
    let health = mesos::json::jsonify(&v1_call(call::Type::GetHealth));
    let record = format!("{}\n{}", health.len(), health);
    let response = post_with(
        &slave,
        &record,
        &[
            ("Content-Type", "application/recordio"),
            ("Message-Content-Type", "text/plain"),
        ],
    );
    assert_eq!(response.code, 415);
    let response = post_with(
        &slave,
        &record,
        &[
            ("Content-Type", "application/recordio"),
            ("Message-Content-Type", "application/json"),
        ],
    );
    let text = String::from_utf8_lossy(&response.body_bytes()).into_owned();
    assert_eq!(response.code, 415, "{}", text);
    assert_eq!(
        text,
        "Streaming 'Content-Type' application/recordio is not supported for GET_HEALTH call"
    );
}
