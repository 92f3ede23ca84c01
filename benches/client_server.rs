//! `Process_BENCHMARK_ClientServer`: request/response throughput. One
//! server replies `pong` to each `ping` (linking to each new client once);
//! 8 clients each keep 250 pings in flight until 10,000 pongs came back;
//! 3-byte bodies. As in libprocess, all in one OS process (local
//! delivery). Baseline in the same run: the same shape with tokio tasks
//! and `tokio::sync::mpsc` channels.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use libprocess::{
    link, post, send, spawn, terminate, wait, Handlers, Process, Promise, Runtime, UPID,
};

const CLIENTS: u64 = 8;
const REQUESTS: u64 = 10_000;
const CONCURRENCY: u64 = 250;
const BODY: &[u8] = b"111";

#[derive(Default)]
struct Server {
    linked: HashSet<UPID>,
}

impl Process for Server {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |server: &mut Server, from, body| {
            // As C++'s server: look the sender up, insert only a new one.
            if !server.linked.contains(from) {
                link(from);
                server.linked.insert(from.clone());
            }
            send(from, "pong", Bytes::copy_from_slice(body));
        });
    }
}

struct Client {
    server: UPID,
    sent: u64,
    received: u64,
    done: Option<Promise<()>>,
}

impl Process for Client {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("run", |client: &mut Client, _, _| {
            link(&client.server);
            for _ in 0..CONCURRENCY {
                send(&client.server, "ping", Bytes::from_static(BODY));
            }
            client.sent = CONCURRENCY;
        });
        handlers.install("pong", |client: &mut Client, _, _| {
            client.received += 1;
            if client.sent < REQUESTS {
                send(&client.server, "ping", Bytes::from_static(BODY));
                client.sent += 1;
            } else if client.received == REQUESTS {
                if let Some(done) = client.done.take() {
                    done.set(());
                }
            }
        });
    }
}

fn libprocess_run(runtime: &Runtime) -> Duration {
    let _enter = runtime.enter();
    let server = spawn(Server::default());
    let mut clients = Vec::new();
    let mut done = Vec::new();
    for _ in 0..CLIENTS {
        let promise = Promise::new();
        done.push(promise.future());
        clients.push(spawn(Client {
            server: server.upid().clone(),
            sent: 0,
            received: 0,
            done: Some(promise),
        }));
    }
    let start = Instant::now();
    for client in &clients {
        post(&UPID::empty(), client.upid(), "run", Bytes::new());
    }
    for future in &done {
        assert!(future.wait_for(stout::Duration::from_secs(600)));
    }
    let elapsed = start.elapsed();
    for pid in clients.iter().map(|c| c.upid()).chain([server.upid()]) {
        terminate(pid, true);
        wait(pid, None);
    }
    elapsed
}

type Reply = tokio::sync::mpsc::UnboundedSender<Bytes>;

fn tokio_run(runtime: &tokio::runtime::Runtime) -> Duration {
    runtime.block_on(async {
        let (server_tx, mut server_rx) = tokio::sync::mpsc::unbounded_channel::<(Reply, Bytes)>();
        tokio::spawn(async move {
            while let Some((reply, body)) = server_rx.recv().await {
                let _ = reply.send(body);
            }
        });
        let start = Instant::now();
        let mut handles = Vec::new();
        for _ in 0..CLIENTS {
            let server = server_tx.clone();
            handles.push(tokio::spawn(async move {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                for _ in 0..CONCURRENCY {
                    server.send((tx.clone(), Bytes::from_static(BODY))).unwrap();
                }
                let (mut sent, mut received) = (CONCURRENCY, 0);
                while received < REQUESTS {
                    rx.recv().await.unwrap();
                    received += 1;
                    if sent < REQUESTS {
                        server.send((tx.clone(), Bytes::from_static(BODY))).unwrap();
                        sent += 1;
                    }
                }
            }));
        }
        for handle in handles {
            handle.await.unwrap();
        }
        start.elapsed()
    })
}

fn bench(c: &mut Criterion) {
    let runtime = common::libprocess_runtime();
    let tokio = common::tokio_runtime();
    let mut group = common::group(
        c,
        "Process_BENCHMARK_ClientServer",
        Some(CLIENTS * REQUESTS),
    );
    group.bench_function("libprocess", |b| {
        b.iter_custom(|n| (0..n).map(|_| libprocess_run(&runtime)).sum())
    });
    group.bench_function("baseline_tokio_mpsc", |b| {
        b.iter_custom(|n| (0..n).map(|_| tokio_run(&tokio)).sum())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
