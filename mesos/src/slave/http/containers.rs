//! What the agent's containers use and how they are (Mesos'
//! `Http::statistics`, `Http::containers` and `Slave::usage`): the
//! containerizer is asked for each running executor's container, and the
//! answers are shown as `/monitor/statistics`, `/containers` and the
//! operator API's `GET_CONTAINERS`.

use std::collections::HashSet;

use libprocess::http::help::{self, help};
use libprocess::http::{Request, Response};
use libprocess::{await_all, dispatch, Future, SelfPid};
use serde_json::{json, Map, Value};

use super::responses::sorted_executors;
use crate::agent::response::get_containers::Container;
use crate::common::http::ok_json;
use crate::common::protobuf_utils::get_root_container_id;
use crate::json::to_json;
use crate::slave::executor::ExecutorState;
use crate::slave::Slave;
use crate::{
    resource_usage, ContainerId, ContainerStatus, ExecutorInfo, ResourceStatistics, ResourceUsage,
};

/// `/monitor/statistics`' help.
pub fn statistics_help() -> String {
    help(
        &help::tldr("Retrieve resource monitoring information."),
        Some(&help::description(&[
            "Returns the current resource consumption data for containers",
            "running under this agent.",
        ])),
        Some(&help::authentication(true)),
        Some(&help::authorization(&[
            "The request principal should be authorized to query this endpoint.",
            "See the authorization documentation for details.",
        ])),
        None,
    )
}

/// `/containers`' help.
pub fn containers_help() -> String {
    help(
        &help::tldr("Retrieve container status and usage information."),
        Some(&help::description(&[
            "Returns the current resource consumption data and status for",
            "containers running under this slave.",
        ])),
        Some(&help::authentication(true)),
        Some(&help::authorization(&[
            "The request principal should be authorized to query this endpoint.",
            "See the authorization documentation for details.",
        ])),
        None,
    )
}

/// One container as `/containers` and `GET_CONTAINERS` show it: its
/// executor's (none for a nested container), and what the containerizer
/// said of it, when it could.
#[derive(Clone, Debug)]
pub struct ContainerEntry {
    /// The executor running in the container, if it is an executor's.
    pub executor: Option<ExecutorInfo>,
    /// The container.
    pub container_id: ContainerId,
    /// Its status, unless asking failed.
    pub status: Option<ContainerStatus>,
    /// Its usage, unless asking failed.
    pub statistics: Option<ResourceStatistics>,
}

impl ContainerEntry {
    /// `/containers`' JSON: the executor's IDs, name and source, the
    /// container ID by value, `status` and `statistics` when known.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        if let Some(info) = &self.executor {
            let framework_id = info.framework_id.as_ref().map_or("", |f| f.value.as_str());
            object.insert("framework_id".into(), json!(framework_id));
            object.insert("executor_id".into(), json!(info.executor_id.value));
            object.insert("executor_name".into(), json!(info.name()));
            object.insert("source".into(), json!(info.source()));
        }
        object.insert("container_id".into(), json!(self.container_id.value));
        if let Some(status) = &self.status {
            object.insert("status".into(), to_json(status));
        }
        if let Some(statistics) = &self.statistics {
            object.insert("statistics".into(), to_json(statistics));
        }
        Value::Object(object)
    }

    /// `GET_CONTAINERS`' entry (Mesos' `evolve<GET_CONTAINERS>`).
    pub fn to_container(&self) -> Container {
        Container {
            framework_id: self.executor.as_ref().and_then(|i| i.framework_id.clone()),
            executor_id: self.executor.as_ref().map(|i| i.executor_id.clone()),
            executor_name: self.executor.as_ref().map(|i| i.name().to_string()),
            container_id: self.container_id.clone(),
            container_status: self.status.clone(),
            resource_statistics: self.statistics.clone(),
        }
    }
}

/// Which containers to show.
#[derive(Clone, Debug, Default)]
pub struct ContainerFilter {
    /// Only this container (`/containers?container_id=`).
    pub container_id: Option<String>,
    /// Nested containers too.
    pub show_nested: bool,
}

impl ContainerFilter {
    fn accepts(&self, container_id: &ContainerId) -> bool {
        self.container_id
            .as_ref()
            .is_none_or(|id| *id == container_id.value)
    }
}

impl Slave {
    /// `/slave(1)/monitor/statistics`: each running executor's usage, at
    /// most twice a second.
    pub(super) fn statistics_endpoint(&mut self, request: Request) -> Future<Response> {
        let pid = self.self_pid();
        let permit = match &self.http.statistics_limiter {
            Some(limiter) => limiter.acquire(),
            None => Future::ready(()),
        };
        permit
            .then(move |()| dispatch(&pid, |slave: &mut Slave| slave.usage()).flatten())
            .map(move |usage| ok_json(&statistics_json(&usage), &request))
    }

