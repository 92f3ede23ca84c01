//! Amounts of resources by name with all metadata dropped (Mesos'
//! `ResourceQuantities`), caps on them where a missing name means no cap
//! (`ResourceLimits`), and `shrinkResources`, which cuts [`Resources`]
//! down to fit either (`src/common/resource_quantities.cpp` and
//! `src/common/resources_utils.cpp`).
//!
//! Both collections keep one entry per name, sorted by name, and do their
//! arithmetic in Mesos' fixed point (see [`values`]), so results match
//! Mesos' to the thousandth and print the same.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::iter::Sum;
use std::ops::{AddAssign, Sub, SubAssign};

use stout::{Error, Try};

use crate::common::resources::{self, Resources};
use crate::common::values::{self, Compare};
use crate::value::{self, Scalar};
use crate::Resource;

/// How much of each resource there is, by name: every amount positive
/// and finite, a missing name meaning none at all.
///
/// Amounts that come out zero or negative (from parsing, adding or
/// subtracting) are dropped, as `Resources` drops empty resources.
#[derive(Clone, Default)]
pub struct ResourceQuantities {
    quantities: Vec<(String, Scalar)>,
}

impl ResourceQuantities {
    /// Parses `name:number` pairs separated by `;` (`cpus:10; mem:1024`).
    /// Whitespace around names and numbers is ignored (inside a name it
    /// is kept), a name given twice has its amounts added, and zero
    /// amounts are left out. Numbers must be non-negative and finite.
    pub fn from_string(text: &str) -> Try<ResourceQuantities> {
        let mut result = ResourceQuantities::default();
        parse_entries(text, "quantity", |name, _, amount| {
            result.insert(name, amount);
            Ok(())
        })?;
        Ok(result)
    }

    /// The scalar amounts of `resources`, summed by name whatever their
    /// reservations, disks and other metadata. Resources of other types
    /// are skipped: Mesos aborts on them, and nothing built from input
    /// may panic here.
    pub fn from_scalar_resources(resources: &Resources) -> ResourceQuantities {
        let mut result = ResourceQuantities::default();
        for resource in resources.iter() {
            result.add_scalar_resource(resource);
        }
        result
    }

    /// The amount of one scalar resource (empty for another type, as in
    /// [`from_scalar_resources`](Self::from_scalar_resources)).
    pub fn from_scalar_resource(resource: &Resource) -> ResourceQuantities {
        let mut result = ResourceQuantities::default();
        result.add_scalar_resource(resource);
        result
    }

    /// The amounts of `resources` of any type, summed by name: a scalar
    /// counts its value, a set its items, ranges the numbers they span
    /// (`ports:[5000-6000]` is 1001). The resources are taken as valid
    /// (ranges that do not overlap, sets without duplicates).
    pub fn from_resources(resources: &Resources) -> ResourceQuantities {
        let mut result = ResourceQuantities::default();
        for resource in resources.iter() {
            result.insert(
                &resource.name,
                Scalar {
                    value: amount(resource),
                },
            );
        }
        result
    }

    /// How many names have an amount.
    pub fn len(&self) -> usize {
        self.quantities.len()
    }

    /// Whether there is no amount of anything.
    pub fn is_empty(&self) -> bool {
        self.quantities.is_empty()
    }

    /// The names and their amounts, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Scalar)> {
        self.quantities
            .iter()
            .map(|(name, amount)| (name.as_str(), amount))
    }

    /// The amount of `name`; zero if there is none.
    pub fn get(&self, name: &str) -> Scalar {
        position(&self.quantities, name).map_or(Scalar::default(), |at| self.quantities[at].1)
    }

    /// Whether there is at least as much of everything as in `that`.
    pub fn contains(&self, that: &ResourceQuantities) -> bool {
        that.iter()
            .all(|(name, amount)| amount.contained_in(&self.get(name)))
    }

    /// Adds `amount` of `name`. An amount that is not positive is
    /// ignored, which keeps every entry positive.
    fn insert(&mut self, name: &str, amount: Scalar) {
        if amount.contained_in(&Scalar::default()) {
            return;
        }
        match position(&self.quantities, name) {
            Ok(at) => self.quantities[at].1 += amount,
            Err(at) => self.quantities.insert(at, (name.to_string(), amount)),
        }
    }

    fn add_scalar_resource(&mut self, resource: &Resource) {
        if resource.r#type() == value::Type::Scalar {
            self.insert(&resource.name, resource.scalar.unwrap_or_default());
        }
    }
}

impl PartialEq for ResourceQuantities {
    /// Same names with equal amounts in fixed point.
    fn eq(&self, other: &ResourceQuantities) -> bool {
        same_entries(&self.quantities, &other.quantities)
    }
}

