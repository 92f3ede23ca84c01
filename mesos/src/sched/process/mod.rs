//! The driver's process (Mesos' `SchedulerProcess`): detects the master,
//! subscribes, turns the master's messages into [`Scheduler`] callbacks
//! and the driver's calls into `mesos.scheduler.Call` messages.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use libprocess::metrics::{self, PullGauge};
use libprocess::{defer, delay, link, send_protobuf, Clock, Future, Handlers, Latch, Process};
use libprocess::{SelfPid, Timer, UPID};
use stout::Duration;

mod calls;
mod events;

use super::agents::AgentPids;
use super::driver::Shared;
use super::{registration, MesosSchedulerDriver, Scheduler};
use crate::internal::{
    DeactivateFrameworkMessage, ExecutorToFrameworkMessage, ExitedExecutorMessage,
    FrameworkErrorMessage, FrameworkRegisteredMessage, FrameworkReregisteredMessage,
    LostSlaveMessage, RescindResourceOfferMessage, ResourceOffersMessage, StatusUpdate,
    StatusUpdateMessage,
};
use crate::master::detector::MasterDetector;
use crate::scheduler::{call, Call, Event, OfferConstraints};
use crate::{ExecutorId, FrameworkId, FrameworkInfo, MasterInfo, Offer, OfferId, SlaveId};

/// What the process starts with.
pub(super) struct Config {
    pub(super) driver: Weak<Shared>,
    pub(super) running: Arc<AtomicBool>,
    pub(super) latch: Arc<Latch>,
    pub(super) scheduler: Box<dyn Scheduler>,
    pub(super) framework: FrameworkInfo,
    pub(super) suppressed_roles: BTreeSet<String>,
    pub(super) detector: Arc<dyn MasterDetector>,
    pub(super) registration_backoff_factor: Duration,
    pub(super) implicit_acknowledgements: bool,
}

/// The leading master as detected.
struct Leader {
    info: MasterInfo,
    pid: UPID,
}

pub(super) struct SchedulerProcess {
    driver: Weak<Shared>,
    /// Cleared by the driver (on any thread) when it stops or aborts, so
    /// that events already queued are ignored.
    running: Arc<AtomicBool>,
    latch: Arc<Latch>,
    scheduler: Box<dyn Scheduler>,
    framework: FrameworkInfo,
    suppressed_roles: BTreeSet<String>,
    offer_constraints: Option<OfferConstraints>,
    /// Whether the next SUBSCRIBE forces a failover of the framework.
    failover: bool,
    master: Option<Leader>,
    /// Subscribed with the leading master.
    connected: bool,
    send_update_framework_on_connect: bool,
    detector: Arc<dyn MasterDetector>,
    registration_backoff_factor: Duration,
    registration_timer: Option<Timer>,
    /// For framework messages sent straight to agents.
    agent_pids: AgentPids,
    implicit_acknowledgements: bool,
    metrics: Vec<PullGauge>,
}

impl std::fmt::Debug for SchedulerProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchedulerProcess")
            .field("framework_id", &self.framework.id)
            .field("connected", &self.connected)
            .finish()
    }
}

fn has_id(framework: &FrameworkInfo) -> bool {
    framework.id.as_ref().is_some_and(|id| !id.value.is_empty())
}

impl SchedulerProcess {
    pub(super) fn new(config: Config) -> SchedulerProcess {
        tracing::info!("Version: {}", crate::MESOS_VERSION);
        SchedulerProcess {
            failover: has_id(&config.framework),
            driver: config.driver,
            running: config.running,
            latch: config.latch,
            scheduler: config.scheduler,
            framework: config.framework,
            suppressed_roles: config.suppressed_roles,
            offer_constraints: None,
            master: None,
            connected: false,
            send_update_framework_on_connect: false,
            detector: config.detector,
            registration_backoff_factor: config.registration_backoff_factor,
            registration_timer: None,
            agent_pids: AgentPids::default(),
            implicit_acknowledgements: config.implicit_acknowledgements,
            metrics: Vec::new(),
        }
    }

    fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    /// Runs a callback with a handle on the driver; skipped once every
    /// handle on the driver is gone.
    fn callback(&mut self, f: impl FnOnce(&mut dyn Scheduler, &MesosSchedulerDriver)) {
        if let Some(shared) = self.driver.upgrade() {
            let driver = MesosSchedulerDriver::from_shared(shared);
            f(self.scheduler.as_mut(), &driver);
        }
    }

    /// Whether `from` is the leading master.
    fn sent_by_master(&self, from: &UPID) -> bool {
        self.master.as_ref().is_some_and(|m| &m.pid == from)
    }

    fn master_pid(&self) -> UPID {
        self.master
            .as_ref()
            .map_or_else(UPID::empty, |m| m.pid.clone())
    }

