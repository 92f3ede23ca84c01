//! The HTTP client (`process::http::{connect, get, post, request}`):
//! connections that pipeline requests and match responses in order,
//! bodies whole or streamed through a pipe.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use bytes::{Bytes, BytesMut};
use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::sync::mpsc;

use super::{pipe, Body, Headers, Request, Response, Url};
use crate::runtime::Inner;
use crate::ssl::{self, Stream};
use crate::wire::{ResponseDecoder, ResponseEvent};
use crate::{Future, Promise, UPID};

/// The client's I/O thread, shared by every connection of the OS process.
pub(super) fn io() -> &'static tokio::runtime::Runtime {
    static IO: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    IO.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("libprocess-http-client")
            .enable_io()
            .enable_time()
            .build()
            .expect("failed to start the HTTP client's I/O thread")
    })
}

/// A request waiting for its response.
struct Pending {
    promise: Promise<Response>,
    streamed: bool,
}

/// The response being read.
enum Current {
    /// Collecting a whole body.
    Whole(Pending, u16, Headers, BytesMut),
    /// Streaming into a pipe (the promise already has the response).
    Streamed(pipe::Writer),
}

struct State {
    pending: VecDeque<Pending>,
    current: Option<Current>,
    /// A request without keep-alive was sent, or a response said
    /// `Connection: close`: nothing more may be sent.
    closing: bool,
    disconnected: bool,
    decoder: ResponseDecoder,
}

struct Shared {
    state: Mutex<State>,
    requests: mpsc::UnboundedSender<(Bytes, Option<pipe::Reader>)>,
    disconnected: Promise<()>,
    tasks: Mutex<Vec<tokio::task::AbortHandle>>,
    local: SocketAddr,
    peer: SocketAddr,
}

impl Shared {
    /// Ends the connection: pending requests fail with `message`, a body
    /// being streamed ends (cleanly only if it ran until the close).
    fn disconnect(&self, message: Option<&str>) {
        let (pending, current, ended) = {
            let mut state = self.state.lock();
            if state.disconnected {
                return;
            }
            state.disconnected = true;
            let mut events = Vec::new();
            let ended =
                state.decoder.eof(&mut events).is_ok() && events.contains(&ResponseEvent::End);
            (
                std::mem::take(&mut state.pending),
                state.current.take(),
                ended,
            )
        };
        for task in self.tasks.lock().drain(..) {
            task.abort();
        }
        let message = message.unwrap_or("Disconnected");
        match current {
            Some(Current::Whole(pending, code, headers, body)) if ended => {
                pending.promise.set(whole(code, headers, body.freeze()));
            }
            Some(Current::Whole(pending, ..)) => {
                pending.promise.fail(message);
            }
            Some(Current::Streamed(writer)) if ended => {
                writer.close();
            }
            Some(Current::Streamed(writer)) => {
                writer.fail("failed to decode body");
            }
            None => {}
        }
        for pending in pending {
            pending.promise.fail(message);
        }
        self.disconnected.set(());
    }

