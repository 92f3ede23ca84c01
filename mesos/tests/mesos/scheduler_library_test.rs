//! The v1 scheduler library (`mesos::v1::scheduler::Mesos`) against a
//! stand-in for the master's `/api/v1/scheduler`: detection, the two
//! connections, SUBSCRIBE and its event stream, calls with the stream's
//! ID, and reconnection.

use std::collections::VecDeque;
use std::sync::Arc;

use libprocess::http::{self, pipe, Request, Response};
use libprocess::testing::{await_failed, await_ready};
use libprocess::{Future, Handlers, Process, Queue, PID};
use mesos::master::detector::StandaloneMasterDetector;
use mesos::v1::scheduler::ContentType;
use mesos::v1::scheduler::{call, event, Call, Callbacks, Event, Mesos};
use mesos::v1::{FrameworkId, FrameworkInfo};
use parking_lot::Mutex;
use stout::Duration;

/// Each call the fake master got, with its `Mesos-Stream-Id` header.
type Calls = Arc<Mutex<Vec<(Call, Option<String>)>>>;

const STREAM_ID: &str = "8f5b2cde-1d59-4a55-a6e6-f1a2b2f4a5a0";

/// The master's side: SUBSCRIBE gets a stream with SUBSCRIBED first,
/// other calls `202 Accepted`; it records each call and its headers.
#[derive(Default)]
struct FakeMaster {
    calls: Calls,
    streams: Vec<pipe::Writer>,
}

impl Process for FakeMaster {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "master".into()
    }

    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.route("/api/v1/scheduler", FakeMaster::scheduler);
    }
}

impl FakeMaster {
    fn scheduler(&mut self, request: Request) -> Future<Response> {
        let content_type = match request.headers.get("Content-Type") {
            Some("application/json") => ContentType::Json,
            _ => ContentType::Protobuf,
        };
        let call: Call = match content_type.deserialize(&request.body) {
            Ok(call) => call,
            Err(e) => return Future::ready(http::bad_request(Some(e.to_string()))),
        };
        let stream_id = request.headers.get("Mesos-Stream-Id").map(str::to_string);
        self.calls.lock().push((call.clone(), stream_id));
        if call.r#type != Some(call::Type::Subscribe as i32) {
            return Future::ready(http::accepted());
        }
        let (reader, writer) = pipe::pipe();
        let subscribed = Event {
            r#type: Some(event::Type::Subscribed as i32),
            subscribed: Some(event::Subscribed {
                framework_id: FrameworkId {
                    value: "framework-1".to_string(),
                },
                heartbeat_interval_seconds: Some(15.0),
                ..Default::default()
            }),
            ..Event::default()
        };
        writer.write(stout::recordio::encode(
            &content_type.serialize(&subscribed),
        ));
        self.streams.push(writer);
        let mut response = Response::pipe(200, reader);
        response
            .headers
            .insert("Content-Type", content_type.media_type());
        response.headers.insert("Mesos-Stream-Id", STREAM_ID);
        Future::ready(response)
    }

    fn close_streams(&mut self) {
        for stream in self.streams.drain(..) {
            stream.close();
        }
    }
}

/// A runtime on the in-memory network: the library's HTTP connections
/// to the fake master go through the wire code, without sockets.
fn runtime() -> libprocess::testing::TestRuntime {
    let network = libprocess::network::Network::new();
    let address = std::net::SocketAddrV4::new(std::net::Ipv4Addr::new(10, 0, 0, 1), 5050);
    libprocess::testing::runtime_with(libprocess::Runtime::builder().network(&network, address))
}

#[derive(Clone, Debug, PartialEq)]
enum Seen {
    Connected,
    Disconnected,
    Event(Box<Event>),
}

struct Recorder(Queue<Seen>);

impl Callbacks for Recorder {
    fn connected(&mut self) {
        self.0.put(Seen::Connected);
    }
    fn disconnected(&mut self) {
        self.0.put(Seen::Disconnected);
    }
    fn received(&mut self, events: VecDeque<Event>) {
        for event in events {
            self.0.put(Seen::Event(Box::new(event)));
        }
    }
}

struct Harness {
    master: PID<FakeMaster>,
    calls: Calls,
    detector: StandaloneMasterDetector,
    seen: Queue<Seen>,
}

fn harness() -> Harness {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let master = libprocess::spawn(FakeMaster {
        calls: Arc::clone(&calls),
        streams: Vec::new(),
    });
    let detector = StandaloneMasterDetector::with_pid(master.upid());
    Harness {
        master,
        calls,
        detector,
        seen: Queue::new(),
    }
}

impl Harness {
    fn library(&self, content_type: ContentType) -> Mesos {
        Mesos::with_connection_delay_max(
            content_type,
            Arc::new(self.detector.clone()),
            Duration::ZERO,
            Recorder(self.seen.clone()),
        )
    }

    fn next(&self) -> Seen {
        await_ready(&self.seen.get())
    }

