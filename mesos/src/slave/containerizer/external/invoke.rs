//! One run of the external containerizer program (ECP) for one command:
//! `<containerizer_path> <command>` in its own session, the input record
//! on stdin, the result record read from stdout, stderr appended to the
//! sandbox's `stderr` file (or kept in memory and logged when the command
//! has no sandbox).

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt;

use bytes::Bytes;
use libprocess::subprocess::{self, ChildHook, Io};
use libprocess::{io, Future};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use stout::{Duration, Error, Try};

use super::record;
use crate::common::status_utils::{succeeded, wstringify};

/// The ECP's commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// `launch < containerizer::Launch`.
    Launch,
    /// `update < containerizer::Update`.
    Update,
    /// `usage < containerizer::Usage > mesos::ResourceStatistics`.
    Usage,
    /// `wait < containerizer::Wait > containerizer::Termination`.
    Wait,
    /// `destroy < containerizer::Destroy`.
    Destroy,
    /// `containers > containerizer::Containers`.
    Containers,
    /// `recover`.
    Recover,
}

impl Command {
    /// The command's name, the program's argument.
    pub fn name(self) -> &'static str {
        match self {
            Command::Launch => "launch",
            Command::Update => "update",
            Command::Usage => "usage",
            Command::Wait => "wait",
            Command::Destroy => "destroy",
            Command::Containers => "containers",
            Command::Recover => "recover",
        }
    }

    /// Whether the program answers with a record on stdout.
    fn has_result(self) -> bool {
        matches!(self, Command::Usage | Command::Wait | Command::Containers)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where an invocation runs: the executor's sandbox, and the user it
/// runs as (whom the sandbox's `stderr` file goes to).
#[derive(Clone, Debug)]
pub(super) struct Sandbox {
    pub(super) directory: String,
    pub(super) user: Option<String>,
}

/// What every invocation shares: the program and the agent's directories.
#[derive(Clone, Debug)]
pub(super) struct Invoker {
    path: String,
    /// The agent's environment with `MESOS_LIBEXEC_DIRECTORY` and
    /// `MESOS_WORK_DIRECTORY`, read once: every invocation starts from it.
    environment: BTreeMap<String, String>,
}

/// A running invocation.
#[derive(Debug)]
pub(super) struct Invocation {
    command: Command,
    pid: i32,
    /// Once the program has exited (and written its result): the result
    /// record's payload (empty for commands without one), or what went
    /// wrong.
    done: Future<Result<Bytes, String>>,
}

/// The program's stderr: an anonymous file, appended whole to the
/// sandbox's `stderr` once the program exits, so that the output of
/// invocations running side by side does not interleave, and each
/// failure quotes its own invocation's last line.
struct Stderr {
    file: File,
    /// The sandbox the output goes to, or none: the output is logged.
    sandbox: Option<Sandbox>,
}

impl Invoker {
    /// An invoker of `path` for an agent with these directories.
    pub(super) fn new(path: &str, work_dir: &str, launcher_dir: &str) -> Invoker {
        let mut environment = stout::os::environment();
        environment.insert("MESOS_LIBEXEC_DIRECTORY".into(), launcher_dir.to_string());
        environment.insert("MESOS_WORK_DIRECTORY".into(), work_dir.to_string());
        Invoker {
            path: path.to_string(),
            environment,
        }
    }

    /// Starts `command` with `input` (a framed record) on stdin, in
    /// `sandbox` if given, with the agent's environment plus
    /// `MESOS_LIBEXEC_DIRECTORY`, `MESOS_WORK_DIRECTORY` and `environment`.
    pub(super) fn invoke(
        &self,
        command: Command,
        input: Option<Vec<u8>>,
        sandbox: Option<&Sandbox>,
        environment: BTreeMap<String, String>,
    ) -> Try<Invocation> {
        tracing::debug!("Invoking external containerizer for method '{}'", command);
        tracing::debug!("calling: [{} {}]", self.path, command);
        if let Some(sandbox) = sandbox {
            tracing::debug!("directory: {}", sandbox.directory);
        }

        let mut env = self.environment.clone();
        env.extend(environment);

        let stderr = Stderr::open(sandbox)?;
        let stderr_fd = stderr
            .file
            .try_clone()
            .map_err(|e| Error::errno("Failed to duplicate stderr", &e))?;
        // The program may read stdin to its end: the agent keeps its own
        // end of the pipe only until the input is written.
        let (stdin, input_end) = match input {
            Some(input) => {
                let (read, write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
                    .map_err(|e| Error::new(format!("Failed to create a pipe: {}", e.desc())))?;
                (Io::owned(read), Some((write, input)))
            }
            None => (Io::path("/dev/null"), None),
        };
        let stdout = if command.has_result() {
            Io::pipe()
        } else {
            Io::path("/dev/null")
        };
        // Its own session, so that the agent can kill it with its children
        // and a signal to the agent's group does not reach it.
        let mut launcher = subprocess::subprocess(
            self.path.clone(),
            vec![self.path.clone(), command.name().to_string()],
        )
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Io::owned(OwnedFd::from(stderr_fd)))
        .environment(env)
        .child_hook(ChildHook::setsid());
        if let Some(sandbox) = sandbox {
            launcher = launcher.child_hook(ChildHook::chdir(&sandbox.directory));
        }
        let child = launcher
            .launch()
            .map_err(|e| Error::new(format!("Failed to execute external containerizer: {}", e)))?;
        tracing::debug!("Subprocess pid: {}", child.pid());

        let written = match input_end {
            Some((fd, input)) => io::write_all(&fd, input),
            None => Future::ready(()),
        };
        let result = if command.has_result() {
            match child.stdout() {
                Some(stdout) => record::read(stdout),
                None => Future::failed("The program's stdout is not a pipe"),
            }
        } else {
            Future::ready(Ok(Bytes::new()))
        };
        let status = child.status();
        let done = written
            .repair(|failed| {
                // A program that exits without reading its input is judged
                // by its exit status.
                tracing::debug!(
                    "Failed to write to the external containerizer: {}",
                    failed.failure().unwrap_or("discarded")
                );
                Future::ready(())
            })
            .then(move |()| result)
            .then(move |result| status.map(move |status| (result, status)))
            .map(move |(result, status)| {
                let output = stderr.finish(command);
                match status {
                    None => Err(format!(
                        "External containerizer '{}' has no exit status",
                        command
                    )),
                    Some(status) if !succeeded(status) => Err(with_output(
                        format!(
                            "External containerizer '{}' {}",
                            command,
                            wstringify(status)
                        ),
                        &output,
                    )),
                    Some(_) => result.map_err(|e| {
                        with_output(
                            format!("Failed to read the result of '{}': {}", command, e),
                            &output,
                        )
                    }),
                }
            });
        Ok(Invocation {
            command,
            pid: child.pid(),
            done,
        })
    }
}

impl Invocation {
    /// The program's pid (and process group).
    pub(super) fn pid(&self) -> i32 {
        self.pid
    }

    /// The outcome, however long the program takes (`wait` blocks until
    /// the executor ends).
    pub(super) fn done(&self) -> Future<Result<Bytes, String>> {
        self.done.clone()
    }

    /// The outcome, or an error once `timeout` has passed on the clock,
    /// the program then killed with its process group.
    pub(super) fn done_within(&self, timeout: Duration) -> Future<Result<Bytes, String>> {
        let (command, pid) = (self.command, self.pid);
        self.done.after(timeout, move |_| {
            kill(pid);
            Future::ready(Err(format!(
                "External containerizer '{}' did not finish within {}",
                command, timeout
            )))
        })
    }
}

/// SIGKILLs the invocation `pid` and every process in its group.
pub(super) fn kill(pid: i32) {
    if let Err(e) = killpg(Pid::from_raw(pid), Signal::SIGKILL) {
        tracing::debug!("Failed to kill process group {}: {}", pid, e.desc());
    }
}

impl Stderr {
    fn open(sandbox: Option<&Sandbox>) -> Try<Stderr> {
        let fd = nix::sys::memfd::memfd_create(
            "external-containerizer-stderr",
            nix::sys::memfd::MFdFlags::MFD_CLOEXEC,
        )
        .map_err(|e| Error::new(format!("Failed to create a stderr file: {}", e.desc())))?;
        Ok(Stderr {
            file: File::from(fd),
            sandbox: sandbox.cloned(),
        })
    }

    /// Moves what the program wrote to where it goes; its last 4 KB.
    fn finish(mut self, command: Command) -> String {
        const TAIL: usize = 4096;
        let mut output = Vec::new();
        if self.file.seek(SeekFrom::Start(0)).is_ok() {
            let _ = self.file.read_to_end(&mut output);
        }
        match &self.sandbox {
            Some(sandbox) if !output.is_empty() => append(sandbox, &output),
            Some(_) => {}
            None => {
                let text = String::from_utf8_lossy(&output);
                if !text.trim().is_empty() {
                    tracing::info!(
                        "External containerizer '{}' wrote to stderr: {}",
                        command,
                        text.trim_end()
                    );
                }
            }
        }
        let tail = &output[output.len().saturating_sub(TAIL)..];
        String::from_utf8_lossy(tail).into_owned()
    }
}

/// Appends `output` to the sandbox's `stderr` file, which the executor
/// (run as the sandbox's user) writes to as well.
fn append(sandbox: &Sandbox, output: &[u8]) {
    let path = stout::path::join(&sandbox.directory, "stderr");
    let created = !stout::os::exists(&path);
    let appended = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .open(&path)
        .and_then(|mut file| file.write_all(output));
    if let Err(e) = appended {
        tracing::warn!("Failed to append to '{}': {}", path, e);
        return;
    }
    if let (true, Some(user)) = (created, &sandbox.user) {
        if nix::unistd::geteuid().is_root() {
            if let Err(e) = crate::slave::paths::chown(user, &path) {
                tracing::warn!("Failed to chown '{}' to '{}': {}", path, user, e);
            }
        }
    }
}

/// `message`, with the last line the program wrote to stderr.
fn with_output(message: String, output: &str) -> String {
    match output.lines().rev().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) => format!("{}: {}", message, line),
        None => message,
    }
}
