//! Messages over sockets between runtimes that listen on loopback (the
//! intent of `ProcessRemoteLinkTest.RemoteLink` without a helper process),
//! and the transport's own rules. `ProcessTest.Remote` is
//! `process_test::remote`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};

use bytes::Bytes;
use libprocess::testing;
use libprocess::wire::message_bytes;
use libprocess::{
    link, send, spawn, terminate, wait, Builder, Future, Handlers, Message, Process, Promise, UPID,
};

fn loopback() -> SocketAddrV4 {
    SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)
}

fn listening() -> testing::TestRuntime {
    testing::runtime_with(Builder::default().workers(2).listen(loopback()))
}

/// Hands each `handler` message to the next waiting promise.
struct Handler {
    received: Vec<Promise<Message>>,
}

impl Process for Handler {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install_message("handler", |h: &mut Handler, m: &Message| {
            if !h.received.is_empty() {
                h.received.remove(0).set(m.clone());
            }
        });
    }
}

fn handler() -> (libprocess::PID<Handler>, Future<Message>) {
    let promise = Promise::new();
    let future = promise.future();
    (
        spawn(Handler {
            received: vec![promise],
        }),
        future,
    )
}

pub(crate) fn read_until(stream: &mut TcpStream, needle: &[u8]) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while !received.windows(needle.len()).any(|w| w == needle) {
        let n = stream.read(&mut buffer).expect("reads");
        assert!(
            n > 0,
            "connection closed early: {:?}",
            String::from_utf8_lossy(&received)
        );
        received.extend_from_slice(&buffer[..n]);
    }
    received
}

/// Answers `ping` with `pong`.
struct Ponger;

impl Process for Ponger {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |_, from, body| {
            send(from, "pong", Bytes::copy_from_slice(body))
        });
    }
}

#[test]
fn two_runtimes_exchange_messages() {
    let remote = Builder::default().workers(2).listen(loopback()).build();
    let ponger = {
        let _enter = remote.enter();
        spawn(Ponger)
    };
    let _rt = listening();
    let promise = Promise::new();
    let pong = promise.future();
    struct Pinger {
        pong: Option<Promise<Message>>,
    }
    impl Process for Pinger {
        fn initialize(&mut self, handlers: &mut Handlers<Self>) {
            handlers.install_message("pong", |p: &mut Pinger, m: &Message| {
                if let Some(pong) = p.pong.take() {
                    pong.set(m.clone());
                }
            });
        }
    }
    let pinger = spawn(Pinger {
        pong: Some(promise),
    });
    let target = ponger.upid().clone();
    libprocess::dispatch(&pinger, move |_| send(&target, "ping", &b"42"[..]));
    let message = testing::await_ready(&pong);
    assert_eq!(message.from, *ponger.upid());
    assert_eq!(&message.body[..], b"42");
    terminate(&pinger, true);
    wait(&pinger, None);
}

/// Links to `pid` when started; reports `exited`.
struct Linker {
    pid: UPID,
    exited: Option<Promise<UPID>>,
}

impl Process for Linker {
    fn initialize(&mut self, _: &mut Handlers<Self>) {
        link(&self.pid);
    }

    fn exited(&mut self, pid: &UPID) {
        if let Some(exited) = self.exited.take() {
            exited.set(pid.clone());
        }
    }
}

#[test]
fn remote_link() {
    let remote = Builder::default().workers(2).listen(loopback()).build();
    let linkee = {
        let _enter = remote.enter();
        spawn(Ponger)
    };
    let _rt = listening();
    let promise = Promise::new();
    let exited = promise.future();
    let linker = spawn(Linker {
        pid: linkee.upid().clone(),
        exited: Some(promise),
    });
    assert!(exited.is_pending());
    // The peer goes away: the linked connection breaks (or, had it not
    // been made yet, cannot be made); either way the linker hears of it.
    drop(remote);
    testing::await_eq(linkee.upid().clone(), &exited);
    terminate(&linker, true);
    wait(&linker, None);
}

#[test]
fn malformed_request_closes_only_that_connection() {
    let rt = listening();
    let address = rt.runtime().address();
    let (pid, received) = handler();
    let mut bad = TcpStream::connect(address).unwrap();
    bad.write_all(b"GARBAGE\r\n\r\n").unwrap();
    let mut buffer = [0u8; 16];
    assert_eq!(
        bad.read(&mut buffer).unwrap(),
        0,
        "closed without a response"
    );

    let mut good = TcpStream::connect(address).unwrap();
    good.write_all(&message_bytes(&Message {
        name: "handler".into(),
        from: UPID::new("peer", "127.0.0.1:1".parse().unwrap()),
        to: pid.upid().clone(),
        body: Bytes::new(),
    }))
    .unwrap();
    testing::await_ready(&received);
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn messages_before_a_malformed_request_are_delivered() {
    let rt = listening();
    let address = rt.runtime().address();
    let (pid, received) = handler();
    let mut bytes = message_bytes(&Message {
        name: "handler".into(),
        from: UPID::new("peer", "127.0.0.1:1".parse().unwrap()),
        to: pid.upid().clone(),
        body: Bytes::new(),
    })
    .to_vec();
    bytes.extend_from_slice(b"GARBAGE\r\n\r\n");
    // One write: the server usually reads the message and the garbage
    // together (had it read them apart, the message was delivered first).
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(&bytes).unwrap();
    testing::await_ready(&received);
    // The connection closes.
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn environment_errors_name_the_variable() {
    // Only this test sets these variables.
    std::env::set_var("LIBPROCESS_PORT", "70000");
    let error = Builder::from_environment().unwrap_err();
    std::env::remove_var("LIBPROCESS_PORT");
    assert_eq!(
        error.message(),
        "LIBPROCESS_PORT must be a port (0-65535), got '70000'"
    );
    std::env::set_var("LIBPROCESS_IP", "::1");
    let error = Builder::from_environment().unwrap_err();
    std::env::remove_var("LIBPROCESS_IP");
    assert_eq!(
        error.message(),
        "LIBPROCESS_IP must be an IPv4 address, got '::1'"
    );
}

// libprocess closes a connection it opened only to send (no link) once
// everything queued on it is written; the next send opens another.
#[test]
fn unlinked_connection_closes_once_drained() {
    let _rt = listening();
    let peer = TcpListener::bind(loopback()).expect("binds");
    let to = match peer.local_addr().expect("bound") {
        std::net::SocketAddr::V4(address) => UPID::new("peer", address),
        other => panic!("not IPv4: {}", other),
    };
    for round in ["first", "second"] {
        send(&to, "hello", round);
        let (mut stream, _) = peer.accept().expect("a connection per burst");
        let mut received = read_until(&mut stream, round.as_bytes());
        // Returns once our side closes the connection.
        stream
            .read_to_end(&mut received)
            .expect("reads until the close");
        assert!(received.ends_with(b"\r\n0\r\n\r\n"));
    }
}

/// A burst of unlinked messages to another OS process and back: a
/// temporary connection that closes once drained reads the peer's
/// answers until the peer closes, since closing with answers unread
/// resets the connection and the peer loses what it had not read yet.
#[test]
fn burst_of_messages_between_os_processes() {
    crate::process_remote_link_test::burst_between_os_processes(
        libprocess::ssl::Flags::default(),
        &[],
    );
}
