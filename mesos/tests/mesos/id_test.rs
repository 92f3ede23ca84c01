//! The IDs a master and an agent make (`mesos::common::id`), in Mesos
//! 1.11's formats (`Master::newFrameworkId`, `newOfferId`, `newSlaveId`).

use mesos::common::id::{new_container_id, new_master_id, IdGenerator};

/// Whether `text` is a UUID in canonical form: `8-4-4-4-12` lowercase
/// hex digits.
fn is_canonical_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|group| {
            group
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
        && stout::Uuid::from_string(text).is_ok()
}

#[test]
fn master_ids_are_random_canonical_uuids() {
    let first = new_master_id();
    let second = new_master_id();
    assert!(is_canonical_uuid(&first), "{}", first);
    assert!(is_canonical_uuid(&second), "{}", second);
    assert_ne!(first, second);

    let generator = IdGenerator::random();
    assert!(is_canonical_uuid(generator.master_id()));
}

#[test]
fn framework_ids_are_the_master_id_and_a_four_digit_counter() {
    let mut ids = IdGenerator::new("master");
    assert_eq!("master", ids.master_id());
    assert_eq!("master-0000", ids.new_framework_id().value);
    assert_eq!("master-0001", ids.new_framework_id().value);
    assert_eq!("master-0002", ids.new_framework_id().value);
}

#[test]
fn framework_ids_widen_past_9999() {
    let mut ids = IdGenerator::new("m");
    let values: Vec<String> = (0..10_001).map(|_| ids.new_framework_id().value).collect();
    assert_eq!("m-0010", values[10]);
    assert_eq!("m-0999", values[999]);
    assert_eq!("m-9999", values[9_999]);
    assert_eq!("m-10000", values[10_000]);
}

#[test]
fn offer_ids_are_the_master_id_o_and_an_unpadded_counter() {
    let mut ids = IdGenerator::new("master");
    assert_eq!("master-O0", ids.new_offer_id().value);
    assert_eq!("master-O1", ids.new_offer_id().value);
    let values: Vec<String> = (2..12).map(|_| ids.new_offer_id().value).collect();
    assert_eq!("master-O11", values[9]);
}

#[test]
fn slave_ids_are_the_master_id_s_and_an_unpadded_counter() {
    let mut ids = IdGenerator::new("master");
    assert_eq!("master-S0", ids.new_slave_id().value);
    assert_eq!("master-S1", ids.new_slave_id().value);
    let values: Vec<String> = (2..12).map(|_| ids.new_slave_id().value).collect();
    assert_eq!("master-S11", values[9]);
}

#[test]
fn counters_are_independent() {
    let mut ids = IdGenerator::new("master");
    assert_eq!("master-O0", ids.new_offer_id().value);
    assert_eq!("master-O1", ids.new_offer_id().value);
    assert_eq!("master-0000", ids.new_framework_id().value);
    assert_eq!("master-S0", ids.new_slave_id().value);
    assert_eq!("master-O2", ids.new_offer_id().value);
    assert_eq!("master-0001", ids.new_framework_id().value);
    assert_eq!("master-S1", ids.new_slave_id().value);
}

#[test]
fn each_master_counts_from_zero() {
    let mut first = IdGenerator::random();
    first.new_framework_id();
    first.new_offer_id();
    first.new_slave_id();

    let mut second = IdGenerator::random();
    let framework_id = second.new_framework_id();
    assert_eq!(format!("{}-0000", second.master_id()), framework_id.value);
    assert_eq!(
        format!("{}-O0", second.master_id()),
        second.new_offer_id().value
    );
    assert_eq!(
        format!("{}-S0", second.master_id()),
        second.new_slave_id().value
    );
    assert_ne!(first.master_id(), second.master_id());
}

#[test]
fn container_ids_are_top_level_random_uuids() {
    let first = new_container_id();
    let second = new_container_id();
    assert!(first.parent.is_none());
    assert!(is_canonical_uuid(&first.value), "{}", first.value);
    assert!(is_canonical_uuid(&second.value), "{}", second.value);
    assert_ne!(first, second);
}
