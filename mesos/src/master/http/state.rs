//! The JSON of the master's classic read endpoints (Mesos'
//! `master/readonly_handler.cpp`): `/state`, `/state-summary`,
//! `/frameworks`, `/slaves`, `/tasks`, `/roles` and `/flags`, each a
//! function of the master's bookkeeping.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use crate::common::http::model;
use crate::common::protobuf_utils::framework::get_roles;
use crate::common::resource_quantities::ResourceQuantities;
use crate::common::resources::{convert_resource_format, ResourceFormat, Resources};
use crate::common::roles;
use crate::json::to_json;
use crate::master::{Framework, Master, Slave};
use crate::{FrameworkId, Offer, OfferId, SlaveId, Task, TaskState};

/// The fields `/state-summary` shows of a framework (Mesos'
/// `Summary<Framework>`).
pub fn framework_summary(framework: &Framework) -> Map<String, Value> {
    let info = &framework.info;
    let mut object = Map::new();
    object.insert("id".into(), json!(framework.id.value));
    object.insert("name".into(), json!(info.name));
    if let Some(pid) = framework.pid() {
        object.insert("pid".into(), json!(pid.to_string()));
    }
    let used = framework.total_used_resources();
    let offered = framework.total_offered_resources();
    object.insert("used_resources".into(), model::resources(used.iter()));
    object.insert("offered_resources".into(), model::resources(offered.iter()));
    let capabilities: Vec<_> = info
        .capabilities
        .iter()
        .map(|c| c.r#type().as_str_name())
        .collect();
    object.insert("capabilities".into(), json!(capabilities));
    object.insert("hostname".into(), json!(info.hostname()));
    object.insert("webui_url".into(), json!(info.webui_url()));
    object.insert("active".into(), json!(framework.active()));
    object.insert("connected".into(), json!(framework.connected()));
    object.insert("recovered".into(), json!(framework.recovered()));
    object
}

/// A framework as `/state` and `/frameworks` show it (Mesos'
/// `FullFrameworkWriter`), with its outstanding `offers`.
pub fn framework_full<'a>(
    framework: &Framework,
    offers: impl IntoIterator<Item = &'a Offer>,
) -> Value {
    let info = &framework.info;
    let mut object = framework_summary(framework);
    object.insert("user".into(), json!(info.user));
    object.insert("failover_timeout".into(), json!(info.failover_timeout()));
    object.insert("checkpoint".into(), json!(info.checkpoint()));
    object.insert(
        "registered_time".into(),
        json!(framework.registered_time.secs()),
    );
    object.insert(
        "unregistered_time".into(),
        json!(framework.unregistered_time.secs()),
    );
    if let Some(principal) = &info.principal {
        object.insert("principal".into(), json!(principal));
    }
    let resources = framework.total_used_resources() + framework.total_offered_resources();
    object.insert("resources".into(), model::resources(resources.iter()));
    if framework.registered_time != framework.reregistered_time {
        object.insert(
            "reregistered_time".into(),
            json!(framework.reregistered_time.secs()),
        );
    }
    if framework.capabilities.multi_role {
        object.insert("roles".into(), json!(info.roles));
    } else {
        object.insert("role".into(), json!(info.role()));
    }
    let tasks = |tasks: Vec<&Task>| Value::Array(tasks.into_iter().map(model::task).collect());
    object.insert("tasks".into(), tasks(framework.tasks.values().collect()));
    object.insert(
        "unreachable_tasks".into(),
        tasks(framework.unreachable_tasks.values().collect()),
    );
    object.insert(
        "completed_tasks".into(),
        tasks(framework.completed_tasks.iter().collect()),
    );
    let offers = offers.into_iter().map(model::offer).collect();
    object.insert("offers".into(), Value::Array(offers));
    let mut executors = Vec::new();
    for (slave_id, by_id) in &framework.executors {
        for executor in by_id.values() {
            let mut value = model::executor_info(executor);
            if let Value::Object(fields) = &mut value {
                fields.insert("slave_id".into(), json!(slave_id.value));
            }
            executors.push(value);
        }
    }
    object.insert("executors".into(), Value::Array(executors));
    if let Some(labels) = &info.labels {
        object.insert("labels".into(), model::labels(labels));
    }
    // Offer constraints come with a v1 subscription; none is `{}`.
    object.insert("offer_constraints".into(), json!({}));
    Value::Object(object)
}

