//! The SUBSCRIBE retry schedule (Mesos' `doReliableRegistration`): after
//! each attempt the driver waits a uniform random delay in `[0, b]`, where
//! `b` starts at the registration backoff factor, doubles per attempt, and
//! is bounded by [`REGISTRATION_RETRY_INTERVAL_MAX`] and by a tenth of the
//! framework's failover timeout.

use stout::Duration;

use super::constants::REGISTRATION_RETRY_INTERVAL_MAX;

/// The bound `b` on the delay before the next attempt, given the bound
/// the schedule asks for and the framework's failover timeout (seconds).
pub(super) fn bound(requested: Duration, failover_timeout: Option<f64>) -> Duration {
    let mut bound = requested.min(REGISTRATION_RETRY_INTERVAL_MAX);
    if let Some(Ok(timeout)) = failover_timeout.map(Duration::create) {
        if timeout > Duration::ZERO {
            bound = bound.min(timeout / 10);
        }
    }
    bound
}

/// A delay in `[0, bound]`, drawn with `below(n)` (a uniform draw from
/// `0..n`, as `libprocess::random::below`).
pub(super) fn delay(bound: Duration, below: impl FnOnce(u64) -> u64) -> Duration {
    let nanos = u64::try_from(bound.ns()).unwrap_or(0);
    let drawn = below(nanos.saturating_add(1));
    Duration::from_nanos(i64::try_from(drawn).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_is_capped_by_the_maximum_and_the_failover_timeout() {
        let two = Duration::from_secs(2);
        assert_eq!(two, bound(two, None));
        assert_eq!(two, bound(two, Some(0.0)));
        assert_eq!(Duration::from_secs(1), bound(two, Some(10.0)));
        assert_eq!(
            REGISTRATION_RETRY_INTERVAL_MAX,
            bound(Duration::from_mins(4), None)
        );
    }

    #[test]
    fn delay_covers_the_closed_interval() {
        let bound = Duration::from_secs(2);
        assert_eq!(Duration::ZERO, delay(bound, |_| 0));
        assert_eq!(bound, delay(bound, |n| n - 1));
    }
}
