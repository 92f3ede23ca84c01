//! Finding the master and registering with it (Mesos' `Slave::detected`,
//! `doReliableRegistration`, `registered`, `reregistered`, `ping`): a
//! random first delay within `--registration_backoff_factor`, then
//! retries with a doubling bound up to a minute; pings keep the agent
//! registered, and their absence makes it detect and register again.

use libprocess::{defer, delay, send_protobuf, Clock, Future, SelfPid, UPID};
use stout::Duration;

use crate::internal::{
    PingSlaveMessage, PongSlaveMessage, RegisterSlaveMessage, ReregisterSlaveMessage,
    SlaveRegisteredMessage, SlaveReregisteredMessage,
};
use crate::slave::constants::{DEFAULT_MASTER_PING_TIMEOUT, REGISTER_RETRY_INTERVAL_MAX};
use crate::slave::executor::ExecutorState;
use crate::slave::slave::{Slave, SlaveState};
use crate::MasterInfo;

/// A uniform draw in `[0, max_backoff]` (Mesos multiplies by
/// `os::random() / RAND_MAX`); `fraction` is the draw in `[0, 1]`.
pub fn backoff(max_backoff: Duration, fraction: f64) -> Duration {
    max_backoff * fraction.clamp(0.0, 1.0)
}

/// The bound for the next attempt after one bounded by `max_backoff`:
/// doubled, and never beyond `REGISTER_RETRY_INTERVAL_MAX`.
pub fn next_max_backoff(max_backoff: Duration) -> Duration {
    std::cmp::min(max_backoff, REGISTER_RETRY_INTERVAL_MAX) * 2
}

/// A draw in `[0, 1]` from the runtime's randomness.
fn fraction() -> f64 {
    libprocess::random::next_u64() as f64 / u64::MAX as f64
}

impl Slave {
    /// Recovery is not in this build: the containerizer recovers with no
    /// checkpointed state (destroying orphans), then the agent looks for
    /// its master.
    pub(crate) fn recover(&mut self) {
        let pid = self.self_pid();
        self.containerizer
            .recover(None)
            .on_any(defer(&pid, Slave::recovered));
    }

    /// The containerizer recovered (or failed to): the agent serves its
    /// state and looks for its master (Mesos' `Slave::__recover`; tests
    /// wait for it).
    pub fn recovered(&mut self, future: Future<()>) {
        if !future.is_ready() {
            tracing::error!(
                "Failed to perform recovery: {}",
                future.failure().unwrap_or("discarded")
            );
            libprocess::terminate(self.self_pid(), true);
            return;
        }
        tracing::info!("Finished recovery");
        self.published_metrics
            .set_recovery_time(libprocess::Clock::now() - self.start_time);
        if self.state == SlaveState::Recovering {
            self.state = SlaveState::Disconnected;
        }
        self.detect(None);
    }

    /// Keeps detecting masters: `detected` runs when the leader differs
    /// from `latest`.
    fn detect(&mut self, latest: Option<MasterInfo>) {
        tracing::info!("Detecting new master");
        let pid = self.self_pid();
        let detection = self.detector.detect(latest);
        detection.on_any(libprocess::defer!(pid, Slave::detected, _));
        self.detection = Some(detection);
        self.detection_generation += 1;
    }

    /// The detector found a leader (or lost one, or the detection was
    /// discarded): register with it after a random delay within
    /// `--registration_backoff_factor`, and keep detecting.
    pub fn detected(&mut self, future: Future<Option<MasterInfo>>) {
        if self.state != SlaveState::Terminating {
            self.state = SlaveState::Disconnected;
        }
        self.status_updates.pause();

        if let Some(failure) = future.failure() {
            tracing::error!("Failed to detect a master: {}", failure);
            libprocess::terminate(self.self_pid(), true);
            return;
        }

        let latest = match future.value() {
            None => {
                tracing::info!("Re-detecting master");
                self.master = None;
                None
            }
            Some(None) => {
                tracing::info!("Lost leading master");
                self.master = None;
                None
            }
            Some(Some(info)) => Some(info.clone()),
        };

        if let Some(info) = &latest {
            match UPID::parse(info.pid.as_deref().unwrap_or_default()) {
                Ok(master) => {
                    tracing::info!("New master detected at {}", master);
                    self.master = Some(master);
                    // No spurious attempt for the previous master.
                    if let Some(timer) = self.registration_timer.take() {
                        Clock::cancel(&timer);
                    }
                    if self.state == SlaveState::Terminating {
                        tracing::info!("Skipping registration because agent is terminating");
                        return;
                    }
                    tracing::info!(
                        "No credentials provided. Attempting to register without authentication"
                    );
                    let factor = self.flags.registration_backoff_factor;
                    let delay_for = backoff(factor, fraction());
                    self.registration_timer = Some(delay(
                        delay_for,
                        &self.self_pid(),
                        move |slave: &mut Slave| slave.do_reliable_registration(factor * 2),
                    ));
                }
                Err(error) => {
                    tracing::warn!("Ignoring a master with a bad pid: {}", error);
                    self.master = None;
                }
            }
        }

        self.detect(latest);
    }

