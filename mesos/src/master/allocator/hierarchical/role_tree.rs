//! The allocator's role tree (Mesos' `Role` and `RoleTree` in
//! `hierarchical.{hpp,cpp}`): every role that has a non-default weight or
//! quota, frameworks, reservations, or a descendant with any of those,
//! with what it holds, summed up the tree.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::common::resource_quantities::{ResourceLimits, ResourceQuantities};
use crate::common::resources::{self, Resources};
use crate::common::roles;
use crate::{FrameworkId, SlaveId};

/// The weight of a role nobody set one for.
pub const DEFAULT_WEIGHT: f64 = 1.0;

/// A role's quota (Mesos' `Quota`): what it is guaranteed and what it
/// may hold at most. The default guarantees nothing and limits nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quota {
    /// Quantities the allocator sets aside for the role.
    pub guarantees: ResourceQuantities,
    /// The most the role may consume, by name (no entry: no limit).
    pub limits: ResourceLimits,
}

impl Quota {
    /// Whether this is the default quota (no guarantees, no limits).
    pub fn is_default(&self) -> bool {
        self.guarantees.is_empty() && self.limits.is_empty()
    }
}

/// Scalar resources summed across agents without adding resources of
/// different agents together (Mesos' `ScalarResourceTotals`).
#[derive(Clone, Debug, Default)]
pub struct ScalarResourceTotals {
    scalars: HashMap<SlaveId, Resources>,
    total: ResourceQuantities,
}

impl ScalarResourceTotals {
    /// Adds the scalar part of `resources` on `slave_id`.
    pub fn add(&mut self, slave_id: &SlaveId, resources: &Resources) {
        let scalars = resources.scalars();
        if scalars.is_empty() {
            return;
        }
        let held = self.scalars.entry(slave_id.clone()).or_default();
        self.total -= &ResourceQuantities::from_scalar_resources(held);
        *held += &scalars;
        self.total += &ResourceQuantities::from_scalar_resources(held);
    }

    /// Takes the scalar part of `resources` on `slave_id` away.
    pub fn subtract(&mut self, slave_id: &SlaveId, resources: &Resources) {
        let scalars = resources.scalars();
        if scalars.is_empty() {
            return;
        }
        // More than was added is a caller's bug (Mesos aborts); what was
        // added is taken away and the rest ignored.
        let Some(held) = self.scalars.get_mut(slave_id) else {
            tracing::error!(
                "No tracked resources on agent {} to take {scalars} from",
                slave_id.value
            );
            return;
        };
        if !held.contains(&scalars) {
            tracing::error!(
                "{held} on agent {} does not contain {scalars}",
                slave_id.value
            );
        }
        self.total -= &ResourceQuantities::from_scalar_resources(held);
        *held -= &scalars;
        self.total += &ResourceQuantities::from_scalar_resources(held);
        if held.is_empty() {
            self.scalars.remove(slave_id);
        }
    }

    /// Whether nothing is tracked.
    pub fn is_empty(&self) -> bool {
        self.scalars.is_empty()
    }

    /// The sum over all agents.
    pub fn quantities(&self) -> &ResourceQuantities {
        &self.total
    }
}

/// One node of the role tree.
#[derive(Clone, Debug)]
pub struct Role {
    /// The full path, e.g. `a/b/c` (empty for the root).
    pub role: String,
    quota: Quota,
    weight: f64,
    /// Frameworks subscribed to the role, or holding resources
    /// allocated to it.
    frameworks: HashSet<FrameworkId>,
    offered_or_allocated_unreserved_non_revocable: ScalarResourceTotals,
    offered_or_allocated_reserved: ScalarResourceTotals,
    /// Reservations to the role and its subroles, on all agents.
    reservation_scalar_quantities: ResourceQuantities,
    /// Unreserved non-revocable resources used by tasks in the subtree.
    allocated_unreserved_non_revocable: ScalarResourceTotals,
    /// Children by basename, as full paths.
    children: BTreeMap<String, String>,
}

impl Role {
    fn new(role: &str) -> Role {
        Role {
            role: role.to_string(),
            quota: Quota::default(),
            weight: DEFAULT_WEIGHT,
            frameworks: HashSet::new(),
            offered_or_allocated_unreserved_non_revocable: ScalarResourceTotals::default(),
            offered_or_allocated_reserved: ScalarResourceTotals::default(),
            reservation_scalar_quantities: ResourceQuantities::default(),
            allocated_unreserved_non_revocable: ScalarResourceTotals::default(),
            children: BTreeMap::new(),
        }
    }

    /// The role's quota.
    pub fn quota(&self) -> &Quota {
        &self.quota
    }

    /// The role's weight.
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// The frameworks tracked under the role.
    pub fn frameworks(&self) -> &HashSet<FrameworkId> {
        &self.frameworks
    }

