//! The callbacks a framework implements (Mesos' `mesos::Scheduler`).

use crate::{ExecutorId, FrameworkId, MasterInfo, Offer, OfferId, SlaveId, TaskStatus};

use super::MesosSchedulerDriver;

/// A framework's scheduler: the driver calls these on its own process, one
/// at a time, each with the driver so the scheduler can answer through
/// it. Every callback does nothing unless implemented.
pub trait Scheduler: Send + 'static {
    /// The framework registered with the master, which gave it
    /// `framework_id`; `master_info` is the leading master.
    fn registered(
        &mut self,
        driver: &MesosSchedulerDriver,
        framework_id: &FrameworkId,
        master_info: &MasterInfo,
    ) {
        let _ = (driver, framework_id, master_info);
    }

    /// The framework re-registered with a newly elected (or the same)
    /// leading master.
    fn reregistered(&mut self, driver: &MesosSchedulerDriver, master_info: &MasterInfo) {
        let _ = (driver, master_info);
    }

    /// The driver lost its master (it failed, or another was elected); it
    /// re-subscribes once a master is detected.
    fn disconnected(&mut self, driver: &MesosSchedulerDriver) {
        let _ = driver;
    }

    /// Resources offered to the framework until accepted, declined or
    /// rescinded.
    fn resource_offers(&mut self, driver: &MesosSchedulerDriver, offers: &[Offer]) {
        let _ = (driver, offers);
    }

    /// An offer is no longer valid; accepting it now fails its tasks.
    fn offer_rescinded(&mut self, driver: &MesosSchedulerDriver, offer_id: &OfferId) {
        let _ = (driver, offer_id);
    }

    /// A task's status changed. With explicit acknowledgements, a status
    /// carrying a `uuid` must be acknowledged with
    /// [`acknowledge_status_update`](MesosSchedulerDriver::acknowledge_status_update).
    fn status_update(&mut self, driver: &MesosSchedulerDriver, status: &TaskStatus) {
        let _ = (driver, status);
    }

    /// An executor sent the framework `data`.
    fn framework_message(
        &mut self,
        driver: &MesosSchedulerDriver,
        executor_id: &ExecutorId,
        slave_id: &SlaveId,
        data: &[u8],
    ) {
        let _ = (driver, executor_id, slave_id, data);
    }

    /// An agent was removed (or became unreachable).
    fn slave_lost(&mut self, driver: &MesosSchedulerDriver, slave_id: &SlaveId) {
        let _ = (driver, slave_id);
    }

    /// An executor exited with `status` (a wait status).
    fn executor_lost(
        &mut self,
        driver: &MesosSchedulerDriver,
        executor_id: &ExecutorId,
        slave_id: &SlaveId,
        status: i32,
    ) {
        let _ = (driver, executor_id, slave_id, status);
    }

    /// An unrecoverable error: the driver has been aborted before this
    /// runs.
    fn error(&mut self, driver: &MesosSchedulerDriver, message: &str) {
        let _ = (driver, message);
    }
}
