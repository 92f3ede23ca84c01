//! The `Process` trait and the message handlers a process installs.

use std::any::Any;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;

use rustc_hash::FxBuildHasher;

use crate::event::{Event, HttpEvent, Message};
use crate::fault::Serving;
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
    options: RouteOptions,
    handler: HttpHandler<P>,
}

/// How a route is installed, beyond its name and handler (libprocess'
/// `help` argument and `RouteOptions`).
#[derive(Clone, Debug, Default)]
pub struct RouteOptions {
    /// The route's help, in Markdown, served at `/help/<id>/<route>`
    /// (see [`http::help`](crate::http::help) for the usual layout).
    /// Without it the route is listed with a note that it has none.
    pub help: Option<String>,
    /// Hand the handler the request's body as it arrives, through
    /// `Request::reader` (always set then), instead of the whole body
    /// once it has arrived.
    pub request_streaming: bool,
}

impl RouteOptions {
    /// Options with this help text.
    pub fn help(help: impl Into<String>) -> RouteOptions {
        RouteOptions {
            help: Some(help.into()),
            ..RouteOptions::default()
        }
    }

    /// These options, with the request body streamed.
    pub fn request_streaming(self) -> RouteOptions {
        RouteOptions {
            request_streaming: true,
            ..self
        }
    }
}

/// The message handlers of a process of type `P`, by message name, the
/// names it forwards to other processes (`delegate`), and its HTTP
/// routes.
pub struct Handlers<P> {
    /// Where each message name's handler is in `handlers`.
    messages: HashMap<Cow<'static, str>, usize, FxBuildHasher>,
    handlers: Vec<MessageHandler<P>>,
    /// The last name found, when it is a `'static` string (its address
    /// and length), and where its handler is: a process mostly gets the
    /// same names over and over, and comparing addresses spares the
    /// hashing and the string comparison (a `'static` string never moves
    /// nor goes away, so equal addresses and lengths mean equal names).
    last: Option<(usize, usize, usize)>,
    delegates: HashMap<Cow<'static, str>, UPID>,
    /// By name without the leading `/` (`route("/")` is `""`).
    routes: HashMap<String, Route<P>>,
}

impl<P> Handlers<P> {
    fn new() -> Handlers<P> {
        Handlers {
            messages: HashMap::default(),
            handlers: Vec::new(),
            last: None,
            delegates: HashMap::new(),
            routes: HashMap::new(),
        }
    }

    /// Serves HTTP requests for `/<process id><name>` (and, for a name
    /// like `/a`, the paths under it no longer route claims) with
    /// `handler`. `name` starts with `/` and, unless it is `/`, does not
    /// end with one; a bad name is a programming error and panics.
    pub fn route<F>(&mut self, name: &str, handler: F)
    where
        F: FnMut(&mut P, Request) -> Future<Response> + Send + 'static,
    {
        self.route_with(name, RouteOptions::default(), handler);
    }

