//! Mesos' hierarchical (weighted) DRF sorter
//! (`master/allocator/mesos/sorter/drf/sorter.{hpp,cpp}`).
//!
//! Clients live in a tree keyed by path segments. A client whose path
//! is also a prefix of other clients' (`a` next to `a/b`) is kept as a
//! virtual leaf named `.` under the inner node `a`, so every client is a
//! leaf. Each node's share is its dominant share of the agents' total
//! divided by its weight; siblings are ordered by share, then by how
//! many allocations they received, then by path.
//!
//! Differences from Mesos: no metrics; weights are looked up on each
//! share computation rather than cached per node (so a weight set on an
//! inner path always takes effect).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use super::Sorter;
use crate::common::resource_quantities::ResourceQuantities;
use crate::common::resources::Resources;
use crate::SlaveId;

/// The weight of a path nobody set one for.
const DEFAULT_WEIGHT: f64 = 1.0;

/// The name of a virtual leaf standing for the client at its parent's path.
const VIRTUAL: &str = ".";

/// The root's index in the arena; it is never freed.
const ROOT: usize = 0;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    ActiveLeaf,
    InactiveLeaf,
    Internal,
}

/// What has been given to a node (a client, or all clients below it).
#[derive(Clone, Default, Debug)]
struct Allocation {
    /// How often the node was picked, the tie break between equal shares.
    count: u64,
    /// Resources by agent; a shared resource is held once per copy given.
    resources: HashMap<SlaveId, Resources>,
    /// Scalar quantities, a shared resource counted once per agent.
    totals: ResourceQuantities,
}

impl Allocation {
    fn add(&mut self, slave_id: &SlaveId, to_add: &Resources) {
        let held = self.resources.entry(slave_id.clone()).or_default();
        // Another copy of a shared resource already held adds no quantity.
        let new_shared = to_add.shared().filter(|r| !held.contains_resource(r));
        let mut counted = to_add.non_shared();
        counted += &new_shared;
        *held += to_add;
        self.totals += &ResourceQuantities::from_scalar_resources(&counted.scalars());
        self.count += 1;
    }

    fn subtract(&mut self, slave_id: &SlaveId, to_remove: &Resources) {
        let held = self
            .resources
            .get_mut(slave_id)
            .unwrap_or_else(|| panic!("no allocation on agent {}", slave_id.value));
        assert!(
            held.contains(to_remove),
            "allocation {held} on agent {} does not contain {to_remove}",
            slave_id.value
        );
        *held -= to_remove;
        // A shared resource stops counting once its last copy is gone.
        let gone_shared = to_remove.shared().filter(|r| !held.contains_resource(r));
        if held.is_empty() {
            self.resources.remove(slave_id);
        }
        let mut counted = to_remove.non_shared();
        counted += &gone_shared;
        let quantities = ResourceQuantities::from_scalar_resources(&counted.scalars());
        assert!(
            self.totals.contains(&quantities),
            "{} does not contain {quantities}",
            self.totals
        );
        self.totals -= &quantities;
    }

    fn update(&mut self, slave_id: &SlaveId, old: &Resources, new: &Resources) {
        let old_quantities = ResourceQuantities::from_scalar_resources(&old.scalars());
        let new_quantities = ResourceQuantities::from_scalar_resources(&new.scalars());
        let held = self
            .resources
            .get_mut(slave_id)
            .unwrap_or_else(|| panic!("no allocation on agent {}", slave_id.value));
        assert!(
            held.contains(old),
            "allocation {held} on agent {} does not contain {old}",
            slave_id.value
        );
        assert!(
            self.totals.contains(&old_quantities),
            "{} does not contain {old_quantities}",
            self.totals
        );
        *held -= old;
        *held += new;
        // An allocation may be updated to nothing (MESOS-9015).
        if held.is_empty() {
            self.resources.remove(slave_id);
        }
        self.totals -= &old_quantities;
        self.totals += &new_quantities;
    }
}

#[derive(Debug)]
struct Node {
    /// The last path segment, or `.` for a virtual leaf.
    name: String,
    /// The full path from the root (`""` for the root), `.` included.
    path: String,
    /// The weighted dominant share as of the last computation.
    share: f64,
    kind: Kind,
    parent: Option<usize>,
    /// Active leaves and inner nodes first (sorted by share when the tree
    /// is clean), then inactive leaves, so walks stop at the first of those.
    children: Vec<usize>,
    allocation: Allocation,
}

impl Node {
    fn is_leaf(&self) -> bool {
        self.kind != Kind::Internal
    }
}

