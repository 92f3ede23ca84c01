//! Mesos' `protobuf::` helpers (`src/common/protobuf_utils.{hpp,cpp}`):
//! building the status updates, tasks, operations, labels and UUIDs the
//! master and agent exchange, reading capabilities, and moving allocation
//! info in and out of offer operations.
//!
//! Names are Mesos' in snake case. Where Mesos overloads a name, the
//! second variant says what it starts from (`create_status_update_from_status`,
//! `create_task_status_from`). Mesos' defaulted parameters are `Option`s,
//! or a `Default` options struct when there are many of them. Required
//! arguments are borrowed; optional ones are taken by value, as the
//! message keeps them.
//!
//! Timestamps come from libprocess' [`Clock`], so a paused clock in a
//! test is honoured. UUIDs in messages are the 16 raw bytes, as Mesos
//! puts them.

use std::collections::HashMap;

use bytes::Bytes;
use libprocess::{Clock, UPID};
use stout::{Error, Try};

use crate::common::resources::{get_resource_conversions, Resources};
use crate::framework_info::capability::Type as FrameworkCapability;
use crate::internal::{ResourceVersionUuid, StatusUpdate, UpdateOperationStatusMessage};
use crate::offer::operation::Type as OperationType;
use crate::resource::AllocationInfo;
use crate::task_status::{Reason, Source};
use crate::{
    offer, Address, CheckStatusInfo, ContainerId, ContainerStatus, ExecutorId, FrameworkId,
    FrameworkInfo, Label, Labels, MasterInfo, Operation, OperationId, OperationState,
    OperationStatus, Resource, ResourceProviderId, SlaveId, Task, TaskId, TaskInfo,
    TaskResourceLimitation, TaskState, TaskStatus, TimeInfo,
};

pub mod framework;
pub mod master;
pub mod slave;

