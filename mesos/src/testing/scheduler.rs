//! Mesos' `MockScheduler`: a scheduler whose every callback is an
//! [`Expectations`], for tests to await or act on.

use crate::sched::{MesosSchedulerDriver, Scheduler};
use crate::{ExecutorId, FrameworkId, MasterInfo, Offer, OfferId, SlaveId, TaskStatus};

use super::Expectations;

type On<A> = Expectations<MesosSchedulerDriver, A>;

/// A scheduler of expectations. Clones share them: give the driver a
/// clone and keep one to set expectations on.
#[derive(Clone, Debug, Default)]
pub struct MockScheduler {
    /// `registered(framework_id, master_info)`.
    pub registered: On<(FrameworkId, MasterInfo)>,
    /// `reregistered(master_info)`.
    pub reregistered: On<MasterInfo>,
    /// `disconnected()`.
    pub disconnected: On<()>,
    /// `resourceOffers(offers)`.
    pub resource_offers: On<Vec<Offer>>,
    /// `offerRescinded(offer_id)`.
    pub offer_rescinded: On<OfferId>,
    /// `statusUpdate(status)`.
    pub status_update: On<TaskStatus>,
    /// `frameworkMessage(executor_id, slave_id, data)`.
    pub framework_message: On<(ExecutorId, SlaveId, Vec<u8>)>,
    /// `slaveLost(slave_id)`.
    pub slave_lost: On<SlaveId>,
    /// `executorLost(executor_id, slave_id, status)`.
    pub executor_lost: On<(ExecutorId, SlaveId, i32)>,
    /// `error(message)`.
    pub error: On<String>,
}

impl MockScheduler {
    /// A scheduler with no expectations: every callback is allowed.
    pub fn new() -> MockScheduler {
        MockScheduler::default()
    }
}

impl Scheduler for MockScheduler {
    fn registered(
        &mut self,
        driver: &MesosSchedulerDriver,
        framework_id: &FrameworkId,
        master_info: &MasterInfo,
    ) {
        self.registered
            .call(driver, (framework_id.clone(), master_info.clone()));
    }

    fn reregistered(&mut self, driver: &MesosSchedulerDriver, master_info: &MasterInfo) {
        self.reregistered.call(driver, master_info.clone());
    }

    fn disconnected(&mut self, driver: &MesosSchedulerDriver) {
        self.disconnected.call(driver, ());
    }

    fn resource_offers(&mut self, driver: &MesosSchedulerDriver, offers: &[Offer]) {
        self.resource_offers.call(driver, offers.to_vec());
    }

    fn offer_rescinded(&mut self, driver: &MesosSchedulerDriver, offer_id: &OfferId) {
        self.offer_rescinded.call(driver, offer_id.clone());
    }

    fn status_update(&mut self, driver: &MesosSchedulerDriver, status: &TaskStatus) {
        self.status_update.call(driver, status.clone());
    }

    fn framework_message(
        &mut self,
        driver: &MesosSchedulerDriver,
        executor_id: &ExecutorId,
        slave_id: &SlaveId,
        data: &[u8],
    ) {
        self.framework_message.call(
            driver,
            (executor_id.clone(), slave_id.clone(), data.to_vec()),
        );
    }

    fn slave_lost(&mut self, driver: &MesosSchedulerDriver, slave_id: &SlaveId) {
        self.slave_lost.call(driver, slave_id.clone());
    }

    fn executor_lost(
        &mut self,
        driver: &MesosSchedulerDriver,
        executor_id: &ExecutorId,
        slave_id: &SlaveId,
        status: i32,
    ) {
        self.executor_lost
            .call(driver, (executor_id.clone(), slave_id.clone(), status));
    }

    fn error(&mut self, driver: &MesosSchedulerDriver, message: &str) {
        self.error.call(driver, message.to_string());
    }
}
