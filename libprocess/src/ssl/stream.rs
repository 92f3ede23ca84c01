//! Connections that may be TLS: accepting (with downgrade, by peeking at
//! the first bytes as libprocess does) and connecting (retrying in plain
//! text when downgrade is supported).

use std::io;
use std::net::SocketAddr;

use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::{TlsAcceptor, TlsConnector, TlsStream};

use super::Context;

/// A connection, plain or TLS.
#[derive(Debug)]
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Stream {
    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        match self {
            Stream::Plain(tcp) => tcp.local_addr(),
            Stream::Tls(tls) => tls.get_ref().0.local_addr(),
        }
    }
}

/// Accepts `tcp` from `peer`: plain without a context; with one, TLS,
/// or plain when downgrade is supported and the peer did not start with
/// a TLS ClientHello.
pub(crate) async fn accept(
    tcp: TcpStream,
    peer: SocketAddr,
    tls: Option<&Context>,
) -> io::Result<Stream> {
    let Some(context) = tls else {
        return Ok(Stream::Plain(tcp));
    };
    if context.support_downgrade && !starts_tls(&tcp).await? {
        return Ok(Stream::Plain(tcp));
    }
    let stream = TlsAcceptor::from(context.server.clone())
        .accept(tcp)
        .await
        .map_err(|error| explain(error, &peer.to_string(), context, Side::Server))?;
    if let Some(check) = &context.server_check {
        check
            .check(peer_certificate(stream.get_ref().1), None, Some(peer.ip()))
            .await
            .map_err(|e| io::Error::new(io::ErrorKind::PermissionDenied, e))?;
    }
    Ok(Stream::Tls(Box::new(TlsStream::Server(stream))))
}

/// Waits for the peer's first bytes and tells whether they open a TLS
/// handshake (libprocess' rules: an SSLv2-style or a TLS record
/// carrying a ClientHello; fewer than two bytes is plain).
async fn starts_tls(tcp: &TcpStream) -> io::Result<bool> {
    let mut head = [0u8; 6];
    let n = tcp.peek(&mut head).await?;
    let head = &head[..n];
    Ok(match head {
        [first, _, 1, ..] if first & 0x80 != 0 => true,
        [0x16, 3, _, _, _, 1, ..] => true,
        _ => false,
    })
}

/// Connects to `address` (named `hostname`, if known): plain without a
/// context; with one, TLS, and then plain once more if that fails,
/// downgrade is supported and `may_downgrade` (the transport's
/// connections may, the HTTP client's may not, as in libprocess).
pub(crate) async fn connect(
    address: SocketAddr,
    hostname: Option<&str>,
    tls: Option<&Context>,
    may_downgrade: bool,
) -> io::Result<Stream> {
    let tcp = tcp_connect(address).await?;
    let Some(context) = tls else {
        return Ok(Stream::Plain(tcp));
    };
    match handshake(tcp, address, hostname, context).await {
        Ok(stream) => Ok(stream),
        Err(error) if context.support_downgrade && may_downgrade => {
            tracing::warn!(%address, %error, "Failed SSL connections will be downgraded to a non-SSL socket");
            Ok(Stream::Plain(tcp_connect(address).await?))
        }
        Err(error) => Err(error),
    }
}

async fn tcp_connect(address: SocketAddr) -> io::Result<TcpStream> {
    let tcp = TcpStream::connect(address).await?;
    let _ = tcp.set_nodelay(true);
    Ok(tcp)
}

async fn handshake(
    tcp: TcpStream,
    address: SocketAddr,
    hostname: Option<&str>,
    context: &Context,
) -> io::Result<Stream> {
    let name = match hostname.map(|h| ServerName::try_from(h.to_string())) {
        Some(Ok(name)) => name,
        Some(Err(_)) | None => ServerName::from(address.ip()),
    };
    let stream = TlsConnector::from(context.client.clone())
        .connect(name, tcp)
        .await
        .map_err(|error| explain(error, &address.to_string(), context, Side::Client))?;
    if let Some(check) = &context.client_check {
        check
            .check(
                peer_certificate(stream.get_ref().1),
                hostname.map(str::to_string),
                Some(address.ip()),
            )
            .await
            .map_err(|e| io::Error::new(io::ErrorKind::PermissionDenied, e))?;
    }
    Ok(Stream::Tls(Box::new(TlsStream::Client(stream))))
}

/// Which end of a handshake this side was.
#[derive(Clone, Copy)]
enum Side {
    Server,
    Client,
}

/// A handshake that failed for want of a cipher suite both sides have:
/// the error says which setting fixes it.
#[derive(Debug)]
struct NoSharedCipher(String);

impl std::fmt::Display for NoSharedCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NoSharedCipher {}

/// Whether `error` is a handshake's failure for want of a shared suite
/// (already logged as an error, where it was found).
pub(crate) fn is_no_shared_cipher(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|e| e.is::<NoSharedCipher>())
}

/// A failed handshake's error. When no cipher suite was shared (rustls'
/// server finds no suite, or no ECDHE group, in the ClientHello; a client
/// gets the peer's `handshake_failure` alert, which OpenSSL sends for "no
/// shared cipher"), logs an error naming `LIBPROCESS_SSL_CIPHERS` and the suites
/// the peer could use with this side, and returns that instead: rustls'
/// own words do not say what to change, and a C++ libprocess peer with
/// its default cipher list offers only suites rustls lacks.
fn explain(error: io::Error, peer: &str, context: &Context, side: Side) -> io::Error {
    let cause = error
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    let (what, suites) = match (side, cause) {
        (
            Side::Server,
            Some(rustls::Error::PeerIncompatible(
                rustls::PeerIncompatible::NoCipherSuitesInCommon,
            )),
        ) => (
            "the peer offered no cipher suite this side has",
            &context.server_suites,
        ),
        // What rustls finds first when the peer offers no ECDHE suite at
        // all (OpenSSL then names no curve), as C++ libprocess' default
        // list does.
        (
            Side::Server,
            Some(rustls::Error::PeerIncompatible(rustls::PeerIncompatible::NoKxGroupsInCommon)),
        ) => (
            "the peer offered no key exchange this side has, as a peer offering no ECDHE \
             cipher suite does (if it offered some, compare LIBPROCESS_SSL_ECDH_CURVES)",
            &context.server_suites,
        ),
        (
            Side::Client,
            Some(rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure)),
        ) => (
            "the peer refused it (handshake_failure), most likely for want of a shared cipher suite",
            &context.client_suites,
        ),
        _ => return error,
    };
    let message = format!(
        "TLS handshake with {} failed: {}. Set LIBPROCESS_SSL_CIPHERS on the peer to suites \
         this side supports: {} (C++ libprocess' default list names none of them)",
        peer, what, suites
    );
    tracing::error!("{}", message);
    io::Error::new(error.kind(), NoSharedCipher(message))
}

/// The certificate the peer presented (the first of its chain).
fn peer_certificate(state: &rustls::CommonState) -> Option<CertificateDer<'static>> {
    state
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|certificate| certificate.clone().into_owned())
}

/// Writes `bytes` and flushes: a TLS stream keeps records it could not
/// send yet until flushed (a no-op on plain TCP), so a writer that then
/// waits for more work must flush first.
pub(crate) async fn write_all_flushed<W: AsyncWrite + Unpin + ?Sized>(
    writer: &mut W,
    bytes: &[u8],
) -> io::Result<()> {
    writer.write_all(bytes).await?;
    writer.flush().await
}
