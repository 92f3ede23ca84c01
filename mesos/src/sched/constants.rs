//! The scheduler driver's defaults (Mesos' `src/sched/constants.hpp`).

use stout::Duration;

/// The initial bound of the random delay before the driver retries
/// SUBSCRIBE; the bound doubles with each retry
/// (`MESOS_REGISTRATION_BACKOFF_FACTOR` overrides it).
pub const DEFAULT_REGISTRATION_BACKOFF_FACTOR: Duration = Duration::from_secs(2);

/// The most the bound on the delay between SUBSCRIBE retries grows to.
pub const REGISTRATION_RETRY_INTERVAL_MAX: Duration = Duration::from_mins(1);
