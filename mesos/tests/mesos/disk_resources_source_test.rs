//! Mesos' DiskResourcesSourceTest (src/tests/resources_tests.cpp).

use mesos::common::resources::Resources;
use mesos::resource::disk_info::source::Type;
use mesos::resource::disk_info::Source;

/// The C++ suite is parameterized over
/// `Combine(Values(RAW, PATH, BLOCK, MOUNT), Bool(), Bool(), Bool())`
/// (source type, has vendor, has id, has profile); this runs all 32
/// combinations in the same order, naming the tuple in every message.
#[test]
fn source_identity() {
    let types = [Type::Raw, Type::Path, Type::Block, Type::Mount];

    for source_type in types {
        for has_vendor in [false, true] {
            for has_identity in [false, true] {
                for has_profile in [false, true] {
                    check_source_identity(source_type, has_vendor, has_identity, has_profile);
                }
            }
        }
    }
}

fn check_source_identity(
    source_type: Type,
    has_vendor: bool,
    has_identity: bool,
    has_profile: bool,
) {
    let parameters = format!("({source_type:?}, {has_vendor}, {has_identity}, {has_profile})");

    // A disk source; the `id` field gives it an identity.
    let mut source = Source::default();
    source.set_type(source_type);

    if has_vendor {
        source.vendor = Some("vendor".to_string());
    }

    if has_identity {
        source.id = Some("id".to_string());
    }

    if has_profile {
        source.profile = Some("profile".to_string());
    }

    // Two disks of different sizes sharing that source.
    let mut disk1 = Resources::parse_resource("disk", "1", "*").unwrap();
    disk1.disk.get_or_insert_with(Default::default).source = Some(source.clone());
    let r1 = Resources::from(disk1);

    assert!(r1.contains(&r1), "{parameters}");

    let mut disk2 = Resources::parse_resource("disk", "2", "*").unwrap();
    disk2.disk.get_or_insert_with(Default::default).source = Some(source.clone());
    let r2 = Resources::from(disk2);

    // `contains` exercises splitting (subtraction); the size of `r1 + r1`
    // exercises merging (addition).
    match source_type {
        Type::Raw => {
            if has_identity {
                // With an id a RAW disk is atomic.
                assert!(!r2.contains(&r1), "{parameters}");
                assert_ne!(r2, &r1 + &r1, "{parameters}");
                assert_eq!(2, (&r1 + &r1).len(), "{parameters}");
            } else {
                // Without an id a RAW disk merges and splits.
                assert!(r2.contains(&r1), "{parameters}");
                assert_eq!(r2, &r1 + &r1, "{parameters}");
                assert_eq!(1, (&r1 + &r1).len(), "{parameters}");
            }
        }
        Type::Block | Type::Mount => {
            // Always atomic, id or not.
            assert!(!r2.contains(&r1), "{parameters}");
            assert_ne!(r2, &r1 + &r1, "{parameters}");
            assert_eq!(2, (&r1 + &r1).len(), "{parameters}");
        }
        Type::Path => {
            // Always merges and splits, id or not.
            assert!(r2.contains(&r1), "{parameters}");
            assert_eq!(r2, &r1 + &r1, "{parameters}");
            assert_eq!(1, (&r1 + &r1).len(), "{parameters}");
        }
        Type::Unknown => {
            panic!("Unexpected source type {parameters}");
        }
    }
}
