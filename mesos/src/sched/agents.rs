//! Where the driver sends framework messages without the master (Mesos'
//! `savedOffers` and `savedSlavePids`): the agent pid of each outstanding
//! offer, and, once tasks are launched on an offer, of their agents.

use std::collections::HashMap;

use libprocess::UPID;

use crate::{OfferId, SlaveId, TaskInfo};

/// The agent pids learned from offers, as plain data.
#[derive(Debug, Default)]
pub(super) struct AgentPids {
    /// By offer id, then agent id.
    offers: HashMap<String, HashMap<String, UPID>>,
    /// By agent id: the agents running this framework's tasks.
    agents: HashMap<String, UPID>,
}

impl AgentPids {
    /// An offer of agent `slave_id`, at `pid`.
    pub(super) fn offered(&mut self, offer_id: &OfferId, slave_id: &SlaveId, pid: UPID) {
        self.offers
            .entry(offer_id.value.clone())
            .or_default()
            .insert(slave_id.value.clone(), pid);
    }

    /// The offer is gone (rescinded or declined); whether it was known.
    pub(super) fn forget_offer(&mut self, offer_id: &OfferId) -> bool {
        self.offers.remove(&offer_id.value).is_some()
    }

    /// The offers are accepted, launching `tasks`: their agents' pids are
    /// kept. Returns what did not add up (unknown offers, tasks on another
    /// agent than the offer's), for the log.
    pub(super) fn accepted(&mut self, offer_ids: &[OfferId], tasks: &[TaskInfo]) -> Vec<String> {
        let mut problems = Vec::new();
        for offer_id in offer_ids {
            let Some(agents) = self.offers.remove(&offer_id.value) else {
                problems.push(format!(
                    "Attempting to accept an unknown offer {}",
                    offer_id.value
                ));
                continue;
            };
            for task in tasks {
                match agents.get(&task.slave_id.value) {
                    Some(pid) => {
                        self.agents.insert(task.slave_id.value.clone(), pid.clone());
                    }
                    None => problems.push(format!(
                        "Attempting to launch task {} with the wrong agent id {}",
                        task.task_id.value, task.slave_id.value
                    )),
                }
            }
        }
        problems
    }

    /// The agent is gone.
    pub(super) fn lost(&mut self, slave_id: &SlaveId) {
        self.agents.remove(&slave_id.value);
    }

    /// The pid of an agent running this framework's tasks.
    pub(super) fn agent(&self, slave_id: &SlaveId) -> Option<&UPID> {
        self.agents.get(&slave_id.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TaskId;

    fn id<T: Default>(f: impl FnOnce(&mut T)) -> T {
        let mut t = T::default();
        f(&mut t);
        t
    }

    #[test]
    fn keeps_the_agents_of_launched_tasks() {
        let pid = UPID::parse("slave(1)@127.0.0.1:5051").expect("a pid");
        let offer: OfferId = id(|o: &mut OfferId| o.value = "o1".into());
        let agent: SlaveId = id(|s: &mut SlaveId| s.value = "a1".into());
        let other: SlaveId = id(|s: &mut SlaveId| s.value = "a2".into());
        let mut pids = AgentPids::default();
        pids.offered(&offer, &agent, pid.clone());
        assert_eq!(None, pids.agent(&agent));

        let task = |slave_id: &SlaveId| TaskInfo {
            task_id: id(|t: &mut TaskId| t.value = "t".into()),
            slave_id: slave_id.clone(),
            ..TaskInfo::default()
        };
        let problems = pids.accepted(std::slice::from_ref(&offer), &[task(&agent), task(&other)]);
        assert_eq!(
            vec!["Attempting to launch task t with the wrong agent id a2".to_string()],
            problems
        );
        assert_eq!(Some(&pid), pids.agent(&agent));
        assert!(!pids.forget_offer(&offer));
        assert_eq!(
            vec!["Attempting to accept an unknown offer o1".to_string()],
            pids.accepted(std::slice::from_ref(&offer), &[])
        );

        pids.lost(&agent);
        assert_eq!(None, pids.agent(&agent));
    }
}
