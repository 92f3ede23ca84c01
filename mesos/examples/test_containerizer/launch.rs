//! `launch < containerizer::Launch`: starts the executor and returns once
//! it runs; the monitor it starts (see `monitor.rs`) reaps it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use mesos::containerizer::Launch;

use crate::executor::{self, sandbox, sandbox_file};
use crate::state::Container;
use crate::{framing, Error, Try, MONITOR_COMMAND};

/// What the monitor prints once the executor runs.
pub(crate) const READY: &str = "ready";

pub(crate) fn launch() -> Try<()> {
    let payload = framing::read_payload(&mut std::io::stdin().lock())?;
    let launch: Launch = framing::decode(&payload)?;
    let container = Container::new(&launch.container_id)?;

    match executor::image(&launch) {
        Some(image) => {
            eprintln!(
                "Launching container {} with image '{}'",
                container.id(),
                image
            );
            if !executor::runs_on_host(&image) {
                return Err(Error::new(format!(
                    "cannot run image '{}': this containerizer runs executors on the host \
                     (use no image or 'host')",
                    image
                )));
            }
        }
        None => eprintln!("Launching container {} without an image", container.id()),
    }
    // Refuse a launch the monitor would refuse before creating anything.
    executor::command(&launch)?;
    if container.exists() {
        return Err(Error::new(format!(
            "Container '{}' already exists",
            container.id()
        )));
    }

    container.create()?;
    let resources = launch
        .executor_info
        .iter()
        .flat_map(|e| &e.resources)
        .chain(launch.task_info.iter().flat_map(|t| &t.resources))
        .cloned()
        .collect();
    let started = container
        .store_resources(resources)
        .and_then(|()| start_monitor(&launch, &payload));
    if started.is_err() {
        // Nothing runs: leave no trace of the container either.
        let _ = container.remove();
    }
    started
}

/// Runs this program again as the container's monitor, hands it the
/// launch, and waits until it says the executor runs (or why not).
///
/// The monitor gets fresh pipes and the sandbox's `stderr`, so it holds
/// none of this invocation's descriptors: the agent sees this invocation's
/// output end when it exits.
fn start_monitor(launch: &Launch, payload: &[u8]) -> Try<()> {
    let program = std::env::current_exe()
        .map_err(|e| Error::new(format!("Failed to find this program: {}", e)))?;
    let mut monitor = Command::new(program)
        .arg(MONITOR_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(sandbox_file(sandbox(launch)?, "stderr")?)
        .spawn()
        .map_err(|e| Error::new(format!("Failed to start the monitor: {}", e)))?;

    let handed = match monitor.stdin.take() {
        Some(mut stdin) => framing::write_payload(&mut stdin, payload),
        None => Err(Error::new("The monitor has no stdin")),
    };
    let mut line = String::new();
    if let Some(stdout) = monitor.stdout.take() {
        // A read error reads as no answer, reported below.
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    if handed.is_ok() && line.trim_end() == READY {
        return Ok(());
    }

    // The monitor gave up: reap it and say why.
    let status = monitor.wait();
    handed?;
    match line.trim_end() {
        "" => Err(Error::new(format!(
            "The monitor ended before it started the executor ({})",
            status.map_or_else(|e| e.to_string(), |s| s.to_string())
        ))),
        reason => Err(Error::new(reason)),
    }
}
