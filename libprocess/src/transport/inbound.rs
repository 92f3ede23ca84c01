//! Accepted connections: requests in, responses out, in request order.
//! Messages are answered at once; HTTP requests wait for their process'
//! response, and a streamed response holds the ones after it back until
//! its last chunk.

use std::net::SocketAddr;
use std::sync::{Arc, Weak};

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use crate::http::server::{encode_response, failure_response};
use crate::http::{Body, Response};
use crate::runtime::Inner;
use crate::ssl::{self, Stream};
use crate::wire::{self, RequestDecoder};
use crate::wire::{encode_chunk, LAST_CHUNK};
use crate::{Future, Time};

pub(super) async fn accept(
    listener: TcpListener,
    runtime: Weak<Inner>,
    tls: Option<Arc<ssl::Context>>,
) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                // Each connection is its own task, so a peer that never
                // sends (nor finishes a handshake) holds up nobody else.
                tokio::spawn(connection(stream, peer, runtime.clone(), tls.clone()));
            }
            Err(error) => {
                tracing::warn!(%error, "Failed to accept a connection");
            }
        }
    }
}

/// What the writer sends next.
enum Reply {
    /// Encoded responses (to messages, or refusals).
    Ready(Bytes),
    /// A response still to come from a process.
    Pending {
        response: Future<Response>,
        keep_alive: bool,
    },
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    runtime: Weak<Inner>,
    tls: Option<Arc<ssl::Context>>,
) {
    match ssl::accept(stream, peer, tls.as_deref()).await {
        Ok(Stream::Plain(stream)) => {
            let (reader, writer) = stream.into_split();
            serve(reader, writer, peer, runtime).await;
        }
        Ok(Stream::Tls(stream)) => {
            let (reader, writer) = tokio::io::split(stream);
            serve(reader, writer, peer, runtime).await;
        }
        Err(error) => {
            tracing::warn!(%error, %peer, "Failed to accept a TLS connection");
        }
    }
}

/// Reads requests until the peer closes, the input is malformed (the
/// connection is closed, nothing else is affected) or a request asks to
/// close.
async fn serve<R, W>(mut reader: R, writer: W, peer: SocketAddr, runtime: Weak<Inner>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (replies, queue) = mpsc::unbounded_channel();
    let writing = tokio::spawn(write_replies(writer, queue));
    let mut decoder = RequestDecoder::default();
    let mut buffer = vec![0u8; 80 * 1024];
    let mut ready = BytesMut::new();
    // Answers to messages gather here and go out once per read.
    let flush = |ready: &mut BytesMut| {
        if !ready.is_empty() {
            let _ = replies.send(Reply::Ready(ready.split().freeze()));
        }
    };
    'reading: loop {
        let n = match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let requests = match decoder.decode(&buffer[..n]) {
            Ok(requests) => requests,
            Err(error) => {
                tracing::warn!(%error, %peer, "Closing a connection that sent a malformed request");
                writing.abort();
                return;
            }
        };
        let Some(inner) = runtime.upgrade() else {
            break;
        };
        let now = Time::wall();
        for request in requests {
            let keep_alive = request.keep_alive();
            if let Some(response) = respond(&inner, request, peer, now, &mut ready) {
                flush(&mut ready);
                let _ = replies.send(Reply::Pending {
                    response,
                    keep_alive,
                });
            }
            if !keep_alive {
                break 'reading;
            }
        }
        flush(&mut ready);
    }
    flush(&mut ready);
    // The writer finishes what is queued, then closes.
    drop(replies);
    let _ = writing.await;
}

/// Answers a message at once (into `ready`); hands an HTTP request to
/// its process and returns the response to wait for.
fn respond(
    inner: &Arc<Inner>,
    request: wire::Request,
    peer: SocketAddr,
    now: Time,
    ready: &mut BytesMut,
) -> Option<Future<Response>> {
    if !wire::is_message(&request) {
        let request = crate::http::Request::from_wire(request, peer);
        return Some(crate::http::server::handle(inner, request));
    }
    match wire::parse_message(request, inner.address()) {
        Ok(message) => {
            let delivered = inner.deliver_local(message);
            wire::encode_message_response(delivered, now, ready);
        }
        Err(error) => {
            let response = crate::http::internal_server_error(Some(error.to_string()));
            encode_response(&response, now, ready);
        }
    }
    None
}

/// Writes the replies in order.
async fn write_replies<W: AsyncWrite + Unpin>(
    mut writer: W,
    mut queue: mpsc::UnboundedReceiver<Reply>,
) {
    let mut out = BytesMut::new();
    while let Some(reply) = queue.recv().await {
        match reply {
            Reply::Ready(bytes) => {
                if ssl::write_all_flushed(&mut writer, &bytes).await.is_err() {
                    return;
                }
            }
            Reply::Pending {
                response,
                keep_alive,
            } => {
                let response = match response.await {
                    Ok(response) => response,
                    Err(error) => failure_response(&error),
                };
                let close = !keep_alive
                    || response
                        .headers
                        .get("Connection")
                        .is_some_and(|c| c.eq_ignore_ascii_case("close"));
                encode_response(&response, Time::wall(), &mut out);
                if ssl::write_all_flushed(&mut writer, &out).await.is_err() {
                    return;
                }
                out.clear();
                if let Body::Pipe(reader) = &response.body {
                    if !stream_body(&mut writer, reader, &mut out).await {
                        return;
                    }
                }
                if close {
                    let _ = writer.shutdown().await;
                    return;
                }
            }
        }
    }
    let _ = writer.shutdown().await;
}

/// Sends a streamed body chunk by chunk; false when the connection must
/// close (the peer went away, or the stream failed: the response cannot
/// be completed).
async fn stream_body<W: AsyncWrite + Unpin>(
    writer: &mut W,
    reader: &crate::http::pipe::Reader,
    out: &mut BytesMut,
) -> bool {
    let ended = loop {
        match reader.read().await {
            Ok(chunk) if chunk.is_empty() => {
                out.extend_from_slice(LAST_CHUNK);
                break true;
            }
            Ok(chunk) => encode_chunk(&chunk, out),
            Err(_) => break false,
        }
        if ssl::write_all_flushed(writer, out).await.is_err() {
            reader.close();
            return false;
        }
        out.clear();
    };
    reader.close();
    ended && ssl::write_all_flushed(writer, out).await.is_ok() && {
        out.clear();
        true
    }
}
