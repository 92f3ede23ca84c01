//! Mesos' `Resources`: a collection of `Resource`s kept merged, with the
//! arithmetic, containment and filters the master, agent and allocator
//! are written in (`include/mesos/resources.hpp`).
//!
//! Resources that can be one (same name, type, reservations, disk, ...)
//! are merged as they are added; invalid and empty ones are ignored, as
//! Mesos ignores them. Scalars use Mesos' fixed point, so sums and
//! differences are exact to three decimals. Clones share the resources
//! until one of them changes (copy on write, as Mesos' `shared_ptr`s).

mod conversion;
mod display;
mod format;
mod ops;
mod parse;
mod resource;
mod validate;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use stout::Bytes;

pub use conversion::{get_resource_conversions, ResourceConversion};
pub use format::{
    convert_resource_format, downgrade_resource, downgrade_resources, downgrade_resources_in,
    upgrade_resource, upgrade_resources, upgrade_resources_in, ResourceFormat,
};
pub use ops::Iter;
pub use resource::{
    get_reservation_ancestor, has_refined_reservations, has_resource_provider, is_allocatable_to,
    is_allocated_to_role_subtree, is_disk, is_dynamically_reserved, is_empty, is_persistent_volume,
    is_reserved, is_reserved_to_role_subtree, is_revocable, is_shared, is_unreserved,
    reservation_role, shrink,
};
pub use validate::{validate, validate_all};

pub(crate) use conversion::strip_volume;
pub(crate) use resource::reservations_equal;

use crate::common::values::Compare;
use crate::resource::ReservationInfo;
use crate::value::{self, Ranges, Scalar, Set};
use crate::Resource;

/// A collection of resources, merged where they can be.
#[derive(Clone, Default)]
pub struct Resources {
    items: Vec<Arc<Item>>,
}

/// One merged resource; a shared one carries how many copies of it there
/// are (Mesos' `Resource_`).
#[derive(Clone, Debug)]
struct Item {
    resource: Resource,
    shared_count: Option<i64>,
}

impl From<Resource> for Item {
    fn from(resource: Resource) -> Item {
        let shared_count = resource.shared.is_some().then_some(1);
        Item {
            resource,
            shared_count,
        }
    }
}

impl Item {
    fn validate(&self) -> bool {
        self.shared_count.is_none_or(|count| count >= 0) && validate(&self.resource).is_ok()
    }

    fn is_empty(&self) -> bool {
        self.shared_count == Some(0) || is_empty(&self.resource)
    }

    fn contains(&self, that: &Item) -> bool {
        match (self.shared_count, that.shared_count) {
            (Some(mine), Some(theirs)) => mine >= theirs && self.resource.equals(&that.resource),
            (None, None) => that.resource.contained_in(&self.resource),
            _ => false,
        }
    }

    /// Adds `that`, which [`resource::addable`] allowed.
    fn add(&mut self, that: &Item) {
        match (&mut self.shared_count, that.shared_count) {
            (Some(mine), Some(theirs)) => *mine += theirs,
            _ => resource::add_value(&mut self.resource, &that.resource),
        }
    }

    /// Subtracts `that`, which [`resource::subtractable`] allowed.
    fn subtract(&mut self, that: &Item) {
        match (&mut self.shared_count, that.shared_count) {
            (Some(mine), Some(theirs)) => *mine -= theirs,
            _ => resource::subtract_value(&mut self.resource, &that.resource),
        }
    }

    /// More was taken than there was: a count or a scalar below zero.
    fn is_negative(&self) -> bool {
        self.shared_count.is_some_and(|count| count < 0)
            || (self.resource.r#type() == value::Type::Scalar
                && resource::scalar(&self.resource).value < 0.0)
    }
}

/// A value type that [`Resources::get`] sums: `Scalar`, `Ranges` or `Set`.
pub trait ResourceValue: Default + sealed::Sealed {
    /// The resource's value of this type, if it has this type.
    #[doc(hidden)]
    fn of(resource: &Resource) -> Option<Self>;
    #[doc(hidden)]
    fn accumulate(&mut self, other: Self);
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::value::Scalar {}
    impl Sealed for crate::value::Ranges {}
    impl Sealed for crate::value::Set {}
}

