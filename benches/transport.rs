//! The socket transport between two OS processes over loopback (the peer
//! is `bench-peer`): one-way messages on one (linked) connection with
//! libprocess' encoding, and the round trip POST → handler → reply, each
//! in plain text and over TLS (`libprocess_tls`, both processes with
//! `LIBPROCESS_SSL_ENABLED`), beside a raw baseline in the same run:
//! length-prefixed frames over one TCP connection with batched writes.
//! With `CPP_LIBPROCESS_BENCH_PEER` set, both also run against C++
//! libprocess (`cpp_peer`, see `cpp_peer_transport`).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddrV4, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use libprocess::{link, post, spawn, Handlers, Process, Promise, Runtime, UPID};
use parking_lot::Mutex;

/// Messages per one-way iteration.
const MESSAGES: u64 = 100_000;
/// Round trips per iteration.
const ROUND_TRIPS: u64 = 1_000;
/// The payload of every message and frame.
const BODY: &[u8] = &[b'x'; 64];

/// A peer program, and the address it printed first: where it serves.
struct Peer {
    child: Child,
    address: SocketAddrV4,
}

impl Peer {
    fn start(command: &mut Command) -> Peer {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the peer starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("piped"))
            .read_line(&mut line)
            .expect("the peer prints where it serves");
        let address = line.trim().parse().expect("an address");
        Peer { child, address }
    }

    /// A `bench-peer` in `mode`.
    fn bench_peer(mode: &str, environment: &[(String, String)]) -> Peer {
        Peer::start(
            Command::new(env!("CARGO_BIN_EXE_bench-peer"))
                .arg(mode)
                .envs(environment.iter().map(|(k, v)| (k, v))),
        )
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Completes the waiting promise on `done` and `pong`.
struct Receiver {
    waiting: Arc<Mutex<Option<Promise<()>>>>,
    pongs: Arc<Mutex<u64>>,
    target: Arc<Mutex<u64>>,
    echo: UPID,
}

impl Process for Receiver {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("done", |r: &mut Receiver, _, _| {
            if let Some(promise) = r.waiting.lock().take() {
                promise.set(());
            }
        });
        handlers.install("pong", |r: &mut Receiver, _, body| {
            let mut pongs = r.pongs.lock();
            *pongs += 1;
            if *pongs < *r.target.lock() {
                libprocess::send(&r.echo, "ping", Bytes::copy_from_slice(body));
            } else if let Some(promise) = r.waiting.lock().take() {
                promise.set(());
            }
        });
        link(&self.echo);
    }
}

fn wait_for(waiting: &Arc<Mutex<Option<Promise<()>>>>) -> libprocess::Future<()> {
    let promise = Promise::new();
    let future = promise.future();
    *waiting.lock() = Some(promise);
    future
}

/// Our side: a runtime listening on loopback, and a `Receiver` that pings
/// `echo` and hears of the peer's answers.
struct Client {
    runtime: Runtime,
    me: UPID,
    waiting: Arc<Mutex<Option<Promise<()>>>>,
    pongs: Arc<Mutex<u64>>,
    target: Arc<Mutex<u64>>,
}

impl Client {
    fn start(ssl: libprocess::ssl::Flags, echo: &UPID) -> Client {
        let runtime = Runtime::builder()
            .workers(common::cores())
            .listen("127.0.0.1:0".parse().expect("an address"))
            .ssl(ssl)
            .build();
        let _enter = runtime.enter();
        let waiting = Arc::new(Mutex::new(None));
        let pongs = Arc::new(Mutex::new(0));
        let target = Arc::new(Mutex::new(0));
        let receiver = spawn(Receiver {
            waiting: waiting.clone(),
            pongs: pongs.clone(),
            target: target.clone(),
            echo: echo.clone(),
        });
        let me = receiver.upid().clone();
        drop(_enter);
        Client {
            runtime,
            me,
            waiting,
            pongs,
            target,
        }
    }
}

/// A self-signed certificate and key for both sides of the TLS runs.
struct Certificate {
    dir: tempfile::TempDir,
}

impl Certificate {
    fn new() -> Certificate {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
            .expect("a certificate");
        std::fs::write(dir.path().join("cert.pem"), certified.cert.pem()).expect("writes");
        std::fs::write(
            dir.path().join("key.pem"),
            certified.signing_key.serialize_pem(),
        )
        .expect("writes");
        Certificate { dir }
    }

    /// `LIBPROCESS_SSL_*` settings enabling TLS with this certificate.
    fn environment(&self) -> Vec<(String, String)> {
        let path = |name: &str| self.dir.path().join(name).display().to_string();
        vec![
            ("LIBPROCESS_SSL_ENABLED".to_string(), "true".to_string()),
            ("LIBPROCESS_SSL_CERT_FILE".to_string(), path("cert.pem")),
            ("LIBPROCESS_SSL_KEY_FILE".to_string(), path("key.pem")),
        ]
    }
}

fn libprocess_transport(c: &mut Criterion) {
    transport(c, "libprocess", &[]);
}

fn libprocess_tls_transport(c: &mut Criterion) {
    let certificate = Certificate::new();
    transport(c, "libprocess_tls", &certificate.environment());
}

/// The one-way and round-trip runs, named `name`, with both processes
/// configured by `environment` (TLS settings, or none).
fn transport(c: &mut Criterion, name: &str, environment: &[(String, String)]) {
    let peer = Peer::bench_peer("libprocess", environment);
    let ssl = libprocess::ssl::Flags::from_variables(|variable| {
        environment
            .iter()
            .find(|(k, _)| k == variable)
            .map(|(_, v)| v.clone())
    })
    .expect("valid TLS settings");
    against(c, name, &peer, ssl);
}

