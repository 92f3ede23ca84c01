//! `Process_BENCHMARK_ProtobufInstallHandler`: the cost of receiving a
//! protobuf message through an installed handler (decode, then call),
//! for messages that are trees of 0 to 10,000 sub-messages (each node has
//! `payload = [1, 1]` and up to 4 children). Baseline in the same run:
//! decoding the same bytes with prost alone.

mod common;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use libprocess::{
    name_of, post, spawn, terminate, wait, Handlers, Process, Promise, Runtime, UPID,
};
use prost::Message as _;

/// The benchmark's message, as libprocess' `benchmarks.proto` defines it.
#[derive(Clone, PartialEq, prost::Message)]
struct Message {
    #[prost(int32, repeated, tag = "1")]
    payload: Vec<i32>,
    #[prost(message, repeated, tag = "2")]
    submessages: Vec<Message>,
}

impl prost::Name for Message {
    const NAME: &'static str = "Message";
    const PACKAGE: &'static str = "tests";
}

/// A tree of `size` sub-messages below the root, filled breadth first
/// with up to 4 children per node.
fn tree(size: usize) -> Message {
    let leaf = || Message {
        payload: vec![1, 1],
        submessages: Vec::new(),
    };
    let mut root = leaf();
    let mut added = 0;
    // Paths (child indices) of nodes that can take children, oldest first.
    let mut open: VecDeque<Vec<usize>> = VecDeque::from([Vec::new()]);
    while added < size {
        let path = open.pop_front().expect("a tree always has an open node");
        let mut node = &mut root;
        for &i in &path {
            node = &mut node.submessages[i];
        }
        for child in 0..4 {
            if added == size {
                break;
            }
            node.submessages.push(leaf());
            added += 1;
            let mut child_path = path.clone();
            child_path.push(child);
            open.push_back(child_path);
        }
    }
    root
}

struct Receiver {
    expected: u64,
    received: u64,
    done: Option<Promise<()>>,
}

impl Process for Receiver {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install_protobuf(|r: &mut Receiver, _, message: Message| {
            std::hint::black_box(&message);
            r.received += 1;
            if r.received == r.expected {
                if let Some(done) = r.done.take() {
                    done.set(());
                }
            }
        });
    }
}

fn libprocess_run(runtime: &Runtime, body: &Bytes, count: u64) -> Duration {
    let _enter = runtime.enter();
    let promise = Promise::new();
    let done = promise.future();
    let pid = spawn(Receiver {
        expected: count,
        received: 0,
        done: Some(promise),
    });
    let start = Instant::now();
    for _ in 0..count {
        post(
            &UPID::empty(),
            pid.upid(),
            name_of::<Message>(),
            body.clone(),
        );
    }
    assert!(done.wait_for(stout::Duration::from_secs(600)));
    let elapsed = start.elapsed();
    terminate(&pid, true);
    wait(&pid, None);
    elapsed
}

fn bench(c: &mut Criterion) {
    let runtime = common::libprocess_runtime();
    let mut group = common::group(c, "Process_BENCHMARK_ProtobufInstallHandler", None);
    for size in [0usize, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000] {
        let body = Bytes::from(tree(size).encode_to_vec());
        // About 50 MB of messages per iteration, at least 100 of them.
        let count = (50_000_000 / body.len().max(1)).clamp(100, 100_000) as u64;
        group.throughput(Throughput::Elements(count));
        group.bench_with_input(BenchmarkId::new("libprocess", size), &body, |b, body| {
            b.iter_custom(|n| (0..n).map(|_| libprocess_run(&runtime, body, count)).sum())
        });
        group.bench_with_input(
            BenchmarkId::new("baseline_prost_decode", size),
            &body,
            |b, body| {
                b.iter_custom(|n| {
                    let start = Instant::now();
                    for _ in 0..n * count {
                        std::hint::black_box(Message::decode(body.clone()).unwrap());
                    }
                    start.elapsed()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