impl fmt::Display for ResourceQuantities {
    /// `cpus:1; mem:1024`, or `{}` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_entries(f, &self.quantities)
    }
}

impl fmt::Debug for ResourceQuantities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl AddAssign<&ResourceQuantities> for ResourceQuantities {
    fn add_assign(&mut self, right: &ResourceQuantities) {
        for (name, amount) in &right.quantities {
            self.insert(name, *amount);
        }
    }
}

impl AddAssign for ResourceQuantities {
    fn add_assign(&mut self, right: ResourceQuantities) {
        *self += &right;
    }
}

impl SubAssign<&ResourceQuantities> for ResourceQuantities {
    /// Takes away `right`'s amounts; a name whose amount would reach zero
    /// or below goes away, and names only in `right` change nothing.
    fn sub_assign(&mut self, right: &ResourceQuantities) {
        for (name, amount) in &right.quantities {
            if let Ok(at) = position(&self.quantities, name) {
                if self.quantities[at].1.contained_in(amount) {
                    self.quantities.remove(at);
                } else {
                    self.quantities[at].1 -= *amount;
                }
            }
        }
    }
}

impl SubAssign for ResourceQuantities {
    fn sub_assign(&mut self, right: ResourceQuantities) {
        *self -= &right;
    }
}

/// `+` and `-` on owned and borrowed quantities, through `+=` and `-=`.
macro_rules! quantities_operator {
    ($trait:ident, $method:ident, $assign:tt) => {
        impl std::ops::$trait<&ResourceQuantities> for ResourceQuantities {
            type Output = ResourceQuantities;
            fn $method(mut self, right: &ResourceQuantities) -> ResourceQuantities {
                self $assign right;
                self
            }
        }

        impl std::ops::$trait for ResourceQuantities {
            type Output = ResourceQuantities;
            fn $method(mut self, right: ResourceQuantities) -> ResourceQuantities {
                self $assign &right;
                self
            }
        }

        impl std::ops::$trait<&ResourceQuantities> for &ResourceQuantities {
            type Output = ResourceQuantities;
            fn $method(self, right: &ResourceQuantities) -> ResourceQuantities {
                let mut result = self.clone();
                result $assign right;
                result
            }
        }

        impl std::ops::$trait<ResourceQuantities> for &ResourceQuantities {
            type Output = ResourceQuantities;
            fn $method(self, right: ResourceQuantities) -> ResourceQuantities {
                let mut result = self.clone();
                result $assign &right;
                result
            }
        }
    };
}

quantities_operator!(Add, add, +=);
quantities_operator!(Sub, sub, -=);

impl Sum for ResourceQuantities {
    fn sum<I: Iterator<Item = ResourceQuantities>>(iter: I) -> ResourceQuantities {
        iter.fold(ResourceQuantities::default(), |total, q| total + &q)
    }
}

impl<'a> Sum<&'a ResourceQuantities> for ResourceQuantities {
    fn sum<I: Iterator<Item = &'a ResourceQuantities>>(iter: I) -> ResourceQuantities {
        iter.fold(ResourceQuantities::default(), |total, q| total + q)
    }
}

/// Caps on resources by name, each non-negative and finite; a missing
/// name has no cap (an infinite one). Unlike quantities, a zero cap is
/// kept, as it means something a missing one does not.
#[derive(Clone, Default)]
pub struct ResourceLimits {
    limits: Vec<(String, Scalar)>,
}

impl ResourceLimits {
    /// Parses `name:number` pairs separated by `;` (`cpus:10; mem:0`).
    /// Whitespace around names and numbers is ignored (inside a name it
    /// is kept) and zeros are kept. Numbers must be non-negative and
    /// finite, and a name may appear only once.
    pub fn from_string(text: &str) -> Try<ResourceLimits> {
        let mut result = ResourceLimits::default();
        parse_entries(text, "limit", |name, number, limit| {
            if result.get(name).is_some() {
                return Err(Error::new(format!(
                    "Failed to parse '{}' to limit: duplicate names are not allowed",
                    number
                )));
            }
            result.set(name, limit);
            Ok(())
        })?;
        Ok(result)
    }

    /// How many names have a cap.
    pub fn len(&self) -> usize {
        self.limits.len()
    }

    /// Whether nothing is capped.
    pub fn is_empty(&self) -> bool {
        self.limits.is_empty()
    }

