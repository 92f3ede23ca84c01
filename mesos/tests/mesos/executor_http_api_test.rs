//! Mesos' `ExecutorHttpApiTest`: the agent's `/api/v1/executor`, its
//! answers to bad calls, and an executor's subscription, updates and
//! events, in JSON and protobuf.

use std::net::{Ipv4Addr, SocketAddrV4};

use libprocess::http::{self, Headers, Response};
use libprocess::testing::{self, await_ready, future_protobuf, ANY};
use libprocess::{Builder, Clock, Future};
use mesos::common::recordio;
use mesos::internal::{
    ExecutorToFrameworkMessage, FrameworkToExecutorMessage, KillTaskMessage, RunTaskMessage,
    StatusUpdateMessage,
};
use mesos::v1::executor::{call, event, Call, Event};
use mesos::{ExecutorId, ExecutorInfo, FrameworkId, TaskId, TaskInfo};
use prost::Message;

use crate::agent_helpers::{send_as, start_agent, TestAgent};

const APPLICATION_JSON: &str = "application/json";
const APPLICATION_PROTOBUF: &str = "application/x-protobuf";
const CONTENT_TYPES: [&str; 2] = [APPLICATION_JSON, APPLICATION_PROTOBUF];

fn listening() -> testing::TestRuntime {
    testing::runtime_with(
        Builder::default()
            .workers(2)
            .listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
    )
}

fn serialize(content_type: &str, call: &Call) -> bytes::Bytes {
    if content_type == APPLICATION_JSON {
        mesos::json::jsonify(call).into()
    } else {
        call.encode_to_vec().into()
    }
}

fn post(
    agent: &TestAgent,
    body: bytes::Bytes,
    content_type: Option<&str>,
    accept: Option<&str>,
) -> Future<Response> {
    let mut headers = Headers::new();
    if let Some(accept) = accept {
        headers.insert("Accept", accept);
    }
    http::post(
        agent.slave.upid(),
        "api/v1/executor",
        headers,
        Some(body),
        content_type,
    )
}

fn call(kind: call::Type, framework: &str, executor: &str) -> Call {
    let mut call = Call {
        framework_id: mesos::v1::FrameworkId {
            value: framework.to_string(),
        },
        executor_id: mesos::v1::ExecutorId {
            value: executor.to_string(),
        },
        ..Call::default()
    };
    call.set_type(kind);
    call
}

fn message_call(framework: &str, executor: &str) -> Call {
    let mut call = call(call::Type::Message, framework, executor);
    call.message = Some(call::Message {
        data: "hello world".into(),
    });
    call
}

fn status_code(response: &Future<Response>) -> u16 {
    await_ready(response).code
}

#[test]
fn no_content_type() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    let body = serialize(
        APPLICATION_JSON,
        &message_call("dummy_framework_id", "dummy"),
    );
    let response = post(&agent, body, None, None);
    assert_eq!(400, status_code(&response));
    assert_eq!(
        "Expecting 'Content-Type' to be present",
        await_ready(&response).body_bytes()
    );
}

#[test]
fn valid_json_but_invalid_protobuf() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    let response = post(
        &agent,
        r#"{"string": "valid_json"}"#.into(),
        Some(APPLICATION_JSON),
        Some(APPLICATION_JSON),
    );
    assert_eq!(400, status_code(&response));
}

#[test]
fn malformed_content() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    for content_type in CONTENT_TYPES {
        let response = post(
            &agent,
            "MALFORMED_CONTENT".into(),
            Some(content_type),
            Some(content_type),
        );
        assert_eq!(400, status_code(&response), "{}", content_type);
    }
}

#[test]
fn unsupported_content_media_type() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    for content_type in CONTENT_TYPES {
        let mut subscribe = call(call::Type::Subscribe, "dummy_framework_id", "dummy");
        subscribe.subscribe = Some(call::Subscribe::default());
        let response = post(
            &agent,
            serialize(content_type, &subscribe),
            Some("application/unsupported-media-type"),
            Some(content_type),
        );
        assert_eq!(415, status_code(&response));
    }
}

