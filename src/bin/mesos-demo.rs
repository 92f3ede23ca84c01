//! `mesos-demo`: the README's main job until `mesos-local` exists. It loads
//! Mesos-style flags (command line and `MESOS_*` environment) with stout and
//! reports what a daemon with those flags would use: the address it would
//! advertise, its durations and sizes in Mesos' notation.

use std::net::IpAddr;
use std::process::ExitCode;

use stout::{flag, Bytes, Duration, FlagSet, Flags};

#[derive(Default)]
struct DemoFlags {
    ip: Option<IpAddr>,
    port: u16,
    work_dir: Option<String>,
    registration_backoff_factor: Duration,
    memory: Bytes,
    quiet: bool,
}

impl Flags for DemoFlags {
    fn define(set: &mut FlagSet<Self>) {
        flag!(set, ip).help("IP address to listen on.");
        flag!(set, port).help("Port to listen on.").default(5050);
        flag!(set, work_dir).help("Path of the agent work directory.");
        flag!(set, registration_backoff_factor)
            .help("Agent registration backoff factor.")
            .default(Duration::from_secs(1));
        flag!(set, memory)
            .help("Memory to offer.")
            .default(Bytes::megabytes(512));
        flag!(set, quiet)
            .help("Disable printing the summary.")
            .default(false);
    }
}

fn main() -> ExitCode {
    let mut flags = FlagSet::<DemoFlags>::new();
    flags.set_usage_message(
        "Usage: mesos-demo [options]\n\nLoads Mesos-style flags and prints what they resolve to.",
    );
    match flags.load(Some("MESOS_"), std::env::args()) {
        Err(error) => {
            eprint!("{}", flags.usage(Some(error.message())));
            return ExitCode::FAILURE;
        }
        Ok(warnings) => {
            for warning in warnings {
                eprintln!("Warning: {}", warning.message);
            }
        }
    }
    if flags.help() {
        print!("{}", flags.usage(None));
        return ExitCode::SUCCESS;
    }

    let bind = flags.ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let advertised = match stout::net::advertise_address(bind) {
        Ok(ip) => ip,
        Err(error) => {
            eprintln!("Failed to pick the address to advertise: {}", error);
            return ExitCode::FAILURE;
        }
    };
    if !flags.quiet {
        println!("Flags: {}", flags);
        println!("Would listen on {}:{}", bind, flags.port);
        println!("Would advertise master@{}:{}", advertised, flags.port);
        println!(
            "Registration backoff: {} ({} ns); memory: {} ({} bytes)",
            flags.registration_backoff_factor,
            flags.registration_backoff_factor.ns(),
            flags.memory,
            flags.memory.bytes()
        );
    }
    ExitCode::SUCCESS
}
