//! What Mesos' `src/common` holds: values, attributes (and, to come,
//! resources and protobuf helpers).

pub mod attributes;
pub mod values;