#[test]
fn message_from_unknown_framework() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    for content_type in CONTENT_TYPES {
        let body = serialize(content_type, &message_call("dummy_framework_id", "dummy"));
        let response = post(&agent, body, Some(content_type), Some(content_type));
        assert_eq!(400, status_code(&response));
        assert_eq!(
            "Framework cannot be found",
            await_ready(&response).body_bytes()
        );
    }
}

#[test]
fn get_request() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    let response = http::get(agent.slave.upid(), "api/v1/executor", None, Headers::new());
    assert_eq!(405, status_code(&response));
}

#[test]
fn not_acceptable() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    for content_type in CONTENT_TYPES {
        let mut subscribe = call(call::Type::Subscribe, "dummy_framework_id", "dummy");
        subscribe.subscribe = Some(call::Subscribe::default());
        let response = post(
            &agent,
            serialize(content_type, &subscribe),
            Some(content_type),
            Some("foo"),
        );
        assert_eq!(406, status_code(&response));
        assert_eq!(
            "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
            await_ready(&response).body_bytes()
        );
    }
}

#[test]
fn valid_protobuf_invalid_call() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    for content_type in CONTENT_TYPES {
        // SUBSCRIBE without `subscribe`.
        let subscribe = call(call::Type::Subscribe, "dummy_framework_id", "dummy");
        let response = post(
            &agent,
            serialize(content_type, &subscribe),
            Some(content_type),
            Some(content_type),
        );
        assert_eq!(400, status_code(&response));
        assert_eq!(
            "Failed to validate Executor::Call: Expecting 'subscribe' to be present",
            await_ready(&response).body_bytes()
        );
    }
}

#[test]
fn status_update_call_failed_validation() {
    let _rt = listening();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    let update = |status: mesos::v1::TaskStatus| {
        let mut update = call(
            call::Type::Update,
            "dummy_framework_id",
            "call_level_executor_id",
        );
        update.update = Some(call::Update { status });
        update
    };
    let task_id = mesos::v1::TaskId {
        value: "dummy_task_id".to_string(),
    };
    let mut mismatched = mesos::v1::TaskStatus {
        task_id: task_id.clone(),
        executor_id: Some(mesos::v1::ExecutorId {
            value: "update_level_executor_id".to_string(),
        }),
        uuid: Some(libprocess::random::uuid().to_bytes().to_vec().into()),
        ..Default::default()
    };
    mismatched.set_state(mesos::v1::TaskState::TaskStarting);
    mismatched.set_source(mesos::v1::task_status::Source::Executor);
    let mut bad_uuid = mesos::v1::TaskStatus {
        task_id: task_id.clone(),
        uuid: Some("dummy_uuid".into()),
        ..Default::default()
    };
    bad_uuid.set_state(mesos::v1::TaskState::TaskStarting);
    bad_uuid.set_source(mesos::v1::task_status::Source::Executor);
    let mut staging = mesos::v1::TaskStatus {
        task_id: task_id.clone(),
        uuid: Some(libprocess::random::uuid().to_bytes().to_vec().into()),
        ..Default::default()
    };
    staging.set_state(mesos::v1::TaskState::TaskStaging);
    staging.set_source(mesos::v1::task_status::Source::Executor);
    let mut from_master = mesos::v1::TaskStatus {
        task_id,
        uuid: Some(libprocess::random::uuid().to_bytes().to_vec().into()),
        ..Default::default()
    };
    from_master.set_state(mesos::v1::TaskState::TaskStarting);
    from_master.set_source(mesos::v1::task_status::Source::Master);

    for (status, error) in [
        (
            mismatched,
            "ExecutorID in Call: call_level_executor_id does not match ExecutorID in \
             TaskStatus: update_level_executor_id",
        ),
        (bad_uuid, ""),
        (
            staging,
            "Received TASK_STAGING from executor call_level_executor_id of framework \
             dummy_framework_id which is not allowed",
        ),
        (
            from_master,
            "Received Call from executor call_level_executor_id of framework \
             dummy_framework_id with invalid source, expecting 'SOURCE_EXECUTOR'",
        ),
    ] {
        let response = post(
            &agent,
            serialize(APPLICATION_PROTOBUF, &update(status)),
            Some(APPLICATION_PROTOBUF),
            Some(APPLICATION_JSON),
        );
        let response = await_ready(&response);
        assert_eq!(400, response.code);
        let body = String::from_utf8_lossy(&response.body_bytes()).into_owned();
        assert!(
            body.starts_with("Failed to validate Executor::Call: "),
            "{}",
            body
        );
        assert!(body.ends_with(error), "{}", body);
    }
}

