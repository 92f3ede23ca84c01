//! `mesos-execute`'s flags, as Mesos names and defaults them.

use stout::{flag, Duration, FlagSet, Flags as StoutFlags};

use crate::logging;

/// `mesos-execute`'s flags (those of a command task).
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// The logging flags.
    pub logging: logging::Flags,
    /// `--master`: the master, `IP:PORT`.
    pub master: Option<String>,
    /// `--name`: the task's (and framework's) name.
    pub name: Option<String>,
    /// `--shell`: run `--command` through `sh -c`.
    pub shell: bool,
    /// `--command`: what to run.
    pub command: Option<String>,
    /// `--env`: the command's environment, a JSON object.
    pub environment: Option<serde_json::Value>,
    /// `--resources`: what the task needs.
    pub resources: String,
    /// `--checkpoint`: checkpointing for the framework.
    pub checkpoint: bool,
    /// `--appc_image`: the task's Appc image.
    pub appc_image: Option<String>,
    /// `--docker_image`: the task's Docker image.
    pub docker_image: Option<String>,
    /// `--containerizer`: `mesos` or `docker`, the kind of container.
    pub containerizer: String,
    /// `--framework_capabilities`: more capabilities, comma-separated.
    pub framework_capabilities: Option<String>,
    /// `--role`: the framework's role.
    pub role: String,
    /// `--kill_after`: kill the task this long after it runs.
    pub kill_after: Option<Duration>,
    /// `--principal`: the framework's principal.
    pub principal: Option<String>,
    /// `--partition_aware`: the PARTITION_AWARE capability.
    pub partition_aware: bool,
    /// `--content_type`: `json` or `protobuf`, for calls and events.
    pub content_type: String,
}

impl AsRef<logging::Flags> for Flags {
    fn as_ref(&self) -> &logging::Flags {
        &self.logging
    }
}

impl AsMut<logging::Flags> for Flags {
    fn as_mut(&mut self) -> &mut logging::Flags {
        &mut self.logging
    }
}

impl StoutFlags for Flags {
    fn define(set: &mut FlagSet<Self>) {
        logging::add_flags(set);
        flag!(set, master).help("Mesos master (e.g., IP:PORT).");
        flag!(set, name).help("Name for the command.");
        flag!(set, shell)
            .help(
                "Determine the command is a shell or not. If not, 'command' will be\n\
                 treated as executable value and arguments (TODO).",
            )
            .default(true);
        flag!(set, command).help("Command to launch.");
        flag!(set, environment, "env").help(
            "Shell command environment variables.\n\
             The value could be a JSON formatted string of environment variables\n\
             (i.e., {\"name1\": \"value1\"}) or a file path containing the JSON\n\
             formatted environment variables. Path should be of the form\n\
             'file:///path/to/file'.",
        );
        flag!(set, resources)
            .help("Resources for the command.")
            .default("cpus:1;mem:128");
        flag!(set, checkpoint)
            .help("Enable checkpointing for the framework.")
            .default(false);
        flag!(set, appc_image).help(
            "Appc image name that follows the Appc spec\n\
             (e.g., ubuntu, example.com/reduce-worker).",
        );
        flag!(set, docker_image).help(
            "Docker image that follows the Docker CLI naming <image>:<tag>\n\
             (i.e., ubuntu, busybox:latest).",
        );
        flag!(set, framework_capabilities).help(
            "Comma-separated list of optional framework capabilities to enable.\n\
             RESERVATION_REFINEMENT and TASK_KILLING_STATE are always enabled.\n\
             PARTITION_AWARE is enabled unless --no-partition-aware is specified.",
        );
        flag!(set, containerizer)
            .help("Containerizer to be used (i.e., docker, mesos).")
            .default("mesos");
        flag!(set, role)
            .help("Role to use when registering.")
            .default("*");
        flag!(set, kill_after).help(
            "Specifies a delay after which the task is killed\n\
             (e.g., 10secs, 2mins, etc).",
        );
        flag!(set, principal).help("The principal to use for framework authentication.");
        flag!(set, partition_aware)
            .help("Enable partition-awareness for the framework.")
            .default(true);
        flag!(set, content_type)
            .help(
                "The content type to use for scheduler protocol messages. 'json'\n\
                 and 'protobuf' are valid choices.",
            )
            .default("protobuf");
    }
}
