//! The expectations Mesos' tests are written with (`FUTURE_DISPATCH(_,
//! &Slave::method)`, `DROP_DISPATCH`, `EXPECT_NO_FUTURE_DISPATCHES`,
//! content predicates for `FUTURE_CALL`-style matchers, HTTP requests, a
//! test's own filter): each catches or drops the event it names.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use libprocess::filter::Filter;
use libprocess::http::{self, Headers};
use libprocess::testing::{self, ANY};
use libprocess::{
    defer, delay, dispatch, dispatch_method, post, spawn, terminate, wait, Clock, EventRef, Future,
    Handlers, Process, SelfPid, UPID,
};
use stout::Duration;

use crate::testing_test::panic_message;

#[derive(Default)]
struct Slave {
    pings: usize,
    arguments: Vec<String>,
}

impl Slave {
    fn ping(&mut self) -> usize {
        self.pings += 1;
        self.pings
    }

    fn record(&mut self, a: String, b: u32, c: bool) {
        self.arguments.push(format!("{} {} {}", a, b, c));
    }

    #[allow(clippy::too_many_arguments)]
    fn many(&mut self, a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) -> u32 {
        [a, b, c, d, e, f, g, h].iter().map(|x| *x as u32).sum()
    }

    fn continued(&mut self, prefix: String, value: u32) -> String {
        format!("{}{}", prefix, value)
    }

    fn arguments(&mut self) -> Vec<String> {
        self.arguments.clone()
    }
}

impl Process for Slave {}

fn stop<P>(pid: &libprocess::PID<P>) {
    terminate(pid, true);
    wait(pid, None);
}

#[test]
fn future_dispatch_for_any_pid() {
    let _rt = testing::runtime();
    let first = spawn(Slave::default());
    let second = spawn(Slave::default());

    // Whichever process gets it, and however it was reached.
    let pinged = testing::future_dispatch(ANY, Slave::ping);
    dispatch(&second, Slave::ping);
    testing::await_ready(&pinged);

    let recorded = testing::future_dispatch(ANY, Slave::record);
    libprocess::dispatch!(first, Slave::record, "a".to_string(), 1, true);
    testing::await_ready(&recorded);

    let many = testing::future_dispatch(&first, Slave::many);
    let sum = dispatch_method(&first, Slave::many, (1, 2, 3, 4, 5, 6, 7, 8));
    testing::await_ready(&many);
    assert_eq!(testing::await_ready(&sum), 36);

    // Through defer, with a bound argument and the continuation's value.
    let continued = testing::future_dispatch(ANY, Slave::continued);
    let text = Future::ready(7).then(libprocess::defer!(
        first,
        Slave::continued,
        "v".to_string(),
        _
    ));
    testing::await_ready(&continued);
    assert_eq!(testing::await_ready(&text), "v7");

    // Through defer with the method itself.
    let pinged = testing::future_dispatch(&second, Slave::ping);
    let count = Future::ready(()).then(defer(&second, |s: &mut Slave, ()| s.ping()));
    assert_eq!(testing::await_ready(&count), 2);
    assert!(pinged.is_pending(), "a closure is not the method");
    let direct = Future::ready(()).then(libprocess::defer!(second, Slave::ping));
    testing::await_ready(&pinged);
    assert_eq!(testing::await_ready(&direct), 3);

    // Through delay, on the clock.
    Clock::pause();
    let delayed = testing::future_dispatch(ANY, Slave::record);
    libprocess::delay!(
        Duration::from_secs(1),
        second,
        Slave::record,
        "d".into(),
        2,
        false
    );
    Clock::settle();
    assert!(delayed.is_pending());
    Clock::advance(Duration::from_secs(1));
    testing::await_ready(&delayed);
    let pinged = testing::future_dispatch(ANY, Slave::ping);
    delay(Duration::from_secs(1), &first, |s: &mut Slave| {
        s.ping();
    });
    Clock::advance(Duration::from_secs(1));
    Clock::settle();
    assert!(pinged.is_pending(), "a closure is not the method");
    assert_eq!(
        testing::await_ready(&dispatch(&second, Slave::arguments)),
        vec!["d 2 false".to_string()]
    );
    stop(&first);
    stop(&second);
}

