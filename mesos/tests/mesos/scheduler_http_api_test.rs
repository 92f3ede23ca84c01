//! Mesos' `SchedulerHttpApiTest` (`src/tests/scheduler_http_api_tests.cpp`):
//! the master's `/api/v1/scheduler` over loopback, its answers to bad
//! requests, SUBSCRIBE's event stream and heartbeats, the stream ID, and
//! frameworks moving between the driver and the HTTP API; each test in
//! protobuf and JSON, as Mesos' `TEST_P`s. Not ported:
//! `AuthenticationRequired` (no HTTP authentication in this build).

use libprocess::http::{self, Headers, Response};
use libprocess::testing::{await_ready, future_protobuf, ANY};
use libprocess::{Clock, Future};
use mesos::common::evolve::{devolve, evolve};
use mesos::internal::FrameworkErrorMessage;
use mesos::master::constants::DEFAULT_HEARTBEAT_INTERVAL;
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master};
use mesos::testing::{default_framework_info, MockScheduler};
use mesos::v1::scheduler::{call, event, Call};
use mesos::{TaskId, TaskStatus};

use crate::scheduler_http_helpers::{
    default_v1_framework_info, events, listening, next_event, post, serialize, subscribe_call,
    subscribe_over_http, APPLICATION_JSON, APPLICATION_PROTOBUF, CONTENT_TYPES,
};

fn code(response: &Future<Response>) -> u16 {
    await_ready(response).code
}

fn text(response: &Future<Response>) -> String {
    String::from_utf8_lossy(&await_ready(response).body_bytes()).into_owned()
}

fn start_master() -> Master {
    Master::start(create_master_flags()).expect("the master starts")
}

#[test]
fn no_content_type() {
    let _rt = listening();
    let master = start_master();
    let response = http::post(
        master.pid.upid(),
        "api/v1/scheduler",
        Headers::new(),
        None,
        None,
    );
    assert_eq!(400, code(&response));
    assert_eq!("Expecting 'Content-Type' to be present", text(&response));
}

#[test]
fn valid_json_but_invalid_protobuf() {
    let _rt = listening();
    let master = start_master();
    let response = post(
        &master,
        r#"{"string": "valid_json"}"#.into(),
        APPLICATION_JSON,
        Some(APPLICATION_JSON),
        None,
    );
    assert_eq!(400, code(&response));
}

#[test]
fn malformed_content() {
    let _rt = listening();
    let master = start_master();
    for content_type in CONTENT_TYPES {
        let response = post(
            &master,
            "MALFORMED_CONTENT".into(),
            content_type,
            Some(content_type),
            None,
        );
        assert_eq!(400, code(&response), "{}", content_type);
    }
}

#[test]
fn unsupported_content_media_type() {
    let _rt = listening();
    let master = start_master();
    for content_type in CONTENT_TYPES {
        let body = serialize(content_type, &subscribe_call(default_v1_framework_info()));
        let response = post(
            &master,
            body,
            "application/unknown-media-type",
            Some(content_type),
            None,
        );
        assert_eq!(415, code(&response), "{}", content_type);
    }
}

