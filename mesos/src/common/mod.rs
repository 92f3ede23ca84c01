//! What Mesos' `src/common` holds: values, attributes, roles, resources,
//! IDs, protobuf helpers and RecordIO streams.

pub mod attributes;
pub mod evolve;
pub mod http;
pub mod id;
pub mod messages;
pub mod protobuf_utils;
pub mod recordio;
pub(crate) mod resource_gauges;
pub mod resource_quantities;
pub mod resources;
pub mod roles;
pub mod status_utils;
pub mod type_utils;
pub mod validation;
pub mod values;