/// Mesos' `DRFSorter`: hierarchical weighted dominant resource fairness.
#[derive(Debug)]
pub struct DrfSorter {
    fairness_exclude_resource_names: Option<BTreeSet<String>>,
    /// Set when shares or the tree changed such that `sort` must recompute.
    dirty: bool,
    /// Node arena; freed slots are `None` and reused.
    nodes: Vec<Option<Node>>,
    free: Vec<usize>,
    /// Client path (without any trailing `.`) to its leaf.
    clients: HashMap<String, usize>,
    /// Weights by path, also for paths not (yet) in the tree.
    weights: HashMap<String, f64>,
    /// The sum of all agents' quantities, shares are taken of.
    totals: ResourceQuantities,
    /// Each agent's quantities as added, to take out on removal.
    agents: HashMap<SlaveId, ResourceQuantities>,
}

impl Default for DrfSorter {
    fn default() -> Self {
        DrfSorter::new()
    }
}

impl DrfSorter {
    /// An empty sorter counting every resource name.
    pub fn new() -> DrfSorter {
        let root = Node {
            name: String::new(),
            path: String::new(),
            share: 0.0,
            kind: Kind::Internal,
            parent: None,
            children: Vec::new(),
            allocation: Allocation::default(),
        };
        DrfSorter {
            fairness_exclude_resource_names: None,
            dirty: false,
            nodes: vec![Some(root)],
            free: Vec::new(),
            clients: HashMap::new(),
            weights: HashMap::new(),
            totals: ResourceQuantities::default(),
            agents: HashMap::new(),
        }
    }

    /// Every client's path, active or not, in no particular order.
    pub fn clients(&self) -> impl Iterator<Item = &str> {
        self.clients.keys().map(String::as_str)
    }

    /// A client's weighted dominant share (what
    /// `allocator/mesos/roles/<role>/shares/dominant` reports); `None`
    /// for an unknown client.
    pub fn dominant_share(&self, client_path: &str) -> Option<f64> {
        self.find(client_path).map(|id| self.calculate_share(id))
    }

    fn node(&self, id: usize) -> &Node {
        self.nodes[id].as_ref().expect("live node")
    }

    fn node_mut(&mut self, id: usize) -> &mut Node {
        self.nodes[id].as_mut().expect("live node")
    }

    fn new_node(&mut self, name: &str, kind: Kind, parent: usize) -> usize {
        let path = if parent == ROOT {
            name.to_string()
        } else {
            format!("{}/{}", self.node(parent).path, name)
        };
        let node = Node {
            name: name.to_string(),
            path,
            share: 0.0,
            kind,
            parent: Some(parent),
            children: Vec::new(),
            allocation: Allocation::default(),
        };
        match self.free.pop() {
            Some(id) => {
                self.nodes[id] = Some(node);
                id
            }
            None => {
                self.nodes.push(Some(node));
                self.nodes.len() - 1
            }
        }
    }

    fn free_node(&mut self, id: usize) {
        self.nodes[id] = None;
        self.free.push(id);
    }

    /// The client a leaf stands for: a virtual leaf's parent's path.
    fn client_path(&self, id: usize) -> &str {
        let node = self.node(id);
        match node.parent {
            Some(parent) if node.name == VIRTUAL => &self.node(parent).path,
            _ => &node.path,
        }
    }

    /// Puts `child` among `parent`'s children where its kind belongs:
    /// inactive leaves at the end, others at the front (the order among
    /// those is restored by the caller, or by marking the tree dirty).
    fn add_child(&mut self, parent: usize, child: usize) {
        let inactive = self.node(child).kind == Kind::InactiveLeaf;
        let children = &mut self.node_mut(parent).children;
        debug_assert!(!children.contains(&child));
        if inactive {
            children.push(child);
        } else {
            children.insert(0, child);
        }
    }

    fn remove_child(&mut self, parent: usize, child: usize) {
        let children = &mut self.node_mut(parent).children;
        if let Some(position) = children.iter().position(|&c| c == child) {
            children.remove(position);
        }
    }

    /// Moves a node to where its (changed) kind belongs among its siblings.
    fn reposition(&mut self, id: usize) {
        if let Some(parent) = self.node(id).parent {
            self.remove_child(parent, id);
            self.add_child(parent, id);
        }
    }

    fn find(&self, client_path: &str) -> Option<usize> {
        self.clients.get(client_path).copied()
    }

    fn client(&self, client_path: &str) -> usize {
        self.find(client_path)
            .unwrap_or_else(|| panic!("unknown sorter client '{client_path}'"))
    }

    fn weight(&self, id: usize) -> f64 {
        self.weights
            .get(&self.node(id).path)
            .copied()
            .unwrap_or(DEFAULT_WEIGHT)
    }

