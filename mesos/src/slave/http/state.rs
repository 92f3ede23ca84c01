//! The JSON of the agent's `/state` and `/flags` (Mesos' `Http::state`
//! with its `FrameworkWriter` and `ExecutorWriter`, and `Http::_flags`),
//! each a function of the agent's bookkeeping.

use std::collections::HashSet;
use std::net::IpAddr;

use libprocess::http::help::{self, help as help_text};
use libprocess::http::{Request, Response};
use libprocess::SelfPid;
use serde_json::{json, Map, Value};

use super::responses::sorted_executors;
use crate::common::http::{model, ok_json};
use crate::common::resources::{convert_resource_format, ResourceFormat};
use crate::json::to_json;
use crate::slave::executor::Executor;
use crate::slave::executor_info::get_executor_info;
use crate::slave::flags::Flags;
use crate::slave::framework::Framework;
use crate::slave::Slave;
use crate::{Resources, TaskInfo};

/// `/state`'s help.
pub fn help() -> String {
    help_text(
        &help::tldr("Information about state of the Agent."),
        Some(&help::description(&[
            "This endpoint shows information about the frameworks, executors",
            "and the agent's master as a JSON object.",
            "The information shown might be filtered based on the user",
            "accessing the endpoint.",
        ])),
        Some(&help::authentication(true)),
        Some(&help::authorization(&[
            "This endpoint might be filtered based on the user accessing it.",
            "For example a user might only see the subset of frameworks,",
            "tasks, and executors they are allowed to view.",
            "See the authorization documentation for details.",
        ])),
        None,
    )
}

/// `/flags`' help.
pub fn flags_help() -> String {
    help_text(
        &help::tldr("Exposes the agent's flag configuration."),
        None,
        Some(&help::authentication(true)),
        Some(&help::authorization(&[
            "The request principal should be authorized to view all flags.",
            "See the authorization documentation for details.",
        ])),
        None,
    )
}

/// A task the agent holds but has not launched (Mesos' `json(TaskInfo)`):
/// IDs by value, resources as totals, the role of its resources.
pub fn task_info(task: &TaskInfo) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(task.task_id.value));
    object.insert("name".into(), json!(task.name));
    object.insert("slave_id".into(), json!(task.slave_id.value));
    object.insert("resources".into(), model::resources(&task.resources));
    // One role per task (MESOS-6636).
    let role = task
        .resources
        .first()
        .and_then(|r| r.allocation_info.as_ref())
        .map_or("", |a| a.role());
    object.insert("role".into(), json!(role));
    if let Some(command) = &task.command {
        object.insert("command".into(), model::command_info(command));
    }
    if let Some(executor) = &task.executor {
        object.insert("executor_id".into(), json!(executor.executor_id.value));
    }
    if let Some(discovery) = &task.discovery {
        object.insert("discovery".into(), to_json(discovery));
    }
    Value::Object(object)
}

