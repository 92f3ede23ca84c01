//! Agents joining: registration and reregistration (Mesos'
//! `registerSlave`, `reregisterSlave`), and unregistration.

use std::collections::HashMap;

use libprocess::{link, send_protobuf, Clock, Future, SelfPid, UPID};

use super::agent::Slave;
use super::constants::MINIMUM_AGENT_VERSION;
use super::registrar::{AdmitSlave, MarkSlaveReachable};
use super::slave_observer::SlaveObserverHandle;
use super::Master;
use crate::common::resources::Resources;
use crate::internal::{
    RegisterSlaveMessage, ReregisterSlaveMessage, ShutdownFrameworkMessage, SlaveRegisteredMessage,
    SlaveReregisteredMessage, UnregisterSlaveMessage, UpdateFrameworkMessage,
};
use crate::{FrameworkId, SlaveId};

/// Whether `version` (`major.minor.patch[-label]`) is at least the
/// oldest agent version the master admits.
fn check_version(version: &str) -> Result<(), String> {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    let parse = |part: Option<&&str>| part.map_or(Ok(0), |p| p.parse::<u64>());
    let parsed = (
        parse(parts.first()),
        parse(parts.get(1)),
        parse(parts.get(2)),
    );
    match parsed {
        (Ok(major), Ok(minor), Ok(patch)) if !core.is_empty() && parts.len() <= 3 => {
            if (major, minor, patch) < MINIMUM_AGENT_VERSION {
                let (a, b, c) = MINIMUM_AGENT_VERSION;
                Err(format!(
                    "agent version is {}, minimum supported agent version is {}.{}.{}",
                    version, a, b, c
                ))
            } else {
                Ok(())
            }
        }
        _ => Err(format!("Failed to parse version '{}'", version)),
    }
}

impl Master {
    pub(super) fn register_slave(&mut self, from: &UPID, message: RegisterSlaveMessage) {
        self.metrics.messages_register_slave.increment();
        let hostname = message.slave.hostname.clone();
        if let Err(error) = crate::master::validation::resource::validate(&message.slave.resources)
        {
            tracing::warn!(
                "Dropping registration of agent at {} because it sent an invalid \
                 registration: {}",
                from,
                error
            );
            return;
        }
        if self.slaves.registering.contains(from) {
            tracing::info!(
                "Ignoring register agent message from {} ({}) as registration is already in \
                 progress",
                from,
                hostname
            );
            return;
        }
        tracing::info!(
            "Received register agent message from {} ({})",
            from,
            hostname
        );
        if let Err(error) = check_version(message.version.as_deref().unwrap_or_default()) {
            tracing::warn!(
                "Ignoring registration attempt from agent at {}: {}",
                from,
                error
            );
            return;
        }
        if self.flags.require_agent_domain && message.slave.domain.is_none() {
            tracing::warn!(
                "Agent at {} attempted to register without a domain, but this master is \
                 configured to require agent domains. Ignoring agent registration attempt",
                from
            );
            return;
        }
        let existing = self
            .slaves
            .registered
            .values()
            .find(|slave| &slave.pid == from)
            .map(|slave| (slave.id.clone(), slave.connected));
        match existing {
            Some((slave_id, true)) => {
                tracing::info!(
                    "Agent {} at {} ({}) already registered, resending acknowledgement",
                    slave_id.value,
                    from,
                    hostname
                );
                send_protobuf(
                    from,
                    &SlaveRegisteredMessage {
                        slave_id,
                        connection: Some(self.connection()),
                    },
                );
                return;
            }
            Some((slave_id, false)) => {
                tracing::info!(
                    "Removing old disconnected agent {} because a registration attempt occurred",
                    slave_id.value
                );
                self.remove_slave(
                    &slave_id,
                    "a new agent registered at the same address",
                    self.metrics.slave_removals_reason_registered.clone(),
                );
            }
            None => {}
        }
        self.slaves.registering.insert(from.clone());
        let slave_id = self.new_slave_id();
        tracing::info!(
            "Registering agent at {} ({}) with id {}",
            from,
            hostname,
            slave_id.value
        );
        let mut message = message;
        message.slave.id = Some(slave_id);
        let from = from.clone();
        self.registrar
            .apply(Box::new(AdmitSlave::new(message.slave.clone())))
            .on_any(libprocess::defer!(
                self.self_pid(),
                Master::_register_slave,
                from,
                message,
                _
            ));
    }

