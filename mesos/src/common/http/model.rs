//! The JSON shapes Mesos' classic endpoints (`/state`, `/tasks`, ...) give
//! its types (Mesos' `json(JSON::ObjectWriter*, const T&)` overloads in
//! `common/http.cpp`): resources as totals by name, attributes as a map,
//! tasks and executors with their own field names. Messages without an
//! overload there are `JSON::Protobuf` ([`crate::json::to_json`]).

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

use crate::common::resource_quantities::{ResourceLimits, ResourceQuantities};
use crate::common::resources::is_revocable;
use crate::json::to_json;
use crate::value::{Ranges, Scalar, Set, Type};
use crate::{
    Attribute, CommandInfo, ContainerStatus, DomainInfo, ExecutorInfo, Labels, MasterInfo,
    NetworkInfo, Offer, Resource, SlaveInfo, Task, TaskStatus,
};

/// Resources as totals by name: `cpus`, `gpus`, `mem` and `disk` always
/// (0 when absent), scalars summed, ranges and sets merged and printed;
/// revocable ones under `<name>_revocable`.
pub fn resources<'a>(resources: impl IntoIterator<Item = &'a Resource>) -> Value {
    let mut scalars: BTreeMap<String, f64> = ["cpus", "gpus", "mem", "disk"]
        .into_iter()
        .map(|name| (name.to_string(), 0.0))
        .collect();
    let mut ranges: BTreeMap<String, Ranges> = BTreeMap::new();
    let mut sets: BTreeMap<String, Set> = BTreeMap::new();
    for resource in resources {
        let name = if is_revocable(resource) {
            format!("{}_revocable", resource.name)
        } else {
            resource.name.clone()
        };
        match resource.r#type() {
            Type::Scalar => {
                *scalars.entry(name).or_default() +=
                    resource.scalar.as_ref().map_or(0.0, |s| s.value);
            }
            Type::Ranges => {
                *ranges.entry(name).or_default() += resource.ranges.clone().unwrap_or_default();
            }
            Type::Set => {
                *sets.entry(name).or_default() += resource.set.clone().unwrap_or_default();
            }
            Type::Text => {}
        }
    }
    let mut object = Map::new();
    for (name, value) in scalars {
        object.insert(name, json!(value));
    }
    for (name, value) in ranges {
        object.insert(name, json!(value.to_string()));
    }
    for (name, value) in sets {
        object.insert(name, json!(value.to_string()));
    }
    Value::Object(object)
}

/// Resources by role (`reserved_resources`), each as [`resources`].
pub fn role_resources(by_role: &HashMap<String, crate::Resources>) -> Value {
    Value::Object(
        by_role
            .iter()
            .map(|(role, r)| (role.clone(), resources(r.iter())))
            .collect(),
    )
}

/// Quantities by name (`/roles`' `allocated`, quota's `consumed`).
pub fn resource_quantities(quantities: &ResourceQuantities) -> Value {
    scalars(quantities.iter())
}

/// Limits by name (a quota's `limit`).
pub fn resource_limits(limits: &ResourceLimits) -> Value {
    scalars(limits.iter())
}

/// A task's `limits`: the value of each scalar by name.
pub fn scalar_map(map: &HashMap<String, Scalar>) -> Value {
    scalars(map.iter().map(|(name, scalar)| (name.as_str(), scalar)))
}

fn scalars<'a>(entries: impl Iterator<Item = (&'a str, &'a Scalar)>) -> Value {
    Value::Object(
        entries
            .map(|(name, scalar)| (name.to_string(), json!(scalar.value)))
            .collect(),
    )
}