/// The one-way and round-trip runs, named `name`, against `peer`'s
/// `sink` and `echo`.
fn against(c: &mut Criterion, name: &str, peer: &Peer, ssl: libprocess::ssl::Flags) {
    let sink = UPID::new("sink", peer.address);
    let echo = UPID::new("echo", peer.address);
    let client = Client::start(ssl, &echo);
    let _enter = client.runtime.enter();
    let (me, waiting) = (&client.me, &client.waiting);
    // A persistent connection to the peer's address, as linked daemons.
    let settled = wait_for(waiting);
    post(me, &sink, "flush", Bytes::new());
    assert!(
        settled.wait_for(stout::Duration::from_secs(30)),
        "the sink answers"
    );

    one_way(c, name, &client, &sink);
    round_trips(c, name, &client, &echo);
}

/// The one-way run named `name`: the client posts [`MESSAGES`] to
/// `sink`, then `flush`, and waits for its `done`.
fn one_way(c: &mut Criterion, name: &str, client: &Client, sink: &UPID) {
    let (me, waiting) = (&client.me, &client.waiting);
    let mut group = common::group(c, "transport/one_way", Some(MESSAGES));
    group.bench_function(name, |b| {
        b.iter_custom(|iterations| {
            total(iterations, || {
                let done = wait_for(waiting);
                let start = Instant::now();
                for _ in 0..MESSAGES {
                    post(me, sink, "m", Bytes::from_static(BODY));
                }
                post(me, sink, "flush", Bytes::new());
                assert!(done.wait_for(stout::Duration::from_secs(60)), "all arrived");
                start.elapsed()
            })
        })
    });
    drop(group);
}

/// The round-trip run named `name`: the client's receiver pings `echo`,
/// and pings again on each pong, [`ROUND_TRIPS`] times.
fn round_trips(c: &mut Criterion, name: &str, client: &Client, echo: &UPID) {
    let Client {
        me,
        waiting,
        pongs,
        target,
        ..
    } = client;
    let mut group = common::group(c, "transport/round_trip", Some(ROUND_TRIPS));
    group.bench_function(name, |b| {
        b.iter_custom(|iterations| {
            total(iterations, || {
                *pongs.lock() = 0;
                *target.lock() = ROUND_TRIPS;
                let done = wait_for(waiting);
                let start = Instant::now();
                post(me, echo, "ping", Bytes::from_static(BODY));
                assert!(
                    done.wait_for(stout::Duration::from_secs(60)),
                    "all answered"
                );
                start.elapsed()
            })
        })
    });
    drop(group);
}

/// Both runs with C++ libprocess as the other side, when
/// `CPP_LIBPROCESS_BENCH_PEER` names `benches/cpp/bench_peer.cpp` built by
/// `benches/cpp-bench-peer.sh`: its `sink` and `echo` do what
/// `bench-peer`'s do, so beside `libprocess` this compares the two
/// runtimes' receiving and serving sides (the sending side is ours in
/// both).
fn cpp_peer_transport(c: &mut Criterion) {
    let Ok(program) = std::env::var("CPP_LIBPROCESS_BENCH_PEER") else {
        return;
    };
    let peer = Peer::start(
        Command::new(program)
            .arg("serve")
            .env("LIBPROCESS_IP", "127.0.0.1")
            .env("LIBPROCESS_NUM_WORKER_THREADS", "2"),
    );
    let plain = libprocess::ssl::Flags::from_variables(|_| None).expect("no TLS");
    against(c, "cpp_peer", &peer, plain);
}

/// The time of `iterations` runs of `once`, each timing its own work
/// (setup before its clock starts is not counted).
fn total(iterations: u64, mut once: impl FnMut() -> Duration) -> Duration {
    (0..iterations).map(|_| once()).sum()
}

fn frame(kind: u8, payload: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.push(kind);
    out.extend_from_slice(payload);
}

fn raw_transport(c: &mut Criterion) {
    let peer = Peer::bench_peer("raw", &[]);
    let mut stream = TcpStream::connect(peer.address).expect("connects");
    stream.set_nodelay(true).expect("nodelay");

    let mut group = common::group(c, "transport/one_way", Some(MESSAGES));
    group.bench_function("raw_frames", |b| {
        let mut batch = Vec::with_capacity(64 * 1024);
        b.iter_custom(|iterations| {
            total(iterations, || {
                let start = Instant::now();
                for n in 0..MESSAGES {
                    frame(0, BODY, &mut batch);
                    if batch.len() >= 64 * 1024 || n + 1 == MESSAGES {
                        stream.write_all(&batch).expect("writes");
                        batch.clear();
                    }
                }
                frame(1, &[], &mut batch);
                stream.write_all(&batch).expect("writes");
                batch.clear();
                let mut ack = [0u8; 1];
                stream.read_exact(&mut ack).expect("acked");
                start.elapsed()
            })
        })
    });
    drop(group);

    let mut group = common::group(c, "transport/round_trip", Some(ROUND_TRIPS));
    group.bench_function("raw_frames", |b| {
        let mut out = Vec::new();
        let mut back = vec![0u8; 5 + BODY.len()];
        b.iter_custom(|iterations| {
            total(iterations, || {
                let start = Instant::now();
                for _ in 0..ROUND_TRIPS {
                    out.clear();
                    frame(2, BODY, &mut out);
                    stream.write_all(&out).expect("writes");
                    stream.read_exact(&mut back).expect("echoed");
                }
                start.elapsed()
            })
        })
    });
    drop(group);
}

criterion_group!(
    benches,
    libprocess_transport,
    libprocess_tls_transport,
    cpp_peer_transport,
    raw_transport
);
criterion_main!(benches);
