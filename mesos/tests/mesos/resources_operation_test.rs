//! Mesos' ResourcesOperationTest (src/tests/resources_tests.cpp).

use mesos::common::resources::{self, Resources};
use mesos::offer::{self, operation};
use mesos::value;
use stout::Bytes;

use crate::helpers::*;

#[test]
fn reserve_resources() {
    let unreserved_cpus = Resources::parse("cpus:1").unwrap();
    let unreserved_mem = Resources::parse("mem:512").unwrap();

    let unreserved = &unreserved_cpus + &unreserved_mem;

    let reserved_cpus1 = unreserved_cpus.push_reservation(&create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    assert_eq!(
        &unreserved_mem + &reserved_cpus1,
        unreserved.apply(&reserve(&reserved_cpus1)).unwrap()
    );

    // More cpus than there are unreserved.
    let reserved_cpus2 = Resources::from(create_reserved_resource(
        "cpus",
        "2",
        &[create_dynamic_reservation_info(
            "role",
            Some("principal"),
            None,
        )],
    ));

    assert!(unreserved.apply(&reserve(&reserved_cpus2)).is_err());
}

#[test]
fn unreserve_resources() {
    let reserved_cpus = Resources::from(create_reserved_resource(
        "cpus",
        "1",
        &[create_dynamic_reservation_info(
            "role",
            Some("principal"),
            None,
        )],
    ));

    let reserved_mem = Resources::from(create_reserved_resource(
        "mem",
        "512",
        &[create_dynamic_reservation_info(
            "role",
            Some("principal"),
            None,
        )],
    ));

    let reserved = &reserved_cpus + &reserved_mem;

    let unreserved_cpus1 = reserved_cpus.to_unreserved();

    assert_eq!(
        &reserved_mem + &unreserved_cpus1,
        reserved.apply(&unreserve(&reserved_cpus)).unwrap()
    );

    // More cpus than there are reserved.
    let reserved_cpus2 = create_reserved_resource(
        "cpus",
        "2",
        &[create_dynamic_reservation_info(
            "role",
            Some("principal"),
            None,
        )],
    );

    assert!(reserved
        .apply(&unreserve(&Resources::from(reserved_cpus2)))
        .is_err());
}

#[test]
fn create_persistent_volume() {
    let total = Resources::parse("cpus:1;mem:512;disk(role):1000").unwrap();

    let volume1 = create_disk_resource("200", "role", Some("1"), Some("path"), None, false);

    let mut create1 = offer::Operation::default();
    create1.set_type(operation::Type::Create);
    create1
        .create
        .get_or_insert_with(Default::default)
        .volumes
        .push(volume1.clone());

    assert_eq!(
        Resources::parse("cpus:1;mem:512;disk(role):800").unwrap() + volume1.clone(),
        total.apply(&create1).unwrap()
    );

    // A volume larger than the disk.
    let volume2 = create_disk_resource("2000", "role", Some("1"), Some("path"), None, false);

    let mut create2 = offer::Operation::default();
    create2.set_type(operation::Type::Create);
    create2
        .create
        .get_or_insert_with(Default::default)
        .volumes
        .push(volume2);

    assert!(total.apply(&create2).is_err());
}

#[test]
fn stripped_resources_volume() {
    let volume = Resources::from(create_disk_resource(
        "200",
        "role",
        Some("1"),
        Some("path"),
        None,
        false,
    ));
    let stripped = volume.create_stripped_scalar_quantity();

    assert!(stripped.persistent_volumes().is_empty());
    assert!(stripped.reserved(None).is_empty());
    assert_eq!(Bytes::megabytes(200), stripped.disk().unwrap());

    let stripped_volume = stripped.iter().next().expect("a resource").clone();

    assert_eq!(value::Type::Scalar, stripped_volume.r#type());
    let scalar = stripped_volume.scalar.as_ref().expect("a scalar").value;
    assert!(
        (scalar - 200.0).abs() <= 4.0 * f64::EPSILON * 200.0,
        "{scalar} != 200"
    );
    assert_eq!("disk", stripped_volume.name);
    assert!(stripped_volume.disk.is_none());
    assert!(!resources::is_persistent_volume(&stripped_volume));
}

#[test]
fn stripped_resources_allocated() {
    let mut allocated = Resources::parse("cpus:1;mem:512").unwrap();
    allocated.allocate("role");

    let stripped = allocated.create_stripped_scalar_quantity();

    // A quantity carries no allocation.
    for resource in &stripped {
        assert!(resource.allocation_info.is_none(), "{resource}");
    }
}

#[test]
fn stripped_resources_reserved() {
    let unreserved = Resources::parse("cpus:1;mem:512").unwrap();
    let dynamically_reserved = unreserved.push_reservation(&create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    let stripped = dynamically_reserved.create_stripped_scalar_quantity();

    assert!(stripped.reserved(Some("role")).is_empty());

    for resource in &stripped {
        assert!(!resources::is_dynamically_reserved(resource), "{resource}");
        assert!(resources::is_unreserved(resource), "{resource}");
    }
}

#[test]
fn stripped_resources_resource_provider() {
    let plain = Resources::parse_resource("cpus", "1", "*").unwrap();

    let mut provided = plain.clone();
    provided
        .provider_id
        .get_or_insert_with(Default::default)
        .value = "RESOURCE_PROVIDER_ID".to_string();

    let stripped = Resources::from(provided).create_stripped_scalar_quantity();

    assert_eq!(Resources::from(plain), stripped);
}

#[test]
fn stripped_resources_non_scalar() {
    let ports = Resources::parse("ports:[10000-20000, 30000-50000]").unwrap();

    assert!(ports.create_stripped_scalar_quantity().is_empty());

    let names = Resources::parse("names:{foo,bar}").unwrap();

    assert!(names.create_stripped_scalar_quantity().is_empty());
}

#[test]
fn create_persistent_volume_from_mount() {
    let source = create_disk_source_mount(Some("mnt"), None, None);
    let total = Resources::from(create_disk_resource(
        "200",
        "role",
        None,
        None,
        Some(source.clone()),
        false,
    ));

    let volume1 = create_disk_resource(
        "200",
        "role",
        Some("1"),
        Some("path"),
        Some(source.clone()),
        false,
    );

    let mut create1 = offer::Operation::default();
    create1.set_type(operation::Type::Create);
    create1
        .create
        .get_or_insert_with(Default::default)
        .volumes
        .push(volume1);

    let result = total.apply(&create1);
    assert!(result.is_ok(), "{result:?}");

    // A volume on only part of a MOUNT disk: the disk cannot be split.
    let volume2 = create_disk_resource("50", "role", Some("1"), Some("path"), Some(source), false);

    let mut create2 = offer::Operation::default();
    create2.set_type(operation::Type::Create);
    create2
        .create
        .get_or_insert_with(Default::default)
        .volumes
        .push(volume2);

    assert!(total.apply(&create2).is_err());
}

#[test]
fn create_shared_persistent_volume() {
    let total = Resources::parse("cpus:1;mem:512;disk(role):1000").unwrap();

    let volume1 = create_disk_resource("200", "role", Some("1"), Some("path"), None, true);

    let mut create1 = offer::Operation::default();
    create1.set_type(operation::Type::Create);
    create1
        .create
        .get_or_insert_with(Default::default)
        .volumes
        .push(volume1.clone());

    assert_eq!(
        Resources::parse("cpus:1;mem:512;disk(role):800").unwrap() + volume1.clone(),
        total.apply(&create1).unwrap()
    );

    // DESTROY undoes CREATE of the same volume.
    let mut destroy1 = offer::Operation::default();
    destroy1.set_type(operation::Type::Destroy);
    destroy1
        .destroy
        .get_or_insert_with(Default::default)
        .volumes
        .push(volume1.clone());

    assert_eq!(
        total,
        total.apply(&create1).unwrap().apply(&destroy1).unwrap()
    );

    // A volume larger than the disk.
    let volume2 = create_disk_resource("2000", "role", Some("1"), Some("path"), None, true);

    let mut create2 = offer::Operation::default();
    create2.set_type(operation::Type::Create);
    create2
        .create
        .get_or_insert_with(Default::default)
        .volumes
        .push(volume2);

    assert!(total.apply(&create2).is_err());
}

#[test]
fn destroy_shared_persistent_volume_multiple_copies() {
    let mut total = Resources::parse("cpus:1;mem:512;disk(role):800").unwrap();
    let volume1 = create_disk_resource("200", "role", Some("1"), Some("path"), None, true);

    // Two copies of the shared volume.
    total += volume1.clone();
    total += volume1.clone();

    // Destroying is refused while more than one copy is present.
    let mut destroy1 = offer::Operation::default();
    destroy1.set_type(operation::Type::Destroy);
    destroy1
        .destroy
        .get_or_insert_with(Default::default)
        .volumes
        .push(volume1);

    assert!(total.apply(&destroy1).is_err());
}

#[test]
fn flatten_resources() {
    let unreserved_cpus = Resources::parse("cpus:1").unwrap();
    let unreserved_mem = Resources::parse("mem:512").unwrap();

    let unreserved = &unreserved_cpus + &unreserved_mem;

    let reserved_cpus = unreserved_cpus.push_reservation(&create_dynamic_reservation_info(
        "role",
        Some("principal"),
        None,
    ));

    assert_eq!(
        &unreserved_mem + &reserved_cpus,
        unreserved.apply(&reserve(&reserved_cpus)).unwrap()
    );
}
