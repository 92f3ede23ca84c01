//! The agent's constants (Mesos' `slave/constants.hpp`; the status
//! update retry intervals are with the task status update manager).

use stout::{Bytes, Duration};

/// How long an executor has to register before the agent shuts it down.
pub const EXECUTOR_REGISTRATION_TIMEOUT: Duration = Duration::from_mins(1);

/// How long a restarted agent waits for its executors to reregister.
pub const EXECUTOR_REREGISTRATION_TIMEOUT: Duration = Duration::from_secs(2);

/// The most `--executor_reregistration_timeout` may be.
pub const MAX_EXECUTOR_REREGISTRATION_TIMEOUT: Duration = Duration::from_secs(15);

/// The executor's shutdown grace period unless its `ExecutorInfo` says.
pub const DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD: Duration = Duration::from_secs(5);

/// How long an executor waits for a restarted agent.
pub const RECOVERY_TIMEOUT: Duration = Duration::from_mins(15);

/// `--registration_backoff_factor`'s default.
pub const DEFAULT_REGISTRATION_BACKOFF_FACTOR: Duration = Duration::from_secs(1);

/// The longest interval between (re-)registration attempts.
pub const REGISTER_RETRY_INTERVAL_MAX: Duration = Duration::from_mins(1);

/// `--authentication_backoff_factor`'s default.
pub const DEFAULT_AUTHENTICATION_BACKOFF_FACTOR: Duration = Duration::from_secs(1);

/// `--authentication_timeout_min`'s default.
pub const DEFAULT_AUTHENTICATION_TIMEOUT_MIN: Duration = Duration::from_secs(5);

/// `--authentication_timeout_max`'s default.
pub const DEFAULT_AUTHENTICATION_TIMEOUT_MAX: Duration = Duration::from_mins(1);

/// `--gc_delay`'s default.
pub const GC_DELAY: Duration = Duration::from_weeks(1);

/// `--disk_watch_interval`'s default.
pub const DISK_WATCH_INTERVAL: Duration = Duration::from_mins(1);

/// `--gc_disk_headroom`'s default.
pub const GC_DISK_HEADROOM: f64 = 0.1;

/// `--max_completed_executors_per_framework`'s default.
pub const DEFAULT_MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK: usize = 150;

/// The cpus an agent offers when it cannot detect the host's.
pub const DEFAULT_CPUS: f64 = 1.0;

/// The memory an agent offers when it cannot detect the host's.
pub const DEFAULT_MEM: Bytes = Bytes::gigabytes(1);

/// The disk an agent offers when it cannot detect the host's.
pub const DEFAULT_DISK: Bytes = Bytes::gigabytes(10);

/// The ports an agent offers unless `--resources` names some.
pub const DEFAULT_PORTS: &str = "[31000-32000]";

/// The cpus the agent adds for a command executor.
pub const DEFAULT_EXECUTOR_CPUS: f64 = 0.1;

/// The memory the agent adds for a command executor.
pub const DEFAULT_EXECUTOR_MEM: Bytes = Bytes::megabytes(32);

/// The master's ping timeout until the master says otherwise
/// (`agent_ping_timeout` × `max_agent_ping_timeouts`, 15 s × 5).
pub const DEFAULT_MASTER_PING_TIMEOUT: Duration = Duration::from_secs(75);

/// The command executor's binary, under `--launcher_dir`.
pub const MESOS_EXECUTOR: &str = "mesos-executor";

/// The HTTP authentication realm of the executor API.
pub const EXECUTOR_HTTP_AUTHENTICATION_REALM: &str = "mesos-agent-executor";