    /// The scalar quantities reserved to the role and its subroles.
    pub fn reservation_scalar_quantities(&self) -> &ResourceQuantities {
        &self.reservation_scalar_quantities
    }

    /// The reserved scalar quantities offered or allocated in the subtree.
    pub fn offered_or_allocated_reserved_scalar_quantities(&self) -> &ResourceQuantities {
        self.offered_or_allocated_reserved.quantities()
    }

    /// What counts against the role's quota when offers are made:
    /// unreserved non-revocable resources offered or allocated, plus all
    /// reservations.
    pub fn quota_offered_or_consumed(&self) -> ResourceQuantities {
        let mut result = self
            .offered_or_allocated_unreserved_non_revocable
            .quantities()
            .clone();
        result += &self.reservation_scalar_quantities;
        result
    }

    /// What the role consumes of its quota: unreserved non-revocable
    /// resources used by tasks, plus all reservations.
    pub fn quota_consumed(&self) -> ResourceQuantities {
        let mut result = self.allocated_unreserved_non_revocable.quantities().clone();
        result += &self.reservation_scalar_quantities;
        result
    }

    /// Full paths of the role's children.
    pub fn children(&self) -> impl Iterator<Item = &str> {
        self.children.values().map(String::as_str)
    }

    fn is_empty(&self) -> bool {
        self.children.is_empty()
            && self.frameworks.is_empty()
            && self.reservation_scalar_quantities.is_empty()
            && self.quota.is_default()
            && self.weight == DEFAULT_WEIGHT
    }

    fn basename(&self) -> &str {
        self.role.rsplit('/').next().unwrap_or_default()
    }
}

/// The tree of tracked roles. A role is dropped once it is empty (see
/// the module documentation), and so are its empty ancestors.
#[derive(Clone, Debug)]
pub struct RoleTree {
    root: Role,
    roles: HashMap<String, Role>,
}

impl Default for RoleTree {
    fn default() -> RoleTree {
        RoleTree::new()
    }
}

impl RoleTree {
    /// An empty tree.
    pub fn new() -> RoleTree {
        RoleTree {
            root: Role::new(""),
            roles: HashMap::new(),
        }
    }

    /// The role at `role`, if tracked.
    pub fn get(&self, role: &str) -> Option<&Role> {
        self.roles.get(role)
    }

    /// The root (its path is empty).
    pub fn root(&self) -> &Role {
        &self.root
    }

    /// Every tracked role by path, the root left out.
    pub fn roles(&self) -> &HashMap<String, Role> {
        &self.roles
    }

    /// The paths of the top-level roles.
    pub fn top_level(&self) -> impl Iterator<Item = &Role> {
        self.root.children().filter_map(|path| self.roles.get(path))
    }

    /// Creates the role and any missing ancestor; the paths created, top
    /// first, so callers can add metrics for them.
    fn ensure(&mut self, role: &str) -> Vec<String> {
        let mut created = Vec::new();
        if self.roles.contains_key(role) {
            return created;
        }
        let mut parent: Option<String> = None;
        let mut path = String::new();
        for token in role.split('/') {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(token);
            if !self.roles.contains_key(&path) {
                self.roles.insert(path.clone(), Role::new(&path));
                let parent_role = match &parent {
                    Some(parent) => self.roles.get_mut(parent).expect("parent is tracked"),
                    None => &mut self.root,
                };
                parent_role.children.insert(token.to_string(), path.clone());
                created.push(path.clone());
            }
            parent = Some(path.clone());
        }
        created
    }

    /// `role` followed by its ancestors, nearest first (the root left out).
    fn path_up(role: &str) -> impl Iterator<Item = String> {
        std::iter::once(role.to_string()).chain(roles::ancestors(role))
    }

    fn apply_up(&mut self, role: &str, mut f: impl FnMut(&mut Role)) {
        for path in Self::path_up(role) {
            if let Some(node) = self.roles.get_mut(&path) {
                f(node);
            }
        }
        f(&mut self.root);
    }

    /// Removes `role` and its ancestors for as long as they are empty.
    fn try_remove(&mut self, role: &str) -> bool {
        match self.roles.get(role) {
            Some(node) if node.is_empty() => {}
            _ => return false,
        }
        for path in Self::path_up(role) {
            let Some(node) = self.roles.get(&path) else {
                break;
            };
            if !node.is_empty() {
                break;
            }
            assert!(
                node.offered_or_allocated_unreserved_non_revocable
                    .is_empty()
                    && node.offered_or_allocated_reserved.is_empty()
                    && node.allocated_unreserved_non_revocable.is_empty(),
                "an empty role {path} still holds resources"
            );
            let basename = node.basename().to_string();
            let parent = roles::ancestors(&path).into_iter().next();
            match parent {
                Some(parent) => {
                    if let Some(parent) = self.roles.get_mut(&parent) {
                        parent.children.remove(&basename);
                    }
                }
                None => {
                    self.root.children.remove(&basename);
                }
            }
            self.roles.remove(&path);
        }
        true
    }