    fn _register_slave(&mut self, pid: UPID, message: RegisterSlaveMessage, admit: Future<bool>) {
        self.slaves.registering.remove(&pid);
        let info = message.slave;
        let slave_id = info.id.clone().unwrap_or_default();
        match admit.value() {
            Some(true) => {}
            Some(false) => {
                tracing::warn!(
                    "Agent {} at {} ({}) was assigned an agent ID that already appears in the \
                     registry; ignoring registration attempt",
                    slave_id.value,
                    pid,
                    info.hostname
                );
                return;
            }
            None => {
                // Mesos aborts here; a master that cannot write its registry
                // cannot go on admitting agents either.
                tracing::error!(
                    "Failed to admit agent {} at {} ({}): {}",
                    slave_id.value,
                    pid,
                    info.hostname,
                    admit.failure().unwrap_or("discarded")
                );
                return;
            }
        }
        let slave = Slave::new(
            info,
            pid.clone(),
            message.version.unwrap_or_default(),
            message.agent_capabilities,
            Clock::now(),
        );
        let mut slave = slave;
        slave.resource_version = message.resource_version_uuid;
        tracing::info!(
            "Registered agent {} at {} ({}) with {}",
            slave_id.value,
            pid,
            slave.info.hostname,
            slave.total_resources
        );
        self.add_slave(slave, HashMap::new());
        self.metrics.slave_registrations.increment();
        send_protobuf(
            &pid,
            &SlaveRegisteredMessage {
                slave_id,
                connection: Some(self.connection()),
            },
        );
    }

    pub(super) fn reregister_slave(&mut self, from: &UPID, message: ReregisterSlaveMessage) {
        self.metrics.messages_reregister_slave.increment();
        let Some(slave_id) = message.slave.id.clone() else {
            tracing::warn!(
                "Dropping reregistration of agent at {} because it sent an invalid \
                 reregistration: 'SlaveInfo.id' must be set",
                from
            );
            return;
        };
        if self.slaves.reregistering.contains(&slave_id) {
            tracing::info!(
                "Ignoring reregister agent message from agent {} at {} ({}) as \
                 reregistration is already in progress",
                slave_id.value,
                from,
                message.slave.hostname
            );
            return;
        }
        if self.slaves.marking_unreachable.contains(&slave_id) {
            tracing::info!(
                "Ignoring reregister agent message from agent {} at {} ({}) as it is being \
                 marked unreachable",
                slave_id.value,
                from,
                message.slave.hostname
            );
            return;
        }
        if self.slaves.removing.contains(&slave_id) || self.slaves.removed.contains(&slave_id) {
            tracing::info!(
                "Ignoring reregister agent message from agent {} at {} ({}) as it was removed",
                slave_id.value,
                from,
                message.slave.hostname
            );
            return;
        }
        if let Err(error) = check_version(message.version.as_deref().unwrap_or_default()) {
            tracing::warn!(
                "Ignoring reregistration attempt from agent at {}: {}",
                from,
                error
            );
            return;
        }
        if self.slaves.registered.contains_key(&slave_id) {
            self.reregister_known_slave(from, &slave_id, message);
            return;
        }
        tracing::info!(
            "Received reregister agent message from agent {} at {} ({})",
            slave_id.value,
            from,
            message.slave.hostname
        );
        self.slaves.reregistering.insert(slave_id);
        let from = from.clone();
        self.registrar
            .apply(Box::new(MarkSlaveReachable::new(message.slave.clone())))
            .on_any(libprocess::defer!(
                self.self_pid(),
                Master::_reregister_slave,
                from,
                message,
                _
            ));
    }

    /// An agent the master has registered reregisters: it reconnected
    /// (after a link break, or at a new pid after restarting).
    fn reregister_known_slave(
        &mut self,
        from: &UPID,
        slave_id: &SlaveId,
        message: ReregisterSlaveMessage,
    ) {
        let connection = self.connection();
        let Some(slave) = self.slaves.registered.get_mut(slave_id) else {
            return;
        };
        tracing::info!(
            "Agent {} at {} ({}) reregistered",
            slave_id.value,
            from,
            slave.info.hostname
        );
        slave.reregistered_time = Some(Clock::now());
        if let Some(timer) = slave.reregistration_timer.take() {
            Clock::cancel(&timer);
        }
        if &slave.pid != from {
            slave.pid = from.clone();
            link(from);
        }
        slave.version = message.version.unwrap_or_default();
        slave.capabilities = message.agent_capabilities;
        slave.resource_version = message.resource_version_uuid;
        slave.connected = true;
        if let Some(observer) = &slave.observer {
            observer.reconnect(from.clone());
        }
        let reactivate = !slave.active;
        slave.active = true;
        if reactivate {
            self.allocator.activate_slave(slave_id);
        }
        self.metrics.slave_reregistrations.increment();
        send_protobuf(
            from,
            &SlaveReregisteredMessage {
                slave_id: slave_id.clone(),
                reconciliations: Vec::new(),
                connection: Some(connection),
            },
        );
        self.send_framework_updates_to(slave_id);
    }

