//! The events a process serves, one at a time, in order.

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;

use crate::UPID;

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
}

/// Boxed payloads keep an event at a few words, so queues of many events
/// move and store little.
pub(crate) enum Event {
    Message(Message),
    Dispatch(Dispatch),
    Exited(UPID),
    Terminate { inject: bool },
}

/// What a [`Filter`](crate::filter::Filter) sees of an event about to be
/// served by `to`.
#[derive(Debug)]
pub enum EventRef<'a> {
    /// A message.
    Message(&'a Message),
    /// A dispatch; `method` is the [`TypeId`] of the function given to
    /// `dispatch_method` (`None` for a plain closure).
    Dispatch {
        /// The receiver.
        to: &'a UPID,
        /// The dispatched method's identity, if any.
        method: Option<TypeId>,
    },
    /// The process `from`, linked by `to`, exited (or its link broke).
    Exited {
        /// The process that exited.
        from: &'a UPID,
        /// The linker being told.
        to: &'a UPID,
    },
}
