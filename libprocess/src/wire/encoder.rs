//! What libprocess writes: a message as an HTTP request, and the
//! responses to requests.

use std::cell::RefCell;
use std::fmt::Write as _;

use bytes::{BufMut, Bytes, BytesMut};

use crate::{Message, Time, UPID};

/// The `Host` header of an outgoing message. Mesos 0.22 to 1.11 send it
/// empty; later versions send the destination address. Both are accepted
/// by every libprocess, so this port sends what 1.11 sends.
const HOST: &str = "";

/// Encodes `message` exactly as libprocess 1.11 does:
///
/// ```text
/// POST /<to id>/<name> HTTP/1.1
/// User-Agent: libprocess/<from>
/// Libprocess-From: <from>
/// Connection: Keep-Alive
/// Host:
/// Transfer-Encoding: chunked        (only with a body)
///
/// <body length in hex>\r\n<body>\r\n0\r\n\r\n
/// ```
pub fn encode_message(message: &Message, out: &mut BytesMut) {
    let body = &message.body;
    out.reserve(160 + message.name.len() + body.len());
    out.put_slice(b"POST ");
    if !message.to.id().is_empty() {
        out.put_u8(b'/');
        out.put_slice(message.to.id().as_bytes());
    }
    // Written piece by piece: `fmt` costs more than all the rest of a
    // small message's encoding.
    out.put_u8(b'/');
    out.put_slice(message.name.as_bytes());
    with_upid_text(&message.from, |from| {
        out.put_slice(b" HTTP/1.1\r\nUser-Agent: libprocess/");
        out.put_slice(from);
        out.put_slice(b"\r\nLibprocess-From: ");
        out.put_slice(from);
    });
    out.put_slice(b"\r\nConnection: Keep-Alive\r\nHost: ");
    out.put_slice(HOST.as_bytes());
    out.put_slice(b"\r\n");
    if body.is_empty() {
        out.put_slice(b"\r\n");
        return;
    }
    out.put_slice(b"Transfer-Encoding: chunked\r\n\r\n");
    encode_chunk(body, out);
    out.put_slice(LAST_CHUNK);
}

/// One chunk of a chunked body: its length in hex, the data, CRLF.
pub(crate) fn encode_chunk(chunk: &[u8], out: &mut BytesMut) {
    put_digits(chunk.len() as u64, 16, out);
    out.put_slice(b"\r\n");
    out.put_slice(chunk);
    out.put_slice(b"\r\n");
}

/// Calls `f` with `upid` as text. The last sender's text is kept per
/// thread: a sender sends many messages in a row, and writing its
/// address digit by digit took most of the time of encoding a message.
fn with_upid_text(upid: &UPID, f: impl FnOnce(&[u8])) {
    thread_local! {
        static LAST: RefCell<(UPID, BytesMut)> = RefCell::new((UPID::default(), BytesMut::new()));
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        let (kept, text) = &mut *last;
        if kept.id() != upid.id() || kept.address() != upid.address() || text.is_empty() {
            text.clear();
            put_upid(upid, text);
            *kept = UPID::new(upid.id(), upid.address());
        }
        f(text);
    })
}

/// `id@ip:port`, as `UPID`'s `Display` writes it.
fn put_upid(upid: &UPID, out: &mut BytesMut) {
    out.put_slice(upid.id().as_bytes());
    out.put_u8(b'@');
    let address = upid.address();
    for (i, octet) in address.ip().octets().into_iter().enumerate() {
        if i > 0 {
            out.put_u8(b'.');
        }
        put_digits(u64::from(octet), 10, out);
    }
    out.put_u8(b':');
    put_digits(u64::from(address.port()), 10, out);
}

/// `n` in base `radix` (10 or 16, lower case), without leading zeros.
fn put_digits(mut n: u64, radix: u64, out: &mut BytesMut) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b"0123456789abcdef"[(n % radix) as usize];
        n /= radix;
        if n == 0 {
            break;
        }
    }
    out.put_slice(&digits[at..]);
}

