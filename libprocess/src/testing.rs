//! What Mesos' tests are written with, for Rust: a runtime per test, event
//! expectations that act when the receiving process dequeues an event
//! (`FUTURE_MESSAGE`, `DROP_MESSAGE(S)`, `FUTURE_PROTOBUF`,
//! `FUTURE_DISPATCH`, `FUTURE_EXITED`, ...), and await helpers
//! (`AWAIT_READY`, `AWAIT_FAILED`, ...) whose failures name the future's
//! state and the caller's line.
//!
//! Expectations behave like gmock's: the most recently declared matching
//! one acts first; one-shot expectations retire once satisfied.

use std::any::TypeId;
use std::fmt;
use std::panic::Location;
use std::sync::Arc;

use parking_lot::Mutex;
use stout::Duration;

use crate::event::{EventRef, Message};
use crate::future::{Future, Promise};
use crate::runtime::Inner;
use crate::{Clock, Runtime, PID, UPID};

mod stale;
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

/// Matches anything (gmock's `_`).
#[derive(Debug, Clone, Copy)]
pub struct Any;

/// `ANY` matches every name or pid.
pub const ANY: Any = Any;

/// A matcher: anything, or one value.
#[derive(Debug, Clone)]
pub enum Match<T> {
    /// Matches anything.
    Any,
    /// Matches this value only.
    Eq(T),
}

impl<T: PartialEq> Match<T> {
    fn matches(&self, value: &T) -> bool {
        match self {
            Match::Any => true,
            Match::Eq(expected) => expected == value,
        }
    }
}

impl Match<String> {
    fn matches_str(&self, value: &str) -> bool {
        match self {
            Match::Any => true,
            Match::Eq(expected) => expected == value,
        }
    }
}

impl<T> From<Any> for Match<T> {
    fn from(_: Any) -> Match<T> {
        Match::Any
    }
}

impl From<&str> for Match<String> {
    fn from(name: &str) -> Match<String> {
        Match::Eq(name.to_string())
    }
}

impl From<String> for Match<String> {
    fn from(name: String) -> Match<String> {
        Match::Eq(name)
    }
}

impl From<&UPID> for Match<UPID> {
    fn from(pid: &UPID) -> Match<UPID> {
        Match::Eq(pid.detached())
    }
}

impl From<UPID> for Match<UPID> {
    fn from(pid: UPID) -> Match<UPID> {
        Match::Eq(pid.detached())
    }
}

impl<P> From<&PID<P>> for Match<UPID> {
    fn from(pid: &PID<P>) -> Match<UPID> {
        Match::Eq(pid.upid().detached())
    }
}

