//! Mesos' `type_utils` (`include/mesos/type_utils.hpp`,
//! `src/common/type_utils.cpp`): how Mesos compares and prints its
//! protobuf types, where Rust's derives do not already do the same.
//!
//! What the derives already give, and so is not here:
//! - `FrameworkId`, `OfferId`, `SlaveId`, `TaskId`, `ExecutorId`,
//!   `OperationId`, `ResourceProviderId`, `Uuid`, `TimeInfo`,
//!   `DurationInfo`, `Label` and `Parameter` derive `Eq` and `Hash` over
//!   their fields, which for the IDs is Mesos' comparison and hash by
//!   `value`. (Mesos' `Label` comparison treats an unset value as `""`;
//!   [`labels_equal`] does too.)
//! - Messages Mesos compares by their serialized bytes or with protobuf's
//!   `MessageDifferencer::Equals` (`TaskInfo`, `CheckStatusInfo`,
//!   `HealthCheck`, `KillPolicy`, `Offer::Operation`, `Operation`, ...)
//!   compare the same field by field with the derived `PartialEq`.
//!
//! What is here: the comparisons that ignore the order of repeated
//! fields or some fields altogether (labels, task groups, executors with
//! their commands, containers and discovery info, `FrameworkInfo`
//! equivalence, machine IDs whose hostnames differ in case only).
//!
//! In `mesos_protos`, next to the generated types (only the crate that
//! defines a type may implement a standard trait for it): `Eq` and `Hash`
//! for `ContainerId` (prost derives only `PartialEq` for a message that
//! contains itself), and `Display` as Mesos prints: IDs by value, nested
//! container IDs as `parent.child`, states by name, UUIDs in canonical
//! form, machine IDs as `host (ip)`.

use crate::command_info::Uri;
use crate::common::resources::Resources;
use crate::container_info::docker_info::PortMapping;
use crate::container_info::DockerInfo;
use crate::environment::Variable;
use crate::{
    CommandInfo, ContainerInfo, DiscoveryInfo, Environment, ExecutorInfo, FrameworkInfo, Label,
    Labels, MachineId, Port, Ports, TaskGroupInfo, Volume,
};

/// Mesos' comparison of a repeated field whose order does not matter: as
/// many elements on each side, and each element of the left found on the
/// right. Like Mesos, it does not count duplicates (`[a, a]` equals
/// `[a, b]`); the messages compared this way hold no duplicates when
/// valid.
fn unordered_eq<T>(left: &[T], right: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    left.len() == right.len() && left.iter().all(|l| right.iter().any(|r| eq(l, r)))
}

/// Protobuf's comparison of a repeated field treated as a set, which
/// matches elements one to one: the same elements, as often, in any
/// order.
fn multiset_eq<T: PartialEq>(left: &[T], right: &[T]) -> bool {
    if left.len() != right.len() {
        return false;
    }
    let mut unmatched: Vec<&T> = right.iter().collect();
    for l in left {
        match unmatched.iter().position(|r| *r == l) {
            Some(index) => {
                unmatched.swap_remove(index);
            }
            None => return false,
        }
    }
    true
}

/// Compares two optional message fields as Mesos' C++ getters do: an
/// unset field reads as the message's default.
fn or_default_eq<T: Default>(left: Option<&T>, right: Option<&T>, eq: fn(&T, &T) -> bool) -> bool {
    match (left, right) {
        (Some(l), Some(r)) => eq(l, r),
        (None, None) => true,
        (Some(set), None) | (None, Some(set)) => eq(set, &T::default()),
    }
}

/// Mesos' `==` on labels: the same labels in any order, a label's unset
/// value reading as `""`.
pub fn labels_equal(left: &Labels, right: &Labels) -> bool {
    fn label_eq(left: &Label, right: &Label) -> bool {
        left.key == right.key && left.value() == right.value()
    }
    unordered_eq(&left.labels, &right.labels, label_eq)
}

/// Mesos' `==` on task groups: the same tasks in any order.
pub fn task_groups_equal(left: &TaskGroupInfo, right: &TaskGroupInfo) -> bool {
    unordered_eq(&left.tasks, &right.tasks, |l, r| l == r)
}

/// Mesos' `typeutils::equivalent`: whether two `FrameworkInfo`s are the
/// same but for the order of their capabilities and roles. (Mesos has no
/// `==` on `FrameworkInfo`, to make callers choose this.)
#[allow(deprecated)] // `role` is one of the fields compared.
pub fn equivalent(left: &FrameworkInfo, right: &FrameworkInfo) -> bool {
    // Every field is named (no `..`), so a field added to the schema is a
    // compile error here until it is compared: Mesos checks the field
    // count for the same reason.
    let FrameworkInfo {
        user,
        name,
        id,
        failover_timeout,
        checkpoint,
        role,
        roles,
        hostname,
        principal,
        webui_url,
        capabilities,
        labels,
        offer_filters,
    } = left;
    *user == right.user
        && *name == right.name
        && *id == right.id
        && *failover_timeout == right.failover_timeout
        && *checkpoint == right.checkpoint
        && *role == right.role
        && multiset_eq(roles, &right.roles)
        && *hostname == right.hostname
        && *principal == right.principal
        && *webui_url == right.webui_url
        && multiset_eq(capabilities, &right.capabilities)
        && *labels == right.labels
        && *offer_filters == right.offer_filters
}

