//! A handler that panics is contained to its event: a test runtime fails
//! the test naming the process, the event and the panic; a daemon aborts,
//! as Mesos does on a failed CHECK. `Clock::settle` has a deadline.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Command, Stdio};

use libprocess::testing::{self, ANY};
use libprocess::{
    dispatch, link, post, send, spawn, Clock, Future, Handlers, Process, Promise, SelfPid, UPID,
};
use stout::Duration;

use crate::testing_test::panic_message;

/// Panics on `boom`; counts `ping`s.
#[derive(Default)]
struct Fragile {
    pings: u32,
}

impl Process for Fragile {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("boom", |_: &mut Fragile, _: &UPID, body: &[u8]| {
            panic!("asked to panic: {}", String::from_utf8_lossy(body))
        });
        handlers.install("ping", |fragile: &mut Fragile, _: &UPID, _: &[u8]| {
            fragile.pings += 1;
        });
    }
}

impl Fragile {
    fn pings(&mut self) -> u32 {
        self.pings
    }

    fn divide(&mut self, by: u32) -> u32 {
        self.pings / by
    }
}

#[test]
fn a_panic_fails_the_test_naming_the_process_and_the_event() {
    let message = panic_message(catch_unwind(|| {
        let _rt = testing::runtime();
        let pid = spawn(Fragile::default());
        let never = Promise::<()>::new();
        post(&UPID::empty(), pid.upid(), "boom", "now");
        // The awaited future is not the process' own: the test still fails
        // at once instead of after the await's timeout.
        testing::await_ready(&never.future());
    }));
    assert!(message.starts_with("Process (1)@"), "{message}");
    assert!(
        message.contains("panicked serving message 'boom' from @0.0.0.0:0: asked to panic: now"),
        "{message}"
    );
}

#[test]
fn a_panicking_dispatch_abandons_its_future() {
    let message = panic_message(catch_unwind(|| {
        let _rt = testing::runtime();
        let pid = spawn(Fragile::default());
        let divided = libprocess::dispatch!(pid, Fragile::divide, 0);
        assert!(!divided.wait_for(Duration::from_secs(15)));
        assert!(divided.is_abandoned());
        Clock::pause();
        Clock::settle();
    }));
    assert!(
        message.contains("panicked serving a dispatch of libprocess::fault_test::Fragile::divide"),
        "{message}"
    );
}

/// Links to a process and reports its exit.
struct Watcher {
    watched: UPID,
    exited: Option<Promise<UPID>>,
}

impl Process for Watcher {
    fn initialize(&mut self, _: &mut Handlers<Self>) {
        link(&self.watched);
    }

    fn exited(&mut self, pid: &UPID) {
        if let Some(exited) = self.exited.take() {
            exited.set(pid.clone());
        }
    }
}

#[test]
fn the_runtime_goes_on_after_a_panic() {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let _rt = testing::runtime();
        let fragile = spawn(Fragile::default());
        let other = spawn(Fragile::default());
        let exited = Promise::new();
        let exit = exited.future();
        let watcher = spawn(Watcher {
            watched: fragile.upid().clone(),
            exited: Some(exited),
        });
        assert!(
            dispatch(&watcher, |w: &mut Watcher| w.self_pid()).wait_for(Duration::from_secs(15))
        );
        post(&UPID::empty(), fragile.upid(), "boom", "");
        // The crashed process is gone, as if terminated: its linkers hear.
        assert!(exit.wait_for(Duration::from_secs(15)));
        assert_eq!(exit.value(), Some(fragile.upid()));
        // Its later events are dropped; other processes keep serving.
        let after = dispatch(&fragile, Fragile::pings);
        assert!(!after.wait_for(Duration::from_secs(15)) && after.is_abandoned());
        post(&UPID::empty(), other.upid(), "ping", "");
        let pings = dispatch(&other, Fragile::pings);
        assert!(pings.wait_for(Duration::from_secs(15)));
        assert_eq!(pings.value(), Some(&1));
    }));
    // The test runtime still fails the test when it ends.
    assert!(panic_message(result).contains("asked to panic"));
}

