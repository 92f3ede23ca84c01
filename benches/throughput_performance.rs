//! `Process_BENCHMARK_ThroughputPerformance`: Akka's tell-throughput. One
//! client/destination pair per worker; each client keeps up to 1000 pings
//! in flight and sends a new one per pong until its share of the total is
//! answered. Baseline in the same run: the same pairs as tokio tasks over
//! `tokio::sync::mpsc` channels.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use libprocess::{send, spawn, terminate, wait, Handlers, Process, Promise, Runtime, UPID};

/// Messages per measured iteration: pings and pongs, as the C++ count.
const TOTAL: u64 = 15_000_000;
const IN_FLIGHT: u64 = 1000;

struct Destination;

impl Process for Destination {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("ping", |_, from, _| send(from, "pong", Bytes::new()));
    }
}

struct Client {
    destination: UPID,
    repeat: u64,
    sent: u64,
    received: u64,
    done: Option<Promise<()>>,
}

impl Process for Client {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install("run", |client: &mut Client, _, _| {
            let first = IN_FLIGHT.min(client.repeat);
            for _ in 0..first {
                send(&client.destination, "ping", Bytes::new());
            }
            client.sent = first;
        });
        handlers.install("pong", |client: &mut Client, _, _| {
            client.received += 1;
            if client.sent < client.repeat {
                send(&client.destination, "ping", Bytes::new());
                client.sent += 1;
            } else if client.received == client.repeat {
                if let Some(done) = client.done.take() {
                    done.set(());
                }
            }
        });
    }
}

fn libprocess_run(runtime: &Runtime, pairs: u64) -> Duration {
    let _enter = runtime.enter();
    // Each ping is answered by a pong: a pair's share of messages is
    // twice its pings.
    let repeat = TOTAL / 2 / pairs;
    let mut clients = Vec::new();
    let mut destinations = Vec::new();
    let mut done = Vec::new();
    for _ in 0..pairs {
        let destination = spawn(Destination);
        let promise = Promise::new();
        done.push(promise.future());
        clients.push(spawn(Client {
            destination: destination.upid().clone(),
            repeat,
            sent: 0,
            received: 0,
            done: Some(promise),
        }));
        destinations.push(destination);
    }
    let start = Instant::now();
    for client in &clients {
        send(client.upid(), "run", Bytes::new());
    }
    for future in &done {
        assert!(future.wait_for(stout::Duration::from_secs(600)));
    }
    let elapsed = start.elapsed();
    for pid in clients
        .iter()
        .map(|c| c.upid())
        .chain(destinations.iter().map(|d| d.upid()))
    {
        terminate(pid, true);
        wait(pid, None);
    }
    elapsed
}

fn tokio_run(runtime: &tokio::runtime::Runtime, pairs: u64) -> Duration {
    runtime.block_on(async {
        let repeat = TOTAL / 2 / pairs;
        let mut handles = Vec::new();
        let start = Instant::now();
        for _ in 0..pairs {
            let (ping_tx, mut ping_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
            let (pong_tx, mut pong_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
            tokio::spawn(async move {
                while ping_rx.recv().await.is_some() {
                    if pong_tx.send(()).is_err() {
                        break;
                    }
                }
            });
            handles.push(tokio::spawn(async move {
                let first = IN_FLIGHT.min(repeat);
                for _ in 0..first {
                    ping_tx.send(()).unwrap();
                }
                let (mut sent, mut received) = (first, 0);
                while received < repeat {
                    pong_rx.recv().await.unwrap();
                    received += 1;
                    if sent < repeat {
                        ping_tx.send(()).unwrap();
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
    let pairs = common::cores() as u64;

    let mut group = common::group(c, "Process_BENCHMARK_ThroughputPerformance", Some(TOTAL));
    group.bench_function("libprocess", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| libprocess_run(&runtime, pairs)).sum())
    });
    group.bench_function("baseline_tokio_mpsc", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| tokio_run(&tokio, pairs)).sum())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