#[test]
fn subscribe() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let response = subscribe_over_http(&master, content_type, default_v1_framework_info());
        assert_eq!(200, response.code);
        assert_eq!(
            Some("chunked"),
            response.headers.get("Transfer-Encoding"),
            "{}",
            content_type
        );
        assert!(response
            .headers
            .get("Mesos-Stream-Id")
            .is_some_and(|id| !id.is_empty()));
        let events = events(content_type, &response);

        let subscribed = next_event(&events);
        assert_eq!(event::Type::Subscribed, subscribed.r#type());
        let subscribed = subscribed.subscribed.expect("subscribed");
        assert_ne!("", subscribed.framework_id.value);

        assert_eq!(event::Type::Heartbeat, next_event(&events).r#type());

        // Another heartbeat an interval later.
        Clock::pause();
        Clock::advance(DEFAULT_HEARTBEAT_INTERVAL);
        assert_eq!(event::Type::Heartbeat, next_event(&events).r#type());
        Clock::resume();

        // Both counted among the framework's events.
        let heartbeats = await_ready(&libprocess::metrics::snapshot(None))
            .into_iter()
            .find(|(name, _)| {
                name.contains(&subscribed.framework_id.value) && name.ends_with("/events/heartbeat")
            })
            .map(|(_, value)| value);
        assert_eq!(Some(2.0), heartbeats, "{}", content_type);
    }
}

#[test]
fn reject_framework_with_invalid_role() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let mut info = default_v1_framework_info();
        info.roles = vec!["/test/test1".to_string()];
        let response = subscribe_over_http(&master, content_type, info);
        assert_eq!(200, response.code);
        assert_eq!(Some("chunked"), response.headers.get("Transfer-Encoding"));
        let events = events(content_type, &response);
        assert_eq!(event::Type::Error, next_event(&events).r#type());
    }
}

#[test]
fn subscribe_with_stream_id() {
    let _rt = listening();
    let master = start_master();
    for content_type in CONTENT_TYPES {
        let body = serialize(content_type, &subscribe_call(default_v1_framework_info()));
        let stream_id = libprocess::random::uuid().to_string();
        let response = post(
            &master,
            body,
            content_type,
            Some(content_type),
            Some(&stream_id),
        );
        assert_eq!(400, code(&response), "{}", content_type);
        assert_eq!(
            "Subscribe calls should not include the 'Mesos-Stream-Id' header",
            text(&response)
        );
    }
}

