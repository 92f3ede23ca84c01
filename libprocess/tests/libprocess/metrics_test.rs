use std::sync::Arc;

use libprocess::metrics::{
    self, Counter, Metric, PullGauge, PushGauge, Timer, Unit, TIME_SERIES_WINDOW,
};
use libprocess::testing;
use libprocess::{dispatch, spawn, terminate, wait, Clock, Future, Process, Promise};
use stout::Duration;

#[test]
fn counter() {
    let _rt = testing::runtime();
    let counter = Counter::new("test/counter");
    testing::await_ready(&metrics::add(counter.clone()));
    testing::await_eq(0.0, &counter.value());
    counter.increment();
    testing::await_eq(1.0, &counter.value());
    counter.increment();
    testing::await_eq(2.0, &counter.value());
    counter.reset();
    testing::await_eq(0.0, &counter.value());
    counter.add(42);
    testing::await_eq(42.0, &counter.value());
    assert!(counter.statistics().is_none());
    testing::await_ready(&metrics::remove(&counter));
}

struct PullGaugeProcess {
    pending: Option<Promise<f64>>,
}

impl PullGaugeProcess {
    fn get(&mut self) -> Future<f64> {
        Future::ready(42.0)
    }

    fn fail(&mut self) -> Future<f64> {
        Future::failed("failure")
    }

    fn pending(&mut self) -> Future<f64> {
        let promise = Promise::new();
        let future = promise.future();
        self.pending = Some(promise);
        future
    }
}

impl Process for PullGaugeProcess {}