    /// Sends `RegisterSlaveMessage` (or `ReregisterSlaveMessage` once the
    /// agent has an ID), and tries again after a random delay within
    /// `max_backoff` unless registered by then.
    pub(crate) fn do_reliable_registration(&mut self, max_backoff: Duration) {
        let Some(master) = self.master.clone() else {
            tracing::info!("Skipping registration because no master present");
            return;
        };
        match self.state {
            SlaveState::Running => return,
            SlaveState::Terminating => {
                tracing::info!("Skipping registration because agent is terminating");
                return;
            }
            SlaveState::Recovering | SlaveState::Disconnected => {}
        }

        // Linked only now, after the first backoff, so that agents do not
        // all connect to a new master at once.
        libprocess::link(&master);

        if self.info.id.is_none() {
            send_protobuf(&master, &self.register_message());
        } else {
            send_protobuf(&master, &self.reregister_message());
        }

        let max_backoff = std::cmp::min(max_backoff, REGISTER_RETRY_INTERVAL_MAX);
        let delay_for = backoff(max_backoff, fraction());
        tracing::debug!("Will retry registration in {} if necessary", delay_for);
        self.registration_timer = Some(delay(
            delay_for,
            &self.self_pid(),
            move |slave: &mut Slave| slave.do_reliable_registration(max_backoff * 2),
        ));
    }

    fn register_message(&self) -> RegisterSlaveMessage {
        RegisterSlaveMessage {
            slave: self.info.clone(),
            version: Some(crate::MESOS_VERSION.to_string()),
            agent_capabilities: self.capabilities.to_vec(),
            checkpointed_resources: Vec::new(),
            resource_version_uuid: Some(self.resource_version.clone()),
        }
    }

    /// Everything the agent runs, for a master that may not know it.
    fn reregister_message(&self) -> ReregisterSlaveMessage {
        let mut message = ReregisterSlaveMessage {
            slave: self.info.clone(),
            version: Some(crate::MESOS_VERSION.to_string()),
            agent_capabilities: self.capabilities.to_vec(),
            resource_version_uuid: Some(self.resource_version.clone()),
            ..ReregisterSlaveMessage::default()
        };
        for framework in self.frameworks.values() {
            message.frameworks.push(framework.info.clone());
            let framework_id = framework.id();
            let staging = |task: &crate::TaskInfo| {
                crate::common::protobuf_utils::create_task(
                    task,
                    crate::TaskState::TaskStaging,
                    &framework_id,
                )
            };
            for tasks in framework.pending_tasks.values() {
                message.tasks.extend(tasks.iter().map(staging));
            }
            for executor in framework.executors.values() {
                message
                    .tasks
                    .extend(executor.launched_tasks.values().cloned());
                message
                    .tasks
                    .extend(executor.terminated_tasks.values().cloned());
                message
                    .tasks
                    .extend(executor.queued_tasks.iter().map(staging));
                // The master does not keep the executors the agent made
                // up for command tasks; terminated ones use nothing.
                if !executor.generated_for_command_task
                    && executor.state != ExecutorState::Terminated
                {
                    message.executor_infos.push(executor.info.clone());
                }
            }
        }
        for framework in &self.completed_frameworks {
            let mut archived = crate::internal::archive::Framework {
                framework_info: framework.info.clone(),
                pid: framework.pid.as_ref().map(ToString::to_string),
                ..Default::default()
            };
            for executor in &framework.completed_executors {
                archived
                    .tasks
                    .extend(executor.terminated_tasks.values().cloned());
                archived
                    .tasks
                    .extend(executor.completed_tasks.iter().cloned());
            }
            message.completed_frameworks.push(archived);
        }
        message
    }

    fn set_ping_timeout(&mut self, seconds: Option<f64>) {
        self.master_ping_timeout = match seconds {
            Some(seconds) => Duration::from_secs(seconds as i64),
            None => DEFAULT_MASTER_PING_TIMEOUT,
        };
    }

    /// Restarts the wait for the master's next ping.
    fn reset_ping_timer(&mut self) {
        if let Some(timer) = self.ping_timer.take() {
            Clock::cancel(&timer);
        }
        let generation = self.detection_generation;
        self.ping_timer = Some(delay(
            self.master_ping_timeout,
            &self.self_pid(),
            move |slave: &mut Slave| slave.ping_timeout(generation),
        ));
    }

