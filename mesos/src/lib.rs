//! Apache Mesos' master, agent, drivers and containerizers as processes on
//! [`libprocess`].
//!
//! The protocol types are generated from the Mesos 1.11 schemas in
//! `third_party/mesos` and laid out as Mesos' C++ namespaces are:
//! `mesos::TaskInfo`, `mesos::v1::TaskInfo`, `mesos::scheduler::Call`,
//! `mesos::v1::scheduler::Call`, `mesos::internal::RegisterSlaveMessage`,
//! `mesos::containerizer::Launch`, `mesos::appc::spec::ImageManifest`, ...
//! They are built in their own crate, [`mesos_protos`], and re-exported here.

pub mod cli;
pub mod common;
pub mod daemon;
pub mod exec;
pub mod json;
pub mod launcher;
pub mod local;
pub mod logging;
pub mod master;
pub mod sched;
pub mod slave;
pub mod testing;
pub mod v1;
pub mod version;

/// The Mesos release this build is wire-compatible with, as it reports
/// itself (`MESOS_VERSION`).
pub const MESOS_VERSION: &str = "1.11.0";

pub use common::resources::Resources;
pub use mesos_protos::mesos::*;
pub use mesos_protos::{appc, docker, oci};
