//! The in-memory network: runtimes in one OS process exchange messages and
//! HTTP requests through it, and the test controls each of its faults.

use std::net::SocketAddrV4;
use std::sync::Arc;

use libprocess::http::{self, Headers};
use libprocess::network::{Fate, Network};
use libprocess::testing::{self, ANY};
use libprocess::{
    dispatch, link, send, spawn, spawn_with_id, Address, Builder, Clock, Future, Handlers, Message,
    Process, Promise, Runtime, Simulation, UPID,
};
use parking_lot::Mutex;
use stout::Duration;

fn address(text: &str) -> Address {
    text.parse::<SocketAddrV4>().expect("an address")
}

/// Answers `ping` with `pong`; records what it got.
#[derive(Default)]
struct Peer {
    got: Vec<String>,
    exited: Vec<UPID>,
    exit: Option<Promise<UPID>>,
}

impl Process for Peer {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |peer: &mut Peer, from: &UPID, body: &[u8]| {
            peer.got
                .push(format!("ping {}", String::from_utf8_lossy(body)));
            send(from, "pong", body.to_vec());
        });
        handlers.install("pong", |peer: &mut Peer, _: &UPID, body: &[u8]| {
            peer.got
                .push(format!("pong {}", String::from_utf8_lossy(body)));
        });
        handlers.route("/hello", |peer: &mut Peer, request: http::Request| {
            peer.got.push(format!("GET {}", request.url.path));
            Future::ready(http::ok("hello"))
        });
    }

    fn exited(&mut self, pid: &UPID) {
        self.exited.push(pid.clone());
        if let Some(exit) = self.exit.take() {
            exit.set(pid.clone());
        }
    }
}

impl Peer {
    fn got(&mut self) -> Vec<String> {
        std::mem::take(&mut self.got)
    }

    fn link_to(&mut self, pid: UPID) {
        link(&pid);
    }
}

/// Two simulated runtimes on one network: `a` entered for the test, `b`
/// running a `peer` process; the processes' pids.
struct Cluster {
    network: Network,
    _a: testing::TestRuntime,
    b: Option<Runtime>,
    here: libprocess::PID<Peer>,
    there: libprocess::PID<Peer>,
}

const A: &str = "10.0.0.1:5050";
const B: &str = "10.0.0.2:5051";

fn cluster(seed: u64) -> Cluster {
    let network = Network::new();
    let simulation = Simulation::new(seed);
    let a = testing::runtime_with(
        Builder::default()
            .simulation(&simulation)
            .network(&network, address(A)),
    );
    let b = Builder::default()
        .simulation(&simulation)
        .network(&network, address(B))
        .abort_on_panic(false)
        .build();
    let there = {
        let _enter = b.enter();
        spawn_with_id(Peer::default(), "peer").expect("a fresh id")
    };
    let here = spawn(Peer::default());
    Cluster {
        network,
        _a: a,
        b: Some(b),
        here,
        there,
    }
}

impl Cluster {
    /// What `there` got (dispatched from its own runtime).
    fn there_got(&self) -> Vec<String> {
        let b = self.b.as_ref().expect("running");
        let _enter = b.enter();
        testing::await_ready(&dispatch(&self.there, Peer::got))
    }

    fn ping(&self, body: &str) {
        let to = self.there.upid().clone();
        let body = body.to_string();
        dispatch(&self.here, move |_: &mut Peer| send(&to, "ping", body));
    }
}

#[test]
fn messages_cross_the_network() {
    let cluster = cluster(1);
    assert_eq!(cluster.there.upid().to_string(), format!("peer@{}", B));
    cluster.ping("1");
    Clock::pause();
    Clock::settle();
    assert_eq!(cluster.there_got(), vec!["ping 1"]);
    assert_eq!(
        testing::await_ready(&dispatch(&cluster.here, Peer::got)),
        vec!["pong 1"]
    );
    assert_eq!(cluster.network.hosts(), vec![address(A), address(B)]);
}

#[test]
fn a_partition_loses_messages_until_healed() {
    let cluster = cluster(2);
    Clock::pause();
    cluster.network.partition(address(B), address(A));
    assert!(!cluster.network.reachable(address(A), address(B)));
    cluster.ping("lost");
    Clock::settle();
    assert!(cluster.there_got().is_empty());
    cluster.network.heal(address(A), address(B));
    cluster.ping("found");
    Clock::settle();
    assert_eq!(cluster.there_got(), vec!["ping found"]);
}

