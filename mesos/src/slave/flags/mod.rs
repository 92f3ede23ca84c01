//! The agent's flags (Mesos' `slave/flags.cpp`, with the logging flags
//! every Mesos daemon has): Mesos 1.11's names, help texts and defaults,
//! including the flags of features this build does not have yet, so that
//! a command line written for Mesos parses.

mod define_a;
mod define_b;
mod define_c;

use std::borrow::Cow;
use std::path::PathBuf;

use stout::flags::FlagValue;
use stout::{Bytes, Duration, Error, FlagSet, Try};

use crate::json::Reflect;
use crate::slave::constants::*;
use crate::{AcLs, CapabilityInfo, ContainerInfo, DeviceWhitelist, DomainInfo, Modules};

/// The agent's flags (Mesos' `mesos::internal::slave::Flags`). Load them
/// with a [`FlagSet`]: `FlagSet::<Flags>::new().load(Some("MESOS_"), args)`.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// The logging flags (`--quiet`, `--logging_level`, `--log_dir`, ...).
    pub logging: crate::logging::Flags,
    /// `--hostname`: The hostname the agent should report.
    pub hostname: Option<String>,
    /// `--hostname_lookup`: Whether we should execute a lookup to find out the server's ...
    pub hostname_lookup: bool,
    /// `--version`: Show version and exit.
    pub version: bool,
    /// `--resources`: Total consumable resources per agent.
    pub resources: Option<String>,
    /// `--resource_provider_config_dir`: Path to a directory that contains local resource provider configs.
    pub resource_provider_config_dir: Option<String>,
    /// `--csi_plugin_config_dir`: Path to a directory that contains CSI plugin configs.
    pub csi_plugin_config_dir: Option<String>,
    /// `--disk_profile_adaptor`: The name of the disk profile adaptor module that storage ...
    pub disk_profile_adaptor: Option<String>,
    /// `--isolation`: Isolation mechanisms to use, e.g., `posix/cpu,posix/mem` ...
    pub isolation: String,
    /// `--launcher`: The launcher to be used for Mesos containerizer.
    pub launcher: String,
    /// `--image_providers`: Comma-separated list of supported image providers, e.g., ...
    pub image_providers: Option<String>,
    /// `--image_provisioner_backend`: Strategy for provisioning container rootfs from images, ...
    pub image_provisioner_backend: Option<String>,
    /// `--image_gc_config`: JSON-formatted configuration for automatic container image ...
    pub image_gc_config: Option<serde_json::Value>,
    /// `--appc_simple_discovery_uri_prefix`: URI prefix to be used for simple discovery of appc images, ...
    pub appc_simple_discovery_uri_prefix: String,
    /// `--appc_store_dir`: Directory the appc provisioner will store images in.
    pub appc_store_dir: String,
    /// `--docker_registry`: The default url for Mesos containerizer to pull Docker images.
    pub docker_registry: String,
    /// `--docker_store_dir`: Directory the Docker provisioner will store images in
    pub docker_store_dir: String,
    /// `--docker_volume_checkpoint_dir`: The root directory where we checkpoint the information ...
    pub docker_volume_checkpoint_dir: String,
    /// `--docker_volume_chown`: Whether to chown the docker volume's mount point ...
    pub docker_volume_chown: bool,
    /// `--docker_ignore_runtime`: Ignore any runtime configuration specified in the Docker image.
    pub docker_ignore_runtime: bool,
    /// `--default_role`: Any resources in the `--resources` flag that omit a role, ...
    pub default_role: String,
    /// `--attributes`: Attributes of the agent machine, in the form:
    pub attributes: Option<String>,
    /// `--fetcher_cache_size`: Size of the fetcher cache in Bytes.
    pub fetcher_cache_size: Bytes,
    /// `--fetcher_cache_dir`: Directory for the fetcher cache.
    pub fetcher_cache_dir: String,
    /// `--fetcher_stall_timeout`: Amount of time for the fetcher to wait before considering a ...
    pub fetcher_stall_timeout: Duration,
    /// `--work_dir`: Path of the agent work directory.
    pub work_dir: String,
    /// `--runtime_dir`: Path of the agent runtime directory.
    pub runtime_dir: String,
    /// `--launcher_dir`: Directory path of Mesos binaries.
    pub launcher_dir: String,
    /// `--hadoop_home`: Path to find Hadoop installed (for fetching framework ...
    pub hadoop_home: Option<String>,
    /// `--switch_user`: If set to `true`, the agent will attempt to run tasks as ...
    pub switch_user: bool,
    /// `--volume_gid_range`: When this flag is specified, if a task running as non-root ...
    pub volume_gid_range: Option<String>,
    /// `--http_heartbeat_interval`: This flag sets a heartbeat interval (e.g.
    pub http_heartbeat_interval: Duration,
    /// `--frameworks_home`: Directory path prepended to relative executor URIs
    pub frameworks_home: String,
    /// `--registration_backoff_factor`: Agent initially picks a random amount of time between `[0, ...
    pub registration_backoff_factor: Duration,
    /// `--authentication_backoff_factor`: The agent will time out its authentication with the master ...
    pub authentication_backoff_factor: Duration,
    /// `--authentication_timeout_min`: The minimum amount of time the agent waits before retrying ...
    pub authentication_timeout_min: Duration,
    /// `--authentication_timeout_max`: The maximum amount of time the agent waits before retrying ...
    pub authentication_timeout_max: Duration,
    /// `--executor_environment_variables`: JSON object representing the environment variables that ...
    pub executor_environment_variables: Option<serde_json::Value>,
    /// `--executor_registration_timeout`: Amount of time to wait for an executor to register with the ...
    pub executor_registration_timeout: Duration,
    /// `--executor_reregistration_timeout`: The timeout within which an executor is expected to ...
    pub executor_reregistration_timeout: Duration,
    /// `--executor_reregistration_retry_interval`: For PID-based executors, how long the agent waits before ...
    pub executor_reregistration_retry_interval: Option<Duration>,
    /// `--executor_shutdown_grace_period`: Default amount of time to wait for an executor to shut down (e.g.
    pub executor_shutdown_grace_period: Duration,
    /// `--jwt_secret_key`: Path to a file containing the key used when generating JWT secrets.
    pub jwt_secret_key: Option<PathBuf>,
    /// `--gc_delay`: Maximum amount of time to wait before cleaning up executor ...
    pub gc_delay: Duration,
    /// `--gc_disk_headroom`: Adjust disk headroom used to calculate maximum executor directory age.
    pub gc_disk_headroom: f64,
    /// `--gc_non_executor_container_sandboxes`: Determines whether nested container sandboxes created via ...
    pub gc_non_executor_container_sandboxes: bool,
    /// `--disk_watch_interval`: Periodic time interval (e.g., 10secs, 2mins, etc) to check ...
    pub disk_watch_interval: Duration,
    /// `--container_logger`: The name of the container logger to use for logging ...
    pub container_logger: Option<String>,
    /// `--recover`: Whether to recover status updates and reconnect with old executors.
    pub recover: String,
    /// `--recovery_timeout`: Amount of time allotted for the agent to recover.
    pub recovery_timeout: Duration,
    /// `--reconfiguration_policy`: This flag controls which agent configuration changes are ...
    pub reconfiguration_policy: String,
    /// `--strict`: If `strict=true`, any and all recovery errors are considered fatal.
    pub strict: bool,
    /// `--max_completed_executors_per_framework`: Maximum number of completed executors per framework to ...
    pub max_completed_executors_per_framework: usize,
    /// `--cgroups_destroy_timeout`: Amount of time allowed to destroy a cgroup hierarchy.
    pub cgroups_destroy_timeout: Duration,
    /// `--cgroups_hierarchy`: The path to the cgroups hierarchy root
    pub cgroups_hierarchy: String,
    /// `--cgroups_root`: Name of the root cgroup
    pub cgroups_root: String,
    /// `--cgroups_enable_cfs`: Cgroups feature flag to enable hard limits on CPU resources ...
    pub cgroups_enable_cfs: bool,
    /// `--cgroups_limit_swap`: Cgroups feature flag to enable memory limits on both memory ...
    pub cgroups_limit_swap: bool,
    /// `--cgroups_cpu_enable_pids_and_tids_count`: Cgroups feature flag to enable counting of processes and ...
    pub cgroups_cpu_enable_pids_and_tids_count: bool,
    /// `--cgroups_net_cls_primary_handle`: A non-zero, 16-bit handle of the form `0xAAAA`.
    pub cgroups_net_cls_primary_handle: Option<String>,
    /// `--cgroups_net_cls_secondary_handles`: A range of the form 0xAAAA,0xBBBB, specifying the valid ...
    pub cgroups_net_cls_secondary_handles: Option<String>,
    /// `--allowed_devices`: JSON array representing the devices that will be ...
    pub allowed_devices: Option<JsonFlag<DeviceWhitelist>>,
    /// `--agent_subsystems`: List of comma-separated cgroup subsystems to run the agent ...
    pub agent_subsystems: Option<String>,
    /// `--host_path_volume_force_creation`: A colon-separated list of directories where descendant ...
    pub host_path_volume_force_creation: Option<String>,
    /// `--nvidia_gpu_devices`: A comma-separated list of Nvidia GPU devices.
    pub nvidia_gpu_devices: Option<String>,
    /// `--perf_events`: List of command-separated perf events to sample for each ...
    pub perf_events: Option<String>,
    /// `--perf_interval`: Interval between the start of perf stat samples.
    pub perf_interval: Duration,
    /// `--perf_duration`: Duration of a perf stat sample.
    pub perf_duration: Duration,
    /// `--revocable_cpu_low_priority`: Run containers with revocable CPU at a lower priority than ...
    pub revocable_cpu_low_priority: bool,
    /// `--systemd_enable_support`: Top level control of systemd support.
    pub systemd_enable_support: bool,
    /// `--systemd_runtime_directory`: The path to the systemd system run time directory
    pub systemd_runtime_directory: String,
    /// `--effective_capabilities`: JSON representation of the Linux capabilities that the ...
    pub effective_capabilities: Option<JsonFlag<CapabilityInfo>>,
    /// `--bounding_capabilities`: JSON representation of the Linux capabilities that the ...
    pub bounding_capabilities: Option<JsonFlag<CapabilityInfo>>,
    /// `--default_container_shm_size`: The default size of the /dev/shm for the container which ...
    pub default_container_shm_size: Option<Bytes>,
    /// `--disallow_sharing_agent_ipc_namespace`: If set to `true`, each top-level container will have its ...
    pub disallow_sharing_agent_ipc_namespace: bool,
    /// `--disallow_sharing_agent_pid_namespace`: If set to `true`, each top-level container will have its ...
    pub disallow_sharing_agent_pid_namespace: bool,
    /// `--agent_features`: JSON representation of agent features to whitelist.
    pub agent_features: Option<serde_json::Value>,
    /// `--firewall_rules`: The value could be a JSON-formatted string of rules or a ...
    pub firewall_rules: Option<serde_json::Value>,
    /// `--credential`: Path to a JSON-formatted file containing the credential to ...
    pub credential: Option<PathBuf>,
    /// `--acls`: The value could be a JSON-formatted string of ACLs or a ...
    pub acls: Option<JsonFlag<AcLs>>,
    /// `--containerizers`: Comma-separated list of containerizer implementations to ...
    pub containerizers: String,
    /// `--containerizer_path`: The path to the external containerizer executable ...
    pub containerizer_path: Option<String>,
    /// `--default_container_image`: The default container image to use if not ...
    pub default_container_image: Option<String>,
    /// `--docker`: The absolute path to the docker executable for docker containerizer.
    pub docker: String,
    /// `--docker_remove_delay`: The amount of time to wait before removing docker ...
    pub docker_remove_delay: Duration,
    /// `--docker_kill_orphans`: Enable docker containerizer to kill orphaned containers.
    pub docker_kill_orphans: bool,
    /// `--docker_mesos_image`: The Docker image used to launch this Mesos agent instance.
    pub docker_mesos_image: Option<String>,
    /// `--docker_socket`: Resource used by the agent and the executor to provide CLI ...
    pub docker_socket: String,
    /// `--docker_config`: The default docker config file for agent.
    pub docker_config: Option<serde_json::Value>,
    /// `--sandbox_directory`: The absolute path for the directory in the container where ...
    pub sandbox_directory: String,
    /// `--domain_socket_location`: Location on the host filesystem of the domain socket used ...
    pub domain_socket_location: Option<String>,
    /// `--default_container_dns`: JSON-formatted DNS information for CNI networks (Mesos ...
    pub default_container_dns: Option<serde_json::Value>,
    /// `--default_container_info`: JSON-formatted ContainerInfo that will be included into any ...
    pub default_container_info: Option<JsonFlag<ContainerInfo>>,
    /// `--docker_stop_timeout`: The time docker daemon waits after stopping a container ...
    pub docker_stop_timeout: Duration,
    /// `--ephemeral_ports_per_container`: Number of ephemeral ports allocated to a container by the ...
    pub ephemeral_ports_per_container: u16,
    /// `--eth0_name`: The name of the public network interface (e.g., `eth0`).
    pub eth0_name: Option<String>,
    /// `--lo_name`: The name of the loopback network interface (e.g., lo).
    pub lo_name: Option<String>,
    /// `--egress_rate_limit_per_container`: The limit of the egress traffic for each container, in Bytes/s.
    pub egress_rate_limit_per_container: Option<Bytes>,
    /// `--egress_unique_flow_per_container`: Whether to assign an individual flow for each container for ...
    pub egress_unique_flow_per_container: bool,
    /// `--egress_flow_classifier_parent`: When `egress_unique_flow_per_container` is enabled, we need ...
    pub egress_flow_classifier_parent: String,
    /// `--network_enable_socket_statistics_summary`: Whether to collect socket statistics summary for each container.
    pub network_enable_socket_statistics_summary: bool,
    /// `--network_enable_socket_statistics_details`: Whether to collect socket statistics details (e.g., TCP ...
    pub network_enable_socket_statistics_details: bool,
    /// `--network_enable_snmp_statistics`: Whether to collect SNMP statistics details (e.g., ...
    pub network_enable_snmp_statistics: bool,
    /// `--container_ports_watch_interval`: Interval at which the `network/ports` isolator should check ...
    pub container_ports_watch_interval: Duration,
    /// `--check_agent_port_range_only`: When this is true, the `network/ports` isolator allows ...
    pub check_agent_port_range_only: bool,
    /// `--enforce_container_ports`: Whether to enable port enforcement for containers.
    pub enforce_container_ports: bool,
    /// `--container_ports_isolated_range`: When this flag is specified, the `network/ports` isolator ...
    pub container_ports_isolated_range: Option<String>,
    /// `--network_cni_plugins_dir`: A search path for CNI plugin binaries.
    pub network_cni_plugins_dir: Option<String>,
    /// `--network_cni_config_dir`: Directory path of the CNI network configuration files.
    pub network_cni_config_dir: Option<String>,
    /// `--network_cni_root_dir_persist`: This setting controls whether the CNI root directory ...
    pub network_cni_root_dir_persist: bool,
    /// `--network_cni_metrics`: This setting controls whether the networking metrics of the ...
    pub network_cni_metrics: bool,
    /// `--container_disk_watch_interval`: The interval between disk quota checks for containers.
    pub container_disk_watch_interval: Duration,
    /// `--enforce_container_disk_quota`: Whether to enable disk quota enforcement for containers.
    pub enforce_container_disk_quota: bool,
    /// `--modules`: List of modules to be loaded and be available to the ...
    pub modules: Option<JsonFlag<Modules>>,
    /// `--modules_dir`: Directory path of the module manifest files.
    pub modules_dir: Option<String>,
    /// `--authenticatee`: Authenticatee implementation to use when authenticating ...
    pub authenticatee: String,
    /// `--authorizer`: Authorizer implementation to use when authorizing actions ...
    pub authorizer: String,
    /// `--http_authenticators`: HTTP authenticator implementation to use when handling ...
    pub http_authenticators: Option<String>,
    /// `--authenticate_http_readwrite`: If `true`, only authenticated requests for read-write HTTP ...
    pub authenticate_http_readwrite: bool,
    /// `--authenticate_http_readonly`: If `true`, only authenticated requests for read-only HTTP ...
    pub authenticate_http_readonly: bool,
    /// `--authenticate_http_executors`: If `true`, only authenticated requests for the HTTP ...
    pub authenticate_http_executors: bool,
    /// `--http_executor_domain_sockets`: If true, the agent will provide a unix domain sockets that ...
    pub http_executor_domain_sockets: bool,
    /// `--http_credentials`: Path to a JSON-formatted file containing credentials used ...
    pub http_credentials: Option<PathBuf>,
    /// `--hooks`: A comma-separated list of hook modules to be installed ...
    pub hooks: Option<String>,
    /// `--secret_resolver`: The name of the secret resolver module to use for resolving ...
    pub secret_resolver: Option<String>,
    /// `--resource_estimator`: The name of the resource estimator to use for oversubscription.
    pub resource_estimator: Option<String>,
    /// `--qos_controller`: The name of the QoS Controller to use for oversubscription.
    pub qos_controller: Option<String>,
    /// `--qos_correction_interval_min`: The agent polls and carries out QoS corrections from the ...
    pub qos_correction_interval_min: Duration,
    /// `--oversubscribed_resources_interval`: The agent periodically updates the master with the current ...
    pub oversubscribed_resources_interval: Duration,
    /// `--master_detector`: The symbol name of the master detector to use.
    pub master_detector: Option<String>,
    /// `--xfs_project_range`: The ranges of XFS project IDs to use for tracking directory quotas
    pub xfs_project_range: String,
    /// `--xfs_kill_containers`: Whether the `disk/xfs` isolator should detect and terminate ...
    pub xfs_kill_containers: bool,
    /// `--seccomp_config_dir`: Directory path of the Seccomp profiles.
    pub seccomp_config_dir: Option<String>,
    /// `--seccomp_profile_name`: Path of the default Seccomp profile relative to ...
    pub seccomp_profile_name: Option<String>,
    /// `--http_command_executor`: The underlying executor library to be used for the command executor.
    pub http_command_executor: bool,
    /// `--ip`: IP address to listen on.
    pub ip: Option<String>,
    /// `--ip6`: IPv6 address to listen on.
    pub ip6: Option<String>,
    /// `--port`: Port to listen on.
    pub port: u16,
    /// `--advertise_ip`: IP address advertised to reach this Mesos slave.
    pub advertise_ip: Option<String>,
    /// `--advertise_port`: Port advertised to reach this Mesos slave (along with `advertise_ip`).
    pub advertise_port: Option<String>,
    /// `--master`: May be one of:
    pub master: Option<String>,
    /// `--zk_session_timeout`: ZooKeeper session timeout.
    pub zk_session_timeout: Duration,
    /// `--ip_discovery_command`: Optional IP discovery binary:
    pub ip_discovery_command: Option<String>,
    /// `--ip6_discovery_command`: Optional IPv6 discovery binary:
    pub ip6_discovery_command: Option<String>,
    /// `--memory_profiling`: This setting controls whether the memory profiling ...
    pub memory_profiling: bool,
    /// `--domain`: Domain that the agent belongs to.
    pub domain: Option<JsonFlag<DomainInfo>>,
}

