//! An agent as the allocator sees it (Mesos' allocator-side `Slave`):
//! its total, what of it is offered or allocated to whom, and what is
//! left to offer.

use std::collections::HashMap;

use crate::common::protobuf_utils::slave::Capabilities;
use crate::common::resources::Resources;
use crate::{FrameworkId, SlaveId, SlaveInfo};

/// One agent's resources and attributes.
#[derive(Clone, Debug)]
pub struct Slave {
    /// The agent's ID.
    pub id: SlaveId,
    /// Its info as last added or updated (hostname, attributes, domain).
    pub info: SlaveInfo,
    /// Its capabilities.
    pub capabilities: Capabilities,
    /// Whether its resources are offered (it is connected).
    pub activated: bool,
    /// What tasks use on it, so a removed agent's usage can be untracked.
    pub total_allocated: Resources,
    total: Resources,
    offered_or_allocated: HashMap<FrameworkId, Resources>,
    total_offered_or_allocated: Resources,
    /// Always holds every shared resource of the agent: those are
    /// offerable even while in use.
    available: Resources,
    shared: Resources,
    has_gpu: bool,
}

impl Slave {
    /// An agent with `total` resources of which `allocated` are held by
    /// frameworks.
    pub fn new(
        id: SlaveId,
        info: SlaveInfo,
        capabilities: Capabilities,
        activated: bool,
        total: Resources,
        allocated: &HashMap<FrameworkId, Resources>,
    ) -> Slave {
        let sum: Resources = allocated.values().sum();
        let mut slave = Slave {
            id,
            info,
            capabilities,
            activated,
            total_allocated: sum.clone(),
            shared: total.shared(),
            has_gpu: total.gpus().unwrap_or(0.0) > 0.0,
            total,
            offered_or_allocated: allocated
                .iter()
                .filter(|(_, r)| !r.is_empty())
                .map(|(id, r)| (id.clone(), r.clone()))
                .collect(),
            total_offered_or_allocated: sum,
            available: Resources::new(),
        };
        slave.update_available();
        slave
    }

    /// Everything the agent has, regular and revocable.
    pub fn total(&self) -> &Resources {
        &self.total
    }

    /// What is offered or allocated, by framework.
    pub fn offered_or_allocated(&self) -> &HashMap<FrameworkId, Resources> {
        &self.offered_or_allocated
    }

    /// Everything offered or allocated.
    pub fn total_offered_or_allocated(&self) -> &Resources {
        &self.total_offered_or_allocated
    }

    /// What is left to offer (and every shared resource).
    pub fn available(&self) -> &Resources {
        &self.available
    }

    /// Whether the agent has GPUs.
    pub fn has_gpu(&self) -> bool {
        self.has_gpu
    }

    /// Replaces the total.
    pub fn update_total(&mut self, total: Resources) {
        self.shared = total.shared();
        self.has_gpu = total.gpus().unwrap_or(0.0) > 0.0;
        self.total = total;
        self.update_available();
    }

    /// `resources` came back from `framework_id`.
    pub fn increase_available(&mut self, framework_id: &FrameworkId, resources: &Resources) {
        if resources.is_empty() {
            return;
        }
        self.total_offered_or_allocated -= resources;
        let held = self
            .offered_or_allocated
            .get_mut(framework_id)
            .unwrap_or_else(|| {
                panic!(
                    "framework {} holds nothing on agent {}",
                    framework_id.value, self.id.value
                )
            });
        assert!(
            held.contains(resources),
            "{held} of framework {} does not contain {resources}",
            framework_id.value
        );
        *held -= resources;
        if held.is_empty() {
            self.offered_or_allocated.remove(framework_id);
        }
        self.update_available();
    }

    /// `resources` went to `framework_id`.
    pub fn decrease_available(&mut self, framework_id: &FrameworkId, resources: &Resources) {
        if resources.is_empty() {
            return;
        }
        *self
            .offered_or_allocated
            .entry(framework_id.clone())
            .or_default() += resources;
        self.total_offered_or_allocated += resources;
        self.update_available();
    }

    fn update_available(&mut self) {
        // The total is kept unallocated, so the allocation is stripped
        // before subtracting.
        let mut used = self.total_offered_or_allocated.clone();
        used.unallocate();
        self.available = if self.shared.is_empty() {
            let mut available = self.total.clone();
            available -= &used;
            available
        } else {
            let mut available = self.total.non_shared();
            available -= &used.non_shared();
            available += &self.shared;
            available
        };
    }
}
