//! Mesos' ReserveOperationValidationTest (src/tests/master_validation_tests.cpp).

#![allow(deprecated)] // `FrameworkInfo.role`, as the original sets it.

use libprocess::http::authentication::Principal;
use mesos::common::protobuf_utils::slave::Capabilities;
use mesos::common::resources::reservation_role;
use mesos::framework_info::capability::Type as Capability;
use mesos::master::validation::operation;
use mesos::offer::operation::Reserve;
use mesos::resource::{reservation_info, ReservationInfo};
use mesos::{FrameworkInfo, Resource, ResourceProviderId, Resources};

use crate::helpers::*;
use crate::validation_helpers::*;

/// `Resources::parse(name, value, role).get()`.
fn parse(name: &str, value: &str, role: &str) -> Resource {
    Resources::parse_resource(name, value, role).expect(value)
}

/// A resource dynamically reserved to `role` by `principal`.
fn dynamically_reserved(name: &str, value: &str, role: &str, principal: &str) -> Resource {
    let mut resource = parse(name, value, "*");
    resource
        .reservations
        .push(create_dynamic_reservation_info(role, Some(principal), None));
    resource
}

fn reserve_of(resources: Vec<Resource>) -> Reserve {
    Reserve {
        resources,
        ..Reserve::default()
    }
}

/// A framework in `role` (without MULTI_ROLE) that can refine
/// reservations.
fn framework_in(role: &str) -> FrameworkInfo {
    FrameworkInfo {
        role: Some(role.to_string()),
        capabilities: vec![framework_capability(Capability::ReservationRefinement)],
        ..FrameworkInfo::default()
    }
}

fn principal(name: &str) -> Principal {
    Principal::new(name)
}

#[test]
fn matching_role() {
    let capabilities = Capabilities::default();

    let resource = dynamically_reserved("cpus", "8", "resourceRole", "principal");
    let role = reservation_role(&resource).to_string();
    let reserve = reserve_of(allocated_resources(resource, &role).to_vec());

    let mut framework_info = framework_in("frameworkRole");

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(
        error,
        "A reserve operation was attempted for a resource allocated to role 'resourceRole', but \
         the framework only has roles '{ frameworkRole }'",
    );

    // A MULTI_ROLE framework.
    framework_info.role = None;
    framework_info.roles.push("role1".to_string());
    framework_info.roles.push("role2".to_string());
    framework_info
        .capabilities
        .push(framework_capability(Capability::MultiRole));
    framework_info
        .capabilities
        .push(framework_capability(Capability::ReservationRefinement));

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    // Only the beginning: the order the roles are listed in is Mesos'
    // hash set's.
    assert_error_contains(
        error,
        "A reserve operation was attempted for a resource allocated to role 'resourceRole', but \
         the framework only has roles ",
    );
}

#[test]
fn disallow_reserving_to_star() {
    let capabilities = Capabilities::default();

    let resource = dynamically_reserved("cpus", "8", "*", "principal");
    let reserve = reserve_of(vec![resource]);

    let mut framework_info = framework_in("*");

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(error, "Invalid reservation: role \"*\" cannot be reserved");

    // A MULTI_ROLE framework.
    framework_info.role = None;
    framework_info.roles.push("role".to_string());
    framework_info.roles.push("*".to_string());
    framework_info
        .capabilities
        .push(framework_capability(Capability::MultiRole));

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(error, "Invalid reservation: role \"*\" cannot be reserved");
}

#[test]
fn matching_principal() {
    let capabilities = Capabilities::default();

    let resource = dynamically_reserved("cpus", "8", "role", "principal");
    let role = reservation_role(&resource).to_string();
    let reserve = reserve_of(allocated_resources(resource, &role).to_vec());

    let framework_info = framework_in("role");

    assert_ok(operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    ));
}

#[test]
fn non_matching_principal() {
    let capabilities = Capabilities::default();

    let resource = dynamically_reserved("cpus", "8", "role", "principal2");
    let reserve = reserve_of(vec![resource]);

    let framework_info = framework_in("role");

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal1")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(
        error,
        "A reserve operation was attempted by authenticated principal 'principal1', which does \
         not match a reserved resource in the request with principal 'principal2'",
    );
}

#[test]
fn reservation_info_missing_principal() {
    let capabilities = Capabilities::default();

    let reservation_info = ReservationInfo {
        r#type: Some(reservation_info::Type::Dynamic as i32),
        role: Some("role".to_string()),
        ..ReservationInfo::default()
    };

    let mut resource = parse("cpus", "8", "*");
    resource.reservations.push(reservation_info);

    let reserve = reserve_of(vec![resource]);

    let framework_info = framework_in("role");

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(
        error,
        "A reserve operation was attempted by principal 'principal', but there is a reserved \
         resource in the request with no principal set",
    );
}

#[test]
fn static_reservation() {
    let capabilities = Capabilities::default();

    let statically_reserved = parse("cpus", "8", "role");
    let reserve = reserve_of(vec![statically_reserved]);

    let framework_info = framework_in("role");

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(error, "is not dynamically reserved");
}

