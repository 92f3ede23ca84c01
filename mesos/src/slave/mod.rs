//! Mesos' agent (the slave, in Mesos' source tree): the `mesos.slave`
//! protocol (container configuration and termination, generated from the
//! schema) and the agent's parts.
//!
//! The agent is a [`Slave`] value, spawned as a process with [`spawn`]:
//!
//! ```ignore
//! let slave = Slave::new(flags, detector, containerizer, status_updates)?;
//! let pid = mesos::slave::spawn(slave);
//! ```
//!
//! The generated types are re-exported here because this module takes
//! the place of the generated `mesos::slave` in the crate root, as
//! `master` does.

pub use mesos_protos::mesos::slave::*;

pub mod constants;
pub mod containerizer;
pub mod environment;
pub mod executor;
pub mod executor_info;
pub mod flags;
pub mod framework;
pub mod http;
pub mod main;
pub mod metrics;
pub mod paths;
pub mod resources;
pub mod state;
pub mod status_update;
pub mod status_update_manager;
pub mod task_status_update_manager;

mod executors;
mod gauges;
mod process;
mod registration;
mod run_task;
mod shutdown;
#[allow(clippy::module_inception)]
mod slave;

pub use process::spawn;
pub use registration::{backoff, next_max_backoff};
pub use slave::{Slave, SlaveState, MAX_COMPLETED_FRAMEWORKS};
