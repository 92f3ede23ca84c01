//! Mesos' OperationValidationTest (src/tests/master_validation_tests.cpp).

use mesos::master::validation::operation;
use mesos::offer::operation::{CreateDisk, DestroyDisk};
use mesos::resource::disk_info::{source, Source};
use mesos::{Resource, ResourceProviderId};
use stout::Bytes;

use crate::helpers::*;
use crate::validation_helpers::*;

/// An unreserved disk of `value` on `disk_source`, without volume.
fn disk_on(value: &str, disk_source: Source) -> Resource {
    create_disk_resource(value, "*", None, None, Some(disk_source), false)
}

fn provided_by(resource: &mut Resource, provider: &str) {
    resource.provider_id = Some(ResourceProviderId {
        value: provider.to_string(),
    });
}

fn create_disk_of(disk: &Resource, target_type: source::Type, profile: Option<&str>) -> CreateDisk {
    CreateDisk {
        source: disk.clone(),
        target_type: target_type as i32,
        target_profile: profile.map(str::to_string),
    }
}

#[test]
fn create_disk() {
    let mut disk1 = disk_on("10", create_disk_source_raw(None, Some("profile")));
    let mut disk2 = disk_on("20", create_disk_source_raw(None, None));
    let mut disk3 = disk_on("30", create_disk_source_mount(None, None, None));
    let disk4 = disk_on("40", create_disk_source_raw(None, Some("profile")));

    provided_by(&mut disk1, "provider1");
    provided_by(&mut disk2, "provider2");
    provided_by(&mut disk3, "provider3");

    let create_disk = create_disk_of(&disk1, source::Type::Mount, None);
    assert_ok(operation::validate_create_disk(&create_disk));

    let create_disk = create_disk_of(&disk1, source::Type::Block, None);
    assert_ok(operation::validate_create_disk(&create_disk));

    let create_disk = create_disk_of(&disk2, source::Type::Mount, Some("profile"));
    assert_ok(operation::validate_create_disk(&create_disk));

    let create_disk = create_disk_of(&disk1, source::Type::Path, None);
    assert_error_contains(
        operation::validate_create_disk(&create_disk),
        "'target_type' is neither MOUNT or BLOCK",
    );

    let create_disk = create_disk_of(&disk1, source::Type::Mount, Some("profile"));
    assert_error_contains(
        operation::validate_create_disk(&create_disk),
        "'target_profile' must not be set when 'source' has a profile",
    );

    let create_disk = create_disk_of(&disk2, source::Type::Mount, None);
    assert_error_contains(
        operation::validate_create_disk(&create_disk),
        "'target_profile' must be set when 'source' has no profile",
    );

    let create_disk = create_disk_of(&disk3, source::Type::Mount, None);
    assert_error_contains(
        operation::validate_create_disk(&create_disk),
        "'source' is not a RAW disk resource",
    );

    let create_disk = create_disk_of(&disk4, source::Type::Mount, None);
    assert_error_contains(
        operation::validate_create_disk(&create_disk),
        "'source' is not managed by a resource provider",
    );
}

#[test]
fn destroy_disk() {
    let mut disk1 = disk_on("10", create_disk_source_mount(None, Some("volume1"), None));
    let mut disk2 = disk_on("20", create_disk_source_block(Some("volume2"), None));
    let mut disk3 = disk_on("40", create_disk_source_raw(Some("volume3"), None));
    let mut disk4 = disk_on("40", create_disk_source_path(Some("volume4"), None, None));
    let disk5 = disk_on("50", create_disk_source_mount(None, Some("volume5"), None));
    let mut disk6 = disk_on("60", create_disk_source_raw(None, Some("profile")));
    let mut disk7 = create_persistent_volume(
        Bytes::megabytes(70),
        "role",
        "id",
        "path",
        None,
        Some(create_disk_source_mount(None, Some("volume7"), None)),
        None,
        false,
    );

    provided_by(&mut disk1, "provider1");
    provided_by(&mut disk2, "provider2");
    provided_by(&mut disk3, "provider3");
    provided_by(&mut disk4, "provider4");
    provided_by(&mut disk6, "provider6");
    provided_by(&mut disk7, "provider7");

    let destroy = |disk: &Resource| {
        operation::validate_destroy_disk(&DestroyDisk {
            source: disk.clone(),
        })
    };

    assert_ok(destroy(&disk1));

    assert_ok(destroy(&disk2));

    assert_ok(destroy(&disk3));

    assert_error_contains(
        destroy(&disk4),
        "'source' is neither a MOUNT, BLOCK or RAW disk resource",
    );

    assert_error_contains(
        destroy(&disk5),
        "'source' is not managed by a resource provider",
    );

    assert_error_contains(destroy(&disk6), "'source' is not backed by a CSI volume");

    assert_error_contains(
        destroy(&disk7),
        "Please destroy the persistent volume first",
    );
}
