//! What Mesos' `protobuf::slave` holds that the agent and master share:
//! an agent's capabilities.

use std::collections::BTreeSet;
use std::fmt;

use crate::slave_info::capability::Type;
use crate::slave_info::Capability;

/// An agent's capabilities as flags (see `mesos.proto` for what each
/// means). Unknown capabilities are dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `MULTI_ROLE`.
    pub multi_role: bool,
    /// `HIERARCHICAL_ROLE`.
    pub hierarchical_role: bool,
    /// `RESERVATION_REFINEMENT`.
    pub reservation_refinement: bool,
    /// `RESOURCE_PROVIDER`.
    pub resource_provider: bool,
    /// `RESIZE_VOLUME`.
    pub resize_volume: bool,
    /// `AGENT_OPERATION_FEEDBACK`.
    pub agent_operation_feedback: bool,
    /// `AGENT_DRAINING`.
    pub agent_draining: bool,
    /// `TASK_RESOURCE_LIMITS`.
    pub task_resource_limits: bool,
}

impl Capabilities {
    /// The flags of `capabilities` (a `SlaveInfo`'s or a registration
    /// message's).
    pub fn new<'a>(capabilities: impl IntoIterator<Item = &'a Capability>) -> Capabilities {
        let mut result = Capabilities::default();
        for capability in capabilities {
            match capability.r#type() {
                Type::Unknown => {}
                Type::MultiRole => result.multi_role = true,
                Type::HierarchicalRole => result.hierarchical_role = true,
                Type::ReservationRefinement => result.reservation_refinement = true,
                Type::ResourceProvider => result.resource_provider = true,
                Type::ResizeVolume => result.resize_volume = true,
                Type::AgentOperationFeedback => result.agent_operation_feedback = true,
                Type::AgentDraining => result.agent_draining = true,
                Type::TaskResourceLimits => result.task_resource_limits = true,
            }
        }
        result
    }

    /// The capabilities set, in Mesos' order (that of the flags).
    pub fn to_vec(&self) -> Vec<Capability> {
        self.types()
            .map(|kind| {
                let mut capability = Capability::default();
                capability.set_type(kind);
                capability
            })
            .collect()
    }

    fn types(&self) -> impl Iterator<Item = Type> {
        [
            (self.multi_role, Type::MultiRole),
            (self.hierarchical_role, Type::HierarchicalRole),
            (self.reservation_refinement, Type::ReservationRefinement),
            (self.resource_provider, Type::ResourceProvider),
            (self.resize_volume, Type::ResizeVolume),
            (self.agent_operation_feedback, Type::AgentOperationFeedback),
            (self.agent_draining, Type::AgentDraining),
            (self.task_resource_limits, Type::TaskResourceLimits),
        ]
        .into_iter()
        .filter_map(|(set, kind)| set.then_some(kind))
    }
}

impl fmt::Display for Capabilities {
    /// The names of the capabilities set, sorted, as stout prints a
    /// set: `{ MULTI_ROLE, RESIZE_VOLUME }` (`{  }` when none).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: BTreeSet<&str> = self.types().map(|kind| kind.as_str_name()).collect();
        let names: Vec<&str> = names.into_iter().collect();
        write!(f, "{{ {} }}", names.join(", "))
    }
}
