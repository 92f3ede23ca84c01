//! The `mesos` crate's tests, one module per suite.

mod attributes_test;
mod containerizer_test;
mod json_test;
mod schemas_test;
mod values_test;
