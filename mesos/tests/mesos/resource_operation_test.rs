//! Mesos' ResourceOperationTest (src/tests/resources_tests.cpp).

use mesos::common::resources::Resources;

#[test]
fn stripped_resources_revocable() {
    let plain = Resources::parse_resource("cpus", "1", "*").unwrap();

    let mut revocable = plain.clone();
    revocable.revocable = Some(Default::default());

    let stripped = Resources::from(revocable).create_stripped_scalar_quantity();

    assert_eq!(Resources::from(plain), stripped);
}
