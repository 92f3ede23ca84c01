//! What Mesos' tests match calls with (`src/tests/mesos.hpp`): a
//! `mesos.scheduler.Call` (or any message of the protobuf "union" shape: a
//! `type` field saying which member is set) of one type, inside a
//! libprocess message (`FUTURE_CALL`, `DROP_CALL`, `DROP_CALLS`,
//! `EXPECT_NO_FUTURE_CALLS`) or in the body of an HTTP request to a
//! process (`FUTURE_HTTP_CALL`, `DROP_HTTP_CALL`, `DROP_HTTP_CALLS`,
//! `EXPECT_NO_FUTURE_HTTP_CALLS`). Built on [`libprocess::testing`]'s
//! content predicates; they act when the receiving process dequeues the
//! event, as every libprocess expectation does.

use libprocess::http::Request;
use libprocess::testing::{self, Match};
use libprocess::{Future, Message, UPID};

/// A message of the protobuf "union" shape: its `type` says which of its
/// optional members is set.
pub trait UnionMessage:
    prost::Message + prost::Name + Default + Clone + Send + Sync + 'static
{
    /// The value of its `type` field (0 when unset).
    fn union_type(&self) -> i32;
}

macro_rules! union_messages {
    ($($message:ty),* $(,)?) => {
        $(impl UnionMessage for $message {
            fn union_type(&self) -> i32 {
                self.r#type.unwrap_or_default()
            }
        })*
    };
}

union_messages!(
    crate::scheduler::Call,
    crate::scheduler::Event,
    crate::executor::Call,
    crate::executor::Event,
    crate::master::Call,
    crate::master::Event,
    crate::agent::Call,
    crate::v1::scheduler::Call,
    crate::v1::scheduler::Event,
    crate::v1::executor::Call,
    crate::v1::executor::Event,
    crate::v1::master::Call,
    crate::v1::master::Event,
    crate::v1::agent::Call,
);

pub use crate::common::http::ContentType;

/// `body` as an `M` of `content_type`, if it is one.
fn deserialize<M: UnionMessage>(content_type: ContentType, body: &[u8]) -> Option<M> {
    content_type.deserialize(body).ok()
}

/// Whether `message` carries an `M` of type `union_type`.
fn carries<M: UnionMessage>(union_type: i32) -> impl Fn(&Message) -> bool + Send + 'static {
    move |message| M::decode(&message.body[..]).is_ok_and(|m| m.union_type() == union_type)
}

fn decoded<M: UnionMessage>(message: &Future<Message>) -> Future<M> {
    message.then(|message| match M::decode(&message.body[..]) {
        Ok(m) => Future::ready(m),
        Err(e) => Future::failed(format!("Failed to parse {}: {}", M::full_name(), e)),
    })
}

/// `FUTURE_CALL(M(), type, from, to)`: ready with the first `M` of
/// `union_type` from `from` to `to`, when `to` dequeues it.
pub fn future_call<M: UnionMessage>(
    union_type: impl Into<i32>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) -> Future<M> {
    let name = libprocess::name_of::<M>();
    decoded(&testing::future_message_where(
        name,
        from,
        to,
        carries::<M>(union_type.into()),
    ))
}

/// `DROP_CALL(M(), type, from, to)`: drops the first such call.
pub fn drop_call<M: UnionMessage>(
    union_type: impl Into<i32>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) -> Future<M> {
    let name = libprocess::name_of::<M>();
    decoded(&testing::drop_message_where(
        name,
        from,
        to,
        carries::<M>(union_type.into()),
    ))
}

/// `DROP_CALLS(M(), type, from, to)`: drops every such call.
pub fn drop_calls<M: UnionMessage>(
    union_type: impl Into<i32>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) {
    let name = libprocess::name_of::<M>();
    testing::drop_messages_where(name, from, to, carries::<M>(union_type.into()));
}

/// `EXPECT_NO_FUTURE_CALLS(M(), type, from, to)`: the test fails if such a
/// call is dequeued.
pub fn expect_no_future_calls<M: UnionMessage>(
    union_type: impl Into<i32>,
    from: impl Into<Match<UPID>>,
    to: impl Into<Match<UPID>>,
) {
    let name = libprocess::name_of::<M>();
    testing::expect_no_future_messages_where(name, from, to, carries::<M>(union_type.into()));
}

/// Whether a request's body is an `M` of `union_type`.
fn request_carries<M: UnionMessage>(
    union_type: i32,
    content_type: ContentType,
) -> impl Fn(&Request) -> bool + Send + 'static {
    move |request| {
        deserialize::<M>(content_type, &request.body).is_some_and(|m| m.union_type() == union_type)
    }
}

/// `FUTURE_HTTP_CALL(M(), type, path, contentType)`: ready with the first
/// `M` of `union_type` posted to `path` (`/master/api/v1/scheduler`).
pub fn future_http_call<M: UnionMessage>(
    union_type: impl Into<i32>,
    path: impl Into<Match<String>>,
    content_type: ContentType,
) -> Future<M> {
    let request =
        testing::future_http_request(path, request_carries::<M>(union_type.into(), content_type));
    request.then(
        move |request| match deserialize::<M>(content_type, &request.body) {
            Some(m) => Future::ready(m),
            None => Future::failed(format!("Failed to deserialize {}", M::full_name())),
        },
    )
}

/// `DROP_HTTP_CALL(M(), type, path, contentType)`: drops the first such
/// request (its client gets a 500).
pub fn drop_http_call<M: UnionMessage>(
    union_type: impl Into<i32>,
    path: impl Into<Match<String>>,
    content_type: ContentType,
) -> Future<Request> {
    testing::drop_http_request(path, request_carries::<M>(union_type.into(), content_type))
}

/// `DROP_HTTP_CALLS(M(), type, path, contentType)`: drops every such
/// request.
pub fn drop_http_calls<M: UnionMessage>(
    union_type: impl Into<i32>,
    path: impl Into<Match<String>>,
    content_type: ContentType,
) {
    testing::drop_http_requests(path, request_carries::<M>(union_type.into(), content_type));
}

/// `EXPECT_NO_FUTURE_HTTP_CALLS(M(), type, path, contentType)`.
pub fn expect_no_future_http_calls<M: UnionMessage>(
    union_type: impl Into<i32>,
    path: impl Into<Match<String>>,
    content_type: ContentType,
) {
    testing::expect_no_future_http_requests(
        path,
        request_carries::<M>(union_type.into(), content_type),
    );
}
