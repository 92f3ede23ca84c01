//! Mesos' v1 API: the `mesos.v1` protocol (generated from the schemas)
//! and the v1 client libraries.
//!
//! The generated types are re-exported here because this module takes
//! the place of the generated `mesos::v1` in the crate root: the protocol
//! keeps its path (`mesos::v1::TaskInfo`), next to the libraries.

pub use mesos_protos::mesos::v1::*;

mod connection;
pub mod executor;
pub mod scheduler;