/// The end of a chunked body.
pub(crate) const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

/// [`encode_message`] into a fresh buffer.
pub fn message_bytes(message: &Message) -> Bytes {
    let mut out = BytesMut::new();
    encode_message(message, &mut out);
    out.freeze()
}

/// A response as libprocess writes it (in the order a Mesos 1.12 master
/// was seen writing them): status line, `Date`, the headers,
/// `Content-Length`, then the body. `202 Accepted` for a delivered
/// message has no body; `404 Not Found` carries libprocess' text body.
pub fn encode_response(
    code: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    date: Time,
    out: &mut BytesMut,
) {
    out.reserve(128 + body.len());
    encode_head(code, headers, date, out);
    let _ = write!(out, "Content-Length: {}\r\n\r\n", body.len());
    out.put_slice(body);
}

/// The head of a response whose body follows in chunks
/// ([`encode_chunk`], then [`LAST_CHUNK`]).
pub(crate) fn encode_chunked_head(
    code: u16,
    headers: &[(&str, &str)],
    date: Time,
    out: &mut BytesMut,
) {
    encode_head(code, headers, date, out);
    out.put_slice(b"Transfer-Encoding: chunked\r\n\r\n");
}

/// Status line, `Date` and `headers`, written straight into `out` (no
/// allocation: this runs for every message received).
fn encode_head(code: u16, headers: &[(&str, &str)], date: Time, out: &mut BytesMut) {
    let _ = match crate::http::reason(code) {
        Some(reason) => write!(out, "HTTP/1.1 {} {}\r\nDate: ", code, reason),
        None => write!(out, "HTTP/1.1 {}\r\nDate: ", code),
    };
    write_http_date(date, out);
    out.put_slice(b"\r\n");
    for (name, value) in headers {
        let _ = write!(out, "{}: {}\r\n", name, value);
    }
}

/// The response to a message request: `202 Accepted`, or libprocess' `404`
/// when no such process exists.
pub fn encode_message_response(delivered: bool, date: Time, out: &mut BytesMut) {
    if delivered {
        // The same bytes for every message within a second.
        thread_local! {
            static ACCEPTED: std::cell::RefCell<(i64, BytesMut)> =
                std::cell::RefCell::new((i64::MIN, BytesMut::new()));
        }
        let secs = date.duration().ns().div_euclid(1_000_000_000);
        ACCEPTED.with(|accepted| {
            let mut accepted = accepted.borrow_mut();
            if accepted.0 != secs {
                accepted.1.clear();
                encode_response(202, &[], b"", date, &mut accepted.1);
                accepted.0 = secs;
            }
            out.extend_from_slice(&accepted.1);
        });
    } else {
        encode_response(
            404,
            &[("Content-Type", "text/plain; charset=utf-8")],
            b"404 Not Found.",
            date,
            out,
        );
    }
}

/// RFC 1123 date in GMT, as HTTP `Date` headers carry it:
/// `Sun, 22 Nov 2026 04:40:26 GMT`.
pub fn http_date(time: Time) -> String {
    let mut out = BytesMut::new();
    write_http_date(time, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// [`http_date`] into `out`, formatted once per second per thread
/// (responses come in bursts).
fn write_http_date(time: Time, out: &mut BytesMut) {
    let secs = time.duration().ns().div_euclid(1_000_000_000);
    thread_local! {
        static LAST: std::cell::RefCell<(i64, String)> =
            const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != secs {
            *last = (secs, format_date(secs));
        }
        out.put_slice(last.1.as_bytes());
    })
}

fn format_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let seconds_of_day = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        day,
        MONTHS[(month - 1) as usize],
        year,
        seconds_of_day / 3600,
        seconds_of_day % 3600 / 60,
        seconds_of_day % 60
    )
}

/// The proleptic Gregorian date of `days` since 1970-01-01 (Howard
/// Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
