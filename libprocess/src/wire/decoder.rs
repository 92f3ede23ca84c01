//! Reading HTTP requests off a connection, incrementally: whatever
//! libprocess peers of any version and other HTTP clients send (HTTP/1.0
//! and 1.1, `Content-Length` or chunked bodies, pipelined requests).
//! Sizes are bounded; anything malformed is an error, after which the
//! connection is closed.

use bytes::{Buf, Bytes, BytesMut};

use std::collections::BTreeMap;

use super::{percent_decode, WireError};

/// Bounds on what one request may take.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The request line and headers together.
    pub head: usize,
    /// How many headers (at most 100).
    pub headers: usize,
    /// The body, after de-chunking.
    pub body: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            head: 64 * 1024,
            headers: 100,
            body: 256 * 1024 * 1024,
        }
    }
}

/// One request, complete with its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `POST`, `GET`, ...
    pub method: String,
    /// The request target as sent (path, query and fragment).
    pub target: String,
    /// The target's path, as sent (not decoded).
    pub path: String,
    /// The query's decoded `key=value` pairs.
    pub query: BTreeMap<String, String>,
    /// The target's fragment, if any.
    pub fragment: Option<String>,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor_version: u8,
    /// The headers in order; names as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl Request {
    /// The value of header `name` (case-insensitive); the last one wins,
    /// as in libprocess.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the connection stays open after the response: HTTP/1.1
    /// unless `Connection: close`, HTTP/1.0 only with `Keep-Alive`.
    pub fn keep_alive(&self) -> bool {
        let connection = self.header("Connection").map(str::to_ascii_lowercase);
        match self.minor_version {
            0 => connection.is_some_and(|c| c.contains("keep-alive")),
            _ => !connection.is_some_and(|c| c.contains("close")),
        }
    }
}

enum Body {
    Length(usize),
    Chunked(Chunk),
}

pub(super) enum Chunk {
    /// Reading a size line.
    Size,
    /// Reading this many bytes of chunk data.
    Data(usize),
    /// Reading the CRLF after chunk data.
    DataEnd,
    /// After the last (empty) chunk: the final CRLF.
    End,
}

struct Partial {
    request: Request,
    body: Body,
    data: BytesMut,
}

/// Turns the bytes of one connection into requests.
pub struct RequestDecoder {
    limits: Limits,
    buffer: BytesMut,
    partial: Option<Partial>,
    failed: bool,
}

impl std::fmt::Debug for RequestDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestDecoder")
            .field("buffered", &self.buffer.len())
            .field("failed", &self.failed)
            .finish()
    }
}

impl Default for RequestDecoder {
    fn default() -> RequestDecoder {
        RequestDecoder::new(Limits::default())
    }
}

impl RequestDecoder {
    /// A decoder with these bounds.
    pub fn new(limits: Limits) -> RequestDecoder {
        RequestDecoder {
            limits,
            buffer: BytesMut::new(),
            partial: None,
            failed: false,
        }
    }

    /// Takes the next bytes read from the connection and returns the
    /// requests they complete. After an error the decoder stays failed.
    pub fn decode(&mut self, data: &[u8]) -> Result<Vec<Request>, WireError> {
        if self.failed {
            return Err(WireError::new("decoder already failed"));
        }
        self.buffer.extend_from_slice(data);
        let mut requests = Vec::new();
        loop {
            match self.step() {
                Ok(Some(request)) => requests.push(request),
                Ok(None) => return Ok(requests),
                Err(error) => {
                    self.failed = true;
                    return Err(error);
                }
            }
        }
    }

    /// Whether no request is partly read (a close now loses nothing).
    pub fn is_idle(&self) -> bool {
        self.partial.is_none() && self.buffer.is_empty()
    }

    fn step(&mut self) -> Result<Option<Request>, WireError> {
        if self.partial.is_none() {
            match self.head()? {
                Some(partial) => self.partial = Some(partial),
                None => return Ok(None),
            }
        }
        let partial = self.partial.as_mut().expect("set above");
        let done = match &mut partial.body {
            Body::Length(remaining) => {
                let n = (*remaining).min(self.buffer.len());
                partial.data.extend_from_slice(&self.buffer.split_to(n));
                *remaining -= n;
                *remaining == 0
            }
            Body::Chunked(chunk) => {
                decode_chunks(chunk, &mut self.buffer, &mut partial.data, self.limits.body)?
            }
        };
        if !done {
            return Ok(None);
        }
        let mut partial = self.partial.take().expect("set above");
        partial.request.body = partial.data.freeze();
        Ok(Some(partial.request))
    }

