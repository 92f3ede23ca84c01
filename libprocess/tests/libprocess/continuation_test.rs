//! Continuations that read like Mesos': `future.onAny(defer(self(),
//! &Master::_launch, ...))` is one call, a deferred method returning a
//! future is flattened, a loop's body has the process, and the runtime a
//! continuation runs on is fixed when it is made.

use std::net::{Ipv4Addr, SocketAddrV4};

use libprocess::http::{self, Headers};
use libprocess::testing::{self, ANY};
use libprocess::{
    defer, loop_on, spawn, terminate, wait, Builder, ControlFlow, Future, Handlers, Process,
    Promise, SelfPid, PID,
};

/// Records how each continuation reached it.
#[derive(Default)]
struct Master {
    events: Vec<String>,
    launched: Option<Promise<()>>,
}

impl Master {
    fn _launch(&mut self, task: String, authorized: Future<bool>) {
        let state = match authorized.value() {
            Some(true) => "authorized",
            Some(false) => "denied",
            None => authorized.state_name(),
        };
        self.events.push(format!("launch {} {}", task, state));
        if let Some(launched) = self.launched.take() {
            launched.set(());
        }
    }

    fn _ready(&mut self, value: u32) {
        self.events.push(format!("ready {}", value));
    }

    fn _failed(&mut self, message: String) {
        self.events.push(format!("failed {}", message));
    }

    fn _double(&mut self, value: u32) -> Future<u32> {
        Future::ready(value * 2)
    }

    fn events(&mut self) -> Vec<String> {
        std::mem::take(&mut self.events)
    }

    /// Authorizes through a future that completes later, continuing on
    /// this process.
    fn accept(&mut self, task: String, authorization: Future<bool>) -> Future<()> {
        let launched = Promise::new();
        let done = launched.future();
        self.launched = Some(launched);
        authorization.on_any(libprocess::defer!(
            self.self_pid(),
            Master::_launch,
            task,
            _
        ));
        done
    }
}

impl Process for Master {}

fn stop<P>(pid: &PID<P>) {
    terminate(pid, true);
    wait(pid, None);
}

#[test]
fn on_any_on_ready_on_failed_and_then_onto_a_process() {
    let _rt = testing::runtime();
    let pid = spawn(Master::default());

    let authorization = Promise::new();
    let launched = libprocess::dispatch!(
        pid,
        Master::accept,
        "t1".to_string(),
        authorization.future()
    );
    // The continuation waits for the future, then runs on the process.
    let continued = testing::future_dispatch(ANY, Master::_launch);
    authorization.set(true);
    testing::await_ready(&continued);
    testing::await_ready(&launched);

    Future::ready(7).on_ready(defer(&pid, Master::_ready));
    Future::<u32>::failed("boom").on_failed(libprocess::defer!(pid, Master::_failed, _));
    // A deferred method that returns a future: the result is flattened.
    let doubled: Future<u32> = Future::ready(21).then(libprocess::defer!(pid, Master::_double, _));
    assert_eq!(testing::await_ready(&doubled), 42);
    let quadrupled: Future<u32> = libprocess::dispatch!(pid, Master::_double, 21)
        .then(libprocess::defer!(pid, Master::_double, _));
    assert_eq!(testing::await_ready(&quadrupled), 84);
    assert_eq!(
        testing::await_ready(&libprocess::dispatch!(pid, Master::events)),
        vec!["launch t1 authorized", "ready 7", "failed boom"]
    );
    stop(&pid);
}

#[test]
fn a_discarded_future_reaches_on_any() {
    let _rt = testing::runtime();
    let pid = spawn(Master::default());
    let authorization = Promise::<bool>::new();
    let launched = libprocess::dispatch!(
        pid,
        Master::accept,
        "t2".to_string(),
        authorization.future()
    );
    authorization.discard();
    testing::await_ready(&launched);
    assert_eq!(
        testing::await_ready(&libprocess::dispatch!(pid, Master::events)),
        vec!["launch t2 DISCARDED"]
    );
    stop(&pid);
}

/// Counts with a loop whose body changes the process.
#[derive(Default)]
struct Counter {
    count: u32,
}

impl Process for Counter {}

#[test]
fn a_loop_body_has_the_process() {
    let _rt = testing::runtime();
    let pid = spawn(Counter::default());
    let total = loop_on(
        &pid,
        |counter: &mut Counter| Future::ready(counter.count),
        |counter: &mut Counter, seen: u32| {
            counter.count = seen + 1;
            Future::ready(match counter.count {
                5 => ControlFlow::Break(counter.count * 10),
                _ => ControlFlow::Continue,
            })
        },
    );
    assert_eq!(testing::await_ready(&total), 50);
    assert_eq!(
        testing::await_ready(&libprocess::dispatch(&pid, |c: &mut Counter| c.count)),
        5
    );
    stop(&pid);
}

/// Serves `/hello`, and fetches it from itself, continuing on itself.
struct Fetcher;

impl Process for Fetcher {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.route("/hello", |_: &mut Fetcher, _| {
            Future::ready(http::ok("hello"))
        });
    }
}

impl Fetcher {
    fn fetch(&mut self) -> Future<String> {
        let me = self.self_pid();
        // The response completes on the HTTP client's I/O thread, which
        // belongs to no runtime; the continuation still finds this process
        // in the test's runtime.
        http::get(me.upid(), "hello", None, Headers::new()).then(defer(
            &me,
            |_: &mut Fetcher, response: http::Response| match response.body {
                http::Body::Bytes(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                _ => String::new(),
            },
        ))
    }
}

#[test]
fn a_continuation_keeps_its_runtime() {
    let _rt = testing::runtime_with(
        Builder::default()
            .workers(2)
            .listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
    );
    let pid = spawn(Fetcher);
    let body = libprocess::dispatch!(pid, Fetcher::fetch);
    assert_eq!(testing::await_ready(&body), "hello");
    stop(&pid);
}
