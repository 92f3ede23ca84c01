//! The handle the master holds (Mesos' `MesosAllocator<...>` around the
//! process): every [`Allocator`] call is a dispatch.

use std::collections::{HashMap, HashSet};

use libprocess::{dispatch, PID};

use super::metrics::Metrics;
use super::process::HierarchicalAllocatorProcess;
use super::role_tree::Quota;
use crate::common::resources::Resources;
use crate::master::allocator::{Allocator, OfferCallback, Options};
use crate::{slave_info, Filters, FrameworkId, FrameworkInfo, Request, SlaveId, SlaveInfo};

/// Mesos' `HierarchicalDRFAllocator`: the [`Allocator`] the master holds,
/// each call a dispatch to its [`HierarchicalAllocatorProcess`]. Dropping
/// it terminates the process.
#[derive(Debug)]
pub struct HierarchicalDRFAllocator {
    pid: PID<HierarchicalAllocatorProcess>,
}

impl HierarchicalDRFAllocator {
    /// Spawns the allocator process in the current runtime; it allocates
    /// once [`Allocator::initialize`] is called.
    pub fn create() -> HierarchicalDRFAllocator {
        let pid = libprocess::spawn(HierarchicalAllocatorProcess::new());
        // Published now, as Mesos does in the constructor, so a snapshot
        // taken right away has them; the process removes them when it
        // terminates.
        let metrics = Metrics::new(&pid);
        dispatch(&pid, move |process: &mut HierarchicalAllocatorProcess| {
            process.metrics = Some(metrics);
        });
        HierarchicalDRFAllocator { pid }
    }

    /// The process' PID.
    pub fn pid(&self) -> &PID<HierarchicalAllocatorProcess> {
        &self.pid
    }

    /// Sets a role's quota (Mesos' `Allocator::updateQuota`, not yet part
    /// of [`Allocator`]: the master has no quota calls yet).
    pub fn update_quota(&self, role: &str, quota: Quota) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::update_quota,
            role.to_string(),
            quota
        );
    }
}

impl Drop for HierarchicalDRFAllocator {
    fn drop(&mut self) {
        libprocess::terminate(&self.pid, true);
    }
}

impl Allocator for HierarchicalDRFAllocator {
    fn initialize(&self, options: Options, offer_callback: OfferCallback) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::initialize,
            options,
            offer_callback
        );
    }

    fn add_framework(
        &self,
        framework_id: &FrameworkId,
        framework_info: &FrameworkInfo,
        used: HashMap<SlaveId, Resources>,
        active: bool,
        suppressed_roles: HashSet<String>,
    ) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::add_framework,
            framework_id.clone(),
            framework_info.clone(),
            used,
            active,
            suppressed_roles
        );
    }

    fn remove_framework(&self, framework_id: &FrameworkId) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::remove_framework,
            framework_id.clone()
        );
    }

    fn activate_framework(&self, framework_id: &FrameworkId) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::activate_framework,
            framework_id.clone()
        );
    }

    fn deactivate_framework(&self, framework_id: &FrameworkId) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::deactivate_framework,
            framework_id.clone()
        );
    }

    fn update_framework(
        &self,
        framework_id: &FrameworkId,
        framework_info: &FrameworkInfo,
        suppressed_roles: HashSet<String>,
    ) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::update_framework,
            framework_id.clone(),
            framework_info.clone(),
            suppressed_roles
        );
    }

    fn add_slave(
        &self,
        slave_id: &SlaveId,
        slave_info: &SlaveInfo,
        capabilities: Vec<slave_info::Capability>,
        total: Resources,
        used: HashMap<FrameworkId, Resources>,
    ) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::add_slave,
            slave_id.clone(),
            slave_info.clone(),
            capabilities,
            total,
            used
        );
    }

    fn remove_slave(&self, slave_id: &SlaveId) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::remove_slave,
            slave_id.clone()
        );
    }

    fn update_slave(
        &self,
        slave_id: &SlaveId,
        slave_info: &SlaveInfo,
        total: Option<Resources>,
        capabilities: Option<Vec<slave_info::Capability>>,
    ) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::update_slave,
            slave_id.clone(),
            slave_info.clone(),
            total,
            capabilities
        );
    }

    fn activate_slave(&self, slave_id: &SlaveId) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::activate_slave,
            slave_id.clone()
        );
    }

    fn deactivate_slave(&self, slave_id: &SlaveId) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::deactivate_slave,
            slave_id.clone()
        );
    }

    fn request_resources(&self, framework_id: &FrameworkId, requests: Vec<Request>) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::request_resources,
            framework_id.clone(),
            requests
        );
    }

    fn transition_offered_to_allocated(&self, slave_id: &SlaveId, resources: Resources) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::transition_offered_to_allocated,
            slave_id.clone(),
            resources
        );
    }

    fn recover_resources(
        &self,
        framework_id: &FrameworkId,
        slave_id: &SlaveId,
        resources: Resources,
        filters: Option<Filters>,
        is_allocated: bool,
    ) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::recover_resources,
            framework_id.clone(),
            slave_id.clone(),
            resources,
            filters,
            is_allocated
        );
    }

    fn suppress_offers(&self, framework_id: &FrameworkId, roles: HashSet<String>) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::suppress_offers,
            framework_id.clone(),
            roles
        );
    }

    fn revive_offers(&self, framework_id: &FrameworkId, roles: HashSet<String>) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::revive_offers,
            framework_id.clone(),
            roles
        );
    }

    fn update_weights(&self, weights: HashMap<String, f64>) {
        libprocess::dispatch!(
            self.pid,
            HierarchicalAllocatorProcess::update_weights,
            weights
        );
    }
}
