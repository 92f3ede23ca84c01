//! Mesos' CreateOperationValidationTest (src/tests/master_validation_tests.cpp).

use libprocess::http::authentication::Principal;
use mesos::common::protobuf_utils::slave::Capabilities;
use mesos::framework_info::capability::Type as Capability;
use mesos::master::validation::operation;
use mesos::offer::operation::Create;
use mesos::resource::AllocationInfo;
use mesos::{volume, FrameworkInfo, Resource, ResourceProviderId, Resources};

use crate::helpers::*;
use crate::validation_helpers::*;

/// `Resources::parse(name, value, role).get()`.
fn parse(name: &str, value: &str, role: &str) -> Resource {
    Resources::parse_resource(name, value, role).expect(value)
}

/// A disk of `value` reserved to `role`, a volume `id` at `path`.
fn volume_of(value: &str, role: &str, id: &str, path: &str) -> Resource {
    let mut volume = parse("disk", value, role);
    volume.disk = Some(create_disk_info(
        Some(id),
        Some(path),
        None,
        None,
        None,
        None,
    ));
    volume
}

fn create_of(volumes: Vec<Resource>) -> Create {
    Create { volumes }
}

#[test]
fn persistent_volumes() {
    let capabilities = Capabilities::default();

    let volume = volume_of("128", "role1", "id1", "path1");
    let mut create = create_of(vec![volume]);

    assert_ok(operation::validate_create(
        &create,
        &Resources::new(),
        None,
        &capabilities,
        None,
    ));

    let cpus = parse("cpus", "2", "*");
    create.volumes.push(cpus);

    let error = operation::validate_create(&create, &Resources::new(), None, &capabilities, None);

    assert!(error.is_err());
}

#[test]
fn duplicated_persistence_id() {
    let capabilities = Capabilities::default();

    let volume1 = volume_of("128", "role1", "id1", "path1");
    let mut create = create_of(vec![volume1.clone()]);

    assert_ok(operation::validate_create(
        &create,
        &Resources::new(),
        None,
        &capabilities,
        None,
    ));

    let volume2 = volume_of("64", "role1", "id1", "path1");

    let error = operation::validate_create(
        &create,
        &Resources::from(volume1.clone()),
        None,
        &capabilities,
        None,
    );

    assert!(error.is_err());

    create.volumes.push(volume2);

    let error = operation::validate_create(&create, &Resources::new(), None, &capabilities, None);

    assert!(error.is_err());
}

#[test]
fn non_matching_principal() {
    let capabilities = Capabilities::default();

    // A principal in `DiskInfo.Persistence` other than the requester's.
    {
        let mut volume = parse("disk", "128", "role1");
        volume.disk = Some(create_disk_info(
            Some("id1"),
            Some("path1"),
            None,
            None,
            None,
            Some("principal"),
        ));

        let create = create_of(vec![volume]);

        let error = operation::validate_create(
            &create,
            &Resources::new(),
            Some(&Principal::new("other-principal")),
            &capabilities,
            None,
        );

        assert!(error.is_err());
    }

    // No principal in `DiskInfo.Persistence`.
    {
        let volume = volume_of("128", "role1", "id1", "path1");

        let create = create_of(vec![volume]);

        let error = operation::validate_create(
            &create,
            &Resources::new(),
            Some(&Principal::new("principal")),
            &capabilities,
            None,
        );

        assert!(error.is_err());
    }
}

#[test]
fn read_only_persistent_volume() {
    let capabilities = Capabilities::default();

    let mut volume = parse("disk", "128", "role1");
    volume.disk = Some(create_disk_info(
        Some("id1"),
        Some("path1"),
        Some(volume::Mode::Ro),
        None,
        None,
        None,
    ));

    let create = create_of(vec![volume]);

    let error = operation::validate_create(&create, &Resources::new(), None, &capabilities, None);

    assert!(error.is_err());
}

