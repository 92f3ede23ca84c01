//! The allocator process (Mesos' `HierarchicalAllocatorProcess`): it owns
//! the [`State`], runs allocations on the Clock and on events, and hands
//! offers to the master's callback.

use std::collections::{BTreeSet, HashMap, HashSet};

use libprocess::{delay, dispatch, Future, Process, SelfPid};

use super::filters::FilterExpiry;
use super::metrics::Metrics;
use super::role_tree::Quota;
use super::state::State;
use crate::common::resources::Resources;
use crate::master::allocator::{OfferCallback, Options};
use crate::{slave_info, Filters, FrameworkId, FrameworkInfo, Request, SlaveId, SlaveInfo};

/// The allocator process. Its handlers are the [`Allocator`](crate::master::allocator::Allocator) calls,
/// dispatched by [`HierarchicalDRFAllocator`](super::HierarchicalDRFAllocator); tests can match them with
/// `future_dispatch`.
pub struct HierarchicalAllocatorProcess {
    pub(super) state: State,
    initialized: bool,
    /// No allocation runs while paused (until `initialize`).
    paused: bool,
    offer_callback: Option<OfferCallback>,
    /// Agents the next allocation run looks at.
    allocation_candidates: HashSet<SlaveId>,
    /// The pending run, which later triggers join.
    offer_generation: Option<Future<()>>,
    pub(super) metrics: Option<Metrics>,
}

impl std::fmt::Debug for HierarchicalAllocatorProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HierarchicalAllocatorProcess")
            .field("state", &self.state)
            .field("initialized", &self.initialized)
            .field("paused", &self.paused)
            .finish_non_exhaustive()
    }
}

impl Default for HierarchicalAllocatorProcess {
    fn default() -> Self {
        HierarchicalAllocatorProcess::new()
    }
}

impl Process for HierarchicalAllocatorProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("hierarchical-allocator")
    }

    fn finalize(&mut self) {
        if let Some(metrics) = &mut self.metrics {
            metrics.remove();
        }
    }
}

impl HierarchicalAllocatorProcess {
    /// A process waiting for `initialize`.
    pub fn new() -> HierarchicalAllocatorProcess {
        HierarchicalAllocatorProcess {
            state: State::new(Options::default()),
            initialized: false,
            paused: true,
            offer_callback: None,
            allocation_candidates: HashSet::new(),
            offer_generation: None,
            metrics: None,
        }
    }

    /// The state, for tests to look at.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Takes the options and callback and starts batch allocations.
    pub fn initialize(&mut self, options: Options, offer_callback: OfferCallback) {
        let interval = options.allocation_interval;
        self.state = State::new(options);
        self.offer_callback = Some(offer_callback);
        self.initialized = true;
        self.paused = false;
        tracing::debug!("Initialized hierarchical allocator process");
        delay(interval, &self.self_pid(), Self::batch);
    }

    /// A batch allocation over all agents; the next one is scheduled an
    /// interval after this one finished.
    pub fn batch(&mut self) {
        let pid = self.self_pid();
        let interval = self.state.options().allocation_interval;
        self.generate_offers_all().on_any(move |_| {
            delay(interval, &pid, Self::batch);
        });
    }

    /// Allocates all agents (soon, batched with other triggers).
    fn generate_offers_all(&mut self) -> Future<()> {
        let all = self.state.slaves().keys().cloned().collect();
        self.generate_offers(all)
    }

    /// Adds agents to the next allocation run, dispatching the run unless
    /// one is pending already.
    pub fn generate_offers(&mut self, slave_ids: HashSet<SlaveId>) -> Future<()> {
        if self.paused {
            tracing::trace!("Skipped allocation because the allocator is paused");
            return Future::ready(());
        }
        self.allocation_candidates.extend(slave_ids);
        match &self.offer_generation {
            Some(pending) if pending.is_pending() => pending.clone(),
            _ => {
                if let Some(metrics) = &self.metrics {
                    metrics.allocation_run_latency.start();
                }
                let run = dispatch(&self.self_pid(), Self::_generate_offers);
                self.offer_generation = Some(run.clone());
                run
            }
        }
    }

