//! What `mesos-master`, `mesos-agent` and `mesos-local` share: loading
//! flags as Mesos' binaries do, logging, the runtime on `--ip`/`--port`,
//! and shutting down on SIGINT or SIGTERM.

use std::net::{Ipv4Addr, SocketAddrV4};

use nix::sys::signal::{SigSet, Signal};
use stout::{Error, FlagSet, Flags, Try};

/// What a daemon's flags tell [`start`]; the logging flags are among them.
pub trait DaemonFlags: Flags + AsRef<crate::logging::Flags> {
    /// `--version`.
    fn version(&self) -> bool;
    /// Why this build cannot run with these flags, if it cannot.
    fn unsupported(&self) -> Option<String>;
    /// `--ip`, `--port`, `--advertise_ip`, `--advertise_port`.
    fn listen(&self) -> (Option<&str>, u16, Option<&str>, Option<&str>);
    /// The process that serves HTTP paths naming no process (`/state`
    /// is `/master/state` on a master), as Mesos' `process::initialize`.
    fn delegate(&self) -> &'static str;
}

/// A daemon ready to spawn its processes: its flags, the signals it
/// waits for, and its runtime.
#[derive(Debug)]
pub struct Started<F> {
    /// The loaded flags.
    pub flags: F,
    /// SIGINT and SIGTERM, blocked for [`wait_for_signal`].
    pub signals: SigSet,
    /// The runtime, listening.
    pub runtime: libprocess::Runtime,
}

/// Everything a daemon does before its own processes, as Mesos' `main`s
/// do it: signals, flags (`--help`, `--version`, errors), logging, the
/// check for unsupported flags, the runtime. `Err` is the exit status,
/// with the reason already printed or logged.
pub fn start<F: DaemonFlags>(args: &[String], program: &str) -> Result<Started<F>, u8> {
    let signals = block_signals().map_err(|e| {
        eprintln!("{}", e);
        1
    })?;
    let argv0 = args.first().map(String::as_str).unwrap_or(program);
    let (flags, warnings) = match load_flags::<F>(args) {
        (Loaded::Run(flags), warnings) => (flags, warnings),
        (Loaded::Exit(status), _) => return Err(status),
    };
    if flags.version() {
        println!("mesos {}", crate::MESOS_VERSION);
        return Err(0);
    }
    if let Err(e) = crate::logging::initialize(argv0, flags.as_ref()) {
        eprintln!("{}", e);
        return Err(1);
    }
    for warning in warnings {
        tracing::warn!("{}", warning);
    }
    tracing::info!("Build: Mesos {} (Rust port)", crate::MESOS_VERSION);
    if let Some(error) = flags.unsupported() {
        tracing::error!("{}", error);
        return Err(1);
    }
    let (ip, port, advertise_ip, advertise_port) = flags.listen();
    let runtime =
        runtime(ip, port, advertise_ip, advertise_port, flags.delegate()).map_err(|e| {
            tracing::error!("Failed to initialize: {}", e);
            1
        })?;
    Ok(Started {
        flags,
        signals,
        runtime,
    })
}

/// SIGINT and SIGTERM, blocked in every thread so that [`wait_for_signal`]
/// takes them. Call first in `main`, before any thread starts: threads
/// inherit the mask (children get an empty one from `subprocess`).
pub fn block_signals() -> Try<SigSet> {
    let mut signals = SigSet::empty();
    signals.add(Signal::SIGINT);
    signals.add(Signal::SIGTERM);
    signals
        .thread_block()
        .map_err(|e| Error::new(format!("Failed to block SIGINT and SIGTERM: {}", e)))?;
    Ok(signals)
}

/// Blocks until SIGINT or SIGTERM arrives; returns its name.
pub fn wait_for_signal(signals: &SigSet) -> &'static str {
    match signals.wait() {
        Ok(signal) => signal.as_str(),
        Err(_) => "an interrupted wait",
    }
}

/// What loading the flags decided.
#[derive(Debug)]
pub enum Loaded<F> {
    /// Run with these flags.
    Run(F),
    /// Exit now with this status (after `--help`, `--version` or an
    /// error, already printed).
    Exit(u8),
}

/// Loads `F` from `MESOS_*` variables and `args` as Mesos' binaries do:
/// `--help` prints the usage, a bad flag prints the error and the usage
/// to stderr and fails. Warnings (deprecated names) are returned to be
/// logged once logging is up.
pub fn load_flags<F: Flags>(args: &[String]) -> (Loaded<F>, Vec<String>) {
    let mut set = FlagSet::<F>::new();
    let loaded = set.load(Some("MESOS_"), args);
    if set.help() {
        println!("{}", set.usage(None));
        return (Loaded::Exit(0), Vec::new());
    }
    match loaded {
        Ok(warnings) => (
            Loaded::Run(set.into_values()),
            warnings.into_iter().map(|w| w.message).collect(),
        ),
        Err(e) => {
            eprintln!("{}", set.usage(Some(&e.to_string())));
            (Loaded::Exit(1), Vec::new())
        }
    }
}

/// A runtime listening on `ip:port` (with libprocess' environment for
/// what the flags leave unset), advertising `advertise_ip:advertise_port`
/// when given, serving paths without a process id with `delegate`.
pub fn runtime(
    ip: Option<&str>,
    port: u16,
    advertise_ip: Option<&str>,
    advertise_port: Option<&str>,
    delegate: &str,
) -> Try<libprocess::Runtime> {
    let parse_ip = |flag: &str, text: &str| -> Try<Ipv4Addr> {
        text.parse().map_err(|_| {
            Error::new(format!(
                "Invalid value '{}' for --{}: expected an IPv4 address",
                text, flag
            ))
        })
    };
    let mut builder = libprocess::Builder::from_environment()?.delegate(delegate);
    let ip = match ip {
        Some(text) => parse_ip("ip", text)?,
        None => std::env::var("LIBPROCESS_IP")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(Ipv4Addr::UNSPECIFIED),
    };
    builder = builder.listen(SocketAddrV4::new(ip, port));
    if let Some(text) = advertise_ip {
        builder = builder.advertise_ip(parse_ip("advertise_ip", text)?);
    }
    if let Some(text) = advertise_port {
        let port = text
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| {
                Error::new(format!(
                    "Invalid value '{}' for --advertise_port: expected a port (1-65535)",
                    text
                ))
            })?;
        builder = builder.advertise_port(port);
    }
    builder.try_build()
}

/// The first of `checks` that holds: a flag set to something this build
/// cannot do yet, as an error that says so.
pub fn unsupported(checks: &[(bool, &str)]) -> Option<String> {
    checks
        .iter()
        .find(|(set, _)| *set)
        .map(|(_, what)| format!("{} is not supported by this build yet", what))
}
