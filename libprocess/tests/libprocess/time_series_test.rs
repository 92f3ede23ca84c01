use libprocess::metrics::TimeSeries;
use libprocess::testing;
use libprocess::Clock;
use stout::Duration;

fn to_list(series: &TimeSeries<i32>) -> Vec<i32> {
    series.values().iter().map(|v| v.data).collect()
}

#[test]
fn set() {
    let _rt = testing::runtime();
    let mut series = TimeSeries::default();
    assert!(series.is_empty());
    series.set(1);
    assert!(!series.is_empty());
    assert_eq!(series.latest().map(|v| v.data), Some(1));
}

#[test]
fn sparsify() {
    let _rt = testing::runtime();
    Clock::pause();
    let now = Clock::now();
    let mut series = TimeSeries::new(Duration::MAX, 10);
    for i in 0..10 {
        series.set_at(i, now + Duration::from_secs(i as i64));
    }
    assert_eq!(to_list(&series), (0..10).collect::<Vec<_>>());
    let expected: [&[i32]; 10] = [
        &[0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        &[0, 2, 4, 5, 6, 7, 8, 9, 10, 11],
        &[0, 2, 4, 6, 7, 8, 9, 10, 11, 12],
        &[0, 2, 4, 6, 8, 9, 10, 11, 12, 13],
        &[0, 2, 4, 6, 8, 10, 11, 12, 13, 14],
        &[0, 4, 6, 8, 10, 11, 12, 13, 14, 15],
        &[0, 4, 8, 10, 11, 12, 13, 14, 15, 16],
        &[0, 4, 8, 11, 12, 13, 14, 15, 16, 17],
        &[0, 4, 8, 11, 13, 14, 15, 16, 17, 18],
        &[0, 4, 8, 11, 13, 15, 16, 17, 18, 19],
    ];
    for (i, expected) in (10..20).zip(expected) {
        series.set_at(i, now + Duration::from_secs(i as i64));
        assert_eq!(to_list(&series), expected, "after {i}");
    }
}

#[test]
fn truncate() {
    let _rt = testing::runtime();
    Clock::pause();
    let now = Clock::now();
    let secs = |i: i32| now + Duration::from_secs(i as i64);
    let mut series = TimeSeries::new(Duration::from_secs(10), 10);
    for i in 0..10 {
        series.set_at(i, secs(i));
    }
    assert_eq!(to_list(&series), (0..10).collect::<Vec<_>>());
    Clock::advance(Duration::from_secs(16));
    series.set_at(10, secs(10));
    assert_eq!(to_list(&series), [7, 8, 9, 10]);
    Clock::resume();

    Clock::pause();
    let now = Clock::now();
    let secs = |i: i32| now + Duration::from_secs(i as i64);
    let mut series = TimeSeries::new(Duration::from_secs(10), 10);
    for i in 0..10 {
        series.set_at(i, secs(i));
    }
    series.set_at(10, secs(10));
    assert_eq!(to_list(&series), [0, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    series.set_at(11, secs(11));
    assert_eq!(to_list(&series), [0, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
    series.set_at(12, secs(12));
    assert_eq!(to_list(&series), [0, 2, 4, 6, 7, 8, 9, 10, 11, 12]);

    Clock::advance(Duration::from_secs(12));
    series.truncate();
    assert_eq!(to_list(&series), [4, 6, 7, 8, 9, 10, 11, 12]);
    series.set_at(13, secs(13));
    series.set_at(14, secs(14));
    assert_eq!(to_list(&series), [4, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    series.set_at(15, secs(15));
    assert_eq!(to_list(&series), [4, 6, 8, 9, 10, 11, 12, 13, 14, 15]);

    Clock::advance(Duration::from_secs(7));
    series.truncate();
    assert_eq!(to_list(&series), [10, 11, 12, 13, 14, 15]);
    for i in 16..20 {
        series.set_at(i, secs(i));
    }
    assert_eq!(to_list(&series), (10..20).collect::<Vec<_>>());
    series.set_at(20, secs(20));
    assert_eq!(to_list(&series), [10, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
}
