//! `Duration`: a signed span of time with nanosecond precision, parsed and
//! printed in Mesos' notation (`500ms`, `1.5mins`, `2weeks`).

use std::fmt;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use crate::numify::format_general;
use crate::{Error, Try};

const NANOSECONDS: i64 = 1;
const MICROSECONDS: i64 = 1000 * NANOSECONDS;
const MILLISECONDS: i64 = 1000 * MICROSECONDS;
const SECONDS: i64 = 1000 * MILLISECONDS;
const MINUTES: i64 = 60 * SECONDS;
const HOURS: i64 = 60 * MINUTES;
const DAYS: i64 = 24 * HOURS;
const WEEKS: i64 = 7 * DAYS;

/// The precision C++ streams print a `double` with in stout's
/// `operator<<` (`std::numeric_limits<double>::digits10`).
const PRINT_PRECISION: usize = 15;

/// A signed number of nanoseconds, as stout's `Duration`.
///
/// Arithmetic saturates at [`Duration::MIN`] and [`Duration::MAX`] instead
/// of overflowing, so that values from configuration or the network can
/// never make a daemon panic.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    nanos: i64,
}

impl Duration {
    /// The zero duration.
    pub const ZERO: Duration = Duration { nanos: 0 };
    /// The largest representable duration (`i64::MAX` nanoseconds).
    pub const MAX: Duration = Duration { nanos: i64::MAX };
    /// The smallest (most negative) representable duration.
    pub const MIN: Duration = Duration { nanos: i64::MIN };

    /// `n` nanoseconds.
    pub const fn from_nanos(n: i64) -> Duration {
        Duration { nanos: n }
    }

    /// `n` microseconds, saturating.
    pub const fn from_micros(n: i64) -> Duration {
        Duration::scaled(n, MICROSECONDS)
    }

    /// `n` milliseconds, saturating.
    pub const fn from_millis(n: i64) -> Duration {
        Duration::scaled(n, MILLISECONDS)
    }

    /// `n` seconds, saturating.
    pub const fn from_secs(n: i64) -> Duration {
        Duration::scaled(n, SECONDS)
    }

    /// `n` minutes, saturating.
    pub const fn from_mins(n: i64) -> Duration {
        Duration::scaled(n, MINUTES)
    }

    /// `n` hours, saturating.
    pub const fn from_hrs(n: i64) -> Duration {
        Duration::scaled(n, HOURS)
    }

    /// `n` days, saturating.
    pub const fn from_days(n: i64) -> Duration {
        Duration::scaled(n, DAYS)
    }

    /// `n` weeks, saturating.
    pub const fn from_weeks(n: i64) -> Duration {
        Duration::scaled(n, WEEKS)
    }

    const fn scaled(n: i64, unit: i64) -> Duration {
        Duration {
            nanos: n.saturating_mul(unit),
        }
    }

    /// stout's `Duration::create(double seconds)`: fails when the value
    /// does not fit in an `i64` of nanoseconds.
    pub fn create(seconds: f64) -> Try<Duration> {
        Duration::from_value(seconds, SECONDS)
    }

    fn from_value(value: f64, unit: i64) -> Try<Duration> {
        let nanos = value * unit as f64;
        if nanos.is_nan() || nanos > i64::MAX as f64 || nanos < i64::MIN as f64 {
            return Err(Error::new(
                "Argument out of the range that a Duration can represent due to int64_t's size limit",
            ));
        }
        // `as` truncates toward zero, as C++'s `static_cast<int64_t>`.
        Ok(Duration {
            nanos: nanos as i64,
        })
    }

    /// Parses Mesos' notation: a non-negative decimal number immediately
    /// followed by one of the units `ns`, `us`, `ms`, `secs`, `mins`, `hrs`,
    /// `days`, `weeks`.
    ///
    /// The singular forms `sec`, `min`, `hr`, `day` and `week` are accepted
    /// too: Mesos' documentation writes values such as `1min` although
    /// stout itself rejects them.
    pub fn parse(s: &str) -> Try<Duration> {
        let Some(index) = s.find(|c: char| !c.is_ascii_digit() && c != '.') else {
            return Err(Error::new(format!("Invalid duration '{}'", s)));
        };
        let (number, unit) = s.split_at(index);
        let value: f64 = number
            .parse()
            .map_err(|_| Error::new(format!("Failed to convert '{}' to number", number)))?;
        let factor = match unit {
            "ns" => NANOSECONDS,
            "us" => MICROSECONDS,
            "ms" => MILLISECONDS,
            "secs" | "sec" => SECONDS,
            "mins" | "min" => MINUTES,
            "hrs" | "hr" => HOURS,
            "days" | "day" => DAYS,
            "weeks" | "week" => WEEKS,
            _ => {
                return Err(Error::new(format!(
                    "Unknown duration unit '{}'; supported units are 'ns', 'us', 'ms', \
                     'secs', 'mins', 'hrs', 'days', and 'weeks'",
                    unit
                )))
            }
        };
        Duration::from_value(value, factor)
    }

    /// Whole nanoseconds.
    pub const fn ns(&self) -> i64 {
        self.nanos
    }

    /// Microseconds, fractional.
    pub fn us(&self) -> f64 {
        self.nanos as f64 / MICROSECONDS as f64
    }

    /// Milliseconds, fractional.
    pub fn ms(&self) -> f64 {
        self.nanos as f64 / MILLISECONDS as f64
    }

    /// Seconds, fractional.
    pub fn secs(&self) -> f64 {
        self.nanos as f64 / SECONDS as f64
    }

