//! Mesos' `MockScheduler`: a scheduler whose every callback is an
//! [`Expectations`], for tests to await or act on.

use crate::common::resources::Resources;
use crate::sched::{MesosSchedulerDriver, Scheduler};
use crate::{
    resource, ExecutorId, ExecutorInfo, Filters, FrameworkId, MasterInfo, Offer, OfferId, SlaveId,
    TaskId, TaskInfo, TaskStatus,
};

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

/// Mesos' `LaunchTasks(executor, tasks, cpus, mem, role)`: an action for
/// `resource_offers` that launches, across the offers, up to `tasks`
/// tasks of `executor`, each with `cpus` and `mem` (reserved to `role`
/// unless it is `*`), on every offer (an offer with no room is declined
/// by launching nothing on it).
pub fn launch_tasks(
    executor: ExecutorInfo,
    tasks: usize,
    cpus: f64,
    mem: f64,
    role: &str,
) -> impl FnMut(&MesosSchedulerDriver, Vec<Offer>) + Send + 'static {
    let role = role.to_string();
    move |driver, offers| {
        let mut launched = 0;
        for offer in &offers {
            let Ok(mut wanted) = Resources::parse(&format!("cpus:{};mem:{}", cpus, mem)) else {
                return;
            };
            if offer
                .resources
                .first()
                .is_some_and(|r| r.allocation_info.is_some())
            {
                wanted.allocate(&role);
            }
            if role != "*" {
                wanted = wanted.push_reservation(&resource::ReservationInfo {
                    r#type: Some(resource::reservation_info::Type::Static as i32),
                    role: Some(role.clone()),
                    ..resource::ReservationInfo::default()
                });
            }
            let mut remaining = Resources::from(offer.resources.as_slice());
            let mut infos = Vec::new();
            while launched < tasks && remaining.to_unreserved().contains(&wanted.to_unreserved()) {
                let Some(resources) = remaining.find(&wanted) else {
                    break;
                };
                remaining -= resources.clone();
                infos.push(TaskInfo {
                    name: "TestTask".to_string(),
                    task_id: TaskId {
                        value: libprocess::random::uuid().to_string(),
                    },
                    slave_id: offer.slave_id.clone(),
                    executor: Some(executor.clone()),
                    resources: resources.to_vec(),
                    ..TaskInfo::default()
                });
                launched += 1;
            }
            driver.launch_tasks(vec![offer.id.clone()], infos, Filters::default());
        }
    }
}

/// Mesos' `DeclineOffers()`: an action for `resource_offers` that
/// declines every offer.
pub fn decline_offers() -> impl FnMut(&MesosSchedulerDriver, Vec<Offer>) + Send + 'static {
    |driver, offers| {
        for offer in offers {
            driver.decline_offer(offer.id, Filters::default());
        }
    }
}
