//! The allocator's sorters (Mesos' `master/allocator/mesos/sorter`): they
//! keep the clients (role paths such as `a/b`, or frameworks) an
//! allocator hands resources to, what each was given on each agent, and
//! the order in which clients should be offered resources next.
//!
//! A sorter is plain state: no clock, no process, no metrics (those are
//! left for later), so tests and benchmarks drive it directly.
//!
//! Clients are named by `/`-separated paths and form a tree: a client's
//! allocation also counts towards every ancestor, and `sort` orders
//! siblings before descending into them (hierarchical DRF).

mod drf;

pub use drf::DrfSorter;

use std::collections::{BTreeSet, HashMap};

use crate::common::resource_quantities::ResourceQuantities;
use crate::common::resources::Resources;
use crate::SlaveId;

/// Mesos' `Sorter` interface, as far as the DRF sorter needs it.
///
/// As in Mesos, naming a client that was never added (or adding one
/// twice, or removing more than was allocated) is a bug in the caller,
/// and the sorter panics.
pub trait Sorter {
    /// Sets the resource names left out of fair sharing (Mesos'
    /// `--fair_sharing_excluded_resource_names`); `None` counts them all.
    fn initialize(&mut self, fairness_exclude_resource_names: Option<BTreeSet<String>>);

    /// Adds an inactive client. Its path may sit below or above other
    /// clients' paths.
    fn add(&mut self, client_path: &str);

    /// Removes a client, taking its allocation out of its ancestors'.
    fn remove(&mut self, client_path: &str);

    /// Makes a client eligible to appear in `sort`.
    fn activate(&mut self, client_path: &str);

    /// Hides a client from `sort`; its allocation is kept.
    fn deactivate(&mut self, client_path: &str);

    /// Sets the weight of a path (a client or an inner node, present or
    /// not yet): shares in that subtree are divided by it.
    fn update_weight(&mut self, path: &str, weight: f64);

    /// Records that `resources` on agent `slave_id` went to a client.
    fn allocated(&mut self, client_path: &str, slave_id: &SlaveId, resources: &Resources);

    /// Replaces part of a client's allocation on an agent (for example
    /// after a reservation), without counting an allocation.
    fn update(
        &mut self,
        client_path: &str,
        slave_id: &SlaveId,
        old_allocation: &Resources,
        new_allocation: &Resources,
    );

    /// Records that `resources` on agent `slave_id` came back from a client.
    fn unallocated(&mut self, client_path: &str, slave_id: &SlaveId, resources: &Resources);

    /// A client's allocation, by agent.
    fn allocation(&self, client_path: &str) -> &HashMap<SlaveId, Resources>;

    /// A client's allocation on one agent (empty if none).
    fn allocation_on(&self, client_path: &str, slave_id: &SlaveId) -> Resources;

    /// The scalar quantities allocated to a client; a shared resource
    /// counts once however many copies the client holds.
    fn allocation_scalar_quantities(&self, client_path: &str) -> &ResourceQuantities;

    /// The scalar quantities allocated to all clients together.
    fn total_allocation_scalar_quantities(&self) -> &ResourceQuantities;

    /// Adds an agent's scalar quantities to the pool shares are taken of.
    fn add_slave(&mut self, slave_id: &SlaveId, scalar_quantities: ResourceQuantities);

    /// Takes an agent's quantities (as added) out of the pool.
    fn remove_slave(&mut self, slave_id: &SlaveId);

    /// The active clients, those to offer resources to first coming first.
    fn sort(&mut self) -> Vec<String>;

    /// Whether `client_path` is a client (inner nodes of the tree are not).
    fn contains(&self, client_path: &str) -> bool;

    /// The number of clients, active or not.
    fn count(&self) -> usize;
}
