//! `Bytes`: a size in bytes, parsed and printed as Mesos does (`512MB`).

use std::fmt;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Sub, SubAssign};
use std::str::FromStr;

use crate::{Error, Try};

/// A number of bytes, as stout's `Bytes`. The units are binary
/// (1KB = 1024B), named `B`, `KB`, `MB`, `GB`, `TB` as in Mesos.
///
/// Arithmetic saturates instead of overflowing.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bytes(u64);

impl Bytes {
    /// One byte.
    pub const BYTES: u64 = 1;
    /// Bytes in a kilobyte (1024).
    pub const KILOBYTES: u64 = 1024 * Bytes::BYTES;
    /// Bytes in a megabyte.
    pub const MEGABYTES: u64 = 1024 * Bytes::KILOBYTES;
    /// Bytes in a gigabyte.
    pub const GIGABYTES: u64 = 1024 * Bytes::MEGABYTES;
    /// Bytes in a terabyte.
    pub const TERABYTES: u64 = 1024 * Bytes::GIGABYTES;

    /// `n` bytes.
    pub const fn new(n: u64) -> Bytes {
        Bytes(n)
    }

    /// `n` kilobytes, saturating.
    pub const fn kilobytes(n: u64) -> Bytes {
        Bytes(n.saturating_mul(Bytes::KILOBYTES))
    }

    /// `n` megabytes, saturating.
    pub const fn megabytes(n: u64) -> Bytes {
        Bytes(n.saturating_mul(Bytes::MEGABYTES))
    }

    /// `n` gigabytes, saturating.
    pub const fn gigabytes(n: u64) -> Bytes {
        Bytes(n.saturating_mul(Bytes::GIGABYTES))
    }

    /// `n` terabytes, saturating.
    pub const fn terabytes(n: u64) -> Bytes {
        Bytes(n.saturating_mul(Bytes::TERABYTES))
    }

    /// The number of bytes.
    pub const fn bytes(&self) -> u64 {
        self.0
    }

    /// Parses a whole number followed by a unit, case-insensitively:
    /// `1024B`, `512MB`, `2gb`. Spaces between the number and the unit are
    /// accepted (Mesos' documentation writes `2 GB`).
    pub fn parse(s: &str) -> Try<Bytes> {
        let Some(index) = s.find(|c: char| !c.is_ascii_digit()) else {
            return Err(Error::new(format!("Invalid bytes '{}'", s)));
        };
        let (number, unit) = s.split_at(index);
        if unit.starts_with('.') {
            return Err(Error::new(format!("Fractional bytes '{}'", s)));
        }
        let value: u64 = number
            .parse()
            .map_err(|_| Error::new(format!("Failed to convert '{}' to number", number)))?;
        let unit = unit.trim_start().to_uppercase();
        let factor = match unit.as_str() {
            "B" => Bytes::BYTES,
            "KB" => Bytes::KILOBYTES,
            "MB" => Bytes::MEGABYTES,
            "GB" => Bytes::GIGABYTES,
            "TB" => Bytes::TERABYTES,
            _ => return Err(Error::new(format!("Unknown bytes unit '{}'", unit))),
        };
        value
            .checked_mul(factor)
            .map(Bytes)
            .ok_or_else(|| Error::new(format!("Bytes '{}' out of range", s)))
    }
}

impl FromStr for Bytes {
    type Err = Error;

    fn from_str(s: &str) -> Try<Bytes> {
        Bytes::parse(s)
    }
}

impl fmt::Display for Bytes {
    /// The largest unit that shows the value as a whole number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        if n == 0 {
            f.write_str("0B")
        } else if n % Bytes::KILOBYTES != 0 {
            write!(f, "{}B", n)
        } else if n % Bytes::MEGABYTES != 0 {
            write!(f, "{}KB", n / Bytes::KILOBYTES)
        } else if n % Bytes::GIGABYTES != 0 {
            write!(f, "{}MB", n / Bytes::MEGABYTES)
        } else if n % Bytes::TERABYTES != 0 {
            write!(f, "{}GB", n / Bytes::GIGABYTES)
        } else {
            write!(f, "{}TB", n / Bytes::TERABYTES)
        }
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<u64> for Bytes {
    fn from(n: u64) -> Bytes {
        Bytes(n)
    }
}

impl Add for Bytes {
    type Output = Bytes;
    fn add(self, rhs: Bytes) -> Bytes {
        Bytes(self.0.saturating_add(rhs.0))
    }
}

impl Sub for Bytes {
    type Output = Bytes;
    /// Saturates at zero.
    fn sub(self, rhs: Bytes) -> Bytes {
        Bytes(self.0.saturating_sub(rhs.0))
    }
}

impl Mul<u64> for Bytes {
    type Output = Bytes;
    fn mul(self, rhs: u64) -> Bytes {
        Bytes(self.0.saturating_mul(rhs))
    }
}

impl Div<u64> for Bytes {
    type Output = Bytes;
    /// Integer division; panics on a zero divisor, like `u64` division.
    fn div(self, rhs: u64) -> Bytes {
        Bytes(self.0 / rhs)
    }
}

impl AddAssign for Bytes {
    fn add_assign(&mut self, rhs: Bytes) {
        *self = *self + rhs;
    }
}

impl SubAssign for Bytes {
    fn sub_assign(&mut self, rhs: Bytes) {
        *self = *self - rhs;
    }
}

impl MulAssign<u64> for Bytes {
    fn mul_assign(&mut self, rhs: u64) {
        *self = *self * rhs;
    }
}

impl DivAssign<u64> for Bytes {
    fn div_assign(&mut self, rhs: u64) {
        *self = *self / rhs;
    }
}
