//! The master's flags (Mesos' `master::Flags`, with the logging flags it
//! inherits): Mesos 1.11's names, help texts and defaults. Flags for
//! features this build does not have yet parse, so that a command line
//! written for Mesos' master is accepted.

use serde_json::Value;
use stout::{flag, Bytes, Duration, Error, FlagSet};

use super::constants::*;

/// The `mesos-master` flags. Load them through a [`FlagSet`]:
/// `FlagSet::<Flags>::new().load(Some("MESOS_"), args)`.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// `--version`.
    pub version: bool,
    /// `--hostname`.
    pub hostname: Option<String>,
    /// `--hostname_lookup`.
    pub hostname_lookup: bool,
    /// `--root_submissions`.
    pub root_submissions: bool,
    /// `--work_dir`.
    pub work_dir: Option<String>,
    /// `--registry`.
    pub registry: String,
    /// `--quorum`.
    pub quorum: Option<i32>,
    /// `--zk_session_timeout`.
    pub zk_session_timeout: Duration,
    /// `--registry_strict`.
    pub registry_strict: bool,
    /// `--registry_fetch_timeout`.
    pub registry_fetch_timeout: Duration,
    /// `--registry_store_timeout`.
    pub registry_store_timeout: Duration,
    /// `--log_auto_initialize`.
    pub log_auto_initialize: bool,
    /// `--agent_reregister_timeout`.
    pub agent_reregister_timeout: Duration,
    /// `--recovery_agent_removal_limit`.
    pub recovery_agent_removal_limit: String,
    /// `--agent_removal_rate_limit`.
    pub agent_removal_rate_limit: Option<String>,
    /// `--webui_dir`.
    pub webui_dir: String,
    /// `--whitelist`.
    pub whitelist: Option<String>,
    /// `--role_sorter`.
    pub role_sorter: String,
    /// `--framework_sorter`.
    pub framework_sorter: String,
    /// `--allocation_interval`.
    pub allocation_interval: Duration,
    /// `--cluster`.
    pub cluster: Option<String>,
    /// `--roles`.
    pub roles: Option<String>,
    /// `--weights`.
    pub weights: Option<String>,
    /// `--authenticate_frameworks`.
    pub authenticate_frameworks: bool,
    /// `--authenticate_agents`.
    pub authenticate_agents: bool,
    /// `--authentication_v0_timeout`.
    pub authentication_v0_timeout: Duration,
    /// `--authenticate_http_readwrite`.
    pub authenticate_http_readwrite: bool,
    /// `--authenticate_http_readonly`.
    pub authenticate_http_readonly: bool,
    /// `--authenticate_http_frameworks`.
    pub authenticate_http_frameworks: bool,
    /// `--credentials`.
    pub credentials: Option<String>,
    /// `--acls`.
    pub acls: Option<Value>,
    /// `--firewall_rules`.
    pub firewall_rules: Option<Value>,
    /// `--rate_limits`.
    pub rate_limits: Option<Value>,
    /// `--offer_timeout`.
    pub offer_timeout: Option<Duration>,
    /// `--modules`.
    pub modules: Option<Value>,
    /// `--modules_dir`.
    pub modules_dir: Option<String>,
    /// `--authenticators`.
    pub authenticators: String,
    /// `--allocator`.
    pub allocator: String,
    /// `--allocator_agent_recovery_factor`.
    pub allocator_agent_recovery_factor: f64,
    /// `--allocator_recovery_timeout`.
    pub allocator_recovery_timeout: Duration,
    /// `--fair_sharing_excluded_resource_names`.
    pub fair_sharing_excluded_resource_names: Option<String>,
    /// `--filter_gpu_resources`.
    pub filter_gpu_resources: bool,
    /// `--min_allocatable_resources`.
    pub min_allocatable_resources: String,
    /// `--hooks`.
    pub hooks: Option<String>,
    /// `--agent_ping_timeout`.
    pub agent_ping_timeout: Duration,
    /// `--max_agent_ping_timeouts`.
    pub max_agent_ping_timeouts: usize,
    /// `--authorizers`.
    pub authorizers: String,
    /// `--http_authenticators`.
    pub http_authenticators: String,
    /// `--http_framework_authenticators`.
    pub http_framework_authenticators: Option<String>,
    /// `--max_operator_event_stream_subscribers`.
    pub max_operator_event_stream_subscribers: usize,
    /// `--max_completed_frameworks`.
    pub max_completed_frameworks: usize,
    /// `--max_completed_tasks_per_framework`.
    pub max_completed_tasks_per_framework: usize,
    /// `--max_unreachable_tasks_per_framework`.
    pub max_unreachable_tasks_per_framework: usize,
    /// `--master_contender`.
    pub master_contender: Option<String>,
    /// `--master_detector`.
    pub master_detector: Option<String>,
    /// `--registry_gc_interval`.
    pub registry_gc_interval: Duration,
    /// `--registry_max_agent_age`.
    pub registry_max_agent_age: Duration,
    /// `--registry_max_agent_count`.
    pub registry_max_agent_count: usize,
    /// `--ip`.
    pub ip: Option<String>,
    /// `--port`.
    pub port: u16,
    /// `--advertise_ip`.
    pub advertise_ip: Option<String>,
    /// `--advertise_port`.
    pub advertise_port: Option<String>,
    /// `--memory_profiling`.
    pub memory_profiling: bool,
    /// `--zk`.
    pub zk: Option<String>,
    /// `--ip_discovery_command`.
    pub ip_discovery_command: Option<String>,
    /// `--require_agent_domain`.
    pub require_agent_domain: bool,
    /// `--publish_per_framework_metrics`.
    pub publish_per_framework_metrics: bool,
    /// `--domain`.
    pub domain: Option<Value>,
    /// `--offer_constraints_re2_max_mem`.
    pub offer_constraints_re2_max_mem: Bytes,
    /// `--offer_constraints_re2_max_program_size`.
    pub offer_constraints_re2_max_program_size: i32,
    /// The logging flags (`--quiet`, `--logging_level`, `--log_dir`, ...).
    pub logging: crate::logging::Flags,
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
    fn define(set: &mut FlagSet<Flags>) {
        flag!(set, version)
            .help("Show version and exit.")
            .default(false);
        flag!(set, hostname)
            .help(
                "The hostname the master should advertise in ZooKeeper.\nIf left unset, the hostname is resolved from the IP address\nthat the master advertises; unless the user explicitly prevents\nthat, using `--no-hostname_lookup`, in which case the IP itself\nis used.",
            );
        flag!(set, hostname_lookup)
            .help(
                "Whether we should execute a lookup to find out the server's hostname,\nif not explicitly set (via, e.g., `--hostname`).\nTrue by default; if set to `false` it will cause Mesos\nto use the IP address, unless the hostname is explicitly set.",
            )
            .default(true);
        flag!(set, root_submissions)
            .help("Can root submit frameworks?")
            .default(true);
        flag!(set, work_dir)
            .help(
                "Path of the master work directory. This is where the persistent\ninformation of the cluster will be stored. Note that locations like\n`/tmp` which are cleaned automatically are not suitable for the work\ndirectory when running in production, since long-running masters could\nlose data when cleanup occurs. (Example: `/var/lib/mesos/master`)",
            );
        flag!(set, registry)
            .help(
                "Persistence strategy for the registry;\navailable options are `replicated_log`, `in_memory` (for testing).",
            )
            .default("replicated_log");
        flag!(set, quorum)
            .help(
                "The size of the quorum of replicas when using `replicated_log` based\nregistry. It is imperative to set this value to be a majority of\nmasters i.e., `quorum > (number of masters)/2`.\nNOTE: Not required if master is run in standalone mode (non-HA).",
            );
        flag!(set, zk_session_timeout)
            .help("ZooKeeper session timeout.")
            .default(ZOOKEEPER_SESSION_TIMEOUT);
        flag!(set, registry_strict)
            .help(
                "Whether the master will take actions based on the persistent\ninformation stored in the Registry.\nNOTE: This flag is *disabled* and will be removed in a future\nversion of Mesos.",
            )
            .default(false)
            .validate(|value: &bool| {
                (*value).then(|| {
                    Error::new(
                        "Support for '--registry_strict' has been disabled and will be \
                         removed in a future version of Mesos",
                    )
                })
            });
        flag!(set, registry_fetch_timeout)
            .help(
                "Duration of time to wait in order to fetch data from the registry\nafter which the operation is considered a failure.",
            )
            .default(Duration::from_secs(60));
        flag!(set, registry_store_timeout)
            .help(
                "Duration of time to wait in order to store data in the registry\nafter which the operation is considered a failure.",
            )
            .default(Duration::from_secs(20));
        flag!(set, log_auto_initialize)
            .help(
                "Whether to automatically initialize the replicated log used for the\nregistry. If this is set to false, the log has to be manually\ninitialized when used for the very first time.",
            )
            .default(true);
        flag!(set, agent_reregister_timeout)
            .deprecated_alias("slave_reregister_timeout")
            .help(
                "The timeout within which an agent is expected to reregister.\nAgents reregister when they become disconnected from the master\nor when a new master is elected as the leader. Agents that do not\nreregister within the timeout will be marked unreachable in the\nregistry; if/when the agent reregisters with the master, any\nnon-partition-aware tasks running on the agent will be terminated.\nNOTE: This value has to be at least 10mins.",
            )
            .default(MIN_AGENT_REREGISTER_TIMEOUT);
        flag!(set, recovery_agent_removal_limit)
            .deprecated_alias("recovery_slave_removal_limit")
            .help(
                "For failovers, limit on the percentage of agents that can be removed\nfrom the registry *and* shutdown after the re-registration timeout\nelapses. If the limit is exceeded, the master will fail over rather\nthan remove the agents.\nThis can be used to provide safety guarantees for production\nenvironments. Production environments may expect that across master\nfailovers, at most a certain percentage of agents will fail\npermanently (e.g. due to rack-level failures).\nSetting this limit would ensure that a human needs to get\ninvolved should an unexpected widespread failure of agents occur\nin the cluster.\nValues: [0%-100%]",
            )
            .default("100%");
        flag!(set, agent_removal_rate_limit)
            .deprecated_alias("slave_removal_rate_limit")
            .help(
                "The maximum rate (e.g., `1/10mins`, `2/3hrs`, etc) at which agents\nwill be removed from the master when they fail health checks.\nBy default, agents will be removed as soon as they fail the health\nchecks. The value is of the form `(Number of agents)/(Duration)`.",
            );
        flag!(set, webui_dir)
            .help("Directory path of the webui files/assets")
            .default("/usr/local/share/mesos/webui");
        flag!(set, whitelist)
            .help(
                "Path to a file which contains a list of agents (one per line) to\nadvertise offers for. The file is watched and periodically re-read to\nrefresh the agent whitelist. By default there is no whitelist: all\nmachines are accepted. Path can be of the form\n`file:///path/to/file` or `/path/to/file`.\n",
            );
        flag!(set, role_sorter)
            .deprecated_alias("user_sorter")
            .help(
                "Policy to use for allocating resources between roles when\nallocating up to quota guarantees as well as when allocating\nup to quota limits. May be one of: [drf, random]",
            )
            .default("drf");
        flag!(set, framework_sorter)
            .help(
                "Policy to use for allocating resources between a given role's\nframeworks. Options are the same as for `--user_sorter`.",
            )
            .default("drf");
        flag!(set, allocation_interval)
            .help(
                "Amount of time to wait between performing\n (batch) allocations (e.g., 500ms, 1sec, etc).",
            )
            .default(DEFAULT_ALLOCATION_INTERVAL);
        flag!(set, cluster).help("Human readable name for the cluster, displayed in the webui.");
        flag!(set, roles)
            .help(
                "A comma-separated list of the allocation roles that frameworks\nin this cluster may belong to. This flag is deprecated;\nif it is not specified, any role name can be used.",
            );
        flag!(set, weights)
            .help(
                "A comma-separated list of role/weight pairs of the form\n`role=weight,role=weight`. Weights can be used to control the\nrelative share of cluster resources that is offered to different\nroles. This flag is deprecated. Instead, operators should configure\nweights dynamically using the `/weights` HTTP endpoint.",
            );
        flag!(set, authenticate_frameworks)
            .deprecated_alias("authenticate")
            .help(
                "If `true`, only authenticated frameworks are allowed to register. If\n`false`, unauthenticated frameworks are also allowed to register. For\nHTTP based frameworks use the `--authenticate_http_frameworks` flag.",
            )
            .default(false);
        flag!(set, authenticate_agents)
            .deprecated_alias("authenticate_slaves")
            .help(
                "If `true`, only authenticated agents are allowed to register.\nIf `false`, unauthenticated agents are also allowed to register.",
            )
            .default(false);
        flag!(set, authentication_v0_timeout)
            .help(
                "The timeout within which an authentication is expected\nto complete against a v0 framework or agent. This does not\napply to the v0 or v1 HTTP APIs.",
            )
            .default(DEFAULT_AUTHENTICATION_V0_TIMEOUT);
        flag!(set, authenticate_http_readwrite)
            .deprecated_alias("authenticate_http")
            .help(
                "If `true`, only authenticated requests for read-write HTTP endpoints\nsupporting authentication are allowed. If `false`, unauthenticated\nrequests to such HTTP endpoints are also allowed.",
            )
            .default(false);
        flag!(set, authenticate_http_readonly)
            .help(
                "If `true`, only authenticated requests for read-only HTTP endpoints\nsupporting authentication are allowed. If `false`, unauthenticated\nrequests to such HTTP endpoints are also allowed.",
            )
            .default(false);
        flag!(set, authenticate_http_frameworks)
            .help(
                "If `true`, only authenticated HTTP frameworks are allowed to register.\nIf `false`, HTTP frameworks are not authenticated.",
            )
            .default(false);
        flag!(set, credentials)
            .help(
                "Path to a JSON-formatted file containing credentials.\nPath could be of the form `file:///path/to/file` or `/path/to/file`.\nExample:\n{\n  \"credentials\": [\n    {\n      \"principal\": \"sherman\",\n      \"secret\": \"kitesurf\"\n    }\n  ]\n}",
            );
        flag!(set, acls)
            .help(
                "The value could be a JSON-formatted string of ACLs\nor a file path containing the JSON-formatted ACLs used\nfor authorization. Path could be of the form `file:///path/to/file`\nor `/path/to/file`.\n\nNote that if the flag `--authorizers` is provided with a value\ndifferent than `local`, the ACLs contents\nwill be ignored.\n\nSee the ACLs protobuf in acls.proto for the expected format.\n\nExample:\n{\n  \"register_frameworks\": [\n    {\n      \"principals\": { \"type\": \"ANY\" },\n      \"roles\": { \"values\": [\"a\"] }\n    }\n  ],\n  \"run_tasks\": [\n    {\n      \"principals\": { \"values\": [\"a\", \"b\"] },\n      \"users\": { \"values\": [\"c\"] }\n    }\n  ],\n  \"teardown_frameworks\": [\n    {\n      \"principals\": { \"values\": [\"a\", \"b\"] },\n      \"framework_principals\": { \"values\": [\"c\"] }\n    }\n  ],\n  \"set_quotas\": [\n    {\n      \"principals\": { \"values\": [\"a\"] },\n      \"roles\": { \"values\": [\"a\", \"b\"] }\n    }\n  ],\n  \"remove_quotas\": [\n    {\n      \"principals\": { \"values\": [\"a\"] },\n      \"quota_principals\": { \"values\": [\"a\"] }\n    }\n  ]\n}",
            );
        flag!(set, firewall_rules)
            .help(
                "The value could be a JSON-formatted string of rules or a\nfile path containing the JSON-formatted rules used in the endpoints\nfirewall. Path must be of the form `file:///path/to/file`\nor `/path/to/file`.\n\nSee the `Firewall` message in `flags.proto` for the expected format.\n\nExample:\n{\n  \"disabled_endpoints\" : {\n    \"paths\" : [\n      \"/files/browse\",\n      \"/metrics/snapshot\"\n    ]\n  }\n}",
            );
        flag!(set, rate_limits)
            .help(
                "The value could be a JSON-formatted string of rate limits\nor a file path containing the JSON-formatted rate limits used\nfor framework rate limiting.\nPath could be of the form `file:///path/to/file`\nor `/path/to/file`.\n\nSee the RateLimits protobuf in mesos.proto for the expected format.\n\nExample:\n{\n  \"limits\": [\n    {\n      \"principal\": \"foo\",\n      \"qps\": 55.5\n    },\n    {\n      \"principal\": \"bar\"\n    }\n  ],\n  \"aggregate_default_qps\": 33.3\n}",
            );
        flag!(set, offer_timeout)
            .help(
                "Duration of time before an offer is rescinded from a framework.\nThis helps fairness when running frameworks that hold on to offers,\nor frameworks that accidentally drop offers.\nIf not set, offers do not timeout.",
            );
        flag!(set, modules)
            .help(
                "List of modules to be loaded and be available to the internal\nsubsystems.\n\nUse `--modules=filepath` to specify the list of modules via a\nfile containing a JSON-formatted string. `filepath` can be\nof the form `file:///path/to/file` or `/path/to/file`.\n\nUse `--modules=\"{...}\"` to specify the list of modules inline.\n\nExample:\n{\n  \"libraries\": [\n    {\n      \"file\": \"/path/to/libfoo.so\",\n      \"modules\": [\n        {\n          \"name\": \"org_apache_mesos_bar\",\n          \"parameters\": [\n            {\n              \"key\": \"X\",\n              \"value\": \"Y\"\n            }\n          ]\n        },\n        {\n          \"name\": \"org_apache_mesos_baz\"\n        }\n      ]\n    },\n    {\n      \"name\": \"qux\",\n      \"modules\": [\n        {\n          \"name\": \"org_apache_mesos_norf\"\n        }\n      ]\n    }\n  ]\n}\n\nCannot be used in conjunction with --modules_dir.\n",
            );
        flag!(set, modules_dir)
            .help(
                "Directory path of the module manifest files.\nThe manifest files are processed in alphabetical order.\n(See --modules for more information on module manifest files).\nCannot be used in conjunction with --modules.\n",
            );
        flag!(set, authenticators)
            .help(
                "Authenticator implementation to use when authenticating frameworks\nand/or agents. Use the default `crammd5`\nor load an alternate authenticator module using `--modules`.",
            )
            .default(DEFAULT_AUTHENTICATOR);
        flag!(set, allocator)
            .help(
                "Allocator to use for resource allocation to frameworks.\nUse the default `hierarchical` allocator, or\nload an alternate allocator module using `--modules`.",
            )
            .default(DEFAULT_ALLOCATOR);
        flag!(set, allocator_agent_recovery_factor)
            .help(
                "Minimum fraction of known agents re-registered after leader election\nfor the allocator to start generating offers.",
            )
            .default(DEFAULT_ALLOCATOR_AGENT_RECOVERY_FACTOR);
        flag!(set, allocator_recovery_timeout)
            .help("Maximum time to wait before sending offers after a leader\nre-election.")
            .default(DEFAULT_ALLOCATOR_RECOVERY_TIMEOUT);
        flag!(set, fair_sharing_excluded_resource_names)
            .help(
                "A comma-separated list of the resource names (e.g. 'gpus')\nthat will be excluded from fair sharing constraints.\nThis may be useful in cases where the fair sharing\nimplementation currently has limitations. E.g. See the\nproblem of \"scarce\" resources:\n  http://www.mail-archive.com/dev@mesos.apache.org/msg35631.html\n  https://issues.apache.org/jira/browse/MESOS-5377",
            );
        flag!(set, filter_gpu_resources)
            .help(
                "When set to true, this flag will cause the mesos master to\nfilter all offers from agents with GPU resources by only sending\nthem to frameworks that opt into the `GPU_RESOURCES` framework\ncapability. When set to false, this flag will cause the master\nto not filter offers from agents with GPU resources, and\nindiscriminately send them to all frameworks whether they set\nthe `GPU_RESOURCES` capability or not. This flag is meant as a\ntemporary workaround towards the eventual deprecation of the\n`GPU_RESOURCES` capability. Please see the following for more\ninformation:\n  https://www.mail-archive.com/dev@mesos.apache.org/msg37571.html\n  https://issues.apache.org/jira/browse/MESOS-7576",
            )
            .default(true);
        flag!(set, min_allocatable_resources)
            .help(
                "One or more sets of resource quantities that define the minimum\nallocatable resources for the allocator. The allocator will only offer\nresources that meets the quantity requirement of at least one of the\nspecified sets. For `SCALAR` type resources, its quantity is its\nscalar value. For `RANGES` and `SET` type, their quantities are the\nnumber of different instances in the range or set. For example,\n`range:[1-5]` has a quantity of 5 and `set:{a,b}` has a quantity of 2.\nThe resources in each set should be delimited by semicolons (acting as\nlogical AND), and each set should be delimited by the pipe character\n(acting as logical OR).\n(Example: `disk:1|cpus:1;mem:32;ports:1` configures the allocator to\nonly offer resources if they contain a disk resource of at least\n1 megabyte, or if they at least contain 1 cpu, 32 megabytes of memory\nand 1 port.)\n",
            )
            .default("cpus:0.01|mem:32");
        flag!(set, hooks)
            .help("A comma-separated list of hook modules to be\ninstalled inside master.");
        flag!(set, agent_ping_timeout)
            .deprecated_alias("slave_ping_timeout")
            .help(
                "The timeout within which an agent is expected to respond to a\nping from the master. Agents that do not respond within\nmax_agent_ping_timeouts ping retries will be marked unreachable.\nNOTE: The total ping timeout (`agent_ping_timeout` multiplied by\n`max_agent_ping_timeouts`) should be greater than the ZooKeeper\nsession timeout to prevent useless re-registration attempts.\n",
            )
            .default(DEFAULT_AGENT_PING_TIMEOUT)
            .validate(|value: &Duration| {
                (*value < Duration::from_secs(1) || *value > Duration::from_mins(15)).then(|| {
                    Error::new(format!(
                        "Expected `--agent_ping_timeout` to be between {} and {}",
                        Duration::from_secs(1),
                        Duration::from_mins(15)
                    ))
                })
            });
        flag!(set, max_agent_ping_timeouts)
            .deprecated_alias("max_slave_ping_timeouts")
            .help(
                "The number of times an agent can fail to respond to a\nping from the master. Agents that do not respond within\n`max_agent_ping_timeouts` ping retries will be marked unreachable.\n",
            )
            .default(DEFAULT_MAX_AGENT_PING_TIMEOUTS)
            .validate(|value: &usize| {
                (*value < 1)
                    .then(|| Error::new("Expected `--max_agent_ping_timeouts` to be at least 1"))
            });
        flag!(set, authorizers)
            .help(
                "Authorizer implementation to use when authorizing actions that\nrequire it.\nUse the default `local`, or\nload an alternate authorizer module using `--modules`.\n\nNote that if the flag `--authorizers` is provided with a value\ndifferent than the default `local`, the\nACLs passed through the `--acls` flag will be ignored.\n\nCurrently there is no support for multiple authorizers.",
            )
            .default(DEFAULT_AUTHORIZER);
        flag!(set, http_authenticators)
            .help(
                "HTTP authenticator implementation to use when handling requests to\nauthenticated endpoints. Use the default `basic`, or load an\nalternate HTTP authenticator module using `--modules`.\n\nCurrently there is no support for multiple HTTP authenticators.",
            )
            .default(DEFAULT_BASIC_HTTP_AUTHENTICATOR);
        flag!(set, http_framework_authenticators)
            .help(
                "HTTP authenticator implementation to use when authenticating HTTP\nframeworks. Use the \n`basic` authenticator or\nload an alternate authenticator module using `--modules`.\nMust be used in conjunction with `--http_authenticate_frameworks`.\n\nCurrently there is no support for multiple HTTP framework\nauthenticators.",
            );
        flag!(set, max_operator_event_stream_subscribers)
            .help(
                "Maximum number of simultaneous subscribers to the master's operator\nevent stream. If new connections bring the total number of subscribers\nover this value, older connections will be closed by the master.\n\nThis flag should generally not be changed unless the operator is\nmitigating known problems with their network setup, such as\nclients/proxies that do not close connections to the master.",
            )
            .default(DEFAULT_MAX_OPERATOR_EVENT_STREAM_SUBSCRIBERS);
        flag!(set, max_completed_frameworks)
            .help("Maximum number of completed frameworks to store in memory.")
            .default(DEFAULT_MAX_COMPLETED_FRAMEWORKS);
        flag!(set, max_completed_tasks_per_framework)
            .help("Maximum number of completed tasks per framework to store in memory.")
            .default(DEFAULT_MAX_COMPLETED_TASKS_PER_FRAMEWORK);
        flag!(set, max_unreachable_tasks_per_framework)
            .help("Maximum number of unreachable tasks per framework to store in memory.")
            .default(DEFAULT_MAX_UNREACHABLE_TASKS_PER_FRAMEWORK);
        flag!(set, master_contender)
            .help(
                "The symbol name of the master contender to use.\nThis symbol should exist in a module specified through\nthe --modules flag. Cannot be used in conjunction with --zk.\nMust be used in conjunction with --master_detector.",
            );
        flag!(set, master_detector)
            .help(
                "The symbol name of the master detector to use. This symbol\nshould exist in a module specified through the --modules flag.\nCannot be used in conjunction with --zk.\nMust be used in conjunction with --master_contender.",
            );
        flag!(set, registry_gc_interval)
            .help(
                "How often to garbage collect the registry. The current leading\nmaster will periodically discard information from the registry.\nHow long registry state is retained is controlled by other\nparameters (e.g., registry_max_agent_age, registry_max_agent_count);\nthis parameter controls how often the master will examine the\nregistry to see if data should be discarded.",
            )
            .default(DEFAULT_REGISTRY_GC_INTERVAL);
        flag!(set, registry_max_agent_age)
            .help(
                "Maximum length of time to store information in the registry about\nagents that are not currently connected to the cluster. This\ninformation allows frameworks to determine the status of unreachable\nand gone agents. Note that the registry always stores\ninformation on all connected agents. If there are more than\n`registry_max_agent_count` partitioned/gone agents, agent\ninformation may be discarded from the registry sooner than indicated\nby this parameter.",
            )
            .default(DEFAULT_REGISTRY_MAX_AGENT_AGE);
        flag!(set, registry_max_agent_count)
            .help(
                "Maximum number of partitioned/gone agents to store in the\nregistry. This information allows frameworks to determine the status\nof disconnected agents. Note that the registry always stores\ninformation about all connected agents. See also the\n`registry_max_agent_age` flag.",
            )
            .default(DEFAULT_REGISTRY_MAX_AGENT_COUNT);
        flag!(set, ip)
            .help(
                "IP address to listen on. This cannot be used in conjunction\nwith `--ip_discovery_command`.",
            );
        flag!(set, port).help("Port to listen on.").default(5050);
        flag!(set, advertise_ip)
            .help(
                "IP address advertised to reach this Mesos master.\nThe master does not bind using this IP address.\nHowever, this IP address may be used to access this master.",
            );
        flag!(set, advertise_port)
            .help(
                "Port advertised to reach Mesos master (along with\n`advertise_ip`). The master does not bind to this port.\nHowever, this port (along with `advertise_ip`) may be used to\naccess this master.",
            );
        flag!(set, memory_profiling)
            .help(
                "This setting controls whether the memory profiling functionality of\nlibprocess should be exposed when jemalloc is detected.\nNOTE: Even if set to true, memory profiling will not work unless\njemalloc is loaded into the address space of the binary, either by\nlinking against it at compile-time or using `LD_PRELOAD`.",
            )
            .default(false);
        flag!(set, zk)
            .help(
                "ZooKeeper URL (used for leader election amongst masters).\nMay be one of:\n  `zk://host1:port1,host2:port2,.../path`\n  `zk://username:password@host1:port1,host2:port2,.../path`\n  `file:///path/to/file` (where file contains one of the above)\nNOTE: Not required if master is run in standalone mode (non-HA).",
            );
        flag!(set, ip_discovery_command)
            .help(
                "Optional IP discovery binary: if set, it is expected to emit\nthe IP address which the master will try to bind to.\nCannot be used in conjunction with `--ip`.",
            );
        flag!(set, require_agent_domain)
            .help("If true, only agents with a configured domain can register.\n")
            .default(false);
        flag!(set, publish_per_framework_metrics)
            .help(
                "If true, an extensive set of metrics for each active framework will\nbe published. These metrics are useful for understanding cluster\nbehavior, but can be overwhelming for very large numbers of\nframeworks.",
            )
            .default(true);
        flag!(set, domain)
            .help(
                "Domain that the master belongs to. Mesos currently only supports\nfault domains, which identify groups of hosts with similar failure\ncharacteristics. A fault domain consists of a region and a zone.\nAll masters in the same Mesos cluster must be in the same region\n(they can be in different zones). This value can be specified as\neither a JSON-formatted string or a file path containing JSON.\n\nExample:\n{\n  \"fault_domain\":\n    {\n      \"region\":\n        {\n          \"name\": \"aws-us-east-1\"\n        },\n      \"zone\":\n        {\n          \"name\": \"aws-us-east-1a\"\n        }\n    }\n}",
            )
            .validate(|domain: &Option<Value>| {
                domain
                    .as_ref()
                    .filter(|domain| domain.get("fault_domain").is_none())
                    .map(|_| Error::new("`domain` must define `fault_domain`"))
            });
        flag!(set, offer_constraints_re2_max_mem)
            .help(
                "Limit on the memory usage of each RE2 regular expression in\nframework's offer constraints. If `OfferConstraints` contain a regex\nfrom which a RE2 object cannot be constructed without exceeding this\nlimit, then framework's attempt to subscribe or update subscription\nwith these `OfferConstraints` will fail.",
            )
            .default(DEFAULT_OFFER_CONSTRAINTS_RE2_MAX_MEM);
        flag!(set, offer_constraints_re2_max_program_size)
            .help(
                "Limit on the RE2 program size of each regular expression in\nframework's offer constraints. If `OfferConstraints` contain a regex\nwhich results in a RE2 object exceeding this limit,\nthen framework's attempt to subscribe or update subscription\nwith these `OfferConstraints` will fail.",
            )
            .default(DEFAULT_OFFER_CONSTRAINTS_RE2_MAX_PROGRAM_SIZE);
        crate::logging::add_flags(set);
    }
}

impl Flags {
    /// The master's flags at their defaults, as Mesos' tests start a
    /// master (`registry=in_memory`).
    pub fn for_tests() -> Flags {
        let mut flags = FlagSet::<Flags>::new().into_values();
        flags.registry = "in_memory".to_string();
        flags
    }

    /// How long an agent may go without answering pings before it is
    /// marked unreachable: `agent_ping_timeout * max_agent_ping_timeouts`.
    pub fn total_ping_timeout(&self) -> Duration {
        let timeouts = i64::try_from(self.max_agent_ping_timeouts).unwrap_or(i64::MAX);
        Duration::from_nanos(self.agent_ping_timeout.ns().saturating_mul(timeouts))
    }
}