    /// Handles what the peer sent.
    fn received(&self, data: &[u8]) -> Result<(), String> {
        let mut events = Vec::new();
        let mut completed = Vec::new();
        let finished = {
            let mut state = self.state.lock();
            if state.pending.is_empty() && state.current.is_none() && !data.is_empty() {
                return Err("Received data when none is expected".to_string());
            }
            state
                .decoder
                .decode(data, &mut events)
                .map_err(|_| "Failed to decode response".to_string())?;
            for event in events {
                match event {
                    ResponseEvent::Head { code, headers } => {
                        let Some(pending) = state.pending.pop_front() else {
                            return Err("Received response without a request".to_string());
                        };
                        if headers.get("Connection") == Some("close") {
                            state.closing = true;
                            for later in state.pending.drain(..) {
                                completed.push((
                                    later.promise,
                                    Err("Received 'Connection: close' from the server"),
                                ));
                            }
                        }
                        state.current = Some(if pending.streamed {
                            let (reader, writer) = pipe::pipe();
                            let response = Response {
                                code,
                                headers,
                                body: Body::Pipe(reader),
                            };
                            completed.push((pending.promise, Ok(response)));
                            Current::Streamed(writer)
                        } else {
                            Current::Whole(pending, code, headers, BytesMut::new())
                        });
                    }
                    ResponseEvent::Data(chunk) => match &mut state.current {
                        Some(Current::Whole(_, _, _, body)) => body.extend_from_slice(&chunk),
                        Some(Current::Streamed(writer)) => {
                            writer.write(chunk);
                        }
                        None => {}
                    },
                    ResponseEvent::End => match state.current.take() {
                        Some(Current::Whole(pending, code, headers, body)) => {
                            completed
                                .push((pending.promise, Ok(whole(code, headers, body.freeze()))));
                        }
                        Some(Current::Streamed(writer)) => {
                            writer.close();
                        }
                        None => {}
                    },
                }
            }
            // Nothing more can be sent once closing (sends fail), so the
            // decision cannot change after the lock is released.
            state.closing && state.pending.is_empty() && state.current.is_none()
        };
        // Completed outside the lock: callbacks may send on this
        // connection.
        for (promise, outcome) in completed {
            match outcome {
                Ok(response) => promise.set(response),
                Err(message) => promise.fail(message),
            };
        }
        if finished {
            self.disconnect(None);
        }
        Ok(())
    }
}

fn whole(code: u16, headers: Headers, body: Bytes) -> Response {
    Response {
        code,
        headers,
        body: Body::Bytes(body),
    }
}

/// A connection to an HTTP server. Requests are pipelined; responses
/// complete in order. Dropping the last handle disconnects.
#[derive(Clone)]
pub struct Connection {
    shared: Arc<Handle>,
}

/// Disconnects when the last [`Connection`] handle goes.
struct Handle(Arc<Shared>);

impl Drop for Handle {
    fn drop(&mut self) {
        self.0.disconnect(Some("Connection object was destructed"));
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("local", &self.shared.0.local)
            .field("peer", &self.shared.0.peer)
            .finish()
    }
}

impl PartialEq for Connection {
    fn eq(&self, other: &Connection) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Eq for Connection {}

impl Connection {
    /// Sends `request`; the response completes when its body is read
    /// whole, or, if `streamed`, at its headers with the body in a pipe.
    pub fn send(&self, request: Request, streamed: bool) -> Future<Response> {
        let shared = &self.shared.0;
        let promise = Promise::new();
        let future = promise.future();
        {
            let mut state = shared.state.lock();
            if state.disconnected {
                return Future::failed("Disconnected");
            }
            if state.closing {
                return Future::failed("Cannot pipeline after 'Connection: close'");
            }
            if request.reader.is_some() {
                if !request.body.is_empty() {
                    return Future::failed("Request body must be empty for PIPE request");
                }
                if request.headers.contains("Content-Length") {
                    return Future::failed("'Content-Length' cannot be set for PIPE request");
                }
            }
            if !request.keep_alive {
                state.closing = true;
            }
            state.pending.push_back(Pending { promise, streamed });
        }
        let head = encode_head(&request);
        if shared.requests.send((head, request.reader)).is_err() {
            shared.disconnect(None);
        }
        future
    }

    /// Closes the connection; pending requests fail.
    pub fn disconnect(&self) -> Future<()> {
        self.shared.0.disconnect(None);
        Future::ready(())
    }

    /// Completes once the connection is closed (by either side).
    pub fn disconnected(&self) -> Future<()> {
        self.shared.0.disconnected.future()
    }

    /// This end's address.
    pub fn local_address(&self) -> SocketAddr {
        self.shared.0.local
    }

