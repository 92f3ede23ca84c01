//! Offer filters, suppression and revival, and resources coming back
//! from frameworks (Mesos' `recoverResources`, `suppressOffers`,
//! `reviveOffers` and the filter expiry).

use std::collections::BTreeSet;

use libprocess::Time;
use stout::Duration;

use super::framework::OfferFilter;
use super::state::State;
use crate::common::resources::Resources;
use crate::master::allocator::sorter::Sorter;
use crate::{Filters, FrameworkId, SlaveId};

/// The longest a refusal filter lasts (Mesos caps `refuse_seconds` at
/// 365 days).
const MAX_REFUSE: Duration = Duration::from_days(365);

/// An offer filter just set, for the allocator process to expire on its
/// clock after `timeout`.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterExpiry {
    /// The framework that declined.
    pub framework_id: FrameworkId,
    /// The role the resources were offered to.
    pub role: String,
    /// The agent they are on.
    pub slave_id: SlaveId,
    /// The filter's ID.
    pub filter_id: u64,
    /// How long from now the filter stands.
    pub timeout: Duration,
}

impl State {
    /// Resources come back from a framework (`is_allocated`: they were
    /// used by tasks, not only offered). With `filters`, an offer filter
    /// is set; the allocator process expires it after the returned
    /// timeout (at least an allocation interval, so the next batch
    /// allocation still honours it).
    pub fn recover_resources(
        &mut self,
        now: Time,
        framework_id: &FrameworkId,
        slave_id: &SlaveId,
        resources: &Resources,
        filters: Option<&Filters>,
        is_allocated: bool,
    ) -> Option<FilterExpiry> {
        if resources.is_empty() {
            return None;
        }

        if is_allocated {
            if let Some(slave) = self.slaves.get_mut(slave_id) {
                if slave.total_allocated.contains(resources) {
                    slave.total_allocated -= resources;
                    self.role_tree.untrack_allocated(slave_id, resources);
                } else {
                    tracing::warn!(
                        "Agent {} has {} allocated, not {}",
                        slave_id.value,
                        slave.total_allocated,
                        resources
                    );
                }
            }
        }

        // Either may be gone already: their resources were recovered then.
        if !self.frameworks.contains_key(framework_id) || !self.slaves.contains_key(slave_id) {
            return None;
        }

        // Resources come back in one allocation role at a time.
        let allocations = resources.allocations();
        let role = match allocations.keys().next() {
            Some(role) if allocations.len() == 1 => role.clone(),
            _ => {
                tracing::warn!(
                    "Ignoring recovery of {} not allocated to exactly one role",
                    resources
                );
                return None;
            }
        };

        let slave = self.slaves.get_mut(slave_id).expect("known");
        if !slave.total_offered_or_allocated().contains(resources) {
            tracing::warn!(
                "Agent {} resources {} do not contain {}",
                slave_id.value,
                slave.total_offered_or_allocated(),
                resources
            );
            return None;
        }
        if !slave
            .offered_or_allocated()
            .get(framework_id)
            .is_some_and(|held| held.contains(resources))
        {
            tracing::warn!(
                "Framework {} does not hold {} on agent {}",
                framework_id.value,
                resources,
                slave_id.value
            );
            return None;
        }
        slave.increase_available(framework_id, resources);
        tracing::debug!(
            "Recovered {} (total: {}, offered or allocated: {}) on agent {} from framework {}",
            resources,
            slave.total(),
            slave.total_offered_or_allocated(),
            slave_id.value,
            framework_id.value
        );

        if self
            .framework_sorters
            .get(&role)
            .is_some_and(|sorter| sorter.contains(&framework_id.value))
        {
            self.untrack_allocated_resources(slave_id, framework_id, resources);
        }

        let filters = filters?;
        let timeout = refuse_timeout(filters.refuse_seconds());
        if timeout == Duration::ZERO {
            return None;
        }
        // The filter outlives the next batch allocation (MESOS-4302).
        let timeout = timeout.max(self.options.allocation_interval);

        let mut unallocated = resources.clone();
        unallocated.unallocate();
        let filter_id = self.next_filter_id;
        self.next_filter_id += 1;
        let framework = self.frameworks.get_mut(framework_id).expect("known");
        framework
            .offer_filters
            .entry(role.clone())
            .or_default()
            .entry(slave_id.clone())
            .or_default()
            .push(OfferFilter {
                id: filter_id,
                resources: unallocated,
                expires: now + timeout,
            });
        tracing::debug!(
            "Framework {} filtered agent {} for {}",
            framework_id.value,
            slave_id.value,
            timeout
        );
        Some(FilterExpiry {
            framework_id: framework_id.clone(),
            role,
            slave_id: slave_id.clone(),
            filter_id,
            timeout,
        })
    }

