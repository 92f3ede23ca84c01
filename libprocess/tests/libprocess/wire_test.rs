//! The libprocess wire format against bytes a real Mesos 1.12 sent and
//! received (`shared/ref/real-mesos-1.12/libprocess-wire.txt`).

use std::borrow::Cow;

use bytes::{Bytes, BytesMut};
use libprocess::wire::{
    encode_message_response, is_message, message_bytes, parse_message, Limits, RequestDecoder,
};
use libprocess::{Message, Time, UPID};
use stout::Duration;

fn upid(text: &str) -> UPID {
    UPID::parse(text).expect("a valid UPID")
}

const REGISTER_BODY: &[u8] =
    b"\n\x1d\n\x04root\x12\x0cwire-capture!\x00\x00\x00\x00\x00\x00\x00\x00";

/// What a Mesos scheduler driver sent the master (Mesos 1.11's empty Host).
pub(super) const REGISTER_REQUEST: &[u8] =
    b"POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1\r\n\
User-Agent: libprocess/scheduler(1)@127.0.0.1:35557\r\n\
Libprocess-From: scheduler(1)@127.0.0.1:35557\r\n\
Connection: Keep-Alive\r\n\
Host: \r\n\
Transfer-Encoding: chunked\r\n\
\r\n\
1f\r\n\n\x1d\n\x04root\x12\x0cwire-capture!\x00\x00\x00\x00\x00\x00\x00\x00\r\n0\r\n\r\n";

const EMPTY_REQUEST: &[u8] = b"POST /nosuch(1)/mesos.internal.Nothing HTTP/1.1\r\n\
User-Agent: libprocess/scheduler(1)@127.0.0.1:35557\r\n\
Libprocess-From: scheduler(1)@127.0.0.1:35557\r\n\
Connection: Keep-Alive\r\n\
Host: \r\n\
\r\n";

/// Two pipelined messages from the master, with HEAD's `Host` value.
const FROM_MASTER: &[u8] =
    b"POST /scheduler(1)/mesos.internal.FrameworkRegisteredMessage HTTP/1.1\r\n\
User-Agent: libprocess/master@127.0.0.1:15050\r\n\
Libprocess-From: master@127.0.0.1:15050\r\n\
Connection: Keep-Alive\r\n\
Host: 127.0.0.1:35557\r\n\
Transfer-Encoding: chunked\r\n\
\r\n\
3\r\nabc\r\n0\r\n\r\n\
POST /scheduler(1)/mesos.internal.ResourceOffersMessage HTTP/1.1\r\n\
User-Agent: libprocess/master@127.0.0.1:15050\r\n\
Libprocess-From: master@127.0.0.1:15050\r\n\
Connection: Keep-Alive\r\n\
Host: 127.0.0.1:35557\r\n\
Transfer-Encoding: chunked\r\n\
\r\n\
2\r\nxy\r\n0\r\n\r\n";

/// A pre-1.0 style message: HTTP/1.0, no User-Agent, Content-Length.
const HTTP10: &[u8] = b"POST /master/mesos.internal.DeactivateFrameworkMessage HTTP/1.0\r\n\
Libprocess-From: scheduler(1)@127.0.0.1:35557\r\n\
Connection: Keep-Alive\r\n\
Host: \r\n\
Content-Length: 0\r\n\
\r\n";

#[test]
fn encodes_messages_as_mesos_does() {
    let message = Message {
        name: Cow::Borrowed("mesos.internal.RegisterFrameworkMessage"),
        from: upid("scheduler(1)@127.0.0.1:35557"),
        to: upid("master@127.0.0.1:5050"),
        body: Bytes::from_static(REGISTER_BODY),
    };
    assert_eq!(message_bytes(&message), REGISTER_REQUEST);

    let empty = Message {
        name: Cow::Borrowed("mesos.internal.Nothing"),
        from: upid("scheduler(1)@127.0.0.1:35557"),
        to: upid("nosuch(1)@127.0.0.1:5050"),
        body: Bytes::new(),
    };
    assert_eq!(message_bytes(&empty), EMPTY_REQUEST);
}

fn local() -> libprocess::Address {
    "127.0.0.1:35557".parse().unwrap()
}

