//! One `Resource`: the predicates, comparisons and value arithmetic that
//! Mesos defines on it (the static `Resources::is*` functions and the
//! `Resource` operators of `src/common/resources.cpp`).
//!
//! The predicates expect the "post-reservation-refinement" format, the one
//! [`Resources`](super::Resources) keeps: reservations in
//! `Resource.reservations`, the deprecated `role` and `reservation`
//! fields unset. Mesos aborts on the older format; these ignore its
//! fields instead, as nothing built from input may panic.

use crate::common::roles;
use crate::common::type_utils::labels_equal;
use crate::common::values::Compare;
use crate::resource::disk_info::{source, Source};
use crate::resource::{reservation_info, DiskInfo, ReservationInfo};
use crate::value::{self, Scalar};
use crate::Resource;

/// Whether the resource's value is nothing: a zero scalar, no ranges, no
/// set items.
pub fn is_empty(resource: &Resource) -> bool {
    match resource.r#type() {
        value::Type::Scalar => scalar(resource).equals(&Scalar::default()),
        value::Type::Ranges => resource.ranges.as_ref().is_none_or(|r| r.range.is_empty()),
        value::Type::Set => resource.set.as_ref().is_none_or(|s| s.item.is_empty()),
        value::Type::Text => false,
    }
}

/// Whether the resource is a persistent volume (a disk with a persistence
/// ID).
pub fn is_persistent_volume(resource: &Resource) -> bool {
    resource
        .disk
        .as_ref()
        .is_some_and(|disk| disk.persistence.is_some())
}

