//! The hierarchical allocator's state and the events that change it
//! (the bookkeeping half of Mesos' `HierarchicalAllocatorProcess`). No
//! process, no clock: times come in as arguments, and what the allocator
//! process must schedule (a filter's expiry) comes back as a value.

use std::collections::{BTreeSet, HashMap};

use super::framework::Framework;
use super::role_tree::{Quota, RoleTree};
use super::slave::Slave;
use crate::common::attributes::Attributes;
use crate::common::protobuf_utils::slave::Capabilities as SlaveCapabilities;
use crate::common::resource_quantities::ResourceQuantities;
use crate::common::resources::Resources;
use crate::master::allocator::sorter::{DrfSorter, Sorter};
use crate::master::allocator::Options;
use crate::{slave_info, FrameworkId, FrameworkInfo, SlaveId, SlaveInfo};

/// The hierarchical DRF allocator's state: frameworks, agents, the role
/// tree and the sorters. Events change it; [`State::allocate`] turns it
/// into offers.
///
/// As in Mesos, an event naming a framework or agent the allocator does
/// not know is a caller's bug; here it is logged and ignored rather than
/// aborting the master.
#[derive(Debug)]
pub struct State {
    pub(super) options: Options,
    pub(super) frameworks: HashMap<FrameworkId, Framework>,
    pub(super) slaves: HashMap<SlaveId, Slave>,
    /// The scalar quantities of all agents together.
    pub(super) total_scalar_quantities: ResourceQuantities,
    pub(super) role_tree: RoleTree,
    /// Orders roles (stage 2, level 1).
    pub(super) role_sorter: DrfSorter,
    /// Orders a role's frameworks (level 2), one sorter per role.
    pub(super) framework_sorters: HashMap<String, DrfSorter>,
    pub(super) next_filter_id: u64,
}

fn fairness_names(options: &Options) -> Option<BTreeSet<String>> {
    options
        .fairness_excluded_resource_names
        .as_ref()
        .map(|names| names.iter().cloned().collect())
}

impl State {
    /// An empty allocator with these options.
    pub fn new(options: Options) -> State {
        let mut role_sorter = DrfSorter::new();
        role_sorter.initialize(fairness_names(&options));
        State {
            options,
            frameworks: HashMap::new(),
            slaves: HashMap::new(),
            total_scalar_quantities: ResourceQuantities::default(),
            role_tree: RoleTree::new(),
            role_sorter,
            framework_sorters: HashMap::new(),
            next_filter_id: 0,
        }
    }

    /// The options the allocator runs with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The known frameworks.
    pub fn frameworks(&self) -> &HashMap<FrameworkId, Framework> {
        &self.frameworks
    }

    /// The known agents.
    pub fn slaves(&self) -> &HashMap<SlaveId, Slave> {
        &self.slaves
    }

    /// The role tree.
    pub fn role_tree(&self) -> &RoleTree {
        &self.role_tree
    }

    /// The total of one scalar resource over all agents.
    pub fn resources_total(&self, name: &str) -> f64 {
        self.total_scalar_quantities.get(name).value
    }

    /// How much of one scalar resource is offered or allocated.
    pub fn resources_offered_or_allocated(&self, name: &str) -> f64 {
        self.slaves
            .values()
            .filter_map(|slave| {
                slave
                    .total_offered_or_allocated()
                    .get::<crate::value::Scalar>(name)
            })
            .map(|scalar| scalar.value)
            .sum()
    }

    /// How many offer filters stand for `role`, over all frameworks.
    pub fn offer_filters_active(&self, role: &str) -> usize {
        self.frameworks
            .values()
            .map(|framework| framework.offer_filter_count(role))
            .sum()
    }