    /// The largest fraction of any (counted) resource's total the node
    /// holds, divided by its weight.
    fn calculate_share(&self, id: usize) -> f64 {
        let allocation = &self.node(id).allocation.totals;
        let mut share = 0.0_f64;
        for (name, total) in self.totals.iter() {
            let excluded = self
                .fairness_exclude_resource_names
                .as_ref()
                .is_some_and(|names| names.contains(name));
            if excluded || total.value <= 0.0 {
                continue;
            }
            share = share.max(allocation.get(name).value / total.value);
        }
        share / self.weight(id)
    }

    /// DRF order: share, then allocation count, then path.
    fn compare(&self, left: usize, right: usize) -> Ordering {
        let (l, r) = (self.node(left), self.node(right));
        l.share
            .partial_cmp(&r.share)
            .unwrap_or(Ordering::Equal)
            .then(l.allocation.count.cmp(&r.allocation.count))
            .then_with(|| l.path.cmp(&r.path))
    }

    /// Recomputes shares of the active children of `id` and of all inner
    /// nodes below, and sorts each sibling list.
    fn sort_tree(&mut self, id: usize) {
        let mut children = std::mem::take(&mut self.node_mut(id).children);
        let active = children
            .iter()
            .position(|&c| self.node(c).kind == Kind::InactiveLeaf)
            .unwrap_or(children.len());
        for &child in &children[..active] {
            let share = self.calculate_share(child);
            self.node_mut(child).share = share;
        }
        children[..active].sort_by(|&a, &b| self.compare(a, b));
        for &child in &children[..active] {
            if self.node(child).kind == Kind::Internal {
                self.sort_tree(child);
            }
        }
        self.node_mut(id).children = children;
    }

    fn list_clients(&self, id: usize, result: &mut Vec<String>) {
        for &child in &self.node(id).children {
            match self.node(child).kind {
                Kind::ActiveLeaf => result.push(self.client_path(child).to_string()),
                Kind::InactiveLeaf => return,
                Kind::Internal => self.list_clients(child, result),
            }
        }
    }

    /// After an allocation to a clean tree, moves `id` to its place among
    /// its active siblings instead of re-sorting everything.
    fn bubble(&mut self, id: usize) {
        let share = self.calculate_share(id);
        self.node_mut(id).share = share;
        let Some(parent) = self.node(id).parent else {
            return;
        };
        let mut children = std::mem::take(&mut self.node_mut(parent).children);
        if let Some(mut position) = children.iter().position(|&c| c == id) {
            while position > 0 && self.compare(id, children[position - 1]) == Ordering::Less {
                children.swap(position, position - 1);
                position -= 1;
            }
            while position + 1 < children.len()
                && self.node(children[position + 1]).kind != Kind::InactiveLeaf
                && self.compare(children[position + 1], id) == Ordering::Less
            {
                children.swap(position, position + 1);
                position += 1;
            }
        }
        self.node_mut(parent).children = children;
    }
}

impl Sorter for DrfSorter {
    fn initialize(&mut self, fairness_exclude_resource_names: Option<BTreeSet<String>>) {
        self.fairness_exclude_resource_names = fairness_exclude_resource_names;
    }

    fn add(&mut self, client_path: &str) {
        assert!(
            !self.clients.contains_key(client_path),
            "sorter client '{client_path}' added twice"
        );
        let tokens: Vec<&str> = client_path.split('/').collect();
        let mut next = 0;
        let mut current = ROOT;

        // Walk down the existing part of the path.
        loop {
            if next == tokens.len() {
                // The path is an inner node: the client becomes its virtual leaf.
                let virt = self.new_node(VIRTUAL, Kind::InactiveLeaf, current);
                self.add_child(current, virt);
                current = virt;
                break;
            }
            if self.node(current).is_leaf() {
                // An existing client gains a child: it moves to a virtual
                // leaf below its node, which turns inner.
                let old_kind = self.node(current).kind;
                self.node_mut(current).kind = Kind::Internal;
                self.reposition(current);
                let virt = self.new_node(VIRTUAL, old_kind, current);
                self.node_mut(virt).allocation = self.node(current).allocation.clone();
                self.add_child(current, virt);
                let owner = self.client_path(virt).to_string();
                self.clients.insert(owner, virt);
                break;
            }
            let token = tokens[next];
            let child = self
                .node(current)
                .children
                .iter()
                .copied()
                .find(|&c| self.node(c).name == token);
            match child {
                Some(child) => {
                    current = child;
                    next += 1;
                }
                None => break,
            }
        }

        // Create the rest of the path, the last segment being the client.
        for (i, token) in tokens.iter().enumerate().skip(next) {
            let kind = if i + 1 == tokens.len() {
                Kind::InactiveLeaf
            } else {
                Kind::Internal
            };
            let child = self.new_node(token, kind, current);
            self.add_child(current, child);
            current = child;
        }

        debug_assert_eq!(self.node(current).kind, Kind::InactiveLeaf);
        debug_assert_eq!(self.client_path(current), client_path);
        self.clients.insert(client_path.to_string(), current);
        self.dirty = true;
    }