#[test]
fn drop_dispatch_for_any_pid() {
    let _rt = testing::runtime();
    let pid = spawn(Slave::default());
    let dropped = testing::drop_dispatch(ANY, Slave::record);
    let first = libprocess::dispatch!(pid, Slave::record, "x".into(), 1, true);
    testing::await_ready(&dropped);
    // The dropped dispatch never runs: its future is abandoned.
    testing::await_abandoned(&first);
    libprocess::dispatch!(pid, Slave::record, "y".into(), 2, true);
    assert_eq!(
        testing::await_ready(&dispatch(&pid, Slave::arguments)),
        vec!["y 2 true".to_string()]
    );

    testing::drop_dispatches(ANY, Slave::ping);
    for _ in 0..3 {
        let pinged = dispatch(&pid, Slave::ping);
        testing::await_abandoned(&pinged);
    }
    stop(&pid);
}

#[test]
fn expect_no_future_dispatches_fails_the_test() {
    let message = panic_message(catch_unwind(|| {
        let _rt = testing::runtime();
        let pid = spawn(Slave::default());
        testing::expect_no_future_dispatches(ANY, Slave::ping);
        testing::await_ready(&dispatch(&pid, Slave::arguments));
        testing::await_ready(&dispatch(&pid, Slave::ping));
    }));
    assert!(message.starts_with("Unexpected events:"), "{message}");
    assert!(message.contains("Slave::ping"), "{message}");
}

struct Sink {
    bodies: Vec<String>,
}

impl Process for Sink {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("call", |sink: &mut Sink, _from: &UPID, body: &[u8]| {
            sink.bodies.push(String::from_utf8_lossy(body).into_owned());
        });
        handlers.route("/api", |_sink: &mut Sink, request: http::Request| {
            Future::ready(http::ok(
                String::from_utf8_lossy(&request.body).into_owned(),
            ))
        });
    }
}

impl Sink {
    fn bodies(&mut self) -> Vec<String> {
        self.bodies.clone()
    }
}

#[test]
fn messages_matched_by_content() {
    let _rt = testing::runtime();
    let pid = spawn(Sink { bodies: Vec::new() });
    let teardown = testing::future_message_where("call", ANY, &pid, |m| &m.body[..] == b"TEARDOWN");
    testing::drop_messages_where("call", ANY, &pid, |m| m.body.starts_with(b"ACK"));
    for body in ["SUBSCRIBE", "ACK 1", "TEARDOWN", "ACK 2"] {
        post(&UPID::empty(), pid.upid(), "call", body);
    }
    let message = testing::await_ready(&teardown);
    assert_eq!(&message.body[..], b"TEARDOWN");
    assert_eq!(
        testing::await_ready(&dispatch(&pid, Sink::bodies)),
        vec!["SUBSCRIBE".to_string(), "TEARDOWN".to_string()]
    );
    stop(&pid);
}

#[test]
fn one_message_dropped_by_content() {
    let _rt = testing::runtime();
    let pid = spawn(Sink { bodies: Vec::new() });
    let dropped = testing::drop_message_where("call", ANY, &pid, |m| &m.body[..] == b"B");
    for body in ["A", "B", "B"] {
        post(&UPID::empty(), pid.upid(), "call", body);
    }
    assert_eq!(&testing::await_ready(&dropped).body[..], b"B");
    // Only the first match: the second B is served.
    assert_eq!(
        testing::await_ready(&dispatch(&pid, Sink::bodies)),
        vec!["A".to_string(), "B".to_string()]
    );
    stop(&pid);
}

