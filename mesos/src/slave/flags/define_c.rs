//! Network, disk, module, authentication, oversubscription and address flags.

use stout::{flag, FlagSet};

use super::*;

pub(super) fn define(set: &mut FlagSet<Flags>) {
    flag!(set, network_cni_plugins_dir).help(concat!(
        "A search path for CNI plugin binaries. The `network/cni`\n",
        "isolator will find CNI plugins under these set of directories so that\n",
        "it can execute the plugins to add/delete container from the CNI\n",
        "networks.",
    ));
    flag!(set, network_cni_config_dir).help(concat!(
        "Directory path of the CNI network configuration files. For each\n",
        "network that containers launched in Mesos agent can connect to,\n",
        "the operator should install a network configuration file in JSON\n",
        "format in the specified directory.",
    ));
    flag!(set, network_cni_root_dir_persist)
        .help(concat!(
            "This setting controls whether the CNI root directory\n",
            "persists across reboot or not.",
        ))
        .default(false);
    flag!(set, network_cni_metrics)
        .help(concat!(
            "This setting controls whether the networking metrics of the CNI\n",
            "isolator should be exposed.",
        ))
        .default(true);
    flag!(set, container_disk_watch_interval)
        .help(concat!(
            "The interval between disk quota checks for containers. This flag is\n",
            "used by the `disk/du` and `disk/xfs` isolators.",
        ))
        .default(Duration::from_secs(15));
    flag!(set, enforce_container_disk_quota)
        .help(concat!(
            "Whether to enable disk quota enforcement for containers. This flag\n",
            "is used by the `disk/du` and `disk/xfs` isolators.",
        ))
        .default(false);
    flag!(set, modules).help(concat!(
        "List of modules to be loaded and be available to the internal\n",
        "subsystems.\n",
        "\n",
        "Use `--modules=filepath` to specify the list of modules via a\n",
        "file containing a JSON-formatted string. `filepath` can be\n",
        "of the form `file:///path/to/file` or `/path/to/file`.\n",
        "\n",
        "Use `--modules=\"{...}\"` to specify the list of modules inline.\n",
        "\n",
        "Example:\n",
        "{\n",
        "  \"libraries\": [\n",
        "    {\n",
        "      \"file\": \"/path/to/libfoo.so\",\n",
        "      \"modules\": [\n",
        "        {\n",
        "          \"name\": \"org_apache_mesos_bar\",\n",
        "          \"parameters\": [\n",
        "            {\n",
        "              \"key\": \"X\",\n",
        "              \"value\": \"Y\"\n",
        "            }\n",
        "          ]\n",
        "        },\n",
        "        {\n",
        "          \"name\": \"org_apache_mesos_baz\"\n",
        "        }\n",
        "      ]\n",
        "    },\n",
        "    {\n",
        "      \"name\": \"qux\",\n",
        "      \"modules\": [\n",
        "        {\n",
        "          \"name\": \"org_apache_mesos_norf\"\n",
        "        }\n",
        "      ]\n",
        "    }\n",
        "  ]\n",
        "}",
    ));
    flag!(set, modules_dir).help(concat!(
        "Directory path of the module manifest files.\n",
        "The manifest files are processed in alphabetical order.\n",
        "(See --modules for more information on module manifest files).\n",
        "Cannot be used in conjunction with --modules.\n",
    ));
    flag!(set, authenticatee)
        .help(concat!(
            "Authenticatee implementation to use when authenticating against the\n",
            "master. Use the default ``, or\n",
            "load an alternate authenticatee module using `--modules`.",
        ))
        .default("crammd5");
    flag!(set, authorizer)
        .help(concat!(
            "Authorizer implementation to use when authorizing actions that\n",
            "require it.\n",
            "Use the default ``, or\n",
            "load an alternate authorizer module using `--modules`.\n",
            "\n",
            "Note that if the `--authorizer` flag is provided with a value\n",
            "other than the default ``, the\n",
            "ACLs passed through the `--acls` flag will be ignored.",
        ))
        .default("local");
    flag!(set, http_authenticators).help(concat!(
        "HTTP authenticator implementation to use when handling requests to\n",
        "authenticated endpoints. Use the default ``, or load an\n",
        "alternate HTTP authenticator module using `--modules`.",
    ));
    flag!(set, authenticate_http_readwrite)
        .help(concat!(
            "If `true`, only authenticated requests for read-write HTTP endpoints\n",
            "supporting authentication are allowed. If `false`, unauthenticated\n",
            "requests to such HTTP endpoints are also allowed.",
        ))
        .default(false);
    flag!(set, authenticate_http_readonly)
        .help(concat!(
            "If `true`, only authenticated requests for read-only HTTP endpoints\n",
            "supporting authentication are allowed. If `false`, unauthenticated\n",
            "requests to such HTTP endpoints are also allowed.",
        ))
        .default(false);
    flag!(set, authenticate_http_executors)
        .help(concat!(
            "If `true`, only authenticated requests for the HTTP executor API are\n",
            "allowed. If `false`, unauthenticated requests are also allowed. This\n",
            "flag is only available when Mesos is built with SSL support.",
        ))
        .default(false);
    flag!(set, http_executor_domain_sockets)
        .help(concat!(
            "If true, the agent will provide a unix domain sockets that the\n",
            "executor can use to connect to the agent, instead of relying on\n",
            "a TCP connection.",
        ))
        .default(false);
    flag!(set, http_credentials).help(concat!(
        "Path to a JSON-formatted file containing credentials used to\n",
        "authenticate HTTP endpoints on the agent.\n",
        "Path can be of the form `file:///path/to/file` or `/path/to/file`.\n",
        "Example:\n",
        "{\n",
        "  \"credentials\": [\n",
        "    {\n",
        "      \"principal\": \"yoda\",\n",
        "      \"secret\": \"usetheforce\"\n",
        "    }\n",
        "  ]\n",
        "}",
    ));
    flag!(set, hooks).help(concat!(
        "A comma-separated list of hook modules to be\n",
        "installed inside the agent.",
    ));
    flag!(set, secret_resolver).help(concat!(
        "The name of the secret resolver module to use for resolving\n",
        "environment and file-based secrets. If this flag is not specified,\n",
        "the default behavior is to resolve value-based secrets and error on\n",
        "reference-based secrets.",
    ));
    flag!(set, resource_estimator)
        .help("The name of the resource estimator to use for oversubscription.");
    flag!(set, qos_controller).help("The name of the QoS Controller to use for oversubscription.");
    flag!(set, qos_correction_interval_min)
        .help(concat!(
            "The agent polls and carries out QoS corrections from the QoS\n",
            "Controller based on its observed performance of running tasks.\n",
            "The smallest interval between these corrections is controlled by\n",
            "this flag.",
        ))
        .default(Duration::ZERO);
    flag!(set, oversubscribed_resources_interval)
        .help(concat!(
            "The agent periodically updates the master with the current estimation\n",
            "about the total amount of oversubscribed resources that are allocated\n",
            "and available. The interval between updates is controlled by this\n",
            "flag.",
        ))
        .default(Duration::from_secs(15));
    flag!(set, master_detector).help(concat!(
        "The symbol name of the master detector to use. This symbol\n",
        "should exist in a module specified through the --modules flag.\n",
        "Cannot be used in conjunction with --master.",
    ));
    flag!(set, xfs_project_range)
        .help("The ranges of XFS project IDs to use for tracking directory quotas")
        .default("[5000-10000]");
    flag!(set, xfs_kill_containers)
        .help(concat!(
            "Whether the `disk/xfs` isolator should detect and terminate\n",
            "containers that exceed their allocated disk quota.",
        ))
        .default(false);
    flag!(set, seccomp_config_dir).help(concat!(
        "Directory path of the Seccomp profiles.\n",
        "If a container is launched with a specified Seccomp profile name,\n",
        "the `linux/seccomp` isolator will try to locate a Seccomp profile\n",
        "in the specified directory.",
    ));
    flag!(set, seccomp_profile_name)
            .help(concat!(
                "Path of the default Seccomp profile relative to the`seccomp_config_dir`.\n",
                "If this flag is specified, the `linux/seccomp` isolator\n",
                "applies the Seccomp profile by default when launching\n",
                "a new Mesos container.\n",
                "NOTE: A Seccomp profile must be compatible with the\n",
                "Docker Seccomp profile format (e.g., https://github.com/moby/moby/blob/master/profiles/seccomp/default.json).",
            ));
    flag!(set, http_command_executor)
        .help(concat!(
            "The underlying executor library to be used for the command executor.\n",
            "If set to `true`, the command executor would use the HTTP based\n",
            "executor library to interact with the Mesos agent. If set to `false`,\n",
            "the driver based implementation would be used.\n",
            "NOTE: This flag is *experimental* and should not be used in\n",
            "production yet.",
        ))
        .default(false);
    flag!(set, ip).help(concat!(
        "IP address to listen on. This cannot be used in conjunction\n",
        "with `--ip_discovery_command`.",
    ));
    flag!(set, ip6).help(concat!(
        "IPv6 address to listen on. This cannot be used in conjunction\n",
        "with '--ip6_discovery_command'.\n",
        "\n",
        "NOTE: Currently Mesos doesn't listen on IPv6 sockets and hence\n",
        "this IPv6 address is only used to advertise IPv6 addresses for\n",
        "containers running on the host network.\n",
    ));
    flag!(set, port).help("Port to listen on.").default(5051u16);
    flag!(set, advertise_ip).help(concat!(
        "IP address advertised to reach this Mesos slave.\n",
        "The slave does not bind to this IP address.\n",
        "However, this IP address may be used to access this slave.",
    ));
    flag!(set, advertise_port).help(concat!(
        "Port advertised to reach this Mesos slave (along with\n",
        "`advertise_ip`). The slave does not bind to this port.\n",
        "However, this port (along with `advertise_ip`) may be used to\n",
        "access this slave.",
    ));
    flag!(set, master).help(concat!(
        "May be one of:\n",
        "  `host:port`\n",
        "  `zk://host1:port1,host2:port2,.../path`\n",
        "  `zk://username:password@host1:port1,host2:port2,.../path`\n",
        "  `file:///path/to/file` (where file contains one of the above)",
    ));
    flag!(set, zk_session_timeout)
        .help("ZooKeeper session timeout.")
        .default(Duration::from_secs(10));
    flag!(set, ip_discovery_command).help(concat!(
        "Optional IP discovery binary: if set, it is expected to emit\n",
        "the IP address which the slave will try to bind to.\n",
        "Cannot be used in conjunction with `--ip`.",
    ));
    flag!(set, ip6_discovery_command).help(concat!(
        "Optional IPv6 discovery binary: if set, it is expected to emit\n",
        "the IPv6 address on which Mesos will try to bind when IPv6 socket\n",
        "support is enabled in Mesos.\n",
        "\n",
        "NOTE: Currently Mesos doesn't listen on IPv6 sockets and hence\n",
        "this IPv6 address is only used to advertise IPv6 addresses for\n",
        "containers running on the host network.\n",
    ));
    flag!(set, memory_profiling)
        .help(concat!(
            "This setting controls whether the memory profiling functionality of\n",
            "libprocess should be exposed when jemalloc is detected.\n",
            "NOTE: Even if set to true, memory profiling will not work unless\n",
            "jemalloc is loaded into the address space of the binary, either by\n",
            "linking against it at compile-time or using `LD_PRELOAD`.",
        ))
        .default(false);
    flag!(set, domain)
        .help(concat!(
            "Domain that the agent belongs to. Mesos currently only supports\n",
            "fault domains, which identify groups of hosts with similar failure\n",
            "characteristics. A fault domain consists of a region and a zone.\n",
            "If this agent is placed in a different region than the master, it\n",
            "will not appear in resource offers to frameworks that have not\n",
            "enabled the REGION_AWARE capability. This value can be specified\n",
            "as either a JSON-formatted string or a file path containing JSON.\n",
            "\n",
            "Example:\n",
            "{\n",
            "  \"fault_domain\":\n",
            "    {\n",
            "      \"region\":\n",
            "        {\n",
            "          \"name\": \"aws-us-east-1\"\n",
            "        },\n",
            "      \"zone\":\n",
            "        {\n",
            "          \"name\": \"aws-us-east-1a\"\n",
            "        }\n",
            "    }\n",
            "}",
        ))
        .validate(validate_domain);
}
