//! What every benchmark sets up the same way: a libprocess runtime and a
//! tokio runtime with one worker per core, and a criterion group.

use std::time::Duration;

// Only the ThroughputPerformance-shaped benches use it.
#[allow(dead_code)]
pub(crate) mod pingpong;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};

/// The worker count of both runtimes: the machine's cores.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// A libprocess runtime with one worker per core.
// The transport benchmark builds a listening one of its own.
#[allow(dead_code)]
pub(crate) fn libprocess_runtime() -> libprocess::Runtime {
    libprocess::Runtime::builder().workers(cores()).build()
}

/// A multi-threaded tokio runtime with one worker per core.
// Not every benchmark has a tokio baseline.
#[allow(dead_code)]
pub(crate) fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores())
        .build()
        .expect("building a tokio runtime")
}

/// A group of 10 samples after a 1 s warm-up (the workloads are long).
pub(crate) fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
    elements: Option<u64>,
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    if let Some(elements) = elements {
        group.throughput(Throughput::Elements(elements));
    }
    group
}
