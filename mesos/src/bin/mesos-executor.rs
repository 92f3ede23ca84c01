//! `mesos-executor`: Mesos' command executor, which the agent launches
//! to run a task's command.

use std::process::ExitCode;

use mesos::launcher::executor::{self, Exit, Flags};
use stout::{Duration, FlagSet};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let argv0 = args
        .first()
        .cloned()
        .unwrap_or_else(|| "mesos-executor".into());
    let mut flags = FlagSet::<Flags>::new();
    let load = flags.load(None, &args);
    if flags.help() {
        println!("{}", flags.usage(None));
        return ExitCode::SUCCESS;
    }
    let warnings = match load {
        Ok(warnings) => warnings,
        Err(e) => {
            eprintln!("{}", flags.usage(Some(&e.to_string())));
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = mesos::logging::initialize(&argv0, &flags.logging) {
        eprintln!("{}", e);
        return ExitCode::FAILURE;
    }
    for warning in warnings {
        tracing::warn!("{}", warning.message);
    }

    let environment = stout::os::environment();
    let (settings, config) = match executor::configure(&flags, &environment) {
        Ok(configured) => configured,
        Err(message) => {
            tracing::error!("{}", message);
            return ExitCode::FAILURE;
        }
    };
    // As libprocess initializes itself: `LIBPROCESS_IP`, `LIBPROCESS_PORT`
    // and the TLS settings from the environment the agent gave.
    let runtime = match libprocess::Builder::from_environment().and_then(|b| b.try_build()) {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("Failed to initialize libprocess: {}", e);
            return ExitCode::FAILURE;
        }
    };
    let _runtime = runtime.enter();
    tracing::info!("Version: {}", mesos::MESOS_VERSION);
    let exit = executor::spawn(settings, config);
    while !exit.wait_for(Duration::from_hrs(1)) {}
    match exit.value() {
        Some(Exit::Success) => ExitCode::SUCCESS,
        // The reason was logged as the executor stopped.
        _ => ExitCode::FAILURE,
    }
}