#[test]
fn subscribed_on_retry() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let first = subscribe_over_http(&master, content_type, default_v1_framework_info());
        assert_eq!(200, first.code);
        let first_events = events(content_type, &first);
        let subscribed = next_event(&first_events);
        assert_eq!(event::Type::Subscribed, subscribed.r#type());
        let framework_id = subscribed.subscribed.expect("subscribed").framework_id;
        assert_ne!("", framework_id.value);

        let mut info = default_v1_framework_info();
        info.id = Some(framework_id.clone());
        let second = subscribe_over_http(&master, content_type, info);
        let events = events(content_type, &second);
        let subscribed = next_event(&events);
        assert_eq!(event::Type::Subscribed, subscribed.r#type());
        assert_eq!(
            framework_id,
            subscribed.subscribed.expect("subscribed").framework_id
        );
        assert_eq!(event::Type::Heartbeat, next_event(&events).r#type());
    }
}

#[test]
fn update_pid_to_http_scheduler() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let mut info = default_v1_framework_info();
        info.failover_timeout = Some(stout::Duration::from_secs(14 * 24 * 3600).secs());

        let sched = MockScheduler::new();
        let driver = MesosSchedulerDriver::with_detector(
            sched.clone(),
            devolve(&info).expect("a v0 FrameworkInfo"),
            master.create_detector(),
            true,
        );
        let registered = sched.registered.future();
        // The driver hears that the HTTP scheduler took over.
        let error_message = future_protobuf::<FrameworkErrorMessage>(ANY, ANY);
        let sched_error = sched.error.future();
        driver.start();
        let (framework_id, _) = await_ready(&registered);
        assert_ne!("", framework_id.value);

        info.id = Some(evolve(&framework_id).expect("a v1 FrameworkID"));
        let response = subscribe_over_http(&master, content_type, info);
        assert_eq!(200, response.code);
        assert_eq!(Some("chunked"), response.headers.get("Transfer-Encoding"));
        let events = events(content_type, &response);
        let subscribed = next_event(&events);
        assert_eq!(event::Type::Subscribed, subscribed.r#type());
        assert_eq!(
            framework_id.value,
            subscribed
                .subscribed
                .expect("subscribed")
                .framework_id
                .value
        );
        assert_eq!(event::Type::Heartbeat, next_event(&events).r#type());

        await_ready(&error_message);
        await_ready(&sched_error);

        driver.stop(false);
        driver.join();
    }
}

#[test]
fn update_http_to_pid_scheduler() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let mut info = default_v1_framework_info();
        let response = subscribe_over_http(&master, content_type, info.clone());
        assert_eq!(200, response.code);
        let events = events(content_type, &response);
        let subscribed = next_event(&events);
        assert_eq!(event::Type::Subscribed, subscribed.r#type());
        info.id = Some(subscribed.subscribed.expect("subscribed").framework_id);
        assert_eq!(event::Type::Heartbeat, next_event(&events).r#type());

        let sched = MockScheduler::new();
        let driver = MesosSchedulerDriver::with_detector(
            sched.clone(),
            devolve(&info).expect("a v0 FrameworkInfo"),
            master.create_detector(),
            true,
        );
        let registered = sched.registered.future();
        driver.start();
        let (framework_id, _) = await_ready(&registered);
        assert_eq!(
            info.id.as_ref().map(|id| &id.value),
            Some(&framework_id.value)
        );

        // The HTTP scheduler heard it failed over, and its stream ended.
        let error = next_event(&events);
        assert_eq!(event::Type::Error, error.r#type());
        assert_eq!(
            "Framework failed over",
            error.error.expect("an error").message
        );

        driver.stop(false);
        driver.join();
    }
}

#[test]
fn update_http_to_pid_scheduler_and_back() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let mut info = default_v1_framework_info();
        info.failover_timeout = Some(stout::Duration::from_secs(14 * 24 * 3600).secs());

        let sched = MockScheduler::new();
        let driver = MesosSchedulerDriver::with_detector(
            sched.clone(),
            devolve(&info).expect("a v0 FrameworkInfo"),
            master.create_detector(),
            true,
        );
        let registered = sched.registered.future();
        driver.start();
        let (framework_id, _) = await_ready(&registered);
        info.id = Some(evolve(&framework_id).expect("a v1 FrameworkID"));

        // Fail over to an HTTP scheduler: "Framework failed over".
        let sched_error = sched.error.future();
        let response = subscribe_over_http(&master, content_type, info.clone());
        assert_eq!(200, response.code);
        let events = events(content_type, &response);
        let subscribed = next_event(&events);
        assert_eq!(event::Type::Subscribed, subscribed.r#type());
        assert_eq!(
            info.id.clone(),
            subscribed.subscribed.map(|s| s.framework_id)
        );
        assert_eq!("Framework failed over", await_ready(&sched_error));
        driver.stop(false);
        driver.join();

        // And back to a driver.
        let sched2 = MockScheduler::new();
        let driver2 = MesosSchedulerDriver::with_detector(
            sched2.clone(),
            devolve(&info).expect("a v0 FrameworkInfo"),
            master.create_detector(),
            true,
        );
        let registered = sched2.registered.future();
        driver2.start();
        assert_eq!(framework_id, await_ready(&registered).0);

        // Calls from the driver are served again.
        let reconciled = sched2.status_update.future();
        driver2.reconcile_tasks(vec![TaskStatus {
            task_id: TaskId {
                value: "task-1".to_string(),
            },
            ..TaskStatus::default()
        }]);
        assert_eq!("task-1", await_ready(&reconciled).task_id.value);

        driver2.stop(false);
        driver2.join();
    }
}

#[test]
fn not_acceptable() {
    let _rt = listening();
    let master = start_master();
    for content_type in CONTENT_TYPES {
        let body = serialize(content_type, &subscribe_call(default_v1_framework_info()));
        let response = post(&master, body, content_type, Some("foo"), None);
        assert_eq!(406, code(&response), "{}", content_type);
        assert_eq!(
            "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
            text(&response)
        );
    }
}

#[test]
fn no_accept_header() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let body = serialize(content_type, &subscribe_call(default_v1_framework_info()));
        let response = http::streaming::post(
            master.pid.upid(),
            "api/v1/scheduler",
            Headers::new(),
            Some(body),
            Some(content_type),
        );
        let response = await_ready(&response);
        assert_eq!(200, response.code);
        assert_eq!(Some(APPLICATION_JSON), response.headers.get("Content-Type"));
    }
}