/// Attributes as `{name: value}`: scalars as numbers, the others as
/// Mesos prints them.
pub fn attributes<'a>(attributes: impl IntoIterator<Item = &'a Attribute>) -> Value {
    let mut object = Map::new();
    for attribute in attributes {
        let value = match attribute.r#type() {
            Type::Scalar => json!(attribute.scalar.as_ref().map_or(0.0, |s| s.value)),
            Type::Ranges => json!(attribute.ranges.clone().unwrap_or_default().to_string()),
            Type::Set => json!(attribute.set.clone().unwrap_or_default().to_string()),
            Type::Text => json!(attribute.text.as_ref().map_or("", |t| t.value.as_str())),
        };
        object.insert(attribute.name.clone(), value);
    }
    Value::Object(object)
}

/// Labels as an array of `{key, value}` objects.
pub fn labels(labels: &Labels) -> Value {
    Value::Array(labels.labels.iter().map(to_json).collect())
}

fn network_info(info: &NetworkInfo) -> Value {
    let mut object = Map::new();
    if !info.groups.is_empty() {
        object.insert("groups".into(), json!(info.groups));
    }
    if let Some(l) = &info.labels {
        object.insert("labels".into(), labels(l));
    }
    if !info.ip_addresses.is_empty() {
        let addresses = info.ip_addresses.iter().map(to_json).collect();
        object.insert("ip_addresses".into(), Value::Array(addresses));
    }
    if let Some(name) = &info.name {
        object.insert("name".into(), json!(name));
    }
    if !info.port_mappings.is_empty() {
        let mappings = info.port_mappings.iter().map(to_json).collect();
        object.insert("port_mappings".into(), Value::Array(mappings));
    }
    Value::Object(object)
}

fn container_status(status: &ContainerStatus) -> Value {
    let mut object = Map::new();
    if let Some(id) = &status.container_id {
        object.insert("container_id".into(), to_json(id));
    }
    if !status.network_infos.is_empty() {
        let infos = status.network_infos.iter().map(network_info).collect();
        object.insert("network_infos".into(), Value::Array(infos));
    }
    if let Some(info) = &status.cgroup_info {
        object.insert("cgroup_info".into(), to_json(info));
    }
    Value::Object(object)
}

/// A task status: its state, timestamp, and labels, container status and
/// health when set.
pub fn task_status(status: &TaskStatus) -> Value {
    let mut object = Map::new();
    object.insert("state".into(), json!(status.state().as_str_name()));
    object.insert("timestamp".into(), json!(status.timestamp.unwrap_or(0.0)));
    if let Some(l) = &status.labels {
        object.insert("labels".into(), labels(l));
    }
    if let Some(s) = &status.container_status {
        object.insert("container_status".into(), container_status(s));
    }
    if let Some(healthy) = status.healthy {
        object.insert("healthy".into(), json!(healthy));
    }
    Value::Object(object)
}

/// The role a task's or executor's resources are allocated to (one role
/// per task, MESOS-6636).
fn allocation_role(resources: &[Resource]) -> Option<&str> {
    let first = resources.first()?;
    Some(first.allocation_info.as_ref().map_or("", |a| a.role()))
}

/// A task: IDs by value, state by name, resources as totals, its statuses.
pub fn task(task: &Task) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(task.task_id.value));
    object.insert("name".into(), json!(task.name));
    object.insert("framework_id".into(), json!(task.framework_id.value));
    let executor_id = task.executor_id.as_ref().map_or("", |e| e.value.as_str());
    object.insert("executor_id".into(), json!(executor_id));
    object.insert("slave_id".into(), json!(task.slave_id.value));
    object.insert("state".into(), json!(task.state().as_str_name()));
    object.insert("resources".into(), resources(&task.resources));
    if !task.limits.is_empty() {
        object.insert("limits".into(), scalar_map(&task.limits));
    }
    object.insert(
        "role".into(),
        json!(allocation_role(&task.resources).unwrap_or_default()),
    );
    let statuses = task.statuses.iter().map(task_status).collect();
    object.insert("statuses".into(), Value::Array(statuses));
    if let Some(user) = &task.user {
        object.insert("user".into(), json!(user));
    }
    if let Some(l) = &task.labels {
        object.insert("labels".into(), labels(l));
    }
    if let Some(discovery) = &task.discovery {
        object.insert("discovery".into(), to_json(discovery));
    }
    if let Some(container) = &task.container {
        object.insert("container".into(), to_json(container));
    }
    if let Some(check) = &task.health_check {
        object.insert("health_check".into(), to_json(check));
    }
    Value::Object(object)
}