impl AsRef<crate::logging::Flags> for Flags {
    fn as_ref(&self) -> &crate::logging::Flags {
        &self.logging
    }
}

impl AsMut<crate::logging::Flags> for Flags {
    fn as_mut(&mut self) -> &mut crate::logging::Flags {
        &mut self.logging
    }
}

impl stout::Flags for Flags {
    fn define(set: &mut FlagSet<Self>) {
        define_a::define(set);
        define_b::define(set);
        define_c::define(set);
    }
}

/// A flag holding a protobuf message given as JSON (or a file of JSON),
/// as Mesos' `--acls`, `--modules` or `--domain` are.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonFlag<M>(pub M);

impl<M> JsonFlag<M> {
    /// The message.
    pub fn get(&self) -> &M {
        &self.0
    }
}

impl<M: Reflect + 'static> FlagValue for JsonFlag<M> {
    fn parse(text: &str) -> Try<Self> {
        let json = <serde_json::Value as FlagValue>::parse(text)?;
        Ok(JsonFlag(crate::json::parse(&json)?))
    }

    fn fetch(value: &str) -> Try<Cow<'_, str>> {
        <serde_json::Value as FlagValue>::fetch(value)
    }

    fn stringify(&self) -> String {
        crate::json::jsonify(&self.0)
    }
}

