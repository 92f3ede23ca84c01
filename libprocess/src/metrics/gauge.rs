//! Gauges: `PushGauge` holds a value the code sets; `PullGauge` asks a
//! function for it at snapshot time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::{Metric, Statistics};
use crate::Future;

struct State {
    name: String,
    /// The `f64`'s bits.
    value: AtomicU64,
}

/// A gauge whose value the code sets (libprocess' `PushGauge`). Clones
/// share the value.
#[derive(Clone)]
pub struct PushGauge {
    state: Arc<State>,
}

impl PushGauge {
    /// A gauge at zero.
    pub fn new(name: impl Into<String>) -> PushGauge {
        PushGauge {
            state: Arc::new(State {
                name: name.into(),
                value: AtomicU64::new(0f64.to_bits()),
            }),
        }
    }

    fn update(&self, f: impl Fn(f64) -> f64) {
        let _ = self
            .state
            .value
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |bits| {
                Some(f(f64::from_bits(bits)).to_bits())
            });
    }

    /// Sets the value (`gauge = v`).
    pub fn set(&self, value: f64) {
        self.state.value.store(value.to_bits(), Ordering::Release);
    }

    /// Adds one.
    pub fn increment(&self) {
        self.update(|v| v + 1.0);
    }

    /// Subtracts one.
    pub fn decrement(&self) {
        self.update(|v| v - 1.0);
    }

    /// Adds `n`.
    pub fn add(&self, n: f64) {
        self.update(|v| v + n);
    }

    /// Subtracts `n`.
    pub fn sub(&self, n: f64) {
        self.update(|v| v - n);
    }

    /// The value now.
    pub fn get(&self) -> f64 {
        f64::from_bits(self.state.value.load(Ordering::Acquire))
    }
}

impl Metric for PushGauge {
    fn name(&self) -> &str {
        &self.state.name
    }

    fn value(&self) -> Future<f64> {
        Future::ready(self.get())
    }

    fn statistics(&self) -> Option<Statistics<f64>> {
        None
    }
}

impl std::fmt::Debug for PushGauge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PushGauge({} = {})", self.state.name, self.get())
    }
}

type Pull = dyn Fn() -> Future<f64> + Send + Sync;

/// A gauge computed when read (libprocess' `PullGauge`): typically a
/// dispatch to the process owning the value, which may fail or take a
/// while (a snapshot leaves such values out).
#[derive(Clone)]
pub struct PullGauge {
    name: Arc<str>,
    pull: Arc<Pull>,
}

impl PullGauge {
    /// A gauge whose value `pull` produces.
    pub fn new(
        name: impl Into<String>,
        pull: impl Fn() -> Future<f64> + Send + Sync + 'static,
    ) -> PullGauge {
        PullGauge {
            name: name.into().into(),
            pull: Arc::new(pull),
        }
    }
}

impl Metric for PullGauge {
    fn name(&self) -> &str {
        &self.name
    }

    fn value(&self) -> Future<f64> {
        (self.pull)()
    }

    fn statistics(&self) -> Option<Statistics<f64>> {
        None
    }
}

impl std::fmt::Debug for PullGauge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PullGauge({})", self.name)
    }
}