/// Whether `framework` declares `capability`.
pub fn framework_has_capability(
    framework: &FrameworkInfo,
    capability: FrameworkCapability,
) -> bool {
    framework
        .capabilities
        .iter()
        .any(|c| c.r#type() == capability)
}

/// Whether a task in `state` is done for good: its resources are released
/// and it cannot become non-terminal again. `TASK_UNREACHABLE` releases
/// the resources but is not terminal: the task may come back.
pub fn is_terminal_state(state: TaskState) -> bool {
    match state {
        TaskState::TaskFinished
        | TaskState::TaskFailed
        | TaskState::TaskKilled
        | TaskState::TaskLost
        | TaskState::TaskError
        | TaskState::TaskDropped
        | TaskState::TaskGone
        | TaskState::TaskGoneByOperator => true,
        TaskState::TaskKilling
        | TaskState::TaskStaging
        | TaskState::TaskStarting
        | TaskState::TaskRunning
        | TaskState::TaskUnreachable
        | TaskState::TaskUnknown => false,
    }
}

/// Whether an operation in `state` is done for good.
pub fn is_terminal_operation_state(state: OperationState) -> bool {
    match state {
        OperationState::OperationDropped
        | OperationState::OperationError
        | OperationState::OperationFailed
        | OperationState::OperationFinished
        | OperationState::OperationGoneByOperator => true,
        OperationState::OperationPending
        | OperationState::OperationRecovering
        | OperationState::OperationUnknown
        | OperationState::OperationUnreachable
        | OperationState::OperationUnsupported => false,
    }
}

/// The optional parts of [`create_status_update`] (Mesos' defaulted
/// parameters of `createStatusUpdate`).
#[derive(Clone, Debug, Default)]
pub struct StatusUpdateOptions {
    /// `TaskStatus.message`; always set, empty by default.
    pub message: String,
    /// `TaskStatus.reason`.
    pub reason: Option<Reason>,
    /// `StatusUpdate.executor_id` (the status itself does not get it).
    pub executor_id: Option<ExecutorId>,
    /// `TaskStatus.healthy`.
    pub healthy: Option<bool>,
    /// `TaskStatus.check_status`.
    pub check_status: Option<CheckStatusInfo>,
    /// `TaskStatus.labels`.
    pub labels: Option<Labels>,
    /// `TaskStatus.container_status`.
    pub container_status: Option<ContainerStatus>,
    /// `TaskStatus.unreachable_time`.
    pub unreachable_time: Option<TimeInfo>,
    /// The resources whose limit the container hit
    /// (`TaskStatus.limitation`). Only a container-limitation `reason`
    /// (`REASON_CONTAINER_LIMITATION`, `_DISK`, `_MEMORY`) carries them;
    /// Mesos aborts on any other reason, here they are left out.
    pub limited_resources: Option<Resources>,
}

/// A status update for `task_id` in `state`, stamped with the clock's
/// time (both the update and its status). The `uuid` is needed for
/// updates that must be acknowledged: the agent's and the executors'; the
/// master's and the scheduler driver's go without.
pub fn create_status_update(
    framework_id: &FrameworkId,
    slave_id: Option<SlaveId>,
    task_id: &TaskId,
    state: TaskState,
    source: Source,
    uuid: Option<stout::Uuid>,
    options: StatusUpdateOptions,
) -> StatusUpdate {
    let StatusUpdateOptions {
        message,
        reason,
        executor_id,
        healthy,
        check_status,
        labels,
        container_status,
        unreachable_time,
        limited_resources,
    } = options;
    let timestamp = Clock::now().secs();
    let uuid = uuid.as_ref().map(uuid_bytes);
    let limitation = limited_resources
        .filter(|_| reason.is_some_and(is_container_limitation))
        .map(|resources| TaskResourceLimitation {
            resources: resources.to_vec(),
        });
    let status = TaskStatus {
        task_id: task_id.clone(),
        slave_id: slave_id.clone(),
        state: state as i32,
        source: Some(source as i32),
        message: Some(message),
        timestamp: Some(timestamp),
        uuid: uuid.clone(),
        reason: reason.map(|reason| reason as i32),
        healthy,
        check_status,
        labels,
        container_status,
        unreachable_time,
        limitation,
        ..TaskStatus::default()
    };
    StatusUpdate {
        framework_id: framework_id.clone(),
        executor_id,
        slave_id,
        status,
        timestamp,
        uuid,
        latest_state: None,
    }
}

/// Whether `reason` says the container hit a resource limit.
fn is_container_limitation(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::ContainerLimitation
            | Reason::ContainerLimitationDisk
            | Reason::ContainerLimitationMemory
    )
}

/// The update that carries `status` (an executor's): executor ID, UUID
/// and timestamp come from the status (the timestamp from the clock if
/// the status has none). The agent's `slave_id` goes on the update, and
/// on the status if the executor left it out.
pub fn create_status_update_from_status(
    framework_id: &FrameworkId,
    mut status: TaskStatus,
    slave_id: Option<SlaveId>,
) -> StatusUpdate {
    if status.slave_id.is_none() {
        status.slave_id = slave_id.clone();
    }
    StatusUpdate {
        framework_id: framework_id.clone(),
        executor_id: status.executor_id.clone(),
        slave_id,
        timestamp: status.timestamp.unwrap_or_else(|| Clock::now().secs()),
        uuid: status.uuid.clone(),
        status,
        latest_state: None,
    }
}

/// A new status with only what every status has: task, state, UUID and
/// timestamp.
pub fn create_task_status(
    task_id: &TaskId,
    state: TaskState,
    uuid: &stout::Uuid,
    timestamp: f64,
) -> TaskStatus {
    TaskStatus {
        task_id: task_id.clone(),
        state: state as i32,
        uuid: Some(uuid_bytes(uuid)),
        timestamp: Some(timestamp),
        ..TaskStatus::default()
    }
}