impl ResourceValue for Scalar {
    fn of(resource: &Resource) -> Option<Scalar> {
        (resource.r#type() == value::Type::Scalar).then(|| resource::scalar(resource))
    }
    fn accumulate(&mut self, other: Scalar) {
        *self += other;
    }
}

impl ResourceValue for Ranges {
    fn of(resource: &Resource) -> Option<Ranges> {
        (resource.r#type() == value::Type::Ranges)
            .then(|| resource.ranges.clone().unwrap_or_default())
    }
    fn accumulate(&mut self, other: Ranges) {
        *self += other;
    }
}

impl ResourceValue for Set {
    fn of(resource: &Resource) -> Option<Set> {
        (resource.r#type() == value::Type::Set).then(|| resource.set.clone().unwrap_or_default())
    }
    fn accumulate(&mut self, other: Set) {
        *self += other;
    }
}

impl Resources {
    /// No resources.
    pub fn new() -> Resources {
        Resources::default()
    }

    /// `a` without reservations, with the reservations its first resource
    /// shares with `b`'s first, from the bottom up. Both must hold the
    /// same resources once unreserved.
    pub fn get_reservation_ancestor(a: &Resources, b: &Resources) -> Resources {
        let mut result = a.to_unreserved();
        if let (Some(x), Some(y)) = (a.iter().next(), b.iter().next()) {
            for reservation in &get_reservation_ancestor(x, y).reservations {
                result = result.push_reservation(reservation);
            }
        }
        result
    }

    /// Whether there are no resources.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many distinct (unmergeable) resources there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The resources, in the order they were first added.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.items.iter())
    }

    /// The resources as the repeated field of a message.
    pub fn to_vec(&self) -> Vec<Resource> {
        self.iter().cloned().collect()
    }

    /// Whether `self` holds all of `that`. Each persistent volume of `that`
    /// needs its own copy in `self`.
    pub fn contains(&self, that: &Resources) -> bool {
        let mut remaining = self.clone();
        for item in &that.items {
            if !remaining.contains_item(item) {
                return false;
            }
            if is_persistent_volume(&item.resource) {
                remaining.subtract(item);
            }
        }
        true
    }

    /// Whether `self` holds `that`, which must be valid.
    pub fn contains_resource(&self, that: &Resource) -> bool {
        validate(that).is_ok() && self.contains_item(&Item::from(that.clone()))
    }

    fn contains_item(&self, that: &Item) -> bool {
        self.items.iter().any(|item| item.contains(that))
    }

    /// How many copies of `that` there are: a shared resource's count, 1
    /// for another resource, 0 if absent.
    pub fn count(&self, that: &Resource) -> usize {
        self.items
            .iter()
            .find(|item| item.resource.equals(that))
            .map_or(0, |item| {
                item.shared_count
                    .map_or(1, |count| usize::try_from(count).unwrap_or(0))
            })
    }

    /// Marks every resource as allocated to `role`.
    pub fn allocate(&mut self, role: &str) {
        for item in &mut self.items {
            Arc::make_mut(item)
                .resource
                .allocation_info
                .get_or_insert_with(Default::default)
                .role = Some(role.to_string());
        }
    }

    /// Clears every resource's allocation.
    pub fn unallocate(&mut self) {
        for item in &mut self.items {
            if item.resource.allocation_info.is_some() {
                Arc::make_mut(item).resource.allocation_info = None;
            }
        }
    }

    /// The resources for which `predicate` holds.
    pub fn filter(&self, predicate: impl Fn(&Resource) -> bool) -> Resources {
        Resources {
            items: self
                .items
                .iter()
                .filter(|item| predicate(&item.resource))
                .cloned()
                .collect(),
        }
    }

    /// The reserved resources by the role they are reserved to.
    pub fn reservations(&self) -> HashMap<String, Resources> {
        self.group_by(|resource| {
            (!is_unreserved(resource)).then(|| reservation_role(resource).to_string())
        })
    }

    /// The reserved resources; given a role, those reserved to it.
    pub fn reserved(&self, role: Option<&str>) -> Resources {
        self.filter(|r| is_reserved(r, role))
    }

    /// What may be offered to `role`: unreserved resources and those
    /// reserved to it or its ancestors.
    pub fn allocatable_to(&self, role: &str) -> Resources {
        self.filter(|r| is_allocatable_to(r, role))
    }

