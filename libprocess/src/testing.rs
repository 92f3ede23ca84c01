//! What Mesos' tests are written with, for Rust: a runtime per test, event
//! expectations that act when the receiving process dequeues an event
//! (`FUTURE_MESSAGE`, `DROP_MESSAGE(S)`, `FUTURE_PROTOBUF`,
//! `FUTURE_DISPATCH`, `FUTURE_EXITED`, ...), and await helpers
//! (`AWAIT_READY`, `AWAIT_FAILED`, ...) whose failures name the future's
//! state and the caller's line.
//!
//! Expectations behave like gmock's: the most recently declared matching
//! one acts first; one-shot expectations retire once satisfied.

use std::fmt;
use std::panic::Location;

use stout::Duration;

use crate::future::Future;
use crate::runtime::Inner;
use crate::{Clock, Runtime, UPID};

mod expectations;
mod stale;
pub(crate) use expectations::TestsFilter;
pub use expectations::{
    drop_dispatch, drop_dispatches, drop_exited, drop_http_request, drop_http_requests,
    drop_message, drop_message_where, drop_messages, drop_messages_where, drop_protobuf,
    drop_protobufs, expect_no_future_dispatches, expect_no_future_http_requests,
    expect_no_future_messages, expect_no_future_messages_where, expect_no_future_protobufs,
    future_dispatch, future_exited, future_http_request, future_message, future_message_where,
    future_protobuf, Any, Match, ANY,
};
pub(crate) use stale::connected;
pub use stale::stale_next_connection;

/// How long the await helpers wait by default (libprocess'
/// `TEST_AWAIT_TIMEOUT`).
pub const AWAIT_TIMEOUT: Duration = Duration::from_secs(15);

/// A runtime for one test, entered on the test's thread. Dropping it (also
/// when the test panics) resumes the clock, removes every expectation and
/// shuts the runtime down; it also fails the test if an
/// [`expect_no_future_messages`]-style expectation was violated.
pub struct TestRuntime {
    enter: Option<crate::EnterGuard>,
    runtime: Option<Runtime>,
    /// The seed of the runtime's simulation, printed if the test fails.
    seed: Option<u64>,
}

impl fmt::Debug for TestRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestRuntime").finish()
    }
}

/// A fresh runtime for a test, with the default number of workers. A
/// handler that panics in it terminates its process and fails the test at
/// the next await, `Clock::settle` or the end of the test, with the
/// process, the event and the panic.
pub fn runtime() -> TestRuntime {
    runtime_with(Runtime::builder())
}

/// A fresh runtime for a test, built from `builder`.
///
/// With a [`Simulation`](crate::Simulation), a failing test prints the
/// seed, for `LIBPROCESS_SEED` to replay it.
pub fn runtime_with(builder: crate::Builder) -> TestRuntime {
    let seed = builder.simulation_seed();
    let runtime = builder.abort_on_panic(false).build();
    let enter = runtime.enter();
    TestRuntime {
        enter: Some(enter),
        runtime: Some(runtime),
        seed,
    }
}

impl TestRuntime {
    /// The runtime.
    pub fn runtime(&self) -> &Runtime {
        self.runtime.as_ref().expect("alive until dropped")
    }
}

impl Drop for TestRuntime {
    fn drop(&mut self) {
        Clock::resume();
        let violations = Inner::with(|inner| {
            crate::filter::install(None);
            inner
                .tests_filter
                .get()
                .map(|f| f.clear())
                .unwrap_or_default()
        });
        let fault = Inner::with(|inner| inner.faults.first());
        self.enter.take();
        self.runtime.take();
        if std::thread::panicking() {
            if let Some(seed) = self.seed {
                eprintln!(
                    "This test ran under simulation seed {}: LIBPROCESS_SEED={} replays it",
                    seed, seed
                );
            }
            return;
        }
        if let Some(fault) = fault {
            panic!("{}", fault);
        }
        if !violations.is_empty() {
            panic!("Unexpected events:\n{}", violations.join("\n"));
        }
    }
}

/// Waits for `future` to leave pending: with a paused clock, settles first
/// (timers are not advanced), then waits up to `timeout` of real time.
///
/// # Panics
///
/// When a process of the runtime panicked (see [`runtime`]), naming it.
pub fn wait<T: Send + Sync + 'static>(future: &Future<T>, timeout: Duration) -> bool {
    if Clock::paused() {
        Clock::settle();
    }
    // In slices, so that a crashed process fails the test at once even
    // when the future it leaves pending is not its own.
    let slice = Duration::from_millis(10);
    let deadline = std::time::Instant::now() + timeout.to_std().unwrap_or_default();
    loop {
        let completed = future.wait_for(slice);
        check_faults();
        if completed || future.is_abandoned() || std::time::Instant::now() >= deadline {
            return completed;
        }
    }
}

/// Fails the test if a process of the current runtime panicked.
fn check_faults() {
    if let Some(fault) = Inner::with(|inner| inner.faults.first()) {
        panic!("{}", fault);
    }
}