    /// The names and their caps, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Scalar)> {
        self.limits
            .iter()
            .map(|(name, limit)| (name.as_str(), limit))
    }

    /// The cap on `name`; `None` if it has none (is unlimited).
    pub fn get(&self, name: &str) -> Option<Scalar> {
        position(&self.limits, name)
            .ok()
            .map(|at| self.limits[at].1)
    }

    /// Whether these caps are at least as high as `right`'s everywhere:
    /// a name capped here must be capped no higher in `right`, while a
    /// name uncapped here may be anything there.
    pub fn contains(&self, right: &ResourceLimits) -> bool {
        self.limits.iter().all(|(name, limit)| {
            right
                .get(name)
                .is_some_and(|theirs| theirs.contained_in(limit))
        })
    }

    /// Whether `quantities` fit within these caps.
    pub fn contains_quantities(&self, quantities: &ResourceQuantities) -> bool {
        quantities.iter().all(|(name, amount)| {
            self.get(name)
                .is_none_or(|limit| amount.contained_in(&limit))
        })
    }

    /// Caps `name` at `limit`, replacing any cap it had. A negative limit
    /// is taken as zero, which keeps every cap non-negative.
    pub fn set(&mut self, name: &str, limit: Scalar) {
        let limit = at_least_zero(limit);
        match position(&self.limits, name) {
            Ok(at) => self.limits[at].1 = limit,
            Err(at) => self.limits.insert(at, (name.to_string(), limit)),
        }
    }
}

impl PartialEq for ResourceLimits {
    /// Same names with equal caps in fixed point.
    fn eq(&self, other: &ResourceLimits) -> bool {
        same_entries(&self.limits, &other.limits)
    }
}

impl fmt::Display for ResourceLimits {
    /// `cpus:1; mem:0`, or `{}` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_entries(f, &self.limits)
    }
}

impl fmt::Debug for ResourceLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl SubAssign<&ResourceQuantities> for ResourceLimits {
    /// Lowers each cap by the quantity of its name, down to zero at
    /// most; uncapped names stay uncapped.
    fn sub_assign(&mut self, quantities: &ResourceQuantities) {
        for (name, amount) in quantities.iter() {
            if let Ok(at) = position(&self.limits, name) {
                let limit = &mut self.limits[at].1;
                *limit = at_least_zero(*limit - *amount);
            }
        }
    }
}

impl SubAssign<ResourceQuantities> for ResourceLimits {
    fn sub_assign(&mut self, quantities: ResourceQuantities) {
        *self -= &quantities;
    }
}

impl Sub<&ResourceQuantities> for ResourceLimits {
    type Output = ResourceLimits;
    fn sub(mut self, quantities: &ResourceQuantities) -> ResourceLimits {
        self -= quantities;
        self
    }
}

impl Sub<ResourceQuantities> for ResourceLimits {
    type Output = ResourceLimits;
    fn sub(mut self, quantities: ResourceQuantities) -> ResourceLimits {
        self -= &quantities;
        self
    }
}

impl Sub<&ResourceQuantities> for &ResourceLimits {
    type Output = ResourceLimits;
    fn sub(self, quantities: &ResourceQuantities) -> ResourceLimits {
        self.clone() - quantities
    }
}

impl Resources {
    /// Whether these resources amount to at least `quantities` of each
    /// name, whatever their metadata (amounts as in
    /// [`ResourceQuantities::from_resources`]).
    pub fn contains_quantities(&self, quantities: &ResourceQuantities) -> bool {
        quantities.iter().all(|(name, wanted)| {
            // Counted down in plain floating point rather than fixed
            // point, as Mesos does here, so borderline cases agree.
            let remaining = self
                .named(name)
                .iter()
                .map(amount)
                .fold(wanted.value, |remaining, amount| remaining - amount);
            remaining <= 0.0
        })
    }
}

/// `resources` cut down to at most `target`: resources whose name has no
/// target are dropped, the others kept (lowered where they can be, as
/// [`resources::shrink`] does) until the target of their name is used up.
///
/// Which resources are kept when there are more than fit is random, as
/// in Mesos, so that repeated shrinks do not always favour the same ones.
/// Targets are meant for scalar resources only; a resource of another
/// type named in `target` cannot be lowered and is dropped (Mesos aborts).
pub fn shrink_resources(resources: &Resources, mut target: ResourceQuantities) -> Resources {
    let mut result = Resources::new();
    if target.is_empty() {
        return result;
    }
    for mut resource in shuffled(resources) {
        let wanted = target.get(&resource.name);
        if wanted.equals(&Scalar::default()) || resource.r#type() != value::Type::Scalar {
            continue;
        }
        if resources::shrink(&mut resource, &wanted) {
            target -= &ResourceQuantities::from_scalar_resource(&resource);
            result += resource;
        }
    }
    result
}

