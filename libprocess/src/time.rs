//! `Time`: an instant as libprocess measures it, a duration since the
//! Unix epoch read from the [`Clock`](crate::Clock).

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use stout::Duration;

/// An instant: nanoseconds since the Unix epoch (libprocess' `Time`).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    since_epoch: Duration,
}

impl Time {
    /// The Unix epoch.
    pub const EPOCH: Time = Time {
        since_epoch: Duration::ZERO,
    };

    /// The latest representable instant.
    pub const MAX: Time = Time {
        since_epoch: Duration::MAX,
    };

    /// The instant `since_epoch` after the Unix epoch.
    pub const fn from_epoch(since_epoch: Duration) -> Time {
        Time { since_epoch }
    }

    /// The wall-clock time now, ignoring the [`Clock`](crate::Clock).
    pub(crate) fn wall() -> Time {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Time::from_epoch(Duration::from(since))
    }

    /// The time since the epoch.
    pub fn duration(&self) -> Duration {
        self.since_epoch
    }

    /// Seconds since the epoch, fractional.
    pub fn secs(&self) -> f64 {
        self.since_epoch.secs()
    }
}

impl Add<Duration> for Time {
    type Output = Time;
    fn add(self, d: Duration) -> Time {
        Time::from_epoch(self.since_epoch + d)
    }
}

impl AddAssign<Duration> for Time {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

impl Sub<Duration> for Time {
    type Output = Time;
    fn sub(self, d: Duration) -> Time {
        Time::from_epoch(self.since_epoch - d)
    }
}

impl SubAssign<Duration> for Time {
    fn sub_assign(&mut self, d: Duration) {
        *self = *self - d;
    }
}

impl Sub for Time {
    type Output = Duration;
    fn sub(self, other: Time) -> Duration {
        self.since_epoch - other.since_epoch
    }
}

impl fmt::Debug for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Time({})", self.since_epoch)
    }
}

impl fmt::Display for Time {
    /// Seconds since the epoch, as `Time` values appear in Mesos' JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.secs())
    }
}
