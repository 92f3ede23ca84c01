//! Mesos' allocator: the `Allocator` interface the master talks to, and
//! the built-in hierarchical DRF allocator's parts.
//!
//! As in Mesos, the master holds an `Allocator` and calls it without
//! waiting; the allocator hands offers back through the callback given to
//! `initialize` (Mesos' `offerCallback`), which the master defers onto
//! itself.

pub mod hierarchical;
pub mod sorter;

pub use hierarchical::{HierarchicalAllocatorProcess, HierarchicalDRFAllocator};

use std::collections::{HashMap, HashSet};

use stout::Duration;

use crate::common::resource_quantities::ResourceQuantities;
use crate::common::resources::Resources;
use crate::{slave_info, Filters, FrameworkId, FrameworkInfo, Request, SlaveId, SlaveInfo};

/// Resources offered to one framework: by role, then by agent (Mesos'
/// `hashmap<string, hashmap<SlaveID, Resources>>`).
pub type Offerable = HashMap<String, HashMap<SlaveId, Resources>>;

/// Where the allocator sends what it decided to offer (Mesos'
/// `offerCallback`).
pub type OfferCallback = Box<dyn Fn(FrameworkId, Offerable) + Send + Sync>;

/// The allocator's settings, from the master's flags (Mesos'
/// `mesos::allocator::Options`, as far as this build uses it).
#[derive(Clone, Debug)]
pub struct Options {
    /// `--allocation_interval`: how often a batch allocation runs.
    pub allocation_interval: Duration,
    /// `--fair_sharing_excluded_resource_names`.
    pub fairness_excluded_resource_names: Option<Vec<String>>,
    /// `--filter_gpu_resources`.
    pub filter_gpu_resources: bool,
    /// `--min_allocatable_resources`, parsed: an offer must hold at
    /// least one of these quantity sets (empty: any non-empty resources).
    pub min_allocatable_resources: Vec<ResourceQuantities>,
    /// `--publish_per_framework_metrics`.
    pub publish_per_framework_metrics: bool,
    /// `--max_completed_frameworks`: how many removed frameworks keep
    /// their per-framework metrics.
    pub max_completed_frameworks: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            allocation_interval: Duration::from_secs(1),
            fairness_excluded_resource_names: None,
            filter_gpu_resources: true,
            min_allocatable_resources: default_min_allocatable_resources(),
            publish_per_framework_metrics: true,
            max_completed_frameworks: crate::master::constants::DEFAULT_MAX_COMPLETED_FRAMEWORKS,
        }
    }
}

/// `--min_allocatable_resources`' default, `cpus:0.01|mem:32` (Mesos'
/// `MIN_CPUS` and `MIN_MEM`).
pub fn default_min_allocatable_resources() -> Vec<ResourceQuantities> {
    ["cpus:0.01", "mem:32"]
        .iter()
        .map(|text| ResourceQuantities::from_string(text).expect("a valid constant"))
        .collect()
}

/// Mesos' `mesos::allocator::Allocator` interface (the parts this build
/// uses). Calls return at once; their effects are ordered as the calls
/// were made, as dispatches to Mesos' allocator process are.
pub trait Allocator: Send + Sync + 'static {
    /// Starts the allocator: batch allocations every
    /// `options.allocation_interval`, offers through `offer_callback`.
    fn initialize(&self, options: Options, offer_callback: OfferCallback);

    /// A framework subscribed; `used` is what it already holds, by agent.
    fn add_framework(
        &self,
        framework_id: &FrameworkId,
        framework_info: &FrameworkInfo,
        used: HashMap<SlaveId, Resources>,
        active: bool,
        suppressed_roles: HashSet<String>,
    );

    /// A framework is gone; what it held stays allocated until recovered.
    fn remove_framework(&self, framework_id: &FrameworkId);

    /// The framework receives offers again.
    fn activate_framework(&self, framework_id: &FrameworkId);

    /// The framework receives no offers (its scheduler disconnected).
    fn deactivate_framework(&self, framework_id: &FrameworkId);

    /// The framework's info (roles, capabilities) or suppressed roles
    /// changed.
    fn update_framework(
        &self,
        framework_id: &FrameworkId,
        framework_info: &FrameworkInfo,
        suppressed_roles: HashSet<String>,
    );

    /// An agent registered; `used` is what frameworks already hold on it.
    fn add_slave(
        &self,
        slave_id: &SlaveId,
        slave_info: &SlaveInfo,
        capabilities: Vec<slave_info::Capability>,
        total: Resources,
        used: HashMap<FrameworkId, Resources>,
    );

    /// An agent is gone, with everything on it.
    fn remove_slave(&self, slave_id: &SlaveId);

    /// An agent's info, capabilities or total resources changed.
    fn update_slave(
        &self,
        slave_id: &SlaveId,
        slave_info: &SlaveInfo,
        total: Option<Resources>,
        capabilities: Option<Vec<slave_info::Capability>>,
    );

    /// The agent's resources are offered again (it reconnected).
    fn activate_slave(&self, slave_id: &SlaveId);

    /// The agent's resources are not offered (it disconnected).
    fn deactivate_slave(&self, slave_id: &SlaveId);

    /// A framework's resource requests (Mesos ignores them too).
    fn request_resources(&self, framework_id: &FrameworkId, requests: Vec<Request>);

    /// Offered resources were accepted and are now used by tasks (Mesos'
    /// `transitionOfferedToAllocated`); they come back through
    /// `recover_resources` with `is_allocated` set.
    fn transition_offered_to_allocated(&self, slave_id: &SlaveId, resources: Resources);

    /// Resources come back from a framework (declined, unused, or freed
    /// by a finished task); `filters` keeps them from being offered to it
    /// again for `refuse_seconds`. `is_allocated` is true for resources
    /// tasks used (passed to `transition_offered_to_allocated`), false for
    /// resources only offered (declined, rescinded or unused).
    fn recover_resources(
        &self,
        framework_id: &FrameworkId,
        slave_id: &SlaveId,
        resources: Resources,
        filters: Option<Filters>,
        is_allocated: bool,
    );

    /// Stops offers to the framework for `roles` (all of its roles if
    /// empty).
    fn suppress_offers(&self, framework_id: &FrameworkId, roles: HashSet<String>);

    /// Clears the framework's filters and resumes offers for `roles` (all
    /// of its roles if empty).
    fn revive_offers(&self, framework_id: &FrameworkId, roles: HashSet<String>);

    /// Sets role weights (`--weights`, or the operator's UPDATE_WEIGHTS).
    fn update_weights(&self, weights: HashMap<String, f64>);
}
