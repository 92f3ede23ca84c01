//! Mesos' RevocableResourceTest (src/tests/resources_tests.cpp).

use mesos::common::resources::Resources;
use mesos::resource::RevocableInfo;
use mesos::Resource;

/// `Resources::parse(name, value, role)`, marked revocable if asked.
fn create_revocable_resource(name: &str, value: &str, role: &str, revocable: bool) -> Resource {
    let mut resource = Resources::parse_resource(name, value, role).unwrap();

    if revocable {
        resource.revocable = Some(RevocableInfo::default());
    }

    resource
}

/// `Resources(createRevocableResource(...))`.
fn revocable_resources(name: &str, value: &str, role: &str, revocable: bool) -> Resources {
    Resources::from(create_revocable_resource(name, value, role, revocable))
}

#[test]
fn equals() {
    let resources1 = revocable_resources("cpus", "1", "*", true);

    let resources2 = resources1.clone();
    assert_eq!(resources1, resources2);

    let resources3 = revocable_resources("cpus", "1", "*", false);
    assert_ne!(resources1, resources3);
}

#[test]
fn addition() {
    let r1 = revocable_resources("cpus", "1", "*", true);
    let r2 = revocable_resources("cpus", "1", "*", true);
    let r3 = revocable_resources("cpus", "2", "*", true);

    // Two revocable cpus merge into one.
    assert_eq!(r3, &r1 + &r2);

    let r4 = revocable_resources("cpus", "1", "*", true);
    let r5 = revocable_resources("cpus", "1", "*", false);
    let r6 = revocable_resources("cpus", "2", "*", false);

    let sum = &r4 + &r5;

    // Revocable and non-revocable cpus stay apart.
    assert!(sum.contains(&r4));
    assert!(sum.contains(&r5));
    assert!(!sum.contains(&r3));
    assert!(!sum.contains(&r6));

    // Owned operands on either side.
    let sum1 = r4.clone() + &r5;
    let sum2 = &r4 + r5.clone();
    let sum3 = r4.clone() + r5.clone();

    assert_eq!(sum, sum1);
    assert_eq!(sum, sum2);
    assert_eq!(sum, sum3);
}

#[test]
fn subtraction() {
    let r1 = revocable_resources("cpus", "1", "*", true);
    let r2 = revocable_resources("cpus", "1", "*", true);

    assert!((&r1 - &r2).is_empty());

    let r3 = revocable_resources("cpus", "1", "*", true);
    let r4 = revocable_resources("cpus", "1", "*", false);

    // Taking non-revocable cpus out of revocable ones changes nothing.
    assert_eq!(r3, &r3 - &r4);
    assert!((&r3 - &r3).is_empty());
}

#[test]
fn contains() {
    let r1 = revocable_resources("cpus", "1", "*", true);
    let r2 = revocable_resources("cpus", "1", "*", true);

    assert!(!r1.contains(&(&r1 + &r2)));
    assert!(!r2.contains(&(&r1 + &r2)));
    assert!((&r1 + &r2).contains(&r1));
    assert!((&r1 + &r2).contains(&r2));
    assert!((&r1 + &r2).contains(&(&r1 + &r2)));

    let r3 = revocable_resources("cpus", "1", "*", false);

    assert!((&r1 + &r3).contains(&r1));
    assert!((&r1 + &r3).contains(&r3));
}

#[test]
fn filter() {
    let r1 = revocable_resources("cpus", "1", "*", true);
    assert_eq!(r1, r1.revocable());
    assert!(r1.non_revocable().is_empty());

    let r2 = revocable_resources("cpus", "1", "*", false);
    assert_eq!(r2, r2.non_revocable());
    assert!(r2.revocable().is_empty());

    assert_eq!(r1, (&r1 + &r2).revocable());
    assert_eq!(r2, (&r1 + &r2).non_revocable());
}

#[test]
fn find() {
    let r1 = revocable_resources("cpus", "1", "*", true);
    assert_eq!(r1, r1.revocable());
    assert!(r1.non_revocable().is_empty());

    let r2 = Resources::parse("cpus:1").unwrap();
    assert_eq!(r2, r2.non_revocable());
    assert!(r2.revocable().is_empty());

    assert_eq!(Some(r1.clone()), (&r1 + &r2).find(&r1));
    assert_eq!(Some(r2.clone()), (&r1 + &r2).find(&r2));

    assert!(r1.find(&r2).is_none());
    assert!(r2.find(&r1).is_none());
}