    fn next_event_type(&self) -> event::Type {
        match self.next() {
            Seen::Event(event) => event::Type::try_from(event.r#type.unwrap_or_default())
                .unwrap_or(event::Type::Unknown),
            other => panic!("expected an event, got {:?}", other),
        }
    }
}

fn subscribe() -> Call {
    Call {
        r#type: Some(call::Type::Subscribe as i32),
        subscribe: Some(call::Subscribe {
            framework_info: FrameworkInfo {
                user: "user".to_string(),
                name: "test".to_string(),
                ..FrameworkInfo::default()
            },
            ..Default::default()
        }),
        ..Call::default()
    }
}

fn revive() -> Call {
    Call {
        r#type: Some(call::Type::Revive as i32),
        framework_id: Some(FrameworkId {
            value: "framework-1".to_string(),
        }),
        ..Call::default()
    }
}

#[test]
fn subscribes_then_calls_carry_the_stream_id() {
    for content_type in [ContentType::Protobuf, ContentType::Json] {
        let _runtime = runtime();
        let harness = harness();
        let mesos = harness.library(content_type);

        assert_eq!(harness.next(), Seen::Connected);
        mesos.send(subscribe());
        assert_eq!(harness.next_event_type(), event::Type::Subscribed);

        let result = await_ready(&mesos.call(revive()));
        assert_eq!(result.status_code, 202);
        assert_eq!(result.error, None);

        let calls = harness.calls.lock().clone();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].0.r#type, Some(call::Type::Subscribe as i32));
        assert_eq!(calls[0].1, None);
        assert_eq!(calls[1].0, revive());
        assert_eq!(calls[1].1.as_deref(), Some(STREAM_ID));
    }
}

#[test]
fn calls_before_subscribing_are_refused() {
    let _runtime = runtime();
    let harness = harness();
    let mesos = harness.library(ContentType::Protobuf);
    assert_eq!(harness.next(), Seen::Connected);

    let failure = await_failed(&mesos.call(revive()));
    assert_eq!(
        failure,
        "Cannot perform calls until subscribed. Current state: CONNECTED"
    );
    let failure = await_failed(&mesos.call(subscribe()));
    assert_eq!(failure, "This method doesn't support SUBSCRIBE calls");
    let failure = await_failed(&mesos.call(Call::default()));
    assert_eq!(failure, "Expecting 'type' to be present");
    assert!(harness.calls.lock().is_empty());
}

#[test]
fn a_closed_stream_disconnects_and_reconnects() {
    let _runtime = runtime();
    let harness = harness();
    let mesos = harness.library(ContentType::Protobuf);
    assert_eq!(harness.next(), Seen::Connected);
    mesos.send(subscribe());
    assert_eq!(harness.next_event_type(), event::Type::Subscribed);

    libprocess::dispatch(&harness.master, FakeMaster::close_streams);
    assert_eq!(harness.next(), Seen::Disconnected);
    assert_eq!(harness.next(), Seen::Connected);

    mesos.send(subscribe());
    assert_eq!(harness.next_event_type(), event::Type::Subscribed);
    assert_eq!(harness.calls.lock().len(), 2);
}

#[test]
fn a_new_leader_disconnects_and_connects_to_it() {
    let _runtime = runtime();
    let harness = harness();
    let mesos = harness.library(ContentType::Protobuf);
    assert_eq!(harness.next(), Seen::Connected);
    mesos.send(subscribe());
    assert_eq!(harness.next_event_type(), event::Type::Subscribed);

    let other_calls = Arc::new(Mutex::new(Vec::new()));
    let other = libprocess::spawn(FakeMaster {
        calls: Arc::clone(&other_calls),
        streams: Vec::new(),
    });
    harness.detector.appoint(Some(
        mesos::common::protobuf_utils::master::create_master_info(other.upid()),
    ));
    assert_eq!(harness.next(), Seen::Disconnected);
    assert_eq!(harness.next(), Seen::Connected);
    mesos.send(subscribe());
    assert_eq!(harness.next_event_type(), event::Type::Subscribed);
    assert_eq!(harness.calls.lock().len(), 1);
    assert_eq!(other_calls.lock().len(), 1);
}

#[test]
fn invalid_calls_are_dropped_before_sending() {
    let _runtime = runtime();
    let harness = harness();
    let mesos = harness.library(ContentType::Protobuf);
    assert_eq!(harness.next(), Seen::Connected);
    // Its framework ID differs from the call's.
    let mut bad = subscribe();
    if let Some(subscribe) = bad.subscribe.as_mut() {
        subscribe.framework_info.id = Some(FrameworkId {
            value: "other".to_string(),
        });
    }
    mesos.send(bad);
    // Validation drops it before sending.
    mesos.send(Call {
        r#type: Some(call::Type::Subscribe as i32),
        ..Call::default()
    });
    mesos.send(subscribe());
    assert_eq!(harness.next_event_type(), event::Type::Subscribed);
    assert_eq!(harness.calls.lock().len(), 1);
}