/// A custom executor's task, launched through the stand-in master
/// (no scheduler pid: framework messages go through the master).
fn launch_custom_executor_task(agent: &TestAgent) -> crate::agent_helpers::Launch {
    let executor = ExecutorInfo {
        executor_id: ExecutorId {
            value: "default".to_string(),
        },
        framework_id: Some(FrameworkId {
            value: "framework-1".to_string(),
        }),
        command: Some(mesos::CommandInfo {
            value: Some("exit 1".to_string()),
            ..Default::default()
        }),
        ..ExecutorInfo::default()
    };
    let mut resources = mesos::Resources::parse("cpus:0.1;mem:32").expect("resources");
    resources.allocate("*");
    let task = TaskInfo {
        name: "task".to_string(),
        task_id: TaskId {
            value: "1".to_string(),
        },
        slave_id: mesos::SlaveId {
            value: "agent-1".to_string(),
        },
        resources: resources.to_vec(),
        executor: Some(executor),
        ..TaskInfo::default()
    };
    let launch = agent.containerizer.next_launch();
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &RunTaskMessage {
            framework: mesos::FrameworkInfo {
                user: "nobody".to_string(),
                name: "default".to_string(),
                id: Some(FrameworkId {
                    value: "framework-1".to_string(),
                }),
                roles: vec!["*".to_string()],
                ..Default::default()
            },
            task,
            ..RunTaskMessage::default()
        },
    );
    await_ready(&launch)
}

fn register(agent: &TestAgent) {
    let registration = future_protobuf::<mesos::internal::RegisterSlaveMessage>(ANY, ANY);
    Clock::settle();
    Clock::advance(stout::Duration::from_secs(1));
    await_ready(&registration);
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &mesos::internal::SlaveRegisteredMessage {
            slave_id: mesos::SlaveId {
                value: "agent-1".to_string(),
            },
            connection: None,
        },
    );
    Clock::settle();
}

fn events(content_type: &'static str, response: &Response) -> recordio::Reader<Event> {
    let reader = response.reader().expect("a stream").clone();
    recordio::Reader::new(
        move |record: &[u8]| {
            if content_type == APPLICATION_JSON {
                let json: serde_json::Value =
                    serde_json::from_slice(record).map_err(|e| stout::Error::new(e.to_string()))?;
                mesos::json::parse(&json)
            } else {
                Event::decode(record).map_err(|e| stout::Error::new(e.to_string()))
            }
        },
        reader,
    )
}

fn next_event(events: &recordio::Reader<Event>) -> Event {
    let next = events.read();
    testing::wait(&next, testing::AWAIT_TIMEOUT);
    match next.value() {
        Some(Some(Ok(event))) => event.clone(),
        Some(None) => panic!("the stream ended"),
        Some(Some(Err(e))) => panic!("an event that did not deserialize: {e}"),
        None => panic!("{}: {:?}", next.state_name(), next.failure()),
    }
}