/// `os::temp()` joined with `parts`.
fn temp_path(parts: &[&str]) -> String {
    let mut path = std::env::temp_dir();
    path.extend(parts);
    path.to_string_lossy().into_owned()
}

/// `linux` when the agent runs as root on Linux (the Linux launcher needs
/// both), `posix` otherwise.
fn default_launcher() -> &'static str {
    if cfg!(target_os = "linux") && nix::unistd::geteuid().is_root() {
        "linux"
    } else {
        "posix"
    }
}

/// Where Mesos' helper binaries are: Mesos has its install-time
/// `PKGLIBEXECDIR`; this build's binaries sit together, so the directory
/// of the running binary.
fn default_launcher_dir() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// `/var/run/mesos` when `/var/run` is writable, else
/// `<temp>/mesos/runtime`.
fn default_runtime_dir() -> String {
    let prefix = "/var/run";
    if nix::unistd::access(
        prefix,
        nix::unistd::AccessFlags::R_OK | nix::unistd::AccessFlags::W_OK,
    )
    .is_ok()
    {
        return format!("{}/mesos", prefix);
    }
    temp_path(&["mesos", "runtime"])
}

fn validate_executor_environment_variables(value: &Option<serde_json::Value>) -> Option<Error> {
    match value {
        None => None,
        Some(serde_json::Value::Object(object)) => {
            object.values().any(|v| !v.is_string()).then(|| {
                Error::new("`executor_environment_variables` must only contain string values")
            })
        }
        Some(_) => Some(Error::new("Expecting a JSON object")),
    }
}

