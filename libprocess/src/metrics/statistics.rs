//! `Statistics`: count, extremes and percentiles of a set of values.

use std::ops::{Add, Sub};

use stout::Duration;

use super::TimeSeries;

/// What percentiles need of a value type: ordering and linear
/// interpolation between two values.
pub trait Interpolate: Copy + PartialOrd {
    /// `self + (other - self) * fraction`.
    fn interpolate(self, other: Self, fraction: f64) -> Self;
}

impl Interpolate for f64 {
    fn interpolate(self, other: f64, fraction: f64) -> f64 {
        self + (other - self) * fraction
    }
}

impl Interpolate for Duration {
    fn interpolate(self, other: Duration, fraction: f64) -> Duration {
        self.add(other.sub(self) * fraction)
    }
}

/// libprocess' `Statistics<T>`; percentiles interpolate linearly between
/// the two nearest values.
#[derive(Clone, Debug, PartialEq)]
pub struct Statistics<T> {
    /// How many values.
    pub count: usize,
    /// The smallest.
    pub min: T,
    /// The largest.
    pub max: T,
    /// The 25th percentile.
    pub p25: T,
    /// The median.
    pub p50: T,
    /// The 75th percentile.
    pub p75: T,
    /// The 90th percentile.
    pub p90: T,
    /// The 95th percentile.
    pub p95: T,
    /// The 99th percentile.
    pub p99: T,
    /// The 99.9th percentile.
    pub p999: T,
    /// The 99.99th percentile.
    pub p9999: T,
}

impl<T: Interpolate> Statistics<T> {
    /// The statistics of `values`; `None` for fewer than two.
    pub fn from_values(values: impl IntoIterator<Item = T>) -> Option<Statistics<T>> {
        let mut values: Vec<T> = values.into_iter().collect();
        if values.len() < 2 {
            return None;
        }
        values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        let percentile = |p: f64| {
            let position = p * (values.len() - 1) as f64;
            let index = position.floor() as usize;
            let fraction = position - index as f64;
            match values.get(index + 1) {
                Some(next) => values[index].interpolate(*next, fraction),
                None => values[index],
            }
        };
        Some(Statistics {
            count: values.len(),
            min: values[0],
            max: values[values.len() - 1],
            p25: percentile(0.25),
            p50: percentile(0.5),
            p75: percentile(0.75),
            p90: percentile(0.9),
            p95: percentile(0.95),
            p99: percentile(0.99),
            p999: percentile(0.999),
            p9999: percentile(0.9999),
        })
    }

    /// The statistics of a series' values.
    pub fn from_series(series: &TimeSeries<T>) -> Option<Statistics<T>> {
        Statistics::from_values(series.values().iter().map(|v| v.data))
    }
}
