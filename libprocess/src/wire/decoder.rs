//! Reading HTTP requests off a connection, incrementally: whatever
//! libprocess peers of any version and other HTTP clients send (HTTP/1.0
//! and 1.1, `Content-Length` or chunked bodies, pipelined requests).
//! Sizes are bounded; anything malformed is an error, after which the
//! connection is closed.

use std::collections::BTreeMap;

use bytes::{Buf, BytesMut};

use super::request::{content_length, is_chunked};
use super::{percent_decode, MessageParser, Request, WireError};
use crate::Message;

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

/// Where a request whose body is handed out as it arrives stands.
enum Streaming {
    Chunks(Chunk),
    /// The last data went out; the end is next.
    Ended,
}

/// What [`RequestDecoder::next_event`] found.
pub(crate) enum Decoded {
    /// A whole request.
    Request(Request),
    /// A request whose (chunked) body follows as `Data`, then `End`.
    Head(Request),
    /// Some of the streamed body.
    Data(bytes::Bytes),
    /// The streamed body is complete.
    End,
}

/// Turns the bytes of one connection into requests.
pub struct RequestDecoder {
    limits: Limits,
    buffer: BytesMut,
    partial: Option<Partial>,
    streaming: Option<Streaming>,
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
            streaming: None,
            failed: false,
        }
    }

    /// Takes the next bytes read from the connection and returns the
    /// requests they complete. After an error the decoder stays failed.
    pub fn decode(&mut self, data: &[u8]) -> Result<Vec<Request>, WireError> {
        self.buffer.extend_from_slice(data);
        let mut requests = Vec::new();
        while let Some(request) = self.next_request()? {
            requests.push(request);
        }
        Ok(requests)
    }

    /// Where the connection's bytes go, for reading straight into (then
    /// [`RequestDecoder::next_message`] or
    /// [`RequestDecoder::next_request`] until `None`).
    pub fn input(&mut self) -> &mut BytesMut {
        &mut self.buffer
    }

    /// The next request the bytes so far complete, if any. After an error
    /// the decoder stays failed.
    pub fn next_request(&mut self) -> Result<Option<Request>, WireError> {
        if self.failed {
            return Err(WireError::new("decoder already failed"));
        }
        self.step().inspect_err(|_| self.failed = true)
    }

    /// A libprocess message whole at the front of the bytes so far, in
    /// the shape every libprocess sends, read without building a
    /// [`Request`], with whether the connection stays open after it.
    /// `None` when [`RequestDecoder::next_request`] must read what is
    /// there: it reads the same message the same way, or refuses what
    /// this passes over.
    pub fn next_message(&mut self, parser: &mut MessageParser) -> Option<(Message, bool)> {
        if self.failed || self.partial.is_some() || self.streaming.is_some() {
            return None;
        }
        super::quick::take_message(&mut self.buffer, &self.limits, parser)
    }

    /// Whether no request is partly read (a close now loses nothing).
    pub fn is_idle(&self) -> bool {
        self.partial.is_none() && self.streaming.is_none() && self.buffer.is_empty()
    }

    /// Like [`RequestDecoder::next_request`], except that a chunked
    /// request for which `stream` says so is handed out at its head, its
    /// body following piece by piece as it arrives (with no size limit).
    pub(crate) fn next_event(
        &mut self,
        stream: impl FnOnce(&Request) -> bool,
    ) -> Result<Option<Decoded>, WireError> {
        if self.failed {
            return Err(WireError::new("decoder already failed"));
        }
        self.step_event(stream).inspect_err(|_| self.failed = true)
    }

    fn step_event(
        &mut self,
        stream: impl FnOnce(&Request) -> bool,
    ) -> Result<Option<Decoded>, WireError> {
        match &mut self.streaming {
            Some(Streaming::Ended) => {
                self.streaming = None;
                return Ok(Some(Decoded::End));
            }
            Some(Streaming::Chunks(chunk)) => {
                let mut data = BytesMut::new();
                let done = decode_chunks(chunk, &mut self.buffer, &mut data, usize::MAX)?;
                return Ok(match (data.is_empty(), done) {
                    (false, done) => {
                        if done {
                            self.streaming = Some(Streaming::Ended);
                        }
                        Some(Decoded::Data(data.freeze()))
                    }
                    (true, true) => {
                        self.streaming = None;
                        Some(Decoded::End)
                    }
                    (true, false) => None,
                });
            }
            None => {}
        }
        if self.partial.is_none() {
            let Some(partial) = self.head()? else {
                return Ok(None);
            };
            if matches!(partial.body, Body::Chunked(_)) && stream(&partial.request) {
                self.streaming = Some(Streaming::Chunks(Chunk::Size));
                return Ok(Some(Decoded::Head(partial.request)));
            }
            self.partial = Some(partial);
        }
        Ok(self.step()?.map(Decoded::Request))
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
            Body::Length(remaining)
                if partial.data.is_empty() && self.buffer.len() >= *remaining =>
            {
                // The whole body is here: share it with the read buffer.
                partial.request.body = self.buffer.split_to(*remaining).freeze();
                *remaining = 0;
                true
            }
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
        if !partial.data.is_empty() {
            partial.request.body = partial.data.freeze();
        }
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
        if std::str::from_utf8(&self.buffer[..length]).is_err() {
            return Err(WireError::new("request head is not UTF-8"));
        }
        // Where each piece lies in the head (httparse hands out slices of
        // the buffer, which the head is split from).
        let base = self.buffer.as_ptr() as usize;
        let span = |bytes: &[u8]| {
            let start = bytes.as_ptr() as usize - base;
            start..start + bytes.len()
        };
        let method = parsed.method.map(|m| span(m.as_bytes())).unwrap_or(0..0);
        let target_text = parsed.path.unwrap_or_default();
        let target = span(target_text.as_bytes());
        let (rest, fragment) = match target_text.find('#') {
            Some(at) => (
                &target_text[..at],
                Some(span(&target_text.as_bytes()[at + 1..])),
            ),
            None => (target_text, None),
        };
        let (path, query) = match rest.find('?') {
            Some(at) => (&rest[..at], parse_query(&rest[at + 1..])?),
            None => (rest, BTreeMap::new()),
        };
        let path_end = target.start + path.len();
        let headers = parsed
            .headers
            .iter()
            .map(|h| (span(h.name.as_bytes()), span(h.value.trim_ascii())))
            .collect();
        let minor_version = parsed.version.unwrap_or(1);
        let request = Request {
            head: self.buffer.split_to(length).freeze(),
            method,
            target,
            path_end,
            fragment,
            query,
            minor_version,
            headers,
            body: Default::default(),
        };
        let chunked = request
            .header_bytes("Transfer-Encoding")
            .is_some_and(is_chunked);
        let body = if chunked {
            Body::Chunked(Chunk::Size)
        } else {
            let length = match request.header_bytes("Content-Length") {
                Some(value) => content_length(value)
                    .ok_or_else(|| WireError::new("malformed Content-Length"))?,
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
                if body.is_empty() && n == *remaining {
                    // A first chunk that arrived whole (a message's body,
                    // usually) shares the read buffer instead of being
                    // copied into a new allocation.
                    *body = buffer.split_to(n);
                } else {
                    body.extend_from_slice(&buffer[..n]);
                    buffer.advance(n);
                }
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
