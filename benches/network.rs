//! The in-memory network: messages/s between two runtimes through a
//! `libprocess::network::Network`, beside the same workload inside one
//! runtime. Workload: 1 M pings, each answered, over 2 client/destination
//! pairs with 1000 pings in flight each (ThroughputPerformance's shape).
//! Through the network, the clients run on one runtime and the
//! destinations on the other, one worker each; inside one runtime, both
//! run on its 2 workers: 2 worker threads either way.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use common::pingpong::{Client, Destination};
use criterion::{criterion_group, criterion_main, Criterion};
use libprocess::network::Network;
use libprocess::{send, spawn, terminate, wait, Builder, Promise, Runtime, PID};

const PINGS: u64 = 1_000_000;
const PAIRS: u64 = 2;

/// Runs the pairs: clients on `clients`, destinations on `destinations`
/// (the same runtime, or two on one network).
fn run(clients: &Runtime, destinations: &Runtime) -> Duration {
    let targets: Vec<PID<Destination>> = {
        let _enter = destinations.enter();
        (0..PAIRS).map(|_| spawn(Destination)).collect()
    };
    let _enter = clients.enter();
    let mut done = Vec::new();
    let pids: Vec<PID<Client>> = targets
        .iter()
        .map(|target| {
            let promise = Promise::new();
            done.push(promise.future());
            spawn(Client::new(target.upid().clone(), PINGS / PAIRS, promise))
        })
        .collect();
    let start = Instant::now();
    for pid in &pids {
        send(pid.upid(), "run", Bytes::new());
    }
    for future in &done {
        assert!(future.wait_for(stout::Duration::from_secs(600)));
    }
    let elapsed = start.elapsed();
    for pid in &pids {
        terminate(pid, true);
        wait(pid, None);
    }
    drop(_enter);
    let _enter = destinations.enter();
    for pid in &targets {
        terminate(pid, true);
        wait(pid, None);
    }
    elapsed
}

fn bench(c: &mut Criterion) {
    let network = Network::new();
    let a = Builder::default()
        .workers(1)
        .network(&network, "10.0.0.1:5050".parse().expect("an address"))
        .build();
    let b = Builder::default()
        .workers(1)
        .network(&network, "10.0.0.2:5050".parse().expect("an address"))
        .build();
    let one = Builder::default().workers(2).build();

    // Messages: each ping and each pong.
    let mut group = common::group(c, "network", Some(2 * PINGS));
    group.bench_function("two_runtimes_through_the_network", |bench| {
        bench.iter_custom(|iters| (0..iters).map(|_| run(&a, &b)).sum())
    });
    group.bench_function("baseline_one_runtime", |bench| {
        bench.iter_custom(|iters| (0..iters).map(|_| run(&one, &one)).sum())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