/// A command: `shell` and `value` when set, `argv`, the environment as
/// protobuf JSON, the URIs' values and executable bits.
pub fn command_info(command: &CommandInfo) -> Value {
    let mut object = Map::new();
    if let Some(shell) = command.shell {
        object.insert("shell".into(), json!(shell));
    }
    if let Some(value) = &command.value {
        object.insert("value".into(), json!(value));
    }
    object.insert("argv".into(), json!(command.arguments));
    if let Some(environment) = &command.environment {
        object.insert("environment".into(), to_json(environment));
    }
    let uris = command
        .uris
        .iter()
        .map(|uri| json!({"value": uri.value, "executable": uri.executable()}))
        .collect();
    object.insert("uris".into(), Value::Array(uris));
    Value::Object(object)
}

/// An executor: IDs by value, its command and resources, the role of its
/// resources when it has any, labels and type when set.
pub fn executor_info(info: &ExecutorInfo) -> Value {
    let mut object = Map::new();
    object.insert("executor_id".into(), json!(info.executor_id.value));
    object.insert("name".into(), json!(info.name()));
    let framework_id = info.framework_id.as_ref().map_or("", |f| f.value.as_str());
    object.insert("framework_id".into(), json!(framework_id));
    let command = info.command.clone().unwrap_or_default();
    object.insert("command".into(), command_info(&command));
    object.insert("resources".into(), resources(&info.resources));
    if let Some(role) = allocation_role(&info.resources) {
        object.insert("role".into(), json!(role));
    }
    if let Some(l) = &info.labels {
        object.insert("labels".into(), labels(l));
    }
    if info.r#type.is_some() {
        object.insert("type".into(), json!(info.r#type().as_str_name()));
    }
    Value::Object(object)
}

/// A fault domain: the region's and zone's names.
pub fn domain_info(info: &DomainInfo) -> Value {
    let mut object = Map::new();
    if let Some(domain) = &info.fault_domain {
        object.insert(
            "fault_domain".into(),
            json!({
                "region": {"name": domain.region.name},
                "zone": {"name": domain.zone.name},
            }),
        );
    }
    Value::Object(object)
}

/// A master's ID, pid, port, hostname and domain (`leader_info`).
pub fn master_info(info: &MasterInfo) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(info.id));
    object.insert("pid".into(), json!(info.pid()));
    object.insert("port".into(), json!(info.port));
    object.insert("hostname".into(), json!(info.hostname()));
    if let Some(domain) = &info.domain {
        object.insert("domain".into(), domain_info(domain));
    }
    Value::Object(object)
}

/// An agent's ID, hostname, port, attributes and domain.
pub fn slave_info(info: &SlaveInfo) -> Value {
    let mut object = Map::new();
    let id = info.id.as_ref().map_or("", |id| id.value.as_str());
    object.insert("id".into(), json!(id));
    object.insert("hostname".into(), json!(info.hostname));
    object.insert("port".into(), json!(info.port()));
    object.insert("attributes".into(), attributes(&info.attributes));
    if let Some(domain) = &info.domain {
        object.insert("domain".into(), domain_info(domain));
    }
    Value::Object(object)
}

/// An offer: IDs by value, its allocation info, resources as totals.
pub fn offer(offer: &Offer) -> Value {
    let allocation = offer.allocation_info.clone().unwrap_or_default();
    json!({
        "id": offer.id.value,
        "framework_id": offer.framework_id.value,
        "allocation_info": to_json(&allocation),
        "slave_id": offer.slave_id.value,
        "resources": resources(&offer.resources),
    })
}
