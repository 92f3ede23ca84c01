//! Mesos' DiskResourcesTest (src/tests/resources_tests.cpp).

use mesos::common::resources::{self, Resources};
use mesos::resource::disk_info::Source;
use mesos::Resource;

use crate::helpers::*;

/// `EXPECT_NONE(Resources::validate(resource))`.
#[track_caller]
fn assert_valid(resource: &Resource) {
    if let Err(error) = resources::validate(resource) {
        panic!("{resource} is invalid: {error}");
    }
}

/// `Resources(createDiskResource(value, role, persistenceId, containerPath, source))`.
fn disk(
    value: &str,
    role: &str,
    persistence_id: Option<&str>,
    container_path: Option<&str>,
    source: Option<&Source>,
) -> Resources {
    Resources::from(create_disk_resource(
        value,
        role,
        persistence_id,
        container_path,
        source.cloned(),
        false,
    ))
}

#[test]
fn validation() {
    let mut cpus = Resources::parse_resource("cpus", "2", "*").unwrap();
    cpus.disk = Some(create_disk_info(
        Some("1"),
        Some("path"),
        None,
        None,
        None,
        None,
    ));

    let error = resources::validate(&cpus);
    assert!(error.is_err(), "{cpus} was accepted");
    assert_eq!(
        "DiskInfo should not be set for cpus resource",
        error.unwrap_err().message()
    );

    assert_valid(&create_disk_resource(
        "10",
        "role",
        Some("1"),
        Some("path"),
        None,
        false,
    ));

    assert_valid(&create_disk_resource(
        "10",
        "*",
        None,
        Some("path"),
        None,
        false,
    ));

    assert_valid(&create_disk_resource(
        "10",
        "role",
        Some("1"),
        Some("path"),
        Some(create_disk_source_path(Some("mnt"), None, None)),
        false,
    ));

    assert_valid(&create_disk_resource(
        "10",
        "role",
        Some("1"),
        Some("path"),
        Some(create_disk_source_mount(Some("mnt"), None, None)),
        false,
    ));
}

#[test]
fn equals() {
    let r1 = disk("10", "*", None, None, None);
    let r2 = disk("10", "*", None, Some("path1"), None);
    let r3 = disk("10", "*", None, Some("path2"), None);
    let r4 = disk("10", "role", None, Some("path2"), None);
    let r5 = disk("10", "role", Some("1"), Some("path1"), None);
    let r6 = disk("10", "role", Some("1"), Some("path2"), None);
    let r7 = disk("10", "role", Some("2"), Some("path2"), None);

    assert_ne!(r1, r2);

    assert_eq!(r2, r3);
    assert_eq!(r5, r6);

    assert_ne!(r6, r7);
    assert_ne!(r4, r7);
}

#[test]
fn disk_source_equals() {
    let s1 = create_disk_source_path(Some("mnt"), None, None);
    let s2 = create_disk_source_path(Some("mnt2"), None, None);
    let s3 = create_disk_source_mount(Some("mnt"), None, None);
    let s4 = create_disk_source_mount(Some("mnt2"), None, None);

    let r1 = disk("10", "*", None, None, Some(&s1));
    let r2 = disk("10", "*", None, Some("path1"), Some(&s1));
    let r3 = disk("10", "*", None, Some("path2"), Some(&s1));
    let r4 = disk("10", "role", None, Some("path2"), Some(&s1));
    let r5 = disk("10", "role", Some("1"), Some("path1"), Some(&s1));
    let r6 = disk("10", "role", Some("1"), Some("path2"), Some(&s1));
    let r7 = disk("10", "role", Some("2"), Some("path2"), Some(&s1));

    assert_eq!(r1, r2);
    assert_eq!(r2, r3);
    assert_eq!(r5, r6);

    assert_ne!(r6, r7);
    assert_ne!(r4, r7);

    let r8 = disk("10", "*", None, None, Some(&s2));
    let r9 = disk("10", "*", None, Some("path1"), Some(&s2));

    assert_eq!(r8, r9);

    assert_ne!(r8, r1);
    assert_ne!(r9, r2);

    let r10 = disk("10", "*", None, Some("path1"), Some(&s3));

    assert_eq!(r10, r10.clone());
    assert_ne!(r3, r10);

    let r11 = disk("10", "*", None, None, Some(&s1));
    let r12 = disk("10", "*", None, None, Some(&s2));
    let r13 = disk("10", "*", None, None, Some(&s3));
    let r14 = disk("10", "*", None, None, Some(&s4));

    assert_eq!(r11, r11.clone());
    assert_eq!(r13, r13.clone());

    assert_ne!(r11, r12);
    assert_ne!(r11, r13);
    assert_ne!(r13, r14);
}

