//! The operator API's answers about the master's state, as protobufs
//! (Mesos' `createAgentResponse`, `model(Framework)` and the
//! `ReadOnlyHandler::get*` builders): agents, frameworks, executors,
//! tasks, roles, the master itself, and all of them as `GET_STATE`.

use libprocess::Time;

use super::state::offers_of;
use crate::common::resources::{convert_resource_format, ResourceFormat, Resources};
use crate::master::response::{
    get_agents, get_executors, get_frameworks, GetAgents, GetExecutors, GetFlags, GetFrameworks,
    GetMaster, GetRoles, GetState, GetTasks,
};
use crate::master::{Framework, Master, Slave};
use crate::{Flag, FrameworkId, Offer, Resource, Role, TimeInfo};

/// The resources in the endpoints' format.
fn endpoint_format(resources: &Resources) -> Vec<Resource> {
    resources
        .iter()
        .map(|resource| {
            let mut resource = resource.clone();
            convert_resource_format(&mut resource, ResourceFormat::Endpoint);
            resource
        })
        .collect()
}

fn time_info(time: Time) -> TimeInfo {
    TimeInfo {
        nanoseconds: time.duration().ns(),
    }
}

/// An agent as `GET_AGENTS` lists it (Mesos' `createAgentResponse`).
pub fn agent(slave: &Slave, deactivated: bool) -> get_agents::Agent {
    let used: Resources = slave.used_resources.values().sum();
    get_agents::Agent {
        agent_info: slave.info.clone(),
        active: slave.active,
        deactivated: Some(deactivated),
        version: slave.version.clone(),
        pid: Some(slave.pid.to_string()),
        registered_time: Some(time_info(slave.registered_time)),
        reregistered_time: slave.reregistered_time.map(time_info),
        total_resources: endpoint_format(&slave.total_resources),
        allocated_resources: endpoint_format(&used),
        offered_resources: endpoint_format(&slave.offered_resources),
        capabilities: slave.capability_flags().to_vec(),
        ..get_agents::Agent::default()
    }
}

/// A framework as `GET_FRAMEWORKS` lists it (Mesos' `model(Framework)`):
/// times that are zero are left out.
pub fn framework<'a>(
    framework: &Framework,
    offers: impl IntoIterator<Item = &'a Offer>,
) -> get_frameworks::Framework {
    let time = |time: Time| (time != Time::EPOCH).then(|| time_info(time));
    get_frameworks::Framework {
        framework_info: framework.info.clone(),
        active: framework.active(),
        connected: framework.connected(),
        recovered: framework.recovered(),
        registered_time: time(framework.registered_time),
        unregistered_time: time(framework.unregistered_time),
        reregistered_time: time(framework.reregistered_time),
        offers: offers.into_iter().cloned().collect(),
        allocated_resources: endpoint_format(&framework.total_used_resources()),
        offered_resources: endpoint_format(&framework.total_offered_resources()),
        // Constraints come with v1 subscriptions; none is an empty message.
        offer_constraints: Some(Default::default()),
        ..get_frameworks::Framework::default()
    }
}

impl Master {
    /// Registered frameworks by ID, then completed ones oldest first.
    fn all_frameworks(&self) -> Vec<&Framework> {
        let mut registered: Vec<&Framework> = self.frameworks.values().collect();
        registered.sort_by(|a, b| a.id.value.cmp(&b.id.value));
        registered.extend(self.completed_frameworks.iter());
        registered
    }

    /// `GET_AGENTS`.
    pub fn get_agents(&self) -> GetAgents {
        let mut agents: Vec<&Slave> = self.slaves.registered.values().collect();
        agents.sort_by(|a, b| a.id.value.cmp(&b.id.value));
        GetAgents {
            agents: agents.into_iter().map(|s| agent(s, false)).collect(),
            recovered_agents: self.slaves.recovered.values().cloned().collect(),
        }
    }

    /// `GET_FRAMEWORKS`.
    pub fn get_frameworks(&self) -> GetFrameworks {
        let mut registered: Vec<&Framework> = self.frameworks.values().collect();
        registered.sort_by(|a, b| a.id.value.cmp(&b.id.value));
        GetFrameworks {
            frameworks: registered
                .into_iter()
                .map(|f| framework(f, offers_of(&self.offers, f)))
                .collect(),
            completed_frameworks: self
                .completed_frameworks
                .iter()
                .map(|f| framework(f, std::iter::empty()))
                .collect(),
            ..GetFrameworks::default()
        }
    }

    /// `GET_EXECUTORS`: the executors of registered and completed
    /// frameworks, with their agents.
    pub fn get_executors(&self) -> GetExecutors {
        let mut executors = Vec::new();
        for framework in self.all_frameworks() {
            for (slave_id, by_id) in &framework.executors {
                for info in by_id.values() {
                    executors.push(get_executors::Executor {
                        executor_info: info.clone(),
                        slave_id: slave_id.clone(),
                    });
                }
            }
        }
        GetExecutors {
            executors,
            ..GetExecutors::default()
        }
    }

    /// `GET_TASKS`: active, unreachable and completed tasks of registered
    /// and completed frameworks.
    pub fn get_tasks(&self) -> GetTasks {
        let mut tasks = GetTasks::default();
        for framework in self.all_frameworks() {
            tasks.tasks.extend(framework.tasks.values().cloned());
            tasks
                .unreachable_tasks
                .extend(framework.unreachable_tasks.values().cloned());
            tasks
                .completed_tasks
                .extend(framework.completed_tasks.iter().cloned());
        }
        tasks
    }

    /// `GET_STATE`.
    pub fn get_state(&self) -> GetState {
        GetState {
            get_tasks: Some(self.get_tasks()),
            get_executors: Some(self.get_executors()),
            get_frameworks: Some(self.get_frameworks()),
            get_agents: Some(self.get_agents()),
        }
    }

    /// `GET_ROLES`: each known role's weight, frameworks, and (deprecated)
    /// the cpus, mem, disk and gpus allocated or offered to it.
    pub fn get_roles(&self) -> GetRoles {
        let roles = self
            .known_roles()
            .into_iter()
            .map(|(name, frameworks)| {
                let breakdown = self.role_breakdown(&name);
                let mut held = breakdown.allocated.clone();
                held += &breakdown.offered;
                let resources = held
                    .iter()
                    .filter(|(name, _)| ["cpus", "mem", "disk", "gpus"].contains(name))
                    .map(|(name, scalar)| {
                        let mut resource = Resource {
                            name: name.to_string(),
                            scalar: Some(*scalar),
                            ..Resource::default()
                        };
                        resource.set_type(crate::value::Type::Scalar);
                        resource
                    })
                    .collect();
                Role {
                    weight: self.weight(&name),
                    name,
                    frameworks: frameworks
                        .into_iter()
                        .map(|value| FrameworkId { value })
                        .collect(),
                    resources,
                }
            })
            .collect();
        GetRoles { roles }
    }

    /// `GET_MASTER`.
    pub fn get_master(&self) -> GetMaster {
        GetMaster {
            master_info: Some(self.info.clone()),
            start_time: Some(self.start_time.secs()),
            elected_time: self.elected_time.map(|t| t.secs()),
        }
    }

    /// `GET_FLAGS`.
    pub fn get_flags(&self) -> GetFlags {
        let flags = stout::FlagSet::with_values(self.flags.clone()).stringified();
        GetFlags {
            flags: flags
                .into_iter()
                .map(|(name, value)| Flag {
                    name,
                    value: Some(value),
                })
                .collect(),
        }
    }
}
