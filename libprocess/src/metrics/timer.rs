//! `Timer`: a metric of how long something took, in a chosen unit.

use std::sync::Arc;

use parking_lot::Mutex;
use stout::Duration;

use super::{Metric, Statistics, TimeSeries, TIME_SERIES_CAPACITY};
use crate::{Clock, Future, Time};

/// The unit a [`Timer`] reports in; it is also the suffix of its name
/// (`test/timer_ms`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// `ns`
    Nanoseconds,
    /// `us`
    Microseconds,
    /// `ms`
    Milliseconds,
    /// `secs`
    Seconds,
    /// `mins`
    Minutes,
    /// `hrs`
    Hours,
    /// `days`
    Days,
    /// `weeks`
    Weeks,
}

impl Unit {
    /// The suffix, as stout names the unit.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Nanoseconds => "ns",
            Unit::Microseconds => "us",
            Unit::Milliseconds => "ms",
            Unit::Seconds => "secs",
            Unit::Minutes => "mins",
            Unit::Hours => "hrs",
            Unit::Days => "days",
            Unit::Weeks => "weeks",
        }
    }

    /// `duration` in this unit.
    pub fn of(self, duration: Duration) -> f64 {
        match self {
            Unit::Nanoseconds => duration.ns() as f64,
            Unit::Microseconds => duration.us(),
            Unit::Milliseconds => duration.ms(),
            Unit::Seconds => duration.secs(),
            Unit::Minutes => duration.mins(),
            Unit::Hours => duration.hrs(),
            Unit::Days => duration.days(),
            Unit::Weeks => duration.weeks(),
        }
    }
}

struct State {
    unit: Unit,
    start: Option<Time>,
    last: Option<f64>,
    history: Option<TimeSeries<f64>>,
}

/// Times an operation (libprocess' `metrics::Timer<Unit>`); its value is
/// the last measurement. Clones share the state.
#[derive(Clone)]
pub struct Timer {
    name: Arc<str>,
    state: Arc<Mutex<State>>,
}

impl Timer {
    /// A timer named `<name>_<unit>`.
    pub fn new(name: impl AsRef<str>, unit: Unit) -> Timer {
        Timer::build(name.as_ref(), unit, None)
    }

    /// A timer that also keeps its measurements over `window`.
    pub fn with_window(name: impl AsRef<str>, unit: Unit, window: Duration) -> Timer {
        Timer::build(name.as_ref(), unit, Some(window))
    }

    fn build(name: &str, unit: Unit, window: Option<Duration>) -> Timer {
        Timer {
            name: format!("{}_{}", name, unit.suffix()).into(),
            state: Arc::new(Mutex::new(State {
                unit,
                start: None,
                last: None,
                history: window.map(|w| TimeSeries::new(w, TIME_SERIES_CAPACITY)),
            })),
        }
    }

    /// Starts timing now.
    pub fn start(&self) {
        self.state.lock().start = Some(Clock::now());
    }

    /// Stops timing: records and returns the time since `start` (since
    /// the epoch if never started).
    pub fn stop(&self) -> Duration {
        let start = self.state.lock().start.unwrap_or(Time::EPOCH);
        let elapsed = Clock::now() - start;
        self.record(elapsed);
        elapsed
    }

    fn record(&self, elapsed: Duration) {
        let mut state = self.state.lock();
        let value = state.unit.of(elapsed);
        state.last = Some(value);
        if let Some(history) = state.history.as_mut() {
            history.set(value);
        }
    }

    /// Times `future`: from now until it completes. Returns it.
    pub fn time<T: Send + Sync + 'static>(&self, future: Future<T>) -> Future<T> {
        let start = Clock::now();
        let timer = self.clone();
        future.on_any(move |_| timer.record(Clock::now() - start));
        future
    }
}

impl Metric for Timer {
    fn name(&self) -> &str {
        &self.name
    }

    fn value(&self) -> Future<f64> {
        match self.state.lock().last {
            Some(value) => Future::ready(value),
            None => Future::failed("No value"),
        }
    }

    fn statistics(&self) -> Option<Statistics<f64>> {
        let state = self.state.lock();
        Statistics::from_series(state.history.as_ref()?)
    }
}

impl std::fmt::Debug for Timer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Timer({})", self.name)
    }
}
