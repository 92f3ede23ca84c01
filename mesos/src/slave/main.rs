//! `mesos-agent` (Mesos' `src/slave/main.cpp`), as a library function so
//! that `mesos-local` and tests run the very same code.

use std::sync::Arc;

use crate::daemon::{self, DaemonFlags};
use crate::slave::containerizer::Containerizer;
use crate::slave::flags::Flags;
use crate::slave::task_status_update_manager::TaskStatusUpdateManager;
use crate::slave::Slave;

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
        "slave(1)"
    }
}

/// Why this build cannot run with `flags`, if it cannot: each feature of
/// a later issue that the flags ask for is a startup error saying so.
pub fn unsupported(flags: &Flags) -> Option<String> {
    daemon::unsupported(&[
        (
            flags.containerizers.split(',').any(|kind| kind == "docker"),
            "--containerizers=docker (the Docker containerizer comes later)",
        ),
        (flags.credential.is_some(), "--credential (authentication)"),
        (
            flags.authenticate_http_readonly
                || flags.authenticate_http_readwrite
                || flags.authenticate_http_executors,
            "--authenticate_http_* (HTTP authentication)",
        ),
        (flags.acls.is_some(), "--acls (authorization)"),
        (
            flags.modules.is_some() || flags.modules_dir.is_some(),
            "--modules (modules)",
        ),
        (flags.hooks.is_some(), "--hooks (modules)"),
        (
            flags.master_detector.is_some(),
            "--master_detector (modules)",
        ),
        (flags.ip6.is_some(), "--ip6 (IPv6)"),
        (
            flags.ip_discovery_command.is_some() || flags.ip6_discovery_command.is_some(),
            "--ip_discovery_command",
        ),
    ])
}

/// Runs the agent until SIGINT or SIGTERM: the process' exit status.
pub fn run(args: Vec<String>) -> u8 {
    let daemon::Started {
        flags,
        signals,
        runtime,
    } = match daemon::start::<Flags>(&args, "mesos-agent") {
        Ok(started) => started,
        Err(status) => return status,
    };
    let Some(master) = flags.master.clone() else {
        tracing::error!("Missing required option --master");
        return 1;
    };
    let detector = match crate::master::detector::create(&master) {
        Ok(detector) => detector,
        Err(e) => {
            tracing::error!("Failed to create a master detector: {}", e);
            return 1;
        }
    };
    let _enter = runtime.enter();
    crate::version::spawn();
    let containerizer = match crate::slave::containerizer::create(&flags) {
        Ok(containerizer) => containerizer,
        Err(e) => {
            tracing::error!("Failed to create a containerizer: {}", e);
            return 1;
        }
    };
    let status_updates = Arc::new(TaskStatusUpdateManager::new(&flags.work_dir));
    let slave = match Slave::new(
        flags,
        detector,
        containerizer.clone(),
        status_updates.clone(),
    ) {
        Ok(slave) => crate::slave::spawn(slave),
        Err(e) => {
            tracing::error!("Failed to start the agent: {}", e);
            return 1;
        }
    };

    let signal = daemon::wait_for_signal(&signals);
    tracing::info!("Received {}; shutting down", signal);
    libprocess::terminate(&slave, true);
    libprocess::wait(slave.upid(), Some(stout::Duration::from_secs(30)));
    // No task outlives the agent: its containers go with it.
    destroy_containers(containerizer.as_ref());
    drop(status_updates);
    drop(containerizer);
    0
}

/// Destroys every container, waiting a bounded time for each.
pub fn destroy_containers(containerizer: &dyn Containerizer) {
    let timeout = stout::Duration::from_secs(30);
    let containers = containerizer.containers();
    if !containers.wait_for(timeout) {
        tracing::error!("Failed to list the containers to destroy");
        return;
    }
    for container_id in containers.value().cloned().unwrap_or_default() {
        tracing::info!("Destroying container {}", container_id.value);
        let destroyed = containerizer.destroy(&container_id);
        if !destroyed.wait_for(timeout) || !destroyed.is_ready() {
            tracing::error!("Failed to destroy container {}", container_id.value);
        }
    }
}
