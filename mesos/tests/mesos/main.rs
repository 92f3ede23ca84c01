//! The `mesos` crate's tests, one module per suite.

mod containerizer_test;
mod json_test;
mod schemas_test;
