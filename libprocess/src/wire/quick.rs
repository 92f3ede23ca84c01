//! The common shape of a libprocess message, read in one pass without
//! building a [`Request`](super::Request): what every libprocess sends
//! (`POST /<to>/<name>`, ASCII headers, a body in one chunk or with a
//! `Content-Length`), whole in the buffer.
//!
//! Anything else, or anything in doubt, is left to the general decoder,
//! so this path only ever accepts what the general one would accept, and
//! reads it the same way (`wire_quick_test` checks the two against each
//! other).
//! On the receiving side of a message stream, the general decoder's head
//! parsing, header lookups and per-request allocations took about half of
//! the reading thread's time.

use bytes::{Buf, BytesMut};

use super::decoder::Limits;
use super::request::{content_length, is_chunked, keeps_alive, message_sender};
use super::MessageParser;
use crate::Message;

/// The headers a message's reading depends on: the last of each, as the
/// general decoder's lookups find them.
#[derive(Default)]
struct Seen<'a> {
    user_agent: Option<&'a [u8]>,
    from: Option<&'a [u8]>,
    connection: Option<&'a [u8]>,
    transfer_encoding: Option<&'a [u8]>,
    content_length: Option<&'a [u8]>,
}

/// A message at the front of `buffer`, taken from it with whether the
/// connection stays open after it; `None` (and `buffer` untouched) when
/// the general decoder must read what is there.
pub(super) fn take_message(
    buffer: &mut BytesMut,
    limits: &Limits,
    parser: &mut MessageParser,
) -> Option<(Message, bool)> {
    let bytes: &[u8] = buffer;
    // One pass over the head, within its bound; running out of bytes
    // (a head still arriving) leaves it to the general decoder too.
    let head = &bytes[..bytes.len().min(limits.head)];
    let mut at = 0;
    let (path, minor_version) = request_line(head, &mut at)?;
    let mut seen = Seen::default();
    let mut count = 0;
    while head.get(at..at + 2)? != b"\r\n" {
        count += 1;
        if count > limits.headers.min(100) {
            return None;
        }
        let (field, value) = header(head, &mut at)?;
        let slot = match field {
            Field::UserAgent => &mut seen.user_agent,
            Field::From => &mut seen.from,
            Field::Connection => &mut seen.connection,
            Field::TransferEncoding => &mut seen.transfer_encoding,
            Field::ContentLength => &mut seen.content_length,
            Field::Other => continue,
        };
        *slot = Some(value);
    }
    let head_end = at + 2;
    // None: not a message, an HTTP request.
    let from = message_sender(seen.from, seen.user_agent)?;
    let body = if seen.transfer_encoding.is_some_and(is_chunked) {
        chunked_body(&bytes[head_end..], limits.body)?
    } else {
        let length = match seen.content_length {
            Some(value) => content_length(value)?,
            None => 0,
        };
        if length > limits.body || bytes.len() - head_end < length {
            return None;
        }
        Body {
            start: 0,
            len: length,
            end: length,
        }
    };
    let keep_alive = keeps_alive(minor_version, seen.connection.unwrap_or_default());
    // A malformed target is the general decoder's to answer.
    let (from, to, name) = parser.parts(from, path).ok()?;
    buffer.advance(head_end + body.start);
    let data = if body.len == 0 {
        bytes::Bytes::new()
    } else {
        buffer.split_to(body.len).freeze()
    };
    buffer.advance(body.end - body.start - body.len);
    let message = Message {
        name,
        from,
        to,
        body: data,
    };
    Some((message, keep_alive))
}

/// Where a body lies after the head: its data at `start..start + len`,
/// the whole of it (framing included) ending at `end`.
struct Body {
    start: usize,
    len: usize,
    end: usize,
}

/// Which bytes each part of the head may hold.
static CLASSES: [u8; 256] = classes();
/// A request target's path without query or fragment: printable ASCII
/// but `?` and `#`.
const PATH: u8 = 1;
/// A header name: an HTTP token.
const TOKEN: u8 = 2;
/// A header value: printable ASCII and tabs.
const TEXT: u8 = 4;

const fn classes() -> [u8; 256] {
    let mut classes = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_graphic() && byte != b'?' && byte != b'#' {
            classes[b] |= PATH;
        }
        let mut i = 0;
        let marks = b"!#$%&'*+-.^_`|~";
        let mut mark = false;
        while i < marks.len() {
            mark |= marks[i] == byte;
            i += 1;
        }
        if byte.is_ascii_alphanumeric() || mark {
            classes[b] |= TOKEN;
        }
        if byte == b'\t' || (byte >= b' ' && byte <= b'~') {
            classes[b] |= TEXT;
        }
        b += 1;
    }
    classes
}