    /// What each running executor's container uses (Mesos'
    /// `Slave::usage`), with the agent's total resources.
    pub fn usage(&self) -> Future<ResourceUsage> {
        let mut usage = ResourceUsage {
            total: self.total_resources().to_vec(),
            ..ResourceUsage::default()
        };
        let mut futures = Vec::new();
        for framework in self.sorted_frameworks() {
            for executor in sorted_executors(framework) {
                if executor.state == ExecutorState::Terminated {
                    continue;
                }
                let tasks = executor
                    .launched_tasks
                    .values()
                    .map(|task| resource_usage::executor::Task {
                        name: task.name.clone(),
                        id: task.task_id.clone(),
                        resources: task.resources.clone(),
                        labels: task.labels.clone(),
                    })
                    .collect();
                usage.executors.push(resource_usage::Executor {
                    executor_info: executor.info.clone(),
                    allocated: executor.allocated_resources().to_vec(),
                    container_id: executor.container_id.clone(),
                    tasks,
                    statistics: None,
                });
                futures.push(self.containerizer.usage(&executor.container_id));
            }
        }
        await_all(futures).map(move |futures| {
            for (executor, future) in usage.executors.iter_mut().zip(futures) {
                match future.value() {
                    Some(statistics) => executor.statistics = Some(statistics.clone()),
                    None => tracing::warn!(
                        "Failed to get resource statistics for executor '{}' of framework {}: {}",
                        executor.executor_info.executor_id.value,
                        executor
                            .executor_info
                            .framework_id
                            .as_ref()
                            .map_or("", |f| f.value.as_str()),
                        future.failure().unwrap_or("discarded")
                    ),
                }
            }
            usage
        })
    }

    /// `/slave(1)/containers`, of one container with `container_id`.
    pub(super) fn containers_endpoint(&mut self, request: Request) -> Future<Response> {
        let filter = ContainerFilter {
            container_id: request.url.query.get("container_id").cloned(),
            show_nested: false,
        };
        self.containers(filter).map(move |entries| {
            let entries = entries.iter().map(ContainerEntry::to_json).collect();
            ok_json(&Value::Array(entries), &request)
        })
    }

    /// The containers `filter` selects: running executors' containers,
    /// then the others the containerizer knows whose root container is a
    /// shown executor's, each with its status and usage (Mesos'
    /// `Http::__containers`; there are no standalone containers here).
    pub fn containers(&self, filter: ContainerFilter) -> Future<Vec<ContainerEntry>> {
        let pid = self.self_pid();
        self.containerizer.containers().then(move |ids| {
            dispatch(&pid, move |slave: &mut Slave| slave.ask(&ids, &filter)).flatten()
        })
    }

    /// The selected containers, asked for their status and usage.
    fn ask(
        &self,
        known: &HashSet<ContainerId>,
        filter: &ContainerFilter,
    ) -> Future<Vec<ContainerEntry>> {
        let mut entries = Vec::new();
        let mut executor_containers = HashSet::new();
        let mut shown_executor_containers = HashSet::new();
        for framework in self.sorted_frameworks() {
            for executor in sorted_executors(framework) {
                if executor.state == ExecutorState::Terminated {
                    continue;
                }
                let container_id = &executor.container_id;
                executor_containers.insert(container_id.clone());
                if !filter.accepts(container_id) {
                    continue;
                }
                shown_executor_containers.insert(container_id.clone());
                entries.push(ContainerEntry {
                    executor: Some(executor.info.clone()),
                    container_id: container_id.clone(),
                    status: None,
                    statistics: None,
                });
            }
        }
        let mut others: Vec<&ContainerId> = known
            .iter()
            .filter(|id| !executor_containers.contains(*id) && filter.accepts(id))
            .filter(|id| id.parent.is_none() || filter.show_nested)
            .filter(|id| shown_executor_containers.contains(&get_root_container_id(id)))
            .collect();
        others.sort_by(|a, b| a.value.cmp(&b.value));
        entries.extend(others.into_iter().map(|id| ContainerEntry {
            executor: None,
            container_id: id.clone(),
            status: None,
            statistics: None,
        }));

        let statuses: Vec<_> = entries
            .iter()
            .map(|e| self.containerizer.status(&e.container_id))
            .collect();
        let usages: Vec<_> = entries
            .iter()
            .map(|e| self.containerizer.usage(&e.container_id))
            .collect();
        await_all(statuses).then(move |statuses| {
            await_all(usages).map(move |usages| {
                for ((entry, status), usage) in entries.iter_mut().zip(statuses).zip(usages) {
                    entry.status = answer(&status, "container status", entry);
                    entry.statistics = answer(&usage, "resource statistics", entry);
                }
                entries
            })
        })
    }
}

/// The containerizer's answer, or `None` (logged) if it had none.
fn answer<T: Clone + Send + Sync + 'static>(
    future: &Future<T>,
    what: &str,
    entry: &ContainerEntry,
) -> Option<T> {
    if let Some(value) = future.value() {
        return Some(value.clone());
    }
    tracing::warn!(
        "Failed to get {} for container {}: {}",
        what,
        entry.container_id.value,
        future.failure().unwrap_or("discarded")
    );
    None
}

/// `/monitor/statistics`' JSON: each executor with statistics, by its
/// framework, ID, name and source.
pub fn statistics_json(usage: &ResourceUsage) -> Value {
    let entries = usage
        .executors
        .iter()
        .filter_map(|executor| {
            let statistics = executor.statistics.as_ref()?;
            let info = &executor.executor_info;
            let framework_id = info.framework_id.as_ref().map_or("", |f| f.value.as_str());
            Some(json!({
                "framework_id": framework_id,
                "executor_id": info.executor_id.value,
                "executor_name": info.name(),
                "source": info.source(),
                "statistics": to_json(statistics),
            }))
        })
        .collect();
    Value::Array(entries)
}
