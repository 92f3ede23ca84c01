//! The `Process` trait and the message handlers a process installs.

use std::any::Any;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use rustc_hash::FxBuildHasher;

use crate::event::{HttpEvent, Message, Served};
use crate::fault::{guard, Fault};
use crate::http::authentication::Principal;
use crate::http::{Request, Response};
use crate::{Future, UPID};

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

type HttpHandler<P> = Box<dyn FnMut(&mut P, Request, Option<Principal>) -> Future<Response> + Send>;

struct Route<P> {
    /// The authentication realm, if the route has one.
    realm: Option<String>,
    handler: HttpHandler<P>,
}

/// The message handlers of a process of type `P`, by message name, the
/// names it forwards to other processes (`delegate`), and its HTTP
/// routes.
pub struct Handlers<P> {
    messages: HashMap<Cow<'static, str>, MessageHandler<P>, FxBuildHasher>,
    delegates: HashMap<Cow<'static, str>, UPID>,
    /// By name without the leading `/` (`route("/")` is `""`).
    routes: HashMap<String, Route<P>>,
}

impl<P> Handlers<P> {
    fn new() -> Handlers<P> {
        Handlers {
            messages: HashMap::default(),
            delegates: HashMap::new(),
            routes: HashMap::new(),
        }
    }

    /// Serves HTTP requests for `/<process id><name>` (and, for a name
    /// like `/a`, the paths under it no longer route claims) with
    /// `handler`. `name` starts with `/` and, unless it is `/`, does not
    /// end with one; a bad name is a programming error and panics.
    pub fn route<F>(&mut self, name: &str, mut handler: F)
    where
        F: FnMut(&mut P, Request) -> Future<Response> + Send + 'static,
    {
        self.add_route(
            name,
            None,
            Box::new(move |p, request, _| handler(p, request)),
        );
    }

    /// [`Handlers::route`] behind authentication in `realm`: the handler
    /// gets the authenticated principal (`None` when no authenticator is
    /// set for the realm).
    pub fn route_authenticated<F>(&mut self, name: &str, realm: &str, handler: F)
    where
        F: FnMut(&mut P, Request, Option<Principal>) -> Future<Response> + Send + 'static,
    {
        self.add_route(name, Some(realm.to_string()), Box::new(handler));
    }

    fn add_route(&mut self, name: &str, realm: Option<String>, handler: HttpHandler<P>) {
        assert!(
            name.starts_with('/') && (name == "/" || !name.ends_with('/')),
            "route '{}' must start with '/' and not end with one",
            name
        );
        self.routes
            .insert(name[1..].to_string(), Route { realm, handler });
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
            .field("routes", &self.routes.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The type-erased process a cell runs.
pub(crate) trait AnyProcess: Send {
    /// Runs `initialize`; a panic in it comes back as a fault.
    fn initialize(&mut self) -> Result<(), Fault>;
    /// Serves one event (a terminate event runs `finalize`); a panic in a
    /// handler comes back as a fault.
    fn serve(&mut self, event: Served) -> Result<(), Fault>;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    /// Where the process value lives.
    fn address(&self) -> usize;
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

impl<P: Process> Slot<P> {
    /// Finds the route by the request's path (the longest one that
    /// matches whole segments), authenticates if its realm has an
    /// authenticator, and calls the handler.
    fn serve_http(&mut self, event: HttpEvent) {
        let HttpEvent {
            request,
            promise,
            principal,
        } = event;
        let id_token = request
            .url
            .path
            .split('/')
            .find(|t| !t.is_empty())
            .unwrap_or_default()
            .to_string();
        let mut name = crate::http::server::route_name(&request.url.path, &id_token);
        let route = loop {
            if self.handlers.routes.contains_key(name) {
                break self.handlers.routes.get_mut(name);
            }
            let parent = crate::http::server::dirname(name);
            if parent == name {
                break None;
            }
            name = parent;
        };
        let Some(route) = route else {
            promise.set(crate::http::not_found(None));
            return;
        };
        let principal = match (principal, &route.realm) {
            (Some(principal), _) => principal,
            (None, None) => None,
            (None, Some(realm)) => match crate::http::authentication::authenticator(realm) {
                None => None,
                Some(authenticator) => {
                    crate::http::authentication::authenticate(
                        authenticator.as_ref(),
                        request,
                        promise,
                    );
                    return;
                }
            },
        };
        promise.associate((route.handler)(&mut self.process, request, principal));
    }
}

impl<P: Process> AnyProcess for Slot<P> {
    fn initialize(&mut self) -> Result<(), Fault> {
        guard(
            || self.process.initialize(&mut self.handlers),
            || "initialize".to_string(),
        )
    }

    fn serve(&mut self, event: Served) -> Result<(), Fault> {
        match event {
            Served::Message(message) => {
                if let Some(handler) = self.handlers.messages.get_mut(&message.name) {
                    let process = &mut self.process;
                    guard(
                        || handler(process, &message),
                        || format!("message '{}' from {}", message.name, message.from),
                    )
                } else {
                    if let Some(to) = self.handlers.delegates.get(&message.name) {
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
                    Ok(())
                }
            }
            Served::Dispatch(dispatch) => {
                let name = dispatch.name;
                let process = &mut self.process;
                guard(
                    || (dispatch.f)(process),
                    || format!("a dispatch of {}", name),
                )
            }
            Served::Http(event) => {
                let path = event.request.url.path.clone();
                guard(
                    || self.serve_http(*event),
                    || format!("an HTTP request for {}", path),
                )
            }
            Served::Exited(pid) => guard(
                || self.process.exited(&pid),
                || format!("the exit of {}", pid),
            ),
            Served::Terminate => guard(|| self.process.finalize(), || "finalize".to_string()),
            // The cell answers these itself.
            Served::Inspect(_) => Ok(()),
        }
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        Box::new(self.process)
    }

    fn address(&self) -> usize {
        &self.process as *const P as usize
    }
}