    /// Checks a message the driver only takes from the leading master
    /// while subscribed.
    fn accept(&self, what: &str, from: &UPID) -> bool {
        if !self.running() {
            tracing::debug!(
                "Ignoring {} message because the driver is not running!",
                what
            );
            return false;
        }
        if !self.connected {
            tracing::debug!(
                "Ignoring {} message because the driver is disconnected!",
                what
            );
            return false;
        }
        if !self.sent_by_master(from) {
            tracing::debug!(
                "Ignoring {} message because it was sent from '{}' instead of the leading master '{}'",
                what,
                from,
                self.master_pid()
            );
            return false;
        }
        true
    }

    fn framework_id(&self) -> FrameworkId {
        self.framework.id.clone().unwrap_or_default()
    }

    /// A call of `kind` from this framework.
    fn call(&self, kind: call::Type) -> Call {
        Call {
            framework_id: Some(self.framework_id()),
            r#type: Some(kind as i32),
            ..Call::default()
        }
    }

    fn send_to_master<M: libprocess::ProtobufMessage>(&self, message: &M) {
        if let Some(master) = &self.master {
            send_protobuf(&master.pid, message);
        }
    }

    fn detect(&mut self, previous: Option<MasterInfo>) {
        let pid = self.self_pid();
        self.detector.detect(previous).on_any(defer(
            &pid,
            |process: &mut SchedulerProcess, detected: Future<Option<MasterInfo>>| {
                process.detected(detected)
            },
        ));
    }

    fn detected(&mut self, detected: Future<Option<MasterInfo>>) {
        if !self.running() {
            tracing::debug!("Ignoring the master change because the driver is not running!");
            return;
        }
        let leader = match detected.outcome() {
            Some(libprocess::Outcome::Ready(leader)) => leader.clone(),
            Some(libprocess::Outcome::Failed(failure)) => {
                let message = format!("Failed to detect a master: {}", failure);
                tracing::error!("{}", message);
                self.error(&message);
                return;
            }
            _ => {
                tracing::error!("Master detection was discarded");
                return;
            }
        };

        self.master = leader.as_ref().and_then(|info| {
            let text = info.pid.clone().unwrap_or_default();
            match UPID::parse(&text) {
                Ok(pid) => Some(Leader {
                    info: info.clone(),
                    pid,
                }),
                Err(_) => {
                    tracing::warn!("Ignoring a master with a bad pid '{}'", text);
                    None
                }
            }
        });

        if self.connected {
            // The master failed, or failed over (to itself or another):
            // the driver re-subscribes, so the scheduler learns it lost the
            // connection first.
            self.callback(|scheduler, driver| scheduler.disconnected(driver));
        }
        self.connected = false;

        match self.master.as_ref().map(|m| m.pid.clone()) {
            Some(pid) => {
                tracing::info!("New master detected at {}", pid);
                link(&pid);
                // A retry scheduled for the previous master must not fire.
                self.cancel_registration_timer();
                tracing::info!(
                    "No credentials provided. Attempting to register without authentication"
                );
                self.do_reliable_registration(self.registration_backoff_factor);
            }
            None => tracing::info!("No master detected"),
        }

        self.detect(leader);
    }

    fn cancel_registration_timer(&mut self) {
        if let Some(timer) = self.registration_timer.take() {
            Clock::cancel(&timer);
        }
    }

    fn do_reliable_registration(&mut self, max_backoff: Duration) {
        if !self.running() || self.connected {
            return;
        }
        let Some(master) = &self.master else {
            return;
        };
        tracing::debug!("Sending SUBSCRIBE call to {}", master.pid);

        let mut subscribe = call::Subscribe {
            framework_info: self.framework.clone(),
            suppressed_roles: self.suppressed_roles.iter().cloned().collect(),
            offer_constraints: self.offer_constraints.clone(),
            ..call::Subscribe::default()
        };
        let mut call = Call {
            r#type: Some(call::Type::Subscribe as i32),
            ..Call::default()
        };
        if has_id(&self.framework) {
            subscribe.force = Some(self.failover);
            call.framework_id = self.framework.id.clone();
        }
        call.subscribe = Some(subscribe);
        send_protobuf(&master.pid, &call);

        let bound = registration::bound(max_backoff, self.framework.failover_timeout);
        let wait = registration::delay(bound, libprocess::random::below);
        tracing::debug!("Will retry registration in {} if necessary", wait);
        let next = bound * 2;
        self.registration_timer = Some(delay(wait, &self.self_pid(), move |p: &mut Self| {
            p.do_reliable_registration(next)
        }));
    }

