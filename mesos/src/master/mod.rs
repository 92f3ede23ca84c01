//! Mesos' master: the `mesos.master` protocol (the operator API's `Call`,
//! `Response` and `Event`, generated from the schema) and the master's
//! parts: allocator, detector, validation.
//!
//! The generated types are re-exported here because this module takes
//! the place of the generated `mesos::master` in the crate root: the
//! protocol keeps its path (`mesos::master::Call`), next to the code.

pub use mesos_protos::mesos::master::*;

pub mod allocator;
pub mod detector;
pub mod validation;
