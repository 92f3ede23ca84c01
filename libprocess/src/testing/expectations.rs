//! The expectations: Mesos' `FUTURE_MESSAGE`, `DROP_MESSAGE(S)`,
//! `FUTURE_PROTOBUF`, `FUTURE_DISPATCH`, `FUTURE_EXITED`, ... and their
//! content predicates, as one filter that acts when the receiving process
//! dequeues an event.

use std::any::TypeId;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::event::{EventRef, Message};
use crate::future::{Future, Promise};
use crate::runtime::Inner;
use crate::{PID, UPID};

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
    pub(crate) fn clear(&self) -> Vec<String> {
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
/// [`TestRuntime`](super::TestRuntime) drops) if a matching message is dequeued.
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
/// its [`TestRuntime`](super::TestRuntime) drops) if such a dispatch is dequeued.
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