    /// Counts reservations of `resources` (all reserved) towards their
    /// roles and those roles' ancestors.
    pub fn track_reservations(&mut self, resources: &Resources) {
        for resource in resources.scalars().iter() {
            let role = resources::reservation_role(resource).to_string();
            let quantities = ResourceQuantities::from_scalar_resource(resource);
            self.ensure(&role);
            self.apply_up(&role, |node| {
                node.reservation_scalar_quantities += &quantities
            });
        }
    }

    /// Undoes [`track_reservations`](Self::track_reservations).
    pub fn untrack_reservations(&mut self, resources: &Resources) {
        for resource in resources.scalars().iter() {
            let role = resources::reservation_role(resource).to_string();
            let quantities = ResourceQuantities::from_scalar_resource(resource);
            self.apply_up(&role, |node| {
                node.reservation_scalar_quantities -= &quantities
            });
            self.try_remove(&role);
        }
    }

    /// Counts resources used by tasks (allocated to roles).
    pub fn track_allocated(&mut self, slave_id: &SlaveId, resources: &Resources) {
        let used = resources.scalars().unreserved().non_revocable();
        for (role, allocation) in used.allocations() {
            self.apply_up(&role, |node| {
                node.allocated_unreserved_non_revocable
                    .add(slave_id, &allocation)
            });
        }
    }

    /// Undoes [`track_allocated`](Self::track_allocated).
    pub fn untrack_allocated(&mut self, slave_id: &SlaveId, resources: &Resources) {
        let used = resources.scalars().unreserved().non_revocable();
        for (role, allocation) in used.allocations() {
            self.apply_up(&role, |node| {
                node.allocated_unreserved_non_revocable
                    .subtract(slave_id, &allocation)
            });
        }
    }

    /// Tracks a framework under `role`, creating the role if needed; the
    /// paths created.
    pub fn track_framework(&mut self, framework_id: &FrameworkId, role: &str) -> Vec<String> {
        let created = self.ensure(role);
        let node = self.roles.get_mut(role).expect("role was just ensured");
        assert!(
            node.frameworks.insert(framework_id.clone()),
            "framework {} tracked twice under role {role}",
            framework_id.value
        );
        created
    }

    /// Stops tracking a framework under `role`, dropping the role if it
    /// became empty.
    pub fn untrack_framework(&mut self, framework_id: &FrameworkId, role: &str) {
        let node = self
            .roles
            .get_mut(role)
            .unwrap_or_else(|| panic!("unknown role {role}"));
        assert!(
            node.frameworks.remove(framework_id),
            "framework {} not tracked under role {role}",
            framework_id.value
        );
        self.try_remove(role);
    }

    /// Sets a role's quota.
    pub fn update_quota(&mut self, role: &str, quota: Quota) {
        self.ensure(role);
        if let Some(node) = self.roles.get_mut(role) {
            node.quota = quota;
        }
        self.try_remove(role);
    }

    /// Sets a role's weight.
    pub fn update_weight(&mut self, role: &str, weight: f64) {
        self.ensure(role);
        if let Some(node) = self.roles.get_mut(role) {
            node.weight = weight;
        }
        self.try_remove(role);
    }

    /// Counts offered or allocated resources towards their allocation
    /// roles and those roles' ancestors.
    pub fn track_offered_or_allocated(&mut self, slave_id: &SlaveId, resources: &Resources) {
        for (role, allocation) in resources.scalars().allocations() {
            let reserved = allocation.reserved(None);
            let unreserved = allocation.unreserved().non_revocable();
            self.apply_up(&role, |node| {
                node.offered_or_allocated_reserved.add(slave_id, &reserved);
                node.offered_or_allocated_unreserved_non_revocable
                    .add(slave_id, &unreserved);
            });
        }
    }

    /// Undoes [`track_offered_or_allocated`](Self::track_offered_or_allocated).
    pub fn untrack_offered_or_allocated(&mut self, slave_id: &SlaveId, resources: &Resources) {
        for (role, allocation) in resources.scalars().allocations() {
            let reserved = allocation.reserved(None);
            let unreserved = allocation.unreserved().non_revocable();
            self.apply_up(&role, |node| {
                node.offered_or_allocated_reserved
                    .subtract(slave_id, &reserved);
                node.offered_or_allocated_unreserved_non_revocable
                    .subtract(slave_id, &unreserved);
            });
        }
    }

    /// The tracked role paths, sorted.
    pub fn paths(&self) -> BTreeSet<&str> {
        self.roles.keys().map(String::as_str).collect()
    }
}
