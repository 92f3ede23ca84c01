//! Accepted connections: requests in, responses out, in request order.
//! Messages are answered at once; HTTP requests wait for their process'
//! response, and a streamed response holds the ones after it back until
//! its last chunk.

use std::net::SocketAddr;
use std::sync::{Arc, Weak};

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use crate::http::pipe;
use crate::http::server::{encode_response, failure_response};
use crate::http::{Body, Response};
use crate::runtime::Inner;
use crate::ssl::{self, Stream};
use crate::wire::{self, Decoded, MessageParser, RequestDecoder};
use crate::wire::{encode_chunk, LAST_CHUNK};
use crate::{Future, Message, Time};

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

/// How much room each read asks for.
const READ_SIZE: usize = 64 * 1024;

/// What the writer sends next.
pub(crate) enum Reply {
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
        // Already logged as an error, with what to change.
        Err(error) if ssl::is_no_shared_cipher(&error) => {}
        Err(error) => {
            tracing::warn!(%error, %peer, "Failed to accept a TLS connection");
        }
    }
}

/// Reads requests until the peer closes, the input is malformed (the
/// connection is closed, nothing else is affected) or a request asks to
/// close.
pub(crate) async fn serve<R, W>(mut reader: R, writer: W, peer: SocketAddr, runtime: Weak<Inner>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (replies, queue) = mpsc::unbounded_channel();
    let (peer_gone, gone) = watch::channel(false);
    let writing = tokio::spawn(write_replies(writer, queue, gone));
    let mut decoder = RequestDecoder::default();
    let mut parser = None;
    let mut batch = Batch::default();
    let mut ready = BytesMut::new();
    // Answers to messages gather here and go out once per read.
    let flush = |ready: &mut BytesMut| {
        if !ready.is_empty() {
            let _ = replies.send(Reply::Ready(ready.split().freeze()));
        }
    };
    // The writer of the body being streamed to a process, and whether
    // the connection closes after it.
    let mut streaming: Option<(pipe::Writer, bool)> = None;
    'reading: loop {
        // Read straight into the decoder's buffer; requests share it.
        let input = decoder.input();
        input.reserve(READ_SIZE);
        match reader.read_buf(input).await {
            Ok(0) | Err(_) => {
                let _ = peer_gone.send(true);
                break;
            }
            Ok(_) => {}
        }
        let Some(inner) = runtime.upgrade() else {
            break;
        };
        let now = Time::wall();
        let parser = parser.get_or_insert_with(|| MessageParser::new(inner.address()));
        loop {
            if let Some((message, keep_alive)) = decoder.next_message(parser) {
                batch.push(&inner, message, now, &mut ready);
                if !keep_alive {
                    batch.deliver(&inner, now, &mut ready);
                    break 'reading;
                }
                continue;
            }
            // Chunked bodies of requests to processes (not messages) are
            // streamed: a route may take them as they come.
            let event = match decoder.next_event(|request| !wire::is_message(request)) {
                Ok(Some(event)) => event,
                Ok(None) => break,
                Err(error) => {
                    // What arrived whole before the bad bytes still counts.
                    batch.deliver(&inner, now, &mut ready);
                    if let Some((writer, _)) = streaming.take() {
                        writer.fail("Malformed request body");
                    }
                    tracing::warn!(%error, %peer, "Closing a connection that sent a malformed request");
                    writing.abort();
                    return;
                }
            };
            let request = match event {
                Decoded::Request(request) => request,
                Decoded::Head(request) => {
                    batch.deliver(&inner, now, &mut ready);
                    flush(&mut ready);
                    let keep_alive = request.keep_alive();
                    let (body, writer) = pipe::pipe();
                    let mut request = crate::http::Request::from_wire(request, peer);
                    request.reader = Some(body);
                    let _ = replies.send(Reply::Pending {
                        response: crate::http::server::handle(&inner, request),
                        keep_alive,
                    });
                    streaming = Some((writer, keep_alive));
                    continue;
                }
                Decoded::Data(data) => {
                    // Dropped when nobody will read it (the request was
                    // answered without its body): it would only pile up.
                    if let Some((writer, _)) = streaming.as_ref().filter(|(w, _)| !w.is_orphaned())
                    {
                        writer.write(data);
                    }
                    continue;
                }
                Decoded::End => match streaming.take() {
                    Some((writer, keep_alive)) => {
                        writer.close();
                        if !keep_alive {
                            break 'reading;
                        }
                        continue;
                    }
                    None => continue,
                },
            };
            let keep_alive = request.keep_alive();
            if wire::is_message(&request) {
                match parser.parse(request) {
                    Ok(message) => batch.push(&inner, message, now, &mut ready),
                    Err(error) => {
                        batch.deliver(&inner, now, &mut ready);
                        let response = crate::http::internal_server_error(Some(error.to_string()));
                        encode_response(&response, now, &mut ready);
                    }
                }
            } else {
                batch.deliver(&inner, now, &mut ready);
                flush(&mut ready);
                let request = crate::http::Request::from_wire(request, peer);
                let _ = replies.send(Reply::Pending {
                    response: crate::http::server::handle(&inner, request),
                    keep_alive,
                });
            }
            if !keep_alive {
                batch.deliver(&inner, now, &mut ready);
                break 'reading;
            }
        }
        batch.deliver(&inner, now, &mut ready);
        flush(&mut ready);
    }
    if let Some((writer, _)) = streaming.take() {
        writer.fail("Connection closed before the request body ended");
    }
    flush(&mut ready);
    // The writer finishes what is queued, then closes.
    drop(replies);
    let _ = writing.await;
}

