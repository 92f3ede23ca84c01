use stout::Bytes;

#[test]
fn parse() {
    assert_eq!(Bytes::parse("1TB").unwrap(), Bytes::terabytes(1));
    assert_eq!(Bytes::parse("1GB").unwrap(), Bytes::gigabytes(1));
    assert_eq!(Bytes::parse("1MB").unwrap(), Bytes::megabytes(1));
    assert_eq!(Bytes::parse("1KB").unwrap(), Bytes::kilobytes(1));
    assert_eq!(Bytes::parse("1B").unwrap(), Bytes::new(1));

    // Fractional bytes are not supported.
    assert!(Bytes::parse("1.5B").is_err());
    assert!(Bytes::parse("1.5GB").is_err());

    // Unknown unit.
    assert!(Bytes::parse("1PB").is_err());
}

#[test]
fn arithmetic() {
    assert_eq!(
        Bytes::gigabytes(512) + Bytes::gigabytes(512),
        Bytes::terabytes(1)
    );
    assert_eq!(
        Bytes::terabytes(2) - Bytes::terabytes(1),
        Bytes::terabytes(1)
    );
    assert_eq!(Bytes::gigabytes(1) * 1024, Bytes::terabytes(1));
    assert_eq!(Bytes::terabytes(1) / 1024, Bytes::gigabytes(1));
}

#[test]
fn comparison() {
    assert!(Bytes::terabytes(1) > Bytes::gigabytes(1));
    assert!(Bytes::gigabytes(1) > Bytes::megabytes(1));
    assert!(Bytes::megabytes(1) > Bytes::kilobytes(1));
    assert!(Bytes::kilobytes(1) > Bytes::new(1));
    assert_eq!(Bytes::new(1024), Bytes::kilobytes(1));
    assert!(Bytes::new(1023) < Bytes::kilobytes(1));
    assert!(Bytes::new(1025) > Bytes::kilobytes(1));
}

#[test]
fn stringify() {
    assert_ne!(Bytes::megabytes(1023), Bytes::gigabytes(1));
    let cases = [
        (Bytes::default(), "0B"),
        (Bytes::kilobytes(1), "1KB"),
        (Bytes::megabytes(1), "1MB"),
        (Bytes::gigabytes(1), "1GB"),
        (Bytes::terabytes(1), "1TB"),
        (Bytes::new(1023), "1023B"),
        (Bytes::kilobytes(1023), "1023KB"),
        (Bytes::megabytes(1023), "1023MB"),
        (Bytes::gigabytes(1023), "1023GB"),
    ];
    for (bytes, expected) in cases {
        assert_eq!(bytes.to_string(), expected);
    }
}

// Beyond the C++ suite: the forms Mesos' documentation uses, and the error
// texts for bad input.
#[test]
fn documented_forms_and_errors() {
    assert_eq!(Bytes::parse("2 GB").unwrap(), Bytes::gigabytes(2));
    assert_eq!(Bytes::parse("100MB").unwrap(), Bytes::megabytes(100));
    assert_eq!(Bytes::parse("37500KB").unwrap(), Bytes::kilobytes(37500));
    assert_eq!(Bytes::parse("1kb").unwrap(), Bytes::kilobytes(1));

    let cases = [
        ("", "Invalid bytes ''"),
        ("1024", "Invalid bytes '1024'"),
        ("1.5GB", "Fractional bytes '1.5GB'"),
        ("1PB", "Unknown bytes unit 'PB'"),
        ("KB", "Failed to convert '' to number"),
        ("-1B", "Failed to convert '' to number"),
        (
            "99999999999999999999B",
            "Failed to convert '99999999999999999999' to number",
        ),
        ("99999999999TB", "Bytes '99999999999TB' out of range"),
    ];
    for (text, message) in cases {
        assert_eq!(Bytes::parse(text).expect_err(text).message(), message);
    }
}