#[test]
fn expect_no_future_messages_where_fails_the_test() {
    let message = panic_message(catch_unwind(|| {
        let _rt = testing::runtime();
        let pid = spawn(Sink { bodies: Vec::new() });
        testing::expect_no_future_messages_where("call", ANY, &pid, |m| &m.body[..] == b"bad");
        post(&UPID::empty(), pid.upid(), "call", "good");
        testing::await_ready(&dispatch(&pid, Sink::bodies));
        post(&UPID::empty(), pid.upid(), "call", "bad");
        testing::await_ready(&dispatch(&pid, Sink::bodies));
    }));
    assert!(message.starts_with("Unexpected events:"), "{message}");
    assert!(message.contains("message Eq(\"call\")"), "{message}");
}

#[test]
fn expect_no_future_http_requests_fails_the_test() {
    let message = panic_message(catch_unwind(|| {
        let _rt = crate::http_test::listening();
        let pid = spawn(Sink { bodies: Vec::new() });
        testing::expect_no_future_http_requests(ANY, |r| &r.body[..] == b"bad");
        let good = http::post(pid.upid(), "api", Headers::new(), Some("good".into()), None);
        assert_eq!(testing::await_ready(&good).code, 200);
        let bad = http::post(pid.upid(), "api", Headers::new(), Some("bad".into()), None);
        testing::await_ready(&bad);
    }));
    assert!(message.starts_with("Unexpected events:"), "{message}");
    assert!(message.contains("HTTP request"), "{message}");
}

#[test]
fn http_requests_matched_and_dropped() {
    let _rt = crate::http_test::listening();
    let pid = spawn(Sink { bodies: Vec::new() });
    let path = format!("/{}/api", pid.id());
    let seen = testing::future_http_request(path.as_str(), |r| &r.body[..] == b"one");
    let response = http::post(pid.upid(), "api", Headers::new(), Some("one".into()), None);
    assert_eq!(testing::await_ready(&seen).body, "one");
    assert_eq!(testing::await_ready(&response).code, 200);

    let dropped = testing::drop_http_request(ANY, |r| &r.body[..] == b"two");
    let response = http::post(pid.upid(), "api", Headers::new(), Some("two".into()), None);
    testing::await_ready(&dropped);
    // Nothing answers a dropped request: the connection says 500.
    assert_eq!(testing::await_ready(&response).code, 500);
    stop(&pid);
}

/// Counts the messages a test's own filter sees.
struct Counting(Arc<AtomicUsize>);

impl Filter for Counting {
    fn filter(&self, event: &EventRef<'_>) -> bool {
        if let EventRef::Message(_) = event {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        false
    }
}

#[test]
fn a_filter_beside_the_expectations() {
    let _rt = testing::runtime();
    let seen = Arc::new(AtomicUsize::new(0));
    libprocess::filter::install(Some(Arc::new(Counting(seen.clone()))));
    let pid = spawn(Sink { bodies: Vec::new() });
    let dropped = testing::drop_message("call", ANY, &pid);
    post(&UPID::empty(), pid.upid(), "call", "1");
    post(&UPID::empty(), pid.upid(), "call", "2");
    testing::await_ready(&dropped);
    assert_eq!(
        testing::await_ready(&dispatch(&pid, Sink::bodies)),
        vec!["2".to_string()]
    );
    // The expectation dropped the first; the filter saw the second.
    assert_eq!(seen.load(Ordering::SeqCst), 1);
    libprocess::filter::install(None);
    stop(&pid);
}

struct Named;

impl Process for Named {}

impl Named {
    fn me(&mut self) -> UPID {
        self.self_pid().upid().clone()
    }
}

#[test]
fn self_pid_in_a_handler() {
    let _rt = testing::runtime();
    let pid = spawn(Named);
    assert_eq!(
        &testing::await_ready(&dispatch(&pid, Named::me)),
        pid.upid()
    );
    let message = panic_message(catch_unwind(AssertUnwindSafe(|| {
        Named.self_pid();
    })));
    assert!(message.contains("outside its own handlers"), "{message}");
    stop(&pid);
}
