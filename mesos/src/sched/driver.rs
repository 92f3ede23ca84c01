//! The driver a framework holds (Mesos' `MesosSchedulerDriver`): its
//! status, and the calls it dispatches to its process.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use libprocess::{dispatch, spawn_with_id, Latch, PID};
use parking_lot::Mutex;
use stout::Duration;

use super::constants::DEFAULT_REGISTRATION_BACKOFF_FACTOR;
use super::process::{Config, SchedulerProcess};
use super::Scheduler;
use crate::master::detector::{self, MasterDetector, StandaloneMasterDetector};
use crate::offer::Operation;
use crate::scheduler::OfferConstraints;
use crate::{
    ExecutorId, Filters, FrameworkInfo, OfferId, Request, SlaveId, Status, TaskId, TaskInfo,
    TaskStatus,
};

/// A handle on a scheduler driver; clones share the driver and compare equal
/// (as Mesos' tests compare driver pointers). The driver's process
/// terminates once it is stopped, or once every handle is gone (a handle
/// the scheduler keeps counts).
///
/// Each call returns the driver's [`Status`]: calls other than `start`
/// do something only while it is `DRIVER_RUNNING`.
#[derive(Clone)]
pub struct MesosSchedulerDriver {
    shared: Arc<Shared>,
}

impl PartialEq for MesosSchedulerDriver {
    fn eq(&self, other: &MesosSchedulerDriver) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Eq for MesosSchedulerDriver {}

impl std::fmt::Debug for MesosSchedulerDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MesosSchedulerDriver")
            .field("status", &self.shared.state.lock().status)
            .finish()
    }
}

pub(super) struct Shared {
    state: Mutex<State>,
    /// The process' view of whether the driver runs (stop and abort clear
    /// it before the process hears of them).
    running: Arc<AtomicBool>,
    /// Triggered when the process stops or aborts; `join` waits on it.
    latch: Arc<Latch>,
}

struct State {
    status: Status,
    process: Option<PID<SchedulerProcess>>,
    /// What `start` needs, until it runs.
    unstarted: Option<Unstarted>,
    implicit_acknowledgements: bool,
    /// The cluster `--master=local` started, stopped with the driver.
    local: Option<crate::local::Local>,
}

struct Unstarted {
    scheduler: Box<dyn Scheduler>,
    /// With the fields Mesos fills in.
    framework: FrameworkInfo,
    suppressed_roles: Vec<String>,
    master: Master,
    /// The process' id: unique per driver, so that the master tells one
    /// run of a scheduler from the next.
    id: String,
}

enum Master {
    Text(String),
    Detector(Arc<dyn MasterDetector>),
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(local) = self.state.get_mut().local.take() {
            local.shutdown();
        }
        if let Some(pid) = self.state.get_mut().process.take() {
            // Terminates from within, so this works from any thread.
            dispatch(&pid, |_: &mut SchedulerProcess| {
                libprocess::terminate(libprocess::self_pid(), false)
            });
        }
    }
}

/// Fills in the user and hostname when the framework leaves them empty,
/// as Mesos does.
fn fill_missing_framework_info_fields(framework: &mut FrameworkInfo) {
    if framework.user.is_empty() {
        if let Ok(user) = stout::os::user() {
            framework.user = user;
        }
    }
    if framework.hostname.as_deref().unwrap_or_default().is_empty() {
        if let Ok(hostname) = stout::os::hostname() {
            framework.hostname = Some(hostname);
        }
    }
}

