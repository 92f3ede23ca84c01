//! Mesos' ResourceProviderIDTest (src/tests/resources_tests.cpp).

use mesos::common::resources::Resources;
use mesos::value::Scalar;
use mesos::{Resource, ResourceProviderId};

use crate::helpers::*;

/// The provider every test attaches to some of its resources.
fn provider_id() -> ResourceProviderId {
    ResourceProviderId {
        value: "RESOURCE_PROVIDER_ID".to_string(),
    }
}

/// `resource` with its `provider_id` set.
fn with_provider(mut resource: Resource) -> Resource {
    resource.provider_id = Some(provider_id());
    resource
}

/// `resources.get<Value::Scalar>(name)->value()`.
fn scalar(resources: &Resources, name: &str) -> f64 {
    resources.get::<Scalar>(name).expect(name).value
}

#[test]
fn addition() {
    let cpus = with_provider(Resources::parse_resource("cpus", "4", "*").unwrap());

    let disk1 = create_disk_resource("1", "*", None, None, None, false);
    let disk2 = with_provider(disk1.clone());

    let mut r1 = Resources::new();
    r1 += &cpus;
    r1 += disk2.clone(); // By value.

    assert!(!r1.is_empty());
    assert_eq!(2, r1.len());
    assert!(r1.contains_resource(&cpus));
    assert!(r1.contains_resource(&disk2));
    assert!(!r1.contains_resource(&disk1));
    assert_eq!(4.0, scalar(&r1, "cpus"));
    assert_eq!(1.0, scalar(&r1, "disk"));

    let mut r2 = Resources::new();
    r2 += &disk2;
    r2 += disk2.clone(); // By value.

    assert!(!r2.is_empty());
    assert_eq!(1, r2.len());
    assert!(r2.contains_resource(&disk2));
    assert_eq!(2.0, scalar(&r2, "disk"));

    assert_eq!(Resources::from(disk2.clone()) + &disk2, r2);

    let mut r3 = Resources::new();
    r3 += &disk1;
    r3 += Resources::from(disk2.clone()); // By value.

    assert!(!r3.is_empty());
    assert_eq!(2, r3.len());
    assert!(r3.contains_resource(&disk1));
    assert!(r3.contains_resource(&disk2));
    assert_eq!(2.0, scalar(&r3, "disk"));

    assert_eq!(Resources::from(disk1.clone()) + &disk2, r3);
}

#[test]
fn subtraction() {
    let cpus = with_provider(Resources::parse_resource("cpus", "4", "*").unwrap());

    let disk1 = create_disk_resource("1", "*", None, None, None, false);
    let disk2 = with_provider(disk1.clone());

    assert!(Resources::from(cpus.clone()).contains_resource(&cpus));
    assert!((Resources::from(cpus.clone()) - &cpus).is_empty());

    assert!(!Resources::from(cpus.clone()).contains_resource(&disk1));
    assert!(!Resources::from(cpus.clone()).contains_resource(&disk2));

    let mut r0 = Resources::new();
    r0 += &cpus;
    r0 += &disk1;

    assert!(r0.contains_resource(&cpus));
    assert!(r0.contains_resource(&disk1));
    assert_eq!(Resources::from(cpus.clone()), &r0 - &disk1);
    assert_eq!(Resources::from(disk1.clone()), &r0 - &cpus);

    let mut r1 = Resources::new();
    r1 += &cpus;
    r1 += &disk2;

    assert!(r1.contains_resource(&cpus));
    assert!(r1.contains_resource(&disk2));
    assert_eq!(Resources::from(cpus.clone()), &r1 - &disk2);
    assert_eq!(Resources::from(disk2.clone()), &r1 - &cpus);

    let mut r2 = Resources::new();
    r2 += &disk2;
    r2 += &disk2;

    assert!(r2.contains_resource(&disk2));
    assert_eq!(Resources::from(disk2.clone()), &r2 - &disk2);
}

#[test]
#[allow(clippy::eq_op)]
fn equals() {
    let cpus = with_provider(Resources::parse_resource("cpus", "1", "*").unwrap());

    let disk1 = create_disk_resource("1", "*", None, None, None, false);
    let disk2 = with_provider(disk1.clone());

    let r1 = Resources::from(cpus.clone());
    let r2 = Resources::from(disk1.clone());
    let r3 = Resources::from(disk2.clone());
    let r4 = &r1 + &disk1;
    let r5 = &r1 + &disk2;

    assert_eq!(r1, r1);
    assert_ne!(r1, r2);
    assert_ne!(r1, r3);
    assert_ne!(r2, r3);
    assert_eq!(r2, r2);
    assert_eq!(r3, r3);

    assert_ne!(r4, r5);
    assert_eq!(r4, r4);
    assert_eq!(r5, r5);
}

#[test]
fn contains() {
    // Only the disks carry a provider here.
    let cpus = Resources::parse_resource("cpus", "1", "*").unwrap();

    let disk1 = create_disk_resource("1", "*", None, None, None, false);
    let disk2 = with_provider(disk1.clone());

    let r1 = Resources::from(disk1.clone());
    let r2 = Resources::from(disk2.clone());
    let r3 = Resources::from(cpus.clone()) + &disk1;
    let r4 = Resources::from(cpus.clone()) + &disk2;

    assert!(!r1.contains(&r2));
    assert!(!r2.contains(&r1));
    assert!(r2.contains(&r2));

    assert!(r3.contains(&r1));
    assert!(!r3.contains(&r2));
    assert!(!r4.contains(&r1));
    assert!(r4.contains(&r2));

    assert!(!r3.contains(&r4));
    assert!(r4.contains(&r4));
}