#[track_caller]
fn fail<T: Send + Sync + 'static>(what: &str, future: &Future<T>, timeout: Duration) -> ! {
    let location = Location::caller();
    let state = if future.is_pending() && !future.is_abandoned() {
        format!("still PENDING after {}", timeout)
    } else {
        future.state_name().to_string()
    };
    let failure = future
        .failure()
        .map(|m| format!(": {}", m))
        .unwrap_or_default();
    panic!(
        "{} failed at {}:{}: the future is {}{}",
        what,
        location.file(),
        location.line(),
        state,
        failure
    );
}

/// `AWAIT_READY`: the value, or a panic naming the state and the caller.
#[track_caller]
pub fn await_ready<T: Clone + Send + Sync + 'static>(future: &Future<T>) -> T {
    await_ready_for(future, AWAIT_TIMEOUT)
}

/// `AWAIT_READY_FOR`.
#[track_caller]
pub fn await_ready_for<T: Clone + Send + Sync + 'static>(
    future: &Future<T>,
    timeout: Duration,
) -> T {
    wait(future, timeout);
    match future.value() {
        Some(value) => value.clone(),
        None => fail("AWAIT_READY", future, timeout),
    }
}

/// `AWAIT_FAILED`: the failure message.
#[track_caller]
pub fn await_failed<T: Send + Sync + 'static>(future: &Future<T>) -> String {
    wait(future, AWAIT_TIMEOUT);
    match future.failure() {
        Some(message) => message.to_string(),
        None => fail("AWAIT_FAILED", future, AWAIT_TIMEOUT),
    }
}

/// `AWAIT_DISCARDED`.
#[track_caller]
pub fn await_discarded<T: Send + Sync + 'static>(future: &Future<T>) {
    wait(future, AWAIT_TIMEOUT);
    if !future.is_discarded() {
        fail("AWAIT_DISCARDED", future, AWAIT_TIMEOUT);
    }
}

/// `AWAIT_ABANDONED`.
#[track_caller]
pub fn await_abandoned<T: Send + Sync + 'static>(future: &Future<T>) {
    wait(future, AWAIT_TIMEOUT);
    if !future.is_abandoned() {
        fail("AWAIT_ABANDONED", future, AWAIT_TIMEOUT);
    }
}

/// `AWAIT_EQ(expected, future)`.
#[track_caller]
pub fn await_eq<T>(expected: T, future: &Future<T>)
where
    T: Clone + PartialEq + fmt::Debug + Send + Sync + 'static,
{
    let value = await_ready(future);
    if value != expected {
        let location = Location::caller();
        panic!(
            "AWAIT_EQ failed at {}:{}: expected {:?}, got {:?}",
            location.file(),
            location.line(),
            expected,
            value
        );
    }
}

/// How many events of each kind wait in a process' mailbox (those a
/// worker has not yet taken to serve), as libprocess tests count them
/// with `eventCount<T>()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueuedEvents {
    /// Messages.
    pub messages: usize,
    /// Dispatches (including `/__processes__` asking for the queue).
    pub dispatches: usize,
    /// HTTP requests.
    pub http: usize,
    /// Exited events.
    pub exited: usize,
    /// Terminate events.
    pub terminates: usize,
}

/// The events waiting in `pid`'s mailbox; all zero for an unknown
/// process. Call it from the process itself to see what arrived while
/// it runs.
pub fn queued_events(pid: &UPID) -> QueuedEvents {
    use crate::event::Event;
    Inner::with(|inner| match inner.lookup(pid) {
        None => QueuedEvents::default(),
        Some(cell) => {
            let count = |select: fn(&Event) -> bool| cell.queued(select);
            QueuedEvents {
                messages: count(|e| matches!(e, Event::Message(_))),
                dispatches: count(|e| matches!(e, Event::Dispatch(_) | Event::Inspect(_))),
                http: count(|e| matches!(e, Event::Http(_))),
                exited: count(|e| matches!(e, Event::Exited(_))),
                terminates: count(|e| matches!(e, Event::Terminate { .. })),
            }
        }
    })
}

/// `AWAIT_EXPECT_WEXITSTATUS_EQ(code, future)`: the future (a wait status,
/// as [`reap`](crate::reap) gives it) is ready with the status of a process
/// that exited with `code`.
#[track_caller]
pub fn await_wexitstatus_eq(code: i32, future: &Future<Option<i32>>) {
    let status = await_ready(future).map(exit_status);
    if status.and_then(|s| s.code()) != Some(code) {
        let location = Location::caller();
        panic!(
            "AWAIT_WEXITSTATUS_EQ failed at {}:{}: expected exit code {}, got {:?}",
            location.file(),
            location.line(),
            code,
            status
        );
    }
}

/// `AWAIT_EXPECT_WTERMSIG_EQ(signal, future)`: the future is ready with
/// the wait status of a process that `signal` terminated.
#[track_caller]
pub fn await_wtermsig_eq(signal: i32, future: &Future<Option<i32>>) {
    use std::os::unix::process::ExitStatusExt;
    let status = await_ready(future).map(exit_status);
    if status.and_then(|s| s.signal()) != Some(signal) {
        let location = Location::caller();
        panic!(
            "AWAIT_WTERMSIG_EQ failed at {}:{}: expected signal {}, got {:?}",
            location.file(),
            location.line(),
            signal,
            status
        );
    }
}

fn exit_status(status: i32) -> std::process::ExitStatus {
    use std::os::unix::process::ExitStatusExt;
    std::process::ExitStatus::from_raw(status)
}