/// What [`create_task_status_from`] changes in the status it starts
/// from; `None` keeps the field as it was.
#[derive(Clone, Debug, Default)]
pub struct TaskStatusOverrides {
    /// `TaskStatus.state`.
    pub state: Option<TaskState>,
    /// `TaskStatus.message`.
    pub message: Option<String>,
    /// `TaskStatus.source`.
    pub source: Option<Source>,
    /// `TaskStatus.reason`.
    pub reason: Option<Reason>,
    /// `TaskStatus.data`.
    pub data: Option<Bytes>,
    /// `TaskStatus.healthy`.
    pub healthy: Option<bool>,
    /// `TaskStatus.check_status`.
    pub check_status: Option<CheckStatusInfo>,
    /// `TaskStatus.labels`.
    pub labels: Option<Labels>,
    /// `TaskStatus.container_status`.
    pub container_status: Option<ContainerStatus>,
    /// `TaskStatus.unreachable_time`.
    pub unreachable_time: Option<TimeInfo>,
}

/// A new status made from `status`: a new UUID and timestamp, the given
/// overrides, and everything else kept. Keeping the rest matters when a
/// status is sent only to deliver, say, a health change: the fields the
/// previous status delivered must not be lost. Task, agent and executor
/// IDs cannot be overridden.
pub fn create_task_status_from(
    mut status: TaskStatus,
    uuid: &stout::Uuid,
    timestamp: f64,
    overrides: TaskStatusOverrides,
) -> TaskStatus {
    let TaskStatusOverrides {
        state,
        message,
        source,
        reason,
        data,
        healthy,
        check_status,
        labels,
        container_status,
        unreachable_time,
    } = overrides;
    status.uuid = Some(uuid_bytes(uuid));
    status.timestamp = Some(timestamp);
    if let Some(state) = state {
        status.state = state as i32;
    }
    if let Some(source) = source {
        status.source = Some(source as i32);
    }
    if let Some(reason) = reason {
        status.reason = Some(reason as i32);
    }
    status.message = message.or(status.message);
    status.data = data.or(status.data);
    status.healthy = healthy.or(status.healthy);
    status.check_status = check_status.or(status.check_status);
    status.labels = labels.or(status.labels);
    status.container_status = container_status.or(status.container_status);
    status.unreachable_time = unreachable_time.or(status.unreachable_time);
    status
}

/// The master's record of `task`, launched by `framework_id`, now in
/// `state`. The user is the command's, else the executor command's.
pub fn create_task(task: &TaskInfo, state: TaskState, framework_id: &FrameworkId) -> Task {
    let executor_user = || {
        task.executor
            .as_ref()
            .and_then(|executor| executor.command.as_ref())
            .and_then(|command| command.user.clone())
    };
    Task {
        name: task.name.clone(),
        task_id: task.task_id.clone(),
        framework_id: framework_id.clone(),
        executor_id: task
            .executor
            .as_ref()
            .map(|executor| executor.executor_id.clone()),
        slave_id: task.slave_id.clone(),
        state: state as i32,
        resources: task.resources.clone(),
        labels: task.labels.clone(),
        discovery: task.discovery.clone(),
        container: task.container.clone(),
        health_check: task.health_check.clone(),
        kill_policy: task.kill_policy,
        user: task
            .command
            .as_ref()
            .and_then(|command| command.user.clone())
            .or_else(executor_user),
        limits: task.limits.clone(),
        ..Task::default()
    }
}

// A task keeps the latest status of each state, in the order they came,
// so its last status is either terminal (where health and checks no
// longer matter) or its latest TASK_RUNNING one.

/// The task's health, as its last status gives it.
pub fn get_task_health(task: &Task) -> Option<bool> {
    task.statuses.last().and_then(|status| status.healthy)
}

/// The task's check status, as its last status gives it.
pub fn get_task_check_status(task: &Task) -> Option<CheckStatusInfo> {
    task.statuses.last().and_then(|status| status.check_status)
}

/// The container status of the latest status that has one.
pub fn get_task_container_status(task: &Task) -> Option<&ContainerStatus> {
    task.statuses
        .iter()
        .rev()
        .find_map(|status| status.container_status.as_ref())
}