#[test]
fn subscribe() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        Clock::pause();
        let agent = start_agent(|_| {});
        register(&agent);
        let launch = launch_custom_executor_task(&agent);

        // Updates and messages before subscribing are refused.
        let body = serialize(content_type, &message_call("framework-1", "default"));
        let response = post(&agent, body, Some(content_type), Some(content_type));
        assert_eq!(403, status_code(&response));

        let mut subscribe = call(call::Type::Subscribe, "framework-1", "default");
        subscribe.subscribe = Some(call::Subscribe::default());
        let response = http::streaming::post(
            agent.slave.upid(),
            "api/v1/executor",
            {
                let mut headers = Headers::new();
                headers.insert("Accept", content_type);
                headers
            },
            Some(serialize(content_type, &subscribe)),
            Some(content_type),
        );
        let response = await_ready(&response);
        assert_eq!(200, response.code);
        assert_eq!(Some(content_type), response.headers.get("Content-Type"));
        let events = events(content_type, &response);

        let subscribed = next_event(&events);
        assert_eq!(event::Type::Subscribed, subscribed.r#type());
        let subscribed = subscribed.subscribed.expect("subscribed");
        assert_eq!("default", subscribed.executor_info.executor_id.value);
        assert_eq!(
            Some("agent-1"),
            subscribed
                .agent_info
                .id
                .as_ref()
                .map(|id| id.value.as_str())
        );
        assert_eq!(
            Some(launch.container_id.value.as_str()),
            subscribed.container_id.as_ref().map(|c| c.value.as_str())
        );

        let launched = next_event(&events);
        assert_eq!(event::Type::Launch, launched.r#type());
        assert_eq!("1", launched.launch.expect("launch").task.task_id.value);

        // TASK_RUNNING: to the master, acknowledged on the stream.
        let forwarded = future_protobuf::<StatusUpdateMessage>(ANY, agent.master.upid());
        let uuid = libprocess::random::uuid();
        let mut status = mesos::v1::TaskStatus {
            task_id: mesos::v1::TaskId {
                value: "1".to_string(),
            },
            executor_id: Some(mesos::v1::ExecutorId {
                value: "default".to_string(),
            }),
            uuid: Some(uuid.to_bytes().to_vec().into()),
            ..Default::default()
        };
        status.set_state(mesos::v1::TaskState::TaskRunning);
        status.set_source(mesos::v1::task_status::Source::Executor);
        let mut update = call(call::Type::Update, "framework-1", "default");
        update.update = Some(call::Update { status });
        let response = post(
            &agent,
            serialize(content_type, &update),
            Some(content_type),
            Some(content_type),
        );
        assert_eq!(202, status_code(&response));
        let forwarded = await_ready(&forwarded);
        assert_eq!(
            mesos::TaskState::TaskRunning,
            forwarded.update.status.state()
        );
        assert_eq!(
            Some("default"),
            forwarded
                .update
                .status
                .executor_id
                .as_ref()
                .map(|e| e.value.as_str())
        );
        let acknowledged = next_event(&events);
        assert_eq!(event::Type::Acknowledged, acknowledged.r#type());
        let acknowledged = acknowledged.acknowledged.expect("acknowledged");
        assert_eq!("1", acknowledged.task_id.value);
        assert_eq!(&uuid.to_bytes()[..], &acknowledged.uuid[..]);

        // A message to the framework goes through the master.
        let to_framework = future_protobuf::<ExecutorToFrameworkMessage>(ANY, agent.master.upid());
        let body = serialize(content_type, &message_call("framework-1", "default"));
        let response = post(&agent, body, Some(content_type), Some(content_type));
        assert_eq!(202, status_code(&response));
        assert_eq!(&b"hello world"[..], &await_ready(&to_framework).data[..]);

        // A message and a kill from the master come as events.
        send_as(
            agent.master.upid(),
            agent.slave.upid(),
            &FrameworkToExecutorMessage {
                slave_id: mesos::SlaveId {
                    value: "agent-1".to_string(),
                },
                framework_id: FrameworkId {
                    value: "framework-1".to_string(),
                },
                executor_id: ExecutorId {
                    value: "default".to_string(),
                },
                data: "from the scheduler".into(),
            },
        );
        let message = next_event(&events);
        assert_eq!(event::Type::Message, message.r#type());
        assert_eq!(
            &b"from the scheduler"[..],
            &message.message.expect("data").data[..]
        );

        send_as(
            agent.master.upid(),
            agent.slave.upid(),
            &KillTaskMessage {
                framework_id: FrameworkId {
                    value: "framework-1".to_string(),
                },
                task_id: TaskId {
                    value: "1".to_string(),
                },
                kill_policy: None,
            },
        );
        let kill = next_event(&events);
        assert_eq!(event::Type::Kill, kill.r#type());
        assert_eq!("1", kill.kill.expect("kill").task_id.value);

        // Shutting the framework down shuts the executor down.
        send_as(
            agent.master.upid(),
            agent.slave.upid(),
            &mesos::internal::ShutdownFrameworkMessage {
                framework_id: FrameworkId {
                    value: "framework-1".to_string(),
                },
            },
        );
        assert_eq!(event::Type::Shutdown, next_event(&events).r#type());
    }
}