    /// The resources allocated to `role` or its descendants.
    pub fn allocated_to_role_subtree(&self, role: &str) -> Resources {
        self.filter(|r| is_allocated_to_role_subtree(r, role))
    }

    /// The resources reserved to `role` or its descendants.
    pub fn reserved_to_role_subtree(&self, role: &str) -> Resources {
        self.filter(|r| is_reserved_to_role_subtree(r, role))
    }

    /// The unreserved resources.
    pub fn unreserved(&self) -> Resources {
        self.filter(is_unreserved)
    }

    /// The persistent volumes.
    pub fn persistent_volumes(&self) -> Resources {
        self.filter(is_persistent_volume)
    }

    /// The revocable resources.
    pub fn revocable(&self) -> Resources {
        self.filter(is_revocable)
    }

    /// The resources that are not revocable.
    pub fn non_revocable(&self) -> Resources {
        self.filter(|r| !is_revocable(r))
    }

    /// The shared resources.
    pub fn shared(&self) -> Resources {
        self.filter(is_shared)
    }

    /// The resources that are not shared.
    pub fn non_shared(&self) -> Resources {
        self.filter(|r| !is_shared(r))
    }

    /// The resources by the role they are allocated to. Unallocated
    /// resources (Mesos requires there be none) are left out.
    pub fn allocations(&self) -> HashMap<String, Resources> {
        self.group_by(|resource| {
            resource
                .allocation_info
                .as_ref()
                .and_then(|info| info.role.clone())
        })
    }

    fn group_by(&self, key: impl Fn(&Resource) -> Option<String>) -> HashMap<String, Resources> {
        let mut result: HashMap<String, Resources> = HashMap::new();
        for item in &self.items {
            if let Some(key) = key(&item.resource) {
                result.entry(key).or_default().add(Arc::clone(item));
            }
        }
        result
    }

    /// The resources with `reservation` pushed onto each one's stack. The
    /// result must be valid (a refinement of the current reservations).
    pub fn push_reservation(&self, reservation: &ReservationInfo) -> Resources {
        self.map_items(|resource| {
            resource.reservations.push(reservation.clone());
            debug_assert!(validate(resource).is_ok(), "invalid reservation pushed");
        })
    }

    /// The resources with the top reservation of each one's stack
    /// removed.
    pub fn pop_reservation(&self) -> Resources {
        self.map_items(|resource| {
            resource.reservations.pop();
        })
    }

    /// The resources without any reservation.
    pub fn to_unreserved(&self) -> Resources {
        self.map_items(|resource| resource.reservations.clear())
    }

    fn map_items(&self, change: impl Fn(&mut Resource)) -> Resources {
        let mut result = Resources::new();
        for item in &self.items {
            let mut item = Item::clone(item);
            change(&mut item.resource);
            result.add(Arc::new(item));
        }
        result
    }

    /// The scalar resources reduced to name, type and amount: the
    /// quantities, merged.
    pub fn create_stripped_scalar_quantity(&self) -> Resources {
        let mut stripped = Resources::new();
        for resource in self.iter() {
            if resource.r#type() == value::Type::Scalar {
                stripped.add(Arc::new(Item::from(Resource {
                    name: resource.name.clone(),
                    r#type: resource.r#type,
                    scalar: resource.scalar,
                    ..Resource::default()
                })));
            }
        }
        stripped
    }

    /// Resources of `self` that satisfy `targets` regardless of their
    /// reservations, preferring for each target those reserved to its
    /// role, then unreserved ones, then any. `None` if some target cannot
    /// be satisfied.
    pub fn find(&self, targets: &Resources) -> Option<Resources> {
        let mut total = Resources::new();
        for target in targets.iter() {
            total += self.find_one(target)?;
        }
        Some(total)
    }