    /// A framework subscribed, holding `used` already.
    pub fn add_framework(
        &mut self,
        framework_id: &FrameworkId,
        info: &FrameworkInfo,
        used: &HashMap<SlaveId, Resources>,
        active: bool,
        suppressed_roles: BTreeSet<String>,
    ) {
        if self.frameworks.contains_key(framework_id) {
            tracing::warn!("Ignoring framework {} added twice", framework_id.value);
            return;
        }
        let mut framework = Framework::new(info.clone(), suppressed_roles, active);
        framework.id = framework_id.clone();
        let roles = framework.roles.clone();
        let suppressed = framework.suppressed_roles.clone();
        self.frameworks.insert(framework_id.clone(), framework);

        for role in &roles {
            self.track_framework_under_role(framework_id, role);
            let sorter = self.framework_sorter(role);
            if suppressed.contains(role) {
                sorter.deactivate(&framework_id.value);
            } else {
                sorter.activate(&framework_id.value);
            }
        }

        for (slave_id, resources) in used {
            // The master does not tell about agents not yet added.
            if !self.slaves.contains_key(slave_id) {
                continue;
            }
            self.track_allocated_resources(slave_id, framework_id, resources);
            self.role_tree.track_allocated(slave_id, resources);
        }

        tracing::info!("Added framework {}", framework_id.value);

        if !active {
            self.deactivate_framework(framework_id);
        }
    }

    /// A framework is gone: what it was offered or holds is freed.
    pub fn remove_framework(&mut self, framework_id: &FrameworkId) {
        if !self.frameworks.contains_key(framework_id) {
            tracing::warn!(
                "Ignoring removal of unknown framework {}",
                framework_id.value
            );
            return;
        }
        let held: Vec<(SlaveId, Resources)> = self
            .slaves
            .values()
            .filter_map(|slave| {
                slave
                    .offered_or_allocated()
                    .get(framework_id)
                    .map(|r| (slave.id.clone(), r.clone()))
            })
            .collect();
        for (slave_id, resources) in held {
            self.untrack_allocated_resources(&slave_id, framework_id, &resources);
            if let Some(slave) = self.slaves.get_mut(&slave_id) {
                slave.increase_available(framework_id, &resources);
            }
        }

        let roles = self.frameworks[framework_id].roles.clone();
        for role in &roles {
            let untracked = self.try_untrack_framework_under_role(framework_id, role);
            assert!(
                untracked,
                "framework {} still holds resources of role {role}",
                framework_id.value
            );
        }
        self.frameworks.remove(framework_id);
        tracing::info!("Removed framework {}", framework_id.value);
    }

