//! The driver's process (Mesos' `SchedulerProcess`): detects the master,
//! subscribes, turns the master's messages into [`Scheduler`] callbacks
//! and the driver's calls into `mesos.scheduler.Call` messages.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use libprocess::metrics::{self, PullGauge};
use libprocess::{defer, delay, link, send_protobuf, Clock, Future, Handlers, Latch, Process};
use libprocess::{SelfPid, Timer, UPID};
use stout::Duration;

use super::driver::Shared;
use super::{registration, MesosSchedulerDriver, Scheduler};
use crate::common::protobuf_utils::{self, StatusUpdateOptions};
use crate::framework_info::capability::Type as FrameworkCapability;
use crate::internal::{
    DeactivateFrameworkMessage, ExecutorToFrameworkMessage, ExitedExecutorMessage,
    FrameworkErrorMessage, FrameworkRegisteredMessage, FrameworkReregisteredMessage,
    FrameworkToExecutorMessage, LostSlaveMessage, RescindResourceOfferMessage,
    ResourceOffersMessage, StatusUpdate, StatusUpdateMessage,
};
use crate::master::detector::MasterDetector;
use crate::offer::operation::{Launch, Type as OperationType};
use crate::offer::Operation;
use crate::scheduler::{call, event, Call, Event, OfferConstraints};
use crate::task_status::{Reason, Source};
use crate::{
    ExecutorId, Filters, FrameworkId, FrameworkInfo, MasterInfo, Offer, OfferId, Request, SlaveId,
    TaskId, TaskState, TaskStatus,
};

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
    /// The agent of each outstanding offer, by offer and agent id.
    saved_offers: HashMap<String, HashMap<String, UPID>>,
    /// The agents running our tasks, for framework messages sent to them
    /// directly.
    saved_slave_pids: HashMap<String, UPID>,
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
            saved_offers: HashMap::new(),
            saved_slave_pids: HashMap::new(),
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

    fn receive(&mut self, from: &UPID, event: Event) {
        use event::Type;
        let drop = |message: &str| {
            tracing::warn!(
                "Dropping {}: {}",
                event
                    .r#type
                    .and_then(|t| Type::try_from(t).ok())
                    .map_or("UNKNOWN", |t| t.as_str_name()),
                message
            )
        };
        match event.r#type.and_then(|t| Type::try_from(t).ok()) {
            Some(Type::Subscribed) => {
                let Some(subscribed) = &event.subscribed else {
                    return drop("Expecting 'subscribed' to be present");
                };
                // The callbacks want a MasterInfo: the detector's.
                let Some(master) = &self.master else {
                    return drop("No master detected");
                };
                let info = master.info.clone();
                self.cancel_registration_timer();
                let framework_id = subscribed.framework_id.clone();
                if !has_id(&self.framework) || self.failover {
                    self.registered(from, framework_id, info);
                } else {
                    self.reregistered(from, framework_id, info);
                }
            }
            Some(Type::Offers) => {
                let Some(offers) = &event.offers else {
                    return drop("Expecting 'offers' to be present");
                };
                let mut pids = Vec::with_capacity(offers.offers.len());
                for offer in &offers.offers {
                    match offer_agent_pid(offer) {
                        Some(pid) => pids.push(pid),
                        None => return drop("Expecting 'url' with a path and an IP in each offer"),
                    }
                }
                self.resource_offers(from, offers.offers.clone(), pids);
            }
            Some(Type::Rescind) => match &event.rescind {
                Some(rescind) => self.rescind_offer(from, &rescind.offer_id),
                None => drop("Expecting 'rescind' to be present"),
            },
            Some(Type::Update) => {
                let Some(update) = &event.update else {
                    return drop("Expecting 'update' to be present");
                };
                let status = &update.status;
                let update = StatusUpdate {
                    framework_id: self.framework_id(),
                    executor_id: status.executor_id.clone(),
                    slave_id: status.slave_id.clone(),
                    status: status.clone(),
                    timestamp: status.timestamp.unwrap_or_default(),
                    uuid: status.uuid.clone(),
                    latest_state: None,
                };
                // Whether to acknowledge goes by the uuid alone here.
                self.status_update(from, update, &UPID::empty());
            }
            Some(Type::Message) => match &event.message {
                Some(message) => {
                    self.framework_message(&message.slave_id, &message.executor_id, &message.data)
                }
                None => drop("Expecting 'message' to be present"),
            },
            Some(Type::Failure) => {
                let Some(failure) = &event.failure else {
                    return drop("Expecting 'failure' to be present");
                };
                match (&failure.slave_id, &failure.executor_id) {
                    (Some(slave_id), Some(executor_id)) => {
                        let Some(status) = failure.status else {
                            return drop("Expecting 'status' to be present");
                        };
                        self.lost_executor(from, executor_id, slave_id, status);
                    }
                    (Some(slave_id), None) => self.lost_slave(from, slave_id),
                    _ => drop("Expecting 'slave_id' to be present"),
                }
            }
            Some(Type::Error) => match &event.error {
                Some(error) => {
                    let message = error.message.clone();
                    self.error(&message);
                }
                None => drop("Expecting 'error' to be present"),
            },
            // The driver has no operation feedback, inverse offers or
            // heartbeats to act on.
            Some(
                Type::UpdateOperationStatus
                | Type::InverseOffers
                | Type::RescindInverseOffer
                | Type::Heartbeat,
            ) => {}
            Some(Type::Unknown) | None => drop("Unknown event"),
        }
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
                Ok(pid) => {
                    self.saved_offers
                        .entry(offer.id.value.clone())
                        .or_default()
                        .insert(offer.slave_id.value.clone(), pid);
                }
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
        self.saved_offers.remove(&offer_id.value);
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
        self.saved_slave_pids.remove(&slave_id.value);
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

    pub(super) fn kill_task(&mut self, task_id: TaskId) {
        if !self.connected {
            tracing::debug!("Ignoring kill task message as master is disconnected");
            return;
        }
        let mut call = self.call(call::Type::Kill);
        call.kill = Some(call::Kill {
            task_id,
            ..call::Kill::default()
        });
        self.send_to_master(&call);
    }

    pub(super) fn request_resources(&mut self, requests: Vec<Request>) {
        if !self.connected {
            tracing::debug!("Ignoring request resources message as master is disconnected");
            return;
        }
        let mut call = self.call(call::Type::Request);
        call.request = Some(call::Request { requests });
        self.send_to_master(&call);
    }

    pub(super) fn launch_tasks(
        &mut self,
        offer_ids: Vec<OfferId>,
        tasks: Vec<crate::TaskInfo>,
        filters: Filters,
    ) {
        let operation = Operation {
            r#type: Some(OperationType::Launch as i32),
            launch: Some(Launch { task_infos: tasks }),
            ..Operation::default()
        };
        self.accept_offers(offer_ids, vec![operation], filters);
    }

    pub(super) fn accept_offers(
        &mut self,
        offer_ids: Vec<OfferId>,
        operations: Vec<Operation>,
        filters: Filters,
    ) {
        let launched = |operations: &[Operation]| -> Vec<crate::TaskInfo> {
            operations
                .iter()
                .filter(|o| o.r#type == Some(OperationType::Launch as i32))
                .filter_map(|o| o.launch.as_ref())
                .flat_map(|l| l.task_infos.iter().cloned())
                .collect()
        };

        if !self.connected {
            tracing::debug!("Ignoring accept offers message as master is disconnected");
            // The tasks will not launch: say so, as the master would.
            let state = if protobuf_utils::framework_has_capability(
                &self.framework,
                FrameworkCapability::PartitionAware,
            ) {
                TaskState::TaskDropped
            } else {
                TaskState::TaskLost
            };
            for task in launched(&operations) {
                let update = protobuf_utils::create_status_update(
                    &self.framework_id(),
                    None,
                    &task.task_id,
                    state,
                    Source::Master,
                    None,
                    StatusUpdateOptions {
                        message: "Master disconnected".to_string(),
                        reason: Some(Reason::MasterDisconnected),
                        ..StatusUpdateOptions::default()
                    },
                );
                self.status_update(&UPID::empty(), update, &UPID::empty());
            }
            return;
        }

        if operations.iter().any(|o| o.id.is_some()) {
            tracing::error!(
                "An offer operation's 'id' field was set, which is disallowed because the \
                 SchedulerDriver cannot handle offer operation status updates; not accepting"
            );
            return;
        }

        let tasks = launched(&operations);
        for offer_id in &offer_ids {
            match self.saved_offers.remove(&offer_id.value) {
                None => tracing::warn!("Attempting to accept an unknown offer {}", offer_id.value),
                Some(agents) => {
                    // Keep the pids of the agents our tasks go to, for
                    // framework messages sent straight to them.
                    for task in &tasks {
                        match agents.get(&task.slave_id.value) {
                            Some(pid) => {
                                self.saved_slave_pids
                                    .insert(task.slave_id.value.clone(), pid.clone());
                            }
                            None => tracing::warn!(
                                "Attempting to launch task {} with the wrong agent id {}",
                                task.task_id.value,
                                task.slave_id.value
                            ),
                        }
                    }
                }
            }
        }

        let mut call = self.call(call::Type::Accept);
        call.accept = Some(call::Accept {
            offer_ids,
            operations,
            filters: Some(filters),
        });
        self.send_to_master(&call);
    }

    pub(super) fn decline_offer(&mut self, offer_id: OfferId, filters: Filters) {
        if !self.connected {
            tracing::debug!("Ignoring decline offer message as master is disconnected");
            return;
        }
        if self.saved_offers.remove(&offer_id.value).is_none() {
            tracing::warn!("Attempting to decline an unknown offer {}", offer_id.value);
        }
        let mut call = self.call(call::Type::Decline);
        call.decline = Some(call::Decline {
            offer_ids: vec![offer_id],
            filters: Some(filters),
        });
        self.send_to_master(&call);
    }

    /// Revives `roles`, all of the framework's when empty.
    pub(super) fn revive_offers(&mut self, roles: Vec<String>) {
        if roles.is_empty() {
            self.suppressed_roles.clear();
        } else {
            for role in &roles {
                self.suppressed_roles.remove(role);
            }
        }
        if !self.connected {
            tracing::debug!(
                "Ignoring REVIVE as master is disconnected; the set of suppressed roles in the \
                 driver has been updated and will be sent to the master during re-registration"
            );
            self.send_update_framework_on_connect = true;
            return;
        }
        let mut call = self.call(call::Type::Revive);
        if !roles.is_empty() {
            call.revive = Some(call::Revive { roles });
        }
        self.send_to_master(&call);
    }

    /// Suppresses `roles`, all of the framework's when empty.
    pub(super) fn suppress_offers(&mut self, roles: Vec<String>) {
        if roles.is_empty() {
            self.suppressed_roles = self.framework.roles.iter().cloned().collect();
        } else {
            self.suppressed_roles.extend(roles.iter().cloned());
        }
        if !self.connected {
            tracing::debug!(
                "Ignoring SUPPRESS as master is disconnected; the set of suppressed roles in the \
                 driver has been updated and will be sent to the master during re-registration"
            );
            self.send_update_framework_on_connect = true;
            return;
        }
        let mut call = self.call(call::Type::Suppress);
        if !roles.is_empty() {
            call.suppress = Some(call::Suppress { roles });
        }
        self.send_to_master(&call);
    }

    pub(super) fn acknowledge_status_update(&mut self, status: TaskStatus) {
        if !self.connected {
            tracing::debug!(
                "Ignoring explicit status update acknowledgement because the driver is disconnected"
            );
            return;
        }
        // Updates without a uuid (the master's) or without an agent
        // (reconciliation's) need no acknowledgement.
        match (&status.uuid, &status.slave_id) {
            (Some(uuid), Some(slave_id)) => {
                let mut call = self.call(call::Type::Acknowledge);
                call.acknowledge = Some(call::Acknowledge {
                    slave_id: slave_id.clone(),
                    task_id: status.task_id.clone(),
                    uuid: uuid.clone(),
                });
                self.send_to_master(&call);
            }
            _ => tracing::debug!(
                "Received ACK for status update of task {}",
                status.task_id.value
            ),
        }
    }

    pub(super) fn send_framework_message(
        &mut self,
        executor_id: ExecutorId,
        slave_id: SlaveId,
        data: bytes::Bytes,
    ) {
        if !self.connected {
            tracing::debug!("Ignoring send framework message as master is disconnected");
            return;
        }
        match self.saved_slave_pids.get(&slave_id.value) {
            Some(agent) => {
                let message = FrameworkToExecutorMessage {
                    slave_id,
                    framework_id: self.framework_id(),
                    executor_id,
                    data,
                };
                libprocess::send_protobuf(agent, &message);
            }
            None => {
                tracing::debug!(
                    "Cannot send directly to agent {}; sending through master",
                    slave_id.value
                );
                let mut call = self.call(call::Type::Message);
                call.message = Some(call::Message {
                    slave_id,
                    executor_id,
                    data,
                });
                self.send_to_master(&call);
            }
        }
    }

    pub(super) fn reconcile_tasks(&mut self, statuses: Vec<TaskStatus>) {
        if !self.connected {
            tracing::debug!("Ignoring task reconciliation as master is disconnected");
            return;
        }
        let mut call = self.call(call::Type::Reconcile);
        call.reconcile = Some(call::Reconcile {
            tasks: statuses
                .into_iter()
                .map(|status| call::reconcile::Task {
                    task_id: status.task_id,
                    slave_id: status.slave_id,
                })
                .collect(),
        });
        self.send_to_master(&call);
    }

    pub(super) fn update_framework(
        &mut self,
        framework: FrameworkInfo,
        suppressed_roles: BTreeSet<String>,
        offer_constraints: Option<OfferConstraints>,
    ) {
        if !has_id(&self.framework) {
            self.error(
                "MesosSchedulerDriver::updateFramework() must not be called prior to \
                 registration with the master",
            );
            return;
        }
        if framework.id != self.framework.id {
            let message = format!(
                "The 'FrameworkInfo.id' provided to MesosSchedulerDriver::updateFramework() \
                 ({}) must be equal to the value known to the MesosSchedulerDriver ({})",
                framework.id.clone().unwrap_or_default().value,
                self.framework_id().value
            );
            self.error(&message);
            return;
        }
        self.framework = framework;
        self.suppressed_roles = suppressed_roles;
        self.offer_constraints = offer_constraints;
        if self.connected {
            self.send_update_framework();
        } else {
            tracing::debug!("Postponing UPDATE_FRAMEWORK call: not registered with master");
            self.send_update_framework_on_connect = true;
        }
    }

    fn send_update_framework(&mut self) {
        let mut call = self.call(call::Type::UpdateFramework);
        call.update_framework = Some(call::UpdateFramework {
            framework_info: self.framework.clone(),
            suppressed_roles: self.suppressed_roles.iter().cloned().collect(),
            offer_constraints: self.offer_constraints.clone(),
        });
        tracing::debug!("Sending UPDATE_FRAMEWORK message");
        self.send_to_master(&call);
    }
}

/// The pid of the agent behind an offer of a `mesos.scheduler.Event`: the
/// offer's URL names the agent's process (path) and address.
fn offer_agent_pid(offer: &Offer) -> Option<String> {
    let url = offer.url.as_ref()?;
    let id = url.path.as_deref()?.trim_matches('/');
    let ip = url.address.ip.as_deref()?;
    Some(format!("{}@{}:{}", id, ip, url.address.port))
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
