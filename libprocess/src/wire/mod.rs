//! libprocess' wire protocol: messages are HTTP requests
//! (`POST /<to>/<name>`), answered `202 Accepted` or `404 Not Found`; the
//! codec is plain functions over bytes, so it is tested (and fuzzed)
//! without sockets.

mod decoder;
mod encoder;
mod names;
mod quick;
mod request;
mod response;

use std::borrow::Cow;
use std::fmt;

pub(crate) use decoder::{parse_query, Decoded};
pub use decoder::{Limits, RequestDecoder};
pub(crate) use encoder::{encode_chunk, encode_chunked_head, LAST_CHUNK};
pub use encoder::{
    encode_message, encode_message_response, encode_response, http_date, message_bytes,
};
pub use request::Request;
pub use response::{ResponseDecoder, ResponseEvent};

use crate::{Address, Message, UPID};

/// Why bytes from the network were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    message: Cow<'static, str>,
}

impl WireError {
    pub(crate) fn new(message: impl Into<Cow<'static, str>>) -> WireError {
        WireError {
            message: message.into(),
        }
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WireError {}

/// Whether `request` is a libprocess message: a `POST` with a
/// `libprocess/` User-Agent or a `Libprocess-From` header.
pub fn is_message(request: &Request) -> bool {
    request.method_bytes() == b"POST" && sender_header(request).is_some()
}

/// [`request::message_sender`] of `request`'s headers.
fn sender_header(request: &Request) -> Option<&[u8]> {
    request::message_sender(
        request.header_bytes("Libprocess-From"),
        request.header_bytes("User-Agent"),
    )
}

/// The message `request` carries, addressed to the process named by the
/// path's first segment at `local` (what the sender thought the address
/// was does not matter). An unparsable sender becomes the empty UPID, as
/// in libprocess; a path without a leading `/` or with bad
/// percent-encoding is an error.
pub fn parse_message(request: Request, local: Address) -> Result<Message, WireError> {
    MessageParser::new(local).parse(request)
}

/// [`parse_message`] for the requests of one connection, which come
/// from few senders to few processes: the last sender and receiver are
/// remembered, so most messages parse neither UPID again.
#[derive(Debug)]
pub struct MessageParser {
    local: Address,
    from: Option<(Vec<u8>, UPID)>,
    to: Option<(Vec<u8>, UPID)>,
    names: names::Names,
}

impl MessageParser {
    /// A parser for messages arriving at `local`.
    pub fn new(local: Address) -> MessageParser {
        MessageParser {
            local,
            from: None,
            to: None,
            names: names::Names::default(),
        }
    }

    /// See [`parse_message`].
    pub fn parse(&mut self, request: Request) -> Result<Message, WireError> {
        let from = sender_header(&request).unwrap_or_default();
        let (from, to, name) = self.parts(from, request.path_bytes())?;
        Ok(Message {
            name,
            from,
            to,
            body: request.into_body(),
        })
    }

    /// The sender, receiver and name of a message from `from` (the
    /// header's value, untrimmed) to `path`.
    pub(super) fn parts(
        &mut self,
        from: &[u8],
        path: &[u8],
    ) -> Result<(UPID, UPID, Cow<'static, str>), WireError> {
        let from = from.trim_ascii();
        let from = match &self.from {
            Some((text, upid)) if text == from => upid.clone(),
            _ => {
                let upid = std::str::from_utf8(from)
                    .ok()
                    .and_then(|text| UPID::parse(text).ok())
                    .unwrap_or_default();
                self.from = Some((from.to_vec(), upid.clone()));
                upid
            }
        };
        let path = path
            .strip_prefix(b"/")
            .ok_or_else(|| WireError::new("Request URL path must start with '/'"))?;
        let (id, name) = match path.iter().position(|&b| b == b'/') {
            Some(at) => (&path[..at], &path[at + 1..]),
            None => (path, &b""[..]),
        };
        let to = match &self.to {
            Some((text, upid)) if text == id => upid.clone(),
            _ => {
                let text = std::str::from_utf8(id)
                    .map_err(|_| WireError::new("Request URL path is not UTF-8"))?;
                let upid = UPID::new(percent_decode(text)?, self.local);
                self.to = Some((id.to_vec(), upid.clone()));
                upid
            }
        };
        let name = std::str::from_utf8(name)
            .map_err(|_| WireError::new("Request URL path is not UTF-8"))?;
        Ok((from, to, self.names.get(name)))
    }
}

/// Decodes `%XX` escapes.
pub fn percent_decode(text: &str) -> Result<String, WireError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| WireError::new(format!("Malformed % escape in '{}'", text)))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| WireError::new(format!("'{}' is not UTF-8 once decoded", text)))
}