/// Whether the resource is a disk whose source has the given type.
pub fn is_disk(resource: &Resource, kind: source::Type) -> bool {
    resource
        .disk
        .as_ref()
        .and_then(|disk| disk.source.as_ref())
        .is_some_and(|source| source.r#type() == kind)
}

/// Whether the resource is reserved, and, given a role, reserved to that
/// role (its last reservation's).
pub fn is_reserved(resource: &Resource, role: Option<&str>) -> bool {
    !is_unreserved(resource) && role.is_none_or(|role| role == reservation_role(resource))
}

/// Whether a framework in `role` may be offered the resource: it is
/// unreserved, or reserved to `role` or to one of its ancestors.
pub fn is_allocatable_to(resource: &Resource, role: &str) -> bool {
    is_unreserved(resource) || {
        let reserved = reservation_role(resource);
        role == reserved || roles::is_strict_subrole_of(role, reserved)
    }
}

/// Whether the resource has no reservation.
pub fn is_unreserved(resource: &Resource) -> bool {
    resource.reservations.is_empty()
}

/// Whether the resource's last reservation is dynamic.
pub fn is_dynamically_reserved(resource: &Resource) -> bool {
    resource
        .reservations
        .last()
        .is_some_and(|r| r.r#type() == reservation_info::Type::Dynamic)
}

/// Whether the resource is revocable.
pub fn is_revocable(resource: &Resource) -> bool {
    resource.revocable.is_some()
}

/// Whether the resource is shared.
pub fn is_shared(resource: &Resource) -> bool {
    resource.shared.is_some()
}

/// Whether the resource is allocated to `role` or one of its descendants.
pub fn is_allocated_to_role_subtree(resource: &Resource, role: &str) -> bool {
    let allocated = resource
        .allocation_info
        .as_ref()
        .map_or("", |info| info.role());
    allocated == role || roles::is_strict_subrole_of(allocated, role)
}

/// Whether the resource is reserved to `role` or one of its descendants.
pub fn is_reserved_to_role_subtree(resource: &Resource, role: &str) -> bool {
    !is_unreserved(resource) && {
        let reserved = reservation_role(resource);
        reserved == role || roles::is_strict_subrole_of(reserved, role)
    }
}

/// Whether the resource carries more than one reservation.
pub fn has_refined_reservations(resource: &Resource) -> bool {
    resource.reservations.len() > 1
}

/// Whether the resource belongs to a resource provider.
pub fn has_resource_provider(resource: &Resource) -> bool {
    resource.provider_id.is_some()
}

/// The role the resource is reserved to: its last reservation's; empty
/// for an unreserved resource.
pub fn reservation_role(resource: &Resource) -> &str {
    resource.reservations.last().map_or("", |r| r.role())
}

/// Lowers a scalar resource to at most `target`; `false` if it cannot be
/// divided (a MOUNT disk, say) and stays as it was.
pub fn shrink(resource: &mut Resource, target: &Scalar) -> bool {
    if scalar(resource).contained_in(target) {
        return true;
    }
    if resource.disk.is_some() {
        let original = resource.clone();
        resource.scalar = Some(*target);
        if resource.contained_in(&original) {
            return true;
        }
        resource.scalar = original.scalar;
        return false;
    }
    resource.scalar = Some(*target);
    true
}

/// `a` with the reservations that `a` and `b` have in common, from the
/// bottom of the stack up.
pub fn get_reservation_ancestor(a: &Resource, b: &Resource) -> Resource {
    let common = a
        .reservations
        .iter()
        .zip(&b.reservations)
        .take_while(|(x, y)| reservations_equal(x, y))
        .count();
    let mut ancestor = a.clone();
    ancestor.reservations.truncate(common);
    ancestor
}

impl Compare for Resource {
    /// Mesos' `==`: the same metadata (name, type, allocation,
    /// reservations, disk, revocable, provider, shared) and the same
    /// value.
    fn equals(&self, other: &Resource) -> bool {
        same_metadata(self, other) && compare_values(self, other, Relation::Equal)
    }

    /// Mesos' `contains(other, self)`: `self` can be taken out of `other`
    /// and is no more than it.
    fn contained_in(&self, other: &Resource) -> bool {
        subtractable(other, self) && compare_values(self, other, Relation::ContainedIn)
    }
}

/// The resource's scalar, zero if unset (as protobuf's accessor gives).
pub(super) fn scalar(resource: &Resource) -> Scalar {
    resource.scalar.unwrap_or_default()
}

#[derive(Clone, Copy)]
enum Relation {
    Equal,
    ContainedIn,
}

/// Compares the values of two resources of `left`'s type.
fn compare_values(left: &Resource, right: &Resource, relation: Relation) -> bool {
    fn compare<T: Compare + Default>(
        left: Option<&T>,
        right: Option<&T>,
        relation: Relation,
    ) -> bool {
        let empty = T::default();
        let (left, right) = (left.unwrap_or(&empty), right.unwrap_or(&empty));
        match relation {
            Relation::Equal => left.equals(right),
            Relation::ContainedIn => left.contained_in(right),
        }
    }
    match left.r#type() {
        value::Type::Scalar => compare(left.scalar.as_ref(), right.scalar.as_ref(), relation),
        value::Type::Ranges => compare(left.ranges.as_ref(), right.ranges.as_ref(), relation),
        value::Type::Set => compare(left.set.as_ref(), right.set.as_ref(), relation),
        value::Type::Text => false,
    }
}

/// Everything but the value: what decides whether two resources are the
/// same kind of thing.
pub(super) fn same_metadata(left: &Resource, right: &Resource) -> bool {
    same_kind(left, right)
        && disks_equal(left.disk.as_ref(), right.disk.as_ref())
        && left.shared.is_some() == right.shared.is_some()
}

/// Name, type, allocation, reservations, revocability and provider: what
/// [`same_metadata`], [`addable`] and [`subtractable`] all require.
fn same_kind(left: &Resource, right: &Resource) -> bool {
    left.name == right.name
        && left.r#type == right.r#type
        && left.allocation_info.as_ref().map(|a| &a.role)
            == right.allocation_info.as_ref().map(|a| &a.role)
        && left.reservations.len() == right.reservations.len()
        && left
            .reservations
            .iter()
            .zip(&right.reservations)
            .all(|(l, r)| reservations_equal(l, r))
        && left.revocable.is_some() == right.revocable.is_some()
        && left.provider_id == right.provider_id
}

/// Whether `right` can be merged into `left` as one resource.
pub(super) fn addable(left: &Resource, right: &Resource) -> bool {
    if left.shared.is_some() || right.shared.is_some() {
        // Shared resources merge by count, and only identical ones.
        return left.shared.is_some() == right.shared.is_some() && left.equals(right);
    }
    compatible(left, right) && divisibility(left) == Divisibility::Divisible
}

/// Whether `right` can be taken out of `left`, leaving one resource (or
/// nothing). Set subtraction is defined even if `left` lacks some of
/// `right`'s items.
pub(super) fn subtractable(left: &Resource, right: &Resource) -> bool {
    if left.shared.is_some() || right.shared.is_some() {
        return left.shared.is_some() == right.shared.is_some() && left.equals(right);
    }
    compatible(left, right)
        && match divisibility(left) {
            Divisibility::Divisible => true,
            Divisibility::WholeOnly => left.equals(right),
            Divisibility::Never => false,
        }
}

/// Everything but the value and sharedness matches.
fn compatible(left: &Resource, right: &Resource) -> bool {
    same_kind(left, right) && disks_equal(left.disk.as_ref(), right.disk.as_ref())
}

/// How a resource combines with a compatible one.
#[derive(PartialEq, Eq)]
enum Divisibility {
    /// In any amounts.
    Divisible,
    /// Only as a whole: exclusive disks (MOUNT, BLOCK, a RAW disk with an
    /// ID) would lose their exclusivity, and two volumes with one
    /// persistence ID cannot both exist.
    WholeOnly,
    /// Not at all: a disk source of unknown type.
    Never,
}

fn divisibility(resource: &Resource) -> Divisibility {
    let Some(disk) = &resource.disk else {
        return Divisibility::Divisible;
    };
    let exclusive = match disk.source.as_ref() {
        None => false,
        Some(source) => match source.r#type() {
            source::Type::Path => false,
            source::Type::Mount | source::Type::Block => true,
            source::Type::Raw => source.id.is_some(),
            source::Type::Unknown => return Divisibility::Never,
        },
    };
    if exclusive || disk.persistence.is_some() {
        Divisibility::WholeOnly
    } else {
        Divisibility::Divisible
    }
}

