//! The message fast path (`RequestDecoder::next_message`) against the
//! general decoder: whatever the bytes and however they arrive, reading
//! with the fast path first gives the same messages, requests, errors and
//! leftover state as the general decoder alone.

use libprocess::wire::{is_message, MessageParser, Request, RequestDecoder};
use libprocess::Message;

use super::wire_test::REGISTER_REQUEST;

fn local() -> libprocess::Address {
    "127.0.0.1:35557".parse().unwrap()
}

/// What libprocess 1.11 sends, with a body.
const CHUNKED: &[u8] = REGISTER_REQUEST;

/// Without a body.
const EMPTY: &[u8] = b"POST /slave(1)/PING HTTP/1.1\r\n\
User-Agent: libprocess/master@127.0.0.1:5050\r\n\
Libprocess-From: master@127.0.0.1:5050\r\n\
Connection: Keep-Alive\r\n\
Host: \r\n\
\r\n";

/// HTTP/1.0, no User-Agent, a `Content-Length` body, odd case and spacing.
const LENGTH: &[u8] = b"POST /(1)/name HTTP/1.0\r\n\
libprocess-from:\t (7)@10.0.0.1:1  \r\n\
CONNECTION: keep-alive\r\n\
content-length: 3\r\n\
\r\n\
abc";

/// The sender only in the User-Agent, closing after the message.
const AGENT_ONLY: &[u8] = b"POST /a%28b%29/x/y HTTP/1.1\r\n\
User-Agent: libprocess/z@1.2.3.4:5\r\n\
Connection: close\r\n\
Transfer-Encoding: gzip, Chunked\r\n\
X-Other: whatever\r\n\
\r\n\
0\r\n\r\n";

/// Repeated headers (the last one counts) and an empty chunked body
/// with a Content-Length the chunking overrides.
const REPEATED: &[u8] = b"POST /p/n HTTP/1.1\r\n\
Libprocess-From: first@1.1.1.1:1\r\n\
Libprocess-From: second@2.2.2.2:2\r\n\
Connection: close\r\n\
Connection: keep-alive\r\n\
Content-Length: 5\r\n\
Transfer-Encoding: chunked\r\n\
\r\n\
3\r\nxyz\r\n0\r\n\r\n";

/// Shapes only the general decoder reads: two chunks, a chunk
/// extension, a query, a plain HTTP request.
const TWO_CHUNKS: &[u8] = b"POST /p/n HTTP/1.1\r\n\
Libprocess-From: s@1.1.1.1:1\r\n\
Transfer-Encoding: chunked\r\n\
\r\n\
2\r\nab\r\n1;ext=1\r\nc\r\n0\r\n\r\n";
const QUERY: &[u8] = b"POST /p/n?x=1 HTTP/1.1\r\nLibprocess-From: s@1.1.1.1:1\r\n\r\n";
const HTTP: &[u8] = b"GET /p/state HTTP/1.1\r\nHost: here\r\n\r\n";

const ALL: &[&[u8]] = &[
    CHUNKED, EMPTY, LENGTH, AGENT_ONLY, REPEATED, TWO_CHUNKS, QUERY, HTTP,
];

fn describe_message(message: Message, keep_alive: bool) -> String {
    format!(
        "message {:?} from {} to {} body {:?} keep-alive {}",
        message.name, message.from, message.to, message.body, keep_alive
    )
}

fn describe_request(request: Request, parser: &mut MessageParser) -> String {
    if !is_message(&request) {
        return format!("request {:?}", request);
    }
    let keep_alive = request.keep_alive();
    match parser.parse(request) {
        Ok(message) => describe_message(message, keep_alive),
        Err(error) => format!("bad message: {}", error),
    }
}