#[test]
fn a_daemon_aborts_on_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_test-linkee"))
        .env("LIBPROCESS_IP", "127.0.0.1")
        .env_remove("LIBPROCESS_PORT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the helper starts");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().expect("piped")),
        &mut line,
    )
    .expect("the helper prints its UPID");
    let linkee = UPID::parse(line.trim()).expect("a UPID");

    let _rt = crate::http_test::listening();
    struct Sender(UPID);
    impl Process for Sender {
        fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
            "sender".into()
        }

        fn initialize(&mut self, _: &mut Handlers<Self>) {
            send(&self.0, "panic", "on purpose");
        }
    }
    // Held open: the helper serves until its standard input closes, and
    // `wait` would close it.
    let _stdin = child.stdin.take();
    spawn(Sender(linkee));
    let status = child.wait().expect("the helper exits");
    // SIGABRT.
    assert_eq!(status.signal(), Some(6), "{status:?}");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("stderr");
    assert!(
        stderr.contains("Process linkee@127.0.0.1:")
            && stderr.contains("panicked serving message 'panic' from sender(")
            && stderr.contains("asked to panic: on purpose; aborting"),
        "{stderr}"
    );
}

/// Keeps itself busy forever.
struct Spinner;

impl Process for Spinner {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("spin", |spinner: &mut Spinner, _: &UPID, _: &[u8]| {
            send(spinner.self_pid().upid(), "spin", "");
        });
    }
}

#[test]
fn settle_fails_after_its_deadline_naming_what_runs() {
    let _rt = testing::runtime();
    Clock::pause();
    let pid = spawn(Spinner);
    post(&UPID::empty(), pid.upid(), "spin", "");
    let message = panic_message(catch_unwind(|| {
        Clock::settle_for(Duration::from_millis(200));
    }));
    assert!(
        message.starts_with("Clock::settle() did not settle within 200ms: "),
        "{message}"
    );
    assert!(message.contains(&pid.upid().to_string()), "{message}");
    testing::drop_messages("spin", ANY, &pid);
    Clock::settle();
    assert!(Future::ready(()).is_ready());
}

#[test]
fn a_panic_in_a_simulation_is_contained_too() {
    let message = panic_message(catch_unwind(|| {
        let simulation = libprocess::Simulation::new(3);
        let _rt = testing::runtime_with(libprocess::Builder::default().simulation(&simulation));
        let pid = spawn(Fragile::default());
        let other = spawn(Fragile::default());
        post(&UPID::empty(), pid.upid(), "boom", "simulated");
        // The driver (this thread) survives the handler's panic and serves
        // the other process; the fault fails the test at the next await.
        post(&UPID::empty(), other.upid(), "ping", "");
        let pings = dispatch(&other, Fragile::pings);
        assert!(pings.wait_for(Duration::from_secs(15)));
        assert_eq!(pings.value(), Some(&1));
        testing::await_ready(&pings);
    }));
    assert!(
        message
            .contains("panicked serving message 'boom' from @0.0.0.0:0: asked to panic: simulated"),
        "{message}"
    );
}

/// Serves `/state` with help, and panics on `boom`.
struct Documented;

impl Process for Documented {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.route_with(
            "/state",
            libprocess::RouteOptions::help("The state."),
            |_: &mut Documented, _| Future::ready(libprocess::http::ok("{}")),
        );
        handlers.install("boom", |_: &mut Documented, _: &UPID, _: &[u8]| {
            panic!("boom")
        });
    }
}

#[test]
fn a_crashed_process_leaves_help() {
    let result = catch_unwind(|| {
        let _rt = crate::http_test::listening();
        let pid = spawn(Documented);
        // Not the await helpers: they fail the test once a process crashed.
        let help = |route: &str| {
            let at = libprocess::address();
            let path = format!("/help/{}/{}", pid.id(), route);
            let url = libprocess::http::Url::new("http", at.ip(), at.port(), &path);
            let response =
                libprocess::http::request(libprocess::http::Request::new("GET", url), false);
            assert!(response.wait_for(Duration::from_secs(15)));
            response.value().map(|r| r.code)
        };
        let exited = Promise::new();
        let exit = exited.future();
        let watcher = spawn(Watcher {
            watched: pid.upid().clone(),
            exited: Some(exited),
        });
        assert!(dispatch(&watcher, |_: &mut Watcher| ()).wait_for(Duration::from_secs(15)));
        assert_eq!(help("state"), Some(200));
        post(&UPID::empty(), pid.upid(), "boom", "");
        assert!(exit.wait_for(Duration::from_secs(15)));
        assert_eq!(help("state"), Some(400));
    });
    assert!(panic_message(result).contains("panicked serving message 'boom'"));
}
