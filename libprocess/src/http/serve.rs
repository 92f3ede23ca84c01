//! `http::serve`: HTTP on a socket accepted by the caller, answered by a
//! function (libprocess' `process::http::serve`).

use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::sync::mpsc;

use super::{Request, Response};
use crate::future::take;
use crate::transport::inbound::{write_replies, Reply};
use crate::wire::RequestDecoder;
use crate::{Future, Promise};

/// Serves HTTP on `socket` (a plain TCP connection, typically just
/// accepted): each request, body whole, goes to `handler`, and the
/// responses go out in the order of the requests, whenever their futures
/// complete; a streamed ([`Response::pipe`]) body holds the later ones
/// back until it ends. The handler runs on the client's I/O thread: keep
/// it short (hand the request to a process, return a future).
///
/// The future is ready once the peer closes the connection (or after the
/// response to a request that asked to close), and failed if the peer
/// sends something that is not HTTP. Discarding it stops serving and
/// closes the connection.
pub fn serve<F>(socket: TcpStream, handler: F) -> Future<()>
where
    F: FnMut(Request) -> Future<Response> + Send + 'static,
{
    let peer = match socket.peer_addr() {
        Ok(peer) => peer,
        Err(error) => return Future::failed(format!("Failed to get peer address: {}", error)),
    };
    if let Err(error) = socket.set_nonblocking(true) {
        return Future::failed(format!("Failed to set socket non-blocking: {}", error));
    }
    let promise = Arc::new(Mutex::new(Some(Promise::new())));
    let future = promise
        .lock()
        .as_ref()
        .map(Promise::future)
        .unwrap_or_else(Future::discarded);
    let done = promise.clone();
    let task = super::client::io().spawn(async move {
        let outcome = match tokio::net::TcpStream::from_std(socket) {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                let (reader, writer) = stream.into_split();
                serve_stream(reader, writer, peer, handler).await
            }
            Err(error) => Err(format!("Failed to register the socket: {}", error)),
        };
        if let Some(promise) = take(&done) {
            match outcome {
                Ok(()) => promise.set(()),
                Err(message) => promise.fail(message),
            };
        }
    });
    let abort = task.abort_handle();
    future.on_discard(move || {
        abort.abort();
        if let Some(promise) = take(&promise) {
            promise.discard();
        }
    });
    future
}

/// Reads requests until the peer closes or a request asks to close, then
/// waits for the responses to be written.
async fn serve_stream<R, W, F>(
    mut reader: R,
    writer: W,
    peer: SocketAddr,
    mut handler: F,
) -> Result<(), String>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
    F: FnMut(Request) -> Future<Response>,
{
    let (replies, queue) = mpsc::unbounded_channel();
    let (peer_gone, gone) = tokio::sync::watch::channel(false);
    let writing = tokio::spawn(write_replies(writer, queue, gone));
    let mut decoder = RequestDecoder::default();
    'reading: loop {
        let input = decoder.input();
        input.reserve(64 * 1024);
        match reader.read_buf(input).await {
            Ok(0) => {
                let _ = peer_gone.send(true);
                break;
            }
            Ok(_) => {}
            Err(error) => {
                writing.abort();
                return Err(format!("Failed to read from the socket: {}", error));
            }
        }
        loop {
            let request = match decoder.next_request() {
                Ok(Some(request)) => request,
                Ok(None) => break,
                Err(error) => {
                    writing.abort();
                    return Err(format!("Failed to decode request: {}", error));
                }
            };
            let keep_alive = request.keep_alive();
            let response = handler(Request::from_wire(request, peer));
            let _ = replies.send(Reply::Pending {
                response,
                keep_alive,
            });
            if !keep_alive {
                break 'reading;
            }
        }
    }
    drop(replies);
    let _ = writing.await;
    Ok(())
}