    pub(crate) fn registered(&mut self, from: &UPID, message: SlaveRegisteredMessage) {
        if !self.is_master(from) {
            tracing::warn!(
                "Ignoring registration message from {} because it is not the expected master: {}",
                from,
                self.master_name()
            );
            return;
        }
        self.set_ping_timeout(
            message
                .connection
                .as_ref()
                .and_then(|c| c.total_ping_timeout_seconds),
        );
        match self.state {
            SlaveState::Disconnected => {
                tracing::info!(
                    "Registered with master {}; given agent ID {}",
                    self.master_name(),
                    message.slave_id.value
                );
                self.state = SlaveState::Running;
                if let Some(timer) = self.registration_timer.take() {
                    Clock::cancel(&timer);
                }
                self.status_updates.resume();
                self.info.id = Some(message.slave_id);
                // Pings may never come: re-register if none does.
                self.reset_ping_timer();
            }
            SlaveState::Running => {
                if self.info.id.as_ref() != Some(&message.slave_id) {
                    tracing::error!(
                        "Registered but got wrong id: {} (expected: {}). Committing suicide",
                        message.slave_id.value,
                        self.slave_id().value
                    );
                    libprocess::terminate(self.self_pid(), true);
                    return;
                }
                tracing::warn!("Already registered with master {}", self.master_name());
            }
            SlaveState::Terminating => {
                tracing::warn!("Ignoring registration because agent is terminating");
            }
            SlaveState::Recovering => {
                tracing::error!("Unexpected agent state {}", self.state);
            }
        }
    }

    pub(crate) fn reregistered(&mut self, from: &UPID, message: SlaveReregisteredMessage) {
        if !self.is_master(from) {
            tracing::warn!(
                "Ignoring re-registration message from {} because it is not the expected \
                 master: {}",
                from,
                self.master_name()
            );
            return;
        }
        if self.info.id.as_ref() != Some(&message.slave_id) {
            tracing::error!(
                "Re-registered but got wrong id: {} (expected: {}). Committing suicide",
                message.slave_id.value,
                self.slave_id().value
            );
            libprocess::terminate(self.self_pid(), true);
            return;
        }
        self.set_ping_timeout(
            message
                .connection
                .as_ref()
                .and_then(|c| c.total_ping_timeout_seconds),
        );
        match self.state {
            SlaveState::Disconnected => {
                tracing::info!("Re-registered with master {}", self.master_name());
                self.state = SlaveState::Running;
                if let Some(timer) = self.registration_timer.take() {
                    Clock::cancel(&timer);
                }
                self.status_updates.resume();
                self.reset_ping_timer();
            }
            SlaveState::Running => {
                tracing::warn!("Already re-registered with master {}", self.master_name());
            }
            SlaveState::Terminating => {
                tracing::warn!("Ignoring re-registration because agent is terminating");
                return;
            }
            SlaveState::Recovering => {
                tracing::error!("Unexpected agent state {}", self.state);
                return;
            }
        }
        // Tasks the master thinks this agent runs and it does not are
        // reconciled by the master itself once it has the agent's tasks
        // from the re-registration; the agent does not answer here yet.
        for reconciliation in &message.reconciliations {
            tracing::debug!(
                "Master asks to reconcile {} tasks of framework {}",
                reconciliation.statuses.len(),
                reconciliation.framework_id.value
            );
        }
    }

    pub(crate) fn ping(&mut self, from: &UPID, message: PingSlaveMessage) {
        tracing::trace!("Received ping from {}", from);
        if !message.connected && self.state == SlaveState::Running {
            tracing::info!(
                "Master marked the agent as disconnected but the agent considers itself \
                 registered! Forcing re-registration."
            );
            if let Some(detection) = &self.detection {
                detection.discard();
            }
        }
        self.reset_ping_timer();
        send_protobuf(from, &PongSlaveMessage::default());
    }

    /// No ping within the timeout: re-detect the master (discarding the
    /// detection the timer was set for, unless another has begun).
    fn ping_timeout(&mut self, generation: u64) {
        if generation != self.detection_generation {
            return;
        }
        tracing::info!(
            "No pings from master received within {}",
            self.master_ping_timeout
        );
        if let Some(detection) = &self.detection {
            detection.discard();
        }
    }

    pub(crate) fn master_exited(&mut self, pid: &UPID) {
        tracing::info!("Got exited event for {}", pid);
        if self.master.is_none() || self.is_master(pid) {
            tracing::warn!("Master disconnected! Waiting for a new master to be elected");
        }
    }
}