    fn _reregister_slave(
        &mut self,
        pid: UPID,
        message: ReregisterSlaveMessage,
        reachable: Future<bool>,
    ) {
        let info = message.slave;
        let slave_id = info.id.clone().unwrap_or_default();
        self.slaves.reregistering.remove(&slave_id);
        if let Some(error) = reachable.failure() {
            tracing::error!(
                "Failed to mark agent {} at {} ({}) as reachable in the registry: {}",
                slave_id.value,
                pid,
                info.hostname,
                error
            );
            return;
        }
        let was_unreachable = self.slaves.unreachable.remove(&slave_id).is_some();
        self.slaves.recovered.remove(&slave_id);

        // Frameworks the agent knows that this master does not (yet): they
        // are recovered from the agent's word until their schedulers
        // subscribe.
        for framework_info in &message.frameworks {
            let Some(framework_id) = &framework_info.id else {
                continue;
            };
            if !self.frameworks.contains_key(framework_id) {
                self.recover_framework(framework_info.clone());
            }
        }

        // Tasks of frameworks that cannot handle their agent coming back
        // from unreachable are shut down instead of re-adopted.
        let mut shutdown = Vec::new();
        if was_unreachable {
            for framework in self.frameworks.values() {
                if !framework.capabilities.partition_aware
                    && message.tasks.iter().any(|t| t.framework_id == framework.id)
                {
                    shutdown.push(framework.id.clone());
                }
            }
        }

        let mut slave = Slave::new(
            info,
            pid.clone(),
            message.version.unwrap_or_default(),
            message.agent_capabilities,
            Clock::now(),
        );
        slave.reregistered_time = Some(Clock::now());
        slave.resource_version = message.resource_version_uuid;
        let mut used: HashMap<FrameworkId, Resources> = HashMap::new();
        let mut tasks = Vec::new();
        for task in message.tasks {
            let framework_id = task.framework_id.clone();
            if shutdown.contains(&framework_id) || !self.frameworks.contains_key(&framework_id) {
                continue;
            }
            if !crate::common::protobuf_utils::is_terminal_state(task.state()) {
                *used.entry(framework_id.clone()).or_default() +=
                    Resources::from(task.resources.as_slice());
            }
            slave.add_task(&task);
            tasks.push(task);
        }
        for executor in message.executor_infos {
            let Some(framework_id) = executor.framework_id.clone() else {
                continue;
            };
            if shutdown.contains(&framework_id) || !self.frameworks.contains_key(&framework_id) {
                continue;
            }
            *used.entry(framework_id.clone()).or_default() +=
                Resources::from(executor.resources.as_slice());
            if let Some(framework) = self.frameworks.get_mut(&framework_id) {
                framework.add_executor(&slave_id, executor.clone());
            }
            slave.add_executor(&framework_id, executor);
        }
        for task in tasks {
            if let Some(framework) = self.frameworks.get_mut(&task.framework_id) {
                framework.add_task(task);
            }
        }
        tracing::info!(
            "Reregistered agent {} at {} ({}) with {}",
            slave_id.value,
            pid,
            slave.info.hostname,
            slave.total_resources
        );
        self.add_slave(slave, used);
        self.metrics.slave_reregistrations.increment();
        send_protobuf(
            &pid,
            &SlaveReregisteredMessage {
                slave_id: slave_id.clone(),
                reconciliations: Vec::new(),
                connection: Some(self.connection()),
            },
        );
        for framework_id in shutdown {
            tracing::info!(
                "Shutting down framework {} on reregistered agent {}: it is not partition-aware",
                framework_id.value,
                slave_id.value
            );
            send_protobuf(&pid, &ShutdownFrameworkMessage { framework_id });
        }
        self.send_framework_updates_to(&slave_id);
    }

    /// Links to the agent, starts its health checks and tells the
    /// allocator about it.
    fn add_slave(&mut self, mut slave: Slave, used: HashMap<FrameworkId, Resources>) {
        link(&slave.pid);
        slave.observer = Some(SlaveObserverHandle::spawn(
            slave.pid.clone(),
            slave.id.clone(),
            self.self_pid(),
            self.flags.agent_ping_timeout,
            self.flags.max_agent_ping_timeouts,
            self.removal_limiter.clone(),
        ));
        self.allocator.add_slave(
            &slave.id,
            &slave.info,
            slave.capabilities.clone(),
            slave.total_resources.clone(),
            used,
        );
        self.slaves.registered.insert(slave.id.clone(), slave);
    }

    /// Tells the agent the current pid of each connected framework with
    /// tasks or executors on it.
    fn send_framework_updates_to(&self, slave_id: &SlaveId) {
        let Some(slave) = self.slaves.registered.get(slave_id) else {
            return;
        };
        for framework in self.frameworks.values() {
            let on_slave = slave.tasks.contains_key(&framework.id)
                || slave.executors.contains_key(&framework.id);
            if let (true, Some(pid)) = (on_slave, framework.pid()) {
                send_protobuf(
                    &slave.pid,
                    &UpdateFrameworkMessage {
                        framework_id: framework.id.clone(),
                        pid: Some(pid.to_string()),
                        framework_info: Some(framework.info.clone()),
                    },
                );
            }
        }
    }

    pub(super) fn unregister_slave(&mut self, from: &UPID, message: UnregisterSlaveMessage) {
        self.metrics.messages_unregister_slave.increment();
        let slave_id = message.slave_id;
        tracing::info!("Asked to unregister agent {}", slave_id.value);
        match self.slaves.registered.get(&slave_id) {
            Some(slave) if &slave.pid != from => tracing::warn!(
                "Ignoring unregister agent message from {} because it is not the agent {}",
                from,
                slave.pid
            ),
            Some(_) => self.remove_slave(
                &slave_id,
                "the agent unregistered",
                self.metrics.slave_removals_reason_unregistered.clone(),
            ),
            None => {}
        }
    }
}