#[test]
fn default_accept() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let body = serialize(content_type, &subscribe_call(default_v1_framework_info()));
        let mut headers = Headers::new();
        headers.insert("Accept", "*/*");
        let response = http::streaming::post(
            master.pid.upid(),
            "api/v1/scheduler",
            headers,
            Some(body),
            Some(content_type),
        );
        let response = await_ready(&response);
        assert_eq!(200, response.code);
        assert_eq!(Some(APPLICATION_JSON), response.headers.get("Content-Type"));
    }
}

#[test]
fn get_request() {
    let _rt = listening();
    let master = start_master();
    let response = http::get(master.pid.upid(), "api/v1/scheduler", None, Headers::new());
    assert_eq!(405, code(&response));
    assert_eq!(Some("POST"), await_ready(&response).headers.get("Allow"));
}

/// A TEARDOWN for `framework_id` with `stream_id`, if any.
fn teardown(
    master: &Master,
    content_type: &'static str,
    framework_id: &mesos::v1::FrameworkId,
    stream_id: Option<&str>,
) -> Future<Response> {
    let mut call = Call {
        framework_id: Some(framework_id.clone()),
        ..Call::default()
    };
    call.set_type(call::Type::Teardown);
    post(
        master,
        serialize(content_type, &call),
        content_type,
        Some(content_type),
        stream_id,
    )
}

#[test]
fn teardown_without_stream_id() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let response = subscribe_over_http(&master, content_type, default_v1_framework_info());
        assert_eq!(200, response.code);
        assert!(response.headers.contains("Mesos-Stream-Id"));
        let events = events(content_type, &response);
        let subscribed = next_event(&events);
        assert_eq!(event::Type::Subscribed, subscribed.r#type());
        let framework_id = subscribed.subscribed.expect("subscribed").framework_id;

        let response = teardown(&master, content_type, &framework_id, None);
        assert_eq!(400, code(&response));
        assert_eq!(
            "All non-subscribe calls should include the 'Mesos-Stream-Id' header",
            text(&response)
        );
    }
}

#[test]
fn teardown_wrong_stream_id() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let first = subscribe_over_http(&master, content_type, default_v1_framework_info());
        assert_eq!(200, first.code);
        let stream_id = first
            .headers
            .get("Mesos-Stream-Id")
            .expect("a stream ID")
            .to_string();
        let first_events = events(content_type, &first);
        let subscribed = next_event(&first_events);
        let framework_id = subscribed.subscribed.expect("subscribed").framework_id;

        // Subscribing again gives the framework another stream ID.
        let mut info = default_v1_framework_info();
        info.id = Some(framework_id.clone());
        let second = subscribe_over_http(&master, content_type, info);
        assert_eq!(200, second.code);
        assert_ne!(
            Some(stream_id.as_str()),
            second.headers.get("Mesos-Stream-Id")
        );
        let events = events(content_type, &second);
        assert_eq!(event::Type::Subscribed, next_event(&events).r#type());

        let response = teardown(&master, content_type, &framework_id, Some(&stream_id));
        assert_eq!(400, code(&response));
        assert_eq!(
            format!(
                "The stream ID '{}' included in this request didn't match the stream ID \
                 currently associated with framework ID {}",
                stream_id, framework_id.value
            ),
            text(&response)
        );
    }
}

