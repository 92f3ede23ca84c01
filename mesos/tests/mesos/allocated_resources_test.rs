//! Mesos' AllocatedResourcesTest (src/tests/resources_tests.cpp).

use mesos::common::resources::Resources;

/// `Resources(Resources::parse(name, value, role).get())`.
fn parse(name: &str, value: &str, role: &str) -> Resources {
    Resources::from(Resources::parse_resource(name, value, role).unwrap())
}

/// Two `cpus:1`, allocated to role1 and role2.
fn cpus_of_two_roles() -> (Resources, Resources) {
    let mut cpus1 = parse("cpus", "1", "*");
    let mut cpus2 = parse("cpus", "1", "*");

    cpus1.allocate("role1");
    cpus2.allocate("role2");

    (cpus1, cpus2)
}

#[test]
#[allow(clippy::eq_op)]
fn equality() {
    let (cpus1, cpus2) = cpus_of_two_roles();

    assert_eq!(cpus1, cpus1);
    assert_ne!(cpus1, cpus2);
}

#[test]
fn contains() {
    let (cpus1, cpus2) = cpus_of_two_roles();

    assert!((&cpus1 + &cpus2).contains(&cpus1));
    assert!((&cpus1 + &cpus2).contains(&cpus2));
}

#[test]
fn addition() {
    let (cpus1, cpus2) = cpus_of_two_roles();

    assert_eq!(2, (&cpus1 + &cpus2).len());
    assert_eq!(Some(2.0), (&cpus1 + cpus2.clone()).cpus());
}

#[test]
fn subtraction() {
    let (cpus1, cpus2) = cpus_of_two_roles();

    assert!((&cpus1 - &cpus1).is_empty());
    assert!((&cpus2 - &cpus2).is_empty());

    assert_eq!(cpus1, &cpus1 - &cpus2);
    assert_eq!(cpus2, &cpus2 - &cpus1);
}

#[test]
fn allocations() {
    // Unreserved resources may go to any role, "*" included.
    let mut cpus1 = parse("cpus", "1", "*");
    let mut mem1 = parse("mem", "1024", "*");

    cpus1.allocate("*");
    mem1.allocate("*");

    let mut cpus2 = parse("cpus", "2", "*");
    let mut mem2 = parse("mem", "2048", "*");

    cpus2.allocate("role1");
    mem2.allocate("role1");

    // Reserved resources go to their role.
    let mut cpus3 = parse("cpus", "3", "role2");
    let mut mem3 = parse("mem", "3096", "role2");

    cpus3.allocate("role2");
    mem3.allocate("role2");

    let resources = &cpus1 + &cpus2 + &cpus3 + &mem1 + &mem2 + &mem3;

    let allocations = resources.allocations();

    // A missing role reads as empty, as upstream's `hashmap::operator[]` does.
    let allocated_to = |role: &str| allocations.get(role).cloned().unwrap_or_default();

    assert_eq!(3, allocations.len());
    assert_eq!(&cpus1 + &mem1, allocated_to("*"));
    assert_eq!(&cpus2 + &mem2, allocated_to("role1"));
    assert_eq!(&cpus3 + &mem3, allocated_to("role2"));

    // Unallocating drops the allocation info.
    cpus1.unallocate();

    let r = cpus1.iter().next().expect("a resource").clone();
    assert!(r.allocation_info.is_none());
}
