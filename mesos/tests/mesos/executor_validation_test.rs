//! Mesos' ExecutorValidationTest (src/tests/master_validation_tests.cpp).

use mesos::container_info::{self, MesosInfo};
use mesos::executor_info::Type;
use mesos::master::validation::executor;
use mesos::{CommandInfo, ContainerInfo, ExecutorInfo, FrameworkId, Image};

use crate::helpers::*;
use crate::validation_helpers::*;

/// `DEFAULT_EXECUTOR_INFO` with executor ID `id`.
fn executor_with_id(id: &str) -> ExecutorInfo {
    let mut executor_info = default_executor_info();
    executor_info.executor_id.value = id.to_string();
    executor_info
}

/// `mutable_command()`: the executor has a command, the one it had if
/// any.
fn mutable_command(executor_info: &mut ExecutorInfo) {
    if executor_info.command.is_none() {
        executor_info.command = Some(CommandInfo::default());
    }
}

fn container_of(kind: container_info::Type) -> ContainerInfo {
    ContainerInfo {
        r#type: kind as i32,
        ..ContainerInfo::default()
    }
}

#[test]
fn executor_type() {
    let mut executor_info = default_executor_info();
    executor_info.framework_id = Some(FrameworkId {
        value: stout::Uuid::random().to_string(),
    });

    {
        // CUSTOM with a command.
        executor_info.set_type(Type::Custom);
        mutable_command(&mut executor_info);

        assert_ok(executor::validate_type(&executor_info));
    }

    {
        // CUSTOM without a command.
        executor_info.set_type(Type::Custom);
        executor_info.command = None;

        assert_error_contains(
            executor::validate_type(&executor_info),
            "'ExecutorInfo.command' must be set for 'CUSTOM' executor",
        );
    }

    {
        // DEFAULT without a command.
        executor_info.set_type(Type::Default);
        executor_info.command = None;

        assert_ok(executor::validate_type(&executor_info));
    }

    {
        // DEFAULT with a command.
        executor_info.set_type(Type::Default);
        mutable_command(&mut executor_info);

        assert_error_contains(
            executor::validate_type(&executor_info),
            "'ExecutorInfo.command' must not be set for 'DEFAULT' executor",
        );
    }

    {
        // DEFAULT in a container other than Mesos'.
        executor_info.set_type(Type::Default);
        executor_info.command = None;
        executor_info.container = Some(container_of(container_info::Type::Docker));

        assert_error_contains(
            executor::validate_type(&executor_info),
            "'ExecutorInfo.container.type' must be 'MESOS' for 'DEFAULT' executor",
        );
    }

    {
        // DEFAULT in a Mesos container with an image.
        executor_info.set_type(Type::Default);
        executor_info.command = None;
        let container = executor_info
            .container
            .get_or_insert_with(|| container_of(container_info::Type::Mesos));
        container.r#type = container_info::Type::Mesos as i32;
        container.mesos.get_or_insert_with(MesosInfo::default).image = Some(Image::default());

        assert_error_contains(
            executor::validate_type(&executor_info),
            "'ExecutorInfo.container.mesos.image' must not be set for 'DEFAULT' executor",
        );
    }
}

#[test]
fn executor_id() {
    assert_ok(executor::validate_executor_id(&executor_with_id("abc")));

    assert!(executor::validate_executor_id(&executor_with_id("")).is_err());

    // Allowed, for now.
    assert_ok(executor::validate_executor_id(&executor_with_id("ab c")));

    assert!(executor::validate_executor_id(&executor_with_id("ab/c")).is_err());

    // A dot inside is fine, a dot alone is not.
    assert_ok(executor::validate_executor_id(&executor_with_id("a.b")));

    assert!(executor::validate_executor_id(&executor_with_id(".")).is_err());

    assert!(executor::validate_executor_id(&executor_with_id("..")).is_err());
}

#[test]
fn executor_info_allocated_resources() {
    // No resources.
    {
        let executor_info = default_executor_info();

        assert_ok(executor::validate_resources(&executor_info));
    }

    // Resources allocated to a single role.
    {
        let mut executor_info = default_executor_info();

        assert_ok(executor::validate_resources(&executor_info));

        executor_info.resources = allocated_resources(resources("cpus:1;mem:128"), "role").to_vec();

        assert_ok(executor::validate_resources(&executor_info));
    }

    // Unallocated resources.
    {
        let mut executor_info = default_executor_info();
        executor_info.resources = resources("cpus:1;mem:128").to_vec();

        assert!(executor::validate_resources(&executor_info).is_err());
    }

    // Resources allocated to several roles.
    {
        let mut executor_info = default_executor_info();
        executor_info.resources = (allocated_resources(resources("cpus:1"), "role1")
            + allocated_resources(resources("mem:1"), "role2"))
        .to_vec();

        assert!(executor::validate_resources(&executor_info).is_err());
    }
}
