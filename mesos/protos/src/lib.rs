//! Apache Mesos' protocol: the types prost generates from the Mesos 1.11
//! schemas in `third_party/mesos`, one module per protobuf package, and
//! the descriptor set they were generated from.
//!
//! Use them through the `mesos` crate, which re-exports them where Mesos'
//! C++ namespaces put them (`mesos::TaskInfo`, `mesos::v1::scheduler::Call`,
//! `mesos::appc::spec::ImageManifest`, ...). They are a crate of their own
//! so that a change to the hand-written code of `mesos` does not compile
//! them again.

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

pub use generated::{appc, docker, mesos, oci};

mod display;
pub mod values;

/// The encoded `FileDescriptorSet` of every schema (and its imports), for
/// the JSON mapping, which walks descriptors.
pub const DESCRIPTORS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/mesos_descriptors.bin"));

include!(concat!(env!("OUT_DIR"), "/message_types.rs"));

use stout::protobuf::{Field, MessageField, Schema};

/// Every message type's required and message-typed fields, sorted by full
/// name: the table of `stout::protobuf::missing_required_fields`.
pub static SCHEMAS: &[Schema] = include!(concat!(env!("OUT_DIR"), "/schemas.rs"));

/// The index in [`SCHEMAS`] of the message type named `full_name`
/// (`mesos.TaskInfo`).
pub fn schema_index(full_name: &str) -> Option<usize> {
    SCHEMAS
        .binary_search_by(|schema| schema.name.cmp(full_name))
        .ok()
}
