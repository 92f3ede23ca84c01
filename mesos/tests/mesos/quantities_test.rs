//! Mesos' QuantitiesTest (src/tests/resource_quantities_tests.cpp).
// Upstream's sample amount is 3.14, which is not meant as pi.
#![allow(clippy::approx_constant)]

use std::collections::HashMap;

use mesos::common::resource_quantities::ResourceQuantities;
use mesos::common::resources::Resources;

/// `CHECK_NOTERROR(ResourceQuantities::fromString(text))`.
fn parse(text: &str) -> ResourceQuantities {
    ResourceQuantities::from_string(text).unwrap_or_else(|e| panic!("'{text}': {e}"))
}

/// `CHECK_NOTERROR(Resources::parse(text))`.
fn resources(text: &str) -> Resources {
    Resources::parse(text).unwrap_or_else(|e| panic!("'{text}': {e}"))
}

/// The entries in iteration order, with their values as plain doubles.
fn to_vector(quantities: &ResourceQuantities) -> Vec<(&str, f64)> {
    quantities
        .iter()
        .map(|(name, amount)| (name, amount.value))
        .collect()
}

#[test]
fn from_string_valid() {
    // One resource.
    let mut resource_quantities = parse("cpus:10");
    let mut expected = vec![("cpus", 10.0)];
    assert_eq!(expected, to_vector(&resource_quantities));

    resource_quantities = parse("cpus:3.14");
    expected = vec![("cpus", 3.14)];
    assert_eq!(expected, to_vector(&resource_quantities));

    // Surrounding whitespace does not count.
    resource_quantities = parse(" cpus : 3.14 ; disk : 10 ");
    expected = vec![("cpus", 3.14), ("disk", 10.0)];
    assert_eq!(expected, to_vector(&resource_quantities));

    // A zero amount is left out.
    resource_quantities = parse("cpus:0");
    assert_eq!(0, resource_quantities.len());

    resource_quantities = parse("cpus:10.5;ports:1");
    expected = vec![("cpus", 10.5), ("ports", 1.0)];
    assert_eq!(expected, to_vector(&resource_quantities));

    // Entries come out sorted by name.
    resource_quantities = parse("ports:3;cpus:10.5");
    expected = vec![("cpus", 10.5), ("ports", 3.0)];
    assert_eq!(expected, to_vector(&resource_quantities));

    // A repeated name has its amounts summed.
    resource_quantities = parse("ports:3;cpus:1;cpus:10.5");
    expected = vec![("cpus", 11.5), ("ports", 3.0)];
    assert_eq!(expected, to_vector(&resource_quantities));
}

#[test]
fn from_string_invalid() {
    // Not a number.
    let mut resource_quantities = ResourceQuantities::from_string("cpus:a10");
    assert!(resource_quantities.is_err());

    resource_quantities = ResourceQuantities::from_string("cpus:3.14c");
    assert!(resource_quantities.is_err());

    // `,` is not a separator.
    resource_quantities = ResourceQuantities::from_string("ports:3,cpus:1");
    assert!(resource_quantities.is_err());

    // Negative.
    resource_quantities = ResourceQuantities::from_string("ports:3,cpus:-1");
    assert!(resource_quantities.is_err());

    resource_quantities = ResourceQuantities::from_string("cpus:nan");
    assert!(resource_quantities.is_err());

    resource_quantities = ResourceQuantities::from_string("cpus:-nan");
    assert!(resource_quantities.is_err());

    resource_quantities = ResourceQuantities::from_string("cpus:inf");
    assert!(resource_quantities.is_err());

    resource_quantities = ResourceQuantities::from_string("cpus:-inf");
    assert!(resource_quantities.is_err());

    resource_quantities = ResourceQuantities::from_string("cpus:infinity");
    assert!(resource_quantities.is_err());

    resource_quantities = ResourceQuantities::from_string("cpus:-infinity");
    assert!(resource_quantities.is_err());
}

#[test]
fn from_scalar_resources() {
    let mut quantities = ResourceQuantities::from_scalar_resources(&Resources::new());
    assert_eq!(0, quantities.len());

    // Sorted by name, whatever the input order.
    quantities = ResourceQuantities::from_scalar_resources(&resources("cpus:1;mem:512;disk:800"));
    let expected = vec![("cpus", 1.0), ("disk", 800.0), ("mem", 512.0)];
    assert_eq!(expected, to_vector(&quantities));
}

#[test]
fn from_resources() {
    let mut quantities = ResourceQuantities::from_resources(&Resources::new());
    assert_eq!(0, quantities.len());

    // Sorted by name; ranges count their numbers and sets their items.
    quantities = ResourceQuantities::from_resources(&resources(
        "cpus:1;mem:512;ports:[5000-6000];zones:{a,b};disk:800",
    ));
    let expected = vec![
        ("cpus", 1.0),
        ("disk", 800.0),
        ("mem", 512.0),
        ("ports", 1001.0),
        ("zones", 2.0),
    ];
    assert_eq!(expected, to_vector(&quantities));
}