/// An agent as `/state` and `/state-summary` show it (Mesos'
/// `SlaveWriter`).
pub fn slave(slave: &Slave, deactivated: bool) -> Map<String, Value> {
    let Value::Object(mut object) = model::slave_info(&slave.info) else {
        unreachable!("model::slave_info returns an object");
    };
    object.insert("pid".into(), json!(slave.pid.to_string()));
    object.insert(
        "registered_time".into(),
        json!(slave.registered_time.secs()),
    );
    if let Some(time) = slave.reregistered_time {
        object.insert("reregistered_time".into(), json!(time.secs()));
    }
    let total = &slave.total_resources;
    let used: Resources = slave.used_resources.values().sum();
    object.insert("resources".into(), model::resources(total.iter()));
    object.insert("used_resources".into(), model::resources(used.iter()));
    object.insert(
        "offered_resources".into(),
        model::resources(slave.offered_resources.iter()),
    );
    object.insert(
        "reserved_resources".into(),
        model::role_resources(&total.reservations()),
    );
    object.insert(
        "unreserved_resources".into(),
        model::resources(total.unreserved().iter()),
    );
    object.insert("active".into(), json!(slave.active));
    object.insert("deactivated".into(), json!(deactivated));
    object.insert("version".into(), json!(slave.version));
    let capabilities: Vec<_> = slave
        .capabilities
        .iter()
        .map(|c| c.r#type().as_str_name())
        .collect();
    object.insert("capabilities".into(), json!(capabilities));
    object
}

/// Resources as protobuf JSON in the endpoints' format (no `role` in
/// refined reservations; Mesos' `ENDPOINT`).
fn resources_full(resources: &Resources) -> Value {
    Value::Array(
        resources
            .iter()
            .map(|resource| {
                let mut resource = resource.clone();
                convert_resource_format(&mut resource, ResourceFormat::Endpoint);
                to_json(&resource)
            })
            .collect(),
    )
}

/// An agent as `/slaves` shows it: [`slave`] and its resources in full.
pub fn slave_full(agent: &Slave, deactivated: bool) -> Value {
    let mut object = slave(agent, deactivated);
    let reserved: Map<String, Value> = agent
        .total_resources
        .reservations()
        .iter()
        .map(|(role, resources)| (role.clone(), resources_full(resources)))
        .collect();
    object.insert("reserved_resources_full".into(), Value::Object(reserved));
    object.insert(
        "unreserved_resources_full".into(),
        resources_full(&agent.total_resources.unreserved()),
    );
    let used: Resources = agent.used_resources.values().sum();
    object.insert("used_resources_full".into(), resources_full(&used));
    object.insert(
        "offered_resources_full".into(),
        resources_full(&agent.offered_resources),
    );
    Value::Object(object)
}

impl Master {
    fn sorted_frameworks(&self) -> Vec<&Framework> {
        let mut frameworks: Vec<&Framework> = self.frameworks.values().collect();
        frameworks.sort_by(|a, b| a.id.value.cmp(&b.id.value));
        frameworks
    }

    fn sorted_slaves(&self) -> Vec<&Slave> {
        let mut slaves: Vec<&Slave> = self.slaves.registered.values().collect();
        slaves.sort_by(|a, b| a.id.value.cmp(&b.id.value));
        slaves
    }

    fn frameworks_json(&self, select: Option<&str>) -> (Value, Value) {
        let selected = |f: &&Framework| select.is_none_or(|id| f.id.value == id);
        let registered = self
            .sorted_frameworks()
            .into_iter()
            .filter(selected)
            .map(|f| framework_full(f, offers_of(&self.offers, f)))
            .collect();
        let completed = self
            .completed_frameworks
            .iter()
            .filter(selected)
            .map(|f| framework_full(f, std::iter::empty()))
            .collect();
        (Value::Array(registered), Value::Array(completed))
    }

    fn recovered_slaves_json(&self, select: Option<&str>) -> Value {
        let mut recovered: Vec<_> = self
            .slaves
            .recovered
            .iter()
            .filter(|(id, _)| select.is_none_or(|s| id.value == s))
            .collect();
        recovered.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        Value::Array(
            recovered
                .into_iter()
                .map(|(_, info)| model::slave_info(info))
                .collect(),
        )
    }

    /// `/flags`' object: every flag with a value, as text.
    pub(crate) fn flags_json(&self) -> Value {
        let flags = stout::FlagSet::with_values(self.flags.clone()).stringified();
        json!(flags)
    }

    /// `/master/state`.
    pub fn state_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("version".into(), json!(crate::MESOS_VERSION));
        let build = crate::version::build();
        object.insert("build_date".into(), json!(build.date));
        object.insert("build_time".into(), json!(build.time));
        object.insert("build_user".into(), json!(build.user));
        object.insert("start_time".into(), json!(self.start_time.secs()));
        if let Some(elected) = self.elected_time {
            object.insert("elected_time".into(), json!(elected.secs()));
        }
        object.insert("id".into(), json!(self.info.id));
        object.insert("pid".into(), json!(self.info.pid()));
        object.insert("hostname".into(), json!(self.info.hostname()));
        let capabilities: Vec<_> = self
            .info
            .capabilities
            .iter()
            .map(|c| c.r#type().as_str_name())
            .collect();
        object.insert("capabilities".into(), json!(capabilities));
        for (field, gauge) in [
            ("activated_slaves", "master/slaves_active"),
            ("deactivated_slaves", "master/slaves_inactive"),
            ("unreachable_slaves", "master/slaves_unreachable"),
        ] {
            object.insert(field.into(), json!(self.gauge(gauge)));
        }
        if let Some(domain) = &self.info.domain {
            object.insert("domain".into(), model::domain_info(domain));
        }
        // This master leads: there is no contender for it to lose to.
        object.insert("leader".into(), json!(self.info.pid()));
        object.insert("leader_info".into(), model::master_info(&self.info));
        if let Some(cluster) = &self.flags.cluster {
            object.insert("cluster".into(), json!(cluster));
        }
        if let Some(log_dir) = &self.flags.logging.log_dir {
            object.insert("log_dir".into(), json!(log_dir));
        }
        if let Some(file) = &self.flags.logging.external_log_file {
            object.insert("external_log_file".into(), json!(file));
        }
        object.insert("flags".into(), self.flags_json());
        let slaves = self
            .sorted_slaves()
            .into_iter()
            .map(|s| Value::Object(slave(s, false)))
            .collect();
        object.insert("slaves".into(), Value::Array(slaves));
        object.insert("recovered_slaves".into(), self.recovered_slaves_json(None));
        let (registered, completed) = self.frameworks_json(None);
        object.insert("frameworks".into(), registered);
        object.insert("completed_frameworks".into(), completed);
        // Kept empty for compatibility, as Mesos does.
        object.insert("orphan_tasks".into(), json!([]));
        object.insert("unregistered_frameworks".into(), json!([]));
        Value::Object(object)
    }

    /// `/master/frameworks`, of one framework with `framework_id`.
    pub fn frameworks_endpoint_json(&self, framework_id: Option<&str>) -> Value {
        let (registered, completed) = self.frameworks_json(framework_id);
        json!({
            "frameworks": registered,
            "completed_frameworks": completed,
            "unregistered_frameworks": [],
        })
    }

    /// `/master/slaves`, of one agent with `slave_id`.
    pub fn slaves_json(&self, slave_id: Option<&str>) -> Value {
        let slaves = self
            .sorted_slaves()
            .into_iter()
            .filter(|s| slave_id.is_none_or(|id| s.id.value == id))
            .map(|s| slave_full(s, false))
            .collect();
        json!({
            "slaves": Value::Array(slaves),
            "recovered_slaves": self.recovered_slaves_json(slave_id),
        })
    }

    /// `/master/state-summary`.
    pub fn state_summary_json(&self) -> Value {
        let mut by_framework: HashMap<&FrameworkId, (TaskCounts, BTreeSet<&str>)> = HashMap::new();
        let mut by_slave: HashMap<&SlaveId, (TaskCounts, BTreeSet<&str>)> = HashMap::new();
        for framework in self.frameworks.values() {
            let tasks = framework
                .tasks
                .values()
                .chain(framework.unreachable_tasks.values())
                .chain(framework.completed_tasks.iter());
            for task in tasks {
                let entry = by_framework.entry(&framework.id).or_default();
                entry.0.count(task.state());
                entry.1.insert(&task.slave_id.value);
                let entry = by_slave.entry(&task.slave_id).or_default();
                entry.0.count(task.state());
                entry.1.insert(&framework.id.value);
            }
        }
        let none = (TaskCounts::default(), BTreeSet::new());
        let slaves = self
            .sorted_slaves()
            .into_iter()
            .map(|s| {
                let mut object = slave(s, false);
                let (counts, frameworks) = by_slave.get(&s.id).unwrap_or(&none);
                counts.write(&mut object);
                object.insert("framework_ids".into(), json!(frameworks));
                Value::Object(object)
            })
            .collect();
        let frameworks = self
            .sorted_frameworks()
            .into_iter()
            .map(|f| {
                let mut object = framework_summary(f);
                let (counts, slaves) = by_framework.get(&f.id).unwrap_or(&none);
                counts.write(&mut object);
                object.insert("slave_ids".into(), json!(slaves));
                Value::Object(object)
            })
            .collect();
        let mut object = Map::new();
        object.insert("hostname".into(), json!(self.info.hostname()));
        if let Some(cluster) = &self.flags.cluster {
            object.insert("cluster".into(), json!(cluster));
        }
        object.insert("slaves".into(), Value::Array(slaves));
        object.insert("frameworks".into(), Value::Array(frameworks));
        Value::Object(object)
    }

    /// `/master/tasks`: the tasks of registered and completed frameworks
    /// (active, unreachable, completed), by their first status' time
    /// (`order` `asc`, else descending), `offset` and `limit` applied.
    pub fn tasks_json(&self, query: &TasksQuery) -> Value {
        let selected = |f: &&Framework| {
            query
                .framework_id
                .as_deref()
                .is_none_or(|id| f.id.value == id)
        };
        let mut tasks: Vec<&Task> = Vec::new();
        for framework in self
            .frameworks
            .values()
            .filter(selected)
            .chain(self.completed_frameworks.iter().filter(selected))
        {
            let all = framework
                .tasks
                .values()
                .chain(framework.unreachable_tasks.values())
                .chain(framework.completed_tasks.iter());
            tasks.extend(all.filter(|t| {
                query
                    .task_id
                    .as_deref()
                    .is_none_or(|id| t.task_id.value == id)
            }));
        }
        let started = |t: &Task| t.statuses.first().map(|s| s.timestamp.unwrap_or(0.0));
        // Tasks without statuses come first when ascending, last when not.
        tasks.sort_by(|a, b| {
            let (a, b) = (started(a), started(b));
            let ascending = a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal);
            if query.ascending {
                ascending
            } else {
                match (a, b) {
                    (None, None) => std::cmp::Ordering::Equal,
                    (None, _) => std::cmp::Ordering::Greater,
                    (_, None) => std::cmp::Ordering::Less,
                    _ => ascending.reverse(),
                }
            }
        });
        let tasks: Vec<Value> = tasks
            .into_iter()
            .skip(query.offset)
            .take(query.limit)
            .map(model::task)
            .collect();
        json!({ "tasks": tasks })
    }

    /// Roles with frameworks subscribed or allocated to them, roles
    /// reserved on agents, and their ancestors (Mesos' `knownRoles`);
    /// each with the frameworks in it.
    pub(crate) fn known_roles(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut known: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for framework in self.frameworks.values() {
            let allocated = framework
                .total_used_resources()
                .allocations()
                .into_keys()
                .chain(
                    framework
                        .total_offered_resources()
                        .allocations()
                        .into_keys(),
                );
            for role in get_roles(&framework.info).into_iter().chain(allocated) {
                known
                    .entry(role)
                    .or_default()
                    .insert(framework.id.value.clone());
            }
        }
        for slave in self.slaves.registered.values() {
            for role in slave.total_resources.reservations().into_keys() {
                known.entry(role).or_default();
            }
        }
        for role in self.weights().into_keys() {
            known.entry(role).or_default();
        }
        // A whitelist (`--roles`, with `*`) names all the roles there are.
        if let Some(whitelist) = &self.flags.roles {
            let allowed: BTreeSet<&str> =
                whitelist.split(',').map(str::trim).chain(["*"]).collect();
            known.retain(|role, _| allowed.contains(role.as_str()));
            for role in allowed {
                known.entry(role.to_string()).or_default();
            }
        }
        let roles: Vec<String> = known.keys().cloned().collect();
        for role in roles {
            for ancestor in roles::ancestors(&role) {
                known.entry(ancestor).or_default();
            }
        }
        known
    }

    /// What a role holds (Mesos' `RoleResourceBreakdown`): allocated,
    /// offered, reserved, and the quota it consumes.
    pub(crate) fn role_breakdown(&self, role: &str) -> RoleBreakdown {
        let frameworks = self.frameworks.values();
        let allocated = frameworks
            .clone()
            .map(|f| {
                ResourceQuantities::from_resources(
                    &f.total_used_resources().allocated_to_role_subtree(role),
                )
            })
            .sum();
        let offered = frameworks
            .map(|f| {
                ResourceQuantities::from_resources(
                    &f.total_offered_resources().allocated_to_role_subtree(role),
                )
            })
            .sum();
        let mut reserved = ResourceQuantities::default();
        let mut unallocated_reservation = ResourceQuantities::default();
        for slave in self.slaves.registered.values() {
            let total = ResourceQuantities::from_resources(
                &slave.total_resources.reserved_to_role_subtree(role),
            );
            let used: ResourceQuantities = slave
                .used_resources
                .values()
                .map(|r| ResourceQuantities::from_resources(&r.reserved_to_role_subtree(role)))
                .sum();
            reserved += &total;
            let mut unallocated = total;
            unallocated -= used;
            unallocated_reservation += unallocated;
        }
        RoleBreakdown {
            allocated,
            offered,
            reserved,
            unallocated_reservation,
        }
    }

    /// `--weights` (`role=weight,...`); entries that do not parse are
    /// left out.
    pub(crate) fn weights(&self) -> BTreeMap<String, f64> {
        let Some(weights) = &self.flags.weights else {
            return BTreeMap::new();
        };
        weights
            .split(',')
            .filter_map(|entry| {
                let (role, weight) = entry.split_once('=')?;
                Some((role.trim().to_string(), weight.trim().parse().ok()?))
            })
            .collect()
    }

    /// A role's weight (1 unless `--weights` gives one).
    pub(crate) fn weight(&self, role: &str) -> f64 {
        self.weights().get(role).copied().unwrap_or(1.0)
    }

    /// `/master/roles`.
    pub fn roles_json(&self) -> Value {
        let roles: Vec<Value> = self
            .known_roles()
            .into_iter()
            .map(|(name, frameworks)| {
                let breakdown = self.role_breakdown(&name);
                let mut resources = breakdown.allocated.clone();
                resources += &breakdown.offered;
                json!({
                    "name": name,
                    "weight": self.weight(&name),
                    "quota": {
                        "role": name,
                        "guarantee": {},
                        "limit": {},
                        "consumed": model::resource_quantities(&breakdown.consumed_quota()),
                    },
                    "resources": model::resource_quantities(&resources),
                    "allocated": model::resource_quantities(&breakdown.allocated),
                    "offered": model::resource_quantities(&breakdown.offered),
                    "reserved": model::resource_quantities(&breakdown.reserved),
                    "frameworks": frameworks,
                })
            })
            .collect();
        json!({ "roles": roles })
    }
}