#[test]
fn intercepted_messages_are_dropped_duplicated_delayed_or_held() {
    let cluster = cluster(3);
    Clock::pause();
    let fates = Arc::new(Mutex::new(vec![
        Fate::Drop,
        Fate::Duplicate,
        Fate::Delay(Duration::from_secs(5)),
        Fate::Hold,
        Fate::Hold,
    ]));
    let next = fates.clone();
    cluster.network.intercept(move |message: &Message| {
        if message.name == "ping" {
            next.lock().remove(0)
        } else {
            Fate::Drop
        }
    });
    for body in ["dropped", "twice", "late", "held 1", "held 2"] {
        cluster.ping(body);
        Clock::settle();
    }
    assert_eq!(cluster.there_got(), vec!["ping twice", "ping twice"]);
    Clock::advance(Duration::from_secs(5));
    Clock::settle();
    assert_eq!(cluster.there_got(), vec!["ping late"]);
    // Held messages come back in whatever order the test chooses.
    let held = cluster.network.take_held();
    assert_eq!(held.len(), 2);
    cluster.network.clear_intercept();
    for message in held.into_iter().rev() {
        cluster.network.deliver(message);
    }
    Clock::settle();
    assert_eq!(cluster.there_got(), vec!["ping held 2", "ping held 1"]);
}

impl Cluster {
    /// Links `here` to `there`; the future of the `exited` it will hear.
    fn link(&self) -> Future<UPID> {
        let exit = Promise::new();
        let exited = exit.future();
        dispatch(&self.here, move |peer: &mut Peer| peer.exit = Some(exit));
        libprocess::dispatch!(self.here, Peer::link_to, self.there.upid().clone());
        exited
    }
}

#[test]
fn a_broken_connection_reaches_linkers() {
    let mut cluster = cluster(4);
    Clock::pause();
    let exited = cluster.link();
    Clock::settle();
    assert!(exited.is_pending());
    cluster.network.break_connection(address(B), address(A));
    assert_eq!(&testing::await_ready(&exited), cluster.there.upid());

    // Linked again: the peer's runtime going away breaks it too.
    let exited = cluster.link();
    Clock::settle();
    assert!(exited.is_pending());
    drop(cluster.b.take());
    assert_eq!(&testing::await_ready(&exited), cluster.there.upid());
    assert_eq!(cluster.network.hosts(), vec![address(A)]);

    // Nobody at the address: a link is reported broken at once.
    let exited = cluster.link();
    assert_eq!(&testing::await_ready(&exited), cluster.there.upid());
}

#[test]
fn http_requests_cross_the_network() {
    let cluster = cluster(5);
    let response = http::get(cluster.there.upid(), "hello", None, Headers::new());
    let response = testing::await_ready(&response);
    assert_eq!(response.code, 200);
    assert!(matches!(response.body, http::Body::Bytes(ref b) if &b[..] == b"hello"));
    assert_eq!(cluster.there_got(), vec!["GET /peer/hello"]);

    // Streamed, and over a connection that stays open.
    let response = http::streaming::get(cluster.there.upid(), "hello", None, Headers::new());
    let http::Body::Pipe(reader) = testing::await_ready(&response).body else {
        panic!("a streamed body");
    };
    assert_eq!(&testing::await_ready(&reader.read_all())[..], b"hello");
    let connection = testing::await_ready(&http::connect(&http::url_of(cluster.there.upid(), "")));
    let request = http::Request {
        url: http::url_of(cluster.there.upid(), "hello"),
        keep_alive: true,
        ..Default::default()
    };
    let first = connection.send(request.clone(), false);
    let second = connection.send(request, false);
    assert_eq!(testing::await_ready(&first).code, 200);
    assert_eq!(testing::await_ready(&second).code, 200);

    cluster.network.partition(address(A), address(B));
    let failed = http::get(cluster.there.upid(), "hello", None, Headers::new());
    assert_eq!(
        testing::await_failed(&failed),
        format!("Failed to connect to {}: partitioned", B)
    );
}

/// A scenario on two simulated runtimes: the trace of what `there` got
/// from three senders, whose turns the seed orders.
fn replay(seed: u64) -> Vec<String> {
    let cluster = cluster(seed);
    Clock::pause();
    let senders: Vec<_> = (0..3).map(|_| spawn(Peer::default())).collect();
    for (s, sender) in senders.iter().enumerate() {
        for i in 0..5 {
            let to = cluster.there.upid().clone();
            dispatch(sender, move |_: &mut Peer| {
                send(&to, "ping", format!("{}.{}", s, i))
            });
        }
    }
    let answered = testing::future_message("pong", ANY, &senders[2]);
    Clock::settle();
    testing::await_ready(&answered);
    cluster.there_got()
}

#[test]
fn a_simulated_cluster_replays_from_its_seed() {
    let first = replay(11);
    assert_eq!(first.len(), 15);
    assert_eq!(first, replay(11));
    assert!((12..17).any(|seed| replay(seed) != first));
}
