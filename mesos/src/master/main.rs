//! `mesos-master` (Mesos' `src/master/main.cpp`), as a library function
//! so that `mesos-local` and tests run the very same code.

use crate::daemon::{self, Loaded};
use crate::master::allocator::HierarchicalDRFAllocator;
use crate::master::registrar::{InMemoryStorage, Registrar};
use crate::master::{Flags, Master};

/// The logging flags inside the master's.
pub fn logging_flags(flags: &Flags) -> crate::logging::Flags {
    crate::logging::Flags {
        quiet: flags.quiet,
        logging_level: flags.logging_level.clone(),
        log_dir: flags.log_dir.clone(),
        logbufsecs: flags.logbufsecs,
        initialize_driver_logging: flags.initialize_driver_logging,
        external_log_file: flags.external_log_file.clone(),
    }
}

/// Why this build cannot run with `flags`, if it cannot: each feature of
/// a later issue that the flags ask for is a startup error saying so.
pub fn unsupported(flags: &Flags) -> Option<String> {
    daemon::unsupported(&[
        (
            flags.registry != "in_memory",
            "--registry=replicated_log (use --registry=in_memory)",
        ),
        (flags.zk.is_some(), "--zk (ZooKeeper leader election)"),
        (flags.quorum.is_some(), "--quorum (the replicated log)"),
        (
            flags.authenticate_frameworks || flags.authenticate_agents,
            "--authenticate_frameworks/--authenticate_agents (authentication)",
        ),
        (
            flags.authenticate_http_readonly
                || flags.authenticate_http_readwrite
                || flags.authenticate_http_frameworks,
            "--authenticate_http_* (HTTP authentication)",
        ),
        (
            flags.credentials.is_some(),
            "--credentials (authentication)",
        ),
        (flags.acls.is_some(), "--acls (authorization)"),
        (
            flags.rate_limits.is_some(),
            "--rate_limits (framework rate limiting)",
        ),
        (
            flags.modules.is_some() || flags.modules_dir.is_some(),
            "--modules (modules)",
        ),
        (flags.hooks.is_some(), "--hooks (modules)"),
        (flags.whitelist.is_some(), "--whitelist (agent whitelists)"),
        (
            flags.allocator != "hierarchical" && flags.allocator != "HierarchicalDRF",
            "--allocator other than the hierarchical DRF allocator",
        ),
        (
            flags.role_sorter != "drf" || flags.framework_sorter != "drf",
            "--role_sorter/--framework_sorter other than drf",
        ),
        (
            flags.master_contender.is_some() || flags.master_detector.is_some(),
            "--master_contender/--master_detector (modules)",
        ),
        (
            flags.ip_discovery_command.is_some(),
            "--ip_discovery_command",
        ),
    ])
}

/// Runs the master until SIGINT or SIGTERM: the process' exit status.
pub fn run(args: Vec<String>) -> u8 {
    let signals = match daemon::block_signals() {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("{}", e);
            return 1;
        }
    };
    let argv0 = args
        .first()
        .cloned()
        .unwrap_or_else(|| "mesos-master".into());
    let (flags, warnings) = match daemon::load_flags::<Flags>(&args) {
        (Loaded::Run(flags), warnings) => (flags, warnings),
        (Loaded::Exit(status), _) => return status,
    };
    if flags.version {
        println!("mesos {}", crate::MESOS_VERSION);
        return 0;
    }
    if let Err(e) = crate::logging::initialize(&argv0, &logging_flags(&flags)) {
        eprintln!("{}", e);
        return 1;
    }
    for warning in warnings {
        tracing::warn!("{}", warning);
    }
    tracing::info!("Build: Mesos {} (Rust port)", crate::MESOS_VERSION);
    if let Some(error) = unsupported(&flags) {
        tracing::error!("{}", error);
        return 1;
    }
    let runtime = match daemon::runtime(
        flags.ip.as_deref(),
        flags.port,
        flags.advertise_ip.as_deref(),
        flags.advertise_port.as_deref(),
    ) {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("Failed to initialize: {}", e);
            return 1;
        }
    };
    let _enter = runtime.enter();
    let allocator = HierarchicalDRFAllocator::create();
    let allocator_pid = allocator.pid().upid().clone();
    let registrar = Registrar::new(Box::new(InMemoryStorage::new()));
    let master = match Master::new(flags, Box::new(allocator), registrar).and_then(Master::spawn) {
        Ok(master) => master,
        Err(e) => {
            tracing::error!("Failed to start the master: {}", e);
            return 1;
        }
    };

    let signal = daemon::wait_for_signal(&signals);
    tracing::info!("Received {}; shutting down", signal);
    libprocess::terminate(&master, true);
    libprocess::wait(master.upid(), Some(stout::Duration::from_secs(15)));
    libprocess::terminate(&allocator_pid, true);
    0
}
