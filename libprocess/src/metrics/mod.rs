//! Metrics (libprocess' `process::metrics`): counters, gauges and timers
//! registered by name, and a snapshot of all of them in key order (what
//! `/metrics/snapshot` serves).

mod counter;
mod endpoint;
mod gauge;
mod statistics;
mod system;
mod timer;
mod timeseries;

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::Mutex;
use stout::Duration;

pub use counter::Counter;
pub(crate) use endpoint::serve;
pub use gauge::{PullGauge, PushGauge};
pub use statistics::{Interpolate, Statistics};
pub use timer::{Timer, Unit};
pub use timeseries::{TimeSeries, Value, TIME_SERIES_CAPACITY, TIME_SERIES_WINDOW};

use crate::runtime::Inner;
use crate::{await_all, Future, Outcome};

/// A named value that can be read at snapshot time.
pub trait Metric: Send + Sync + 'static {
    /// The key in the snapshot (`master/tasks_running`).
    fn name(&self) -> &str;

    /// The current value; may fail or take a while.
    fn value(&self) -> Future<f64>;

    /// Statistics over the metric's history, if it keeps one.
    fn statistics(&self) -> Option<Statistics<f64>>;
}

impl Metric for Box<dyn Metric> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn value(&self) -> Future<f64> {
        (**self).value()
    }

    fn statistics(&self) -> Option<Statistics<f64>> {
        (**self).statistics()
    }
}

/// The metrics of one runtime, by name.
#[derive(Default)]
pub(crate) struct Registry {
    metrics: Mutex<BTreeMap<String, Arc<dyn Metric>>>,
}

impl Registry {
    /// A registry holding the host's `system/*` gauges, which libprocess'
    /// `System` process adds when the runtime starts.
    fn with_system_gauges() -> Arc<Registry> {
        let registry = Registry::default();
        {
            let mut metrics = registry.metrics.lock();
            for gauge in system::gauges() {
                metrics.insert(gauge.name().to_string(), Arc::new(gauge));
            }
        }
        Arc::new(registry)
    }
}

fn registry() -> Arc<Registry> {
    Inner::with(|inner| {
        inner
            .metrics
            .get_or_init(Registry::with_system_gauges)
            .clone()
    })
}

/// Registers `metric` under its name; fails with `Metric '<name>' was
/// already added` for a taken name.
pub fn add(metric: impl Metric) -> Future<()> {
    let registry = registry();
    let mut metrics = registry.metrics.lock();
    let name = metric.name().to_string();
    if metrics.contains_key(&name) {
        return Future::failed(format!("Metric '{}' was already added", name));
    }
    metrics.insert(name, Arc::new(metric));
    Future::ready(())
}

/// Unregisters the metric named like `metric`; fails with `Metric
/// '<name>' not found`.
pub fn remove(metric: &impl Metric) -> Future<()> {
    let registry = registry();
    let removed = registry.metrics.lock().remove(metric.name());
    match removed {
        Some(_) => Future::ready(()),
        None => Future::failed(format!("Metric '{}' not found", metric.name())),
    }
}

/// Every metric's value, and for metrics with a history `<name>/count`,
/// `/min`, `/max`, `/p50`, `/p90`, `/p95`, `/p99`, `/p999` and `/p9999`.
/// Values that fail, or are still pending after `timeout`, are left out.
pub fn snapshot(timeout: Option<Duration>) -> Future<BTreeMap<String, f64>> {
    let metrics: Vec<Arc<dyn Metric>> = registry().metrics.lock().values().cloned().collect();
    let names: Vec<String> = metrics.iter().map(|m| m.name().to_string()).collect();
    let values: Vec<Future<f64>> = metrics.iter().map(|m| m.value()).collect();
    let statistics: Vec<Option<Statistics<f64>>> = metrics.iter().map(|m| m.statistics()).collect();

    let all = await_all(values.clone()).map(|_| ());
    let waited = match timeout {
        Some(timeout) => all.after(timeout, |all| {
            all.discard();
            Future::ready(())
        }),
        None => all,
    };
    waited.map(move |()| {
        let mut snapshot = BTreeMap::new();
        for ((name, value), statistics) in names.iter().zip(&values).zip(statistics) {
            match value.outcome() {
                Some(Outcome::Ready(value)) => {
                    snapshot.insert(name.clone(), *value);
                }
                None => tracing::warn!(metric = %name, "Exceeded timeout of the metrics snapshot"),
                _ => {}
            }
            if let Some(s) = statistics {
                let keys = [
                    ("count", s.count as f64),
                    ("min", s.min),
                    ("max", s.max),
                    ("p50", s.p50),
                    ("p90", s.p90),
                    ("p95", s.p95),
                    ("p99", s.p99),
                    ("p999", s.p999),
                    ("p9999", s.p9999),
                ];
                for (suffix, value) in keys {
                    snapshot.insert(format!("{}/{}", name, suffix), value);
                }
            }
        }
        snapshot
    })
}

/// A snapshot as Mesos serves it: a JSON object, keys in byte order,
/// every value a JSON number.
pub fn snapshot_json(snapshot: &BTreeMap<String, f64>) -> String {
    let object: serde_json::Map<String, serde_json::Value> = snapshot
        .iter()
        .map(|(k, v)| {
            let number = serde_json::Number::from_f64(*v)
                .map_or(serde_json::Value::Null, serde_json::Value::Number);
            (k.clone(), number)
        })
        .collect();
    serde_json::Value::Object(object).to_string()
}
