//! Mesos' LimitsTest (src/tests/resource_quantities_tests.cpp).
// Upstream's sample limit is 3.14, which is not meant as pi.
#![allow(clippy::approx_constant)]

use mesos::common::resource_quantities::{ResourceLimits, ResourceQuantities};

/// `CHECK_NOTERROR(ResourceLimits::fromString(text))`.
fn limits(text: &str) -> ResourceLimits {
    ResourceLimits::from_string(text).unwrap_or_else(|e| panic!("'{text}': {e}"))
}

/// `CHECK_NOTERROR(ResourceQuantities::fromString(text))`.
fn quantities(text: &str) -> ResourceQuantities {
    ResourceQuantities::from_string(text).unwrap_or_else(|e| panic!("'{text}': {e}"))
}

/// The entries in iteration order, with their values as plain doubles.
fn to_vector(limits: &ResourceLimits) -> Vec<(&str, f64)> {
    limits
        .iter()
        .map(|(name, limit)| (name, limit.value))
        .collect()
}

// As QuantitiesTest.FromStringValid, but zeros are kept.
#[test]
fn from_string_valid() {
    // One resource.
    let mut resource_limits = limits("cpus:10");
    let mut expected = vec![("cpus", 10.0)];
    assert_eq!(expected, to_vector(&resource_limits));

    resource_limits = limits("cpus:3.14");
    expected = vec![("cpus", 3.14)];
    assert_eq!(expected, to_vector(&resource_limits));

    // Surrounding whitespace does not count.
    resource_limits = limits(" cpus : 3.14 ; disk : 10 ");
    expected = vec![("cpus", 3.14), ("disk", 10.0)];
    assert_eq!(expected, to_vector(&resource_limits));

    // A zero limit stays.
    resource_limits = limits("cpus:0");
    expected = vec![("cpus", 0.0)];
    assert_eq!(expected, to_vector(&resource_limits));

    resource_limits = limits("cpus:10.5;ports:1");
    expected = vec![("cpus", 10.5), ("ports", 1.0)];
    assert_eq!(expected, to_vector(&resource_limits));

    // Entries come out sorted by name.
    resource_limits = limits("ports:3;cpus:10.5");
    expected = vec![("cpus", 10.5), ("ports", 3.0)];
    assert_eq!(expected, to_vector(&resource_limits));
}

// As QuantitiesTest.FromStringInvalid, plus a repeated name.
#[test]
fn from_string_invalid() {
    // Not a number.
    let mut resource_limits = ResourceLimits::from_string("cpus:a10");
    assert!(resource_limits.is_err());

    resource_limits = ResourceLimits::from_string("cpus:3.14c");
    assert!(resource_limits.is_err());

    // `,` is not a separator.
    resource_limits = ResourceLimits::from_string("ports:3,cpus:1");
    assert!(resource_limits.is_err());

    // Negative.
    resource_limits = ResourceLimits::from_string("ports:3,cpus:-1");
    assert!(resource_limits.is_err());

    resource_limits = ResourceLimits::from_string("cpus:nan");
    assert!(resource_limits.is_err());

    resource_limits = ResourceLimits::from_string("cpus:-nan");
    assert!(resource_limits.is_err());

    resource_limits = ResourceLimits::from_string("cpus:inf");
    assert!(resource_limits.is_err());

    resource_limits = ResourceLimits::from_string("cpus:-inf");
    assert!(resource_limits.is_err());

    resource_limits = ResourceLimits::from_string("cpus:infinity");
    assert!(resource_limits.is_err());

    resource_limits = ResourceLimits::from_string("cpus:-infinity");
    assert!(resource_limits.is_err());

    // A name given twice.
    resource_limits = ResourceLimits::from_string("cpus:1;cpus:2");
    assert!(resource_limits.is_err());
}