#[test]
fn addition() {
    // Adding nothing.
    let mut sum = parse("cpus:10");
    sum += ResourceQuantities::default();
    let mut expected = vec![("cpus", 10.0)];
    assert_eq!(expected, to_vector(&sum));

    // Same name.
    sum = parse("cpus:10");
    sum += parse("cpus:0.1");
    expected = vec![("cpus", 10.1)];
    assert_eq!(expected, to_vector(&sum));

    // A new name that sorts first.
    sum = parse("cpus:10.1");
    sum += parse("alphas:1");
    expected = vec![("alphas", 1.0), ("cpus", 10.1)];
    assert_eq!(expected, to_vector(&sum));

    // A new name that sorts last.
    sum = parse("cpus:10.1");
    sum += parse("mem:1");
    expected = vec![("cpus", 10.1), ("mem", 1.0)];
    assert_eq!(expected, to_vector(&sum));

    // Both.
    sum = parse("alphas:1;cpus:10.1");
    sum += parse("cpus:1;mem:100");
    expected = vec![("alphas", 1.0), ("cpus", 11.1), ("mem", 100.0)];
    assert_eq!(expected, to_vector(&sum));
}

#[test]
fn subtraction() {
    // From nothing.
    let mut difference = ResourceQuantities::default();
    difference -= parse("cpus:1");
    assert_eq!(0, difference.len());

    // Taking nothing.
    difference = parse("cpus:1");
    difference -= ResourceQuantities::default();
    let mut expected = vec![("cpus", 1.0)];
    assert_eq!(expected, to_vector(&difference));

    // Same name, something left.
    difference = parse("cpus:1");
    difference -= parse("cpus:0.4");
    expected = vec![("cpus", 0.6)];
    assert_eq!(expected, to_vector(&difference));

    // Same name, nothing left: the entry goes.
    difference = parse("cpus:1");
    difference -= parse("cpus:1");
    assert_eq!(0, difference.len());

    // Same name, less than nothing left: the entry goes too.
    difference = parse("cpus:1");
    difference -= parse("cpus:1.4");
    assert_eq!(0, difference.len());

    // Other names change nothing.
    difference = parse("cpus:1");
    difference -= parse("mem:100");
    expected = vec![("cpus", 1.0)];
    assert_eq!(expected, to_vector(&difference));

    difference = parse("cpus:1");
    difference -= parse("alphas:1");
    expected = vec![("cpus", 1.0)];
    assert_eq!(expected, to_vector(&difference));

    // Both.
    difference = parse("cpus:1;mem:100");
    difference -= parse("alphas:1;cpus:0.5");
    expected = vec![("cpus", 0.5), ("mem", 100.0)];
    assert_eq!(expected, to_vector(&difference));
}

#[test]
fn contains() {
    let empty = ResourceQuantities::default();
    assert!(empty.contains(&empty));

    let mut some = parse("cpus:1");
    assert!(some.contains(&empty));
    assert!(!empty.contains(&some));

    some = parse("cpus:1;mem:1");
    assert!(some.contains(&some));

    let mut superset = parse("cpus:1;mem:1;disk:1");
    let mut subset = parse("cpus:1;mem:1");
    assert!(superset.contains(&subset));
    assert!(!subset.contains(&superset));

    // Overlapping names.
    let mut set1 = parse("cpus:1;mem:1");
    let mut set2 = parse("cpus:1;disk:1");
    assert!(!set1.contains(&set2));
    assert!(!set2.contains(&set1));

    // No common name.
    set1 = parse("cpus:1;mem:1");
    set2 = parse("gpu:1;disk:1");
    assert!(!set1.contains(&set2));
    assert!(!set2.contains(&set1));

    // Same names, different amounts.
    superset = parse("cpus:2;mem:2");
    subset = parse("cpus:2;mem:1");
    assert!(superset.contains(&subset));
    assert!(!subset.contains(&superset));
}

#[test]
fn stringify() {
    let empty = ResourceQuantities::default();
    assert_eq!("{}", empty.to_string());

    let some = parse("cpus:1;mem:1024");

    assert_eq!("cpus:1; mem:1024", some.to_string());
}

#[test]
fn sum() {
    let empty = ResourceQuantities::default();
    let cpus1 = parse("cpus:1");
    let cpus2 = parse("cpus:2");
    let memory = parse("memory:1");
    let cpu_and_memory = parse("cpus:1;memory:1");

    // `ResourceQuantities::sum(map)`.
    let sum = |map: &HashMap<&str, ResourceQuantities>| map.values().sum::<ResourceQuantities>();

    let mut quantities_map: HashMap<&str, ResourceQuantities> = HashMap::new();
    let mut expected: Vec<(&str, f64)> = vec![];
    assert_eq!(expected, to_vector(&sum(&quantities_map)));

    quantities_map.insert("empty", empty);
    assert_eq!(expected, to_vector(&sum(&quantities_map)));

    quantities_map.insert("cpus1", cpus1);
    expected = vec![("cpus", 1.0)];
    assert_eq!(expected, to_vector(&sum(&quantities_map)));

    quantities_map.insert("cpus2", cpus2);
    expected = vec![("cpus", 3.0)];
    assert_eq!(expected, to_vector(&sum(&quantities_map)));

    quantities_map.insert("memory", memory);
    expected = vec![("cpus", 3.0), ("memory", 1.0)];
    assert_eq!(expected, to_vector(&sum(&quantities_map)));

    quantities_map.insert("cpuAndMemory", cpu_and_memory);
    expected = vec![("cpus", 4.0), ("memory", 2.0)];
    assert_eq!(expected, to_vector(&sum(&quantities_map)));
}