    fn registered(&mut self, from: &UPID, framework_id: FrameworkId, master_info: MasterInfo) {
        if !self.accept_subscribed("registered", from) {
            return;
        }
        tracing::info!("Framework registered with {}", framework_id.value);
        self.framework.id = Some(framework_id.clone());
        self.on_connected();
        self.callback(|scheduler, driver| {
            scheduler.registered(driver, &framework_id, &master_info)
        });
    }

    fn reregistered(&mut self, from: &UPID, framework_id: FrameworkId, master_info: MasterInfo) {
        if !self.accept_subscribed("reregistered", from) {
            return;
        }
        tracing::info!("Framework reregistered with {}", framework_id.value);
        if self.framework.id.as_ref() != Some(&framework_id) {
            tracing::error!(
                "Ignoring framework reregistered message for {} because the framework is {}",
                framework_id.value,
                self.framework_id().value
            );
            return;
        }
        self.on_connected();
        self.callback(|scheduler, driver| scheduler.reregistered(driver, &master_info));
    }

    fn accept_subscribed(&self, what: &str, from: &UPID) -> bool {
        if !self.running() {
            tracing::debug!(
                "Ignoring framework {} message because the driver is not running!",
                what
            );
            return false;
        }
        if self.connected {
            tracing::debug!(
                "Ignoring framework {} message because the driver is already connected!",
                what
            );
            return false;
        }
        if !self.sent_by_master(from) {
            tracing::warn!(
                "Ignoring framework {} message because it was sent from '{}' instead of the leading master '{}'",
                what,
                from,
                self.master_pid()
            );
            return false;
        }
        true
    }

    fn on_connected(&mut self) {
        self.connected = true;
        self.failover = false;
        if std::mem::take(&mut self.send_update_framework_on_connect) {
            self.send_update_framework();
        }
    }

    fn resource_offers(&mut self, from: &UPID, offers: Vec<Offer>, pids: Vec<String>) {
        if !self.accept("resource offers", from) {
            return;
        }
        // Only inverse offers: the driver has nothing to say.
        if offers.is_empty() {
            return;
        }
        if offers.len() != pids.len() {
            tracing::warn!(
                "Ignoring resource offers message with {} offers and {} pids",
                offers.len(),
                pids.len()
            );
            return;
        }
        for (offer, pid) in offers.iter().zip(&pids) {
            match UPID::parse(pid) {
                Ok(pid) => self.agent_pids.offered(&offer.id, &offer.slave_id, pid),
                Err(_) => tracing::debug!("Failed to parse PID '{}'", pid),
            }
        }
        self.callback(|scheduler, driver| scheduler.resource_offers(driver, &offers));
    }

    fn rescind_offer(&mut self, from: &UPID, offer_id: &OfferId) {
        if !self.accept("rescind offer", from) {
            return;
        }
        tracing::debug!("Rescinded offer {}", offer_id.value);
        self.agent_pids.forget_offer(offer_id);
        self.callback(|scheduler, driver| scheduler.offer_rescinded(driver, offer_id));
    }

    /// An update from the master (`from`), or made by the driver itself
    /// (`from` empty); `pid` is who acknowledges it, empty for updates
    /// that need no acknowledgement.
    fn status_update(&mut self, from: &UPID, update: StatusUpdate, pid: &UPID) {
        if !self.running() {
            tracing::debug!(
                "Ignoring task status update message because the driver is not running!"
            );
            return;
        }
        if !from.is_empty() && !self.accept("status update", from) {
            return;
        }
        if self.framework_id() != update.framework_id {
            tracing::warn!(
                "Ignoring status update for framework {} instead of {}",
                update.framework_id.value,
                self.framework_id().value
            );
            return;
        }

        let uuid = update.uuid.clone().filter(|uuid| !uuid.is_empty());
        let mut status = update.status.clone();
        // Only an update an agent sent through the master is acknowledged;
        // the scheduler learns which by the uuid in the status.
        status.uuid = match &uuid {
            Some(uuid) if !from.is_empty() && !pid.is_empty() => Some(uuid.clone()),
            _ => None,
        };

        self.callback(|scheduler, driver| scheduler.status_update(driver, &status));

        if !self.implicit_acknowledgements {
            return;
        }
        // The scheduler may have stopped or aborted the driver meanwhile.
        if !self.running() {
            tracing::debug!(
                "Not sending status update acknowledgment message because the driver is not running!"
            );
            return;
        }
        if uuid.is_some() || (!from.is_empty() && !pid.is_empty()) {
            let mut call = self.call(call::Type::Acknowledge);
            call.acknowledge = Some(call::Acknowledge {
                slave_id: update.slave_id.clone().unwrap_or_default(),
                task_id: update.status.task_id.clone(),
                uuid: update.uuid.clone().unwrap_or_default(),
            });
            self.send_to_master(&call);
        }
    }