/// Adds `right`'s value to `left`'s (which [`addable`] allowed).
pub(super) fn add_value(left: &mut Resource, right: &Resource) {
    match left.r#type() {
        value::Type::Scalar => left.scalar = Some(scalar(left) + scalar(right)),
        value::Type::Ranges => {
            let ranges = left.ranges.get_or_insert_with(Default::default);
            *ranges += right.ranges.clone().unwrap_or_default();
        }
        value::Type::Set => {
            let set = left.set.get_or_insert_with(Default::default);
            *set += right.set.clone().unwrap_or_default();
        }
        value::Type::Text => {}
    }
}

/// Takes `right`'s value out of `left`'s (which [`subtractable`]
/// allowed).
pub(super) fn subtract_value(left: &mut Resource, right: &Resource) {
    match left.r#type() {
        value::Type::Scalar => left.scalar = Some(scalar(left) - scalar(right)),
        value::Type::Ranges => {
            let ranges = left.ranges.get_or_insert_with(Default::default);
            *ranges -= right.ranges.clone().unwrap_or_default();
        }
        value::Type::Set => {
            let set = left.set.get_or_insert_with(Default::default);
            *set -= right.set.clone().unwrap_or_default();
        }
        value::Type::Text => {}
    }
}

/// Mesos' `==` on reservations: type, role, and principal and labels
/// (in any order) when set.
pub(crate) fn reservations_equal(left: &ReservationInfo, right: &ReservationInfo) -> bool {
    left.r#type() == right.r#type()
        && left.role() == right.role()
        && left.principal == right.principal
        && match (&left.labels, &right.labels) {
            (Some(l), Some(r)) => labels_equal(l, r),
            (l, r) => l.is_none() && r.is_none(),
        }
}

/// Mesos' `==` on disks: the same source and persistence ID. The volume
/// is how a task uses the disk, not part of it, so it is ignored.
fn disks_equal(left: Option<&DiskInfo>, right: Option<&DiskInfo>) -> bool {
    match (left, right) {
        (Some(l), Some(r)) => {
            sources_equal(l.source.as_ref(), r.source.as_ref())
                && l.persistence.as_ref().map(|p| &p.id) == r.persistence.as_ref().map(|p| &p.id)
        }
        (l, r) => l.is_none() && r.is_none(),
    }
}

fn sources_equal(left: Option<&Source>, right: Option<&Source>) -> bool {
    match (left, right) {
        (Some(l), Some(r)) => {
            l.r#type() == r.r#type()
                && l.path == r.path
                && l.mount == r.mount
                && l.vendor == r.vendor
                && l.id == r.id
                && match (&l.metadata, &r.metadata) {
                    (Some(l), Some(r)) => labels_equal(l, r),
                    (l, r) => l.is_none() && r.is_none(),
                }
                && l.profile == r.profile
        }
        (l, r) => l.is_none() && r.is_none(),
    }
}
