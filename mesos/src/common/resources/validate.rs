//! `Resources::validate`: whether a `Resource` is well formed, with
//! Mesos' error texts.

#![allow(deprecated)] // `Resource.role` is part of what is validated.

use std::collections::HashMap;

use stout::{Error, Try};

use super::resource::{is_dynamically_reserved, is_persistent_volume, is_revocable};
use super::Resources;
use crate::common::roles;
use crate::common::type_utils::labels_equal;
use crate::common::values::Compare;
use crate::resource::disk_info::source;
use crate::resource::reservation_info;
use crate::value::{self, Scalar};
use crate::{Labels, Resource};

/// Checks one resource: its value matches its type, a disk's source, the
/// reservation format (either format, or both consistently), and that
/// only persistent volumes are shared.
pub fn validate(resource: &Resource) -> Try<()> {
    validate_value(resource)?;
    validate_disk(resource)?;
    if resource.reservations.is_empty() {
        validate_pre_refinement(resource)?;
    } else {
        validate_post_refinement(resource)?;
    }
    if resource.shared.is_some() {
        if resource.name != "disk" {
            return fail(format!("Resource {} cannot be shared", resource.name));
        }
        if !is_persistent_volume(resource) {
            return fail("Only persistent volumes can be shared");
        }
    }
    Ok(())
}

/// [`validate`] on each resource; the first error names the resource.
pub fn validate_all(resources: &[Resource]) -> Try<()> {
    for resource in resources {
        validate(resource)
            .map_err(|e| Error::new(format!("Resource '{}' is invalid: {}", resource, e)))?;
    }
    Ok(())
}

/// What `--resources` may not hold: persistent volumes, revocable or
/// dynamically reserved resources, or one name with two types.
pub(super) fn validate_command_line(resources: &Resources) -> Try<()> {
    let mut types: HashMap<&str, i32> = HashMap::new();
    for resource in resources {
        if is_persistent_volume(resource) {
            return fail("Persistent volumes cannot be specified at the command line");
        }
        if is_revocable(resource) {
            return fail(
                "Revocable resources cannot be specified at the command line; do not include a \
                 'revocable' key in the resources JSON",
            );
        }
        if is_dynamically_reserved(resource) {
            return fail(
                "Dynamic reservations cannot be specified at the command line; do not include a \
                 reservation with DYNAMIC type in the resources JSON",
            );
        }
        if *types.entry(&resource.name).or_insert(resource.r#type) != resource.r#type {
            return fail(format!(
                "Resources with the same name ('{}') but different types are not allowed",
                resource.name
            ));
        }
    }
    Ok(())
}

fn fail(message: impl Into<String>) -> Try<()> {
    Err(Error::new(message.into()))
}

fn validate_value(resource: &Resource) -> Try<()> {
    if resource.name.is_empty() {
        return fail("Empty resource name");
    }
    let Ok(kind) = value::Type::try_from(resource.r#type) else {
        return fail("Invalid resource type");
    };
    let (scalar, ranges, set) = (&resource.scalar, &resource.ranges, &resource.set);
    match kind {
        value::Type::Scalar => {
            let Some(scalar) = scalar.filter(|_| ranges.is_none() && set.is_none()) else {
                return fail("Invalid scalar resource");
            };
            // Negative values, and values too small for the fixed point.
            if scalar.value != 0.0 && scalar.contained_in(&Scalar::default()) {
                return fail("Invalid scalar resource: value <= 0");
            }
        }
        value::Type::Ranges => {
            let Some(ranges) = ranges
                .as_ref()
                .filter(|_| scalar.is_none() && set.is_none())
            else {
                return fail("Invalid ranges resource");
            };
            for (i, range) in ranges.range.iter().enumerate() {
                if range.begin > range.end {
                    return fail("Invalid ranges resource: begin > end");
                }
                let overlaps = ranges.range[i + 1..]
                    .iter()
                    .any(|other| range.begin <= other.begin && other.begin <= range.end);
                if overlaps {
                    return fail("Invalid ranges resource: overlapping ranges");
                }
            }
        }
        value::Type::Set => {
            let Some(set) = set
                .as_ref()
                .filter(|_| scalar.is_none() && ranges.is_none())
            else {
                return fail("Invalid set resource");
            };
            for (i, item) in set.item.iter().enumerate() {
                if set.item[i + 1..].contains(item) {
                    return fail("Invalid set resource: duplicated elements");
                }
            }
        }
        value::Type::Text => return fail("Unsupported resource type"),
    }
    Ok(())
}

