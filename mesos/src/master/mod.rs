//! Mesos' master: the `mesos.master` protocol (the operator API's `Call`,
//! `Response` and `Event`, generated from the schema) and the master's
//! parts: the [`Master`] process, its [`flags`], the [`registrar`], the
//! allocator, detector and validation.
//!
//! The generated types are re-exported here because this module takes
//! the place of the generated `mesos::master` in the crate root: the
//! protocol keeps its path (`mesos::master::Call`), next to the code.
//!
//! The master's state is plain data owned by the [`Master`] value: the
//! [`Framework`] and [`Slave`] records, tasks (`mesos::Task`, held by
//! their framework) and offers (`mesos::Offer`). Each concern lives in a
//! file of its own (agents, frameworks, offers, launch, tasks, the
//! scheduler calls); the process only routes messages to them.

pub use mesos_protos::mesos::master::*;

mod agent;
mod agent_removal;
mod agents;
pub mod allocator;
pub mod constants;
pub mod detector;
pub mod flags;
mod framework;
pub mod framework_metrics;
mod frameworks;
mod gauges;
pub mod http;
mod launch;
pub mod main;
#[allow(clippy::module_inception)] // Mesos' `master/master.cpp`.
mod master;
mod metrics;
mod offers;
pub mod registrar;
mod scheduler;
mod slave_observer;
mod tasks;
pub mod validation;

pub use agent::Slave;
pub use flags::Flags;
pub use framework::{Connection, Framework, FrameworkState};
pub use master::{Master, Slaves};
pub use metrics::Metrics;
pub use slave_observer::SlaveObserverHandle;
