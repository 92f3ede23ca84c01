//! Mesos' SharedResourcesTest (src/tests/resources_tests.cpp).

use mesos::common::resources::Resources;
use mesos::value::Scalar;
use stout::Bytes;

use crate::helpers::*;

/// `resources.get<Value::Scalar>(name)->value()`.
fn scalar(resources: &Resources, name: &str) -> f64 {
    resources.get::<Scalar>(name).expect(name).value
}

#[test]
fn printing() {
    let volume = Resources::from(create_persistent_volume(
        Bytes::megabytes(64),
        "role1",
        "id1",
        "path1",
        None,
        None,
        Some("principal1"),
        true, // shared
    ));

    assert_eq!(
        "disk(reservations: [(STATIC,role1)])[id1:path1]<SHARED>:64<1>",
        volume.to_string()
    );

    assert_eq!(
        "disk(reservations: [(STATIC,role1)])[id1:path1]<SHARED>:64<2>",
        (&volume + &volume).to_string()
    );
}

#[test]
fn scalar_addition_shared() {
    // The volume is shared.
    let disk = create_disk_resource("50", "role1", Some("1"), Some("path"), None, true);

    let mut r1 = Resources::new();
    r1 += Resources::parse_resource("cpus", "1", "*").unwrap();
    r1 += Resources::parse_resource("mem", "5", "*").unwrap();
    r1 += &disk;

    assert_eq!(1, r1.count(&disk));

    let r2 = Resources::parse("cpus:2;mem:10").unwrap() + &disk;

    assert_eq!(1, r2.count(&disk));

    // `+`.
    let sum = &r1 + &r2;

    assert!(!sum.is_empty());
    assert_eq!(3, sum.len());
    assert_eq!(3.0, scalar(&sum, "cpus"));
    assert_eq!(15.0, scalar(&sum, "mem"));
    assert_eq!(50.0, scalar(&sum, "disk"));
    assert_eq!(2, sum.count(&disk));

    // Owned operands on either side.
    let sum1 = r1.clone() + &r2;
    let sum2 = &r1 + r2.clone();
    let sum3 = r1.clone() + r2.clone();

    assert_eq!(sum, sum1);
    assert_eq!(sum, sum2);
    assert_eq!(sum, sum3);

    // `+=` agrees with `+`.
    let mut r = r1.clone();
    r += &r2;
    assert_eq!(r, sum);
}

#[test]
fn scalar_subtraction_shared() {
    // The volume is shared.
    let disk = create_disk_resource("8192", "role1", Some("1"), Some("path"), None, true);

    let r1 = Resources::parse("cpus:40;mem:4096").unwrap() + &disk + &disk;
    let r2 = Resources::parse("cpus:5;mem:512").unwrap() + &disk;

    // `-`.
    let diff = &r1 - &r2;

    assert!(!diff.is_empty());
    assert_eq!(3, diff.len());
    assert_eq!(35.0, scalar(&diff, "cpus"));
    assert_eq!(3584.0, scalar(&diff, "mem"));
    assert_eq!(8192.0, scalar(&diff, "disk"));
    assert_eq!(1, diff.count(&disk));
    assert!(diff.contains_resource(&disk));

    // `-=` agrees with `-`.
    let mut r = r1.clone();
    r -= &r2;
    assert_eq!(diff, r);

    // Once every copy is gone, the volume is no longer contained.
    assert_eq!(2, r1.count(&disk));
    assert!(r1.contains_resource(&disk));
    assert_eq!(1, r2.count(&disk));
    assert!(r2.contains_resource(&disk));

    assert_eq!(0, (&r1 - &r2 - &r2).count(&disk));
    assert!(!(&r1 - &r2 - &r2).contains_resource(&disk));
    assert_eq!(0, (&r2 - &r1).count(&disk));
    assert!(!(&r2 - &r1).contains_resource(&disk));
}