fn validate_executor_reregistration_timeout(value: &Duration) -> Option<Error> {
    (*value > MAX_EXECUTOR_REREGISTRATION_TIMEOUT).then(|| {
        Error::new(format!(
            "Expected `--executor_reregistration_timeout` to be not more than {}",
            MAX_EXECUTOR_REREGISTRATION_TIMEOUT
        ))
    })
}

/// The agent features Mesos 1.11 requires when `--agent_features` is set.
const REQUIRED_AGENT_FEATURES: [&str; 7] = [
    "MULTI_ROLE",
    "HIERARCHICAL_ROLE",
    "RESERVATION_REFINEMENT",
    "AGENT_OPERATION_FEEDBACK",
    "RESOURCE_PROVIDER",
    "AGENT_DRAINING",
    "TASK_RESOURCE_LIMITS",
];

fn validate_agent_features(value: &Option<serde_json::Value>) -> Option<Error> {
    let value = value.as_ref()?;
    let types: Vec<&str> = value
        .get("capabilities")
        .and_then(|c| c.as_array())
        .map(|capabilities| {
            capabilities
                .iter()
                .filter_map(|c| c.get("type").and_then(|t| t.as_str()))
                .collect()
        })
        .unwrap_or_default();
    REQUIRED_AGENT_FEATURES
        .iter()
        .any(|required| !types.contains(required))
        .then(|| {
            Error::new(
                "At least the following agent features need to be enabled: MULTI_ROLE, \
                 HIERARCHICAL_ROLE, RESERVATION_REFINEMENT, AGENT_OPERATION_FEEDBACK, \
                 RESOURCE_PROVIDER, AGENT_DRAINING, and TASK_RESOURCE_LIMITS",
            )
        })
}

