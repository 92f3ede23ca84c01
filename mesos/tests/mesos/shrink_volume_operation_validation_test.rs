//! Mesos' ShrinkVolumeOperationValidationTest (src/tests/master_validation_tests.cpp).

use mesos::common::protobuf_utils::slave::Capabilities;
use mesos::master::validation::operation;
use mesos::offer::operation::ShrinkVolume;
use mesos::resource::SharedInfo;
use mesos::value::Scalar;
use mesos::ResourceProviderId;
use stout::Bytes;

use crate::helpers::*;
use crate::validation_helpers::*;

/// The fixture's operation: 64 taken from a volume of 128 MB reserved to
/// `role1`.
fn create_shrink_volume() -> ShrinkVolume {
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

    ShrinkVolume {
        volume,
        subtract: Scalar { value: 64.0 },
    }
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

    let shrink_volume = create_shrink_volume();

    assert_ok(operation::validate_shrink_volume(
        &shrink_volume,
        &capabilities,
    ));
}

#[test]
fn non_persistent_volume() {
    let capabilities = resizing();

    let mut shrink_volume = create_shrink_volume();
    if let Some(disk) = &mut shrink_volume.volume.disk {
        disk.persistence = None;
    }

    let error = operation::validate_shrink_volume(&shrink_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn zero_subtract() {
    let capabilities = resizing();

    let mut shrink_volume = create_shrink_volume();
    shrink_volume.subtract = Scalar { value: 0.0 };

    let error = operation::validate_shrink_volume(&shrink_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn empty_after_shrink() {
    let capabilities = resizing();

    let mut shrink_volume = create_shrink_volume();
    shrink_volume.subtract = shrink_volume.volume.scalar.unwrap_or_default();

    let error = operation::validate_shrink_volume(&shrink_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn mount() {
    let capabilities = resizing();

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

    let mut shrink_volume = create_shrink_volume();
    shrink_volume.volume = mount_volume;

    let error = operation::validate_shrink_volume(&shrink_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn shared() {
    let capabilities = resizing();

    let mut shrink_volume = create_shrink_volume();
    shrink_volume.volume.shared = Some(SharedInfo {});

    let error = operation::validate_shrink_volume(&shrink_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn resource_provider() {
    let capabilities = resizing();

    let mut shrink_volume = create_shrink_volume();
    shrink_volume.volume.provider_id = Some(ResourceProviderId {
        value: "provider".to_string(),
    });

    let error = operation::validate_shrink_volume(&shrink_volume, &capabilities);
    assert!(error.is_err());
}

#[test]
fn missing_capability() {
    let capabilities = Capabilities::default();

    let error = operation::validate_shrink_volume(&create_shrink_volume(), &capabilities);
    assert!(error.is_err());
}
