//! Mesos' hierarchical DRF allocator
//! (`master/allocator/mesos/hierarchical.{hpp,cpp}`).
//!
//! [`State`] is the allocator as plain data: the role tree, one DRF
//! sorter over roles and one per role over its frameworks, frameworks
//! (roles, suppressed roles, capabilities, offer filters) and agents
//! (total, offered or allocated, available). Events change it and
//! [`State::allocate`] turns it into offers; nothing in it knows about
//! processes or time, so tests and benchmarks drive it directly.
//!
//! [`HierarchicalAllocatorProcess`] is the thin process around it: batch
//! allocations every `allocation_interval` on the Clock, allocations
//! triggered by events batched into one pending run, filter expiry, the
//! offer callback and the `allocator/mesos/*` metrics.
//! [`HierarchicalDRFAllocator`] is the handle the master holds: it
//! implements [`Allocator`](super::Allocator) by dispatching to the
//! process, and terminates it when dropped.
//!
//! Not yet here: maintenance (inverse offers), the agent whitelist,
//! region awareness (`--domain`), offer constraints, resource providers,
//! `updateAllocation`/`updateAvailable` (operations on offered
//! resources) and recovery with quota (`recover`, `pause`/`resume`).

mod allocate;
mod allocator;
mod filters;
mod framework;
mod framework_metrics;
mod metrics;
mod process;
mod role_tree;
mod slave;
mod state;

pub use allocator::HierarchicalDRFAllocator;
pub use filters::{refuse_timeout, FilterExpiry};
pub use framework::{Framework, OfferFilter};
pub use process::HierarchicalAllocatorProcess;
pub use role_tree::{Quota, Role, RoleTree, ScalarResourceTotals, DEFAULT_WEIGHT};
pub use slave::Slave;
pub use state::State;