type Matcher = Box<dyn Fn(&EventRef<'_>) -> bool + Send>;
type Satisfy = Box<dyn FnMut(&EventRef<'_>) + Send>;

#[derive(PartialEq)]
enum Times {
    Once,
    Always,
    Never,
}

struct Expectation {
    matcher: Matcher,
    drop: bool,
    times: Times,
    satisfy: Option<Satisfy>,
    description: String,
}

/// The runtime's test expectations, as one event filter.
#[derive(Default)]
pub(crate) struct TestsFilter {
    expectations: Mutex<Vec<Expectation>>,
    violations: Mutex<Vec<String>>,
}

impl TestsFilter {
    fn current() -> Arc<TestsFilter> {
        Inner::with(|inner| {
            let filter = inner.tests_filter.get_or_init(Default::default).clone();
            inner.update_filtering();
            filter
        })
    }

    fn expect(&self, expectation: Expectation) {
        self.expectations.lock().push(expectation);
    }

    /// Removes every expectation; the violations recorded so far.
    fn clear(&self) -> Vec<String> {
        self.expectations.lock().clear();
        std::mem::take(&mut self.violations.lock())
    }
}

impl TestsFilter {
    /// Whether an expectation drops `event` (acting on the one that
    /// matches it).
    pub(crate) fn filter(&self, event: &EventRef<'_>) -> bool {
        let mut expectations = self.expectations.lock();
        let Some(index) = expectations.iter().rposition(|e| (e.matcher)(event)) else {
            return false;
        };
        let expectation = &mut expectations[index];
        if expectation.times == Times::Never {
            self.violations
                .lock()
                .push(format!("{} matched {:?}", expectation.description, event));
            return false;
        }
        let drop = expectation.drop;
        if let Some(satisfy) = expectation.satisfy.as_mut() {
            satisfy(event);
        }
        if expectation.times == Times::Once {
            expectations.remove(index);
        }
        drop
    }
}

/// A test on a message's or a request's content, beside the matchers.
type Predicate<T> = Box<dyn Fn(&T) -> bool + Send>;

fn message_matcher(
    name: Match<String>,
    from: Match<UPID>,
    to: Match<UPID>,
    predicate: Option<Predicate<Message>>,
) -> Matcher {
    Box::new(move |event| match event {
        EventRef::Message(m) => {
            name.matches_str(&m.name)
                && from.matches(&m.from)
                && to.matches(&m.to)
                && predicate.as_ref().is_none_or(|p| p(m))
        }
        _ => false,
    })
}

fn expect_message(
    name: Match<String>,
    from: Match<UPID>,
    to: Match<UPID>,
    predicate: Option<Predicate<Message>>,
    drop: bool,
    times: Times,
) -> Future<Message> {
    let description = format!("message {:?} from {:?} to {:?}", name, from, to);
    let promise = Promise::new();
    let future = promise.future();
    let mut promise = Some(promise);
    TestsFilter::current().expect(Expectation {
        matcher: message_matcher(name, from, to, predicate),
        drop,
        times,
        satisfy: Some(Box::new(move |event| {
            if let (Some(promise), EventRef::Message(m)) = (promise.take(), event) {
                promise.set((*m).clone());
            }
        })),
        description,
    });
    future
}

/// `FUTURE_MESSAGE(name, from, to)`: ready with the first matching message
/// when its receiver dequeues it; the message is then served normally.
pub fn future_message(
    name: impl Into<Match<String>>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) -> Future<Message> {
    expect_message(
        name.into(),
        from.into(),
        to.into(),
        None,
        false,
        Times::Once,
    )
}

/// `DROP_MESSAGE(name, from, to)`: drops the first matching message; the
/// future is ready with it.
pub fn drop_message(
    name: impl Into<Match<String>>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) -> Future<Message> {
    expect_message(name.into(), from.into(), to.into(), None, true, Times::Once)
}

/// `DROP_MESSAGES(name, from, to)`: drops every matching message.
pub fn drop_messages(
    name: impl Into<Match<String>>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) {
    expect_message(
        name.into(),
        from.into(),
        to.into(),
        None,
        true,
        Times::Always,
    );
}

/// `EXPECT_NO_FUTURE_MESSAGES(name, from, to)`: the test fails (when its
/// [`TestRuntime`] drops) if a matching message is dequeued.
pub fn expect_no_future_messages(
    name: impl Into<Match<String>>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) {
    expect_message(
        name.into(),
        from.into(),
        to.into(),
        None,
        false,
        Times::Never,
    );
}

/// `FUTURE_MESSAGE` with a test on the content (Mesos' `FUTURE_CALL` and
/// the other union-message matchers are built on it): ready with the
/// first matching message for which `predicate` holds.
pub fn future_message_where(
    name: impl Into<Match<String>>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
    predicate: impl Fn(&Message) -> bool + Send + 'static,
) -> Future<Message> {
    let predicate: Predicate<Message> = Box::new(predicate);
    expect_message(
        name.into(),
        from.into(),
        to.into(),
        Some(predicate),
        false,
        Times::Once,
    )
}

/// `DROP_MESSAGE` with a test on the content.
pub fn drop_message_where(
    name: impl Into<Match<String>>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
    predicate: impl Fn(&Message) -> bool + Send + 'static,
) -> Future<Message> {
    let predicate: Predicate<Message> = Box::new(predicate);
    expect_message(
        name.into(),
        from.into(),
        to.into(),
        Some(predicate),
        true,
        Times::Once,
    )
}

/// `DROP_MESSAGES` with a test on the content.
pub fn drop_messages_where(
    name: impl Into<Match<String>>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
    predicate: impl Fn(&Message) -> bool + Send + 'static,
) {
    let predicate: Predicate<Message> = Box::new(predicate);
    expect_message(
        name.into(),
        from.into(),
        to.into(),
        Some(predicate),
        true,
        Times::Always,
    );
}

/// `EXPECT_NO_FUTURE_MESSAGES` with a test on the content.
pub fn expect_no_future_messages_where(
    name: impl Into<Match<String>>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
    predicate: impl Fn(&Message) -> bool + Send + 'static,
) {
    let predicate: Predicate<Message> = Box::new(predicate);
    expect_message(
        name.into(),
        from.into(),
        to.into(),
        Some(predicate),
        false,
        Times::Never,
    );
}

fn expect_protobuf<M>(from: Match<UPID>, to: Match<UPID>, drop: bool, times: Times) -> Future<M>
where
    M: prost::Message + prost::Name + Default + Clone + Send + Sync + 'static,
{
    expect_message(crate::name_of::<M>().into(), from, to, None, drop, times).then(|message| {
        match M::decode(message.body) {
            Ok(m) => Future::ready(m),
            Err(e) => Future::failed(format!("Failed to parse {}: {}", M::full_name(), e)),
        }
    })
}

/// `FUTURE_PROTOBUF(M(), from, to)`: ready with the first matching `M`,
/// decoded, when its receiver dequeues it.
pub fn future_protobuf<M>(from: impl Into<Match<UPID>>, to: impl Into<Match<UPID>>) -> Future<M>
where
    M: prost::Message + prost::Name + Default + Clone + Send + Sync + 'static,
{
    expect_protobuf(from.into(), to.into(), false, Times::Once)
}

/// `DROP_PROTOBUF(M(), from, to)`: drops the first matching `M`.
pub fn drop_protobuf<M>(from: impl Into<Match<UPID>>, to: impl Into<Match<UPID>>) -> Future<M>
where
    M: prost::Message + prost::Name + Default + Clone + Send + Sync + 'static,
{
    expect_protobuf(from.into(), to.into(), true, Times::Once)
}

/// `DROP_PROTOBUFS(M(), from, to)`: drops every matching `M`.
pub fn drop_protobufs<M: prost::Name + 'static>(
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) {
    expect_message(
        crate::name_of::<M>().into(),
        from.into(),
        to.into(),
        None,
        true,
        Times::Always,
    );
}

/// `EXPECT_NO_FUTURE_PROTOBUFS(M(), from, to)`.
pub fn expect_no_future_protobufs<M: prost::Name + 'static>(
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) {
    expect_message(
        crate::name_of::<M>().into(),
        from.into(),
        to.into(),
        None,
        false,
        Times::Never,
    );
}

