//! The flags of the Mesos containerizer's Linux isolators, and the agent's features, firewall, credentials and Docker flags.

use stout::{flag, FlagSet};

use super::*;

pub(super) fn define(set: &mut FlagSet<Flags>) {
    flag!(set, cgroups_destroy_timeout)
        .help(concat!(
            "Amount of time allowed to destroy a cgroup hierarchy. If the cgroup\n",
            "hierarchy is not destroyed within the timeout, the corresponding\n",
            "container destroy is considered failed.",
        ))
        .default(Duration::from_secs(60));
    flag!(set, cgroups_hierarchy)
        .help("The path to the cgroups hierarchy root\n")
        .default("/sys/fs/cgroup");
    flag!(set, cgroups_root)
        .help("Name of the root cgroup\n")
        .default("mesos");
    flag!(set, cgroups_enable_cfs)
        .help(concat!(
            "Cgroups feature flag to enable hard limits on CPU resources\n",
            "via the CFS bandwidth limiting subfeature.\n",
        ))
        .default(false);
    flag!(set, cgroups_limit_swap)
        .help(concat!(
            "Cgroups feature flag to enable memory limits on both memory and\n",
            "swap instead of just memory.\n",
        ))
        .default(false);
    flag!(set, cgroups_cpu_enable_pids_and_tids_count)
        .help(concat!(
            "Cgroups feature flag to enable counting of processes and threads\n",
            "inside a container.\n",
        ))
        .default(false);
    flag!(set, cgroups_net_cls_primary_handle).help(concat!(
        "A non-zero, 16-bit handle of the form `0xAAAA`. This will be \n",
        "used as the primary handle for the net_cls cgroup.",
    ));
    flag!(set, cgroups_net_cls_secondary_handles).help(concat!(
        "A range of the form 0xAAAA,0xBBBB, specifying the valid secondary\n",
        "handles that can be used with the primary handle. This will take\n",
        "effect only when the `--cgroups_net_cls_primary_handle is set.",
    ));
    flag!(set, allowed_devices).help(concat!(
        "JSON array representing the devices that will be additionally\n",
        "whitelisted by cgroups devices subsystem. Noted that the following\n",
        "devices always be whitelisted by default:\n",
        "  * /dev/console\n",
        "  * /dev/tty0\n",
        "  * /dev/tty1\n",
        "  * /dev/pts/*\n",
        "  * /dev/ptmx\n",
        "  * /dev/net/tun\n",
        "  * /dev/null\n",
        "  * /dev/zero\n",
        "  * /dev/full\n",
        "  * /dev/tty\n",
        "  * /dev/urandom\n",
        "  * /dev/random\n",
        "This flag will take effect only when `cgroups/devices` is set in\n",
        "`--isolation` flag.\n",
        "Example:\n",
        "{\n",
        "  \"allowed_devices\": [\n",
        "    {\n",
        "      \"device\": {\n",
        "        \"path\": \"/path/to/device\"\n",
        "      },\n",
        "      \"access\": {\n",
        "        \"read\": true,\n",
        "        \"write\": false,\n",
        "        \"mknod\": false\n",
        "      }\n",
        "    }\n",
        "  ]\n",
        "}\n",
    ));
    flag!(set, agent_subsystems)
        .deprecated_alias("slave_subsystems")
        .help(concat!(
            "List of comma-separated cgroup subsystems to run the agent binary\n",
            "in, e.g., `memory,cpuacct`. The default is none.\n",
            "Present functionality is intended for resource monitoring and\n",
            "no cgroup limits are set, they are inherited from the root mesos\n",
            "cgroup.",
        ));
    flag!(set, host_path_volume_force_creation).help(concat!(
        "A colon-separated list of directories where descendant directories\n",
        "are allowed to be created by the `volume/host_path` isolator,\n",
        "if the directories do not exist.",
    ));
    flag!(set, nvidia_gpu_devices).help(concat!(
        "A comma-separated list of Nvidia GPU devices. When `gpus` is\n",
        "specified in the `--resources` flag, this flag determines which GPU\n",
        "devices will be made available. The devices should be listed as\n",
        "numbers that correspond to Nvidia's NVML device enumeration (as\n",
        "seen by running the command `nvidia-smi` on an Nvidia GPU\n",
        "equipped system).  The GPUs listed will only be isolated if the\n",
        "`--isolation` flag contains the string `gpu/nvidia`.",
    ));
    flag!(set, perf_events).help(concat!(
        "List of command-separated perf events to sample for each container\n",
        "when using the perf_event isolator. Default is none.\n",
        "Run command `perf list` to see all events. Event names are\n",
        "sanitized by downcasing and replacing hyphens with underscores\n",
        "when reported in the PerfStatistics protobuf, e.g., `cpu-cycles`\n",
        "becomes `cpu_cycles`; see the PerfStatistics protobuf for all names.",
    ));
    flag!(set, perf_interval)
        .help(concat!(
            "Interval between the start of perf stat samples. Perf samples are\n",
            "obtained periodically according to `perf_interval` and the most\n",
            "recently obtained sample is returned rather than sampling on\n",
            "demand. For this reason, `perf_interval` is independent of the\n",
            "resource monitoring interval",
        ))
        .default(Duration::from_secs(60));
    flag!(set, perf_duration)
        .help(concat!(
            "Duration of a perf stat sample. The duration must be less\n",
            "than the `perf_interval`.",
        ))
        .default(Duration::from_secs(10));
    flag!(set, revocable_cpu_low_priority)
        .help(concat!(
            "Run containers with revocable CPU at a lower priority than\n",
            "normal containers (non-revocable cpu). Currently only\n",
            "supported by the cgroups/cpu isolator.",
        ))
        .default(true);
    flag!(set, systemd_enable_support)
        .help(concat!(
            "Top level control of systemd support. When enabled, features such as\n",
            "executor life-time extension are enabled unless there is an explicit\n",
            "flag to disable these (see other flags). This should be enabled when\n",
            "the agent is launched as a systemd unit.",
        ))
        .default(true);
    flag!(set, systemd_runtime_directory)
        .help("The path to the systemd system run time directory\n")
        .default("/run/systemd/system");
    flag!(set, effective_capabilities)
        .deprecated_alias("allowed_capabilities")
        .help(concat!(
            "JSON representation of the Linux capabilities that the agent will\n",
            "grant to a task that will be run in containers launched by the\n",
            "containerizer (currently only supported by the Mesos Containerizer).\n",
            "This set overrides the default capabilities for the user but not\n",
            "the capabilities requested by the framework.\n",
            "\n",
            "To set capabilities the agent should have the `SETPCAP` capability.\n",
            "\n",
            "This flag is effective iff `linux/capabilities` isolation is enabled.\n",
            "When `linux/capabilities` isolation is enabled, the absence of this\n",
            "flag implies that the operator intends to allow ALL capabilities.\n",
            "\n",
            "Example:\n",
            "{\n",
            "   \"capabilities\": [\n",
            "       \"NET_RAW\",\n",
            "       \"SYS_ADMIN\"\n",
            "     ]\n",
            "}",
        ));
    flag!(set, bounding_capabilities).help(concat!(
        "JSON representation of the Linux capabilities that the operator\n",
        "will allow as the maximum level of privilege that a task launched\n",
        "by the containerizer may acquire (currently only supported by the\n",
        "Mesos Containerizer).\n",
        "\n",
        "This flag is effective iff `linux/capabilities` isolation is enabled.\n",
        "When `linux/capabilities` isolation is enabled, the absence of this\n",
        "flag implies that the operator allows ALL capabilities.\n",
        "\n",
        "This flag has the same syntax as `--effective_capabilities`.",
    ));
    flag!(set, default_container_shm_size).help(concat!(
        "The default size of the /dev/shm for the container which has its own\n",
        "/dev/shm but does not specify the `shm_size` field in its `LinuxInfo`.\n",
        "The format is [number][unit], number must be a positive integer and\n",
        "unit can be B (bytes), KB (kilobytes), MB (megabytes), GB (gigabytes)\n",
        "or TB (terabytes). Note that this flag is only relevant for the Mesos\n",
        "Containerizer and it will be ignored if the `namespaces/ipc` isolator\n",
        "is not enabled.",
    ));
    flag!(set, disallow_sharing_agent_ipc_namespace)
        .help(concat!(
            "If set to `true`, each top-level container will have its own IPC\n",
            "namespace and /dev/shm, and if the framework requests to share the\n",
            "agent IPC namespace and /dev/shm for the top level container, the\n",
            "container launch will be rejected. If set to `false`, the top-level\n",
            "containers will share the IPC namespace and /dev/shm with agent if\n",
            "the framework requests it. This flag will be ignored if the\n",
            "`namespaces/ipc` isolator is not enabled.\n",
        ))
        .default(false);
    flag!(set, disallow_sharing_agent_pid_namespace)
        .help(concat!(
            "If set to `true`, each top-level container will have its own pid\n",
            "namespace, and if the framework requests to share the agent pid\n",
            "namespace for the top level container, the container launch will be\n",
            "rejected. If set to `false`, the top-level containers will share the\n",
            "pid namespace with agent if the framework requests it. This flag will\n",
            "be ignored if the `namespaces/pid` isolator is not enabled.\n",
        ))
        .default(false);
    flag!(set, agent_features)
        .help(concat!(
            "JSON representation of agent features to whitelist. We always require\n",
            "'MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT',\n",
            "'AGENT_OPERATION_FEEDBACK', 'RESOURCE_PROVIDER', 'AGENT_DRAINING', and\n",
            "'TASK_RESOURCE_LIMITS'.\n",
            "\n",
            "Example:\n",
            "{\n",
            "    \"capabilities\": [\n",
            "        {\"type\": \"MULTI_ROLE\"},\n",
            "        {\"type\": \"HIERARCHICAL_ROLE\"},\n",
            "        {\"type\": \"RESERVATION_REFINEMENT\"},\n",
            "        {\"type\": \"AGENT_OPERATION_FEEDBACK\"},\n",
            "        {\"type\": \"RESOURCE_PROVIDER\"},\n",
            "        {\"type\": \"AGENT_DRAINING\"},\n",
            "        {\"type\": \"TASK_RESOURCE_LIMITS\"}\n",
            "    ]\n",
            "}\n",
        ))
        .validate(validate_agent_features);
    flag!(set, firewall_rules).help(concat!(
        "The value could be a JSON-formatted string of rules or a\n",
        "file path containing the JSON-formatted rules used in the endpoints\n",
        "firewall. Path must be of the form `file:///path/to/file`\n",
        "or `/path/to/file`.\n",
        "\n",
        "See the `Firewall` message in `flags.proto` for the expected format.\n",
        "\n",
        "Example:\n",
        "{\n",
        "  \"disabled_endpoints\": {\n",
        "    \"paths\": [\n",
        "      \"/files/browse\",\n",
        "      \"/metrics/snapshot\"\n",
        "    ]\n",
        "  }\n",
        "}",
    ));
    flag!(set, credential).help(concat!(
        "Path to a JSON-formatted file containing the credential\n",
        "to use to authenticate with the master.\n",
        "Path could be of the form `file:///path/to/file` or `/path/to/file`.\n",
        "Example:\n",
        "{\n",
        "  \"principal\": \"username\",\n",
        "  \"secret\": \"secret\"\n",
        "}",
    ));
    flag!(set, acls).help(concat!(
        "The value could be a JSON-formatted string of ACLs\n",
        "or a file path containing the JSON-formatted ACLs used\n",
        "for authorization. Path could be of the form `file:///path/to/file`\n",
        "or `/path/to/file`.\n",
        "\n",
        "Note that if the `--authorizer` flag is provided with a value\n",
        "other than ``, the ACLs contents\n",
        "will be ignored.\n",
        "\n",
        "See the ACLs protobuf in acls.proto for the expected format.\n",
        "\n",
        "Example:\n",
        "{\n",
        "  \"get_endpoints\": [\n",
        "    {\n",
        "      \"principals\": { \"values\": [\"a\"] },\n",
        "      \"paths\": { \"values\": [\"/flags\", \"/monitor/statistics\"] }\n",
        "    }\n",
        "  ]\n",
        "}",
    ));
    flag!(set, containerizers)
        .help(concat!(
            "Comma-separated list of containerizer implementations\n",
            "to compose in order to provide containerization.\n",
            "Available options are `mesos`, `external` and `docker`\n",
            "(on Linux). The order the containerizers are specified is the\n",
            "order they are tried.\n",
        ))
        .default("mesos");
    flag!(set, containerizer_path).help(concat!(
        "The path to the external containerizer executable used when\n",
        "external isolation is activated (`--isolation=external`).\n",
    ));
    flag!(set, default_container_image).help(concat!(
        "The default container image to use if not specified by a task,\n",
        "when using external containerizer.\n",
    ));
    flag!(set, docker)
        .help(concat!(
            "The absolute path to the docker executable for docker\n",
            "containerizer.\n",
        ))
        .default("docker");
    flag!(set, docker_remove_delay)
        .help(concat!(
            "The amount of time to wait before removing docker containers \n",
            "(i.e., `docker rm`) after Mesos regards the container as TERMINATED\n",
            "(e.g., `3days`, `2weeks`, etc). This only applies for the Docker\n",
            "Containerizer.\n",
        ))
        .default(Duration::from_hrs(6));
    flag!(set, docker_kill_orphans)
        .help(concat!(
            "Enable docker containerizer to kill orphaned containers.\n",
            "You should consider setting this to false when you launch multiple\n",
            "agents in the same OS, to avoid one of the DockerContainerizer \n",
            "removing docker tasks launched by other agents.\n",
        ))
        .default(true);
    flag!(set, docker_mesos_image).help(concat!(
        "The Docker image used to launch this Mesos agent instance.\n",
        "If an image is specified, the docker containerizer assumes the agent\n",
        "is running in a docker container, and launches executors with\n",
        "docker containers in order to recover them when the agent restarts and\n",
        "recovers.\n",
    ));
    flag!(set, docker_socket)
        .help(concat!(
            "Resource used by the agent and the executor to provide CLI access\n",
            "to the Docker daemon. On Unix, this is typically a path to a\n",
            "socket, such as '/var/run/docker.sock'. On Windows this must be a\n",
            "named pipe, such as '//./pipe/docker_engine'. NOTE: This must be\n",
            "the path used by the Docker image used to run the agent.\n",
        ))
        .default("/var/run/docker.sock");
    flag!(set, docker_config).help(concat!(
        "The default docker config file for agent. Can be provided either as an\n",
        "absolute path pointing to the agent local docker config file, or as a\n",
        "JSON-formatted string. The format of the docker config file should be\n",
        "identical to docker's default one (e.g., either\n",
        "`$HOME/.docker/config.json` or `$HOME/.dockercfg`).\n",
        "Example JSON (`$HOME/.docker/config.json`):\n",
        "{\n",
        "  \"auths\": {\n",
        "    \"https://index.docker.io/v1/\": {\n",
        "      \"auth\": \"xXxXxXxXxXx=\",\n",
        "      \"email\": \"username@example.com\"\n",
        "    }\n",
        "  }\n",
        "}",
    ));
    flag!(set, sandbox_directory)
        .help(concat!(
            "The absolute path for the directory in the container where the\n",
            "sandbox is mapped to.\n",
        ))
        .default("/mnt/mesos/sandbox");
    flag!(set, domain_socket_location)
            .help(concat!(
                "Location on the host filesystem of the domain socket used for\n",
                "communication with executors.\n",
                " Alternatively, this can be set to'systemd:<identifier>' to use the domain socket with the given\n",
                "identifier, which is expected to be passed by systemd.\n",
                "This flag will be ignored unless the '--http_executor_domain_sockets'\n",
                "flag is also set to true. Total path length must be less than 108\n",
                "characters.\n",
                " Will be set to <runtime_dir>/agent.sock by default.",
            ))
            .validate(validate_domain_socket_location);
    flag!(set, default_container_dns)
        .help(concat!(
            "JSON-formatted DNS information for CNI networks (Mesos containerizer)\n",
            "and CNM networks (Docker containerizer). For CNI networks, this flag\n",
            "can be used to configure `nameservers`, `domain`, `search` and\n",
            "`options`, and its priority is lower than the DNS information returned\n",
            "by a CNI plugin, but higher than the DNS information in agent host's\n",
            "/etc/resolv.conf. For CNM networks, this flag can be used to configure\n",
            "`nameservers`, `search` and `options`, it will only be used if there\n",
            "is no DNS information provided in the ContainerInfo.docker.parameters\n",
            "message.\n",
            "\n",
            "See the ContainerDNS message in `flags.proto` for the expected format.\n",
            "\n",
            "Example:\n",
            "{\n",
            "  \"mesos\": [\n",
            "    {\n",
            "      \"network_mode\": \"CNI\",\n",
            "      \"network_name\": \"net1\",\n",
            "      \"dns\": {\n",
            "        \"nameservers\": [ \"8.8.8.8\", \"8.8.4.4\" ]\n",
            "      }\n",
            "    }\n",
            "  ],\n",
            "  \"docker\": [\n",
            "    {\n",
            "      \"network_mode\": \"BRIDGE\",\n",
            "      \"dns\": {\n",
            "        \"nameservers\": [ \"8.8.8.8\", \"8.8.4.4\" ]\n",
            "      }\n",
            "    },\n",
            "    {\n",
            "      \"network_mode\": \"USER\",\n",
            "      \"network_name\": \"net2\",\n",
            "      \"dns\": {\n",
            "        \"nameservers\": [ \"8.8.8.8\", \"8.8.4.4\" ]\n",
            "      }\n",
            "    }\n",
            "  ]\n",
            "}",
        ))
        .validate(validate_default_container_dns);
    flag!(set, default_container_info).help(concat!(
        "JSON-formatted ContainerInfo that will be included into\n",
        "any ExecutorInfo that does not specify a ContainerInfo.\n",
        "\n",
        "See the ContainerInfo protobuf in mesos.proto for\n",
        "the expected format.\n",
        "\n",
        "Example:\n",
        "{\n",
        "  \"type\": \"MESOS\",\n",
        "  \"volumes\": [\n",
        "    {\n",
        "      \"host_path\": \".private/tmp\",\n",
        "      \"container_path\": \"/tmp\",\n",
        "      \"mode\": \"RW\"\n",
        "    }\n",
        "  ]\n",
        "}",
    ));
    flag!(set, docker_stop_timeout)
        .help(concat!(
            "The time docker daemon waits after stopping a container before\n",
            "killing that container. This flag is deprecated; use task's kill\n",
            "policy instead.",
        ))
        .default(Duration::ZERO);
    flag!(set, ephemeral_ports_per_container)
        .help(concat!(
            "Number of ephemeral ports allocated to a container by the network\n",
            "isolator. This number has to be a power of 2. This flag is used\n",
            "for the `network/port_mapping` isolator.",
        ))
        .default(1024u16);
    flag!(set, eth0_name).help(concat!(
        "The name of the public network interface (e.g., `eth0`). If it is\n",
        "not specified, the network isolator will try to guess it based\n",
        "on the host default gateway. This flag is used by the\n",
        "`network/port_mapping` isolator.",
    ));
    flag!(set, lo_name).help(concat!(
        "The name of the loopback network interface (e.g., lo). If it is\n",
        "not specified, the network isolator will try to guess it. This\n",
        "flag is used by the `network/port_mapping` isolator.",
    ));
    flag!(set, egress_rate_limit_per_container).help(concat!(
        "The limit of the egress traffic for each container, in Bytes/s.\n",
        "If not specified or specified as zero, the network isolator will\n",
        "impose no limits to containers' egress traffic throughput.\n",
        "This flag uses the Bytes type (defined in stout) and is used by\n",
        "the `network/port_mapping` isolator.",
    ));
    flag!(set, egress_unique_flow_per_container)
        .help(concat!(
            "Whether to assign an individual flow for each container for the\n",
            "egress traffic. This flag is used by the `network/port_mapping`\n",
            "isolator.",
        ))
        .default(false);
    flag!(set, egress_flow_classifier_parent)
        .help(concat!(
            "When `egress_unique_flow_per_container` is enabled, we need to install\n",
            "a flow classifier (fq_codel) qdisc on egress side. This flag specifies\n",
            "where to install it in the hierarchy. By default, we install it at\n",
            "root.",
        ))
        .default("root");
    flag!(set, network_enable_socket_statistics_summary)
        .help(concat!(
            "Whether to collect socket statistics summary for each container.\n",
            "This flag is used by the `network/port_mapping` isolator.",
        ))
        .default(false);
    flag!(set, network_enable_socket_statistics_details)
        .help(concat!(
            "Whether to collect socket statistics details (e.g., TCP RTT) for\n",
            "each container. This flag is used by the `network/port_mapping`\n",
            "isolator.",
        ))
        .default(false);
    flag!(set, network_enable_snmp_statistics)
        .help(concat!(
            "Whether to collect SNMP statistics details (e.g., TCPRetransSegs) for\n",
            "each container. This flag is used by the 'network/port_mapping'\n",
            "isolator.",
        ))
        .default(false);
    flag!(set, container_ports_watch_interval)
        .help(concat!(
            "Interval at which the `network/ports` isolator should check for\n",
            "containers listening on ports they don't have resources for.",
        ))
        .default(Duration::from_secs(30));
    flag!(set, check_agent_port_range_only)
        .help(concat!(
            "When this is true, the `network/ports` isolator allows tasks to\n",
            "listen on additional ports provided they fall outside the range\n",
            "published by the agent's resources. Otherwise tasks are restricted\n",
            "to only listen on ports for which they have been assigned resources.",
        ))
        .default(false);
    flag!(set, enforce_container_ports)
        .help(concat!(
            "Whether to enable port enforcement for containers. This flag\n",
            "is used by the `network/ports` isolator.",
        ))
        .default(false);
    flag!(set, container_ports_isolated_range).help(concat!(
        "When this flag is specified, the `network/ports` isolator will\n",
        "only enforce port isolation for the specified range of ports.\n",
        "(Example: `[0-35000]`)\n",
    ));
}