/// The messages of one read to one process, delivered together: one
/// lookup, one lock of the mailbox and at most one wake-up of a worker,
/// instead of one each per message.
#[derive(Default)]
struct Batch {
    messages: Vec<Message>,
}

impl Batch {
    fn push(&mut self, inner: &Arc<Inner>, message: Message, now: Time, ready: &mut BytesMut) {
        if self
            .messages
            .first()
            .is_some_and(|first| first.to != message.to)
        {
            self.deliver(inner, now, ready);
        }
        self.messages.push(message);
    }

    /// Delivers what is batched and answers each message, in order.
    fn deliver(&mut self, inner: &Arc<Inner>, now: Time, ready: &mut BytesMut) {
        let Some(first) = self.messages.first() else {
            return;
        };
        let to = first.to.clone();
        let count = self.messages.len();
        let delivered = inner.deliver_local_all(&to, self.messages.drain(..));
        for _ in 0..count {
            wire::encode_message_response(delivered, now, ready);
        }
    }
}

/// Writes the replies in order. `gone` turns true when the peer closes
/// its end: a streamed response then ends, and its producer sees its
/// reader closed (as libprocess closes a streaming response's pipe when
/// its socket closes).
pub(crate) async fn write_replies<W: AsyncWrite + Unpin>(
    mut writer: W,
    mut queue: mpsc::UnboundedReceiver<Reply>,
    mut gone: watch::Receiver<bool>,
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
                    if !stream_body(&mut writer, reader, &mut out, &mut gone).await {
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

/// Completes once the peer has closed its end of the connection; never,
/// if the connection ends otherwise.
async fn peer_gone(gone: &mut watch::Receiver<bool>) {
    if gone.wait_for(|gone| *gone).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Sends a streamed body chunk by chunk; false when the connection must
/// close (the peer went away, or the stream failed: the response cannot
/// be completed).
async fn stream_body<W: AsyncWrite + Unpin>(
    writer: &mut W,
    reader: &crate::http::pipe::Reader,
    out: &mut BytesMut,
    gone: &mut watch::Receiver<bool>,
) -> bool {
    let ended = loop {
        let read = tokio::select! {
            read = reader.read() => read,
            () = peer_gone(gone) => {
                reader.close();
                return false;
            }
        };
        match read {
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