    /// The server's address.
    pub fn peer_address(&self) -> SocketAddr {
        self.shared.0.peer
    }
}

/// The request line and headers (and a whole body) as the client sends
/// them.
fn encode_head(request: &Request) -> Bytes {
    let url = &request.url;
    let mut head = String::with_capacity(128);
    let _ = write!(head, "{} {} HTTP/1.1\r\n", request.method, url.target());
    for (name, value) in request.headers.iter() {
        let ours = ["Host", "Connection", "Content-Length", "Transfer-Encoding"];
        if !ours.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            let _ = write!(head, "{}: {}\r\n", name, value);
        }
    }
    if url.port == 80 || url.port == 443 {
        let _ = write!(head, "Host: {}\r\n", url.host);
    } else {
        let _ = write!(head, "Host: {}:{}\r\n", url.host, url.port);
    }
    if !request.keep_alive {
        head.push_str("Connection: close\r\n");
    }
    if request.reader.is_some() {
        head.push_str("Transfer-Encoding: chunked\r\n\r\n");
        return Bytes::from(head);
    }
    let _ = write!(head, "Content-Length: {}\r\n\r\n", request.body.len());
    let mut bytes = BytesMut::from(head.as_bytes());
    bytes.extend_from_slice(&request.body);
    bytes.freeze()
}

/// How to talk to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain text.
    Http,
    /// TLS, with the current runtime's settings ([`crate::ssl`]).
    Https,
}

/// Connects to the server `url` names (its host and port); an `https`
/// URL's domain is the name its certificate is checked against.
pub fn connect(url: &Url) -> Future<Connection> {
    let scheme = match url.scheme.as_str() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => return Future::failed(format!("Unsupported URL scheme '{}'", other)),
    };
    if url.host.is_empty() {
        return Future::failed("Expected URL.ip or URL.domain to be set");
    }
    if let Some(connection) = connect_in_memory(url) {
        return connection;
    }
    let hostname = url
        .host
        .parse::<std::net::IpAddr>()
        .is_err()
        .then(|| url.host.clone());
    spawn_open(Target::Host(url.host.clone(), url.port), scheme, hostname)
}

/// A connection to a runtime on the current runtime's in-memory network:
/// the same client and server as over a socket, joined by an in-memory
/// stream. `None` when the URL names no runtime on such a network.
fn connect_in_memory(url: &Url) -> Option<Future<Connection>> {
    let ip = url.host.parse::<std::net::Ipv4Addr>().ok()?;
    let (peer, local) = crate::network::http_peer(std::net::SocketAddrV4::new(ip, url.port))?;
    let peer = match peer {
        Ok(peer) => peer,
        Err(message) => return Some(Future::failed(message)),
    };
    let (client, server) = tokio::io::duplex(64 * 1024);
    let (local, address) = (SocketAddr::V4(local), SocketAddr::V4(peer.address()));
    let _io = io().enter();
    let (reader, writer) = tokio::io::split(server);
    io().spawn(crate::transport::inbound::serve(
        reader,
        writer,
        local,
        std::sync::Arc::downgrade(&peer),
    ));
    let (reader, writer) = tokio::io::split(client);
    Some(Future::ready(start(reader, writer, local, address)))
}

/// Connects to `address`; with [`Scheme::Https`], `peer_hostname` is the
/// name the server's certificate is checked against (libprocess'
/// `connect(address, scheme, peer_hostname)`).
pub fn connect_to(
    address: SocketAddr,
    scheme: Scheme,
    peer_hostname: Option<&str>,
) -> Future<Connection> {
    spawn_open(
        Target::Address(address),
        scheme,
        peer_hostname.map(str::to_string),
    )
}

enum Target {
    Host(String, u16),
    Address(SocketAddr),
}