#[test]
fn no_persistent_volumes() {
    let capabilities = Capabilities::default();

    let reserved = dynamically_reserved("cpus", "8", "role", "principal");

    let mut volume = parse("disk", "128", "role");
    volume.disk = Some(create_disk_info(
        Some("id1"),
        Some("path1"),
        None,
        None,
        None,
        None,
    ));

    let mut resources = allocated_resources(reserved.clone(), reservation_role(&reserved)).to_vec();
    resources.extend(allocated_resources(volume.clone(), reservation_role(&volume)).to_vec());
    let reserve = reserve_of(resources);

    let framework_info = framework_in("role");

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(error, "is not dynamically reserved");
}

#[test]
fn mismatched_allocation() {
    let capabilities = Capabilities::default();

    let resource = dynamically_reserved("cpus", "8", "role1", "principal");
    let reserve = reserve_of(allocated_resources(resource, "role2").to_vec());

    let framework_info = FrameworkInfo {
        roles: vec!["role1".to_string(), "role2".to_string()],
        capabilities: vec![
            framework_capability(Capability::MultiRole),
            framework_capability(Capability::ReservationRefinement),
        ],
        ..FrameworkInfo::default()
    };

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(
        error,
        "A reserve operation was attempted for a resource with role 'role1', but the resource \
         was allocated to role 'role2'",
    );
}

#[test]
fn unexpected_allocated_resource() {
    let capabilities = Capabilities::default();

    let resource = dynamically_reserved("cpus", "8", "role", "principal");
    let reserve = reserve_of(allocated_resources(resource, "role").to_vec());

    // Operators (the HTTP API) give no `FrameworkInfo`.
    let error =
        operation::validate_reserve(&reserve, Some(&principal("principal")), &capabilities, None);

    assert_error_contains(
        error,
        "A reserve operation was attempted with an allocated resource, but the operator API \
         only allows reservations to be made to unallocated resources",
    );
}

#[test]
fn mixed_allocation_roles() {
    let capabilities = Capabilities::default();

    let resource1 = dynamically_reserved("cpus", "8", "role1", "principal");
    let resource2 = dynamically_reserved("mem", "8", "role2", "principal");

    let reserve = reserve_of(
        (allocated_resources(resource1, "role1") + allocated_resources(resource2, "role2"))
            .to_vec(),
    );

    let framework_info = FrameworkInfo {
        roles: vec!["role1".to_string(), "role2".to_string()],
        capabilities: vec![
            framework_capability(Capability::MultiRole),
            framework_capability(Capability::ReservationRefinement),
        ],
        ..FrameworkInfo::default()
    };

    let error = operation::validate_reserve(
        &reserve,
        Some(&principal("principal")),
        &capabilities,
        Some(&framework_info),
    );

    assert_error_contains(
        error,
        "Invalid reservation resources: The resources have multiple allocation roles ('role2' \
         and 'role1') but only one allocation role is allowed",
    );
}

#[test]
fn agent_hierarchical_role_capability() {
    let resource = dynamically_reserved("cpus", "8", "foo/bar", "principal");
    let role = reservation_role(&resource).to_string();
    let reserve = reserve_of(allocated_resources(resource, &role).to_vec());

    let framework_info = framework_in("foo/bar");

    {
        let capabilities = Capabilities {
            hierarchical_role: true,
            ..Capabilities::default()
        };

        assert_ok(operation::validate_reserve(
            &reserve,
            Some(&principal("principal")),
            &capabilities,
            Some(&framework_info),
        ));
    }

    {
        let capabilities = Capabilities {
            hierarchical_role: false,
            ..Capabilities::default()
        };

        let error = operation::validate_reserve(
            &reserve,
            Some(&principal("principal")),
            &capabilities,
            Some(&framework_info),
        );

        assert_error_contains(
            error,
            "with reservation for hierarchical role 'foo/bar' cannot be reserved on an agent \
             without HIERARCHICAL_ROLE capability",
        );
    }
}

#[test]
fn multiple_resource_providers() {
    let capabilities = Capabilities::default();

    let framework_info = framework_in("role");

    let resource1 = dynamically_reserved("cpus", "8", "role", "principal");

    let mut resource2 = parse("disk", "10", "*");
    resource2.provider_id = Some(ResourceProviderId {
        value: "provider1".to_string(),
    });
    resource2.reservations.push(create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    let mut resource3 = parse("disk", "10", "*");
    resource3.provider_id = Some(ResourceProviderId {
        value: "provider2".to_string(),
    });
    resource3.reservations.push(create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    {
        let reserve = reserve_of(
            allocated_resources(
                Resources::from(resource1.clone()) + resource2.clone(),
                "role",
            )
            .to_vec(),
        );

        let error = operation::validate_reserve(
            &reserve,
            Some(&principal("principal")),
            &capabilities,
            Some(&framework_info),
        );

        assert_error_contains(
            error,
            "Invalid resources: Some resources have a resource provider and some do not",
        );
    }

    {
        let reserve = reserve_of(
            allocated_resources(
                Resources::from(resource2.clone()) + resource3.clone(),
                "role",
            )
            .to_vec(),
        );

        let error = operation::validate_reserve(
            &reserve,
            Some(&principal("principal")),
            &capabilities,
            Some(&framework_info),
        );

        assert_error_contains(
            error,
            "Invalid resources: The resources have multiple resource providers: provider2, \
             provider1",
        );
    }

    {
        let reserve = reserve_of(allocated_resources(resource2.clone(), "role").to_vec());

        assert_ok(operation::validate_reserve(
            &reserve,
            Some(&principal("principal")),
            &capabilities,
            Some(&framework_info),
        ));
    }
}
