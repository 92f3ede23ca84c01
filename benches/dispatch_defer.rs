//! `Process_BENCHMARK_DispatchDefer`: 100,000 steps of a chain in which a
//! process dispatches a method to itself and continues with
//! `.then(defer(self, handler, data))`, carrying a 10,240-int payload that
//! is moved ("Movable") or copied at each step ("Copyable", as Mesos
//! copies protobufs). C++ libprocess takes 0.64 s for 100,000 steps on the
//! project's machine. Baseline in the same run: the same chain with a
//! tokio task serving closures from an mpsc channel and a oneshot reply.

mod common;

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use libprocess::{defer, dispatch, self_typed, spawn, terminate, wait, Process, Promise, Runtime};

const REPEATS: u64 = 100_000;
const PAYLOAD: usize = 10_240;

struct Chain {
    remaining: u64,
    copy: bool,
    done: Option<Promise<()>>,
}

impl Chain {
    fn handler(&mut self, data: Vec<i32>) {
        if self.remaining == 0 {
            if let Some(done) = self.done.take() {
                done.set(());
            }
            return;
        }
        self.remaining -= 1;
        let me = self_typed::<Chain>().expect("running on the process");
        let data = if self.copy { data.clone() } else { data };
        dispatch(&me, |p| p.handler_()).then(defer(&me, move |p: &mut Chain, ()| p.handler(data)));
    }

    fn handler_(&mut self) {}
}

impl Process for Chain {}

fn libprocess_run(runtime: &Runtime, copy: bool) -> Duration {
    let _enter = runtime.enter();
    let promise = Promise::new();
    let done = promise.future();
    let pid = spawn(Chain {
        remaining: REPEATS,
        copy,
        done: Some(promise),
    });
    let data = vec![1; PAYLOAD];
    let start = Instant::now();
    dispatch(&pid, move |p| p.handler(data));
    assert!(done.wait_for(stout::Duration::from_secs(600)));
    let elapsed = start.elapsed();
    terminate(&pid, true);
    wait(&pid, None);
    elapsed
}

type Job = Box<dyn FnOnce() + Send>;

fn tokio_run(runtime: &tokio::runtime::Runtime, copy: bool) -> Duration {
    runtime.block_on(async move {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Job>();
        tokio::spawn(async move {
            while let Some(job) = rx.recv().await {
                job();
            }
        });
        let start = Instant::now();
        // The chain runs in a task of the runtime, as the process does.
        let chain = tokio::spawn(async move {
            let mut data = vec![1; PAYLOAD];
            for _ in 0..REPEATS {
                let (reply, done) = tokio::sync::oneshot::channel::<()>();
                tx.send(Box::new(move || {
                    let _ = reply.send(());
                }))
                .unwrap();
                done.await.unwrap();
                let (reply, done) = tokio::sync::oneshot::channel();
                let carried = if copy { data.clone() } else { data };
                tx.send(Box::new(move || {
                    let _ = reply.send(carried);
                }))
                .unwrap();
                data = done.await.unwrap();
            }
        });
        chain.await.unwrap();
        start.elapsed()
    })
}

fn bench(c: &mut Criterion) {
    let runtime = common::libprocess_runtime();
    let tokio = common::tokio_runtime();
    let mut group = common::group(c, "Process_BENCHMARK_DispatchDefer", Some(REPEATS));
    for (name, copy) in [("Movable", false), ("Copyable", true)] {
        group.bench_function(format!("libprocess/{}", name), |b| {
            b.iter_custom(|n| (0..n).map(|_| libprocess_run(&runtime, copy)).sum())
        });
        group.bench_function(format!("baseline_tokio_mpsc/{}", name), |b| {
            b.iter_custom(|n| (0..n).map(|_| tokio_run(&tokio, copy)).sum())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