fn spawn_open(target: Target, scheme: Scheme, hostname: Option<String>) -> Future<Connection> {
    let tls = match scheme {
        Scheme::Http => None,
        Scheme::Https => match Inner::with(|inner| inner.tls.clone()) {
            Some(tls) => Some(tls),
            None => return Future::failed("SSL is disabled"),
        },
    };
    let promise = Promise::new();
    let future = promise.future();
    io().spawn(async move {
        match open(target, hostname, tls).await {
            Ok(connection) => promise.set(connection),
            Err(error) => promise.fail(error),
        };
    });
    future
}

async fn open(
    target: Target,
    hostname: Option<String>,
    tls: Option<Arc<crate::ssl::Context>>,
) -> Result<Connection, String> {
    let address = match target {
        Target::Address(address) => address,
        Target::Host(host, port) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| format!("Failed to determine IP of domain '{}': {}", host, e))?
            .find(SocketAddr::is_ipv4)
            .ok_or_else(|| format!("Failed to determine IP of domain '{}'", host))?,
    };
    let stream = crate::ssl::connect(address, hostname.as_deref(), tls.as_deref(), false)
        .await
        .map_err(|e| format!("Failed to connect to {}: {}", address, e))?;
    let local = stream
        .local_addr()
        .map_err(|e| format!("Failed to get socket's local address: {}", e))?;
    match stream {
        Stream::Plain(stream) => {
            let (reader, writer) = stream.into_split();
            Ok(start(reader, writer, local, address))
        }
        Stream::Tls(stream) => {
            let (reader, writer) = tokio::io::split(stream);
            Ok(start(reader, writer, local, address))
        }
    }
}

/// Runs a connection's reader and writer.
fn start<R, W>(mut reader: R, writer: W, local: SocketAddr, address: SocketAddr) -> Connection
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (requests, queue) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            pending: VecDeque::new(),
            current: None,
            closing: false,
            disconnected: false,
            decoder: ResponseDecoder::default(),
        }),
        requests,
        disconnected: Promise::new(),
        tasks: Mutex::new(Vec::new()),
        local,
        peer: address,
    });
    let writing = tokio::spawn(write_requests(writer, queue, Arc::downgrade(&shared)));
    let weak = Arc::downgrade(&shared);
    let reading = tokio::spawn(async move {
        let mut buffer = vec![0u8; 80 * 1024];
        loop {
            let read = reader.read(&mut buffer).await;
            let Some(shared) = weak.upgrade() else {
                return;
            };
            match read {
                Ok(0) => return shared.disconnect(None),
                Ok(n) => {
                    if let Err(message) = shared.received(&buffer[..n]) {
                        return shared.disconnect(Some(&message));
                    }
                }
                Err(error) => return shared.disconnect(Some(&error.to_string())),
            }
        }
    });
    shared
        .tasks
        .lock()
        .extend([writing.abort_handle(), reading.abort_handle()]);
    Connection {
        shared: Arc::new(Handle(shared)),
    }
}