/// Mesos' `==` on machine IDs: hostnames compared without regard to
/// case (each set or both unset), IPs exactly.
pub fn machine_ids_equal(left: &MachineId, right: &MachineId) -> bool {
    left.hostname.is_some() == right.hostname.is_some()
        && left.hostname().to_lowercase() == right.hostname().to_lowercase()
        && left.ip == right.ip
}

/// Mesos' `==` on executors, which the master uses to refuse a task whose
/// executor differs from the one already running under that ID: type,
/// ID, data, resources (as [`Resources`]), command, framework ID, name,
/// source, container and discovery info. Labels, shutdown grace period
/// and the rest are ignored.
#[allow(deprecated)] // Mesos still compares the deprecated `source`.
pub fn executor_infos_equal(left: &ExecutorInfo, right: &ExecutorInfo) -> bool {
    // An unset framework ID reads as one with an empty value.
    fn framework_id(executor: &ExecutorInfo) -> &str {
        executor
            .framework_id
            .as_ref()
            .map_or("", |id| id.value.as_str())
    }
    left.r#type == right.r#type
        && left.executor_id == right.executor_id
        && left.data() == right.data()
        && Resources::from(left.resources.as_slice()) == Resources::from(right.resources.as_slice())
        && or_default_eq(
            left.command.as_ref(),
            right.command.as_ref(),
            command_infos_equal,
        )
        && framework_id(left) == framework_id(right)
        && left.name() == right.name()
        && left.source() == right.source()
        && or_default_eq(
            left.container.as_ref(),
            right.container.as_ref(),
            container_infos_equal,
        )
        && or_default_eq(
            left.discovery.as_ref(),
            right.discovery.as_ref(),
            discovery_infos_equal,
        )
}

/// Mesos' `==` on commands: URIs and environment variables in any order,
/// arguments in order, value, user and shell. A URI's `cache` flag is
/// ignored: a file from the fetcher's cache is the same file.
pub fn command_infos_equal(left: &CommandInfo, right: &CommandInfo) -> bool {
    fn uri_eq(left: &Uri, right: &Uri) -> bool {
        left.value == right.value
            && left.executable() == right.executable()
            && left.extract() == right.extract()
            && left.output_file() == right.output_file()
    }
    unordered_eq(&left.uris, &right.uris, uri_eq)
        && left.arguments == right.arguments
        && or_default_eq(
            left.environment.as_ref(),
            right.environment.as_ref(),
            environments_equal,
        )
        && left.value() == right.value()
        && left.user() == right.user()
        && left.shell() == right.shell()
}

/// Mesos' `==` on environments: the same variables (name and value) in
/// any order.
fn environments_equal(left: &Environment, right: &Environment) -> bool {
    fn variable_eq(left: &Variable, right: &Variable) -> bool {
        left.name == right.name && left.value() == right.value()
    }
    unordered_eq(&left.variables, &right.variables, variable_eq)
}

/// Mesos' `==` on containers: volumes (container path, host path and
/// mode) in any order, type, hostname and Docker info. Mesos-containerizer
/// images, networks, Linux and rlimit info are ignored.
pub fn container_infos_equal(left: &ContainerInfo, right: &ContainerInfo) -> bool {
    fn volume_eq(left: &Volume, right: &Volume) -> bool {
        left.container_path == right.container_path
            && left.host_path() == right.host_path()
            && left.mode() == right.mode()
    }
    unordered_eq(&left.volumes, &right.volumes, volume_eq)
        && left.r#type() == right.r#type()
        && left.hostname() == right.hostname()
        && or_default_eq(
            left.docker.as_ref(),
            right.docker.as_ref(),
            docker_infos_equal,
        )
}

/// Mesos' `==` on Docker info: port mappings and parameters in any
/// order, image, network, privileged and force-pull. The volume driver is
/// ignored.
fn docker_infos_equal(left: &DockerInfo, right: &DockerInfo) -> bool {
    fn port_mapping_eq(left: &PortMapping, right: &PortMapping) -> bool {
        left.host_port == right.host_port
            && left.container_port == right.container_port
            && left.protocol() == right.protocol()
    }
    unordered_eq(&left.port_mappings, &right.port_mappings, port_mapping_eq)
        && unordered_eq(&left.parameters, &right.parameters, |l, r| l == r)
        && left.image == right.image
        && left.network() == right.network()
        && left.privileged() == right.privileged()
        && left.force_pull_image() == right.force_pull_image()
}

/// Mesos' `==` on discovery info: visibility, name, environment,
/// location, version, ports (in any order; their labels ignored) and
/// labels (in any order).
pub fn discovery_infos_equal(left: &DiscoveryInfo, right: &DiscoveryInfo) -> bool {
    fn ports_eq(left: &Ports, right: &Ports) -> bool {
        unordered_eq(&left.ports, &right.ports, port_eq)
    }
    fn port_eq(left: &Port, right: &Port) -> bool {
        left.number == right.number
            && left.name() == right.name()
            && left.protocol() == right.protocol()
            && left.visibility() == right.visibility()
    }
    left.visibility() == right.visibility()
        && left.name() == right.name()
        && left.environment() == right.environment()
        && left.location() == right.location()
        && left.version() == right.version()
        && or_default_eq(left.ports.as_ref(), right.ports.as_ref(), ports_eq)
        && or_default_eq(left.labels.as_ref(), right.labels.as_ref(), labels_equal)
}