    /// One allocation run over the candidates.
    pub fn _generate_offers(&mut self) {
        if let Some(metrics) = &self.metrics {
            metrics.allocation_run_latency.stop();
        }
        if self.paused {
            tracing::trace!("Skipped allocation because the allocator is paused");
            return;
        }
        if let Some(metrics) = &self.metrics {
            metrics.allocation_runs.increment();
            metrics.allocation_run.start();
        }
        let candidates = std::mem::take(&mut self.allocation_candidates);
        let offers = self.state.allocate(&candidates);
        if let Some(metrics) = &self.metrics {
            metrics.allocation_run.stop();
        }
        tracing::debug!("Performed allocation for {} agents", candidates.len());
        self.sync_metrics();
        if let Some(callback) = &self.offer_callback {
            for (framework_id, offerable) in offers {
                callback(framework_id, offerable);
            }
        }
    }

    fn sync_metrics(&mut self) {
        if let Some(metrics) = &mut self.metrics {
            let pid = libprocess::self_typed::<Self>();
            if let Some(pid) = pid {
                metrics.sync(&pid, &self.state);
            }
        }
    }

    /// See [`Allocator::add_framework`](crate::master::allocator::Allocator::add_framework).
    pub fn add_framework(
        &mut self,
        framework_id: FrameworkId,
        info: FrameworkInfo,
        used: HashMap<SlaveId, Resources>,
        active: bool,
        suppressed_roles: HashSet<String>,
    ) {
        let suppressed: BTreeSet<String> = suppressed_roles.into_iter().collect();
        self.state
            .add_framework(&framework_id, &info, &used, active, suppressed);
        self.sync_metrics();
        if active {
            self.generate_offers_all();
        }
    }

    /// See [`Allocator::remove_framework`](crate::master::allocator::Allocator::remove_framework).
    pub fn remove_framework(&mut self, framework_id: FrameworkId) {
        self.state.remove_framework(&framework_id);
        self.sync_metrics();
    }

    /// See [`Allocator::activate_framework`](crate::master::allocator::Allocator::activate_framework).
    pub fn activate_framework(&mut self, framework_id: FrameworkId) {
        self.state.activate_framework(&framework_id);
        self.generate_offers_all();
    }

    /// See [`Allocator::deactivate_framework`](crate::master::allocator::Allocator::deactivate_framework).
    pub fn deactivate_framework(&mut self, framework_id: FrameworkId) {
        self.state.deactivate_framework(&framework_id);
    }

    /// See [`Allocator::update_framework`](crate::master::allocator::Allocator::update_framework).
    pub fn update_framework(
        &mut self,
        framework_id: FrameworkId,
        info: FrameworkInfo,
        suppressed_roles: HashSet<String>,
    ) {
        let suppressed: BTreeSet<String> = suppressed_roles.into_iter().collect();
        self.state
            .update_framework(&framework_id, &info, suppressed);
        self.sync_metrics();
    }

    /// See [`Allocator::add_slave`](crate::master::allocator::Allocator::add_slave).
    pub fn add_slave(
        &mut self,
        slave_id: SlaveId,
        info: SlaveInfo,
        capabilities: Vec<slave_info::Capability>,
        total: Resources,
        used: HashMap<FrameworkId, Resources>,
    ) {
        self.state
            .add_slave(&slave_id, &info, &capabilities, &total, &used);
        self.sync_metrics();
        self.generate_offers(HashSet::from([slave_id]));
    }

    /// See [`Allocator::remove_slave`](crate::master::allocator::Allocator::remove_slave).
    pub fn remove_slave(&mut self, slave_id: SlaveId) {
        self.state.remove_slave(&slave_id);
        self.allocation_candidates.remove(&slave_id);
        self.sync_metrics();
    }