impl MesosSchedulerDriver {
    /// A driver for `framework` that finds the master at `master`:
    /// `host:port`, `master@host:port`, `file://` naming a file that
    /// holds one of these, or `local`: a master and agents of its own in
    /// this process, configured as `mesos-local` by the `MESOS_*`
    /// environment and stopped with the driver. (ZooKeeper URLs are not supported yet: `start`
    /// reports them through [`Scheduler::error`].) With
    /// `implicit_acknowledgements`, the driver acknowledges each status
    /// update once [`Scheduler::status_update`] returns; otherwise the
    /// scheduler calls
    /// [`acknowledge_status_update`](Self::acknowledge_status_update).
    pub fn new(
        scheduler: impl Scheduler,
        framework: FrameworkInfo,
        master: impl Into<String>,
        implicit_acknowledgements: bool,
    ) -> MesosSchedulerDriver {
        Self::create(
            Box::new(scheduler),
            framework,
            Master::Text(master.into()),
            implicit_acknowledgements,
        )
    }

    /// A driver that learns the leading master from `detector` (Mesos'
    /// tests' `TestingMesosSchedulerDriver`).
    pub fn with_detector(
        scheduler: impl Scheduler,
        framework: FrameworkInfo,
        detector: Arc<dyn MasterDetector>,
        implicit_acknowledgements: bool,
    ) -> MesosSchedulerDriver {
        Self::create(
            Box::new(scheduler),
            framework,
            Master::Detector(detector),
            implicit_acknowledgements,
        )
    }

