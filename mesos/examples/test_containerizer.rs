//! `test-containerizer`: an external containerizer program (ECP) in the
//! manner of Mesos' `src/examples/python/test_containerizer.py`.
//!
//! The agent's external containerizer runs it as `test-containerizer
//! <command>` for each of `launch`, `update`, `usage`, `wait`, `destroy`,
//! `containers` and `recover`, with a length-prefixed protobuf on stdin
//! and, for some, one on stdout. It runs executors on the host, each in
//! its own process group, watched by a monitor process that outlives the
//! `launch` invocation: the monitor holds an exclusive lock on the
//! container's state directory until it has recorded the executor's wait
//! status, so a later `wait` blocks on that lock. With a `mem` resource
//! the monitor also kills a process group whose RSS goes over it.

#[path = "test_containerizer/commands.rs"]
mod commands;
#[path = "test_containerizer/executor.rs"]
mod executor;
#[path = "test_containerizer/framing.rs"]
mod framing;
#[path = "test_containerizer/launch.rs"]
mod launch;
#[path = "test_containerizer/monitor.rs"]
mod monitor;
#[path = "test_containerizer/proc_stats.rs"]
mod proc_stats;
#[path = "test_containerizer/state.rs"]
mod state;

use std::fmt;
use std::process::ExitCode;

/// The program's name, prefixing every error line.
const NAME: &str = "test-containerizer";

/// The hidden command `launch` re-executes this program with to become
/// a container's monitor (see `monitor.rs`).
const MONITOR_COMMAND: &str = "__monitor";

/// What runs one command.
type Handler = fn() -> Try<()>;

/// The commands of the external containerizer protocol.
const COMMANDS: [(&str, Handler); 7] = [
    ("launch", launch::launch),
    ("update", commands::update),
    ("usage", commands::usage),
    ("wait", commands::wait),
    ("destroy", commands::destroy),
    ("containers", commands::containers),
    ("recover", commands::recover),
];

/// What went wrong, as one line for stderr.
#[derive(Debug)]
struct Error(String);

impl Error {
    fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

type Try<T> = Result<T, Error>;

fn usage() -> String {
    let names: Vec<&str> = COMMANDS.iter().map(|(name, _)| *name).collect();
    format!(
        "Usage: {} <command>\nValid commands: {}",
        NAME,
        names.join(", ")
    )
}

fn main() -> ExitCode {
    let command = std::env::args().nth(1);
    let Some(command) = command else {
        eprintln!("{}: missing command\n{}", NAME, usage());
        return ExitCode::from(2);
    };
    if command == "--help" || command == "-h" {
        println!("{}", usage());
        return ExitCode::SUCCESS;
    }
    if command == MONITOR_COMMAND {
        return monitor::run();
    }
    let Some((_, run)) = COMMANDS.iter().find(|(name, _)| *name == command) else {
        eprintln!("{}: unknown command '{}'\n{}", NAME, command, usage());
        return ExitCode::from(2);
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}: {}", NAME, error);
            ExitCode::FAILURE
        }
    }
}