#[test]
fn decodes_what_mesos_sends() {
    let mut decoder = RequestDecoder::default();
    let requests = decoder.decode(FROM_MASTER).expect("decodes");
    assert_eq!(requests.len(), 2);
    let messages: Vec<Message> = requests
        .into_iter()
        .map(|r| {
            assert!(is_message(&r));
            assert!(r.keep_alive());
            parse_message(r, local()).expect("a message")
        })
        .collect();
    assert_eq!(
        messages[0].name,
        "mesos.internal.FrameworkRegisteredMessage"
    );
    assert_eq!(messages[0].from, upid("master@127.0.0.1:15050"));
    assert_eq!(messages[0].to, UPID::new("scheduler(1)", local()));
    assert_eq!(&messages[0].body[..], b"abc");
    assert_eq!(messages[1].name, "mesos.internal.ResourceOffersMessage");
    assert_eq!(&messages[1].body[..], b"xy");
    assert!(decoder.is_idle());
}

#[test]
fn decodes_our_own_encoding_byte_by_byte() {
    let mut decoder = RequestDecoder::default();
    let mut requests = Vec::new();
    for byte in REGISTER_REQUEST.iter().chain(EMPTY_REQUEST) {
        requests.extend(decoder.decode(&[*byte]).expect("decodes"));
    }
    assert_eq!(requests.len(), 2);
    let message = parse_message(requests.remove(0), local()).unwrap();
    assert_eq!(message.name, "mesos.internal.RegisterFrameworkMessage");
    assert_eq!(message.to.id(), "master");
    assert_eq!(&message.body[..], REGISTER_BODY);
    let empty = parse_message(requests.remove(0), local()).unwrap();
    assert_eq!(empty.to.id(), "nosuch(1)");
    assert!(empty.body.is_empty());
}

#[test]
fn decodes_a_body_of_several_chunks_however_it_is_split() {
    // The first chunk of a body, when it arrives whole, shares the read
    // buffer; the chunks after it are appended to it.
    let request: &[u8] = b"POST /master/m HTTP/1.1\r\n\
Libprocess-From: scheduler(1)@127.0.0.1:35557\r\n\
Transfer-Encoding: chunked\r\n\
\r\n\
3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";
    let twice: Vec<u8> = [request, request].concat();
    for split in 0..=twice.len() {
        let mut decoder = RequestDecoder::default();
        let mut requests = decoder.decode(&twice[..split]).expect("decodes");
        requests.extend(decoder.decode(&twice[split..]).expect("decodes"));
        assert_eq!(requests.len(), 2, "split at {}", split);
        for request in requests {
            let message = parse_message(request, local()).expect("a message");
            assert_eq!(&message.body[..], b"abcdefg", "split at {}", split);
        }
    }
}

#[test]
fn accepts_http10_messages_without_user_agent() {
    let mut decoder = RequestDecoder::default();
    let requests = decoder.decode(HTTP10).expect("decodes");
    assert_eq!(requests.len(), 1);
    assert!(is_message(&requests[0]));
    assert!(requests[0].keep_alive());
    let message = parse_message(requests[0].clone(), local()).unwrap();
    assert_eq!(message.from, upid("scheduler(1)@127.0.0.1:35557"));
    assert_eq!(message.name, "mesos.internal.DeactivateFrameworkMessage");
}

#[test]
fn classifies_and_parses_edge_cases() {
    let decode = |bytes: &[u8]| RequestDecoder::default().decode(bytes).unwrap().remove(0);

    // Not a message: a GET, or a POST without libprocess headers.
    assert!(!is_message(&decode(b"GET /master/state HTTP/1.1\r\n\r\n")));
    assert!(!is_message(&decode(
        b"POST /master/api/v1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
    )));

    // An unparsable sender is the empty UPID; the message still arrives.
    let request = decode(b"POST /a/b/c HTTP/1.1\r\nLibprocess-From: nonsense\r\n\r\n");
    let message = parse_message(request, local()).unwrap();
    assert!(message.from.is_empty());
    assert_eq!((message.to.id(), &*message.name), ("a", "b/c"));

    // Percent-encoded ids are decoded; a path without a name has an empty one.
    let request = decode(b"POST /slave%281%29 HTTP/1.1\r\nLibprocess-From: m@1.2.3.4:5\r\n\r\n");
    let message = parse_message(request, local()).unwrap();
    assert_eq!((message.to.id(), &*message.name), ("slave(1)", ""));

    let request = decode(b"POST /bad%zz/x HTTP/1.1\r\nLibprocess-From: m@1.2.3.4:5\r\n\r\n");
    assert!(parse_message(request, local()).is_err());
}

