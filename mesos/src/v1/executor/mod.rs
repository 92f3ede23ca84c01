//! The v1 executor API: the `mesos.v1.executor` protocol (generated) and
//! Mesos' executor library (`mesos::v1::executor::Mesos`), an HTTP client
//! of the agent's `/api/v1/executor` endpoint.
//!
//! The library keeps two persistent connections to the agent, one for the
//! SUBSCRIBE call and its streamed RecordIO events, one for every other
//! call, and tells its user when both are up (`connected`), when either
//! breaks (`disconnected`) and what the agent sent (`received`). With
//! checkpointing it reconnects with a random backoff until the recovery
//! timeout; without, or after it, it delivers a SHUTDOWN event.
//!
//! ```no_run
//! use std::collections::{BTreeMap, VecDeque};
//! use mesos::v1::executor::{Callbacks, Config, ContentType, Event, Mesos};
//!
//! struct Printer;
//! impl Callbacks for Printer {
//!     fn connected(&mut self) { println!("connected"); }
//!     fn disconnected(&mut self) { println!("disconnected"); }
//!     fn received(&mut self, events: VecDeque<Event>) { println!("{:?}", events); }
//! }
//!
//! let config = Config::from_environment(&stout::os::environment()).expect("an executor");
//! let mesos = Mesos::new(ContentType::Protobuf, config, Printer);
//! # drop(mesos);
//! ```

pub use mesos_protos::mesos::v1::executor::*;

mod config;
mod process;
mod shutdown;
mod validation;

use std::collections::{BTreeMap, VecDeque};

use libprocess::PID;

pub use crate::common::http::ContentType;
pub use config::{Config, ConfigError};
pub use validation::validate_call;

use process::MesosProcess;

/// What the library tells its user. The calls run on the library's
/// process, one at a time and in order; a user with a process of its own
/// dispatches to it from here.
pub trait Callbacks: Send + 'static {
    /// Both connections to the agent are up: time to SUBSCRIBE.
    fn connected(&mut self);
    /// A connection to the agent broke.
    fn disconnected(&mut self);
    /// Events from the agent, or injected by the library (ERROR,
    /// SHUTDOWN).
    fn received(&mut self, events: VecDeque<Event>);
}

/// The executor library: spawns its process on the current runtime and
/// terminates it when dropped.
#[derive(Debug)]
pub struct Mesos {
    process: PID<MesosProcess>,
}

impl Mesos {
    /// Starts connecting to `config.agent`, with `content_type` for calls
    /// and events.
    pub fn new(content_type: ContentType, config: Config, callbacks: impl Callbacks) -> Mesos {
        let process =
            libprocess::spawn(MesosProcess::new(content_type, config, Box::new(callbacks)));
        Mesos { process }
    }

    /// Mesos' `Mesos(contentType, connected, disconnected, received)`:
    /// the configuration from the `MESOS_*` variables of `environment`,
    /// and, unless `MESOS_INITIALIZE_DRIVER_LOGGING=false`, logging set up
    /// from the `MESOS_*` logging flags for the program `mesos`.
    pub fn from_environment(
        content_type: ContentType,
        environment: &BTreeMap<String, String>,
        callbacks: impl Callbacks,
    ) -> Result<Mesos, ConfigError> {
        let mesos_environment: BTreeMap<&str, &str> = environment
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("MESOS_")?, v.as_str())))
            .collect();
        let mut flags = stout::FlagSet::<crate::logging::Flags>::new();
        flags.allow_unknowns(true);
        let warnings = flags
            .load_map(
                mesos_environment
                    .into_iter()
                    .map(|(k, v)| (k.to_lowercase(), Some(v))),
                None,
            )
            .map_err(|e| ConfigError::Flags(e.to_string()))?;
        if flags.initialize_driver_logging {
            crate::logging::initialize("mesos", &flags)
                .map_err(|e| ConfigError::Flags(e.to_string()))?;
        } else {
            tracing::debug!("Disabling initialization of GLOG logging");
        }
        for warning in warnings {
            tracing::warn!("{}", warning.message);
        }
        tracing::info!("Version: {}", crate::MESOS_VERSION);
        let config = Config::from_environment(environment)?;
        Ok(Mesos::new(content_type, config, callbacks))
    }

    /// Sends `call` to the agent. Invalid calls, a SUBSCRIBE while not
    /// just connected and any other call while not subscribed are dropped
    /// with a warning, as Mesos drops them.
    pub fn send(&self, call: Call) {
        libprocess::dispatch(&self.process, move |process| process.send(call));
    }
}

impl Drop for Mesos {
    fn drop(&mut self) {
        libprocess::terminate(&self.process, true);
    }
}
