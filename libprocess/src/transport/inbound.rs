//! Accepted connections: requests in, responses out, in order.

use std::sync::Weak;

use bytes::BytesMut;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::runtime::Inner;
use crate::wire::{self, RequestDecoder};
use crate::Time;

pub(super) async fn accept(listener: TcpListener, runtime: Weak<Inner>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, runtime.clone()));
            }
            Err(error) => {
                tracing::warn!(%error, "Failed to accept a connection");
            }
        }
    }
}

/// Reads requests until the peer closes, the input is malformed (the
/// connection is closed, nothing else is affected) or a request asks to
/// close; answers each message `202 Accepted` or `404 Not Found`.
async fn serve(mut stream: TcpStream, runtime: Weak<Inner>) {
    let mut decoder = RequestDecoder::default();
    let mut buffer = vec![0u8; 80 * 1024];
    let mut out = BytesMut::new();
    loop {
        let n = match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let requests = match decoder.decode(&buffer[..n]) {
            Ok(requests) => requests,
            Err(error) => {
                tracing::warn!(%error, "Closing a connection that sent a malformed request");
                return;
            }
        };
        let Some(inner) = runtime.upgrade() else {
            return;
        };
        let mut close = false;
        for request in requests {
            close = !request.keep_alive();
            respond(&inner, request, &mut out);
            if close {
                break;
            }
        }
        drop(inner);
        if !out.is_empty() {
            if stream.write_all(&out).await.is_err() {
                return;
            }
            out.clear();
        }
        if close {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

fn respond(inner: &std::sync::Arc<Inner>, request: wire::Request, out: &mut BytesMut) {
    let now = Time::wall();
    if !wire::is_message(&request) {
        // HTTP routes come with the HTTP server; until then nothing is
        // found.
        wire::encode_response(
            404,
            &[("Content-Type", "text/plain; charset=utf-8")],
            b"404 Not Found.",
            now,
            out,
        );
        return;
    }
    match wire::parse_message(request, inner.address()) {
        Ok(message) => {
            let delivered = inner.deliver_local(message);
            wire::encode_message_response(delivered, now, out);
        }
        Err(error) => {
            let body = error.to_string();
            wire::encode_response(
                500,
                &[("Content-Type", "text/plain; charset=utf-8")],
                body.as_bytes(),
                now,
                out,
            );
        }
    }
}