/// Writes requests in order; a streamed request body is sent chunk by
/// chunk before the next request.
async fn write_requests(
    mut writer: impl AsyncWrite + Unpin,
    mut queue: mpsc::UnboundedReceiver<(Bytes, Option<pipe::Reader>)>,
    shared: std::sync::Weak<Shared>,
) {
    let failure = async {
        while let Some((head, reader)) = queue.recv().await {
            ssl::write_all_flushed(&mut writer, &head)
                .await
                .map_err(|e| e.to_string())?;
            let Some(reader) = reader else {
                continue;
            };
            loop {
                let chunk = reader.read().await.map_err(|e| e.to_string())?;
                let mut out = BytesMut::new();
                if chunk.is_empty() {
                    out.extend_from_slice(crate::wire::LAST_CHUNK);
                    ssl::write_all_flushed(&mut writer, &out)
                        .await
                        .map_err(|e| e.to_string())?;
                    break;
                }
                crate::wire::encode_chunk(&chunk, &mut out);
                ssl::write_all_flushed(&mut writer, &out)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok::<(), String>(())
    }
    .await;
    if let (Err(message), Some(shared)) = (failure, shared.upgrade()) {
        shared.disconnect(Some(&message));
    }
}

/// Sends one request on a connection of its own (closed after the
/// response: the request is sent without keep-alive).
pub fn request(mut request: Request, streamed: bool) -> Future<Response> {
    request.keep_alive = false;
    if let Some(response) = crate::network::request(&mut request, streamed) {
        return response;
    }
    connect(&request.url).then(move |connection| {
        let response = connection.send(request, streamed);
        // The connection lives until it is closed.
        let keep = connection.clone();
        connection.disconnected().on_any(move |_| drop(keep));
        response
    })
}

/// The URL of `path` on the process `pid`: `http://<ip>:<port>/<id>/<path>`,
/// or `https://...` when the current runtime has TLS enabled.
pub fn url_of(pid: &UPID, path: &str) -> Url {
    let address = pid.address();
    let path = if path.is_empty() {
        pid.id().to_string()
    } else {
        format!("{}/{}", pid.id(), path.trim_start_matches('/'))
    };
    let scheme = if Inner::with(|inner| inner.tls.is_some()) {
        "https"
    } else {
        "http"
    };
    Url::new(scheme, address.ip(), address.port(), &path)
}

fn upid_request(
    method: &str,
    pid: &UPID,
    path: &str,
    query: Option<&str>,
    headers: Headers,
) -> Result<Request, String> {
    let mut url = url_of(pid, path);
    if let Some(query) = query {
        url.query = super::query::decode(query.trim_start_matches('?'))
            .map_err(|e| format!("Failed to decode HTTP query string: {}", e))?;
    }
    Ok(Request {
        method: method.to_string(),
        url,
        headers,
        ..Request::default()
    })
}

/// Sends a request built by one of the helpers, or fails with why it
/// could not be built.
fn send_built(built: Result<Request, String>, streamed: bool) -> Future<Response> {
    match built {
        Ok(req) => request(req, streamed),
        Err(message) => Future::failed(message),
    }
}

/// `GET /<id>/<path>?<query>` on `pid`'s server.
pub fn get(pid: &UPID, path: &str, query: Option<&str>, headers: Headers) -> Future<Response> {
    send_built(upid_request("GET", pid, path, query, headers), false)
}

/// `POST /<id>/<path>` on `pid`'s server with `body` of `content_type`.
pub fn post(
    pid: &UPID,
    path: &str,
    headers: Headers,
    body: Option<Bytes>,
    content_type: Option<&str>,
) -> Future<Response> {
    send_built(post_request(pid, path, headers, body, content_type), false)
}

fn post_request(
    pid: &UPID,
    path: &str,
    headers: Headers,
    body: Option<Bytes>,
    content_type: Option<&str>,
) -> Result<Request, String> {
    if body.is_none() && content_type.is_some() {
        return Err("Attempted to do a POST with a Content-Type but no body".to_string());
    }
    let mut req = upid_request("POST", pid, path, None, headers)?;
    if let Some(content_type) = content_type {
        req.headers.insert("Content-Type", content_type);
    }
    req.body = body.unwrap_or_default();
    Ok(req)
}

/// The same requests, answered at the response's headers with the body
/// streamed through a pipe.
pub mod streaming {
    use super::*;

    /// [`get`](super::get), streamed.
    pub fn get(pid: &UPID, path: &str, query: Option<&str>, headers: Headers) -> Future<Response> {
        send_built(upid_request("GET", pid, path, query, headers), true)
    }

    /// [`post`](super::post), streamed.
    pub fn post(
        pid: &UPID,
        path: &str,
        headers: Headers,
        body: Option<Bytes>,
        content_type: Option<&str>,
    ) -> Future<Response> {
        send_built(post_request(pid, path, headers, body, content_type), true)
    }
}
