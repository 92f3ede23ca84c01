//! Mesos' UnreserveOperationValidationTest (src/tests/master_validation_tests.cpp).

use mesos::master::validation::operation;
use mesos::offer::operation::Unreserve;
use mesos::{Resource, ResourceProviderId, Resources};

use crate::helpers::*;
use crate::validation_helpers::*;

/// `Resources::parse(name, value, role).get()`.
fn parse(name: &str, value: &str, role: &str) -> Resource {
    Resources::parse_resource(name, value, role).expect(value)
}

fn unreserve_of(resources: Vec<Resource>) -> Unreserve {
    Unreserve { resources }
}

/// A disk of 10 from `provider`, dynamically reserved to `role`.
fn provided_disk(provider: &str) -> Resource {
    let mut resource = parse("disk", "10", "*");
    resource.provider_id = Some(ResourceProviderId {
        value: provider.to_string(),
    });
    resource.reservations.push(create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));
    resource
}

#[test]
fn without_acl() {
    let mut resource = parse("cpus", "8", "*");
    resource.reservations.push(create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    assert_ok(operation::validate_unreserve(&unreserve_of(vec![resource])));
}

#[test]
fn framework_missing_principal() {
    let mut resource = parse("cpus", "8", "*");
    resource
        .reservations
        .push(create_dynamic_reservation_info("role", None, None));

    assert_ok(operation::validate_unreserve(&unreserve_of(vec![resource])));
}

#[test]
fn static_reservation() {
    let statically_reserved = parse("cpus", "8", "role");

    let error = operation::validate_unreserve(&unreserve_of(vec![statically_reserved]));

    assert!(error.is_err());
}

#[test]
fn no_persistent_volumes() {
    let mut reserved = parse("cpus", "8", "*");
    reserved.reservations.push(create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    let mut volume = parse("disk", "128", "role");
    volume.disk = Some(create_disk_info(
        Some("id1"),
        Some("path1"),
        None,
        None,
        None,
        None,
    ));

    let error = operation::validate_unreserve(&unreserve_of(vec![reserved, volume]));

    assert!(error.is_err());
}

#[test]
fn multiple_resource_providers() {
    let mut resource1 = parse("cpus", "8", "*");
    resource1.reservations.push(create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    let resource2 = provided_disk("provider1");
    let resource3 = provided_disk("provider2");

    {
        let unreserve = unreserve_of(vec![resource1.clone(), resource2.clone()]);

        assert_error_contains(
            operation::validate_unreserve(&unreserve),
            "Invalid resources: Some resources have a resource provider and some do not",
        );
    }

    {
        let unreserve = unreserve_of(vec![resource2.clone(), resource3.clone()]);

        assert_error_contains(
            operation::validate_unreserve(&unreserve),
            "Invalid resources: The resources have multiple resource providers: provider2, \
             provider1",
        );
    }

    {
        let unreserve = unreserve_of(vec![resource2.clone()]);

        assert_ok(operation::validate_unreserve(&unreserve));
    }
}
