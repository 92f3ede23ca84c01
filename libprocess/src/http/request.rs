//! Requests, and the percent-encoding of paths and queries.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use bytes::Bytes;

use super::{pipe, Headers, Url};
use crate::wire::WireError;

/// An HTTP request: what a route handler gets, and what the client sends.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The target. On the server, `url.path` is the path as received
    /// (percent-encoded, with the `/<process id>` prefix).
    pub url: Url,
    /// The headers.
    pub headers: Headers,
    /// Whether the connection stays open after the response (libprocess'
    /// default: false, so one-shot requests send `Connection: close`).
    pub keep_alive: bool,
    /// The body (empty when `reader` streams it).
    pub body: Bytes,
    /// A streamed body: sent chunked by the client.
    pub reader: Option<pipe::Reader>,
    /// On the server: the peer's address.
    pub client: Option<SocketAddr>,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            method: "GET".to_string(),
            url: Url::default(),
            headers: Headers::new(),
            keep_alive: false,
            body: Bytes::new(),
            reader: None,
            client: None,
        }
    }
}

impl Request {
    /// A `method` request for `url`, without keep-alive.
    pub fn new(method: &str, url: Url) -> Request {
        Request {
            method: method.to_string(),
            url,
            ..Request::default()
        }
    }

    /// The request a server decoded, from `client`.
    pub(crate) fn from_wire(request: crate::wire::Request, client: SocketAddr) -> Request {
        Request {
            method: request.method().to_string(),
            url: Url {
                scheme: "http".to_string(),
                host: String::new(),
                port: 0,
                path: request.path().to_string(),
                query: request.query().clone(),
                fragment: request.fragment().map(str::to_string),
            },
            headers: request.headers().collect(),
            keep_alive: request.keep_alive(),
            body: request.into_body(),
            reader: None,
            client: Some(client),
        }
    }

    /// Whether the `Accept-Encoding` header accepts `encoding` (an absent
    /// or empty header accepts nothing; `q=0` refuses).
    pub fn accepts_encoding(&self, encoding: &str) -> bool {
        let Some(header) = self.headers.get("Accept-Encoding") else {
            return false;
        };
        accepts(header, |candidate| {
            candidate
                .eq_ignore_ascii_case(encoding)
                .then_some(0)
                .or_else(|| (candidate == "*").then_some(1))
        })
    }

    /// Whether the `Accept` header accepts `media_type` (`type/subtype`);
    /// an absent header accepts everything.
    pub fn accepts_media_type(&self, media_type: &str) -> bool {
        let Some((kind, _)) = media_type.split_once('/') else {
            return false;
        };
        let Some(header) = self.headers.get("Accept") else {
            return true;
        };
        let wildcard = format!("{}/*", kind);
        accepts(header, |candidate| {
            if candidate.eq_ignore_ascii_case(media_type) {
                Some(0)
            } else if candidate.eq_ignore_ascii_case(&wildcard) {
                Some(1)
            } else if candidate == "*/*" {
                Some(2)
            } else {
                None
            }
        })
    }
}

/// Whether the most specific candidate of a header like `Accept` (by the
/// rank `matches` gives, lower is more specific) has a non-zero quality.
fn accepts(header: &str, matches: impl Fn(&str) -> Option<u8>) -> bool {
    let mut best: Option<(u8, bool)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let candidate = parts.next().unwrap_or_default();
        let Some(rank) = matches(candidate) else {
            continue;
        };
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f64>().ok())
                .is_some_and(|q| q == 0.0)
        });
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, !refused));
        }
    }
    best.is_some_and(|(_, accepted)| accepted)
}

/// Characters libprocess escapes besides the non-printable ones.
const RESERVED: &[u8] = b"$&+,/:;=?@ \"<>#%{}|\\^~[]`";

/// Percent-encodes `text` as libprocess does (`http::encode`), escaping
/// the characters in `additional` too.
pub fn encode(text: &str, additional: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte <= 0x1f
            || byte >= 0x7f
            || RESERVED.contains(&byte)
            || additional.as_bytes().contains(&byte)
        {
            out.push_str(&format!("%{:02X}", byte));
        } else {
            out.push(byte as char);
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (a space), as `http::decode`.
pub fn decode(text: &str) -> Result<String, WireError> {
    crate::wire::percent_decode(&text.replace('+', " "))
}

/// Query strings: `a=1&b=2`.
pub mod query {
    use super::*;

    /// Encodes `query`; a key with an empty value has no `=`.
    pub fn encode(query: &BTreeMap<String, String>) -> String {
        query
            .iter()
            .map(|(k, v)| {
                if v.is_empty() {
                    super::encode(k, "")
                } else {
                    format!("{}={}", super::encode(k, ""), super::encode(v, ""))
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Decodes a query string; a bad escape is an error.
    pub fn decode(query: &str) -> Result<BTreeMap<String, String>, WireError> {
        crate::wire::parse_query(query)
    }
}

/// Paths against patterns like `/books/{isbn}/chapters/{chapter}`.
pub mod path {
    use std::collections::HashMap;

    /// Matches `path` segment by segment against `pattern`: a `{name}`
    /// segment takes whatever is there (as `name`), any other must be
    /// there as it is (and maps to itself). The path may stop early; a
    /// segment that does not match, or one beyond the pattern, is an
    /// error.
    pub fn parse(pattern: &str, path: &str) -> stout::Try<HashMap<String, String>> {
        let mut keys = pattern.split('/').filter(|k| !k.is_empty());
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut result = HashMap::new();
        for (at, segment) in segments.iter().enumerate() {
            let Some(key) = keys.next() else {
                return Err(stout::Error::new(format!(
                    "Not expecting suffix '{}'",
                    segments[at..].join("/")
                )));
            };
            let key = match key.strip_prefix('{').and_then(|k| k.strip_suffix('}')) {
                Some(name) => name,
                None if key == *segment => key,
                None => {
                    return Err(stout::Error::new(format!(
                        "Expecting '{}' not '{}'",
                        key, segment
                    )))
                }
            };
            result.insert(key.to_string(), segment.to_string());
        }
        Ok(result)
    }
}
