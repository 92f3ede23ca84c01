// The values are stout's test inputs, which happen to approximate pi.
#![allow(clippy::approx_constant)]

use stout::Duration;

fn secs(n: i64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn comparison() {
    assert_eq!(Duration::ZERO, secs(0));
    assert_eq!(Duration::from_mins(180), Duration::from_hrs(3));
    assert_eq!(secs(10800), Duration::from_hrs(3));
    assert_eq!(Duration::from_millis(10_800_000), Duration::from_hrs(3));
    assert_eq!(Duration::from_millis(1), Duration::from_micros(1000));
    assert_eq!(Duration::from_millis(1000), secs(1));
    assert!(Duration::from_weeks(1) > Duration::from_days(6));
    assert!(Duration::from_hrs(23) < Duration::from_days(1));
    assert!(Duration::from_hrs(24) <= Duration::from_days(1));
    assert!(Duration::from_hrs(24) >= Duration::from_days(1));
    assert_ne!(Duration::from_mins(59), Duration::from_hrs(1));
    // Nanosecond precision still holds a century out.
    let century = Duration::from_weeks(5217);
    assert!(century + Duration::from_nanos(1) > century);
    assert!(century - Duration::from_nanos(1) < century);
}

#[test]
fn parse_and_try() {
    assert_eq!(Duration::parse("3hrs").unwrap(), Duration::from_hrs(3));
    assert_eq!(
        Duration::parse("3.5hrs").unwrap(),
        Duration::from_hrs(3) + Duration::from_mins(30)
    );
    assert!(Duration::parse("9223372036854775807seconds").is_err());
    assert_eq!(
        Duration::create(3.141592653).unwrap(),
        Duration::from_nanos(3_141_592_653)
    );
    // Just beyond what an i64 of nanoseconds holds, either way.
    assert!(Duration::create(10.0 * 1e9).is_err());
    assert!(Duration::create(-10.0 * 1e9).is_err());
}

#[test]
fn arithmetic() {
    let mut d = secs(11);
    d += secs(9);
    assert_eq!(d, secs(20));

    let mut d = secs(11);
    d -= secs(21);
    assert_eq!(d, secs(-10));

    let mut d = secs(10);
    d *= 2;
    assert_eq!(d, secs(20));

    let mut d = secs(10);
    d /= 2.5;
    assert_eq!(d, secs(4));

    assert_eq!(secs(11) + secs(9), secs(20));
    assert_eq!(secs(11) - secs(21), secs(-10));
    assert_eq!(secs(10) * 0.25, Duration::create(2.5).unwrap());
    assert_eq!(secs(10) / 8, Duration::create(1.25).unwrap());
    assert_eq!(
        Duration::from_days(11) + secs(9),
        Duration::create(Duration::from_days(11).secs() + 9.0).unwrap()
    );
}

#[test]
fn output_format() {
    let cases = [
        (Duration::from_nanos(1), "1ns"),
        (Duration::from_nanos(2), "2ns"),
        // Truncated to whole nanoseconds by create.
        (
            Duration::create(3.14159265358979).unwrap(),
            "3.141592653secs",
        ),
        (Duration::create(3.14).unwrap(), "3140ms"),
        (Duration::from_hrs(10), "10hrs"),
        (Duration::from_hrs(-10), "-10hrs"),
        // "10days" reads better than "1.42857142857143weeks".
        (Duration::from_days(10), "10days"),
        (
            Duration::from_days(1) + Duration::from_hrs(4) + Duration::from_mins(30),
            "1.1875days",
        ),
        (Duration::from_days(14), "2weeks"),
        (Duration::ZERO, "0ns"),
        (Duration::MAX, "15250.2844524715weeks"),
        (Duration::MIN, "-15250.2844524715weeks"),
    ];
    for (duration, expected) in cases {
        assert_eq!(duration.to_string(), expected);
    }
}

// Beyond the C++ suite: every form the Mesos documentation uses parses,
// prints back in stout's notation, and bad input is an error naming it.
#[test]
fn documented_forms() {
    let cases = [
        ("500ms", "500ms"),
        ("1secs", "1secs"),
        ("1sec", "1secs"),
        ("15secs", "15secs"),
        ("60secs", "1mins"),
        ("1mins", "1mins"),
        ("1min", "1mins"),
        ("1.5mins", "90secs"),
        ("6hrs", "6hrs"),
        ("3days", "3days"),
        ("1weeks", "1weeks"),
        ("2weeks", "2weeks"),
        ("0secs", "0ns"),
        ("0ns", "0ns"),
        ("250us", "250us"),
        (".5secs", "500ms"),
    ];
    for (text, printed) in cases {
        let d: Duration = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(d.to_string(), printed, "{text}");
        assert_eq!(Duration::parse(&d.to_string()).unwrap(), d, "{text}");
    }
}

#[test]
fn parse_errors() {
    let cases = [
        ("", "Invalid duration ''"),
        ("10", "Invalid duration '10'"),
        ("secs", "Failed to convert '' to number"),
        ("-1secs", "Failed to convert '' to number"),
        ("1.2.3secs", "Failed to convert '1.2.3' to number"),
        (
            "3 secs",
            "Unknown duration unit ' secs'; supported units are 'ns', 'us', 'ms', 'secs', \
             'mins', 'hrs', 'days', and 'weeks'",
        ),
        (
            "99999999999weeks",
            "Argument out of the range that a Duration can represent due to int64_t's size limit",
        ),
    ];
    for (text, message) in cases {
        let error = Duration::parse(text).expect_err(text);
        assert_eq!(error.message(), message, "{text}");
    }
}

#[test]
fn std_conversions() {
    let d = Duration::from_millis(1500);
    assert_eq!(d.to_std(), Some(std::time::Duration::from_millis(1500)));
    assert_eq!(Duration::from(std::time::Duration::from_millis(1500)), d);
    assert_eq!(secs(-1).to_std(), None);
    assert_eq!(Duration::from(std::time::Duration::MAX), Duration::MAX);
    // Saturating arithmetic instead of overflow.
    assert_eq!(Duration::MAX + secs(1), Duration::MAX);
    assert_eq!(Duration::MIN - secs(1), Duration::MIN);
    assert_eq!(-Duration::MIN, Duration::MAX);
}
