//! The events a process serves, one at a time, in order.

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;

use crate::id::Id;
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
}

/// Boxed payloads keep an event at a few words, so queues of many events
/// move and store little.
/// A message as it waits in a mailbox: without its receiver (the mailbox
/// is the receiver's) and with its sender's id and address only, which
/// keeps queued events small.
pub(crate) struct Queued {
    pub(crate) name: Cow<'static, str>,
    pub(crate) from: Id,
    pub(crate) from_address: Address,
    pub(crate) body: Bytes,
}

impl Queued {
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

/// An event in a mailbox.
pub(crate) enum Event {
    Message(Queued),
    Dispatch(Dispatch),
    Exited(UPID),
    Terminate { inject: bool },
}

/// An event being served by `to`.
pub(crate) enum Served {
    Message(Message),
    Dispatch(Dispatch),
    Exited(UPID),
    Terminate,
}

impl Event {
    /// The event as `to` serves it.
    pub(crate) fn into_served(self, to: &UPID) -> Served {
        match self {
            Event::Message(queued) => Served::Message(Message {
                name: queued.name,
                from: UPID::from_parts(queued.from, queued.from_address),
                to: to.detached(),
                body: queued.body,
            }),
            Event::Dispatch(dispatch) => Served::Dispatch(dispatch),
            Event::Exited(pid) => Served::Exited(pid),
            Event::Terminate { .. } => Served::Terminate,
        }
    }
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
