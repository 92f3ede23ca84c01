//! Mesos' GrowVolumeOperationValidationTest (src/tests/master_validation_tests.cpp).

use mesos::common::protobuf_utils::slave::Capabilities;
use mesos::master::validation::operation;
use mesos::offer::operation::GrowVolume;
use mesos::resource::SharedInfo;
use mesos::value::Scalar;
use mesos::{ResourceProviderId, Resources};
use stout::Bytes;

use crate::helpers::*;
use crate::validation_helpers::*;

/// The fixture's operation: a volume of 128 MB reserved to `role1`,
/// grown by a disk of 128 reserved to `role1`.
fn create_grow_volume() -> GrowVolume {
    let volume = create_persistent_volume(
        Bytes::megabytes(128),
        "role1",
        "id1",
        "path1",
        None,
        None,
        None,
        false,
    );

    let addition = Resources::parse_resource("disk", "128", "role1").expect("a disk");

    GrowVolume { volume, addition }
}

fn resizing() -> Capabilities {
    Capabilities {
        resize_volume: true,
        ..Capabilities::default()
    }
}

#[test]
fn valid() {
    let capabilities = resizing();

    let grow_volume = create_grow_volume();

    assert_ok(operation::validate_grow_volume(&grow_volume, &capabilities));
}

#[test]
fn non_persistent_volume() {
    let capabilities = resizing();

    let mut grow_volume = create_grow_volume();
    if let Some(disk) = &mut grow_volume.volume.disk {
        disk.persistence = None;
    }

    let error = operation::validate_grow_volume(&grow_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn zero_addition() {
    let capabilities = resizing();

    let mut grow_volume = create_grow_volume();
    grow_volume.addition.scalar = Some(Scalar { value: 0.0 });

    let error = operation::validate_grow_volume(&grow_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn incompatible_disk() {
    let capabilities = resizing();

    // A volume on a PATH disk cannot grow with the root disk.
    let path_volume = create_persistent_volume(
        Bytes::megabytes(128),
        "role1",
        "id1",
        "path1",
        None,
        Some(create_disk_source_path(Some("root"), None, None)),
        None,
        false,
    );

    let mut grow_volume = create_grow_volume();
    grow_volume.volume = path_volume;

    let error = operation::validate_grow_volume(&grow_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn shared() {
    let capabilities = resizing();

    let mut grow_volume = create_grow_volume();
    grow_volume.volume.shared = Some(SharedInfo {});

    let error = operation::validate_grow_volume(&grow_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn resource_provider() {
    let capabilities = resizing();

    let mut grow_volume = create_grow_volume();
    grow_volume.volume.provider_id = Some(ResourceProviderId {
        value: "provider".to_string(),
    });

    let error = operation::validate_grow_volume(&grow_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn mount() {
    let capabilities = resizing();

    // MOUNT disks cannot be added to each other.
    let mount_volume = create_persistent_volume(
        Bytes::megabytes(128),
        "role1",
        "id1",
        "path1",
        None,
        Some(create_disk_source_mount(None, None, None)),
        None,
        false,
    );

    let mount_disk = create_disk_resource(
        "128",
        "role1",
        None,
        None,
        Some(create_disk_source_mount(None, None, None)),
        false,
    );

    let mut grow_volume = create_grow_volume();
    grow_volume.volume = mount_volume;
    grow_volume.addition = mount_disk;

    let error = operation::validate_grow_volume(&grow_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn missing_capability() {
    let capabilities = Capabilities::default();

    let error = operation::validate_grow_volume(&create_grow_volume(), &capabilities);
    assert!(error.is_err());
}