    /// The framework receives offers again, in all unsuppressed roles.
    pub fn activate_framework(&mut self, framework_id: &FrameworkId) {
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            tracing::warn!(
                "Ignoring activation of unknown framework {}",
                framework_id.value
            );
            return;
        };
        framework.active = true;
        let roles: Vec<String> = framework
            .roles
            .iter()
            .filter(|role| !framework.suppressed_roles.contains(*role))
            .cloned()
            .collect();
        for role in roles {
            self.framework_sorter(&role).activate(&framework_id.value);
        }
        tracing::info!("Activated framework {}", framework_id.value);
    }

    /// The framework receives no offers; its filters are dropped. What it
    /// holds stays accounted to it.
    pub fn deactivate_framework(&mut self, framework_id: &FrameworkId) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            tracing::warn!(
                "Ignoring deactivation of unknown framework {}",
                framework_id.value
            );
            return;
        };
        for role in framework.roles.clone() {
            self.framework_sorter(&role).deactivate(&framework_id.value);
        }
        let framework = self.frameworks.get_mut(framework_id).expect("known");
        framework.active = false;
        framework.offer_filters.clear();
        tracing::info!("Deactivated framework {}", framework_id.value);
    }

    /// The framework's info (roles, capabilities, offer filters) or
    /// suppressed roles changed.
    pub fn update_framework(
        &mut self,
        framework_id: &FrameworkId,
        info: &FrameworkInfo,
        suppressed_roles: BTreeSet<String>,
    ) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            tracing::warn!(
                "Ignoring update of unknown framework {}",
                framework_id.value
            );
            return;
        };
        let old_roles = framework.roles.clone();
        let new_roles = crate::common::protobuf_utils::framework::get_roles(info);
        let old_suppressed = framework.suppressed_roles.clone();

        for role in new_roles.difference(&old_roles) {
            // It may still be tracked there, holding resources of a role
            // it left earlier.
            if !self.is_framework_tracked_under_role(framework_id, role) {
                self.track_framework_under_role(framework_id, role);
            }
            self.framework_sorter(role).activate(&framework_id.value);
        }

        for role in old_roles.difference(&new_roles) {
            self.framework_sorter(role).deactivate(&framework_id.value);
            self.try_untrack_framework_under_role(framework_id, role);
            let framework = self.frameworks.get_mut(framework_id).expect("known");
            framework.offer_filters.remove(role);
            framework.suppressed_roles.remove(role);
        }

        self.frameworks
            .get_mut(framework_id)
            .expect("known")
            .update_info(info.clone());

        let suppress: BTreeSet<String> = suppressed_roles
            .difference(&old_suppressed)
            .cloned()
            .collect();
        self.suppress_roles(framework_id, &suppress);
        let revive: BTreeSet<String> = old_suppressed
            .difference(&suppressed_roles)
            .filter(|role| new_roles.contains(*role))
            .cloned()
            .collect();
        self.revive_roles(framework_id, &revive);
    }

    /// An agent registered with `total`, of which `used` is held.
    pub fn add_slave(
        &mut self,
        slave_id: &SlaveId,
        info: &SlaveInfo,
        capabilities: &[slave_info::Capability],
        total: &Resources,
        used: &HashMap<FrameworkId, Resources>,
    ) {
        if self.slaves.contains_key(slave_id) {
            tracing::warn!("Ignoring agent {} added twice", slave_id.value);
            return;
        }
        let mut info = info.clone();
        info.id = Some(slave_id.clone());
        let slave = Slave::new(
            slave_id.clone(),
            info,
            SlaveCapabilities::new(capabilities),
            true,
            total.clone(),
            used,
        );
        self.slaves.insert(slave_id.clone(), slave);

        self.role_tree.track_reservations(&total.reserved(None));

        let quantities = ResourceQuantities::from_scalar_resources(&total.scalars());
        self.total_scalar_quantities += &quantities;
        self.role_sorter.add_slave(slave_id, quantities.clone());
        for sorter in self.framework_sorters.values_mut() {
            sorter.add_slave(slave_id, quantities.clone());
        }

        for (framework_id, allocation) in used {
            // A framework not yet re-added is tracked when it is.
            if !self.frameworks.contains_key(framework_id) {
                continue;
            }
            self.track_allocated_resources(slave_id, framework_id, allocation);
            self.role_tree.track_allocated(slave_id, allocation);
        }

        let slave = &self.slaves[slave_id];
        tracing::info!(
            "Added agent {} ({}) with {} (offered or allocated: {})",
            slave_id.value,
            slave.info.hostname,
            slave.total(),
            slave.total_offered_or_allocated()
        );
    }

    /// An agent is gone, with all it had.
    pub fn remove_slave(&mut self, slave_id: &SlaveId) {
        let Some(slave) = self.slaves.get(slave_id) else {
            tracing::warn!("Ignoring removal of unknown agent {}", slave_id.value);
            return;
        };
        let total_allocated = slave.total_allocated.clone();
        let held: Vec<(FrameworkId, Resources)> = slave
            .offered_or_allocated()
            .iter()
            .map(|(id, r)| (id.clone(), r.clone()))
            .collect();
        let total = slave.total().clone();

        // Untracking offers may drop roles, so usage goes first.
        self.role_tree.untrack_allocated(slave_id, &total_allocated);
        for (framework_id, resources) in held {
            if self.frameworks.contains_key(&framework_id) {
                self.untrack_allocated_resources(slave_id, &framework_id, &resources);
            }
        }

        self.role_sorter.remove_slave(slave_id);
        for sorter in self.framework_sorters.values_mut() {
            sorter.remove_slave(slave_id);
        }
        self.role_tree.untrack_reservations(&total.reserved(None));
        self.total_scalar_quantities -=
            &ResourceQuantities::from_scalar_resources(&total.scalars());

        self.slaves.remove(slave_id);
        self.remove_filters(slave_id);
        tracing::info!("Removed agent {}", slave_id.value);
    }

    /// An agent's info, capabilities or total changed; whether anything
    /// the allocation depends on did (then its resources are offered
    /// anew).
    pub fn update_slave(
        &mut self,
        slave_id: &SlaveId,
        info: &SlaveInfo,
        total: Option<&Resources>,
        capabilities: Option<&[slave_info::Capability]>,
    ) -> bool {
        let Some(slave) = self.slaves.get_mut(slave_id) else {
            tracing::warn!("Ignoring update of unknown agent {}", slave_id.value);
            return false;
        };
        let mut info = info.clone();
        info.id = Some(slave_id.clone());
        let mut updated = false;

        // Frameworks may have declined the agent for attributes it no
        // longer has: their filters go.
        let attributes_changed = Attributes::from_iter(info.attributes.iter().cloned())
            != Attributes::from_iter(slave.info.attributes.iter().cloned());
        if slave.info != info {
            updated = true;
            slave.info = info;
        }

        if let Some(capabilities) = capabilities {
            let capabilities = SlaveCapabilities::new(capabilities);
            if capabilities != slave.capabilities {
                updated = true;
                slave.capabilities = capabilities;
                tracing::info!(
                    "Agent {} ({}) updated with capabilities {}",
                    slave_id.value,
                    slave.info.hostname,
                    slave.capabilities
                );
            }
        }

        if attributes_changed {
            updated = true;
            self.remove_filters(slave_id);
        }

        if let Some(total) = total {
            updated = self.update_slave_total(slave_id, total) || updated;
            tracing::info!(
                "Agent {} updated with total resources {}",
                slave_id.value,
                total
            );
        }
        updated
    }

    /// The agent's resources are offered again.
    pub fn activate_slave(&mut self, slave_id: &SlaveId) {
        match self.slaves.get_mut(slave_id) {
            Some(slave) => {
                slave.activated = true;
                tracing::info!("Agent {} reactivated", slave_id.value);
            }
            None => tracing::warn!("Ignoring activation of unknown agent {}", slave_id.value),
        }
    }

    /// The agent's resources are not offered.
    pub fn deactivate_slave(&mut self, slave_id: &SlaveId) {
        match self.slaves.get_mut(slave_id) {
            Some(slave) => {
                slave.activated = false;
                tracing::info!("Agent {} deactivated", slave_id.value);
            }
            None => tracing::warn!("Ignoring deactivation of unknown agent {}", slave_id.value),
        }
    }

    /// Offered resources are now used by tasks.
    pub fn transition_offered_to_allocated(&mut self, slave_id: &SlaveId, resources: &Resources) {
        match self.slaves.get_mut(slave_id) {
            Some(slave) => {
                slave.total_allocated += resources;
                self.role_tree.track_allocated(slave_id, resources);
            }
            None => tracing::warn!(
                "Ignoring allocation of {} on unknown agent {}",
                resources,
                slave_id.value
            ),
        }
    }

    /// Sets role weights. Nothing offered is taken back; later offers
    /// follow the new weights.
    pub fn update_weights(&mut self, weights: &HashMap<String, f64>) {
        for (role, weight) in weights {
            self.role_tree.update_weight(role, *weight);
            self.role_sorter.update_weight(role, *weight);
        }
    }

    /// Sets a role's quota.
    pub fn update_quota(&mut self, role: &str, quota: Quota) {
        tracing::info!(
            "Updated quota for role '{}', guarantees: {} limits: {}",
            role,
            quota.guarantees,
            quota.limits
        );
        self.role_tree.update_quota(role, quota);
    }

    fn framework_sorter(&mut self, role: &str) -> &mut DrfSorter {
        self.framework_sorters
            .get_mut(role)
            .unwrap_or_else(|| panic!("no framework sorter for role {role}"))
    }

    fn is_framework_tracked_under_role(&self, framework_id: &FrameworkId, role: &str) -> bool {
        self.role_tree
            .get(role)
            .is_some_and(|r| r.frameworks().contains(framework_id))
    }

    fn role_has_frameworks(&self, role: &str) -> bool {
        self.role_tree
            .get(role)
            .is_some_and(|r| !r.frameworks().is_empty())
    }

    /// Tracks a framework under a role it subscribed to or holds
    /// resources of; the first framework of a role brings its sorters.
    fn track_framework_under_role(&mut self, framework_id: &FrameworkId, role: &str) {
        if !self.role_has_frameworks(role) {
            self.role_sorter.add(role);
            self.role_sorter.activate(role);
            let mut sorter = DrfSorter::new();
            sorter.initialize(fairness_names(&self.options));
            for slave in self.slaves.values() {
                sorter.add_slave(
                    &slave.id,
                    ResourceQuantities::from_scalar_resources(&slave.total().scalars()),
                );
            }
            self.framework_sorters.insert(role.to_string(), sorter);
        }
        self.role_tree.track_framework(framework_id, role);
        self.framework_sorter(role).add(&framework_id.value);
    }

    /// Stops tracking a framework under a role unless it still holds
    /// resources there; whether it did.
    fn try_untrack_framework_under_role(&mut self, framework_id: &FrameworkId, role: &str) -> bool {
        let sorter = self.framework_sorter(role);
        if !sorter.allocation(&framework_id.value).is_empty() {
            return false;
        }
        sorter.remove(&framework_id.value);
        self.role_tree.untrack_framework(framework_id, role);
        if !self.role_has_frameworks(role) {
            self.role_sorter.remove(role);
            self.framework_sorters.remove(role);
        }
        true
    }

    fn update_slave_total(&mut self, slave_id: &SlaveId, total: &Resources) -> bool {
        let Some(slave) = self.slaves.get_mut(slave_id) else {
            return false;
        };
        let old_total = slave.total().clone();
        if &old_total == total {
            return false;
        }
        slave.update_total(total.clone());

        self.role_tree
            .untrack_reservations(&old_total.reserved(None));
        self.role_tree.track_reservations(&total.reserved(None));

        let old_quantities = ResourceQuantities::from_scalar_resources(&old_total.scalars());
        let quantities = ResourceQuantities::from_scalar_resources(&total.scalars());
        self.total_scalar_quantities -= &old_quantities;
        self.total_scalar_quantities += &quantities;

        self.role_sorter.remove_slave(slave_id);
        self.role_sorter.add_slave(slave_id, quantities.clone());
        for sorter in self.framework_sorters.values_mut() {
            sorter.remove_slave(slave_id);
            sorter.add_slave(slave_id, quantities.clone());
        }
        true
    }

    /// Accounts resources offered or allocated to a framework in the role
    /// tree and the sorters, by allocation role.
    pub(super) fn track_allocated_resources(
        &mut self,
        slave_id: &SlaveId,
        framework_id: &FrameworkId,
        allocated: &Resources,
    ) {
        for (role, allocation) in allocated.allocations() {
            // It may hold resources of a role it is not subscribed to.
            if !self.is_framework_tracked_under_role(framework_id, &role) {
                self.track_framework_under_role(framework_id, &role);
            }
            self.role_tree
                .track_offered_or_allocated(slave_id, &allocation);
            self.role_sorter.allocated(&role, slave_id, &allocation);
            self.framework_sorter(&role)
                .allocated(&framework_id.value, slave_id, &allocation);
        }
    }

    pub(super) fn untrack_allocated_resources(
        &mut self,
        slave_id: &SlaveId,
        framework_id: &FrameworkId,
        allocated: &Resources,
    ) {
        for (role, allocation) in allocated.allocations() {
            self.role_tree
                .untrack_offered_or_allocated(slave_id, &allocation);
            self.framework_sorter(&role)
                .unallocated(&framework_id.value, slave_id, &allocation);
            self.role_sorter.unallocated(&role, slave_id, &allocation);
            let subscribed = self
                .frameworks
                .get(framework_id)
                .is_some_and(|f| f.roles.contains(&role));
            if !subscribed {
                self.try_untrack_framework_under_role(framework_id, &role);
            }
        }
    }
}
