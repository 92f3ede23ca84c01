//! A decoded request: views into its head's bytes, which are shared with
//! the connection's read buffer, so decoding a message allocates almost
//! nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use bytes::Bytes;

/// One request, complete with its body.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The request line and headers as received (checked to be UTF-8).
    pub(super) head: Bytes,
    pub(super) method: Range<usize>,
    pub(super) target: Range<usize>,
    /// The end of the path within `head` (before `?` or `#`).
    pub(super) path_end: usize,
    pub(super) fragment: Option<Range<usize>>,
    pub(super) query: BTreeMap<String, String>,
    pub(super) minor_version: u8,
    /// Names and values (values without surrounding white space).
    pub(super) headers: Vec<(Range<usize>, Range<usize>)>,
    pub(super) body: Bytes,
}

impl Request {
    fn text(&self, span: Range<usize>) -> &str {
        // The head was checked to be UTF-8 and spans end at ASCII
        // delimiters, so this never falls back.
        self.head
            .get(span)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// `POST`, `GET`, ...
    pub fn method(&self) -> &str {
        self.text(self.method.clone())
    }

    /// The request target as sent (path, query and fragment).
    pub fn target(&self) -> &str {
        self.text(self.target.clone())
    }

    /// The target's path, as sent (not decoded).
    pub fn path(&self) -> &str {
        self.text(self.target.start..self.path_end)
    }

    /// The query's decoded `key=value` pairs.
    pub fn query(&self) -> &BTreeMap<String, String> {
        &self.query
    }

    /// The target's fragment, if any.
    pub fn fragment(&self) -> Option<&str> {
        self.fragment.clone().map(|span| self.text(span))
    }

    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub fn minor_version(&self) -> u8 {
        self.minor_version
    }

    /// The headers in order; names as sent.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.headers
            .iter()
            .map(|(name, value)| (self.text(name.clone()), self.text(value.clone())))
    }

    /// The value of header `name` (case-insensitive); the last one wins,
    /// as in libprocess.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_span(name).map(|value| self.text(value))
    }

    /// [`Request::header`] as bytes (no UTF-8 check: for hot paths that
    /// compare).
    pub(crate) fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        self.header_span(name)
            .and_then(|value| self.head.get(value))
    }

    fn header_span(&self, name: &str) -> Option<Range<usize>> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| {
                self.head
                    .get(n.clone())
                    .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            })
            .map(|(_, value)| value.clone())
    }

    /// The method as bytes.
    pub(crate) fn method_bytes(&self) -> &[u8] {
        self.head.get(self.method.clone()).unwrap_or_default()
    }

    /// The path as bytes.
    pub(crate) fn path_bytes(&self) -> &[u8] {
        self.head
            .get(self.target.start..self.path_end)
            .unwrap_or_default()
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body, taken.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// Whether the connection stays open after the response: HTTP/1.1
    /// unless `Connection: close`, HTTP/1.0 only with `Keep-Alive`.
    pub fn keep_alive(&self) -> bool {
        keeps_alive(
            self.minor_version,
            self.header_bytes("Connection").unwrap_or_default(),
        )
    }
}

// What a request's headers mean, for the general decoder and the
// message fast path (`quick`) alike: each rule is written once.

/// Whether the connection stays open after a request of HTTP/1.`minor`
/// with this `Connection` value (see [`Request::keep_alive`]).
pub(super) fn keeps_alive(minor: u8, connection: &[u8]) -> bool {
    match minor {
        0 => contains_ignoring_case(connection, b"keep-alive"),
        _ => !contains_ignoring_case(connection, b"close"),
    }
}

/// The sender a libprocess message names (untrimmed): its
/// `Libprocess-From`, else what follows `libprocess/` in its
/// `User-Agent`; `None` when the request is no message.
pub(super) fn message_sender<'a>(
    from: Option<&'a [u8]>,
    user_agent: Option<&'a [u8]>,
) -> Option<&'a [u8]> {
    from.or_else(|| user_agent.and_then(|ua| ua.strip_prefix(b"libprocess/")))
}

/// Whether a `Transfer-Encoding` value makes the body chunked.
pub(super) fn is_chunked(transfer_encoding: &[u8]) -> bool {
    contains_ignoring_case(transfer_encoding, b"chunked")
}

/// A `Content-Length` value, if well formed.
pub(super) fn content_length(value: &[u8]) -> Option<usize> {
    std::str::from_utf8(value).ok()?.parse().ok()
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method())
            .field("target", &self.target())
            .field("minor_version", &self.minor_version)
            .field("headers", &self.headers().collect::<Vec<_>>())
            .field("body", &self.body)
            .finish()
    }
}

/// Whether `needle` occurs in `haystack`, ignoring ASCII case.
fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}