/// What reading `pieces` one after the other gives, with the fast path
/// first or not, and how many messages the fast path took.
fn read(pieces: &[&[u8]], quick: bool) -> (Vec<String>, usize) {
    let mut decoder = RequestDecoder::default();
    let mut parser = MessageParser::new(local());
    let (mut out, mut taken) = (Vec::new(), 0);
    for piece in pieces {
        decoder.input().extend_from_slice(piece);
        loop {
            if quick {
                if let Some((message, keep_alive)) = decoder.next_message(&mut parser) {
                    out.push(describe_message(message, keep_alive));
                    taken += 1;
                    continue;
                }
            }
            match decoder.next_request() {
                Ok(Some(request)) => out.push(describe_request(request, &mut parser)),
                Ok(None) => break,
                Err(error) => {
                    out.push(format!("error: {}", error));
                    return (out, taken);
                }
            }
        }
    }
    out.push(format!("idle: {}", decoder.is_idle()));
    (out, taken)
}

/// Reads `pieces` both ways, asserts the same outcome, and returns how
/// many messages the fast path took.
fn same(pieces: &[&[u8]]) -> usize {
    let (general, _) = read(pieces, false);
    let (quick, taken) = read(pieces, true);
    assert_eq!(quick, general, "reading {:?}", pieces);
    taken
}

#[test]
fn takes_what_libprocess_sends() {
    for message in [CHUNKED, EMPTY, LENGTH, AGENT_ONLY, REPEATED] {
        assert_eq!(same(&[message]), 1, "{}", String::from_utf8_lossy(message));
    }
    for other in [TWO_CHUNKS, QUERY, HTTP] {
        assert_eq!(same(&[other]), 0, "{}", String::from_utf8_lossy(other));
    }
    // Pipelined: all of them, each read the way the general decoder reads it.
    let all: Vec<u8> = ALL.concat();
    assert_eq!(same(&[&all]), 5);
}

#[test]
fn reads_as_the_general_decoder_however_the_bytes_are_split() {
    let all: Vec<u8> = ALL.concat();
    for at in 0..=all.len() {
        same(&[&all[..at], &all[at..]]);
    }
}

/// Whether `at` is in a sender's address: a changed one is a host name
/// to look up, slow and the same on both paths.
fn in_address(message: &[u8], at: usize) -> bool {
    let line_start = message[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |n| n + 1);
    message[line_start..at].contains(&b'@')
}

#[test]
fn reads_as_the_general_decoder_whatever_byte_is_changed() {
    const BYTES: &[u8] = b" \t\r\n:;/?#%+0aAfg~\x00\x1f\x7f\x80\xff";
    for message in ALL {
        for at in 0..message.len() {
            if in_address(message, at) {
                continue;
            }
            for &byte in BYTES {
                let mut changed = message.to_vec();
                changed[at] = byte;
                same(&[&changed, EMPTY]);
            }
            let mut removed = message.to_vec();
            removed.remove(at);
            same(&[&removed, EMPTY]);
        }
    }
}

/// A fixed-seed generator (xorshift), so that a failure replays.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn reads_as_the_general_decoder_after_random_changes() {
    const BYTES: &[u8] = b" \t\r\n:;/?#%+0aAfg~\x00\x1f\x7f\x80\xff";
    let mut random = Random(0x5eed_0f15);
    for _ in 0..20_000 {
        let message = ALL[random.below(ALL.len())];
        let mut changed = message.to_vec();
        // Up to four edits, from the end backwards so that each position
        // is one of the original message's.
        let mut positions: Vec<usize> = (0..1 + random.below(4))
            .map(|_| random.below(message.len()))
            .filter(|&at| !in_address(message, at))
            .collect();
        positions.sort_unstable();
        positions.dedup();
        for &at in positions.iter().rev() {
            let byte = match random.below(2) {
                0 => BYTES[random.below(BYTES.len())],
                _ => random.below(256) as u8,
            };
            match random.below(3) {
                0 => changed[at] = byte,
                1 => changed.insert(at, byte),
                _ => {
                    changed.remove(at);
                }
            }
        }
        let second = ALL[random.below(ALL.len())];
        let whole = [changed.as_slice(), second].concat();
        let split = random.below(whole.len() + 1);
        same(&[&whole[..split], &whole[split..]]);
    }
}