/// `resources` cut down to fit `target`: resources whose name has no
/// limit are all kept, the others kept (lowered where they can be, as
/// [`resources::shrink`] does) until the limit of their name is used up.
///
/// As with [`shrink_resources`], the choice among resources is random,
/// and a resource that is not a scalar but has a limit is dropped.
pub fn shrink_resources_to_limits(resources: &Resources, mut target: ResourceLimits) -> Resources {
    if target.is_empty() {
        return resources.clone();
    }
    let mut result = Resources::new();
    for mut resource in shuffled(resources) {
        let Some(limit) = target.get(&resource.name) else {
            result += resource;
            continue;
        };
        if resource.r#type() != value::Type::Scalar {
            continue;
        }
        if resources::shrink(&mut resource, &limit) {
            target -= &ResourceQuantities::from_scalar_resource(&resource);
            result += resource;
        }
    }
    result
}

/// The resources in random order (Fisher-Yates). The crate has no `rand`
/// dependency, so this runs a xorshift64 generator seeded from the
/// standard library's randomly keyed hasher: plenty for spreading which
/// resources a shrink keeps, nothing more.
fn shuffled(resources: &Resources) -> Vec<Resource> {
    let mut items: Vec<Resource> = resources.iter().cloned().collect();
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_usize(items.len());
    let mut state = hasher.finish() | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
    items
}

/// How much a resource holds in its own unit: a scalar's value, a set's
/// number of items, the count of numbers its ranges span. Text counts
/// nothing (`Resources` never holds it).
fn amount(resource: &Resource) -> f64 {
    match resource.r#type() {
        value::Type::Scalar => resource.scalar.map_or(0.0, |scalar| scalar.value),
        value::Type::Set => resource.set.as_ref().map_or(0, |set| set.item.len()) as f64,
        value::Type::Ranges => resource.ranges.as_ref().map_or(0.0, |ranges| {
            ranges
                .range
                .iter()
                .map(|range| range.end.saturating_sub(range.begin) as f64 + 1.0)
                .sum()
        }),
        value::Type::Text => 0.0,
    }
}

/// Reads `name:number;...`, handing each trimmed name, its number as
/// written (errors quote it) and the number to `entry`. `kind` names what
/// the numbers are in error messages ("quantity", "limit").
fn parse_entries(
    text: &str,
    kind: &str,
    mut entry: impl FnMut(&str, &str, Scalar) -> Try<()>,
) -> Try<()> {
    // Empty pieces are skipped on both splits, as stout's `tokenize` does.
    for token in text.split(';').filter(|t| !t.is_empty()) {
        let pair: Vec<&str> = token.split(':').filter(|t| !t.is_empty()).collect();
        let (name, number) = match pair.as_slice() {
            [name, number] => (*name, *number),
            _ => {
                return Err(Error::new(format!(
                    "Failed to parse '{}': missing or extra ':'",
                    token
                )))
            }
        };
        let parsed = values::parse(number).map_err(|e| {
            Error::new(format!(
                "Failed to parse '{}' to {}: {}",
                number,
                kind,
                e.message()
            ))
        })?;
        let scalar = match (parsed.r#type(), parsed.scalar) {
            (value::Type::Scalar, Some(scalar)) => scalar,
            _ => {
                return Err(Error::new(format!(
                    "Failed to parse '{}' to {}: only scalar values are allowed",
                    number, kind
                )))
            }
        };
        // `values::parse` refuses negative numbers already; checked again
        // since both collections rely on it.
        if scalar.value < 0.0 {
            return Err(Error::new(format!(
                "Failed to parse '{}' to {}: negative values are not allowed",
                number, kind
            )));
        }
        // The whitespace stout's `trim` removes, no more.
        let name = stout::strings::trim(name);
        entry(name, number, scalar)?;
    }
    Ok(())
}

/// Where `name` is in entries sorted by name, or where it would go.
fn position(entries: &[(String, Scalar)], name: &str) -> Result<usize, usize> {
    entries.binary_search_by(|(entry, _)| entry.as_str().cmp(name))
}

/// `scalar`, or zero if it is negative (in fixed point).
fn at_least_zero(scalar: Scalar) -> Scalar {
    if Scalar::default().contained_in(&scalar) {
        scalar
    } else {
        Scalar::default()
    }
}

fn same_entries(left: &[(String, Scalar)], right: &[(String, Scalar)]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .all(|((a, x), (b, y))| a == b && x.equals(y))
}

fn write_entries(f: &mut fmt::Formatter<'_>, entries: &[(String, Scalar)]) -> fmt::Result {
    if entries.is_empty() {
        return f.write_str("{}");
    }
    for (i, (name, amount)) in entries.iter().enumerate() {
        if i > 0 {
            f.write_str("; ")?;
        }
        write!(f, "{}:{}", name, amount)?;
    }
    Ok(())
}
