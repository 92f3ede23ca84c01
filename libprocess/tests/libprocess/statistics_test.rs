use libprocess::metrics::{Statistics, TimeSeries};
use libprocess::testing;
use libprocess::Clock;
use stout::Duration;

#[test]
fn empty() {
    let _rt = testing::runtime();
    assert!(Statistics::from_series(&TimeSeries::<f64>::default()).is_none());
}

#[test]
fn single() {
    let _rt = testing::runtime();
    let mut series = TimeSeries::<f64>::default();
    series.set(0.0);
    assert!(Statistics::from_series(&series).is_none());
}

#[test]
fn statistics_from_time_series() {
    let _rt = testing::runtime();
    Clock::pause();
    let now = Clock::now();
    let mut series = TimeSeries::<f64>::default();
    for (i, value) in (-5..=5).enumerate() {
        series.set_at(value as f64, now + Duration::from_secs(i as i64));
    }
    let s = Statistics::from_series(&series).expect("11 values");
    assert_eq!(s.count, 11);
    let expected = [
        (s.min, -5.0),
        (s.max, 5.0),
        (s.p25, -2.5),
        (s.p50, 0.0),
        (s.p75, 2.5),
        (s.p90, 4.0),
        (s.p95, 4.5),
        (s.p99, 4.9),
        (s.p999, 4.99),
        (s.p9999, 4.999),
    ];
    for (actual, expected) in expected {
        assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
    }
}

#[test]
fn statistics_from_duration_list() {
    let values = (0..=10).map(|i| Duration::from_secs(i * 10));
    let s = Statistics::from_values(values).expect("11 values");
    assert_eq!(s.count, 11);
    assert_eq!(s.min, Duration::ZERO);
    assert_eq!(s.max, Duration::from_secs(100));
    assert_eq!(s.p25, Duration::from_secs(25));
    assert_eq!(s.p50, Duration::from_secs(50));
    assert_eq!(s.p75, Duration::from_secs(75));
    assert_eq!(s.p90, Duration::from_secs(90));
}