#[test]
fn addition() {
    let r1 = disk("10", "role", None, Some("path"), None);
    let r2 = disk("10", "role", None, None, None);
    let r3 = disk("20", "role", None, Some("path"), None);

    assert_eq!(r3, &r1 + &r1);
    assert_ne!(r3, &r1 + &r2);

    let r4 = disk("10", "role", Some("1"), Some("path"), None);
    let r5 = disk("10", "role", Some("2"), Some("path"), None);
    let r6 = disk("20", "role", Some("1"), Some("path"), None);

    let sum = &r4 + &r5;

    assert!(sum.contains(&r4));
    assert!(sum.contains(&r5));
    assert!(!sum.contains(&r3));
    assert!(!sum.contains(&r6));

    // The owned-operand variants of `+`.
    let sum1 = r4.clone() + &r5;
    let sum2 = &r4 + r5.clone();
    let sum3 = r4.clone() + r5.clone();

    assert_eq!(sum, sum1);
    assert_eq!(sum, sum2);
    assert_eq!(sum, sum3);
}

#[test]
fn disk_source_addition() {
    let s1 = create_disk_source_path(Some("mnt"), None, None);
    let s2 = create_disk_source_path(Some("mnt2"), None, None);
    let s3 = create_disk_source_mount(Some("mnt"), None, None);
    let s4 = create_disk_source_mount(Some("mnt2"), None, None);

    let r1 = disk("10", "role", None, None, Some(&s1));
    let r2 = disk("20", "role", None, None, Some(&s2));
    let r3 = disk("10", "role", None, None, Some(&s2));
    let r4 = disk("20", "role", None, None, Some(&s1));

    assert_ne!(r2, &r1 + &r1);
    assert_ne!(r2, &r1 + &r3);

    assert_eq!(r4, &r1 + &r1);

    assert!(r4.contains(&r1));

    let r5 = disk("10", "role", None, None, Some(&s3));
    let r6 = disk("20", "role", None, None, Some(&s4));
    let r7 = disk("10", "role", None, None, Some(&s4));
    let r8 = disk("20", "role", None, None, Some(&s3));

    assert_ne!(r6, &r5 + &r5);
    assert_ne!(r6, &r5 + &r7);

    assert!(!r8.contains(&r5));
    assert!(r8.contains(&r8));

    let sum = &r1 + &r5;
    assert_ne!(r4, sum);

    // The owned-operand variants of `+`.
    let sum1 = r1.clone() + &r5;
    let sum2 = &r1 + r5.clone();
    let sum3 = r1.clone() + r5.clone();

    assert_eq!(sum, sum1);
    assert_eq!(sum, sum2);
    assert_eq!(sum, sum3);
}

#[test]
fn subtraction() {
    let r1 = disk("10", "role", None, Some("path"), None);
    let r2 = disk("10", "role", None, None, None);

    assert!((&r1 - &r1).is_empty());
    assert!((&r2 - &r2).is_empty());
    assert!(!(&r1 - &r2).is_empty());

    let r3 = disk("10", "role", Some("1"), Some("path"), None);
    let r4 = disk("10", "role", Some("2"), Some("path"), None);
    let r5 = disk("10", "role", Some("2"), Some("path2"), None);

    assert_eq!(r3, &r3 - &r4);
    assert!((&r3 - &r3).is_empty());
    assert!((&r4 - &r5).is_empty());
}

