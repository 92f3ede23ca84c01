//! The command executor's flags (Mesos' `Flags` in
//! `src/launcher/executor.cpp`), with the logging flags.

use stout::{flag, FlagSet, Flags as StoutFlags};

use crate::logging;

/// Where Mesos' helper binaries are installed by default
/// (`PKGLIBEXECDIR`).
pub const PKGLIBEXECDIR: &str = "/usr/local/libexec/mesos";

/// `mesos-executor`'s flags.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// The logging flags.
    pub logging: logging::Flags,
    /// `--rootfs`: the task's root filesystem.
    pub rootfs: Option<String>,
    /// `--sandbox_directory`: where the sandbox is in the container (with
    /// a rootfs).
    pub sandbox_directory: Option<String>,
    /// `--working_directory`: the task's working directory in the
    /// container (with a rootfs).
    pub working_directory: Option<String>,
    /// `--user`: who the task runs as.
    pub user: Option<String>,
    /// `--task_command`: a JSON `CommandInfo` to run instead of the task's.
    pub task_command: Option<String>,
    /// `--task_environment`: a JSON `Environment` added for the task.
    pub task_environment: Option<serde_json::Value>,
    /// `--effective_capabilities`: a JSON `CapabilityInfo`.
    pub effective_capabilities: Option<serde_json::Value>,
    /// `--bounding_capabilities`: a JSON `CapabilityInfo`.
    pub bounding_capabilities: Option<serde_json::Value>,
    /// `--tty_slave_path`: the slave end of the task's TTY.
    pub tty_slave_path: Option<String>,
    /// `--task_launch_info`: a JSON `ContainerLaunchInfo`.
    pub task_launch_info: Option<serde_json::Value>,
    /// `--task_supplementary_groups`: comma-separated gids.
    pub task_supplementary_groups: Option<String>,
    /// `--launcher_dir`: where Mesos' binaries are.
    pub launcher_dir: String,
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
        flag!(set, rootfs).help("The path to the root filesystem for the task");
        flag!(set, sandbox_directory).help(
            "The absolute path for the directory in the container where the\n\
             sandbox is mapped to",
        );
        flag!(set, working_directory).help("The working directory for the task in the container.");
        flag!(set, user).help("The user that the task should be running as.");
        flag!(set, task_command).help(
            "If specified, this is the overrided command for launching the\n\
             task (instead of the command from TaskInfo).",
        );
        flag!(set, task_environment).help(
            "If specified, this is a JSON-ified `Environment` protobuf that\n\
             should be added to the executor's environment before launching\n\
             the task.",
        );
        flag!(set, effective_capabilities).help("Capabilities granted to the command at launch.");
        flag!(set, bounding_capabilities)
            .help("The bounding set of capabilities the command can use.");
        flag!(set, task_launch_info).help("The launch info to run the task.");
        flag!(set, tty_slave_path)
            .help("A path to the slave end of the attached TTY if there is one.");
        flag!(set, task_supplementary_groups)
            .help("Comma-separated list of supplementary groups to run the task with.");
        flag!(set, launcher_dir)
            .help("Directory path of Mesos binaries.")
            .default(PKGLIBEXECDIR);
    }
}