    fn find_one(&self, target: &Resource) -> Option<Resources> {
        let mut found = Resources::new();
        let mut total = self.clone();
        let mut remaining = Resources::from(target.clone()).to_unreserved();

        let role = (!is_unreserved(target)).then(|| reservation_role(target));
        let reserved_to_role = |r: &Resource| is_reserved(r, role);
        let anything = |_: &Resource| true;
        let mut predicates: Vec<&dyn Fn(&Resource) -> bool> = Vec::new();
        if role.is_some() {
            predicates.push(&reserved_to_role);
        }
        predicates.push(&is_unreserved);
        predicates.push(&anything);

        for predicate in &predicates {
            for item in total.filter(*predicate).items {
                let mut unreserved = Resources::new();
                unreserved.add(Arc::clone(&item));
                let unreserved = unreserved.to_unreserved();
                if unreserved.contains(&remaining) {
                    for mut resource in remaining.to_vec() {
                        resource.reservations = item.resource.reservations.clone();
                        found.add(Arc::new(Item::from(resource)));
                    }
                    return Some(found);
                } else if remaining.contains(&unreserved) {
                    found.add(Arc::clone(&item));
                    total.subtract(&item);
                    remaining -= &unreserved;
                    break;
                }
            }
        }
        None
    }

    /// The first resource with the same metadata as `resource` (all but
    /// the value): Mesos' `match`.
    pub fn matching(&self, resource: &Resource) -> Option<Resource> {
        self.iter()
            .find(|r| resource::same_metadata(r, resource))
            .cloned()
    }

    /// The sum of the values of the resources named `name` that have `T`'s
    /// type; `None` if there are none.
    pub fn get<T: ResourceValue>(&self, name: &str) -> Option<T> {
        // Summed from zero, as Mesos does, so a scalar comes back in
        // fixed point even if there is only one.
        self.iter()
            .filter(|r| r.name == name)
            .filter_map(T::of)
            .fold(None, |total: Option<T>, value| {
                let mut total = total.unwrap_or_default();
                total.accumulate(value);
                Some(total)
            })
    }

    /// The resources named `name`: Mesos' `get(name)`.
    pub fn named(&self, name: &str) -> Resources {
        self.filter(|r| r.name == name)
    }

    /// The scalar resources.
    pub fn scalars(&self) -> Resources {
        self.filter(|r| r.r#type() == value::Type::Scalar)
    }

    /// The names of the resources.
    pub fn names(&self) -> BTreeSet<String> {
        self.iter().map(|r| r.name.clone()).collect()
    }

    /// Each name's type (the last one seen, should a name have two).
    pub fn types(&self) -> BTreeMap<String, value::Type> {
        self.iter().map(|r| (r.name.clone(), r.r#type())).collect()
    }

    /// The sum of the `cpus`.
    pub fn cpus(&self) -> Option<f64> {
        self.get::<Scalar>("cpus").map(|s| s.value)
    }

    /// The sum of the `gpus`.
    pub fn gpus(&self) -> Option<f64> {
        self.get::<Scalar>("gpus").map(|s| s.value)
    }

    /// The sum of the `mem`, in whole megabytes.
    pub fn mem(&self) -> Option<Bytes> {
        self.megabytes("mem")
    }

    /// The sum of the `disk`, in whole megabytes.
    pub fn disk(&self) -> Option<Bytes> {
        self.megabytes("disk")
    }

    fn megabytes(&self, name: &str) -> Option<Bytes> {
        // As C++'s cast: the fraction is dropped.
        self.get::<Scalar>(name)
            .map(|s| Bytes::megabytes(s.value as u64))
    }

    /// The `ports`.
    pub fn ports(&self) -> Option<Ranges> {
        self.get("ports")
    }

    /// The `ephemeral_ports`.
    pub fn ephemeral_ports(&self) -> Option<Ranges> {
        self.get("ephemeral_ports")
    }

    /// Merges `that` into the first resource it can be one with, or
    /// appends it. Empty resources are dropped; validity is the caller's.
    fn add(&mut self, that: Arc<Item>) {
        if that.is_empty() {
            return;
        }
        match self
            .items
            .iter_mut()
            .find(|item| resource::addable(&item.resource, &that.resource))
        {
            Some(item) => Arc::make_mut(item).add(&that),
            None => self.items.push(that),
        }
    }

    /// Takes `that` out of the first resource it can come out of. A
    /// resource that becomes empty, or negative (more was taken than there
    /// was), is removed; the last resource takes its place.
    fn subtract(&mut self, that: &Item) {
        if that.is_empty() {
            return;
        }
        let Some(at) = self
            .items
            .iter()
            .position(|item| resource::subtractable(&item.resource, &that.resource))
        else {
            return;
        };
        let item = Arc::make_mut(&mut self.items[at]);
        item.subtract(that);
        if item.is_negative() || item.is_empty() {
            self.items.swap_remove(at);
        }
    }
}
