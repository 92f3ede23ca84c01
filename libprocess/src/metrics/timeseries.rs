//! `TimeSeries`: a bounded history of values over a time window, thinned
//! out evenly when full (libprocess' `TimeSeries<T>`).

use stout::Duration;

use crate::{Clock, Time};

/// How far back a series keeps values by default (two weeks).
pub const TIME_SERIES_WINDOW: Duration = Duration::from_weeks(2);

/// How many values a series keeps by default.
pub const TIME_SERIES_CAPACITY: usize = 1000;

/// A value and when it was recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct Value<T> {
    /// When.
    pub time: Time,
    /// What.
    pub data: T,
}

/// Values in time order, at most `capacity` of them, none older than
/// `window` before [`Clock::now`] (unless that would empty the series).
/// When full, every other value of the older half is dropped, round after
/// round, so the series keeps its shape over the whole window.
#[derive(Clone, Debug)]
pub struct TimeSeries<T> {
    window: Duration,
    capacity: usize,
    values: Vec<Value<T>>,
    /// Where the next thinning removes a value.
    next: Option<usize>,
}

impl<T: Clone> TimeSeries<T> {
    /// A series over `window` keeping at most `capacity` values (at least 3).
    pub fn new(window: Duration, capacity: usize) -> TimeSeries<T> {
        TimeSeries {
            window,
            capacity: capacity.max(3),
            values: Vec::new(),
            next: None,
        }
    }

    /// Records `data` at `time` (a value already at that time is replaced).
    pub fn set_at(&mut self, data: T, time: Time) {
        if self.values.last().is_some_and(|last| time < last.time) {
            self.next = None;
        }
        match self.values.binary_search_by(|v| v.time.cmp(&time)) {
            Ok(i) => self.values[i].data = data,
            Err(i) => self.values.insert(i, Value { time, data }),
        }
        self.truncate();
        self.sparsify();
    }

    /// Records `data` now.
    pub fn set(&mut self, data: T) {
        self.set_at(data, Clock::now());
    }

    /// The values recorded from `start` to `stop`, both included.
    pub fn get(&self, start: Time, stop: Time) -> Vec<Value<T>> {
        self.values
            .iter()
            .filter(|v| v.time >= start && v.time <= stop)
            .cloned()
            .collect()
    }

    /// Every value, oldest first.
    pub fn values(&self) -> &[Value<T>] {
        &self.values
    }

    /// The newest value.
    pub fn latest(&self) -> Option<&Value<T>> {
        self.values.last()
    }

    /// Whether no value is recorded.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Drops the values older than the window, unless that is all of them.
    pub fn truncate(&mut self) {
        let cutoff = Clock::now() - self.window;
        let expired = self.values.partition_point(|v| v.time <= cutoff);
        if self.values.len() <= 1 || expired == self.values.len() {
            return;
        }
        self.values.drain(..expired);
        self.next = match self.next {
            Some(next) if expired < next => Some(next - expired),
            _ => None,
        };
    }

    fn sparsify(&mut self) {
        while self.values.len() > self.capacity {
            let size = self.values.len();
            let next = match self.next {
                Some(next) if next <= size / 2 => next,
                _ => 1,
            };
            self.values.remove(next);
            // The value after the removed one survives this round.
            self.next = Some(next + 1);
        }
    }
}

impl<T: Clone> Default for TimeSeries<T> {
    fn default() -> TimeSeries<T> {
        TimeSeries::new(TIME_SERIES_WINDOW, TIME_SERIES_CAPACITY)
    }
}