#[test]
fn contains() {
    let mut infinite = ResourceLimits::default();
    assert!(infinite.contains(&infinite));

    let mut finite = limits("cpus:1");
    infinite = ResourceLimits::default();
    assert!(infinite.contains(&finite));
    assert!(!finite.contains(&infinite));

    finite = limits("cpus:1;mem:1");
    assert!(finite.contains(&finite));

    let more_limits = limits("cpus:1;mem:1;disk:1");
    let less_limits = limits("cpus:1;mem:1");
    assert!(less_limits.contains(&more_limits));
    assert!(!more_limits.contains(&less_limits));

    // Overlapping names.
    let mut limits1 = limits("cpus:1;mem:1");
    let mut limits2 = limits("cpus:1;disk:1");
    assert!(!limits1.contains(&limits2));
    assert!(!limits2.contains(&limits1));

    // No common name.
    limits1 = limits("cpus:1;mem:1");
    limits2 = limits("gpu:1;disk:1");
    assert!(!limits1.contains(&limits2));
    assert!(!limits2.contains(&limits1));

    // Same names, different caps.
    let higher_limits = limits("cpus:2;mem:2");
    let lower_limits = limits("cpus:2;mem:1");
    assert!(higher_limits.contains(&lower_limits));
    assert!(!lower_limits.contains(&higher_limits));
}

#[test]
fn contains_quantities() {
    let no_limit = ResourceLimits::default();
    let empty_quantity = ResourceQuantities::default();
    assert!(no_limit.contains_quantities(&empty_quantity));

    let mut resource_limits = limits("cpus:1");
    assert!(resource_limits.contains_quantities(&empty_quantity));

    resource_limits = limits("cpus:1;mem:1");
    let mut resource_quantities = quantities("cpus:1;mem:1");
    assert!(resource_limits.contains_quantities(&resource_quantities));

    // More names capped than asked for.
    resource_limits = limits("cpus:1;mem:1;disk:1");
    resource_quantities = quantities("cpus:1;mem:1");
    assert!(resource_limits.contains_quantities(&resource_quantities));

    resource_limits = limits("cpus:1;mem:1");
    resource_quantities = quantities("cpus:1;mem:1;disk:1");
    assert!(resource_limits.contains_quantities(&resource_quantities));

    // Overlapping names.
    resource_limits = limits("cpus:1;mem:1");
    resource_quantities = quantities("cpus:1;disk:1");
    assert!(resource_limits.contains_quantities(&resource_quantities));

    // No common name.
    resource_limits = limits("cpus:1;mem:1");
    resource_quantities = quantities("gpu:1;disk:1");
    assert!(resource_limits.contains_quantities(&resource_quantities));

    // Same names, different amounts.
    resource_limits = limits("cpus:2;mem:2");
    resource_quantities = quantities("cpus:2;mem:1");
    assert!(resource_limits.contains_quantities(&resource_quantities));

    resource_limits = limits("cpus:2;mem:1");
    resource_quantities = quantities("cpus:2;mem:2");
    assert!(!resource_limits.contains_quantities(&resource_quantities));
}

#[test]
fn subtract_quantities() {
    let subtract = |limits_text: &str, quantities_text: &str| -> ResourceLimits {
        limits(limits_text) - quantities(quantities_text)
    };

    assert_eq!(limits(""), subtract("", ""));
    assert_eq!(limits(""), subtract("", "cpus:10"));

    assert_eq!(limits("cpus:1"), subtract("cpus:1", ""));

    assert_eq!(limits("cpus:0"), subtract("cpus:1", "cpus:1"));
    assert_eq!(limits("cpus:0"), subtract("cpus:1", "cpus:2"));

    assert_eq!(limits("cpus:0;mem:10"), subtract("cpus:1;mem:10", "cpus:1"));
    assert_eq!(
        limits("cpus:0;mem:10"),
        subtract("cpus:1;mem:10", "cpus:1;disk:10")
    );

    assert_eq!(
        limits("cpus:0;mem:5"),
        subtract("cpus:1;mem:10", "cpus:1;mem:5;disk:10")
    );
}
