//! Reading HTTP responses off a client connection, incrementally, with
//! the body as it arrives (streamed responses never end).

use bytes::{Buf, Bytes, BytesMut};

use super::decoder::{decode_chunks, Chunk};
use super::WireError;
use crate::http::{is_valid_status, Headers};

/// What the decoder found.
#[derive(Debug, PartialEq, Eq)]
pub enum ResponseEvent {
    /// The status and headers of the next response.
    Head {
        /// The status code.
        code: u16,
        /// The headers.
        headers: Headers,
    },
    /// Some of its body.
    Data(Bytes),
    /// The end of its body.
    End,
}

enum State {
    Head,
    Length(usize),
    Chunked(Chunk),
    /// No length given: the body runs until the connection closes.
    UntilClose,
}

/// Turns the bytes of one client connection into response events.
pub struct ResponseDecoder {
    buffer: BytesMut,
    state: State,
    max_head: usize,
}

impl std::fmt::Debug for ResponseDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseDecoder")
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl Default for ResponseDecoder {
    fn default() -> ResponseDecoder {
        ResponseDecoder {
            buffer: BytesMut::new(),
            state: State::Head,
            max_head: 64 * 1024,
        }
    }
}

impl ResponseDecoder {
    /// Takes the next bytes read and appends the events they complete.
    pub fn decode(&mut self, data: &[u8], out: &mut Vec<ResponseEvent>) -> Result<(), WireError> {
        self.buffer.extend_from_slice(data);
        loop {
            match &mut self.state {
                State::Head => {
                    let Some((code, headers, length)) = self.head()? else {
                        return Ok(());
                    };
                    self.buffer.advance(length);
                    let chunked = headers
                        .get("Transfer-Encoding")
                        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
                    let no_body = (100..200).contains(&code) || code == 204 || code == 304;
                    let length = headers.get("Content-Length").map(str::trim);
                    self.state = if no_body {
                        State::Length(0)
                    } else if chunked {
                        State::Chunked(Chunk::Size)
                    } else if let Some(length) = length {
                        State::Length(
                            length
                                .parse()
                                .map_err(|_| WireError::new("malformed Content-Length"))?,
                        )
                    } else {
                        State::UntilClose
                    };
                    if headers
                        .get("Content-Encoding")
                        .is_some_and(|e| e.eq_ignore_ascii_case("gzip"))
                    {
                        return Err(WireError::new("gzip-encoded responses are not supported"));
                    }
                    out.push(ResponseEvent::Head { code, headers });
                }
                State::Length(remaining) => {
                    let n = (*remaining).min(self.buffer.len());
                    if n > 0 {
                        out.push(ResponseEvent::Data(self.buffer.split_to(n).freeze()));
                        *remaining -= n;
                    }
                    if *remaining > 0 {
                        return Ok(());
                    }
                    out.push(ResponseEvent::End);
                    self.state = State::Head;
                }
                State::Chunked(chunk) => {
                    let mut data = BytesMut::new();
                    let done = decode_chunks(chunk, &mut self.buffer, &mut data, usize::MAX)?;
                    if !data.is_empty() {
                        out.push(ResponseEvent::Data(data.freeze()));
                    }
                    if !done {
                        return Ok(());
                    }
                    out.push(ResponseEvent::End);
                    self.state = State::Head;
                }
                State::UntilClose => {
                    if !self.buffer.is_empty() {
                        out.push(ResponseEvent::Data(self.buffer.split().freeze()));
                    }
                    return Ok(());
                }
            }
        }
    }

    /// The connection closed: ends a body that runs until the close; a
    /// response cut short is an error.
    pub fn eof(&mut self, out: &mut Vec<ResponseEvent>) -> Result<(), WireError> {
        match self.state {
            State::UntilClose => {
                out.push(ResponseEvent::End);
                self.state = State::Head;
                Ok(())
            }
            State::Head if self.buffer.is_empty() => Ok(()),
            _ => Err(WireError::new("failed to decode body")),
        }
    }

    /// Whether a response is partly read.
    pub fn in_body(&self) -> bool {
        !matches!(self.state, State::Head)
    }

    fn head(&self) -> Result<Option<(u16, Headers, usize)>, WireError> {
        let mut fields = [httparse::EMPTY_HEADER; 100];
        let mut parsed = httparse::Response::new(&mut fields);
        // Old libprocess servers write `Content-Length : 12`.
        let status = httparse::ParserConfig::default()
            .allow_spaces_after_header_name_in_responses(true)
            .parse_response(&mut parsed, &self.buffer);
        let length = match status {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) if self.buffer.len() > self.max_head => {
                return Err(WireError::new("response head too large"))
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(error) => return Err(WireError::new(format!("malformed response: {}", error))),
        };
        let code = parsed.code.unwrap_or_default();
        if !is_valid_status(code) {
            return Err(WireError::new(format!("unknown status {}", code)));
        }
        let mut headers = Headers::new();
        for field in parsed.headers.iter() {
            let value = std::str::from_utf8(field.value)
                .map_err(|_| WireError::new("response header is not UTF-8"))?;
            headers.insert(field.name, value.trim());
        }
        Ok(Some((code, headers, length)))
    }
}