/// What a role holds, as quantities.
#[derive(Debug)]
pub(crate) struct RoleBreakdown {
    pub(crate) allocated: ResourceQuantities,
    pub(crate) offered: ResourceQuantities,
    pub(crate) reserved: ResourceQuantities,
    unallocated_reservation: ResourceQuantities,
}

impl RoleBreakdown {
    /// Allocated, and reserved but not allocated.
    pub(crate) fn consumed_quota(&self) -> ResourceQuantities {
        let mut consumed = self.allocated.clone();
        consumed += &self.unallocated_reservation;
        consumed
    }
}

/// `/master/tasks`' query: `limit` (default 100), `offset`, `order`,
/// `framework_id`, `task_id`.
#[derive(Clone, Debug)]
pub struct TasksQuery {
    /// At most this many tasks.
    pub limit: usize,
    /// Skipping this many.
    pub offset: usize,
    /// Oldest first.
    pub ascending: bool,
    /// Only this framework's.
    pub framework_id: Option<String>,
    /// Only tasks with this ID.
    pub task_id: Option<String>,
}

/// The default `limit` of `/master/tasks` (Mesos' `TASK_LIMIT`).
pub const TASK_LIMIT: usize = 100;

impl TasksQuery {
    /// The query from the request's parameters; what does not parse as
    /// a number is its default, as Mesos takes it.
    pub fn parse(query: &BTreeMap<String, String>) -> TasksQuery {
        let number = |key: &str| query.get(key).and_then(|v| v.parse::<i32>().ok());
        TasksQuery {
            // A negative number wraps, as Mesos' `size_t` conversion does.
            limit: number("limit").map_or(TASK_LIMIT, |n| n as usize),
            offset: number("offset").map_or(0, |n| n as usize),
            ascending: query.get("order").is_some_and(|o| o == "asc"),
            framework_id: query.get("framework_id").cloned(),
            task_id: query.get("task_id").cloned(),
        }
    }
}

