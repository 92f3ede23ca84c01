//! The `mesos` crate's tests, one module per suite.

mod helpers;

mod allocated_resources_test;
mod attributes_test;
mod containerizer_test;
mod disk_resources_source_test;
mod disk_resources_test;
mod id_test;
mod json_test;
mod limits_test;
mod protobuf_util_test;
mod quantities_test;
mod recordio_reader_test;
mod recordio_transform_test;
mod reserved_resources_test;
mod resource_format_test;
mod resource_operation_test;
mod resource_provider_id_test;
mod resources_operation_test;
mod resources_test;
mod revocable_resource_test;
mod role_test;
mod schemas_test;
mod shared_resources_test;
mod type_utils_test;
mod values_test;
