//! What Mesos' `src/common` holds: values, attributes, roles, resources
//! (and, to come, protobuf helpers).

pub mod attributes;
pub mod recordio;
pub mod resource_quantities;
pub mod resources;
pub mod roles;
pub mod values;
