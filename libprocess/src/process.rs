//! The `Process` trait and the message handlers a process installs.

use std::any::Any;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use rustc_hash::FxBuildHasher;

use crate::event::{Message, Served};
use crate::UPID;

/// An actor: a value with `&mut self` handlers, serving one event at a
/// time, in order (libprocess' `Process<T>`).
///
/// The hooks run on the process; use [`send`](crate::send),
/// [`link`](crate::link), [`self_pid`](crate::self_pid) and the other free
/// functions from inside them, as libprocess code calls `ProcessBase`'s
/// members.
pub trait Process: Send + Sized + 'static {
    /// The prefix of the generated id (`slave` gives `slave(1)`,
    /// `slave(2)`...); the empty default gives `(1)`, `(2)`....
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed("")
    }

    /// Runs once, before any other event; install message handlers here.
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        let _ = handlers;
    }

    /// Runs when the process serves its terminate event, its last.
    fn finalize(&mut self) {}

    /// A linked process exited, or the connection to it broke.
    fn exited(&mut self, pid: &UPID) {
        let _ = pid;
    }

    /// Declared by libprocess and never invoked there; kept for ports.
    fn lost(&mut self, pid: &UPID) {
        let _ = pid;
    }
}

type MessageHandler<P> = Box<dyn FnMut(&mut P, &Message) + Send>;

/// The message handlers of a process of type `P`, by message name, and
/// the names it forwards to other processes (`delegate`).
pub struct Handlers<P> {
    messages: HashMap<Cow<'static, str>, MessageHandler<P>, FxBuildHasher>,
    delegates: HashMap<Cow<'static, str>, UPID>,
}

impl<P> Handlers<P> {
    fn new() -> Handlers<P> {
        Handlers {
            messages: HashMap::default(),
            delegates: HashMap::new(),
        }
    }

    /// Calls `handler(process, from, body)` for each message named `name`.
    pub fn install<F>(&mut self, name: impl Into<Cow<'static, str>>, mut handler: F)
    where
        F: FnMut(&mut P, &UPID, &[u8]) + Send + 'static,
    {
        self.install_message(name, move |p, m: &Message| handler(p, &m.from, &m.body));
    }

    /// Calls `handler(process, message)` for each message named `name`.
    pub fn install_message<F>(&mut self, name: impl Into<Cow<'static, str>>, handler: F)
    where
        F: FnMut(&mut P, &Message) + Send + 'static,
    {
        self.messages.insert(name.into(), Box::new(handler));
    }

    /// Forwards messages named `name` that have no handler to `to`,
    /// keeping their sender.
    pub fn delegate(&mut self, name: impl Into<Cow<'static, str>>, to: UPID) {
        self.delegates.insert(name.into(), to);
    }
}

impl<P> fmt::Debug for Handlers<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handlers")
            .field("messages", &self.messages.keys().collect::<Vec<_>>())
            .field("delegates", &self.delegates)
            .finish()
    }
}

/// The type-erased process a cell runs.
pub(crate) trait AnyProcess: Send {
    fn initialize(&mut self);
    /// Serves one event; a terminate event runs `finalize`.
    fn serve(&mut self, event: Served);
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

pub(crate) struct Slot<P> {
    pub(crate) process: P,
    handlers: Handlers<P>,
}

impl<P: Process> Slot<P> {
    pub(crate) fn new(process: P) -> Slot<P> {
        Slot {
            process,
            handlers: Handlers::new(),
        }
    }
}

impl<P: Process> AnyProcess for Slot<P> {
    fn initialize(&mut self) {
        self.process.initialize(&mut self.handlers);
    }

    fn serve(&mut self, event: Served) {
        match event {
            Served::Message(message) => {
                if let Some(handler) = self.handlers.messages.get_mut(&message.name) {
                    handler(&mut self.process, &message);
                } else if let Some(to) = self.handlers.delegates.get(&message.name) {
                    let to = to.detached();
                    crate::runtime::transport(Message { to, ..message });
                } else {
                    tracing::debug!(
                        name = %message.name,
                        from = %message.from,
                        to = %message.to,
                        "Dropping message with no handler"
                    );
                }
            }
            Served::Dispatch(dispatch) => (dispatch.f)(&mut self.process),
            Served::Exited(pid) => self.process.exited(&pid),
            Served::Terminate => self.process.finalize(),
        }
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        Box::new(self.process)
    }
}
