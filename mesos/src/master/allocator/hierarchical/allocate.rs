//! One allocation run (Mesos' `__generateOffers`): which framework is
//! offered what of the candidate agents, in two stages.
//!
//! Stage 1 offers to roles with unsatisfied quota guarantees, up to
//! their limits; stage 2 offers what is left by DRF over roles, then
//! over each role's frameworks. Both hold back enough unreserved
//! resources (headroom) for the guarantees still unsatisfied. Agents are
//! visited in random order, reshuffled between the stages.

use std::collections::{HashMap, HashSet};

use super::framework::Framework;
use super::role_tree::Quota;
use super::slave::Slave;
use super::state::State;
use crate::common::protobuf_utils::framework::Capabilities;
use crate::common::resource_quantities::{
    shrink_resources, shrink_resources_to_limits, ResourceQuantities,
};
use crate::common::resources::{self, Resources};
use crate::common::roles;
use crate::master::allocator::sorter::Sorter;
use crate::master::allocator::Offerable;
use crate::value;
use crate::{FrameworkId, Resource, SlaveId};

/// Offers made in one run, by framework in the order first offered.
#[derive(Default)]
struct Offers {
    order: Vec<(FrameworkId, Offerable)>,
    index: HashMap<FrameworkId, usize>,
}

impl Offers {
    fn add(&mut self, framework_id: &FrameworkId, role: &str, slave_id: &SlaveId, r: &Resources) {
        let at = *self.index.entry(framework_id.clone()).or_insert_with(|| {
            self.order.push((framework_id.clone(), Offerable::new()));
            self.order.len() - 1
        });
        *self.order[at]
            .1
            .entry(role.to_string())
            .or_default()
            .entry(slave_id.clone())
            .or_default() += r;
    }
}

fn is_quota_resource(resource: &Resource) -> bool {
    resource.r#type() == value::Type::Scalar
        && resources::is_unreserved(resource)
        && !resources::is_revocable(resource)
}

