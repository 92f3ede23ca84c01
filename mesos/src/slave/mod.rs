//! Mesos' agent (the slave, in Mesos' source tree): the `mesos.slave`
//! protocol (container configuration and termination, generated from the
//! schema) and the agent's parts.
//!
//! The generated types are re-exported here because this module takes
//! the place of the generated `mesos::slave` in the crate root, as
//! `master` does.

pub use mesos_protos::mesos::slave::*;

pub mod containerizer;
pub mod paths;
pub mod state;
pub mod task_status_update_manager;