fn expect_dispatch(to: Match<UPID>, method: TypeId, drop: bool, times: Times) -> Future<()> {
    let promise = Promise::new();
    let future = promise.future();
    let mut promise = Some(promise);
    let description = format!("dispatch to {:?}", to);
    TestsFilter::current().expect(Expectation {
        matcher: Box::new(move |event| match event {
            EventRef::Dispatch {
                to: target,
                method: m,
                ..
            } => to.matches(target) && *m == Some(method),
            _ => false,
        }),
        drop,
        times,
        satisfy: Some(Box::new(move |_| {
            if let Some(promise) = promise.take() {
                promise.set(());
            }
        })),
        description,
    });
    future
}

/// `FUTURE_DISPATCH(pid, &P::method)`: ready when `pid` ([`ANY`] for any
/// process) dequeues a dispatch of `method`, just before it runs. Pass the
/// method itself (`Slave::ping`, not `&Slave::ping`): it matches whether
/// the dispatch came from [`dispatch`](crate::dispatch()),
/// [`defer`](crate::defer()), [`delay`](crate::delay()), their macros or
/// [`dispatch_method`](crate::dispatch_method), whatever its arguments.
pub fn future_dispatch<M: 'static>(pid: impl Into<Match<UPID>>, method: M) -> Future<()> {
    let _ = method;
    expect_dispatch(pid.into(), TypeId::of::<M>(), false, Times::Once)
}

/// `DROP_DISPATCH(pid, &P::method)`: drops the first such dispatch.
pub fn drop_dispatch<M: 'static>(pid: impl Into<Match<UPID>>, method: M) -> Future<()> {
    let _ = method;
    expect_dispatch(pid.into(), TypeId::of::<M>(), true, Times::Once)
}

