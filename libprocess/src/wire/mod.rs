//! libprocess' wire protocol: messages are HTTP requests
//! (`POST /<to>/<name>`), answered `202 Accepted` or `404 Not Found`; the
//! codec is plain functions over bytes, so it is tested (and fuzzed)
//! without sockets.

mod decoder;
mod encoder;
mod response;

use std::borrow::Cow;
use std::fmt;

pub(crate) use decoder::parse_query;
pub use decoder::{Limits, Request, RequestDecoder};
pub(crate) use encoder::{encode_chunk, encode_chunked_head, LAST_CHUNK};
pub use encoder::{
    encode_message, encode_message_response, encode_response, http_date, message_bytes,
};
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
    request.method == "POST"
        && (request
            .header("User-Agent")
            .is_some_and(|ua| ua.starts_with("libprocess/"))
            || request.header("Libprocess-From").is_some())
}

/// The message `request` carries, addressed to the process named by the
/// path's first segment at `local` (what the sender thought the address
/// was does not matter). An unparsable sender becomes the empty UPID, as
/// in libprocess; a path without a leading `/` or with bad
/// percent-encoding is an error.
pub fn parse_message(request: Request, local: Address) -> Result<Message, WireError> {
    let from = request
        .header("Libprocess-From")
        .or_else(|| {
            request
                .header("User-Agent")
                .and_then(|ua| ua.strip_prefix("libprocess/"))
        })
        .and_then(|text| UPID::parse(text.trim()).ok())
        .unwrap_or_default();
    let path = request
        .path
        .strip_prefix('/')
        .ok_or_else(|| WireError::new("Request URL path must start with '/'"))?;
    let (id, name) = path.split_once('/').unwrap_or((path, ""));
    let id = percent_decode(id)?;
    Ok(Message {
        name: Cow::Owned(name.to_string()),
        from,
        to: UPID::new(id, local),
        body: request.body,
    })
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
