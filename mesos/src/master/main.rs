//! `mesos-master` (Mesos' `src/master/main.cpp`), as a library function
//! so that `mesos-local` and tests run the very same code.

use crate::daemon::{self, DaemonFlags};
use crate::master::allocator::HierarchicalDRFAllocator;
use crate::master::registrar::{InMemoryStorage, Registrar};
use crate::master::{Flags, Master};

impl DaemonFlags for Flags {
    fn version(&self) -> bool {
        self.version
    }

    fn unsupported(&self) -> Option<String> {
        unsupported(self)
    }

    fn listen(&self) -> (Option<&str>, u16, Option<&str>, Option<&str>) {
        (
            self.ip.as_deref(),
            self.port,
            self.advertise_ip.as_deref(),
            self.advertise_port.as_deref(),
        )
    }

    fn delegate(&self) -> &'static str {
        "master"
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
    let daemon::Started {
        flags,
        signals,
        runtime,
    } = match daemon::start::<Flags>(&args, "mesos-master") {
        Ok(started) => started,
        Err(status) => return status,
    };
    let _enter = runtime.enter();
    crate::version::spawn();
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