/// The longest path a Unix domain socket may have, with its NUL.
const DOMAIN_SOCKET_MAX_PATH_LENGTH: usize = 108;

fn validate_domain_socket_location(value: &Option<String>) -> Option<Error> {
    value
        .as_ref()
        .filter(|location| location.len() >= DOMAIN_SOCKET_MAX_PATH_LENGTH)
        .map(|_| Error::new("Domain socket location cannot be longer than 108 characters."))
}

fn validate_default_container_dns(value: &Option<serde_json::Value>) -> Option<Error> {
    let value = value.as_ref()?;
    let entries = |key: &str| -> Vec<(String, Option<String>)> {
        value
            .get(key)
            .and_then(|v| v.as_array())
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        (
                            e.get("network_mode")
                                .and_then(|m| m.as_str())
                                .unwrap_or("UNKNOWN")
                                .to_string(),
                            e.get("network_name")
                                .and_then(|n| n.as_str())
                                .map(str::to_string),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let unknown = || Error::new("UNKNOWN network mode configured in `--default_container_dns`");
    let host = || {
        Error::new(
            "Configuring DNS for HOST network with `--default_container_dns` is not yet supported",
        )
    };
    let mut cni_default = false;
    let mut cni_names = std::collections::HashSet::new();
    for (mode, name) in entries("mesos") {
        match (mode.as_str(), name) {
            ("HOST", _) => return Some(host()),
            ("CNI", None) if cni_default => {
                return Some(Error::new(
                    "Multiple DNS configuration without network name for CNI network in \
                     `--default_container_dns` is not allowed",
                ))
            }
            ("CNI", None) => cni_default = true,
            ("CNI", Some(name)) if !cni_names.insert(name.clone()) => {
                return Some(Error::new(format!(
                    "Multiple DNS configuration with the same network name '{}' for CNI \
                     network in `--default_container_dns` is not allowed",
                    name
                )))
            }
            ("CNI", Some(_)) => {}
            _ => return Some(unknown()),
        }
    }
    let mut bridge = false;
    let mut user_default = false;
    let mut user_names = std::collections::HashSet::new();
    for (mode, name) in entries("docker") {
        match (mode.as_str(), name) {
            ("HOST", _) => return Some(host()),
            ("BRIDGE", _) if bridge => {
                return Some(Error::new(
                    "Multiple DNS configuration for Docker default bridge network in \
                     `--default_container_dns` is not allowed",
                ))
            }
            ("BRIDGE", _) => bridge = true,
            ("USER", None) if user_default => {
                return Some(Error::new(
                    "Multiple DNS configuration without network name for user-defined CNM \
                     network in `--default_container_dns` is not allowed",
                ))
            }
            ("USER", None) => user_default = true,
            ("USER", Some(name)) if !user_names.insert(name.clone()) => {
                return Some(Error::new(format!(
                    "Multiple DNS configuration with the same network name '{}' for \
                     user-defined CNM network in `--default_container_dns` is not allowed",
                    name
                )))
            }
            ("USER", Some(_)) => {}
            _ => return Some(unknown()),
        }
    }
    None
}

fn validate_domain(value: &Option<JsonFlag<DomainInfo>>) -> Option<Error> {
    value
        .as_ref()
        .filter(|domain| domain.get().fault_domain.is_none())
        .map(|_| Error::new("`domain` must define `fault_domain`"))
}