/// An operation status in `state` with whichever fields are given.
pub fn create_operation_status(
    state: OperationState,
    operation_id: Option<OperationId>,
    message: Option<String>,
    converted_resources: Option<Resources>,
    uuid: Option<stout::Uuid>,
    slave_id: Option<SlaveId>,
    resource_provider_id: Option<ResourceProviderId>,
) -> OperationStatus {
    OperationStatus {
        operation_id,
        state: state as i32,
        message,
        converted_resources: converted_resources
            .map(|resources| resources.to_vec())
            .unwrap_or_default(),
        uuid: uuid.map(|uuid| create_uuid(Some(uuid))),
        slave_id,
        resource_provider_id,
    }
}

/// The record of operation `info` whose latest status is `latest_status`,
/// under `uuid` (a random one if none is given).
pub fn create_operation(
    info: &offer::Operation,
    latest_status: &OperationStatus,
    framework_id: Option<FrameworkId>,
    slave_id: Option<SlaveId>,
    uuid: Option<crate::Uuid>,
) -> Operation {
    Operation {
        framework_id,
        slave_id,
        info: info.clone(),
        latest_status: latest_status.clone(),
        statuses: Vec::new(),
        uuid: uuid.unwrap_or_else(|| create_uuid(None)),
    }
}

/// The message that reports `status` of operation `operation_uuid`.
pub fn create_update_operation_status_message(
    operation_uuid: &crate::Uuid,
    status: &OperationStatus,
    latest_status: Option<OperationStatus>,
    framework_id: Option<FrameworkId>,
    slave_id: Option<SlaveId>,
) -> UpdateOperationStatusMessage {
    UpdateOperationStatusMessage {
        framework_id,
        slave_id,
        status: status.clone(),
        latest_status,
        operation_uuid: Some(operation_uuid.clone()),
    }
}

/// `uuid` (a random one if none is given) as the `UUID` message.
pub fn create_uuid(uuid: Option<stout::Uuid>) -> crate::Uuid {
    crate::Uuid {
        value: uuid_bytes(&uuid.unwrap_or_else(libprocess::random::uuid)),
    }
}

/// A UUID as messages carry it: its 16 raw bytes.
fn uuid_bytes(uuid: &stout::Uuid) -> Bytes {
    Bytes::copy_from_slice(&uuid.to_bytes())
}

/// The `MasterInfo` an agent or scheduler makes up for a master it knows
/// only by `pid` (`--master=master@10.0.0.5:5050`, no ZooKeeper): the ID
/// is the PID and a random UUID, the IP is in network byte order (as
/// Mesos stores it, MESOS-1201). `hostname` is the name the PID's IP
/// resolves to, if the caller found one (Mesos looks it up itself).
pub fn create_master_info(pid: &UPID, hostname: Option<String>) -> MasterInfo {
    let address = pid.address();
    MasterInfo {
        id: format!("{}-{}", pid, libprocess::random::uuid()),
        ip: u32::from_ne_bytes(address.ip().octets()),
        port: u32::from(address.port()),
        pid: Some(pid.to_string()),
        hostname: hostname.clone(),
        address: Some(Address {
            hostname,
            ip: Some(address.ip().to_string()),
            port: i32::from(address.port()),
        }),
        capabilities: master::master_capabilities(),
        ..MasterInfo::default()
    }
}

/// A label `key`, with `value` if given.
pub fn create_label(key: &str, value: Option<&str>) -> Label {
    Label {
        key: key.to_string(),
        value: value.map(str::to_string),
    }
}

/// One label per entry of a string map (a `map<string, string>` field),
/// in the map's order.
pub fn convert_string_map_to_labels<'a>(
    map: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Labels {
    Labels {
        labels: map
            .into_iter()
            .map(|(key, value)| create_label(key, Some(value)))
            .collect(),
    }
}

