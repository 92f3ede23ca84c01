//! Number formatting the way C++ streams do it, so that values Mesos prints
//! through `operator<<` print identically here.

/// Formats `value` like a C++ stream in its default float notation with
/// `stream.precision(precision)` (C's `%.<precision>g`): at most
/// `precision` significant digits, trailing zeros dropped, scientific
/// notation only for very large or very small magnitudes.
///
/// ```
/// assert_eq!(stout::numify::format_general(1.5, 15), "1.5");
/// assert_eq!(stout::numify::format_general(1.0 / 3.0, 6), "0.333333");
/// assert_eq!(stout::numify::format_general(1e20, 15), "1e+20");
/// ```
pub fn format_general(value: f64, precision: usize) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let precision = precision.max(1);
    // Round to `precision` significant digits first: the exponent of the
    // rounded value decides between fixed and scientific notation.
    let scientific = format!("{:.*e}", precision - 1, value);
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` output always has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` exponent is an integer");
    if exponent < -4 || exponent >= precision as i32 {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{}e{}{:02}",
            trim_fraction(mantissa),
            sign,
            exponent.unsigned_abs()
        )
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        trim_fraction(&format!("{:.*}", decimals, value)).to_string()
    }
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::format_general;

    #[test]
    fn matches_printf_g() {
        let cases: &[(f64, usize, &str)] = &[
            (1.0, 15, "1"),
            (100.0, 6, "100"),
            (123456.0, 6, "123456"),
            (1234567.0, 6, "1.23457e+06"),
            (0.0001, 6, "0.0001"),
            (0.00001, 6, "1e-05"),
            (2.5, 15, "2.5"),
            (-3.25, 15, "-3.25"),
            (15_250.284_452_471_5, 15, "15250.2844524715"),
            (9.999_999_5, 6, "10"),
            (0.0, 15, "0"),
        ];
        for (value, precision, expected) in cases {
            assert_eq!(&format_general(*value, *precision), expected, "{value}");
        }
    }
}