    /// Minutes, fractional.
    pub fn mins(&self) -> f64 {
        self.nanos as f64 / MINUTES as f64
    }

    /// Hours, fractional.
    pub fn hrs(&self) -> f64 {
        self.nanos as f64 / HOURS as f64
    }

    /// Days, fractional.
    pub fn days(&self) -> f64 {
        self.nanos as f64 / DAYS as f64
    }

    /// Weeks, fractional.
    pub fn weeks(&self) -> f64 {
        self.nanos as f64 / WEEKS as f64
    }

    /// The same span as a `std::time::Duration`, or `None` when negative.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        u64::try_from(self.nanos)
            .ok()
            .map(std::time::Duration::from_nanos)
    }

    /// The absolute value, saturating at [`Duration::MAX`].
    pub const fn abs(&self) -> Duration {
        Duration {
            nanos: self.nanos.saturating_abs(),
        }
    }
}

impl From<std::time::Duration> for Duration {
    /// Saturates at [`Duration::MAX`] for spans beyond ~292 years.
    fn from(d: std::time::Duration) -> Duration {
        Duration {
            nanos: i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        }
    }
}

impl FromStr for Duration {
    type Err = Error;

    fn from_str(s: &str) -> Try<Duration> {
        Duration::parse(s)
    }
}

impl fmt::Display for Duration {
    /// Prints the largest unit in which the value is at least one, unless
    /// the next smaller unit shows it as a whole number (`10days`, not
    /// `1.42857142857143weeks`), with up to 15 significant digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos < 0 {
            f.write_str("-")?;
        }
        // i64::MIN has no positive counterpart; stout prints MAX's digits.
        let n = self.nanos.checked_abs().unwrap_or(i64::MAX);
        let d = Duration { nanos: n };
        // (bucket upper bound, unit below, unit of the bucket, their names).
        const BUCKETS: [(i64, i64, i64, &str, &str); 7] = [
            (MILLISECONDS, NANOSECONDS, MICROSECONDS, "ns", "us"),
            (SECONDS, MICROSECONDS, MILLISECONDS, "us", "ms"),
            (MINUTES, MILLISECONDS, SECONDS, "ms", "secs"),
            (HOURS, SECONDS, MINUTES, "secs", "mins"),
            (DAYS, MINUTES, HOURS, "mins", "hrs"),
            (WEEKS, HOURS, DAYS, "hrs", "days"),
            (i64::MAX, DAYS, WEEKS, "days", "weeks"),
        ];
        if n < MICROSECONDS {
            return write!(f, "{}ns", n);
        }
        let (_, below, unit, below_name, unit_name) = BUCKETS
            .iter()
            .copied()
            .find(|(bound, ..)| n < *bound)
            .unwrap_or(BUCKETS[BUCKETS.len() - 1]);
        let (divisor, name) = if n % unit != 0 && n % below == 0 {
            (below, below_name)
        } else {
            (unit, unit_name)
        };
        if divisor == NANOSECONDS {
            return write!(f, "{}ns", d.nanos);
        }
        let value = n as f64 / divisor as f64;
        write!(f, "{}{}", format_general(value, PRINT_PRECISION), name)
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, rhs: Duration) -> Duration {
        Duration {
            nanos: self.nanos.saturating_add(rhs.nanos),
        }
    }
}

impl Sub for Duration {
    type Output = Duration;
    fn sub(self, rhs: Duration) -> Duration {
        Duration {
            nanos: self.nanos.saturating_sub(rhs.nanos),
        }
    }
}

impl AddAssign for Duration {
    fn add_assign(&mut self, rhs: Duration) {
        *self = *self + rhs;
    }
}

impl SubAssign for Duration {
    fn sub_assign(&mut self, rhs: Duration) {
        *self = *self - rhs;
    }
}

impl Neg for Duration {
    type Output = Duration;
    fn neg(self) -> Duration {
        Duration {
            nanos: self.nanos.saturating_neg(),
        }
    }
}

impl Mul<i64> for Duration {
    type Output = Duration;
    fn mul(self, rhs: i64) -> Duration {
        Duration {
            nanos: self.nanos.saturating_mul(rhs),
        }
    }
}

impl Mul<f64> for Duration {
    type Output = Duration;
    /// Truncates toward zero, saturating (`as` semantics).
    fn mul(self, rhs: f64) -> Duration {
        Duration {
            nanos: (self.nanos as f64 * rhs) as i64,
        }
    }
}

impl Div<i64> for Duration {
    type Output = Duration;
    /// Integer division; panics on a zero divisor, like `i64` division.
    fn div(self, rhs: i64) -> Duration {
        Duration {
            nanos: self.nanos.saturating_div(rhs),
        }
    }
}

impl Div<f64> for Duration {
    type Output = Duration;
    /// Truncates toward zero, saturating (`as` semantics).
    fn div(self, rhs: f64) -> Duration {
        Duration {
            nanos: (self.nanos as f64 / rhs) as i64,
        }
    }
}

impl MulAssign<i64> for Duration {
    fn mul_assign(&mut self, rhs: i64) {
        *self = *self * rhs;
    }
}

impl MulAssign<f64> for Duration {
    fn mul_assign(&mut self, rhs: f64) {
        *self = *self * rhs;
    }
}

impl DivAssign<i64> for Duration {
    fn div_assign(&mut self, rhs: i64) {
        *self = *self / rhs;
    }
}

impl DivAssign<f64> for Duration {
    fn div_assign(&mut self, rhs: f64) {
        *self = *self / rhs;
    }
}
