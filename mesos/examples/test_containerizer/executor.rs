//! What a `Launch` asks to run, and how: the image it names and the
//! executor's command line, environment, sandbox and user.

use std::fs::{File, OpenOptions};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use mesos::containerizer::Launch;
use mesos::environment::variable::Type as VariableType;
use mesos::ContainerInfo;
use nix::unistd::{geteuid, User};

use crate::{Error, Try};

/// The image the launch asks for: the task's container's, else the
/// executor's, else the agent's `--default_container_image`.
pub(crate) fn image(launch: &Launch) -> Option<String> {
    let task = launch.task_info.as_ref().and_then(|t| t.container.as_ref());
    let executor = launch
        .executor_info
        .as_ref()
        .and_then(|e| e.container.as_ref());
    task.and_then(container_image)
        .or_else(|| executor.and_then(container_image))
        .or_else(|| {
            std::env::var("MESOS_DEFAULT_CONTAINER_IMAGE")
                .ok()
                .filter(|image| !image.is_empty())
        })
}

fn container_image(container: &ContainerInfo) -> Option<String> {
    if let Some(docker) = container.docker.as_ref().filter(|d| !d.image.is_empty()) {
        return Some(docker.image.clone());
    }
    let image = container.mesos.as_ref()?.image.as_ref()?;
    image
        .docker
        .as_ref()
        .map(|docker| docker.name.clone())
        .or_else(|| image.appc.as_ref().map(|appc| appc.name.clone()))
}

/// Whether this containerizer can run `image`: it only has the host.
pub(crate) fn runs_on_host(image: &str) -> bool {
    image == "host" || image.starts_with("host://")
}

/// The executor's sandbox.
pub(crate) fn sandbox(launch: &Launch) -> Try<&Path> {
    match launch.directory.as_deref() {
        Some(directory) if !directory.is_empty() => Ok(Path::new(directory)),
        _ => Err(Error::new("The Launch has no directory (sandbox)")),
    }
}

/// Opens `<sandbox>/<name>` for appending, as the executor's and the
/// monitor's output go.
pub(crate) fn sandbox_file(sandbox: &Path, name: &str) -> Try<File> {
    let path = sandbox.join(name);
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::new(format!("Failed to open '{}': {}", path.display(), e)))
}

/// The executor's command, ready to spawn in its own process group: the
/// executor's `CommandInfo` run in the sandbox with this invocation's
/// environment, the command's variables and `MESOS_SANDBOX`, and as the
/// launch's user when this runs as root.
pub(crate) fn command(launch: &Launch) -> Try<Command> {
    let info = launch
        .executor_info
        .as_ref()
        .and_then(|executor| executor.command.as_ref())
        .ok_or_else(|| Error::new("The Launch has no executor_info.command"))?;
    let value = info
        .value
        .as_deref()
        .ok_or_else(|| Error::new("The executor's command has no value"))?;
    let mut command = if info.shell.unwrap_or(true) {
        let mut command = Command::new("sh");
        command.arg("-c").arg(value);
        command
    } else {
        // As in Mesos, `arguments` is the whole argv, argv[0] included.
        let mut command = Command::new(value);
        if let Some((argv0, rest)) = info.arguments.split_first() {
            command.arg0(argv0).args(rest);
        }
        command
    };

    let sandbox = sandbox(launch)?;
    let variables = info.environment.iter().flat_map(|e| &e.variables);
    for variable in variables.filter(|v| v.r#type() == VariableType::Value) {
        command.env(&variable.name, variable.value.as_deref().unwrap_or(""));
    }
    command
        .env("MESOS_SANDBOX", sandbox)
        .current_dir(sandbox)
        .stdin(Stdio::null())
        .stdout(sandbox_file(sandbox, "stdout")?)
        .stderr(sandbox_file(sandbox, "stderr")?)
        .process_group(0);

    if let Some(name) = launch.user.as_deref().filter(|u| !u.is_empty()) {
        if geteuid().is_root() {
            let user = User::from_name(name)
                .map_err(|e| Error::new(format!("Failed to look up user '{}': {}", name, e)))?
                .ok_or_else(|| Error::new(format!("Unknown user '{}'", name)))?;
            // std drops root's supplementary groups when it switches.
            command.uid(user.uid.as_raw()).gid(user.gid.as_raw());
        }
    }
    Ok(command)
}