#[test]
fn malformed_uuid() {
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let response = subscribe_over_http(&master, content_type, default_v1_framework_info());
        assert_eq!(200, response.code);
        let stream_id = response
            .headers
            .get("Mesos-Stream-Id")
            .expect("a stream ID")
            .to_string();
        let events = events(content_type, &response);
        let framework_id = next_event(&events)
            .subscribed
            .expect("subscribed")
            .framework_id;

        let mut call = Call {
            framework_id: Some(framework_id),
            acknowledge: Some(call::Acknowledge {
                agent_id: mesos::v1::AgentId {
                    value: "agent-id".to_string(),
                },
                task_id: mesos::v1::TaskId {
                    value: "task-id".to_string(),
                },
                uuid: "bad-uuid".into(),
            }),
            ..Call::default()
        };
        call.set_type(call::Type::Acknowledge);
        let response = post(
            &master,
            serialize(content_type, &call),
            content_type,
            Some(content_type),
            Some(&stream_id),
        );
        assert_eq!(400, code(&response));
        assert_eq!(
            "Failed to validate scheduler::Call: Not a valid UUID",
            text(&response)
        );
    }
}

/// A protobuf body missing what the schema requires does not parse, as
/// protobuf's `ParseFromString` refuses it.
#[test]
fn protobuf_missing_required_fields_is_a_bad_request() {
    use prost::Message as _;
    let _rt = listening();
    let master = start_master();
    let mut call = Call::default();
    call.set_type(call::Type::Subscribe);
    let mut bytes = call.encode_to_vec();
    // `subscribe` (field 3) holding an empty `framework_info` (field 1):
    // no `user`, no `name`.
    bytes.extend_from_slice(&[0x1a, 0x02, 0x0a, 0x00]);
    let response = post(
        &master,
        bytes.into(),
        APPLICATION_PROTOBUF,
        Some(APPLICATION_PROTOBUF),
        None,
    );
    assert_eq!(400, code(&response));
    assert_eq!("Failed to parse body into Call protobuf", text(&response));
}

#[test]
fn call_before_subscribe_is_refused() {
    let _rt = listening();
    let master = start_master();
    for content_type in CONTENT_TYPES {
        // No framework ID at all: the call is invalid.
        let mut call = Call::default();
        call.set_type(call::Type::Revive);
        let response = post(
            &master,
            serialize(content_type, &call),
            content_type,
            Some(content_type),
            None,
        );
        assert_eq!(400, code(&response));
        assert_eq!(
            "Failed to validate scheduler::Call: Expecting 'framework_id' to be present",
            text(&response)
        );

        // A framework ID the master does not know.
        call.framework_id = Some(mesos::v1::FrameworkId {
            value: "unknown".to_string(),
        });
        let response = post(
            &master,
            serialize(content_type, &call),
            content_type,
            Some(content_type),
            Some(&libprocess::random::uuid().to_string()),
        );
        assert_eq!(400, code(&response));
        assert_eq!("Framework cannot be found", text(&response));
    }
}

#[test]
fn driver_framework_calling_over_http_is_forbidden() {
    let _rt = listening();
    let master = start_master();
    let sched = MockScheduler::new();
    let driver = MesosSchedulerDriver::with_detector(
        sched.clone(),
        default_framework_info(),
        master.create_detector(),
        true,
    );
    let registered = sched.registered.future();
    driver.start();
    let (framework_id, _) = await_ready(&registered);

    let mut call = Call {
        framework_id: Some(evolve(&framework_id).expect("a v1 FrameworkID")),
        ..Call::default()
    };
    call.set_type(call::Type::Revive);
    let response = post(
        &master,
        serialize(APPLICATION_JSON, &call),
        APPLICATION_JSON,
        None,
        Some(&libprocess::random::uuid().to_string()),
    );
    assert_eq!(403, code(&response));
    assert_eq!("Framework is not connected via HTTP", text(&response));

    driver.stop(false);
    driver.join();
}

/// Run as `mesos-master` runs it (libprocess' delegate), the master also
/// answers `/api/v1/scheduler`, without its process id.
#[test]
fn served_without_the_process_id_by_the_delegate() {
    let _rt = libprocess::testing::runtime_with(
        libprocess::Builder::default()
            .listen(std::net::SocketAddrV4::new(
                std::net::Ipv4Addr::LOCALHOST,
                0,
            ))
            .delegate("master"),
    );
    let master = start_master();
    let address = master.pid.upid().address();
    let url = http::Url::new("http", address.ip(), address.port(), "/api/v1/scheduler");
    let response = http::request(http::Request::new("GET", url), false);
    assert_eq!(405, code(&response));
    assert_eq!(Some("POST"), await_ready(&response).headers.get("Allow"));
}