fn validate_disk(resource: &Resource) -> Try<()> {
    let Some(disk) = &resource.disk else {
        return Ok(());
    };
    if resource.name != "disk" {
        return fail(format!(
            "DiskInfo should not be set for {} resource",
            resource.name
        ));
    }
    let Some(source) = &disk.source else {
        return Ok(());
    };
    match source::Type::try_from(source.r#type) {
        Ok(source::Type::Path | source::Type::Mount) => Ok(()),
        Ok(kind @ (source::Type::Block | source::Type::Raw)) => {
            if source.mount.is_some() {
                return fail(format!(
                    "Mount should not be set for {} disk source",
                    kind.as_str_name()
                ));
            }
            if source.path.is_some() {
                return fail(format!(
                    "Path should not be set for {} disk source",
                    kind.as_str_name()
                ));
            }
            Ok(())
        }
        Ok(source::Type::Unknown) | Err(_) => fail(format!(
            "Unsupported 'DiskInfo.Source.Type' in '{}'",
            source
        )),
    }
}

/// The old format: `role` (default `*`) and, for a dynamic reservation,
/// `reservation` with only a principal and labels.
fn validate_pre_refinement(resource: &Resource) -> Try<()> {
    roles::validate(resource.role())?;
    if let Some(reservation) = &resource.reservation {
        if reservation.r#type.is_some() {
            return fail(
                "'Resource.ReservationInfo.type' must not be set for the 'Resource.reservation' field",
            );
        }
        if reservation.role.is_some() {
            return fail(
                "'Resource.ReservationInfo.role' must not be set for the 'Resource.reservation' field",
            );
        }
        if resource.role() == "*" {
            return fail("Invalid reservation: role \"*\" cannot be dynamically reserved");
        }
    }
    Ok(())
}

/// The stack of `reservations`, each refining the one below; with a single
/// reservation the old fields may repeat it ("endpoint" format).
fn validate_post_refinement(resource: &Resource) -> Try<()> {
    for reservation in &resource.reservations {
        if reservation.r#type.is_none() {
            return fail("Invalid reservation: 'Resource.ReservationInfo.type' field must be set.");
        }
        let Some(role) = &reservation.role else {
            return fail("Invalid reservation: 'Resource.ReservationInfo.role' field must be set.");
        };
        roles::validate(role)?;
        if role == "*" {
            return fail("Invalid reservation: role \"*\" cannot be reserved");
        }
    }

    for pair in resource.reservations.windows(2) {
        if pair[1].r#type() == reservation_info::Type::Static {
            return fail("Invalid refined reservation: A refined reservation cannot be STATIC");
        }
        let (ancestor, descendant) = (pair[0].role(), pair[1].role());
        if !roles::is_strict_subrole_of(descendant, ancestor) {
            return fail(format!(
                "Invalid refined reservation: role '{}' is not a refinement of '{}'",
                descendant, ancestor
            ));
        }
    }

    let [reservation] = resource.reservations.as_slice() else {
        if resource.role.is_some() {
            return fail(
                "Invalid resource format: 'Resource.role' must not be set if there is more than \
                 one reservation in 'Resource.reservations'",
            );
        }
        if resource.reservation.is_some() {
            return fail(
                "Invalid resource format: 'Resource.reservation' must not be set if there is \
                 more than one reservation in 'Resource.reservations'",
            );
        }
        return Ok(());
    };

    if resource.role.is_some() && resource.role() != reservation.role() {
        return fail(format!(
            "Invalid resource format: 'Resource.role' field with '{}' does not match the role \
             '{}' in 'Resource.reservations'",
            resource.role(),
            reservation.role()
        ));
    }
    match reservation.r#type() {
        reservation_info::Type::Static => {
            if resource.reservation.is_some() {
                return fail(
                    "Invalid resource format: 'Resource.reservation' must not be set if the \
                     single reservation in 'Resource.reservations' is STATIC",
                );
            }
        }
        reservation_info::Type::Dynamic => {
            if resource.role.is_some() != resource.reservation.is_some() {
                return fail(
                    "Invalid resource format: 'Resource.role' and 'Resource.reservation' must \
                     either be both set or both not set if the single reservation in \
                     'Resource.reservations' is DYNAMIC",
                );
            }
            if let Some(old) = &resource.reservation {
                if old.principal() != reservation.principal() {
                    return fail(format!(
                        "Invalid resource format: 'Resource.reservation.principal' field with \
                         '{}' does not match the principal '{}' in 'Resource.reservations'",
                        old.principal(),
                        reservation.principal()
                    ));
                }
                let empty = Labels::default();
                let (old_labels, labels) = (
                    old.labels.as_ref().unwrap_or(&empty),
                    reservation.labels.as_ref().unwrap_or(&empty),
                );
                if !labels_equal(old_labels, labels) {
                    return fail(format!(
                        "Invalid resource format: 'Resource.reservation.labels' field with '{}' \
                         does not match the labels '{}' in 'Resource.reservations'",
                        old_labels, labels
                    ));
                }
            }
        }
        reservation_info::Type::Unknown => {
            return fail("Unsupported 'Resource.ReservationInfo.Type'");
        }
    }
    Ok(())
}
