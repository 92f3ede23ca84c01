//! The registry operations on agents (Mesos' `registry_operations`), with
//! Mesos' error texts.

use std::collections::HashSet;

use stout::{Error, Try};

use super::Operation;
use crate::internal::registry::{Slave, Slaves, UnreachableSlave, UnreachableSlaves};
use crate::internal::Registry;
use crate::{SlaveId, SlaveInfo, TimeInfo};

/// Admits a new agent (its info carries the ID the master gave it).
#[derive(Clone, Debug)]
pub struct AdmitSlave {
    info: SlaveInfo,
}

impl AdmitSlave {
    /// Admits the agent `info`, which must carry an ID.
    pub fn new(info: SlaveInfo) -> AdmitSlave {
        AdmitSlave { info }
    }
}

impl Operation for AdmitSlave {
    fn perform(&mut self, registry: &mut Registry, admitted: &mut HashSet<SlaveId>) -> Try<bool> {
        let id = id_of(&self.info)?;
        if admitted.contains(&id) {
            return Err(Error::new("Agent already admitted"));
        }
        slaves(registry).slaves.push(Slave {
            info: self.info.clone(),
            drain_info: None,
            deactivated: None,
        });
        admitted.insert(id);
        Ok(true)
    }
}

/// Removes an admitted agent (it unregistered, or was shut down).
#[derive(Clone, Debug)]
pub struct RemoveSlave {
    info: SlaveInfo,
}

impl RemoveSlave {
    /// Removes the agent `info`.
    pub fn new(info: SlaveInfo) -> RemoveSlave {
        RemoveSlave { info }
    }
}

impl Operation for RemoveSlave {
    fn perform(&mut self, registry: &mut Registry, admitted: &mut HashSet<SlaveId>) -> Try<bool> {
        let id = id_of(&self.info)?;
        if !admitted.contains(&id) {
            return Err(Error::new("Agent not yet admitted"));
        }
        let list = &mut slaves(registry).slaves;
        match list
            .iter()
            .position(|slave| slave.info.id.as_ref() == Some(&id))
        {
            Some(index) => {
                list.remove(index);
                admitted.remove(&id);
                Ok(true)
            }
            None => Err(Error::new(format!("Failed to find agent {}", id.value))),
        }
    }
}

/// Moves an admitted agent to the unreachable list, stamped with when it
/// became unreachable.
#[derive(Clone, Debug)]
pub struct MarkSlaveUnreachable {
    info: SlaveInfo,
    unreachable_time: TimeInfo,
}

impl MarkSlaveUnreachable {
    /// Marks the agent `info` unreachable as of `unreachable_time`.
    pub fn new(info: SlaveInfo, unreachable_time: TimeInfo) -> MarkSlaveUnreachable {
        MarkSlaveUnreachable {
            info,
            unreachable_time,
        }
    }
}

impl Operation for MarkSlaveUnreachable {
    fn perform(&mut self, registry: &mut Registry, admitted: &mut HashSet<SlaveId>) -> Try<bool> {
        let id = id_of(&self.info)?;
        if !admitted.contains(&id) {
            return Err(Error::new("Agent not yet admitted"));
        }
        let list = &mut slaves(registry).slaves;
        let Some(index) = list
            .iter()
            .position(|slave| slave.info.id.as_ref() == Some(&id))
        else {
            return Err(Error::new(format!("Failed to find agent {}", id.value)));
        };
        let slave = list.remove(index);
        registry
            .unreachable
            .get_or_insert_with(UnreachableSlaves::default)
            .slaves
            .push(UnreachableSlave {
                id: id.clone(),
                timestamp: self.unreachable_time,
                drain_info: slave.drain_info,
                deactivated: slave.deactivated,
            });
        admitted.remove(&id);
        Ok(true)
    }
}

/// Moves an agent back from the unreachable list to the admitted ones
/// (an unknown agent is admitted too, as Mesos allows after a failover).
#[derive(Clone, Debug)]
pub struct MarkSlaveReachable {
    info: SlaveInfo,
}

impl MarkSlaveReachable {
    /// Marks the agent `info` reachable.
    pub fn new(info: SlaveInfo) -> MarkSlaveReachable {
        MarkSlaveReachable { info }
    }
}

impl Operation for MarkSlaveReachable {
    fn perform(&mut self, registry: &mut Registry, admitted: &mut HashSet<SlaveId>) -> Try<bool> {
        let id = id_of(&self.info)?;
        if admitted.contains(&id) {
            return Ok(false);
        }
        let mut reachable = Slave {
            info: self.info.clone(),
            drain_info: None,
            deactivated: None,
        };
        let unreachable = registry.unreachable.get_or_insert_with(Default::default);
        match unreachable.slaves.iter().position(|slave| slave.id == id) {
            Some(index) => {
                let slave = unreachable.slaves.remove(index);
                reachable.drain_info = slave.drain_info;
                reachable.deactivated = slave.deactivated;
            }
            None => tracing::warn!("Allowing UNKNOWN agent to reregister: {:?}", self.info),
        }
        slaves(registry).slaves.push(reachable);
        admitted.insert(id);
        Ok(true)
    }
}

fn id_of(info: &SlaveInfo) -> Try<SlaveId> {
    info.id
        .clone()
        .ok_or_else(|| Error::new("SlaveInfo is missing the 'id' field"))
}

fn slaves(registry: &mut Registry) -> &mut Slaves {
    registry.slaves.get_or_insert_with(Slaves::default)
}