    /// See [`Allocator::update_slave`](crate::master::allocator::Allocator::update_slave).
    pub fn update_slave(
        &mut self,
        slave_id: SlaveId,
        info: SlaveInfo,
        total: Option<Resources>,
        capabilities: Option<Vec<slave_info::Capability>>,
    ) {
        let updated =
            self.state
                .update_slave(&slave_id, &info, total.as_ref(), capabilities.as_deref());
        self.sync_metrics();
        if updated {
            self.generate_offers(HashSet::from([slave_id]));
        }
    }

    /// See [`Allocator::activate_slave`](crate::master::allocator::Allocator::activate_slave).
    pub fn activate_slave(&mut self, slave_id: SlaveId) {
        self.state.activate_slave(&slave_id);
    }

    /// See [`Allocator::deactivate_slave`](crate::master::allocator::Allocator::deactivate_slave).
    pub fn deactivate_slave(&mut self, slave_id: SlaveId) {
        self.state.deactivate_slave(&slave_id);
    }

    /// See [`Allocator::request_resources`](crate::master::allocator::Allocator::request_resources): logged, as in Mesos.
    pub fn request_resources(&mut self, framework_id: FrameworkId, _requests: Vec<Request>) {
        tracing::info!(
            "Received resource request from framework {}",
            framework_id.value
        );
    }

    /// See [`Allocator::transition_offered_to_allocated`](crate::master::allocator::Allocator::transition_offered_to_allocated).
    pub fn transition_offered_to_allocated(&mut self, slave_id: SlaveId, resources: Resources) {
        self.state
            .transition_offered_to_allocated(&slave_id, &resources);
        self.sync_metrics();
    }

    /// See [`Allocator::recover_resources`](crate::master::allocator::Allocator::recover_resources).
    pub fn recover_resources(
        &mut self,
        framework_id: FrameworkId,
        slave_id: SlaveId,
        resources: Resources,
        filters: Option<Filters>,
        is_allocated: bool,
    ) {
        let now = libprocess::Clock::now();
        let expiry = self.state.recover_resources(
            now,
            &framework_id,
            &slave_id,
            &resources,
            filters.as_ref(),
            is_allocated,
        );
        self.sync_metrics();
        if let Some(expiry) = expiry {
            let timeout = expiry.timeout;
            delay(timeout, &self.self_pid(), move |process: &mut Self| {
                process.expire(expiry)
            });
        }
    }

    /// A filter's time is up: it goes after what is queued now (the
    /// batch allocation due at the same instant among it), as in Mesos.
    pub fn expire(&mut self, expiry: FilterExpiry) {
        dispatch(&self.self_pid(), move |process: &mut Self| {
            process._expire(expiry)
        });
    }

    /// Removes the filter.
    pub fn _expire(&mut self, expiry: FilterExpiry) {
        self.state.expire_filter(&expiry);
    }

    /// See [`Allocator::suppress_offers`](crate::master::allocator::Allocator::suppress_offers).
    pub fn suppress_offers(&mut self, framework_id: FrameworkId, roles: HashSet<String>) {
        let roles: BTreeSet<String> = roles.into_iter().collect();
        self.state.suppress_offers(&framework_id, &roles);
        self.sync_metrics();
    }

    /// See [`Allocator::revive_offers`](crate::master::allocator::Allocator::revive_offers).
    pub fn revive_offers(&mut self, framework_id: FrameworkId, roles: HashSet<String>) {
        let roles: BTreeSet<String> = roles.into_iter().collect();
        self.state.revive_offers(&framework_id, &roles);
        self.sync_metrics();
        self.generate_offers_all();
    }

    /// Sets a role's quota (Mesos' `updateQuota`). No allocation follows.
    pub fn update_quota(&mut self, role: String, quota: Quota) {
        self.state.update_quota(&role, quota);
        self.sync_metrics();
    }

    /// See [`Allocator::update_weights`](crate::master::allocator::Allocator::update_weights). No allocation follows: what is
    /// offered stays, later offers follow the weights.
    pub fn update_weights(&mut self, weights: HashMap<String, f64>) {
        self.state.update_weights(&weights);
        self.sync_metrics();
    }
}
