//! What `mesos-master`, `mesos-agent` and `mesos-local` share: loading
//! flags as Mesos' binaries do, logging, the runtime on `--ip`/`--port`,
//! and shutting down on SIGINT or SIGTERM.

use std::net::{Ipv4Addr, SocketAddrV4};

use nix::sys::signal::{SigSet, Signal};
use stout::{Error, FlagSet, Flags, Try};

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
/// when given.
pub fn runtime(
    ip: Option<&str>,
    port: u16,
    advertise_ip: Option<&str>,
    advertise_port: Option<&str>,
) -> Try<libprocess::Runtime> {
    let parse_ip = |flag: &str, text: &str| -> Try<Ipv4Addr> {
        text.parse().map_err(|_| {
            Error::new(format!(
                "Invalid value '{}' for --{}: expected an IPv4 address",
                text, flag
            ))
        })
    };
    let mut builder = libprocess::Builder::from_environment()?;
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
