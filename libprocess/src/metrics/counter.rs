//! `Counter`: a monotonically changing integer metric.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use stout::Duration;

use super::{Metric, Statistics, TimeSeries, TIME_SERIES_CAPACITY};
use crate::Future;

struct State {
    name: String,
    value: AtomicI64,
    history: Option<Mutex<TimeSeries<f64>>>,
}

/// A counter (libprocess' `metrics::Counter`). Clones share the count, so
/// the copy added to the registry sees every increment.
#[derive(Clone)]
pub struct Counter {
    state: Arc<State>,
}

impl Counter {
    /// A counter at zero.
    pub fn new(name: impl Into<String>) -> Counter {
        Counter::build(name.into(), None)
    }

    /// A counter that also keeps its history over `window`, for
    /// statistics.
    pub fn with_window(name: impl Into<String>, window: Duration) -> Counter {
        Counter::build(name.into(), Some(window))
    }

    fn build(name: String, window: Option<Duration>) -> Counter {
        let counter = Counter {
            state: Arc::new(State {
                name,
                value: AtomicI64::new(0),
                history: window.map(|w| Mutex::new(TimeSeries::new(w, TIME_SERIES_CAPACITY))),
            }),
        };
        counter.push(0);
        counter
    }

    fn push(&self, value: i64) {
        if let Some(history) = &self.state.history {
            history.lock().set(value as f64);
        }
    }

    /// Adds one (`++counter`).
    pub fn increment(&self) {
        self.add(1);
    }

    /// Adds `n` (`counter += n`).
    pub fn add(&self, n: i64) {
        let value = self.state.value.fetch_add(n, Ordering::AcqRel) + n;
        self.push(value);
    }

    /// Back to zero.
    pub fn reset(&self) {
        self.state.value.store(0, Ordering::Release);
        self.push(0);
    }

    /// The count now.
    pub fn get(&self) -> i64 {
        self.state.value.load(Ordering::Acquire)
    }
}

impl Metric for Counter {
    fn name(&self) -> &str {
        &self.state.name
    }

    fn value(&self) -> Future<f64> {
        Future::ready(self.get() as f64)
    }

    fn statistics(&self) -> Option<Statistics<f64>> {
        let history = self.state.history.as_ref()?;
        Statistics::from_series(&history.lock())
    }
}

impl std::fmt::Debug for Counter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Counter({} = {})", self.state.name, self.get())
    }
}
