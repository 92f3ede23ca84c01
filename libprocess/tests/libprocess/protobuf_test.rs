//! Protobuf messages through installed handlers and the protobuf test
//! expectations (libprocess' `ProtobufProcess`, Mesos' `FUTURE_PROTOBUF`).

use libprocess::testing::{self, ANY};
use libprocess::{
    name_of, post, send_protobuf, spawn, terminate, wait, Future, Handlers, Process, Promise, UPID,
};

#[derive(Clone, PartialEq, prost::Message)]
struct Ping {
    #[prost(string, tag = "1")]
    text: String,
}

impl prost::Name for Ping {
    const NAME: &'static str = "Ping";
    const PACKAGE: &'static str = "tests";
}

struct Receiver {
    received: Vec<Promise<(UPID, Ping)>>,
}

impl Process for Receiver {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install_protobuf(|r: &mut Receiver, from: &UPID, ping: Ping| {
            if !r.received.is_empty() {
                r.received.remove(0).set((from.clone(), ping));
            }
        });
    }
}

fn receiver(expected: usize) -> (libprocess::PID<Receiver>, Vec<Future<(UPID, Ping)>>) {
    let promises: Vec<Promise<(UPID, Ping)>> = (0..expected).map(|_| Promise::new()).collect();
    let futures = promises.iter().map(Promise::future).collect();
    (spawn(Receiver { received: promises }), futures)
}

#[test]
fn name_is_the_full_type_name() {
    assert_eq!(name_of::<Ping>(), "tests.Ping");
}

#[test]
fn install_handler_decodes() {
    let _rt = testing::runtime();
    let (pid, received) = receiver(1);
    let seen = testing::future_protobuf::<Ping>(ANY, &pid);
    let ping = Ping {
        text: "hello".to_string(),
    };
    send_protobuf(pid.upid(), &ping);
    assert_eq!(testing::await_ready(&seen), ping);
    let (from, decoded) = testing::await_ready(&received[0]);
    assert_eq!(decoded, ping);
    assert!(from.is_empty());
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn malformed_body_is_dropped() {
    let _rt = testing::runtime();
    let (pid, received) = receiver(1);
    let dequeued = testing::future_message(name_of::<Ping>(), ANY, &pid);
    // Field 1 declared as a 100-byte string, with 1 byte present.
    post(
        &UPID::empty(),
        pid.upid(),
        name_of::<Ping>(),
        &b"\x0a\x64x"[..],
    );
    testing::await_ready(&dequeued);
    send_protobuf(pid.upid(), &Ping { text: "ok".into() });
    let (_, decoded) = testing::await_ready(&received[0]);
    assert_eq!(decoded.text, "ok");
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn drop_protobufs() {
    let _rt = testing::runtime();
    let (pid, received) = receiver(1);
    testing::drop_protobufs::<Ping>(ANY, &pid);
    let dropped = testing::drop_protobuf::<Ping>(ANY, &pid);
    send_protobuf(pid.upid(), &Ping { text: "1".into() });
    send_protobuf(pid.upid(), &Ping { text: "2".into() });
    // The newest expectation acts first: it takes the first message and
    // retires; DROP_PROTOBUFS takes the second.
    assert_eq!(testing::await_ready(&dropped).text, "1");
    let settled = libprocess::dispatch(&pid, |_| ());
    testing::await_ready(&settled);
    assert!(received[0].is_pending());
    terminate(&pid, true);
    wait(&pid, None);
}
