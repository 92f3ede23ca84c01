//! What the v1 scheduler API suites share: a runtime on loopback, calls
//! in either content type, and the decoded event stream of a SUBSCRIBE.

#![allow(dead_code)] // Each suite uses some of them.

use std::net::{Ipv4Addr, SocketAddrV4};

use libprocess::http::{self, Headers, Response};
use libprocess::testing::{self, await_ready};
use libprocess::{Builder, Future};
use mesos::common::evolve::evolve;
use mesos::common::recordio;
use mesos::testing::cluster::Master;
use mesos::testing::default_framework_info;
use mesos::v1::scheduler::{call, Call, ContentType, Event};
use prost::Message;

pub(crate) const APPLICATION_JSON: &str = "application/json";
pub(crate) const APPLICATION_PROTOBUF: &str = "application/x-protobuf";
/// Mesos' `TEST_P` parameters, in its order.
pub(crate) const CONTENT_TYPES: [&str; 2] = [APPLICATION_PROTOBUF, APPLICATION_JSON];

/// The same, as the library takes them.
pub(crate) const LIBRARY_CONTENT_TYPES: [ContentType; 2] =
    [ContentType::Protobuf, ContentType::Json];

/// A runtime listening on loopback: the HTTP API is reached over it.
pub(crate) fn listening() -> testing::TestRuntime {
    testing::runtime_with(Builder::default().listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)))
}

/// `v1::DEFAULT_FRAMEWORK_INFO`.
pub(crate) fn default_v1_framework_info() -> mesos::v1::FrameworkInfo {
    evolve(&default_framework_info()).expect("a v1 FrameworkInfo")
}

/// A SUBSCRIBE for `info`, with its ID as the call's framework ID.
pub(crate) fn subscribe_call(info: mesos::v1::FrameworkInfo) -> Call {
    let mut call = Call {
        framework_id: info.id.clone(),
        subscribe: Some(call::Subscribe {
            framework_info: info,
            ..call::Subscribe::default()
        }),
        ..Call::default()
    };
    call.set_type(call::Type::Subscribe);
    call
}

/// `call` in `content_type`.
pub(crate) fn serialize(content_type: &str, call: &Call) -> bytes::Bytes {
    if content_type == APPLICATION_JSON {
        mesos::json::jsonify(call).into()
    } else {
        call.encode_to_vec().into()
    }
}

/// A POST of `body` to the master's `/api/v1/scheduler`.
pub(crate) fn post(
    master: &Master,
    body: bytes::Bytes,
    content_type: &str,
    accept: Option<&str>,
    stream_id: Option<&str>,
) -> Future<Response> {
    let mut headers = Headers::new();
    if let Some(accept) = accept {
        headers.insert("Accept", accept);
    }
    if let Some(stream_id) = stream_id {
        headers.insert("Mesos-Stream-Id", stream_id);
    }
    http::post(
        master.pid.upid(),
        "api/v1/scheduler",
        headers,
        Some(body),
        Some(content_type),
    )
}

/// SUBSCRIBEs `info` in `content_type`, answered with a stream.
pub(crate) fn subscribe_over_http(
    master: &Master,
    content_type: &str,
    info: mesos::v1::FrameworkInfo,
) -> Response {
    let mut headers = Headers::new();
    headers.insert("Accept", content_type);
    let response = http::streaming::post(
        master.pid.upid(),
        "api/v1/scheduler",
        headers,
        Some(serialize(content_type, &subscribe_call(info))),
        Some(content_type),
    );
    await_ready(&response)
}

/// The events of a SUBSCRIBE's streamed response.
pub(crate) fn events(content_type: &'static str, response: &Response) -> recordio::Reader<Event> {
    let reader = response.reader().expect("a stream").clone();
    let content_type = if content_type == APPLICATION_JSON {
        ContentType::Json
    } else {
        ContentType::Protobuf
    };
    recordio::Reader::new(
        move |record: &[u8]| content_type.deserialize(record),
        reader,
    )
}

/// The next event, which must come.
pub(crate) fn next_event(events: &recordio::Reader<Event>) -> Event {
    let next = events.read();
    testing::wait(&next, testing::AWAIT_TIMEOUT);
    match next.value() {
        Some(Some(Ok(event))) => event.clone(),
        Some(None) => panic!("the stream ended"),
        Some(Some(Err(e))) => panic!("an event that did not deserialize: {e}"),
        None => panic!("{}: {:?}", next.state_name(), next.failure()),
    }
}
