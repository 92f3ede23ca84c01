//! The logging flags and the agent's own: resources, directories, registration, executors, recovery.

use stout::{flag, FlagSet};

use super::*;

pub(super) fn define(set: &mut FlagSet<Flags>) {
    crate::logging::add_flags(set);
    flag!(set, hostname).help(concat!(
        "The hostname the agent should report.\n",
        "If left unset, the hostname is resolved from the IP address\n",
        "that the agent advertises; unless the user explicitly prevents\n",
        "that, using `--no-hostname_lookup`, in which case the IP itself\n",
        "is used.",
    ));
    flag!(set, hostname_lookup)
        .help(concat!(
            "Whether we should execute a lookup to find out the server's hostname,\n",
            "if not explicitly set (via, e.g., `--hostname`).\n",
            "True by default; if set to `false` it will cause Mesos\n",
            "to use the IP address, unless the hostname is explicitly set.",
        ))
        .default(true);
    flag!(set, version)
        .help("Show version and exit.")
        .default(false);
    flag!(set, resources).help(concat!(
        "Total consumable resources per agent. Can be provided in JSON format\n",
        "or as a semicolon-delimited list of key:value pairs, with the role\n",
        "optionally specified.\n",
        "\n",
        "As a key:value list:\n",
        "`name(role):value;name:value...`\n",
        "\n",
        "To use JSON, pass a JSON-formatted string or use\n",
        "`--resources=filepath` to specify the resources via a file containing\n",
        "a JSON-formatted string. `filepath` can only be of the form\n",
        "`file:///path/to/file`.\n",
        "\n",
        "Example JSON:\n",
        "[\n",
        "  {\n",
        "    \"name\": \"cpus\",\n",
        "    \"type\": \"SCALAR\",\n",
        "    \"scalar\": {\n",
        "      \"value\": 24\n",
        "    }\n",
        "  },\n",
        "  {\n",
        "    \"name\": \"mem\",\n",
        "    \"type\": \"SCALAR\",\n",
        "    \"scalar\": {\n",
        "      \"value\": 24576\n",
        "    }\n",
        "  }\n",
        "]",
    ));
    flag!(set, resource_provider_config_dir).help(concat!(
        "Path to a directory that contains local resource provider configs.\n",
        "Each file in the config dir should contain a JSON object representing\n",
        "a `ResourceProviderInfo` object. Each local resource provider provides\n",
        "resources that are local to the agent. It is also responsible for\n",
        "handling operations on the resources it provides. Please note that\n",
        "`resources` field might not need to be specified if the resource\n",
        "provider determines the resources automatically.\n",
        "\n",
        "Example config file in this directory:\n",
        "{\n",
        "  \"type\": \"org.mesos.apache.rp.local.storage\",\n",
        "  \"name\": \"lvm\"\n",
        "}",
    ));
    flag!(set, csi_plugin_config_dir).help(concat!(
        "Path to a directory that contains CSI plugin configs.\n",
        "Each file in the config dir should contain a JSON object representing\n",
        "a `CSIPluginInfo` object which can be either a managed CSI plugin\n",
        "(i.e. the plugin launched by Mesos as a standalone container) or an\n",
        "unmanaged CSI plugin (i.e. the plugin launched out of Mesos).\n",
        "\n",
        "Example config files in this directory:\n",
        "{\n",
        "  \"type\": \"org.apache.mesos.csi.managed-plugin\",\n",
        "  \"containers\": [\n",
        "    {\n",
        "      \"services\": [\n",
        "        \"NODE_SERVICE\"\n",
        "      ],\n",
        "      \"command\": {\n",
        "        \"value\": \"<path-to-managed-plugin> --endpoint=$CSI_ENDPOINT\"\n",
        "      },\n",
        "      \"resources\": [\n",
        "        {\"name\": \"cpus\", \"type\": \"SCALAR\", \"scalar\": {\"value\": 0.1}},\n",
        "        {\"name\": \"mem\", \"type\": \"SCALAR\", \"scalar\": {\"value\": 1024}}\n",
        "      ]\n",
        "    }\n",
        "  ]\n",
        "}\n",
        "\n",
        "{\n",
        "  \"type\": \"org.apache.mesos.csi.unmanaged-plugin\",\n",
        "  \"endpoints\": [\n",
        "    {\n",
        "      \"csi_service\": \"NODE_SERVICE\",\n",
        "      \"endpoint\": \"/var/lib/unmanaged-plugin/csi.sock\"\n",
        "    }\n",
        "  ],\n",
        "  \"target_path_root\": \"/mnt/unmanaged-plugin\"\n",
        "}",
    ));
    flag!(set, disk_profile_adaptor).help(concat!(
        "The name of the disk profile adaptor module that storage resource\n",
        "providers should use for translating a 'disk profile' into inputs\n",
        "consumed by various Container Storage Interface (CSI) plugins.\n",
        "If this flag is not specified, the default behavior for storage\n",
        "resource providers is to only expose resources for pre-existing\n",
        "volumes and not publish RAW volumes.",
    ));
    flag!(set, isolation)
        .help(concat!(
            "Isolation mechanisms to use, e.g., `posix/cpu,posix/mem` (or\n",
            "`windows/cpu,windows/mem` if you are on Windows), or\n",
            "`cgroups/cpu,cgroups/mem`, or `network/port_mapping`\n",
            "(configure with flag: `--with-network-isolator` to enable),\n",
            "or `gpu/nvidia` for nvidia specific gpu isolation,\n",
            "or load an alternate isolator module using the `--modules`\n",
            "flag. if `cgroups/all` is specified, any other cgroups related\n",
            "isolation options (e.g., `cgroups/cpu`) will be ignored, and all\n",
            "the local enabled cgroups subsystems on the agent host will be\n",
            "automatically loaded by the cgroups isolator. Note that this flag\n",
            "is only relevant for the Mesos Containerizer.",
        ))
        .default("posix/cpu,posix/mem");
    flag!(set, launcher)
        .help(concat!(
            "The launcher to be used for Mesos containerizer. It could either be\n",
            "`linux` or `posix`. The Linux launcher is required for cgroups\n",
            "isolation and for any isolators that require Linux namespaces such as\n",
            "network, pid, etc. If unspecified, the agent will choose the Linux\n",
            "launcher if it's running as root on Linux.",
        ))
        .default(default_launcher());
    flag!(set, image_providers).help(concat!(
        "Comma-separated list of supported image providers,\n",
        "e.g., `APPC,DOCKER`.",
    ));
    flag!(set, image_provisioner_backend).help(concat!(
        "Strategy for provisioning container rootfs from images,\n",
        "e.g., `aufs`, `bind`, `copy`, `overlay`.",
    ));
    flag!(set, image_gc_config).help(concat!(
        "JSON-formatted configuration for automatic container image garbage\n",
        "collection. This is an optional flag. If it is not set, it means\n",
        "the automatic container image gc is not enabled. Users have to\n",
        "trigger image gc manually via the operator API. If it is set, the\n",
        "auto image gc is enabled. This image gc config can be provided either\n",
        "as a path pointing to a local file, or as a JSON-formatted string.\n",
        "Please note that the image garbage collection only work with Mesos\n",
        "Containerizer for now.\n",
        "\n",
        "See the ImageGcConfig message in `flags.proto` for the expected\n",
        "format.\n",
        "\n",
        "In the following example, image garbage collection is configured to\n",
        "sample disk usage every hour, and will attempt to maintain at least\n",
        "10 percent of free space on the container image filesystem:\n",
        "{\n",
        "  \"image_disk_headroom\": 0.1,\n",
        "  \"image_disk_watch_interval\": {\n",
        "    \"nanoseconds\": 3600000000000\n",
        "  },\n",
        "  \"excluded_images\": []\n",
        "}",
    ));
    flag!(set, appc_simple_discovery_uri_prefix)
        .help(concat!(
            "URI prefix to be used for simple discovery of appc images,\n",
            "e.g., `http://`, `https://`, `hdfs://<hostname>:9000/user/abc/cde`.",
        ))
        .default("http://");
    flag!(set, appc_store_dir)
        .help("Directory the appc provisioner will store images in.\n")
        .default(temp_path(&["mesos", "store", "appc"]));
    flag!(set, docker_registry)
        .help(concat!(
            "The default url for Mesos containerizer to pull Docker images. It\n",
            "could either be a Docker registry server url (e.g., `https://registry.docker.io`),\n",
            "or a source that Docker image archives (result of `docker save`) are\n",
            "stored. The Docker archive source could be specified either as a local\n",
            "path (e.g., `/tmp/docker/images`), or as an HDFS URI (*experimental*)\n",
            "(e.g., `hdfs://localhost:8020/archives/`). Note that this option won't\n",
            "change the default registry server for Docker containerizer.",
        ))
        .default("https://registry-1.docker.io");
    flag!(set, docker_store_dir)
        .help("Directory the Docker provisioner will store images in")
        .default(temp_path(&["mesos", "store", "docker"]));
    flag!(set, docker_volume_checkpoint_dir)
        .help(concat!(
            "The root directory where we checkpoint the information about docker\n",
            "volumes that each container uses.",
        ))
        .default("/var/run/mesos/isolators/docker/volume");
    flag!(set, docker_volume_chown)
        .help(concat!(
            "Whether to chown the docker volume's mount point non-recursively\n",
            "to the container user. Please notice that this flag is not recommended\n",
            "to turn on if there is any docker volume shared by multiple non-root\n",
            "users. By default, this flag is off.\n",
        ))
        .default(false);
    flag!(set, docker_ignore_runtime)
        .help(concat!(
            "Ignore any runtime configuration specified in the Docker image. The\n",
            "Mesos containerizer will not propagate Docker runtime specifications\n",
            "such as `WORKDIR`, `ENV` and `CMD` to the container.\n",
        ))
        .default(false);
    flag!(set, default_role)
        .help(concat!(
            "Any resources in the `--resources` flag that\n",
            "omit a role, as well as any resources that\n",
            "are not present in `--resources` but that are\n",
            "automatically detected, will be assigned to\n",
            "this role.",
        ))
        .default("*");
    flag!(set, attributes).help(concat!(
        "Attributes of the agent machine, in the form:\n",
        "`rack:2` or `rack:2;u:1`",
    ));
    flag!(set, fetcher_cache_size)
        .help("Size of the fetcher cache in Bytes.")
        .default(Bytes::gigabytes(2));
    flag!(set, fetcher_cache_dir)
        .help(concat!(
            "Directory for the fetcher cache. The agent will clear this directory\n",
            "on startup. It is recommended to set this value to a separate volume\n",
            "for several reasons:\n",
            "  * The cache directories are transient and not meant to be\n",
            "    backed up. Upon restarting the agent, the cache is always empty.\n",
            "  * The cache and container sandboxes can potentially interfere with\n",
            "    each other when occupying a shared space (i.e. disk contention).",
        ))
        .default(temp_path(&["mesos", "fetch"]));
    flag!(set, fetcher_stall_timeout)
        .help(concat!(
            "Amount of time for the fetcher to wait before considering a download\n",
            "being too slow and abort it when the download stalls (i.e., the speed\n",
            "keeps below one byte per second).\n",
            "NOTE: This feature only applies when downloading data from the net and\n",
            "does not apply to HDFS.",
        ))
        .default(Duration::from_mins(1));
    flag!(set, work_dir).help(concat!(
        "Path of the agent work directory. This is where executor sandboxes\n",
        "will be placed, as well as the agent's checkpointed state in case of\n",
        "failover. Note that locations like `/tmp` which are cleaned\n",
        "automatically are not suitable for the work directory when running in\n",
        "production, since long-running agents could lose data when cleanup\n",
        "occurs. (Example: `/var/lib/mesos/agent`)",
    ));
    flag!(set, runtime_dir)
        .help(concat!(
            "Path of the agent runtime directory. This is where runtime data\n",
            "is stored by an agent that it needs to persist across crashes (but\n",
            "not across reboots). This directory will be cleared on reboot.\n",
            "(Example: `/var/run/mesos`)",
        ))
        .default(default_runtime_dir());
    flag!(set, launcher_dir)
        .help(concat!(
            "Directory path of Mesos binaries. Mesos looks for the fetcher,\n",
            "containerizer, and executor binary files under this directory.",
        ))
        .default(default_launcher_dir());
    flag!(set, hadoop_home).help(concat!(
        "Path to find Hadoop installed (for\n",
        "fetching framework executors from HDFS)\n",
        "(no default, look for `HADOOP_HOME` in\n",
        "environment or find hadoop on `PATH`)",
    ));
    flag!(set, switch_user)
        .help(concat!(
            "If set to `true`, the agent will attempt to run tasks as\n",
            "the `user` who submitted them (as defined in `FrameworkInfo`)\n",
            "(this requires `setuid` permission and that the given `user`\n",
            "exists on the agent).\n",
            "If the user does not exist, an error occurs and the task will fail.\n",
            "If set to `false`, tasks will be run as the same user as the Mesos\n",
            "agent process.\n",
            "NOTE: This feature is not yet supported on Windows agent, and\n",
            "therefore the flag currently does not exist on that platform.",
        ))
        .default(true);
    flag!(set, volume_gid_range).help(concat!(
        "When this flag is specified, if a task running as non-root user uses a\n",
        "shared persistent volume or a PARENT type SANDBOX_PATH volume, the\n",
        "volume will be owned by a gid allocated from this range and have the\n",
        "`setgid` bit set, and the task process will be launched with the gid\n",
        "as its supplementary group to make sure it can access the volume.\n",
        "(Example: `[10000-20000]`)",
    ));
    flag!(set, http_heartbeat_interval)
        .help(concat!(
            "This flag sets a heartbeat interval (e.g. '5secs', '10mins') for\n",
            "messages to be sent over persistent connections made against\n",
            "the agent HTTP API. Currently, this only applies to the\n",
            "'LAUNCH_NESTED_CONTAINER_SESSION' and 'ATTACH_CONTAINER_OUTPUT' calls.",
        ))
        .default(Duration::from_secs(30));
    flag!(set, frameworks_home)
        .help("Directory path prepended to relative executor URIs")
        .default("");
    flag!(set, registration_backoff_factor)
        .help(concat!(
            "Agent initially picks a random amount of time between `[0, b]`, where\n",
            "`b = registration_backoff_factor`, to (re-)register with a new master.\n",
            "Subsequent retries are exponentially backed off based on this\n",
            "interval (e.g., 1st retry uses a random value between `[0, b * 2^1]`,\n",
            "2nd retry between `[0, b * 2^2]`, 3rd retry between `[0, b * 2^3]`,\n",
            "etc) up to a maximum of 1mins",
        ))
        .default(DEFAULT_REGISTRATION_BACKOFF_FACTOR);
    flag!(set, authentication_backoff_factor)
        .help(concat!(
            "The agent will time out its authentication with the master based on\n",
            "exponential backoff. The timeout will be randomly chosen within the\n",
            "range `[min, min + factor*2^n]` where `n` is the number of failed\n",
            "attempts. To tune these parameters, set the\n",
            "`--authentication_timeout_[min|max|factor]` flags.\n",
        ))
        .default(DEFAULT_AUTHENTICATION_BACKOFF_FACTOR);
    flag!(set, authentication_timeout_min)
        .help(concat!(
            "The minimum amount of time the agent waits before retrying\n",
            "authenticating with the master. See `authentication_backoff_factor`\n",
            "for more details. NOTE that since authentication retry cancels the\n",
            "previous authentication request, one should consider what is the\n",
            "normal authentication delay when setting this flag to prevent\n",
            "premature retry.",
        ))
        .default(DEFAULT_AUTHENTICATION_TIMEOUT_MIN);
    flag!(set, authentication_timeout_max)
        .help(concat!(
            "The maximum amount of time the agent waits before retrying\n",
            "authenticating with the master. See `authentication_backoff_factor`\n",
            "for more details.",
        ))
        .default(DEFAULT_AUTHENTICATION_TIMEOUT_MAX);
    flag!(set, executor_environment_variables)
        .help(concat!(
            "JSON object representing the environment variables that should be\n",
            "passed to the executor, and thus subsequently task(s). By default this\n",
            "flag is none. Users have to define executor environment explicitly.\n",
            "Example:\n",
            "{\n",
            "  \"PATH\": \"/bin:/usr/bin\",\n",
            "  \"LD_LIBRARY_PATH\": \"/usr/local/lib\"\n",
            "}",
        ))
        .validate(validate_executor_environment_variables);
    flag!(set, executor_registration_timeout)
        .help(concat!(
            "Amount of time to wait for an executor\n",
            "to register with the agent before considering it hung and\n",
            "shutting it down (e.g., 60secs, 3mins, etc)",
        ))
        .default(EXECUTOR_REGISTRATION_TIMEOUT);
    flag!(set, executor_reregistration_timeout)
        .help(concat!(
            "The timeout within which an executor is expected to reregister after\n",
            "the agent has restarted, before the agent considers it gone and shuts\n",
            "it down. Note that currently, the agent will not reregister with the\n",
            "master until this timeout has elapsed (see MESOS-7539).",
        ))
        .default(EXECUTOR_REREGISTRATION_TIMEOUT)
        .validate(validate_executor_reregistration_timeout);
    flag!(set, executor_reregistration_retry_interval).help(concat!(
        "For PID-based executors, how long the agent waits before retrying\n",
        "the reconnect message sent to the executor during recovery.\n",
        "NOTE: Do not use this unless you understand the following\n",
        "(see MESOS-5332): PID-based executors using Mesos libraries >= 1.1.2\n",
        "always re-link with the agent upon receiving the reconnect message.\n",
        "This avoids the executor replying on a half-open TCP connection to\n",
        "the old agent (possible if netfilter is dropping packets,\n",
        "see: MESOS-7057). However, PID-based executors using Mesos\n",
        "libraries < 1.1.2 do not re-link and are therefore prone to\n",
        "replying on a half-open connection after the agent restarts. If we\n",
        "only send a single reconnect message, these \"old\" executors will\n",
        "reply on their half-open connection and receive a RST; without any\n",
        "retries, they will fail to reconnect and be killed by the agent once\n",
        "the executor re-registration timeout elapses. To ensure these \"old\"\n",
        "executors can reconnect in the presence of netfilter dropping\n",
        "packets, we introduced optional retries of the reconnect message.\n",
        "This results in \"old\" executors correctly establishing a link\n",
        "when processing the second reconnect message.",
    ));
    flag!(set, executor_shutdown_grace_period)
        .help(concat!(
            "Default amount of time to wait for an executor to shut down\n",
            "(e.g. 60secs, 3mins, etc). ExecutorInfo.shutdown_grace_period\n",
            "overrides this default. Note that the executor must not assume\n",
            "that it will always be allotted the full grace period, as the\n",
            "agent may decide to allot a shorter period, and failures / forcible\n",
            "terminations may occur.",
        ))
        .default(DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD);
    flag!(set, jwt_secret_key)
        .deprecated_alias("executor_secret_key")
        .help(concat!(
            "Path to a file containing the key used when generating JWT secrets.\n",
            "This flag is only available when Mesos is built with SSL support.",
        ));
    flag!(set, gc_delay)
        .help(concat!(
            "Maximum amount of time to wait before cleaning up\n",
            "executor directories (e.g., 3days, 2weeks, etc).\n",
            "Note that this delay may be shorter depending on\n",
            "the available disk usage.",
        ))
        .default(GC_DELAY);
    flag!(set, gc_disk_headroom)
        .help(concat!(
            "Adjust disk headroom used to calculate maximum executor\n",
            "directory age. Age is calculated by:\n",
            "`gc_delay * max(0.0, (1.0 - gc_disk_headroom - disk usage))`\n",
            "every `--disk_watch_interval` duration. `gc_disk_headroom` must\n",
            "be a value between 0.0 and 1.0",
        ))
        .default(GC_DISK_HEADROOM);
    flag!(set, gc_non_executor_container_sandboxes)
        .help(concat!(
            "Determines whether nested container sandboxes created via the\n",
            "LAUNCH_CONTAINER and LAUNCH_NESTED_CONTAINER APIs will be\n",
            "automatically garbage collected by the agent upon termination.\n",
            "The REMOVE_(NESTED_)CONTAINER API is unaffected by this flag\n",
            "and can still be used.",
        ))
        .default(false);
    flag!(set, disk_watch_interval)
        .help(concat!(
            "Periodic time interval (e.g., 10secs, 2mins, etc)\n",
            "to check the overall disk usage managed by the agent.\n",
            "This drives the garbage collection of archived\n",
            "information and sandboxes.",
        ))
        .default(DISK_WATCH_INTERVAL);
    flag!(set, container_logger).help(concat!(
        "The name of the container logger to use for logging container\n",
        "(i.e., executor and task) stdout and stderr. The default\n",
        "container logger writes to `stdout` and `stderr` files\n",
        "in the sandbox directory.",
    ));
    flag!(set, recover)
        .help(concat!(
            "Whether to recover status updates and reconnect with old executors.\n",
            "Valid values for `recover` are\n",
            "reconnect: Reconnect with any old live executors.\n",
            "cleanup  : Kill any old live executors and exit.\n",
            "           Use this option when doing an incompatible agent\n",
            "           or executor upgrade.",
        ))
        .default("reconnect");
    flag!(set, recovery_timeout)
        .help(concat!(
            "Amount of time allotted for the agent to recover. If the agent takes\n",
            "longer than recovery_timeout to recover, any executors that are\n",
            "waiting to reconnect to the agent will self-terminate.\n",
            "The best value of this flag depends on the frameworks being run.\n",
            "For non-partition-aware frameworks, it makes sense to set this\n",
            "close to the `agent_reregister_timeout` on the master.\n",
            "For partition-aware frameworks, it makes sense to set this higher\n",
            "than the timeout that the framework uses to give up on the task,\n",
            "otherwise the executor might terminate even if the task could still\n",
            "successfully reconnect to the framework.",
        ))
        .default(RECOVERY_TIMEOUT);
    flag!(set, reconfiguration_policy)
        .help(concat!(
            "This flag controls which agent configuration changes are considered\n",
            "acceptable when recovering the previous agent state. Possible values:\n",
            "equal:    The old and the new state must match exactly.\n",
            "additive: The new state must be a superset of the old state:\n",
            "          it is permitted to add additional resources, attributes\n",
            "          and domains but not to remove or to modify existing ones.\n",
            "Note that this only affects the checking done on the agent itself,\n",
            "the master may still reject the agent if it detects a change that it\n",
            "considers unacceptable, which, e.g., currently happens when port or\n",
            "hostname are changed.",
        ))
        .default("equal");
    flag!(set, strict)
        .help(concat!(
            "If `strict=true`, any and all recovery errors are considered fatal.\n",
            "If `strict=false`, any expected errors (e.g., agent cannot recover\n",
            "information about an executor, because the agent died right before\n",
            "the executor registered.) during recovery are ignored and as much\n",
            "state as possible is recovered.\n",
        ))
        .default(true);
    flag!(set, max_completed_executors_per_framework)
        .help(concat!(
            "Maximum number of completed executors per framework to store\n",
            "in memory.\n",
        ))
        .default(DEFAULT_MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK);
}
