//! `Process_BENCHMARK_ThroughputPerformance`: Akka's tell-throughput, with
//! C++ libprocess' workload: 15 M pings, each answered by a pong, spread
//! over one client/destination pair per worker; each client keeps up to
//! 1000 pings in flight and sends a new one per pong until its share is
//! answered. Throughput counts pings, as C++'s "Estimated Total" does
//! (messages are twice that). Measured at 2 workers and at libprocess'
//! default count (`max(8, cores)`). Baseline in the same run: the same pairs
//! as tokio tasks over `tokio::sync::mpsc` channels, on as many threads.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use common::pingpong::{Client, Destination, IN_FLIGHT};
use criterion::{criterion_group, criterion_main, Criterion};
use libprocess::{send, spawn, terminate, wait, Promise, Runtime};

/// Pings per measured iteration, each answered (C++' `30000 * 500`).
const PINGS: u64 = 15_000_000;

fn libprocess_run(runtime: &Runtime, pairs: u64) -> Duration {
    let _enter = runtime.enter();
    let repeat = PINGS / pairs;
    let mut clients = Vec::new();
    let mut destinations = Vec::new();
    let mut done = Vec::new();
    for _ in 0..pairs {
        let destination = spawn(Destination);
        let promise = Promise::new();
        done.push(promise.future());
        clients.push(spawn(Client::new(
            destination.upid().clone(),
            repeat,
            promise,
        )));
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
        let repeat = PINGS / pairs;
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
    // 2 workers (one per core here), and libprocess' default count.
    for (label, workers) in [("2_workers", 2), ("default_workers", default_workers())] {
        let runtime = libprocess::Runtime::builder().workers(workers).build();
        let tokio = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .build()
            .expect("building a tokio runtime");
        // One pair per worker, as C++ has one client per worker.
        let pairs = workers as u64;
        let name = format!("Process_BENCHMARK_ThroughputPerformance/{}", label);
        let mut group = common::group(c, &name, Some(PINGS));
        group.bench_function("libprocess", |b| {
            b.iter_custom(|iters| (0..iters).map(|_| libprocess_run(&runtime, pairs)).sum())
        });
        group.bench_function("baseline_tokio_mpsc", |b| {
            b.iter_custom(|iters| (0..iters).map(|_| tokio_run(&tokio, pairs)).sum())
        });
        group.finish();
    }
}

/// libprocess' default worker count: `max(8, cores)`.
fn default_workers() -> usize {
    common::cores().max(8)
}

criterion_group!(benches, bench);
criterion_main!(benches);