    /// [`Handlers::route`] with help, or a streamed request body.
    pub fn route_with<F>(&mut self, name: &str, options: RouteOptions, mut handler: F)
    where
        F: FnMut(&mut P, Request) -> Future<Response> + Send + 'static,
    {
        self.add_route(
            name,
            None,
            options,
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
        self.route_authenticated_with(name, realm, RouteOptions::default(), handler);
    }

    /// [`Handlers::route_authenticated`] with help, or a streamed request
    /// body.
    pub fn route_authenticated_with<F>(
        &mut self,
        name: &str,
        realm: &str,
        options: RouteOptions,
        handler: F,
    ) where
        F: FnMut(&mut P, Request, Option<Principal>) -> Future<Response> + Send + 'static,
    {
        self.add_route(name, Some(realm.to_string()), options, Box::new(handler));
    }

    fn add_route(
        &mut self,
        name: &str,
        realm: Option<String>,
        options: RouteOptions,
        handler: HttpHandler<P>,
    ) {
        assert!(
            name.starts_with('/') && (name == "/" || !name.ends_with('/')),
            "route '{}' must start with '/' and not end with one",
            name
        );
        self.routes.insert(
            name[1..].to_string(),
            Route {
                realm,
                options,
                handler,
            },
        );
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
        let handler: MessageHandler<P> = Box::new(handler);
        match self.messages.entry(name.into()) {
            Entry::Occupied(entry) => self.handlers[*entry.get()] = handler,
            Entry::Vacant(entry) => {
                entry.insert(self.handlers.len());
                self.handlers.push(handler);
            }
        }
    }

    /// The handler of messages named `name`, if any.
    // A `Cow`, not a `str`: whether the name is `'static` matters here.
    #[allow(clippy::ptr_arg)]
    fn message_handler(&mut self, name: &Cow<'static, str>) -> Option<&mut MessageHandler<P>> {
        let index = match (name, self.last) {
            (Cow::Borrowed(name), Some((address, len, index)))
                if name.as_ptr() as usize == address && name.len() == len =>
            {
                index
            }
            _ => {
                let index = *self.messages.get(name)?;
                if let Cow::Borrowed(name) = name {
                    self.last = Some((name.as_ptr() as usize, name.len(), index));
                }
                index
            }
        };
        self.handlers.get_mut(index)
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
    /// Runs `initialize`.
    fn initialize(&mut self);
    /// Serves `event`, addressed to `to` (this process); a terminate
    /// event runs `finalize`. A handler's panic unwinds out of it, naming
    /// the event (see `fault`).
    fn serve(&mut self, event: Event, to: &UPID);
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
            mut request,
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
        let request = if route.options.request_streaming {
            streamed(request)
        } else if let Some(reader) = request.reader.take() {
            // The route wants the whole body: read it, then serve the
            // request again, authenticated already.
            whole_then_serve(request, reader, promise, principal);
            return;
        } else {
            request
        };
        promise.associate((route.handler)(&mut self.process, request, principal));
    }

    /// Lists the routes, with their help, at `/help`.
    fn publish_help(&self) {
        if self.handlers.routes.is_empty() {
            return;
        }
        let Some(cell) = crate::runtime::current_cell() else {
            return;
        };
        let Some(inner) = cell.runtime.upgrade() else {
            return;
        };
        let delegate = inner.http.delegate.read().clone();
        let mut help = inner.http.help.write();
        for (name, route) in &self.handlers.routes {
            help.add(
                cell.pid.id(),
                &format!("/{}", name),
                route.options.help.as_deref(),
                delegate.as_deref(),
            );
        }
    }

    /// Takes the routes out of `/help`.
    fn withdraw_help(&self) {
        if self.handlers.routes.is_empty() {
            return;
        }
        if let Some(cell) = crate::runtime::current_cell() {
            if let Some(inner) = cell.runtime.upgrade() {
                inner.http.help.write().remove(cell.pid.id());
            }
        }
    }
}

/// A request whose body is all there, as a streaming route takes it: the
/// body in a closed pipe.
fn streamed(mut request: Request) -> Request {
    if request.reader.is_none() {
        let (reader, writer) = crate::http::pipe::pipe();
        writer.write(std::mem::take(&mut request.body));
        writer.close();
        request.reader = Some(reader);
    }
    request
}

/// Reads the streamed body of `request` whole, then delivers the request
/// to the current process again with it.
fn whole_then_serve(
    mut request: Request,
    reader: crate::http::pipe::Reader,
    promise: crate::Promise<Response>,
    principal: Option<Principal>,
) {
    let Some(cell) = crate::runtime::current_cell() else {
        promise.set(crate::http::internal_server_error(None));
        return;
    };
    // Bounded as a body decoded whole is.
    let limit = crate::wire::Limits::default().body;
    reader
        .read_all_within(limit)
        .on_any(move |body| match body.outcome() {
            Some(crate::Outcome::Ready(body)) => {
                request.body = body.clone();
                let event = HttpEvent {
                    request,
                    promise,
                    principal: Some(principal),
                };
                // Dropped unanswered if the process is gone: a 500.
                if let Some(inner) = cell.runtime.upgrade() {
                    inner.deliver(&cell, crate::event::Event::Http(Box::new(event)));
                }
            }
            Some(crate::Outcome::Failed(message)) => {
                promise.set(crate::http::bad_request(Some(format!(
                    "Failed to read the request body: {}",
                    message
                ))));
            }
            _ => {
                promise.discard();
            }
        });
}

impl<P: Process> AnyProcess for Slot<P> {
    fn initialize(&mut self) {
        let serving = Serving::new(|| "initialize".to_string());
        self.process.initialize(&mut self.handlers);
        serving.done();
        self.publish_help();
    }

    fn serve(&mut self, event: Event, to: &UPID) {
        match event {
            Event::Message(queued) => {
                // Built here, once: the handler borrows it.
                let message = queued.into_message(to);
                if let Some(handler) = self.handlers.message_handler(&message.name) {
                    let serving = Serving::new(|| {
                        format!("message '{}' from {}", message.name, message.from)
                    });
                    handler(&mut self.process, &message);
                    serving.done();
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
            Event::Dispatch(dispatch) => {
                let name = dispatch.name;
                let serving = Serving::new(|| format!("a dispatch of {}", name));
                (dispatch.f)(&mut self.process);
                serving.done();
            }
            Event::Http(event) => {
                let path = event.request.url.path.clone();
                let serving = Serving::new(|| format!("an HTTP request for {}", path));
                self.serve_http(*event);
                serving.done();
            }
            Event::Exited(pid) => {
                let serving = Serving::new(|| format!("the exit of {}", pid));
                self.process.exited(&pid);
                serving.done();
            }
            Event::Terminate { .. } => {
                let serving = Serving::new(|| "finalize".to_string());
                self.process.finalize();
                serving.done();
                self.withdraw_help();
            }
            // The cell answers these itself.
            Event::Inspect(_) => {}
        }
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        Box::new(self.process)
    }

    fn address(&self) -> usize {
        &self.process as *const P as usize
    }
}