#[test]
fn pull_gauge() {
    let _rt = testing::runtime();
    let pid = spawn(PullGaugeProcess { pending: None });
    let p = pid.clone();
    let gauge = PullGauge::new("test/gauge", move || dispatch(&p, |g| g.get()).flatten());
    testing::await_ready(&metrics::add(gauge.clone()));
    testing::await_eq(42.0, &gauge.value());
    testing::await_ready(&metrics::remove(&gauge));

    let p = pid.clone();
    let gauge = PullGauge::new("test/failedgauge", move || {
        dispatch(&p, |g| g.fail()).flatten()
    });
    testing::await_ready(&metrics::add(gauge.clone()));
    testing::await_failed(&gauge.value());
    testing::await_ready(&metrics::remove(&gauge));

    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn push_gauge() {
    let _rt = testing::runtime();
    let gauge = PushGauge::new("test/gauge");
    testing::await_ready(&metrics::add(gauge.clone()));
    testing::await_eq(0.0, &gauge.value());
    gauge.increment();
    testing::await_eq(1.0, &gauge.value());
    gauge.add(42.0);
    testing::await_eq(43.0, &gauge.value());
    gauge.decrement();
    testing::await_eq(42.0, &gauge.value());
    gauge.sub(42.0);
    testing::await_eq(0.0, &gauge.value());
    gauge.set(42.0);
    testing::await_eq(42.0, &gauge.value());
    assert!(gauge.statistics().is_none());
    testing::await_ready(&metrics::remove(&gauge));
}

fn counter_with_ten_increments() -> Counter {
    let counter = Counter::with_window("test/counter", TIME_SERIES_WINDOW);
    Clock::pause();
    testing::await_ready(&metrics::add(counter.clone()));
    for _ in 0..10 {
        Clock::advance(Duration::from_secs(1));
        counter.increment();
    }
    counter
}

#[test]
fn statistics() {
    let _rt = testing::runtime();
    let counter = counter_with_ten_increments();
    let s = counter.statistics().expect("a history of 11 values");
    assert_eq!(s.count, 11);
    let expected = [
        (s.min, 0.0),
        (s.max, 10.0),
        (s.p50, 5.0),
        (s.p90, 9.0),
        (s.p95, 9.5),
        (s.p99, 9.9),
        (s.p999, 9.99),
        (s.p9999, 9.999),
    ];
    for (actual, expected) in expected {
        assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
    }
    testing::await_ready(&metrics::remove(&counter));
}

#[test]
fn timer() {
    let _rt = testing::runtime();
    let timer = Timer::new("test/timer", Unit::Nanoseconds);
    assert_eq!(timer.name(), "test/timer_ns");
    testing::await_ready(&metrics::add(timer.clone()));
    // Stopping a timer that never started is fine.
    timer.stop();
    Clock::pause();
    timer.start();
    Clock::advance(Duration::from_micros(1));
    timer.stop();
    testing::await_eq(1000.0, &timer.value());
    timer.stop();
    testing::await_ready(&metrics::remove(&timer));
}

#[test]
fn async_timer() {
    let _rt = testing::runtime();
    let timer = Timer::new("test/timer", Unit::Microseconds);
    assert_eq!(timer.name(), "test/timer_us");
    testing::await_ready(&metrics::add(timer.clone()));
    Clock::pause();
    let advance_and_return = || {
        Clock::advance(Duration::from_secs(1));
        Future::ready(42)
    };
    // The argument is evaluated first: the future is ready when timing
    // starts, so the timer measures zero.
    let result = timer.time(advance_and_return());
    Clock::advance(Duration::from_secs(1));
    testing::await_eq(42, &result);
    testing::await_eq(0.0, &timer.value());
    testing::await_ready(&metrics::remove(&timer));
}

// The C++ test reads `/metrics/snapshot` over HTTP; until the transport
// serves it, the same JSON comes from `metrics::snapshot_json`.
#[test]
fn snapshot_alphabetical() {
    let _rt = testing::runtime();
    Clock::pause();
    let names = ["test/f", "test/e", "test/d", "test/c", "test/b", "test/a"];
    let counters: Vec<Counter> = names.iter().map(|n| Counter::new(*n)).collect();
    for counter in &counters {
        testing::await_ready(&metrics::add(counter.clone()));
    }
    let json = metrics::snapshot_json(&testing::await_ready(&metrics::snapshot(None)));
    let positions: Vec<usize> = ["test/a", "test/b", "test/c", "test/d", "test/e", "test/f"]
        .iter()
        .map(|k| json.find(&format!("\"{}\"", k)).expect("key present"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
    for counter in &counters {
        testing::await_ready(&metrics::remove(counter));
    }
}

// The rest of the C++ snapshot tests (THREADSAFE_Snapshot,
// SnapshotTimeout, SnapshotStatistics) through the in-process API.
#[test]
fn snapshot() {
    let _rt = testing::runtime();
    let pid = spawn(PullGaugeProcess { pending: None });
    Clock::pause();
    let (p1, p2, p3) = (pid.clone(), pid.clone(), pid.clone());
    let gauges = [
        PullGauge::new("test/gauge", move || dispatch(&p1, |g| g.get()).flatten()),
        PullGauge::new("test/gauge_fail", move || {
            dispatch(&p2, |g| g.fail()).flatten()
        }),
        PullGauge::new("test/gauge_timeout", move || {
            dispatch(&p3, |g| g.pending()).flatten()
        }),
        PullGauge::new("test/gauge_const", || Future::ready(99.0)),
    ];
    for gauge in &gauges {
        testing::await_ready(&metrics::add(gauge.clone()));
    }
    let counter = Counter::new("test/counter");
    testing::await_ready(&metrics::add(counter.clone()));

    let snapshot = metrics::snapshot(Some(Duration::from_secs(2)));
    Clock::settle();
    assert!(snapshot.is_pending());
    Clock::advance(Duration::from_secs(2));
    let values = testing::await_ready(&snapshot);
    assert_eq!(values.get("test/counter"), Some(&0.0));
    assert_eq!(values.get("test/gauge"), Some(&42.0));
    assert_eq!(values.get("test/gauge_const"), Some(&99.0));
    assert!(!values.contains_key("test/gauge_fail"));
    assert!(!values.contains_key("test/gauge_timeout"));

    // A name can be added once.
    assert_eq!(
        testing::await_failed(&metrics::add(Counter::new("test/counter"))),
        "Metric 'test/counter' was already added"
    );
    for gauge in &gauges {
        testing::await_ready(&metrics::remove(gauge));
    }
    testing::await_ready(&metrics::remove(&counter));
    assert_eq!(
        testing::await_failed(&metrics::remove(&counter)),
        "Metric 'test/counter' not found"
    );
    let values = testing::await_ready(&metrics::snapshot(Some(Duration::from_secs(2))));
    assert!(values.is_empty());
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn snapshot_statistics() {
    let _rt = testing::runtime();
    let counter = counter_with_ten_increments();
    let values = testing::await_ready(&metrics::snapshot(None));
    let expected = [
        ("test/counter", 10.0),
        ("test/counter/count", 11.0),
        ("test/counter/min", 0.0),
        ("test/counter/max", 10.0),
        ("test/counter/p50", 5.0),
        ("test/counter/p90", 9.0),
        ("test/counter/p95", 9.5),
        ("test/counter/p99", 9.9),
        ("test/counter/p999", 9.99),
        ("test/counter/p9999", 9.999),
    ];
    for (key, value) in expected {
        let actual = values[key];
        assert!((actual - value).abs() < 1e-9, "{key}: {actual} != {value}");
    }
    assert_eq!(values.len(), expected.len());
    let _keep = Arc::new(counter);
}
