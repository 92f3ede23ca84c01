use std::sync::Arc;

use libprocess::http;
use libprocess::metrics::{
    self, Counter, Metric, PullGauge, PushGauge, Timer, Unit, TIME_SERIES_WINDOW,
};
use libprocess::testing;
use libprocess::{
    dispatch, dispatch_method, spawn, terminate, wait, Clock, Future, Process, Promise, UPID,
};

use crate::http_test::listening;
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

/// GET `/metrics/snapshot?<query>` on this runtime.
fn get_snapshot(query: Option<&str>) -> http::Response {
    let metrics = UPID::new("metrics", libprocess::address());
    testing::await_ready(&http::get(
        &metrics,
        "snapshot",
        query,
        http::Headers::new(),
    ))
}

fn snapshot_values(response: &http::Response) -> serde_json::Map<String, serde_json::Value> {
    assert_eq!("200 OK", response.status());
    assert_eq!(
        Some("application/json"),
        response.headers.get("Content-Type")
    );
    match serde_json::from_slice(&response.body_bytes()) {
        Ok(serde_json::Value::Object(values)) => values,
        other => panic!("not a JSON object: {:?}", other),
    }
}

#[test]
fn snapshot_alphabetical() {
    let _rt = listening();
    Clock::pause();
    Clock::advance(Duration::from_secs(1));
    let names = ["test/f", "test/e", "test/d", "test/c", "test/b", "test/a"];
    let counters: Vec<Counter> = names.iter().map(|n| Counter::new(*n)).collect();
    for counter in &counters {
        testing::await_ready(&metrics::add(counter.clone()));
    }
    let response = get_snapshot(None);
    let json = String::from_utf8_lossy(&response.body_bytes()).to_string();
    let positions: Vec<usize> = ["test/a", "test/b", "test/c", "test/d", "test/e", "test/f"]
        .iter()
        .map(|k| json.find(&format!("\"{}\"", k)).expect("key present"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
    for counter in &counters {
        testing::await_ready(&metrics::remove(counter));
    }
}

#[test]
fn threadsafe_snapshot() {
    let _rt = listening();
    Clock::pause();
    let pid = spawn(PullGaugeProcess { pending: None });
    let (p1, p2) = (pid.clone(), pid.clone());
    let gauges = [
        PullGauge::new("test/gauge", move || dispatch(&p1, |g| g.get()).flatten()),
        PullGauge::new("test/gauge_fail", move || {
            dispatch(&p2, |g| g.fail()).flatten()
        }),
        PullGauge::new("test/gauge_const", || Future::ready(99.0)),
    ];
    for gauge in &gauges {
        testing::await_ready(&metrics::add(gauge.clone()));
    }
    let counter = Counter::new("test/counter");
    testing::await_ready(&metrics::add(counter.clone()));

    // Past the endpoint's rate limit.
    Clock::advance(Duration::from_secs(1));
    let values = snapshot_values(&get_snapshot(None));
    let value = |key: &str| values.get(key).and_then(|v| v.as_f64());
    assert_eq!(Some(0.0), value("test/counter"));
    assert_eq!(Some(42.0), value("test/gauge"));
    assert_eq!(Some(99.0), value("test/gauge_const"));
    assert!(!values.contains_key("test/gauge_fail"));

    for gauge in &gauges {
        testing::await_ready(&metrics::remove(gauge));
    }
    testing::await_ready(&metrics::remove(&counter));
    Clock::advance(Duration::from_secs(1));
    Clock::settle();
    let values = snapshot_values(&get_snapshot(None));
    for key in [
        "test/counter",
        "test/gauge",
        "test/gauge_fail",
        "test/gauge_const",
    ] {
        assert!(!values.contains_key(key), "{key}");
    }
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn threadsafe_snapshot_timeout() {
    let _rt = listening();
    Clock::pause();
    Clock::advance(Duration::from_secs(1));
    let response = get_snapshot(Some("timeout=foobar"));
    assert_eq!("400 Bad Request", response.status());

    Clock::advance(Duration::from_secs(1));
    let pid = spawn(PullGaugeProcess { pending: None });
    let (p1, p2, p3) = (pid.clone(), pid.clone(), pid.clone());
    let gauges = [
        PullGauge::new("test/gauge", move || dispatch(&p1, |g| g.get()).flatten()),
        PullGauge::new("test/gauge_fail", move || {
            dispatch(&p2, |g| g.fail()).flatten()
        }),
        PullGauge::new("test/gauge_timeout", move || {
            dispatch_method(&p3, PullGaugeProcess::pending, ()).flatten()
        }),
    ];
    for gauge in &gauges {
        testing::await_ready(&metrics::add(gauge.clone()));
    }
    let counter = Counter::new("test/counter");
    testing::await_ready(&metrics::add(counter.clone()));

    Clock::advance(Duration::from_secs(1));
    let asked = testing::future_dispatch(&pid, PullGaugeProcess::pending);
    let metrics = UPID::new("metrics", libprocess::address());
    let response = http::get(
        &metrics,
        "snapshot",
        Some("timeout=2secs"),
        http::Headers::new(),
    );
    // The snapshot waits for the pending gauge until the timeout.
    testing::await_ready(&asked);
    Clock::settle();
    assert!(response.is_pending());
    Clock::advance(Duration::from_secs(2));
    let values = snapshot_values(&testing::await_ready(&response));
    assert_eq!(
        Some(0.0),
        values.get("test/counter").and_then(|v| v.as_f64())
    );
    assert_eq!(
        Some(42.0),
        values.get("test/gauge").and_then(|v| v.as_f64())
    );
    assert!(!values.contains_key("test/gauge_fail"));
    assert!(!values.contains_key("test/gauge_timeout"));

    for gauge in &gauges {
        testing::await_ready(&metrics::remove(gauge));
    }
    testing::await_ready(&metrics::remove(&counter));
    Clock::advance(Duration::from_secs(1));
    Clock::settle();
    let values = snapshot_values(&get_snapshot(Some("timeout=2secs")));
    for key in [
        "test/counter",
        "test/gauge",
        "test/gauge_fail",
        "test/gauge_timeout",
    ] {
        assert!(!values.contains_key(key), "{key}");
    }
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn snapshot_jsonp() {
    let _rt = listening();
    let response = get_snapshot(Some("jsonp=callback"));
    assert_eq!(
        Some("text/javascript"),
        response.headers.get("Content-Type")
    );
    let body = String::from_utf8_lossy(&response.body_bytes()).to_string();
    assert!(
        body.starts_with("callback({") && body.ends_with("})"),
        "{body}"
    );
}

// Beyond the C++ suite: what the snapshot tests check over HTTP, through
// the in-process API (no endpoint, no rate limit).
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
    // Only the host's gauges (the `System` process') are left.
    let values = testing::await_ready(&metrics::snapshot(Some(Duration::from_secs(2))));
    assert!(values.keys().all(|name| name.starts_with("system/")));
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn snapshot_statistics() {
    let _rt = listening();
    let counter = counter_with_ten_increments();
    let values: std::collections::BTreeMap<String, f64> = snapshot_values(&get_snapshot(None))
        .into_iter()
        .map(|(k, v)| (k, v.as_f64().expect("a number")))
        .collect();
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
    let ours = values.keys().filter(|k| !k.starts_with("system/"));
    assert_eq!(ours.count(), expected.len());
    let _keep = Arc::new(counter);
}

// libprocess' `System` process: the host's CPUs, load and memory, read
// when the snapshot is taken.
#[test]
fn system_metrics() {
    let _rt = testing::runtime();
    let values = testing::await_ready(&metrics::snapshot(None));
    for name in [
        "system/cpus_total",
        "system/load_1min",
        "system/load_5min",
        "system/load_15min",
        "system/mem_total_bytes",
        "system/mem_free_bytes",
    ] {
        assert!(values.contains_key(name), "{name} missing");
    }
    assert!(values["system/cpus_total"] >= 1.0);
    assert!(values["system/mem_total_bytes"] > 0.0);
    assert!(values["system/mem_free_bytes"] <= values["system/mem_total_bytes"]);
}
