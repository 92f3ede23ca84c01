//! What Mesos' `protobuf::framework` holds: a framework's capabilities
//! and roles.

use std::collections::BTreeSet;

use super::framework_has_capability;
use crate::framework_info::capability::Type;
use crate::framework_info::Capability;
use crate::FrameworkInfo;

/// A framework's capabilities as flags (see `mesos.proto` for what
/// each means). Unknown capabilities are dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `REVOCABLE_RESOURCES`.
    pub revocable_resources: bool,
    /// `TASK_KILLING_STATE`.
    pub task_killing_state: bool,
    /// `GPU_RESOURCES`.
    pub gpu_resources: bool,
    /// `SHARED_RESOURCES`.
    pub shared_resources: bool,
    /// `PARTITION_AWARE`.
    pub partition_aware: bool,
    /// `MULTI_ROLE`.
    pub multi_role: bool,
    /// `RESERVATION_REFINEMENT`.
    pub reservation_refinement: bool,
    /// `REGION_AWARE`.
    pub region_aware: bool,
}

impl Capabilities {
    /// The flags of `capabilities` (a `FrameworkInfo`'s).
    pub fn new<'a>(capabilities: impl IntoIterator<Item = &'a Capability>) -> Capabilities {
        let mut result = Capabilities::default();
        for capability in capabilities {
            match capability.r#type() {
                Type::Unknown => {}
                Type::RevocableResources => result.revocable_resources = true,
                Type::TaskKillingState => result.task_killing_state = true,
                Type::GpuResources => result.gpu_resources = true,
                Type::SharedResources => result.shared_resources = true,
                Type::PartitionAware => result.partition_aware = true,
                Type::MultiRole => result.multi_role = true,
                Type::ReservationRefinement => result.reservation_refinement = true,
                Type::RegionAware => result.region_aware = true,
            }
        }
        result
    }
}

/// The framework's roles: `roles` for a `MULTI_ROLE` framework, else
/// its single `role` (`*` by default).
#[allow(deprecated)] // `role` is what frameworks without MULTI_ROLE use.
pub fn get_roles(framework_info: &FrameworkInfo) -> BTreeSet<String> {
    if framework_has_capability(framework_info, Type::MultiRole) {
        framework_info.roles.iter().cloned().collect()
    } else {
        BTreeSet::from([framework_info.role().to_string()])
    }
}