    fn remove(&mut self, client_path: &str) {
        let leaf = self.client(client_path);
        let leaf_allocation = self.node(leaf).allocation.resources.clone();
        self.clients.remove(client_path);

        let mut current = leaf;
        while let Some(parent) = self.node(current).parent {
            for (slave_id, resources) in &leaf_allocation {
                self.node_mut(parent)
                    .allocation
                    .subtract(slave_id, resources);
            }
            let children = &self.node(current).children;
            if children.is_empty() {
                // Nothing else hangs off this node: drop it.
                self.remove_child(parent, current);
                self.free_node(current);
            } else if children.len() == 1 && self.node(children[0]).name == VIRTUAL {
                // Only a virtual leaf is left: the node becomes that
                // client's leaf again.
                let child = children[0];
                let kind = self.node(child).kind;
                self.node_mut(current).kind = kind;
                self.remove_child(current, child);
                self.free_node(child);
                self.reposition(current);
                let path = self.node(current).path.clone();
                self.clients.insert(path, current);
            }
            current = parent;
        }
        self.dirty = true;
    }

    fn activate(&mut self, client_path: &str) {
        let id = self.client(client_path);
        if self.node(id).kind == Kind::InactiveLeaf {
            self.node_mut(id).kind = Kind::ActiveLeaf;
            self.reposition(id);
            self.dirty = true;
        }
    }

    fn deactivate(&mut self, client_path: &str) {
        let id = self.client(client_path);
        if self.node(id).kind == Kind::ActiveLeaf {
            self.node_mut(id).kind = Kind::InactiveLeaf;
            // Moving to the end keeps the active siblings' order intact.
            self.reposition(id);
        }
    }

    fn update_weight(&mut self, path: &str, weight: f64) {
        self.weights.insert(path.to_string(), weight);
        self.dirty = true;
    }

    fn allocated(&mut self, client_path: &str, slave_id: &SlaveId, resources: &Resources) {
        let mut current = Some(self.client(client_path));
        while let Some(id) = current {
            self.node_mut(id).allocation.add(slave_id, resources);
            if id != ROOT && !self.dirty && self.node(id).kind != Kind::InactiveLeaf {
                self.bubble(id);
            }
            current = self.node(id).parent;
        }
    }

    fn update(
        &mut self,
        client_path: &str,
        slave_id: &SlaveId,
        old_allocation: &Resources,
        new_allocation: &Resources,
    ) {
        let mut current = Some(self.client(client_path));
        while let Some(id) = current {
            self.node_mut(id)
                .allocation
                .update(slave_id, old_allocation, new_allocation);
            current = self.node(id).parent;
        }
        self.dirty = true;
    }

    fn unallocated(&mut self, client_path: &str, slave_id: &SlaveId, resources: &Resources) {
        let mut current = Some(self.client(client_path));
        while let Some(id) = current {
            self.node_mut(id).allocation.subtract(slave_id, resources);
            current = self.node(id).parent;
        }
        self.dirty = true;
    }

    fn allocation(&self, client_path: &str) -> &HashMap<SlaveId, Resources> {
        &self.node(self.client(client_path)).allocation.resources
    }

    fn allocation_on(&self, client_path: &str, slave_id: &SlaveId) -> Resources {
        self.allocation(client_path)
            .get(slave_id)
            .cloned()
            .unwrap_or_default()
    }

    fn allocation_scalar_quantities(&self, client_path: &str) -> &ResourceQuantities {
        &self.node(self.client(client_path)).allocation.totals
    }

    fn total_allocation_scalar_quantities(&self) -> &ResourceQuantities {
        &self.node(ROOT).allocation.totals
    }

    fn add_slave(&mut self, slave_id: &SlaveId, scalar_quantities: ResourceQuantities) {
        assert!(
            !self.agents.contains_key(slave_id),
            "agent {} added twice",
            slave_id.value
        );
        self.totals += &scalar_quantities;
        self.agents.insert(slave_id.clone(), scalar_quantities);
        self.dirty = true;
    }

    fn remove_slave(&mut self, slave_id: &SlaveId) {
        let quantities = self
            .agents
            .remove(slave_id)
            .unwrap_or_else(|| panic!("unknown agent {}", slave_id.value));
        self.totals -= &quantities;
        self.dirty = true;
    }

    fn sort(&mut self) -> Vec<String> {
        if self.dirty {
            self.sort_tree(ROOT);
            self.dirty = false;
        }
        let mut result = Vec::with_capacity(self.clients.len());
        self.list_clients(ROOT, &mut result);
        result
    }

    fn contains(&self, client_path: &str) -> bool {
        self.find(client_path).is_some()
    }

    fn count(&self) -> usize {
        self.clients.len()
    }
}