/// The labels as a string map; each key must appear once and have a
/// value.
pub fn convert_labels_to_string_map(labels: &Labels) -> Try<HashMap<String, String>> {
    let mut map = HashMap::with_capacity(labels.labels.len());
    for label in &labels.labels {
        if map.contains_key(&label.key) {
            return Err(Error::new(format!(
                "Repeated key '{}' in labels",
                label.key
            )));
        }
        let Some(value) = &label.value else {
            return Err(Error::new(format!(
                "Missing value for key '{}' in labels",
                label.key
            )));
        };
        map.insert(label.key.clone(), value.clone());
    }
    Ok(map)
}

/// Gives every resource of `operation` that has no allocation info
/// `allocation_info`. Old schedulers and tools send operations without
/// it, so the master fills in the offer's.
pub fn inject_allocation_info(operation: &mut offer::Operation, allocation_info: &AllocationInfo) {
    visit_resources(operation, &mut |resource: &mut Resource| {
        if resource.allocation_info.is_none() {
            resource.allocation_info = Some(allocation_info.clone());
        }
    });
}

/// Clears the allocation info of every resource of `operation`.
pub fn strip_allocation_info(operation: &mut offer::Operation) {
    visit_resources(operation, &mut |resource: &mut Resource| {
        resource.allocation_info = None
    });
}

/// Calls `visit` on the resources an operation of its type carries:
/// tasks' and executors' for launches, those reserved or unreserved,
/// volumes created or destroyed, grown or shrunk, disks' sources. A part
/// the type needs but the operation lacks is skipped (Mesos would create
/// it empty; validation rejects such an operation anyway).
fn visit_resources(operation: &mut offer::Operation, visit: &mut dyn FnMut(&mut Resource)) {
    fn tasks(tasks: &mut [TaskInfo], visit: &mut dyn FnMut(&mut Resource)) {
        for task in tasks {
            task.resources.iter_mut().for_each(&mut *visit);
            if let Some(executor) = &mut task.executor {
                executor.resources.iter_mut().for_each(&mut *visit);
            }
        }
    }

    match operation.r#type() {
        OperationType::Launch => {
            if let Some(launch) = &mut operation.launch {
                tasks(&mut launch.task_infos, visit);
            }
        }
        OperationType::LaunchGroup => {
            if let Some(launch_group) = &mut operation.launch_group {
                launch_group
                    .executor
                    .resources
                    .iter_mut()
                    .for_each(&mut *visit);
                tasks(&mut launch_group.task_group.tasks, visit);
            }
        }
        OperationType::Reserve => {
            if let Some(reserve) = &mut operation.reserve {
                reserve.resources.iter_mut().for_each(visit);
            }
        }
        OperationType::Unreserve => {
            if let Some(unreserve) = &mut operation.unreserve {
                unreserve.resources.iter_mut().for_each(visit);
            }
        }
        OperationType::Create => {
            if let Some(create) = &mut operation.create {
                create.volumes.iter_mut().for_each(visit);
            }
        }
        OperationType::Destroy => {
            if let Some(destroy) = &mut operation.destroy {
                destroy.volumes.iter_mut().for_each(visit);
            }
        }
        OperationType::GrowVolume => {
            if let Some(grow) = &mut operation.grow_volume {
                visit(&mut grow.volume);
                visit(&mut grow.addition);
            }
        }
        OperationType::ShrinkVolume => {
            if let Some(shrink) = &mut operation.shrink_volume {
                visit(&mut shrink.volume);
            }
        }
        OperationType::CreateDisk => {
            if let Some(create_disk) = &mut operation.create_disk {
                visit(&mut create_disk.source);
            }
        }
        OperationType::DestroyDisk => {
            if let Some(destroy_disk) = &mut operation.destroy_disk {
                visit(&mut destroy_disk.source);
            }
        }
        OperationType::Unknown => {}
    }
}