/// An HTTP scheduler that goes away (closes its connection) disconnects
/// its framework, which then has its failover timeout to come back, as a
/// driver whose link breaks.
#[test]
fn closing_the_stream_disconnects_the_framework() {
    use mesos::master::{FrameworkState, Master as MasterProcess};
    for content_type in CONTENT_TYPES {
        let _rt = listening();
        let master = start_master();
        let mut info = default_v1_framework_info();
        info.failover_timeout = Some(60.0);

        let url = http::url_of(master.pid.upid(), "api/v1/scheduler");
        let connection = await_ready(&http::connect(&url));
        let mut request = http::Request::new("POST", url);
        request.keep_alive = true;
        request.headers.insert("Accept", content_type);
        request.headers.insert("Content-Type", content_type);
        request.body = serialize(
            content_type,
            &crate::scheduler_http_helpers::subscribe_call(info),
        );
        let response = await_ready(&connection.send(request, true));
        assert_eq!(200, response.code);
        let events = events(content_type, &response);
        let framework_id = next_event(&events)
            .subscribed
            .expect("subscribed")
            .framework_id;
        let framework_id: mesos::FrameworkId = devolve(&framework_id).expect("a FrameworkID");

        let exited = libprocess::testing::future_dispatch(ANY, MasterProcess::http_exited);
        connection.disconnect();
        await_ready(&exited);
        let state = |master: &Master, id: &mesos::FrameworkId| {
            let id = id.clone();
            await_ready(&libprocess::dispatch(&master.pid, move |m| {
                m.frameworks().get(&id).map(|f| f.state)
            }))
        };
        assert_eq!(
            Some(FrameworkState::Disconnected),
            state(&master, &framework_id)
        );

        // Gone once the failover timeout passes.
        Clock::pause();
        Clock::advance(stout::Duration::from_secs(60));
        Clock::settle();
        assert_eq!(None, state(&master, &framework_id));
        Clock::resume();
    }
}

/// A SUBSCRIBE whose call and `FrameworkInfo` name different frameworks
/// is invalid (an unset ID being the empty one).
#[test]
fn subscribe_with_mismatched_framework_id() {
    let _rt = listening();
    let master = start_master();
    for content_type in CONTENT_TYPES {
        let mut call = subscribe_call(default_v1_framework_info());
        call.framework_id = Some(mesos::v1::FrameworkId {
            value: "framework-1".to_string(),
        });
        let response = post(
            &master,
            serialize(content_type, &call),
            content_type,
            Some(content_type),
            None,
        );
        assert_eq!(400, code(&response));
        assert_eq!(
            "Failed to validate scheduler::Call: 'framework_id' differs from \
             'subscribe.framework_info.id'",
            text(&response)
        );
    }
}

/// A subscribed framework's UNKNOWN call is not implemented (501).
#[test]
fn unknown_call_is_not_implemented() {
    let _rt = listening();
    let master = start_master();
    let response = subscribe_over_http(&master, APPLICATION_JSON, default_v1_framework_info());
    let stream_id = response
        .headers
        .get("Mesos-Stream-Id")
        .expect("a stream ID")
        .to_string();
    let events = events(APPLICATION_JSON, &response);
    let framework_id = next_event(&events)
        .subscribed
        .expect("subscribed")
        .framework_id;
    let mut call = Call {
        framework_id: Some(framework_id),
        ..Call::default()
    };
    call.set_type(call::Type::Unknown);
    let response = post(
        &master,
        serialize(APPLICATION_JSON, &call),
        APPLICATION_JSON,
        None,
        Some(&stream_id),
    );
    assert_eq!(501, code(&response));
}
