//! The events a process serves, one at a time, in order.

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;

use crate::id::Id;
use crate::Promise;
use crate::{Address, UPID};

/// A libprocess message: a name, the sender, the receiver and a body
/// (protobuf bytes for Mesos).
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    /// The name (`mesos.internal.RegisterSlaveMessage`, `PING`).
    pub name: Cow<'static, str>,
    /// The sender; empty when posted from outside any process.
    pub from: UPID,
    /// The receiver.
    pub to: UPID,
    /// The payload.
    pub body: Bytes,
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("name", &self.name)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("body_len", &self.body.len())
            .finish()
    }
}

pub(crate) type DispatchFn = Box<dyn FnOnce(&mut dyn Any) + Send>;

/// A closure to run on a process. `method` identifies what it calls, so
/// tests can match it (`FUTURE_DISPATCH`).
pub(crate) struct Dispatch {
    pub(crate) f: DispatchFn,
    pub(crate) method: Option<TypeId>,
    /// The function's type name, for messages about it.
    pub(crate) name: &'static str,
}

/// A message as it waits in a mailbox: without its receiver (the mailbox
/// is the receiver's) and with its sender's id and address only, which
/// keeps queued events small.
#[derive(Clone)]
pub(crate) struct Queued {
    pub(crate) name: Cow<'static, str>,
    pub(crate) from: Id,
    pub(crate) from_address: Address,
    pub(crate) body: Bytes,
}

impl Queued {
    /// A message from `from` (its reference is not kept).
    #[inline(always)]
    pub(crate) fn from_sender(name: Cow<'static, str>, from: &UPID, body: Bytes) -> Queued {
        Queued {
            name,
            from: from.raw_id().clone(),
            from_address: from.address(),
            body,
        }
    }

    /// The message as `to` serves it, or a receiver outside this runtime
    /// gets it.
    #[inline(always)]
    pub(crate) fn into_message(self, to: &UPID) -> Message {
        Message {
            name: self.name,
            from: UPID::from_parts(self.from, self.from_address),
            to: to.detached(),
            body: self.body,
        }
    }

    /// A copy of the message `to` is about to serve, for a filter.
    pub(crate) fn to_message(&self, to: &UPID) -> Message {
        self.clone().into_message(to)
    }

    #[inline]
    pub(crate) fn new(message: Message) -> Queued {
        let Message {
            name, from, body, ..
        } = message;
        let from_address = from.address();
        Queued {
            name,
            from: from.into_id(),
            from_address,
            body,
        }
    }
}

/// An HTTP request for a process, and the promise of its response.
pub(crate) struct HttpEvent {
    pub(crate) request: crate::http::Request,
    pub(crate) promise: Promise<crate::http::Response>,
    /// Set once the request's realm authenticated it: the principal.
    pub(crate) principal: Option<Option<crate::http::authentication::Principal>>,
}

/// An event in a mailbox.
pub(crate) enum Event {
    Message(Queued),
    Dispatch(Dispatch),
    /// Boxed: requests are rare next to messages, which stay small.
    Http(Box<HttpEvent>),
    Exited(UPID),
    Terminate {
        inject: bool,
    },
    /// `/__processes__` asks for the process' id and queue.
    Inspect(Promise<serde_json::Value>),
}

impl Event {
    /// The event as `/__processes__` lists it.
    pub(crate) fn describe(&self, to: &UPID) -> serde_json::Value {
        use serde_json::json;
        match self {
            Event::Message(queued) => json!({
                "type": "MESSAGE",
                "name": queued.name,
                "from": UPID::from_parts(queued.from.clone(), queued.from_address).to_string(),
                "to": to.to_string(),
                "body": String::from_utf8_lossy(&queued.body),
            }),
            Event::Http(event) => {
                let url = &event.request.url;
                let mut target = url.path.clone();
                if !url.query.is_empty() {
                    target.push('?');
                    target.push_str(&crate::http::query::encode(&url.query));
                }
                if let Some(fragment) = &url.fragment {
                    target.push('#');
                    target.push_str(fragment);
                }
                json!({"type": "HTTP", "method": event.request.method, "url": target})
            }
            Event::Dispatch(_) | Event::Inspect(_) => json!({"type": "DISPATCH"}),
            Event::Exited(_) => json!({"type": "EXITED"}),
            Event::Terminate { .. } => json!({"type": "TERMINATE"}),
        }
    }
}

/// What a [`Filter`](crate::filter::Filter) sees of an event about to be
/// served by `to`.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventRef<'a> {
    /// A message.
    Message(&'a Message),
    /// A dispatch; `method` is the [`TypeId`] of the function it runs (a
    /// method given to `dispatch`, `defer`, `delay`, their macros or
    /// `dispatch_method`, or a closure's own type).
    Dispatch {
        /// The receiver.
        to: &'a UPID,
        /// The dispatched function's identity.
        method: Option<TypeId>,
        /// The dispatched function's type name.
        name: &'static str,
    },
    /// An HTTP request for a route of `to`.
    Http {
        /// The receiver.
        to: &'a UPID,
        /// The request (its body as received, unless streamed).
        request: &'a crate::http::Request,
    },
    /// The process `from`, linked by `to`, exited (or its link broke).
    Exited {
        /// The process that exited.
        from: &'a UPID,
        /// The linker being told.
        to: &'a UPID,
    },
}