/// Tasks by state, as `/state-summary` counts them.
#[derive(Clone, Debug, Default)]
struct TaskCounts(BTreeMap<&'static str, usize>);

impl TaskCounts {
    fn count(&mut self, state: TaskState) {
        *self.0.entry(state.as_str_name()).or_default() += 1;
    }

    /// The counts Mesos reports (not DROPPED, GONE, GONE_BY_OPERATOR or
    /// UNKNOWN).
    fn write(&self, object: &mut Map<String, Value>) {
        for state in [
            TaskState::TaskStaging,
            TaskState::TaskStarting,
            TaskState::TaskRunning,
            TaskState::TaskKilling,
            TaskState::TaskFinished,
            TaskState::TaskKilled,
            TaskState::TaskFailed,
            TaskState::TaskLost,
            TaskState::TaskError,
            TaskState::TaskUnreachable,
        ] {
            let name = state.as_str_name();
            object.insert(name.into(), json!(self.0.get(name).copied().unwrap_or(0)));
        }
    }
}

/// The framework's outstanding offers.
pub(crate) fn offers_of<'a>(
    offers: &'a HashMap<OfferId, Offer>,
    framework: &'a Framework,
) -> impl Iterator<Item = &'a Offer> {
    framework.offers.iter().filter_map(|id| offers.get(id))
}
