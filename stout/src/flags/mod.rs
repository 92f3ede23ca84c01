//! stout's flags: typed command-line and environment configuration with
//! Mesos' exact syntax, precedence, error texts and `--help` layout.
//!
//! A flags type is a plain struct whose fields the flags write into; it
//! says which flags it has in [`Flags::define`]. A [`FlagSet`] holds the
//! values (reachable through `Deref`) together with the definitions.
//!
//! ```
//! use stout::{flag, Duration, FlagSet, Flags};
//!
//! #[derive(Default)]
//! struct AgentFlags {
//!     port: u16,
//!     work_dir: Option<String>,
//!     registration_backoff_factor: Duration,
//! }
//!
//! impl Flags for AgentFlags {
//!     fn define(set: &mut FlagSet<Self>) {
//!         flag!(set, port).help("Port to listen on.").default(5051);
//!         flag!(set, work_dir).help("Where to place framework work directories.");
//!         flag!(set, registration_backoff_factor)
//!             .alias("agent_registration_backoff_factor")
//!             .help("Backoff factor for registration retries.")
//!             .default(Duration::from_secs(1));
//!     }
//! }
//!
//! let mut flags = FlagSet::<AgentFlags>::new();
//! flags
//!     .load(None, ["mesos-agent", "--port=5052", "--work_dir=/tmp/mesos"])
//!     .unwrap();
//! assert_eq!(flags.port, 5052);
//! assert_eq!(flags.work_dir.as_deref(), Some("/tmp/mesos"));
//! assert_eq!(flags.registration_backoff_factor, Duration::from_secs(1));
//! ```
//!
//! Loading follows stout: environment variables with the given prefix
//! (`MESOS_PORT=5052`) are read too, and a flag given explicitly wins over
//! the environment; booleans take `--name`, `--no-name` and
//! `--name=true|false|1|0`; `file://path` values are read from the file.
//! Loading never prints or exits: the caller checks [`FlagSet::help`] and
//! prints [`FlagSet::usage`].

mod set;
mod value;

pub use set::{FlagBuilder, FlagSet, IntoDefault, Warning};
pub use value::{FlagField, FlagValue};

/// A struct of flags: stout's `FlagsBase` subclass.
pub trait Flags: Default + 'static {
    /// Adds every flag of this type to `set` (stout's `add(...)` calls in a
    /// flags constructor). Use [`flag!`](crate::flag) for each field.
    fn define(set: &mut FlagSet<Self>);
}

/// Adds the flag backed by a field of the flags struct to a [`FlagSet`].
///
/// `flag!(set, port)` names the flag after the field;
/// `flag!(set, field, "name")` gives it another name. Returns the
/// [`FlagBuilder`] to set its help, default, aliases and validation.
#[macro_export]
macro_rules! flag {
    ($set:expr, $field:ident) => {
        $set.add(stringify!($field), |f| &f.$field, |f| &mut f.$field)
    };
    ($set:expr, $field:ident, $name:expr) => {
        $set.add($name, |f| &f.$field, |f| &mut f.$field)
    };
}
