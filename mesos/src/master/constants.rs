//! The master's constants (Mesos' `master/constants.hpp`), the ones this
//! build uses: the flags' defaults and the limits the master enforces.

use stout::{Bytes, Duration};

/// The most offers the master makes a framework at once.
pub const MAX_OFFERS_PER_FRAMEWORK: usize = 50;

/// The least CPUs an executor should use.
pub const MIN_CPUS: f64 = 0.01;

/// The least memory an executor should use.
pub const MIN_MEM: Bytes = Bytes::megabytes(32);

/// `--authentication_v0_timeout`'s default.
pub const DEFAULT_AUTHENTICATION_V0_TIMEOUT: Duration = Duration::from_secs(15);

/// How often HTTP schedulers get a heartbeat.
pub const DEFAULT_HEARTBEAT_INTERVAL: Duration = Duration::from_secs(15);

/// `--agent_ping_timeout`'s default.
pub const DEFAULT_AGENT_PING_TIMEOUT: Duration = Duration::from_secs(15);

/// `--max_agent_ping_timeouts`' default.
pub const DEFAULT_MAX_AGENT_PING_TIMEOUTS: usize = 5;

/// The least (and default) `--agent_reregister_timeout`.
pub const MIN_AGENT_REREGISTER_TIMEOUT: Duration = Duration::from_mins(10);

/// `--recovery_agent_removal_limit`'s default, as a fraction.
pub const RECOVERY_AGENT_REMOVAL_PERCENT_LIMIT: f64 = 1.0;

/// `--max_operator_event_stream_subscribers`' default.
pub const DEFAULT_MAX_OPERATOR_EVENT_STREAM_SUBSCRIBERS: usize = 1000;

/// `--max_completed_frameworks`' default.
pub const DEFAULT_MAX_COMPLETED_FRAMEWORKS: usize = 50;

/// `--max_completed_tasks_per_framework`'s default.
pub const DEFAULT_MAX_COMPLETED_TASKS_PER_FRAMEWORK: usize = 1000;

/// `--max_unreachable_tasks_per_framework`'s default.
pub const DEFAULT_MAX_UNREACHABLE_TASKS_PER_FRAMEWORK: usize = 1000;

/// `--registry_gc_interval`'s default.
pub const DEFAULT_REGISTRY_GC_INTERVAL: Duration = Duration::from_mins(15);

/// `--registry_max_agent_age`'s default.
pub const DEFAULT_REGISTRY_MAX_AGENT_AGE: Duration = Duration::from_weeks(2);

/// `--registry_max_agent_count`'s default.
pub const DEFAULT_REGISTRY_MAX_AGENT_COUNT: usize = 100 * 1024;

/// `--zk_session_timeout`'s default.
pub const ZOOKEEPER_SESSION_TIMEOUT: Duration = Duration::from_secs(10);

/// `--authenticators`' default.
pub const DEFAULT_AUTHENTICATOR: &str = "crammd5";

/// `--allocator`'s default.
pub const DEFAULT_ALLOCATOR: &str = "hierarchical";

/// `--allocation_interval`'s default.
pub const DEFAULT_ALLOCATION_INTERVAL: Duration = Duration::from_secs(1);

/// `--authorizers`' default.
pub const DEFAULT_AUTHORIZER: &str = "local";

/// `--http_authenticators`' default.
pub const DEFAULT_BASIC_HTTP_AUTHENTICATOR: &str = "basic";

/// `--allocator_recovery_timeout`'s default.
pub const DEFAULT_ALLOCATOR_RECOVERY_TIMEOUT: Duration = Duration::from_mins(10);

/// `--allocator_agent_recovery_factor`'s default.
pub const DEFAULT_ALLOCATOR_AGENT_RECOVERY_FACTOR: f64 = 0.80;

/// `--offer_constraints_re2_max_mem`'s default.
pub const DEFAULT_OFFER_CONSTRAINTS_RE2_MAX_MEM: Bytes = Bytes::new(4096);

/// `--offer_constraints_re2_max_program_size`'s default.
pub const DEFAULT_OFFER_CONSTRAINTS_RE2_MAX_PROGRAM_SIZE: i32 = 100;

/// The oldest agent version the master admits (`MINIMUM_AGENT_VERSION`).
pub const MINIMUM_AGENT_VERSION: (u64, u64, u64) = (1, 0, 0);