#[test]
fn scalar_shared_compound_expressions() {
    // The volume is shared.
    let disk = create_disk_resource("50", "role1", Some("1"), Some("path"), None, true);

    let r1 = Resources::parse("cpus:2;mem:10").unwrap() + &disk + &disk + &disk + &disk;
    let r2 = Resources::parse("cpus:2;mem:10").unwrap() + &disk + &disk + &disk;

    assert_eq!(4, r1.count(&disk));
    assert_eq!(3, r2.count(&disk));

    // Chains of operations.
    assert_eq!(&r1 + &r1 - &r1, r1);
    assert_eq!(&r1 + &r2 - &r1, r2);
    assert_eq!(&r2 + &r1 - &r2, r1);
    assert_eq!(&r2 + &r1 - &r1, r2);
    assert_eq!(&r2 - &r1 + &r1, r1);
    assert_eq!(&r1 - &r2 + &r2, r1);

    // Only the number of copies differs.
    assert!((&r2 - &r1).is_empty());
    assert!(!(&r1 - &r2).is_empty());
}

#[test]
fn scalar_non_equal_shared_operations() {
    // Two different shared persistent volumes.
    let disk1 = create_disk_resource("50", "role1", Some("1"), Some("path1"), None, true);
    let disk2 = create_disk_resource("100", "role1", Some("2"), Some("path2"), None, true);

    let r1 = Resources::from(disk1.clone()) + &disk2;

    assert_eq!(1, r1.count(&disk1));
    assert_eq!(1, r1.count(&disk2));

    let r2 = Resources::from(disk1.clone()) + &disk2 - &disk1;

    assert_eq!(0, r2.count(&disk1));
    assert_eq!(1, r2.count(&disk2));

    // Subtracting a different volume is a no-op.
    let r3 = Resources::from(disk1.clone()) - &disk2;

    assert_eq!(1, r3.count(&disk1));
    assert_eq!(0, r3.count(&disk2));
}

#[test]
fn scalar_shared_and_non_shared_operations() {
    let shared_disk = create_disk_resource("100", "role1", Some("1"), Some("path"), None, true);

    let non_shared_disk =
        create_disk_resource("100", "role1", Some("1"), Some("path"), None, false);

    let r1 = Resources::parse("cpus:1;mem:5").unwrap() + &shared_disk;
    let r2 = Resources::parse("cpus:1;mem:5").unwrap() + &non_shared_disk;

    // Sharedness alone keeps them from containing each other.
    assert!(!r2.contains(&r1));
    assert!(!r1.contains(&r2));

    // Adding across sharedness keeps both.
    let mut r3 = Resources::from(shared_disk.clone());
    r3 += &shared_disk;
    r3 += &non_shared_disk;

    assert!(!r3.is_empty());
    assert_eq!(2, r3.len());
    assert_eq!(200.0, scalar(&r3, "disk"));
    assert_eq!(2, r3.count(&shared_disk));
    assert_eq!(1, r3.count(&non_shared_disk));

    // Subtracting across sharedness is a no-op.
    let mut r4 = Resources::from(non_shared_disk.clone());
    r4 -= &shared_disk;

    assert_eq!(r4, Resources::from(non_shared_disk.clone()));
}

#[test]
fn filter() {
    let r1 = Resources::from(create_disk_resource(
        "10",
        "role1",
        Some("1"),
        Some("path"),
        None,
        true,
    ));
    assert_eq!(r1, r1.shared());
    assert!(r1.non_shared().is_empty());

    let r2 = Resources::from(create_disk_resource("20", "role2", None, None, None, false));

    assert!(r2.shared().is_empty());
    assert_eq!(r2, r2.non_shared());

    assert_eq!(r1, (&r1 + &r2).shared());
    assert_eq!(r2, (&r1 + &r2).non_shared());

    let resources = Resources::parse("cpus:1;mem:512;disk:1000").unwrap();
    let sum = &resources + &r1 + &r2;

    assert_eq!(r1, sum.shared());
    assert_eq!(&resources + &r2, sum.non_shared());
}
