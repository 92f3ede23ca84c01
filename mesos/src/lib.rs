//! Apache Mesos' master, agent, drivers and containerizers as processes on
//! [`libprocess`].
//!
//! The protocol types are generated from the Mesos 1.11 schemas in
//! `third_party/mesos` and laid out as Mesos' C++ namespaces are:
//! `mesos::TaskInfo`, `mesos::v1::TaskInfo`, `mesos::scheduler::Call`,
//! `mesos::v1::scheduler::Call`, `mesos::internal::RegisterSlaveMessage`,
//! `mesos::containerizer::Launch`, `mesos::appc::spec::ImageManifest`, ...

/// What prost generates, one module per protobuf package.
#[allow(
    missing_docs,
    unreachable_pub,
    clippy::all,
    clippy::pedantic,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::bare_urls
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/protos.rs"));
}

pub mod common;
pub mod json;
pub mod master;
pub mod testing;

pub use common::resources::Resources;
pub use generated::mesos::*;
pub use generated::{appc, docker, oci};