    fn lost_slave(&mut self, from: &UPID, slave_id: &SlaveId) {
        if !self.accept("lost agent", from) {
            return;
        }
        tracing::debug!("Lost agent {}", slave_id.value);
        self.agent_pids.lost(slave_id);
        self.callback(|scheduler, driver| scheduler.slave_lost(driver, slave_id));
    }

    fn lost_executor(
        &mut self,
        from: &UPID,
        executor_id: &ExecutorId,
        slave_id: &SlaveId,
        status: i32,
    ) {
        if !self.accept("lost executor", from) {
            return;
        }
        tracing::debug!(
            "Executor {} on agent {} exited with status {}",
            executor_id.value,
            slave_id.value,
            status
        );
        self.callback(|scheduler, driver| {
            scheduler.executor_lost(driver, executor_id, slave_id, status)
        });
    }

    /// Framework messages come from the master or straight from agents.
    fn framework_message(&mut self, slave_id: &SlaveId, executor_id: &ExecutorId, data: &[u8]) {
        if !self.running() {
            tracing::debug!("Ignoring framework message because the driver is not running!");
            return;
        }
        self.callback(|scheduler, driver| {
            scheduler.framework_message(driver, executor_id, slave_id, data)
        });
    }

    fn error(&mut self, message: &str) {
        if !self.running() {
            tracing::debug!("Ignoring error message because the driver is not running!");
            return;
        }
        tracing::info!("Got error '{}'", message);
        self.callback(|scheduler, driver| {
            driver.abort();
            scheduler.error(driver, message);
        });
    }

    pub(super) fn stop(&mut self, failover: bool) {
        tracing::info!("Stopping framework {}", self.framework_id().value);
        libprocess::terminate(self.self_pid(), false);
        if self.connected && !failover {
            let call = self.call(call::Type::Teardown);
            self.send_to_master(&call);
        }
        self.latch.trigger();
    }

    /// Tells the master to stop sending to this scheduler; the process
    /// stays, for a later `stop`.
    pub(super) fn abort(&mut self) {
        tracing::info!("Aborting framework {}", self.framework_id().value);
        if self.connected {
            self.send_to_master(&DeactivateFrameworkMessage {
                framework_id: self.framework_id(),
            });
        } else {
            tracing::debug!("Not sending a deactivate message as master is disconnected");
        }
        self.latch.trigger();
    }
}

impl Process for SchedulerProcess {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install_protobuf(|p: &mut Self, from, event: Event| p.receive(from, event));
        handlers.install_protobuf(|p: &mut Self, from, m: FrameworkRegisteredMessage| {
            p.registered(from, m.framework_id, m.master_info)
        });
        handlers.install_protobuf(|p: &mut Self, from, m: FrameworkReregisteredMessage| {
            p.reregistered(from, m.framework_id, m.master_info)
        });
        handlers.install_protobuf(|p: &mut Self, from, m: ResourceOffersMessage| {
            p.resource_offers(from, m.offers, m.pids)
        });
        handlers.install_protobuf(|p: &mut Self, from, m: RescindResourceOfferMessage| {
            p.rescind_offer(from, &m.offer_id)
        });
        handlers.install_protobuf(|p: &mut Self, from, m: StatusUpdateMessage| {
            let pid = m
                .pid
                .as_deref()
                .and_then(|pid| UPID::parse(pid).ok())
                .unwrap_or_else(UPID::empty);
            p.status_update(from, m.update, &pid)
        });
        handlers.install_protobuf(|p: &mut Self, from, m: LostSlaveMessage| {
            p.lost_slave(from, &m.slave_id)
        });
        handlers.install_protobuf(|p: &mut Self, from, m: ExitedExecutorMessage| {
            p.lost_executor(from, &m.executor_id, &m.slave_id, m.status)
        });
        handlers.install_protobuf(|p: &mut Self, _from, m: ExecutorToFrameworkMessage| {
            p.framework_message(&m.slave_id, &m.executor_id, &m.data)
        });
        handlers
            .install_protobuf(|p: &mut Self, _from, m: FrameworkErrorMessage| p.error(&m.message));

        let pid = self.self_pid();
        let messages = pid.clone();
        self.metrics = vec![
            PullGauge::new("scheduler/event_queue_messages", move || {
                Future::ready(libprocess::testing::queued_events(messages.upid()).messages as f64)
            }),
            PullGauge::new("scheduler/event_queue_dispatches", move || {
                Future::ready(libprocess::testing::queued_events(pid.upid()).dispatches as f64)
            }),
        ];
        for gauge in &self.metrics {
            // Another driver in this runtime may hold the names already.
            metrics::add(gauge.clone());
        }

        self.detect(None);
    }

    fn finalize(&mut self) {
        for gauge in &self.metrics {
            metrics::remove(gauge);
        }
    }
}