    fn create(
        scheduler: Box<dyn Scheduler>,
        mut framework: FrameworkInfo,
        master: Master,
        implicit_acknowledgements: bool,
    ) -> MesosSchedulerDriver {
        fill_missing_framework_info_fields(&mut framework);
        let id = format!("scheduler-{}", libprocess::random::uuid());
        MesosSchedulerDriver {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    status: Status::DriverNotStarted,
                    process: None,
                    unstarted: Some(Unstarted {
                        scheduler,
                        framework,
                        suppressed_roles: Vec::new(),
                        master,
                        id,
                    }),
                    implicit_acknowledgements,
                    local: None,
                }),
                running: Arc::new(AtomicBool::new(true)),
                latch: Arc::new(Latch::new()),
            }),
        }
    }

    /// This driver, subscribing with `roles` suppressed (before `start`).
    pub fn with_suppressed_roles(self, roles: Vec<String>) -> MesosSchedulerDriver {
        if let Some(unstarted) = self.shared.state.lock().unstarted.as_mut() {
            unstarted.suppressed_roles = roles;
        }
        self
    }

    pub(super) fn from_shared(shared: Arc<Shared>) -> MesosSchedulerDriver {
        MesosSchedulerDriver { shared }
    }

    /// Starts the driver: spawns its process, which detects the master and
    /// subscribes. Only the first call starts it.
    pub fn start(&self) -> Status {
        let mut state = self.shared.state.lock();
        if state.status != Status::DriverNotStarted {
            return state.status;
        }
        let Some(unstarted) = state.unstarted.take() else {
            return state.status;
        };
        let Unstarted {
            scheduler,
            framework,
            suppressed_roles,
            master,
            id,
        } = unstarted;

        let detector = match master {
            Master::Detector(detector) => detector,
            // A cluster of its own, in this process (Mesos' `local`).
            Master::Text(text) if text == "local" => {
                match crate::local::launch_from_environment() {
                    Ok(local) => {
                        let detector =
                            Arc::new(StandaloneMasterDetector::with_pid(local.master.upid()));
                        state.local = Some(local);
                        detector
                    }
                    Err(error) => {
                        let message = format!("Failed to launch a local cluster: {}", error);
                        return self.fail_start(state, scheduler, message);
                    }
                }
            }
            Master::Text(text) => match detector::create(&text) {
                Ok(detector) => detector,
                Err(error) => {
                    let message = format!(
                        "Failed to create a master detector for '{}': {}",
                        text, error
                    );
                    return self.fail_start(state, scheduler, message);
                }
            },
        };

        let registration_backoff_factor = match std::env::var("MESOS_REGISTRATION_BACKOFF_FACTOR") {
            Err(_) => DEFAULT_REGISTRATION_BACKOFF_FACTOR,
            Ok(value) => match Duration::parse(&value) {
                Ok(duration) => duration,
                Err(error) => {
                    let message = format!(
                        "Failed to load flag 'registration_backoff_factor': Failed to \
                             load value '{}': {}",
                        value, error
                    );
                    return self.fail_start(state, scheduler, message);
                }
            },
        };

        let process = SchedulerProcess::new(Config {
            driver: Arc::downgrade(&self.shared),
            running: self.shared.running.clone(),
            latch: self.shared.latch.clone(),
            scheduler,
            framework,
            suppressed_roles: suppressed_roles.into_iter().collect(),
            detector,
            registration_backoff_factor,
            implicit_acknowledgements: state.implicit_acknowledgements,
        });
        match spawn_with_id(process, id.clone()) {
            Some(pid) => {
                state.process = Some(pid);
                state.status = Status::DriverRunning;
            }
            None => {
                tracing::error!("Failed to spawn the scheduler process '{}'", id);
                state.status = Status::DriverAborted;
            }
        }
        state.status
    }

    /// Aborts a start that cannot proceed and tells the scheduler why,
    /// with the driver unlocked (the scheduler may call into it).
    fn fail_start(
        &self,
        mut state: parking_lot::MutexGuard<'_, State>,
        mut scheduler: Box<dyn Scheduler>,
        message: String,
    ) -> Status {
        state.status = Status::DriverAborted;
        drop(state);
        tracing::error!("{}", message);
        scheduler.error(self, &message);
        self.shared.state.lock().status
    }

    /// Stops the driver: the process terminates, and unless `failover`
    /// the master tears the framework down (its tasks are killed); with
    /// `failover` the framework may re-subscribe under its id within its
    /// failover timeout. Returns `DRIVER_ABORTED` for an aborted driver.
    pub fn stop(&self, failover: bool) -> Status {
        let mut state = self.shared.state.lock();
        tracing::info!("Asked to stop the driver");
        if state.status != Status::DriverRunning && state.status != Status::DriverAborted {
            tracing::debug!(
                "Ignoring stop because the status of the driver is {}",
                state.status.as_str_name()
            );
            return state.status;
        }
        if let Some(pid) = &state.process {
            self.shared.running.store(false, Ordering::SeqCst);
            dispatch(pid, move |p: &mut SchedulerProcess| p.stop(failover));
        }
        let aborted = state.status == Status::DriverAborted;
        state.status = Status::DriverStopped;
        if aborted {
            Status::DriverAborted
        } else {
            state.status
        }
    }

    /// Aborts the driver: it ignores the master from now on and the master
    /// deactivates the framework; `stop` may follow.
    pub fn abort(&self) -> Status {
        let mut state = self.shared.state.lock();
        tracing::info!("Asked to abort the driver");
        if state.status != Status::DriverRunning {
            tracing::debug!(
                "Ignoring abort because the status of the driver is {}",
                state.status.as_str_name()
            );
            return state.status;
        }
        self.shared.running.store(false, Ordering::SeqCst);
        if let Some(pid) = &state.process {
            dispatch(pid, |p: &mut SchedulerProcess| p.abort());
        }
        state.status = Status::DriverAborted;
        state.status
    }

    /// Blocks until the driver is stopped or aborted. Never call it from a
    /// callback: the driver's process would wait for itself.
    pub fn join(&self) -> Status {
        {
            let state = self.shared.state.lock();
            if state.process.is_none() {
                return state.status;
            }
        }
        self.shared.latch.await_(None);
        self.shared.state.lock().status
    }

    /// `start`, then `join`.
    pub fn run(&self) -> Status {
        let status = self.start();
        if status != Status::DriverRunning {
            return status;
        }
        self.join()
    }

    /// The driver's status.
    pub fn status(&self) -> Status {
        self.shared.state.lock().status
    }

    /// Runs `f` on the process if the driver is running.
    fn call(&self, f: impl FnOnce(&mut SchedulerProcess) + Send + 'static) -> Status {
        let state = self.shared.state.lock();
        if state.status != Status::DriverRunning {
            return state.status;
        }
        if let Some(pid) = &state.process {
            dispatch(pid, f);
        }
        state.status
    }

    /// Asks the master to kill a task.
    pub fn kill_task(&self, task_id: TaskId) -> Status {
        self.call(move |p| p.kill_task(task_id))
    }

    /// Launches `tasks` on the resources of `offer_ids` (an ACCEPT call
    /// with one LAUNCH operation); while disconnected, the tasks come back
    /// as `TASK_LOST` (`TASK_DROPPED` for partition-aware frameworks).
    pub fn launch_tasks(
        &self,
        offer_ids: Vec<OfferId>,
        tasks: Vec<TaskInfo>,
        filters: Filters,
    ) -> Status {
        self.call(move |p| p.launch_tasks(offer_ids, tasks, filters))
    }

    /// Accepts `offer_ids` with `operations`, which must not carry an id
    /// (the driver has no operation feedback).
    pub fn accept_offers(
        &self,
        offer_ids: Vec<OfferId>,
        operations: Vec<Operation>,
        filters: Filters,
    ) -> Status {
        self.call(move |p| p.accept_offers(offer_ids, operations, filters))
    }

    /// Declines an offer; `filters` say for how long.
    pub fn decline_offer(&self, offer_id: OfferId, filters: Filters) -> Status {
        self.call(move |p| p.decline_offer(offer_id, filters))
    }

    /// Removes the offer filters of `roles`, and unsuppresses them; all of
    /// the framework's roles when `roles` is empty.
    pub fn revive_offers(&self, roles: Vec<String>) -> Status {
        self.call(move |p| p.revive_offers(roles))
    }

    /// Asks for no more offers for `roles`; all of the framework's roles
    /// when `roles` is empty.
    pub fn suppress_offers(&self, roles: Vec<String>) -> Status {
        self.call(move |p| p.suppress_offers(roles))
    }

    /// Acknowledges a status update, with explicit acknowledgements only;
    /// updates without a `uuid` or an agent need none and are skipped.
    pub fn acknowledge_status_update(&self, status: TaskStatus) -> Status {
        if self.shared.state.lock().implicit_acknowledgements {
            tracing::error!(
                "Cannot call acknowledgeStatusUpdate: Implicit acknowledgements are enabled"
            );
            return self.status();
        }
        self.call(move |p| p.acknowledge_status_update(status))
    }

    /// Sends `data` to an executor: straight to its agent when the driver
    /// knows the agent's pid (from the offer the executor's task was
    /// launched on), otherwise through the master.
    pub fn send_framework_message(
        &self,
        executor_id: ExecutorId,
        slave_id: SlaveId,
        data: impl Into<bytes::Bytes>,
    ) -> Status {
        let data = data.into();
        self.call(move |p| p.send_framework_message(executor_id, slave_id, data))
    }

    /// Asks the master for the latest status of the tasks in `statuses`
    /// (only their task and agent ids count), or of all the framework's
    /// tasks when `statuses` is empty.
    pub fn reconcile_tasks(&self, statuses: Vec<TaskStatus>) -> Status {
        self.call(move |p| p.reconcile_tasks(statuses))
    }

    /// Sends resource requests to the master (which hands them to its
    /// allocator).
    pub fn request_resources(&self, requests: Vec<Request>) -> Status {
        self.call(move |p| p.request_resources(requests))
    }

    /// Changes the framework's info, suppressed roles and offer
    /// constraints (an UPDATE_FRAMEWORK call, sent once subscribed).
    /// `framework.id` must be the one the master gave.
    pub fn update_framework(
        &self,
        mut framework: FrameworkInfo,
        suppressed_roles: Vec<String>,
        offer_constraints: Option<OfferConstraints>,
    ) -> Status {
        fill_missing_framework_info_fields(&mut framework);
        let roles: BTreeSet<String> = suppressed_roles.into_iter().collect();
        self.call(move |p| p.update_framework(framework, roles, offer_constraints))
    }
}