    fn head(&mut self) -> Result<Option<Partial>, WireError> {
        // Uninitialized slots: nothing to clear per request.
        let mut slots = [const { std::mem::MaybeUninit::<httparse::Header<'_>>::uninit() }; 100];
        let slots = &mut slots[..self.limits.headers.min(100)];
        let mut parsed = httparse::Request::new(&mut []);
        let length = match parsed.parse_with_uninit_headers(&self.buffer, slots) {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) if self.buffer.len() > self.limits.head => {
                return Err(WireError::new("request head too large"))
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(error) => return Err(WireError::new(format!("malformed request: {}", error))),
        };
        if length > self.limits.head {
            return Err(WireError::new("request head too large"));
        }
        let text = |bytes: &[u8]| {
            std::str::from_utf8(bytes)
                .map(str::to_string)
                .map_err(|_| WireError::new("request head is not UTF-8"))
        };
        let target = parsed.path.unwrap_or_default().to_string();
        let (rest, fragment) = match target.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment.to_string())),
            None => (target.as_str(), None),
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let query = parse_query(query)?;
        let path = path.to_string();
        let request = Request {
            method: parsed.method.unwrap_or_default().to_string(),
            path,
            query,
            fragment,
            target,
            minor_version: parsed.version.unwrap_or(1),
            headers: parsed
                .headers
                .iter()
                .map(|h| Ok((h.name.to_string(), text(h.value)?.trim().to_string())))
                .collect::<Result<_, WireError>>()?,
            body: Bytes::new(),
        };
        self.buffer.advance(length);
        let chunked = request
            .header("Transfer-Encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
        let body = if chunked {
            Body::Chunked(Chunk::Size)
        } else {
            let length = match request.header("Content-Length") {
                Some(value) => value
                    .parse::<usize>()
                    .map_err(|_| WireError::new("malformed Content-Length"))?,
                None => 0,
            };
            if length > self.limits.body {
                return Err(WireError::new("request body too large"));
            }
            Body::Length(length)
        };
        Ok(Some(Partial {
            request,
            body,
            data: BytesMut::new(),
        }))
    }
}

/// The longest chunk size line accepted (size and extensions).
const MAX_CHUNK_LINE: usize = 1024;

/// Advances through chunked data; true once the last chunk is read.
pub(super) fn decode_chunks(
    chunk: &mut Chunk,
    buffer: &mut BytesMut,
    body: &mut BytesMut,
    limit: usize,
) -> Result<bool, WireError> {
    loop {
        match chunk {
            Chunk::Size => {
                // The same bound whether or not the line's end has arrived,
                // so how the bytes are split never changes the outcome.
                let end = find_crlf(buffer);
                if end.unwrap_or(buffer.len()) > MAX_CHUNK_LINE {
                    return Err(WireError::new("chunk size line too long"));
                }
                let Some(end) = end else {
                    return Ok(false);
                };
                let line = buffer.split_to(end + 2);
                let line = std::str::from_utf8(&line[..end])
                    .map_err(|_| WireError::new("malformed chunk size"))?;
                // Chunk extensions (";name=value") are ignored.
                let size = line.split(';').next().unwrap_or_default().trim();
                let size = usize::from_str_radix(size, 16)
                    .map_err(|_| WireError::new("malformed chunk size"))?;
                if body.len().saturating_add(size) > limit {
                    return Err(WireError::new("body too large"));
                }
                *chunk = if size == 0 {
                    Chunk::End
                } else {
                    Chunk::Data(size)
                };
            }
            Chunk::Data(remaining) => {
                if buffer.is_empty() {
                    return Ok(false);
                }
                let n = (*remaining).min(buffer.len());
                body.extend_from_slice(&buffer.split_to(n));
                *remaining -= n;
                if *remaining == 0 {
                    *chunk = Chunk::DataEnd;
                }
            }
            Chunk::DataEnd | Chunk::End => {
                if buffer.len() < 2 {
                    return Ok(false);
                }
                if &buffer[..2] != b"\r\n" {
                    // Trailers are not accepted, as in libprocess.
                    return Err(WireError::new("malformed chunked body"));
                }
                buffer.advance(2);
                if matches!(chunk, Chunk::End) {
                    return Ok(true);
                }
                *chunk = Chunk::Size;
            }
        }
    }
}

/// `a=1&b=2`, with `+` as a space and `%XX` escapes, as libprocess decodes
/// query strings; a bad escape is an error.
pub(crate) fn parse_query(query: &str) -> Result<BTreeMap<String, String>, WireError> {
    let decode = |text: &str| percent_decode(&text.replace('+', " "));
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

fn find_crlf(buffer: &[u8]) -> Option<usize> {
    buffer.windows(2).position(|w| w == b"\r\n")
}
