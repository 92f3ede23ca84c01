//! Mesos' CommonValidationTest (src/tests/common_validation_tests.cpp).

use std::collections::HashMap;

use mesos::common::validation::{validate_offer_filters, validate_volume};
use mesos::offer_filters::{MinAllocatableResources, ResourceQuantities};
use mesos::value::Scalar;
use mesos::{volume, Image, OfferFilters, Volume};

use crate::validation_helpers::*;

/// Offer filters with one set of minimum quantities: `cpus` of `value`.
fn min_cpus(value: f64) -> OfferFilters {
    let quantities = ResourceQuantities {
        quantities: HashMap::from([("cpus".to_string(), Scalar { value })]),
    };
    OfferFilters {
        min_allocatable_resources: Some(MinAllocatableResources {
            quantities: vec![quantities],
        }),
    }
}

#[test]
fn volume() {
    // Exactly one of 'host_path', 'image' and 'source'.
    {
        let mut volume = Volume {
            container_path: "container_path".to_string(),
            mode: volume::Mode::Rw as i32,
            ..Volume::default()
        };

        assert_error(
            validate_volume(&volume),
            "Only one of them should be set: 'host_path', 'image' and 'source'",
        );

        volume.host_path = Some("host_path".to_string());
        volume.image = Some(Image::default());

        assert_error(
            validate_volume(&volume),
            "Only one of them should be set: 'host_path', 'image' and 'source'",
        );
    }

    // The source has the field its type names.
    {
        let mut volume = Volume {
            container_path: "container_path".to_string(),
            mode: volume::Mode::Rw as i32,
            source: Some(volume::Source::default()),
            ..Volume::default()
        };

        let cases = [
            (
                volume::source::Type::DockerVolume,
                "'source.docker_volume' is not set for DOCKER_VOLUME volume",
            ),
            (
                volume::source::Type::HostPath,
                "'source.host_path' is not set for HOST_PATH volume",
            ),
            (
                volume::source::Type::SandboxPath,
                "'source.sandbox_path' is not set for SANDBOX_PATH volume",
            ),
            (
                volume::source::Type::Secret,
                "'source.secret' is not set for SECRET volume",
            ),
        ];
        for (kind, expected) in cases {
            if let Some(source) = &mut volume.source {
                source.set_type(kind);
            }

            assert_error(validate_volume(&volume), expected);
        }
    }
}

#[test]
fn offer_filters() {
    // Empty filters.
    assert_ok(validate_offer_filters(&OfferFilters::default()));

    {
        // No minimum quantities: any resources are allocatable.
        let offer_filters = OfferFilters {
            min_allocatable_resources: Some(MinAllocatableResources::default()),
        };
        assert_ok(validate_offer_filters(&offer_filters));
    }

    {
        // A set of quantities cannot be empty.
        let offer_filters = OfferFilters {
            min_allocatable_resources: Some(MinAllocatableResources {
                quantities: vec![ResourceQuantities::default()],
            }),
        };
        assert_error(
            validate_offer_filters(&offer_filters),
            "Resource quantities must contain at least one quantity",
        );
    }

    assert_error(
        validate_offer_filters(&min_cpus(-2.0)),
        "Invalid resource quantity for 'cpus': Negative values not supported",
    );

    assert_error(
        validate_offer_filters(&min_cpus(f64::NAN)),
        "Invalid resource quantity for 'cpus': NaN not supported",
    );

    assert_error(
        validate_offer_filters(&min_cpus(f64::INFINITY)),
        "Invalid resource quantity for 'cpus': Infinite values not supported",
    );

    assert_ok(validate_offer_filters(&min_cpus(0.0)));

    assert_ok(validate_offer_filters(&min_cpus(2.0)));
}