/// Shuffles with the runtime's randomness, so a seeded run replays.
fn shuffle<T>(items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = libprocess::random::below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// What a framework cannot take: shared resources without
/// SHARED_RESOURCES, revocable ones without REVOCABLE_RESOURCES, refined
/// reservations without RESERVATION_REFINEMENT.
fn strip_incapable(available: &Resources, capabilities: &Capabilities) -> Resources {
    available.filter(|resource| {
        (capabilities.shared_resources || !resources::is_shared(resource))
            && (capabilities.revocable_resources || !resources::is_revocable(resource))
            && (capabilities.reservation_refinement
                || !resources::has_refined_reservations(resource))
    })
}

/// What an agent has for a role, the same for each of the role's
/// frameworks until an offer on the agent is made (Mesos computes it anew
/// for each framework; keeping it saves that work on agents nobody
/// takes).
struct Candidate {
    available: Resources,
    role: String,
    /// Stage 1 always offers the role's own reservations, stage 2 its
    /// ancestors' too.
    stage_one: bool,
    /// Whether `available` meets `--min_allocatable_resources`.
    allocatable_by_default: Option<bool>,
    /// `available` stripped for frameworks with these capabilities.
    parts: Vec<(Capabilities, Parts)>,
}

/// `available` as one framework may take it, split as the stages offer it.
struct Parts {
    /// Reservations, non-scalar and revocable resources: always offered.
    always: Resources,
    /// Unreserved non-revocable scalars: subject to quota and headroom.
    quota: Resources,
    /// Both.
    whole: Resources,
    /// Whether `whole` meets `--min_allocatable_resources`.
    whole_allocatable_by_default: Option<bool>,
}

impl Candidate {
    fn new(available: Resources, role: &str, stage_one: bool) -> Candidate {
        Candidate {
            available,
            role: role.to_string(),
            stage_one,
            allocatable_by_default: None,
            parts: Vec::new(),
        }
    }

    /// Where the parts for these capabilities are in `parts`.
    fn parts_at(&mut self, capabilities: Capabilities) -> usize {
        if let Some(at) = self.parts.iter().position(|(c, _)| *c == capabilities) {
            return at;
        }
        let stripped = strip_incapable(&self.available, &capabilities);
        let role = (self.stage_one).then_some(self.role.as_str());
        let always = stripped.filter(|resource| {
            resources::is_reserved(resource, role)
                || resource.r#type() != value::Type::Scalar
                || resources::is_revocable(resource)
        });
        let quota = stripped.filter(is_quota_resource);
        let parts = Parts {
            whole: &always + &quota,
            always,
            quota,
            whole_allocatable_by_default: None,
        };
        self.parts.push((capabilities, parts));
        self.parts.len() - 1
    }
}

impl State {
    /// Runs one allocation over `candidates` (unknown and deactivated
    /// agents are skipped): marks what is offered as offered or allocated
    /// and returns it, by framework, then role, then agent.
    pub fn allocate(&mut self, candidates: &HashSet<SlaveId>) -> Vec<(FrameworkId, Offerable)> {
        let mut offers = Offers::default();

        let mut slave_ids: Vec<SlaveId> = candidates
            .iter()
            .filter(|id| self.slaves.get(*id).is_some_and(|slave| slave.activated))
            .cloned()
            .collect();
        // A fixed order first, so that the shuffle alone decides.
        slave_ids.sort_by(|a, b| a.value.cmp(&b.value));
        shuffle(&mut slave_ids);

        // Consumed quota of the (top-level) roles with a quota:
        // reservations plus unreserved resources offered or allocated.
        let mut consumed: HashMap<String, ResourceQuantities> = HashMap::new();
        for role in self.role_tree.top_level() {
            if !role.quota().is_default() {
                *consumed.entry(role.role.clone()).or_default() +=
                    &role.quota_offered_or_consumed();
            }
        }
        let log_headroom = !consumed.is_empty();

        // What must stay unallocated for the guarantees still unsatisfied.
        let mut required_headroom = ResourceQuantities::default();
        for role in self.role_tree.top_level() {
            let used = consumed.get(&role.role).cloned().unwrap_or_default();
            required_headroom += &(&role.quota().guarantees - &used);
        }

        // Unallocated unreserved non-revocable resources.
        let mut available_headroom = self.total_scalar_quantities.clone();
        available_headroom -= self.role_sorter.total_allocation_scalar_quantities();
        let root = self.role_tree.root();
        available_headroom -= &(root.reservation_scalar_quantities()
            - root.offered_or_allocated_reserved_scalar_quantities());
        for slave in self.slaves.values() {
            available_headroom -= &ResourceQuantities::from_scalar_resources(
                &slave.available().revocable().scalars(),
            );
        }

        if log_headroom {
            tracing::info!(
                "Before allocation, required quota headroom is {} and available quota headroom \
                 is {}",
                required_headroom,
                available_headroom
            );
        }

        // A shared resource is offered at most once per run.
        let mut offered_shared: HashMap<SlaveId, Resources> = HashMap::new();

        // Stage 1: roles with unsatisfied quota guarantees.
        for slave_id in &slave_ids {
            for role in self.role_sorter.sort() {
                let quota = self.quota(&role);
                if quota.guarantees.is_empty() || !self.has_frameworks(&role) {
                    continue;
                }
                if self.slaves[slave_id].available().is_empty() {
                    break;
                }
                let used = consumed.get(&role).cloned().unwrap_or_default();
                let mut unsatisfied = &quota.guarantees - &used;
                if unsatisfied.is_empty() {
                    continue;
                }

                let mut cached: Option<Candidate> = None;
                for framework_id in self.sorted_frameworks(&role) {
                    if unsatisfied.is_empty() {
                        break;
                    }
                    let framework_id = FrameworkId {
                        value: framework_id,
                    };
                    let slave = &self.slaves[slave_id];
                    let framework = &self.frameworks[&framework_id];

                    let candidate = cached.get_or_insert_with(|| {
                        Candidate::new(available_to(slave, &role, &offered_shared), &role, true)
                    });
                    if candidate.available.is_empty() {
                        break;
                    }
                    if !self.allocatable_candidate(candidate, &role, framework)
                        || !self.is_capable_of_receiving_agent(&framework.capabilities, slave)
                    {
                        continue;
                    }
                    let at = candidate.parts_at(framework.capabilities);
                    let Parts {
                        always,
                        quota: quota_resources,
                        ..
                    } = &candidate.parts[at].1;

                    let guarantees_offering =
                        shrink_resources(quota_resources, unsatisfied.clone());
                    // No progress towards the guarantees: the role's
                    // reservations here wait for stage 2.
                    if guarantees_offering.is_empty() {
                        continue;
                    }

                    // The role's reservations, non-scalar and revocable
                    // resources go with the guarantees.
                    let mut to_offer = &guarantees_offering + always;

                    let mut additional = quota_resources - &guarantees_offering;
                    if !quota.limits.is_empty() {
                        let limit = &quota.limits
                            - &(used_quota(&consumed, &role)
                                + ResourceQuantities::from_scalar_resources(&guarantees_offering));
                        additional = shrink_resources_to_limits(&additional, limit);
                    }
                    if !required_headroom.is_empty() && !additional.is_empty() {
                        additional =
                            shrink_resources(&additional, &available_headroom - &required_headroom);
                    }
                    to_offer += &additional;

                    if !self.allocatable(&to_offer, &role, framework)
                        || self.is_filtered(framework, &role, slave, &to_offer)
                    {
                        continue;
                    }

                    tracing::trace!(
                        "Offering {} on agent {} to role {} of framework {} as part of its role \
                         quota",
                        to_offer,
                        slave_id.value,
                        role,
                        framework_id.value
                    );
                    // Kept unallocated, as `available` is: Mesos adds them
                    // allocated, which makes its subtraction a no-op.
                    *offered_shared.entry(slave_id.clone()).or_default() += &to_offer.shared();
                    to_offer.allocate(&role);
                    offers.add(&framework_id, &role, slave_id, &to_offer);

                    let increased = ResourceQuantities::from_scalar_resources(
                        &(&guarantees_offering + &additional),
                    );
                    unsatisfied -= &increased;
                    *consumed.entry(role.clone()).or_default() += &increased;
                    for ancestor in roles::ancestors(&role) {
                        *consumed.entry(ancestor).or_default() += &increased;
                    }
                    required_headroom -=
                        &ResourceQuantities::from_scalar_resources(&guarantees_offering);
                    available_headroom -= &increased;

                    self.offer(slave_id, &framework_id, &to_offer);
                    // The agent changed: what it offers is computed anew.
                    cached = None;
                }
            }
        }

        // Stage 2: everything left, by DRF, keeping the headroom.
        let mut held_back = ResourceQuantities::default();
        let mut held_back_agents = 0usize;

        // Stage 1 takes more from the agents it visited first.
        shuffle(&mut slave_ids);

        for slave_id in &slave_ids {
            for role in self.role_sorter.sort() {
                if self.slaves[slave_id].available().is_empty() {
                    break;
                }
                let quota = self.quota(&role);

                let mut cached: Option<Candidate> = None;
                for framework_id in self.sorted_frameworks(&role) {
                    let framework_id = FrameworkId {
                        value: framework_id,
                    };
                    let slave = &self.slaves[slave_id];
                    let framework = &self.frameworks[&framework_id];

                    let candidate = cached.get_or_insert_with(|| {
                        Candidate::new(available_to(slave, &role, &offered_shared), &role, false)
                    });
                    if candidate.available.is_empty() {
                        break;
                    }
                    if !self.allocatable_candidate(candidate, &role, framework)
                        || !self.is_capable_of_receiving_agent(&framework.capabilities, slave)
                    {
                        continue;
                    }
                    // Reservations (the role's ancestors' too), non-scalar
                    // and revocable resources always go.
                    let at = candidate.parts_at(framework.capabilities);
                    let parts = &mut candidate.parts[at].1;
                    // Without limits or headroom to keep, the offer is all
                    // the framework may take, and so is the same for every
                    // framework with these capabilities.
                    let whole = quota.limits.is_empty() && required_headroom.is_empty();
                    let (to_offer, additional) = if whole {
                        (parts.whole.clone(), parts.quota.clone())
                    } else {
                        let mut additional = parts.quota.clone();
                        if !quota.limits.is_empty() {
                            let limit = &quota.limits - &used_quota(&consumed, &role);
                            additional = shrink_resources_to_limits(&additional, limit);
                        }
                        if !required_headroom.is_empty() && !additional.is_empty() {
                            let shrunk = shrink_resources(
                                &additional,
                                &available_headroom - &required_headroom,
                            );
                            if shrunk != additional {
                                held_back += &ResourceQuantities::from_scalar_resources(
                                    &(&additional - &shrunk),
                                );
                                held_back_agents += 1;
                                additional = shrunk;
                            }
                        }
                        (&parts.always + &additional, additional)
                    };
                    let allocatable =
                        if whole && !framework.min_allocatable_resources.contains_key(&role) {
                            *parts.whole_allocatable_by_default.get_or_insert_with(|| {
                                self.allocatable(&to_offer, &role, framework)
                            })
                        } else {
                            self.allocatable(&to_offer, &role, framework)
                        };
                    if !allocatable || self.is_filtered(framework, &role, slave, &to_offer) {
                        continue;
                    }
                    let mut to_offer = to_offer;

                    tracing::trace!(
                        "Offering {} on agent {} to role {} of framework {}",
                        to_offer,
                        slave_id.value,
                        role,
                        framework_id.value
                    );
                    // Kept unallocated, as `available` is: Mesos adds them
                    // allocated, which makes its subtraction a no-op.
                    *offered_shared.entry(slave_id.clone()).or_default() += &to_offer.shared();
                    to_offer.allocate(&role);
                    offers.add(&framework_id, &role, slave_id, &to_offer);

                    let increased = ResourceQuantities::from_scalar_resources(&additional);
                    if !quota.is_default() {
                        *consumed.entry(role.clone()).or_default() += &increased;
                        for ancestor in roles::ancestors(&role) {
                            *consumed.entry(ancestor).or_default() += &increased;
                        }
                    }
                    available_headroom -= &increased;

                    self.offer(slave_id, &framework_id, &to_offer);
                    // The agent changed: what it offers is computed anew.
                    cached = None;
                }
            }
        }

        if log_headroom {
            tracing::info!(
                "After allocation, {} are required for quota headroom, {} were held back from {} \
                 agents to ensure sufficient quota headroom",
                required_headroom,
                held_back,
                held_back_agents
            );
        }

        if offers.order.is_empty() {
            tracing::trace!("No allocations performed");
        }
        offers.order
    }

    /// Marks `resources` on the agent as offered to the framework.
    fn offer(&mut self, slave_id: &SlaveId, framework_id: &FrameworkId, resources: &Resources) {
        if let Some(slave) = self.slaves.get_mut(slave_id) {
            slave.decrease_available(framework_id, resources);
        }
        self.track_allocated_resources(slave_id, framework_id, resources);
    }

    /// The role's active frameworks in DRF order (owned, so the state can
    /// change while they are visited).
    fn sorted_frameworks(&mut self, role: &str) -> Vec<String> {
        self.framework_sorters
            .get_mut(role)
            .map(|sorter| sorter.sort())
            .unwrap_or_default()
    }

    fn quota(&self, role: &str) -> Quota {
        self.role_tree
            .get(role)
            .map(|r| r.quota().clone())
            .unwrap_or_default()
    }

    fn has_frameworks(&self, role: &str) -> bool {
        self.role_tree
            .get(role)
            .is_some_and(|r| !r.frameworks().is_empty())
    }

    /// Whether `resources` make an offer worth making to the framework in
    /// `role`: non-empty, and holding one of the minimum sets (the
    /// framework's own for the role, else `--min_allocatable_resources`).
    pub(super) fn allocatable(
        &self,
        resources: &Resources,
        role: &str,
        framework: &Framework,
    ) -> bool {
        if resources.is_empty() {
            return false;
        }
        let minimums = framework
            .min_allocatable_resources
            .get(role)
            .unwrap_or(&self.options.min_allocatable_resources);
        minimums.is_empty()
            || minimums
                .iter()
                .any(|quantities| resources.contains_quantities(quantities))
    }

    /// [`allocatable`](Self::allocatable) for a candidate's resources,
    /// remembered for frameworks without minimums of their own.
    fn allocatable_candidate(
        &self,
        candidate: &mut Candidate,
        role: &str,
        framework: &Framework,
    ) -> bool {
        if framework.min_allocatable_resources.contains_key(role) {
            return self.allocatable(&candidate.available, role, framework);
        }
        *candidate
            .allocatable_by_default
            .get_or_insert_with(|| self.allocatable(&candidate.available, role, framework))
    }

    /// Whether the framework cannot be offered anything on the agent: GPU
    /// agents go only to GPU_RESOURCES frameworks (`--filter_gpu_resources`).
    fn is_capable_of_receiving_agent(&self, capabilities: &Capabilities, slave: &Slave) -> bool {
        !(self.options.filter_gpu_resources && !capabilities.gpu_resources && slave.has_gpu())
    }

    /// Whether the offer is filtered: a MULTI_ROLE framework on an agent
    /// without MULTI_ROLE, a hierarchical role on an agent without
    /// HIERARCHICAL_ROLE, or an offer filter the framework set.
    fn is_filtered(&self, framework: &Framework, role: &str, slave: &Slave, r: &Resources) -> bool {
        if framework.capabilities.multi_role && !slave.capabilities.multi_role {
            tracing::warn!(
                "Implicitly filtering agent {} from framework {} because the framework is \
                 MULTI_ROLE capable but the agent is not",
                slave.id.value,
                framework.id.value
            );
            return true;
        }
        if !slave.capabilities.hierarchical_role && role.contains('/') {
            tracing::warn!(
                "Implicitly filtering agent {} from role {} because the role is hierarchical but \
                 the agent is not HIERARCHICAL_ROLE capable",
                slave.id.value,
                role
            );
            return true;
        }
        let filtered = framework
            .offer_filters
            .get(role)
            .and_then(|agents| agents.get(&slave.id))
            .is_some_and(|filters| filters.iter().any(|filter| filter.filter(r)));
        if filtered {
            tracing::debug!(
                "Filtered offer with {} on agent {} for role {} of framework {}",
                r,
                slave.id.value,
                role,
                framework.id.value
            );
        }
        filtered
    }
}

/// What of the agent a framework in `role` may be offered, less the
/// shared resources already offered in this run.
fn available_to(
    slave: &Slave,
    role: &str,
    offered_shared: &HashMap<SlaveId, Resources>,
) -> Resources {
    let mut available = slave.available().allocatable_to(role);
    if let Some(shared) = offered_shared.get(&slave.id) {
        available -= shared;
    }
    available
}

fn used_quota(consumed: &HashMap<String, ResourceQuantities>, role: &str) -> ResourceQuantities {
    consumed.get(role).cloned().unwrap_or_default()
}