/// Advances `at` over the bytes of `class` in `head`, and returns them.
fn run<'a>(head: &'a [u8], at: &mut usize, class: u8) -> &'a [u8] {
    let start = *at;
    while head
        .get(*at)
        .is_some_and(|&b| CLASSES[b as usize] & class != 0)
    {
        *at += 1;
    }
    &head[start..*at]
}

/// Advances `at` over `expected`, if it comes next.
fn expect(head: &[u8], at: &mut usize, expected: &[u8]) -> Option<()> {
    (head.get(*at..*at + expected.len())? == expected).then(|| *at += expected.len())
}

/// `POST <path> HTTP/1.<minor>\r\n`, the path without query or
/// fragment: the path and the minor version.
fn request_line<'a>(head: &'a [u8], at: &mut usize) -> Option<(&'a [u8], u8)> {
    expect(head, at, b"POST ")?;
    let path = run(head, at, PATH);
    expect(head, at, b" HTTP/1.")?;
    let minor_version = match head.get(*at)? {
        b'1' => 1,
        b'0' => 0,
        _ => return None,
    };
    *at += 1;
    expect(head, at, b"\r\n")?;
    (path.first() == Some(&b'/')).then_some((path, minor_version))
}

/// Which header a line holds.
#[derive(Clone, Copy)]
enum Field {
    UserAgent,
    From,
    Connection,
    TransferEncoding,
    ContentLength,
    Other,
}

/// The headers libprocess writes, spelled as it spells them: a line that
/// starts with one of these needs no check of its name.
const SPELLED: [(&[u8], Field); 6] = [
    (b"User-Agent:", Field::UserAgent),
    (b"Libprocess-From:", Field::From),
    (b"Connection:", Field::Connection),
    (b"Host:", Field::Other),
    (b"Transfer-Encoding:", Field::TransferEncoding),
    (b"Content-Length:", Field::ContentLength),
];

/// `<name>:<value>\r\n`, the name a token, the value printable ASCII or
/// tabs: which header, and the value without surrounding white space.
fn header<'a>(head: &'a [u8], at: &mut usize) -> Option<(Field, &'a [u8])> {
    let rest = &head[*at..];
    let field = match SPELLED.iter().find(|(name, _)| rest.starts_with(name)) {
        Some((name, field)) => {
            *at += name.len();
            *field
        }
        None => {
            let name = run(head, at, TOKEN);
            if name.is_empty() {
                return None;
            }
            expect(head, at, b":")?;
            SPELLED
                .iter()
                .find(|(spelled, _)| name.eq_ignore_ascii_case(&spelled[..spelled.len() - 1]))
                .map_or(Field::Other, |(_, field)| *field)
        }
    };
    let value = text(head, at);
    expect(head, at, b"\r\n")?;
    Some((field, value.trim_ascii()))
}

/// [`run`] over [`TEXT`], eight bytes at a time while all of them are
/// printable ASCII (a tab, rarer, ends the fast stretch).
fn text<'a>(head: &'a [u8], at: &mut usize) -> &'a [u8] {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let start = *at;
    while let Some(word) = head.get(*at..*at + 8) {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes);
        // A byte below ' ', or above '~' (the usual bit tricks: each sets
        // its byte's high bit in the result).
        let below = x.wrapping_sub(ONES * u64::from(b' ')) & !x & HIGH;
        let above = (x.wrapping_add(ONES) | x) & HIGH;
        if below | above != 0 {
            break;
        }
        *at += 8;
    }
    run(head, at, TEXT);
    &head[start..*at]
}

/// A body of one chunk and the last chunk (`<hex>\r\n<data>\r\n0\r\n\r\n`),
/// or the last chunk alone, whole in `rest`.
fn chunked_body(rest: &[u8], limit: usize) -> Option<Body> {
    let line_end = rest.iter().take(17).position(|b| !b.is_ascii_hexdigit())?;
    let digits = &rest[..line_end];
    if digits.is_empty() || rest.get(line_end..line_end + 2)? != b"\r\n" {
        return None;
    }
    let size = usize::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
    let start = line_end + 2;
    if size == 0 {
        return (rest.get(start..start + 2)? == b"\r\n").then_some(Body {
            start: 0,
            len: 0,
            end: start + 2,
        });
    }
    if size > limit {
        return None;
    }
    let data_end = start.checked_add(size)?;
    let end = data_end.checked_add(7)?;
    (rest.get(data_end..end)? == b"\r\n0\r\n\r\n").then_some(Body {
        start,
        len: size,
        end,
    })
}