#[test]
fn refuses_malformed_and_oversized_input() {
    for bytes in [
        &b"NOT HTTP\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTrailer: x\r\n\r\n",
    ] {
        assert!(
            RequestDecoder::default().decode(bytes).is_err(),
            "{:?}",
            bytes
        );
    }
    let limits = Limits {
        head: 64,
        headers: 4,
        body: 8,
    };
    let long_head = format!("GET /{} HTTP/1.1\r\n\r\n", "x".repeat(100));
    assert!(RequestDecoder::new(limits)
        .decode(long_head.as_bytes())
        .is_err());
    assert!(RequestDecoder::new(limits)
        .decode(b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\n")
        .is_err());
    assert!(RequestDecoder::new(limits)
        .decode(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n9\r\n")
        .is_err());
    // Incomplete input is not an error: the decoder waits for more.
    let mut decoder = RequestDecoder::default();
    assert!(decoder
        .decode(b"POST / HTTP/1.1\r\nContent-Le")
        .unwrap()
        .is_empty());
    assert!(!decoder.is_idle());
}

#[test]
fn responses_match_mesos() {
    // Sun, 22 Nov 2026 04:40:26 GMT
    let date = Time::from_epoch(Duration::from_secs(1_795_322_426));
    let mut out = BytesMut::new();
    encode_message_response(true, date, &mut out);
    assert_eq!(
        &out[..],
        b"HTTP/1.1 202 Accepted\r\nDate: Sun, 22 Nov 2026 04:40:26 GMT\r\nContent-Length: 0\r\n\r\n"
    );
    let mut out = BytesMut::new();
    encode_message_response(false, date, &mut out);
    assert_eq!(
        &out[..],
        &b"HTTP/1.1 404 Not Found\r\nDate: Sun, 22 Nov 2026 04:40:26 GMT\r\n\
           Content-Type: text/plain; charset=utf-8\r\nContent-Length: 14\r\n\r\n404 Not Found."[..]
    );
}

#[test]
fn one_parser_keeps_senders_and_receivers_apart() {
    let bytes = |from: &str, to: &str| {
        let length = to.len();
        format!("POST /{to}/m HTTP/1.1\r\nLibprocess-From: {from}\r\nContent-Length: {length}\r\n\r\n{to}")
    };
    let stream: String = [
        ("a@1.2.3.4:5", "x"),
        ("a@1.2.3.4:5", "x"),
        ("b@1.2.3.4:5", "x"),
        ("b@1.2.3.4:5", "y%281%29"),
        ("a@1.2.3.4:5", "y%281%29"),
        ("nonsense", "x"),
    ]
    .iter()
    .map(|(from, to)| bytes(from, to))
    .collect();
    let mut parser = libprocess::wire::MessageParser::new(local());
    let messages: Vec<(String, String)> = RequestDecoder::default()
        .decode(stream.as_bytes())
        .expect("decodes")
        .into_iter()
        .map(|request| {
            let message = parser.parse(request).expect("a message");
            assert_eq!(message.to.address(), local());
            (message.from.to_string(), message.to.id().to_string())
        })
        .collect();
    let expected = [
        ("a@1.2.3.4:5", "x"),
        ("a@1.2.3.4:5", "x"),
        ("b@1.2.3.4:5", "x"),
        ("b@1.2.3.4:5", "y(1)"),
        ("a@1.2.3.4:5", "y(1)"),
        // The empty UPID, as libprocess prints it.
        ("@0.0.0.0:0", "x"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect();
    assert_eq!(messages, expected);
}

#[test]
fn encodes_addresses_and_chunk_sizes_as_text() {
    // Senders that differ only in the id, the address or the port, and
    // one seen again: each is written as itself.
    for (from, size) in [
        ("a@0.0.0.0:0", 1),
        ("scheduler(12)@255.10.0.9:65535", 300),
        ("scheduler(12)@255.10.0.9:65534", 2),
        ("scheduler(13)@255.10.0.9:65534", 2),
        ("scheduler(13)@255.10.0.8:65534", 2),
        ("a@0.0.0.0:0", 1),
        ("x@10.200.3.40:5050", 0xabcdef),
    ] {
        let message = Message {
            name: "n".into(),
            from: upid(from),
            to: upid("master@127.0.0.1:5050"),
            body: vec![b'b'; size].into(),
        };
        let body = String::from_utf8(vec![b'b'; size]).unwrap();
        let expected = format!(
            "POST /master/n HTTP/1.1\r\nUser-Agent: libprocess/{from}\r\n\
             Libprocess-From: {from}\r\nConnection: Keep-Alive\r\nHost: \r\n\
             Transfer-Encoding: chunked\r\n\r\n{size:x}\r\n{body}\r\n0\r\n\r\n"
        );
        assert_eq!(
            String::from_utf8(message_bytes(&message).to_vec()).unwrap(),
            expected
        );
    }
}