    /// Removes one offer filter (a no-op if it is gone already, dropped
    /// by a revive or with its framework).
    pub fn expire_filter(&mut self, expiry: &FilterExpiry) {
        let Some(framework) = self.frameworks.get_mut(&expiry.framework_id) else {
            return;
        };
        let Some(agents) = framework.offer_filters.get_mut(&expiry.role) else {
            return;
        };
        if let Some(filters) = agents.get_mut(&expiry.slave_id) {
            filters.retain(|filter| filter.id != expiry.filter_id);
            if filters.is_empty() {
                agents.remove(&expiry.slave_id);
            }
        }
        if agents.is_empty() {
            framework.offer_filters.remove(&expiry.role);
        }
    }

    /// Removes every offer filter whose expiry is at or before `now`
    /// (for callers without a clock of their own, such as benchmarks).
    pub fn expire_filters(&mut self, now: Time) {
        for framework in self.frameworks.values_mut() {
            framework.offer_filters.retain(|_, agents| {
                agents.retain(|_, filters| {
                    filters.retain(|filter| filter.expires > now);
                    !filters.is_empty()
                });
                !agents.is_empty()
            });
        }
    }

    /// Stops offers to the framework for `roles` (all its roles if empty).
    pub fn suppress_offers(&mut self, framework_id: &FrameworkId, roles: &BTreeSet<String>) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            tracing::warn!(
                "Ignoring suppression for unknown framework {}",
                framework_id.value
            );
            return;
        };
        let roles = if roles.is_empty() {
            framework.roles.clone()
        } else {
            roles.clone()
        };
        self.suppress_roles(framework_id, &roles);
    }

    /// Clears the framework's filters for `roles` (all its roles if
    /// empty) and resumes offers for them.
    pub fn revive_offers(&mut self, framework_id: &FrameworkId, roles: &BTreeSet<String>) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            tracing::warn!(
                "Ignoring revival for unknown framework {}",
                framework_id.value
            );
            return;
        };
        let roles = if roles.is_empty() {
            framework.roles.clone()
        } else {
            roles.clone()
        };
        self.revive_roles(framework_id, &roles);
    }

    pub(super) fn suppress_roles(&mut self, framework_id: &FrameworkId, roles: &BTreeSet<String>) {
        for role in roles {
            let sorter = self
                .framework_sorters
                .get_mut(role)
                .filter(|sorter| sorter.contains(&framework_id.value));
            let Some(sorter) = sorter else {
                tracing::warn!(
                    "Ignoring suppression of role {role} framework {} is not in",
                    framework_id.value
                );
                continue;
            };
            sorter.deactivate(&framework_id.value);
            if let Some(framework) = self.frameworks.get_mut(framework_id) {
                framework.suppressed_roles.insert(role.clone());
            }
        }
        tracing::info!(
            "Suppressed offers for roles {:?} of framework {}",
            roles,
            framework_id.value
        );
    }

    pub(super) fn revive_roles(&mut self, framework_id: &FrameworkId, roles: &BTreeSet<String>) {
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return;
        };
        for role in roles {
            framework.offer_filters.remove(role);
        }
        for role in roles {
            let sorter = self
                .framework_sorters
                .get_mut(role)
                .filter(|sorter| sorter.contains(&framework_id.value));
            let Some(sorter) = sorter else {
                tracing::warn!(
                    "Ignoring revival of role {role} framework {} is not in",
                    framework_id.value
                );
                continue;
            };
            sorter.activate(&framework_id.value);
            if let Some(framework) = self.frameworks.get_mut(framework_id) {
                framework.suppressed_roles.remove(role);
            }
        }
        tracing::info!(
            "Unsuppressed offers and cleared filters for roles {:?} of framework {}",
            roles,
            framework_id.value
        );
    }

    pub(super) fn remove_filters(&mut self, slave_id: &SlaveId) {
        for framework in self.frameworks.values_mut() {
            for agents in framework.offer_filters.values_mut() {
                agents.remove(slave_id);
            }
            framework
                .offer_filters
                .retain(|_, agents| !agents.is_empty());
        }
        tracing::info!("Removed all filters for agent {}", slave_id.value);
    }
}

/// `refuse_seconds` as Mesos takes it: over 365 days is 365 days; a
/// negative or unrepresentable value is the default (5 seconds).
pub fn refuse_timeout(refuse_seconds: f64) -> Duration {
    let default =
        || Duration::create(Filters::default().refuse_seconds()).unwrap_or(Duration::from_secs(5));
    if refuse_seconds > MAX_REFUSE.secs() {
        tracing::warn!(
            "Using 365 days to create the refused resources offer filter because the input \
             value is too big"
        );
        MAX_REFUSE
    } else if refuse_seconds < 0.0 {
        tracing::warn!(
            "Using the default value of 'refuse_seconds' to create the refused resources offer \
             filter because the input value is negative"
        );
        default()
    } else {
        match Duration::create(refuse_seconds) {
            Ok(timeout) => timeout,
            Err(error) => {
                tracing::warn!(
                    "Using the default value of 'refuse_seconds' to create the refused resources \
                     offer filter because the input value is invalid: {}",
                    error
                );
                default()
            }
        }
    }
}