/// An executor as `/state` shows it (Mesos' `ExecutorWriter`): its
/// container and sandbox, what it uses, and its tasks by stage.
pub fn executor(executor: &Executor) -> Value {
    let info = &executor.info;
    let mut object = Map::new();
    object.insert("id".into(), json!(executor.id.value));
    object.insert("name".into(), json!(info.name()));
    object.insert("source".into(), json!(info.source()));
    object.insert("container".into(), json!(executor.container_id.value));
    object.insert("directory".into(), json!(executor.directory));
    let allocated = executor.allocated_resources();
    object.insert("resources".into(), model::resources(allocated.iter()));
    // Command executors have no resources of their own, hence no role.
    if let Some(first) = info.resources.first() {
        let role = first.allocation_info.as_ref().map_or("", |a| a.role());
        object.insert("role".into(), json!(role));
    }
    if let Some(labels) = &info.labels {
        object.insert("labels".into(), model::labels(labels));
    }
    if info.r#type.is_some() {
        object.insert("type".into(), json!(info.r#type().as_str_name()));
    }
    let launched = executor.launched_tasks.values().map(model::task).collect();
    object.insert("tasks".into(), Value::Array(launched));
    let queued = executor.queued_tasks.iter().map(task_info).collect();
    object.insert("queued_tasks".into(), Value::Array(queued));
    // Terminated tasks (not yet acknowledged) count as completed here.
    let completed = executor
        .completed_tasks
        .iter()
        .chain(executor.terminated_tasks.values())
        .map(model::task)
        .collect();
    object.insert("completed_tasks".into(), Value::Array(completed));
    Value::Object(object)
}

/// A framework as `/state` shows it (Mesos' `FrameworkWriter`).
pub fn framework(framework: &Framework) -> Value {
    let info = &framework.info;
    let mut object = Map::new();
    object.insert("id".into(), json!(framework.id().value));
    object.insert("name".into(), json!(info.name));
    object.insert("user".into(), json!(info.user));
    object.insert("failover_timeout".into(), json!(info.failover_timeout()));
    object.insert("checkpoint".into(), json!(info.checkpoint()));
    object.insert("hostname".into(), json!(info.hostname()));
    if let Some(principal) = &info.principal {
        object.insert("principal".into(), json!(principal));
    }
    // As the protobuf has it: `roles` for a multi-role framework.
    if framework.capabilities.multi_role {
        object.insert("roles".into(), json!(info.roles));
    } else {
        object.insert("role".into(), json!(info.role()));
    }
    let executors = sorted_executors(framework)
        .into_iter()
        .map(executor)
        .collect();
    object.insert("executors".into(), Value::Array(executors));
    let completed = framework.completed_executors.iter().map(executor).collect();
    object.insert("completed_executors".into(), Value::Array(completed));
    Value::Object(object)
}

/// What a framework's executors and pending tasks use, with the
/// executors the pending tasks will launch (Mesos'
/// `Framework::allocatedResources`).
fn framework_allocated(flags: &Flags, framework: &Framework) -> Resources {
    let mut allocated = Resources::default();
    for executor in framework.executors.values() {
        allocated += executor.allocated_resources();
    }
    let mut pending_executors = HashSet::new();
    for task in framework.pending_tasks.values().flatten() {
        allocated += Resources::from(task.resources.clone());
        let executor = get_executor_info(flags, &framework.info, task);
        let id = executor.executor_id.value.clone();
        if !framework.executors.contains_key(&id) && pending_executors.insert(id) {
            allocated += Resources::from(executor.resources);
        }
    }
    allocated
}

/// Resources as protobuf JSON in the endpoints' format.
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

/// The name `ip` has in DNS (Mesos' `net::getHostname`).
fn hostname_of(ip: IpAddr) -> Option<String> {
    dns_lookup::lookup_addr(&ip).ok()
}

impl Slave {
    /// Registered frameworks by ID.
    pub(crate) fn sorted_frameworks(&self) -> Vec<&Framework> {
        let mut frameworks: Vec<&Framework> = self.frameworks.values().collect();
        frameworks.sort_by(|a, b| a.id().value.cmp(&b.id().value));
        frameworks
    }

    /// The agent's total resources.
    pub(crate) fn total_resources(&self) -> Resources {
        Resources::from(self.info.resources.clone())
    }

    /// `/flags`' object: every flag with a value, as text.
    pub(crate) fn flags_json(&self) -> Value {
        json!(stout::FlagSet::with_values(self.flags.clone()).stringified())
    }

    /// `/slave(1)/flags`.
    pub fn flags_endpoint_json(&self) -> Value {
        json!({ "flags": self.flags_json() })
    }

    /// `/slave(1)/state`: `503` while recovering.
    pub(super) fn state_endpoint(&self, request: &Request) -> Response {
        if let Some(response) = self.unavailable_while_recovering() {
            return response;
        }
        ok_json(&self.state_json(), request)
    }

    /// `/slave(1)/state`'s JSON.
    pub fn state_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("version".into(), json!(crate::MESOS_VERSION));
        let build = crate::version::build();
        object.insert("build_date".into(), json!(build.date));
        object.insert("build_time".into(), json!(build.time));
        object.insert("build_user".into(), json!(build.user));
        object.insert("start_time".into(), json!(self.start_time.secs()));
        object.insert("id".into(), json!(self.slave_id().value));
        object.insert("pid".into(), json!(self.self_pid().upid().to_string()));
        object.insert("hostname".into(), json!(self.info.hostname));
        let capabilities: Vec<_> = self
            .capabilities
            .to_vec()
            .iter()
            .map(|c| c.r#type().as_str_name())
            .collect();
        object.insert("capabilities".into(), json!(capabilities));
        if let Some(domain) = &self.info.domain {
            object.insert("domain".into(), model::domain_info(domain));
        }

        let total = self.total_resources();
        object.insert("resources".into(), model::resources(total.iter()));
        object.insert(
            "reserved_resources".into(),
            model::role_resources(&total.reservations()),
        );
        object.insert(
            "unreserved_resources".into(),
            model::resources(total.unreserved().iter()),
        );
        let reserved_full: Map<String, Value> = total
            .reservations()
            .iter()
            .map(|(role, resources)| (role.clone(), resources_full(resources)))
            .collect();
        object.insert(
            "reserved_resources_full".into(),
            Value::Object(reserved_full),
        );
        object.insert(
            "unreserved_resources_full".into(),
            resources_full(&total.unreserved()),
        );
        let mut allocated = Resources::default();
        for framework in self.frameworks.values() {
            allocated += framework_allocated(&self.flags, framework);
        }
        object.insert(
            "reserved_resources_allocated".into(),
            model::role_resources(&allocated.reservations()),
        );
        object.insert(
            "unreserved_resources_allocated".into(),
            model::resources(allocated.unreserved().iter()),
        );
        // Resource providers come with their issue; none is `[]`.
        object.insert("resource_providers".into(), json!([]));
        object.insert(
            "attributes".into(),
            model::attributes(&self.info.attributes),
        );
        let master_ip = self.master.as_ref().map(|m| IpAddr::V4(*m.address().ip()));
        if let Some(hostname) = master_ip.and_then(hostname_of) {
            object.insert("master_hostname".into(), json!(hostname));
        }
        if let Some(log_dir) = &self.flags.logging.log_dir {
            object.insert("log_dir".into(), json!(log_dir));
        }
        if let Some(file) = &self.flags.logging.external_log_file {
            object.insert("external_log_file".into(), json!(file));
        }
        object.insert("flags".into(), self.flags_json());
        let frameworks = self
            .sorted_frameworks()
            .into_iter()
            .map(framework)
            .collect();
        object.insert("frameworks".into(), Value::Array(frameworks));
        let completed = self.completed_frameworks.iter().map(framework).collect();
        object.insert("completed_frameworks".into(), Value::Array(completed));
        Value::Object(object)
    }
}