#[test]
fn shared_volume_based_on_capability() {
    let capabilities = Capabilities::default();

    let mut volume = create_disk_resource("128", "role1", Some("1"), Some("path1"), None, true);
    volume.allocation_info = Some(AllocationInfo {
        role: Some("role1".to_string()),
    });

    let create = create_of(vec![volume]);

    // Without a framework, nothing depends on one.
    assert_ok(operation::validate_create(
        &create,
        &Resources::new(),
        None,
        &capabilities,
        None,
    ));

    // A framework without SHARED_RESOURCES cannot create shared volumes.
    let mut framework_info = default_framework_info();
    framework_info.roles[0] = "role1".to_string();

    let error = operation::validate_create(
        &create,
        &Resources::new(),
        None,
        &capabilities,
        Some(&framework_info),
    );

    assert!(error.is_err());

    // With SHARED_RESOURCES, it can.
    framework_info
        .capabilities
        .push(framework_capability(Capability::SharedResources));

    assert_ok(operation::validate_create(
        &create,
        &Resources::new(),
        None,
        &capabilities,
        Some(&framework_info),
    ));
}

#[test]
fn mixed_allocation_role() {
    let capabilities = Capabilities::default();

    let volume1 = volume_of("128", "role1", "id1", "path1");
    let volume2 = volume_of("256", "role2", "id2", "path2");

    let create = create_of(
        (allocated_resources(volume1, "role1") + allocated_resources(volume2, "role2")).to_vec(),
    );

    let framework_info = FrameworkInfo {
        roles: vec!["role1".to_string(), "role2".to_string()],
        capabilities: vec![
            framework_capability(Capability::MultiRole),
            framework_capability(Capability::ReservationRefinement),
        ],
        ..FrameworkInfo::default()
    };

    let error = operation::validate_create(
        &create,
        &Resources::new(),
        None,
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(
        error,
        "Invalid volume resources: The resources have multiple allocation roles ('role2' and \
         'role1') but only one allocation role is allowed",
    );
}

#[test]
fn agent_hierarchical_role_capability() {
    let volume = volume_of("128", "foo/bar", "id1", "path1");
    let create = create_of(vec![volume]);

    {
        let capabilities = Capabilities {
            hierarchical_role: true,
            ..Capabilities::default()
        };

        assert_ok(operation::validate_create(
            &create,
            &Resources::new(),
            None,
            &capabilities,
            None,
        ));
    }

    {
        let capabilities = Capabilities {
            hierarchical_role: false,
            ..Capabilities::default()
        };

        let error =
            operation::validate_create(&create, &Resources::new(), None, &capabilities, None);

        assert_error_contains(
            error,
            "with reservation for hierarchical role 'foo/bar' cannot be created on an agent \
             without HIERARCHICAL_ROLE capability",
        );
    }
}

#[test]
fn multiple_resource_providers() {
    let capabilities = Capabilities::default();

    let resource1 = volume_of("10", "role", "id1", "path1");

    let mut resource2 = volume_of("10", "role", "id2", "path2");
    resource2.provider_id = Some(ResourceProviderId {
        value: "provider1".to_string(),
    });

    let mut resource3 = volume_of("10", "role", "id3", "path3");
    resource3.provider_id = Some(ResourceProviderId {
        value: "provider2".to_string(),
    });

    {
        let create = create_of(vec![resource1.clone(), resource2.clone()]);

        let error =
            operation::validate_create(&create, &Resources::new(), None, &capabilities, None);

        assert_error_contains(
            error,
            "Invalid resources: Some resources have a resource provider and some do not",
        );
    }

    {
        let create = create_of(vec![resource2.clone(), resource3.clone()]);

        let error =
            operation::validate_create(&create, &Resources::new(), None, &capabilities, None);

        assert_error_contains(
            error,
            "Invalid resources: The resources have multiple resource providers: provider2, \
             provider1",
        );
    }

    {
        let create = create_of(vec![resource2.clone()]);

        assert_ok(operation::validate_create(
            &create,
            &Resources::new(),
            None,
            &capabilities,
            None,
        ));
    }
}