#[test]
fn disk_source_subtraction() {
    let s1 = create_disk_source_path(Some("mnt"), None, None);
    let s2 = create_disk_source_path(Some("mnt2"), None, None);
    let s3 = create_disk_source_mount(Some("mnt"), None, None);
    let s4 = create_disk_source_mount(Some("mnt2"), None, None);

    let r1 = disk("10", "role", None, None, Some(&s1));
    // Built as in the original, which never checks it.
    let _r2 = disk("20", "role", None, None, Some(&s2));
    let r3 = disk("10", "role", None, None, Some(&s2));
    let r4 = disk("20", "role", None, None, Some(&s1));

    assert!((&r1 - &r1).is_empty());
    assert!((&r4 - &r1 - &r1).is_empty());

    assert!(!(&r3 - &r1).is_empty());

    assert_eq!(r3, &r3 - &r1);
    assert_eq!(r1, &r4 - &r1);

    let r5 = disk("10", "role", None, None, Some(&s3));
    // Built as in the original, which never checks it.
    let _r6 = disk("20", "role", None, None, Some(&s4));
    let r7 = disk("10", "role", None, None, Some(&s4));
    let r8 = disk("20", "role", None, None, Some(&s3));

    assert!((&r5 - &r5).is_empty());

    assert!(!(&r8 - &r5 - &r5).is_empty());
    assert!(!(&r7 - &r5).is_empty());

    assert_eq!(r7, &r7 - &r5);
    assert_eq!(r8, &r8 - &r5);

    assert!(!(&r5 - &r1).is_empty());
}

#[test]
fn contains() {
    let r1 = disk("10", "role", Some("1"), Some("path"), None);
    let r2 = disk("10", "role", Some("1"), Some("path"), None);

    assert!(!r1.contains(&(&r1 + &r2)));
    assert!(!r2.contains(&(&r1 + &r2)));
    assert!((&r1 + &r2).contains(&(&r1 + &r2)));

    let r3 = disk("20", "role", Some("2"), Some("path"), None);

    assert!((&r1 + &r3).contains(&r1));
    assert!((&r1 + &r3).contains(&r3));
}

#[test]
fn source_contains() {
    let s1 = create_disk_source_path(Some("mnt"), None, None);
    let s2 = create_disk_source_mount(Some("mnt"), None, None);

    let r1 = disk("10", "role", Some("1"), Some("path"), Some(&s1));
    let r2 = disk("20", "role", Some("1"), Some("path"), Some(&s1));
    let r3 = disk("10", "role", Some("1"), Some("path"), Some(&s2));
    let r4 = disk("20", "role", Some("1"), Some("path"), Some(&s2));

    assert!(r1.contains(&r1));
    assert!(r3.contains(&r3));
    assert!(r4.contains(&r4));

    assert!(!r2.contains(&r1));
    assert!(!r2.contains(&(&r1 + &r1)));

    assert!(!r4.contains(&r3));
    assert!(!r4.contains(&(&r3 + &r3)));

    let r5 = disk("10", "role", None, None, Some(&s1));
    let r6 = disk("20", "role", None, None, Some(&s1));
    let r7 = disk("10", "role", None, None, Some(&s2));
    let r8 = disk("20", "role", None, None, Some(&s2));

    assert!(r5.contains(&r5));
    assert!(r7.contains(&r7));
    assert!(r8.contains(&r8));

    assert!(r6.contains(&r5));
    assert!(r6.contains(&(&r5 + &r5)));

    assert!(!r8.contains(&r7));
    assert!(!r8.contains(&(&r7 + &r7)));
}

#[test]
fn filter_persistent_volumes() {
    let mut resources = Resources::parse("cpus:1;mem:512;disk:1000").unwrap();

    let r1 = disk("10", "role1", Some("1"), Some("path"), None);
    let r2 = disk("20", "role2", None, None, None);

    resources += &r1;
    resources += &r2;

    assert_eq!(r1, resources.persistent_volumes());
}
