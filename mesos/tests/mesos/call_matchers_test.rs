//! Mesos' call matchers (`FUTURE_CALL`, `DROP_CALLS`, `FUTURE_HTTP_CALL`,
//! `DROP_HTTP_CALLS`, ...): each catches or drops the calls of one type.

use std::net::{Ipv4Addr, SocketAddrV4};

use libprocess::http::{self, Headers};
use libprocess::testing::{self as lp, ANY};
use libprocess::{dispatch, post, send_protobuf, spawn, Builder, Future, Handlers, Process, UPID};
use mesos::scheduler::{call, Call};
use mesos::testing::{self, ContentType};
use mesos::FrameworkId;
use prost::Message;

/// Stands in for the master: records the types of the calls it gets, as
/// messages and on `/api/v1/scheduler`.
#[derive(Default)]
struct Master {
    calls: Vec<i32>,
}

impl Process for Master {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "master".into()
    }

    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install(
            "mesos.scheduler.Call",
            |master: &mut Master, _: &UPID, body: &[u8]| {
                if let Ok(call) = Call::decode(body) {
                    master.calls.push(call.r#type.unwrap_or_default());
                }
            },
        );
        handlers.route(
            "/api/v1/scheduler",
            |master: &mut Master, request: http::Request| {
                let json = request.headers.get("Content-Type") == Some("application/json");
                let call = match json {
                    true => serde_json::from_slice(&request.body)
                        .ok()
                        .and_then(|json| mesos::json::parse::<Call>(&json).ok()),
                    false => Call::decode(&request.body[..]).ok(),
                };
                if let Some(call) = call {
                    master.calls.push(call.r#type.unwrap_or_default());
                }
                Future::ready(http::accepted())
            },
        );
    }
}

impl Master {
    fn calls(&mut self) -> Vec<i32> {
        std::mem::take(&mut self.calls)
    }
}

fn call(kind: call::Type) -> Call {
    Call {
        framework_id: Some(FrameworkId {
            value: "f1".to_string(),
        }),
        r#type: Some(kind as i32),
        ..Default::default()
    }
}

#[test]
fn calls_inside_messages() {
    let _rt = lp::runtime();
    let master = spawn(Master::default());
    let subscribe = testing::future_call::<Call>(call::Type::Subscribe, ANY, &master);
    testing::drop_calls::<Call>(call::Type::Decline, ANY, &master);
    struct Scheduler(UPID);
    impl Process for Scheduler {
        fn initialize(&mut self, _: &mut Handlers<Self>) {
            for kind in [
                call::Type::Decline,
                call::Type::Subscribe,
                call::Type::Decline,
                call::Type::Teardown,
            ] {
                send_protobuf(&self.0, &call(kind));
            }
        }
    }
    spawn(Scheduler(master.upid().clone()));
    let subscribed = lp::await_ready(&subscribe);
    assert_eq!(subscribed.r#type, Some(call::Type::Subscribe as i32));
    assert_eq!(
        subscribed.framework_id.map(|f| f.value),
        Some("f1".to_string())
    );
    // The declines were dropped; the others reached the master.
    assert_eq!(
        lp::await_ready(&dispatch(&master, Master::calls)),
        vec![call::Type::Subscribe as i32, call::Type::Teardown as i32]
    );
}

#[test]
fn one_call_dropped() {
    let _rt = lp::runtime();
    let master = spawn(Master::default());
    let dropped = testing::drop_call::<Call>(call::Type::Accept, ANY, &master);
    for kind in [call::Type::Accept, call::Type::Accept] {
        post(
            &UPID::empty(),
            master.upid(),
            "mesos.scheduler.Call",
            call(kind).encode_to_vec(),
        );
    }
    assert_eq!(
        lp::await_ready(&dropped).r#type,
        Some(call::Type::Accept as i32)
    );
    // Only the first: the second accept is served.
    assert_eq!(
        lp::await_ready(&dispatch(&master, Master::calls)),
        vec![call::Type::Accept as i32]
    );
}

#[test]
fn no_calls_of_a_type() {
    let message = std::panic::catch_unwind(|| {
        let _rt = lp::runtime();
        let master = spawn(Master::default());
        testing::expect_no_future_calls::<Call>(call::Type::Teardown, ANY, &master);
        post(
            &UPID::empty(),
            master.upid(),
            "mesos.scheduler.Call",
            call(call::Type::Subscribe).encode_to_vec(),
        );
        post(
            &UPID::empty(),
            master.upid(),
            "mesos.scheduler.Call",
            call(call::Type::Teardown).encode_to_vec(),
        );
        lp::await_ready(&dispatch(&master, Master::calls));
    })
    .expect_err("a teardown arrived");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(text.starts_with("Unexpected events:"), "{text}");
}

#[test]
fn calls_inside_http_requests() {
    let _rt = lp::runtime_with(
        Builder::default()
            .workers(2)
            .listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
    );
    let master = spawn(Master::default());
    let path = format!("/{}/api/v1/scheduler", master.id());
    let post = |kind: call::Type, json: bool| {
        let (body, content_type) = if json {
            let text = mesos::json::jsonify(&call(kind));
            (text.into_bytes(), "application/json")
        } else {
            (call(kind).encode_to_vec(), "application/x-protobuf")
        };
        http::post(
            master.upid(),
            "api/v1/scheduler",
            Headers::new(),
            Some(body.into()),
            Some(content_type),
        )
    };
    let subscribe =
        testing::future_http_call::<Call>(call::Type::Subscribe, path.as_str(), ContentType::Json);
    testing::drop_http_calls::<Call>(call::Type::Decline, ANY, ContentType::Protobuf);
    assert_eq!(
        lp::await_ready(&post(call::Type::Subscribe, true)).code,
        202
    );
    assert_eq!(
        lp::await_ready(&subscribe).r#type,
        Some(call::Type::Subscribe as i32)
    );
    // Dropped: nothing answers, the connection says 500.
    assert_eq!(lp::await_ready(&post(call::Type::Decline, false)).code, 500);
    assert_eq!(
        lp::await_ready(&post(call::Type::Teardown, false)).code,
        202
    );
    assert_eq!(
        lp::await_ready(&dispatch(&master, Master::calls)),
        vec![call::Type::Subscribe as i32, call::Type::Teardown as i32]
    );

    // One dropped, the next served; and a type that must not come.
    let dropped = testing::drop_http_call::<Call>(call::Type::Revive, ANY, ContentType::Protobuf);
    assert_eq!(lp::await_ready(&post(call::Type::Revive, false)).code, 500);
    assert_eq!(
        lp::await_ready(&dropped).body,
        call(call::Type::Revive).encode_to_vec()
    );
    assert_eq!(lp::await_ready(&post(call::Type::Revive, false)).code, 202);
    testing::expect_no_future_http_calls::<Call>(call::Type::Kill, ANY, ContentType::Json);
    // The same type in the other encoding does not count.
    assert_eq!(lp::await_ready(&post(call::Type::Kill, false)).code, 202);
}
