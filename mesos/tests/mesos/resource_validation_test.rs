//! Mesos' ResourceValidationTest (src/tests/master_validation_tests.cpp).

use mesos::master::validation::resource;
use mesos::resource::{RevocableInfo, SharedInfo};
use mesos::{volume, Resource, ResourceProviderId, Resources};

use crate::helpers::*;
use crate::validation_helpers::*;

/// `Resources::parse(name, value, role).get()`.
fn parse(name: &str, value: &str, role: &str) -> Resource {
    Resources::parse_resource(name, value, role).expect(value)
}

fn provider(id: &str) -> Option<ResourceProviderId> {
    Some(ResourceProviderId {
        value: id.to_string(),
    })
}

#[test]
fn static_reservation() {
    let resource = parse("cpus", "8", "role");

    assert_ok(resource::validate(&[resource]));
}

#[test]
fn dynamic_reservation() {
    let mut resource = parse("cpus", "8", "*");
    resource.reservations.push(create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    assert_ok(resource::validate(&[resource]));
}

#[test]
fn revocable_dynamic_reservation() {
    let mut resource = parse("cpus", "8", "*");
    resource.reservations.push(create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));
    resource.revocable = Some(RevocableInfo {});

    assert_error_contains(
        resource::validate(&[resource]),
        "cannot be created from revocable resources",
    );
}

#[test]
fn persistent_volume() {
    let mut volume = parse("disk", "128", "role1");
    volume.disk = Some(create_disk_info(
        Some("id1"),
        Some("path1"),
        None,
        None,
        None,
        None,
    ));

    assert_ok(resource::validate(&[volume]));
}

#[test]
fn unreserved_disk_info() {
    let mut volume = parse("disk", "128", "*");
    volume.disk = Some(create_disk_info(
        Some("id1"),
        Some("path1"),
        None,
        None,
        None,
        None,
    ));

    assert_error_contains(
        resource::validate(&[volume]),
        "Persistent volumes cannot be created from unreserved resources",
    );
}

#[test]
fn invalid_persistence_id() {
    let mut volume = parse("disk", "128", "role1");
    volume.disk = Some(create_disk_info(
        Some("id1/"),
        Some("path1"),
        None,
        None,
        None,
        None,
    ));

    assert_error_contains(
        resource::validate(&[volume]),
        "Invalid persistence ID for persistent volume: 'id1/' contains invalid characters",
    );
}

#[test]
fn persistent_volume_without_volume_info() {
    let mut volume = parse("disk", "128", "role1");
    volume.disk = Some(create_disk_info(Some("id1"), None, None, None, None, None));

    assert_error_contains(
        resource::validate(&[volume]),
        "Expecting 'volume' to be set for persistent volume",
    );
}

#[test]
fn persistent_volume_with_host_path() {
    let mut volume = parse("disk", "128", "role1");
    volume.disk = Some(create_disk_info(
        Some("id1"),
        Some("path1"),
        Some(volume::Mode::Rw),
        Some("foo"),
        None,
        None,
    ));

    assert_error_contains(
        resource::validate(&[volume]),
        "Expecting 'host_path' to be unset for persistent volume",
    );
}

#[test]
fn non_persistent_volume() {
    let mut volume = parse("disk", "128", "role1");
    volume.disk = Some(create_disk_info(
        None,
        Some("path1"),
        None,
        None,
        None,
        None,
    ));

    assert_error_contains(
        resource::validate(&[volume]),
        "Non-persistent volume not supported",
    );
}

#[test]
fn revocable_persistent_volume() {
    let mut volume = parse("disk", "128", "role1");
    volume.disk = Some(create_disk_info(
        Some("id1"),
        Some("path1"),
        None,
        None,
        None,
        None,
    ));
    volume.revocable = Some(RevocableInfo {});

    assert_error_contains(
        resource::validate(&[volume]),
        "Persistent volumes cannot be created from revocable resources",
    );
}

#[test]
fn unshareable_resource() {
    let mut volume = parse("disk", "128", "role1");
    volume.shared = Some(SharedInfo {});

    assert_error_contains(
        resource::validate(&[volume]),
        "Only persistent volumes can be shared",
    );
}

#[test]
fn shared_persistent_volume() {
    let mut volume = parse("disk", "128", "role1");
    volume.disk = Some(create_disk_info(
        Some("id1"),
        Some("path1"),
        None,
        None,
        None,
        None,
    ));
    volume.shared = Some(SharedInfo {});

    assert_ok(resource::validate(&[volume]));
}

#[test]
fn single_resource_provider() {
    let mut r1 = parse("disk", "128", "*");
    r1.provider_id = provider("provider1");

    let mut r2 = parse("cpu", "4", "*");
    r2.provider_id = provider("provider2");

    let mut r3 = parse("mem", "256", "*");
    r3.provider_id = provider("provider2");

    let r4 = parse("disk", "64", "*");

    {
        let resources = Resources::from(r1.clone());

        assert_ok(resource::validate_single_resource_provider(
            &resources.to_vec(),
        ));
    }

    {
        let resources = Resources::from(r4.clone());

        assert_ok(resource::validate_single_resource_provider(
            &resources.to_vec(),
        ));
    }

    {
        let mut resources = Resources::new();
        resources += r2.clone();
        resources += r3.clone();

        assert_ok(resource::validate_single_resource_provider(
            &resources.to_vec(),
        ));
    }

    {
        let mut resources = Resources::new();
        resources += r1.clone();
        resources += r2.clone();

        assert_error_contains(
            resource::validate_single_resource_provider(&resources.to_vec()),
            "The resources have multiple resource providers",
        );
    }

    {
        let mut resources = Resources::new();
        resources += r1.clone();
        resources += r4.clone();

        assert_error_contains(
            resource::validate_single_resource_provider(&resources.to_vec()),
            "Some resources have a resource provider and some do not",
        );
    }
}

#[test]
fn overlapping_sets_and_ranges() {
    let overlap = |texts: &[&str]| {
        let groups: Vec<Resources> = texts.iter().map(|text| resources(text)).collect();
        resource::detect_overlapping_set_and_range_resources(&groups)
    };

    // Nothing, and a single group, cannot overlap.
    assert!(!overlap(&[]));
    assert!(!overlap(&["zones:{a,b,c}"]));

    assert!(!overlap(&["ports:[5555-5556]", "ports:[5557-5558]"]));
    assert!(overlap(&["ports:[5555-5556]", "ports:[5555-5556]"]));
    assert!(overlap(&["ports:[5555-5557]", "ports:[5556-5558]"]));
    assert!(overlap(&[
        "ports:[5555-5557]",
        "ports:[5558-5559]",
        "ports:[5559-5560]",
    ]));
    assert!(overlap(&[
        "cpus:0.1;mem:32;ports:[5555-5557]",
        "cpus:1.0;mem:2048;disk:4096;ports:[5556-5558]",
    ]));

    assert!(!overlap(&["zones:{a,b}", "zones:{c,d}"]));
    assert!(overlap(&["zones:{a,b}", "zones:{a,b}"]));
    assert!(overlap(&["zones:{a,b,c}", "zones:{c,d,e}"]));
    assert!(overlap(&[
        "zones:{a,b,c}",
        "zones:{d,e,f}",
        "zones:{g,h,a}"
    ]));
}