/// Whether the master applies `operation` to its books right away
/// instead of waiting for the agent: reservations and volumes (growing
/// and shrinking too, until the operator API can do them otherwise), not
/// launches nor disk conversions. Mesos aborts on an `UNKNOWN` operation;
/// here it is not speculative.
pub fn is_speculative_operation(operation: &offer::Operation) -> bool {
    match operation.r#type() {
        OperationType::Reserve
        | OperationType::Unreserve
        | OperationType::Create
        | OperationType::Destroy
        | OperationType::GrowVolume
        | OperationType::ShrinkVolume => true,
        OperationType::Launch
        | OperationType::LaunchGroup
        | OperationType::CreateDisk
        | OperationType::DestroyDisk
        | OperationType::Unknown => false,
    }
}

/// The resources `operation` takes from the agent: a disk's source, or
/// what its conversions consume. Launches are not supported.
pub fn get_consumed_resources(operation: &offer::Operation) -> Try<Resources> {
    match operation.r#type() {
        OperationType::CreateDisk => Ok(operation
            .create_disk
            .as_ref()
            .map(|create_disk| Resources::from(create_disk.source.clone()))
            .unwrap_or_default()),
        OperationType::DestroyDisk => Ok(operation
            .destroy_disk
            .as_ref()
            .map(|destroy_disk| Resources::from(destroy_disk.source.clone()))
            .unwrap_or_default()),
        OperationType::Reserve
        | OperationType::Unreserve
        | OperationType::Create
        | OperationType::Destroy
        | OperationType::GrowVolume
        | OperationType::ShrinkVolume => {
            let mut consumed = Resources::new();
            for conversion in get_resource_conversions(operation)? {
                consumed += conversion.consumed;
            }
            Ok(consumed)
        }
        OperationType::Launch | OperationType::LaunchGroup | OperationType::Unknown => {
            Err(Error::new("Unsupported operation"))
        }
    }
}

/// The resource versions as the repeated field of a message: one entry
/// per resource provider, and one without a provider for the agent's own
/// resources.
pub fn create_resource_versions(
    versions: &HashMap<Option<ResourceProviderId>, crate::Uuid>,
) -> Vec<ResourceVersionUuid> {
    versions
        .iter()
        .map(|(resource_provider_id, uuid)| ResourceVersionUuid {
            resource_provider_id: resource_provider_id.clone(),
            uuid: uuid.clone(),
        })
        .collect()
}

/// The resource versions a message carries, by resource provider. Two
/// versions for the same provider are an error (Mesos aborts).
pub fn parse_resource_versions(
    entries: &[ResourceVersionUuid],
) -> Try<HashMap<Option<ResourceProviderId>, crate::Uuid>> {
    let mut versions = HashMap::with_capacity(entries.len());
    for entry in entries {
        let provider = entry.resource_provider_id.clone();
        if versions.contains_key(&provider) {
            return Err(Error::new(match &provider {
                Some(id) => format!("Repeated resource version for resource provider {}", id),
                None => "Repeated resource version for the agent's resources".to_string(),
            }));
        }
        versions.insert(provider, entry.uuid.clone());
    }
    Ok(versions)
}

/// The clock's time now, as a `TimeInfo`.
pub fn get_current_time() -> TimeInfo {
    TimeInfo {
        nanoseconds: Clock::now().duration().ns(),
    }
}

/// The top-level container `container_id` is nested in (itself if it is
/// one).
pub fn get_root_container_id(container_id: &ContainerId) -> ContainerId {
    let mut root = container_id;
    while let Some(parent) = &root.parent {
        root = parent;
    }
    root.clone()
}

/// The container ID that prints as `value`: `parent.child` is `child`
/// nested in `parent`.
pub fn parse_container_id(value: &str) -> ContainerId {
    value
        .split('.')
        .fold(None, |parent: Option<ContainerId>, token| {
            Some(ContainerId {
                value: token.to_string(),
                parent: parent.map(Box::new),
            })
        })
        // `split` yields at least one token, so this default is never used.
        .unwrap_or_default()
}