/// `DROP_DISPATCHES(pid, &P::method)`: drops every such dispatch.
pub fn drop_dispatches<M: 'static>(pid: impl Into<Match<UPID>>, method: M) {
    let _ = method;
    expect_dispatch(pid.into(), TypeId::of::<M>(), true, Times::Always);
}

/// `EXPECT_NO_FUTURE_DISPATCHES(pid, &P::method)`: the test fails (when
/// its [`TestRuntime`] drops) if such a dispatch is dequeued.
pub fn expect_no_future_dispatches<M: 'static>(pid: impl Into<Match<UPID>>, method: M) {
    let _ = method;
    expect_dispatch(pid.into(), TypeId::of::<M>(), false, Times::Never);
}

fn expect_http(
    path: Match<String>,
    predicate: Option<Predicate<crate::http::Request>>,
    drop: bool,
    times: Times,
) -> Future<crate::http::Request> {
    let description = format!("HTTP request for {:?}", path);
    let promise = Promise::new();
    let future = promise.future();
    let mut promise = Some(promise);
    TestsFilter::current().expect(Expectation {
        matcher: Box::new(move |event| match event {
            EventRef::Http { request, .. } => {
                path.matches_str(&request.url.path) && predicate.as_ref().is_none_or(|p| p(request))
            }
            _ => false,
        }),
        drop,
        times,
        satisfy: Some(Box::new(move |event| {
            if let (Some(promise), EventRef::Http { request, .. }) = (promise.take(), event) {
                promise.set((*request).clone());
            }
        })),
        description,
    });
    future
}

/// libprocess' `FutureHttpRequest`: ready with the first HTTP request for
/// `path` (the URL path as received, `/master/api/v1/scheduler`) for which
/// `predicate` holds, when its process dequeues it; it is then served.
/// Mesos' `FUTURE_HTTP_CALL` is built on it.
pub fn future_http_request(
    path: impl Into<Match<String>>,
    predicate: impl Fn(&crate::http::Request) -> bool + Send + 'static,
) -> Future<crate::http::Request> {
    expect_http(path.into(), Some(Box::new(predicate)), false, Times::Once)
}

/// `DropHttpRequest`: drops the first such request (its client gets no
/// response from the process: the connection answers 500).
pub fn drop_http_request(
    path: impl Into<Match<String>>,
    predicate: impl Fn(&crate::http::Request) -> bool + Send + 'static,
) -> Future<crate::http::Request> {
    expect_http(path.into(), Some(Box::new(predicate)), true, Times::Once)
}

/// `DropHttpRequests`: drops every such request.
pub fn drop_http_requests(
    path: impl Into<Match<String>>,
    predicate: impl Fn(&crate::http::Request) -> bool + Send + 'static,
) {
    expect_http(path.into(), Some(Box::new(predicate)), true, Times::Always);
}

/// `ExpectNoFutureHttpRequests`.
pub fn expect_no_future_http_requests(
    path: impl Into<Match<String>>,
    predicate: impl Fn(&crate::http::Request) -> bool + Send + 'static,
) {
    expect_http(path.into(), Some(Box::new(predicate)), false, Times::Never);
}

fn expect_exited(from: Match<UPID>, to: Match<UPID>, drop: bool) -> Future<()> {
    let promise = Promise::new();
    let future = promise.future();
    let mut promise = Some(promise);
    let description = format!("exited of {:?} to {:?}", from, to);
    TestsFilter::current().expect(Expectation {
        matcher: Box::new(move |event| match event {
            EventRef::Exited { from: f, to: t } => from.matches(f) && to.matches(&t.detached()),
            _ => false,
        }),
        drop,
        times: Times::Once,
        satisfy: Some(Box::new(move |_| {
            if let Some(promise) = promise.take() {
                promise.set(());
            }
        })),
        description,
    });
    future
}

/// `FUTURE_EXITED(from, to)`: ready when `to` dequeues the exited event
/// about `from`, which is then served.
pub fn future_exited(from: impl Into<Match<UPID>>, to: impl Into<Match<UPID>>) -> Future<()> {
    expect_exited(from.into(), to.into(), false)
}

/// `DROP_EXITED(from, to)`: drops that exited event.
pub fn drop_exited(from: impl Into<Match<UPID>>, to: impl Into<Match<UPID>>) -> Future<()> {
    expect_exited(from.into(), to.into(), true)
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
