//! Mesos' scenarios on the whole in-process cluster: a real master and
//! agent, the real scheduler and executor drivers, a mock scheduler and a
//! mock executor in the test containerizer.

use std::sync::Arc;

use libprocess::testing::await_ready;
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{
    default_executor_info, default_framework_info, send_status_update_from_task, MockExecutor,
    MockScheduler, TestContainerizer,
};
use mesos::{Filters, Resources, TaskId, TaskInfo, TaskState};

/// `MasterTest.TaskRunning`: a task launched on an offer reaches
/// TASK_RUNNING through the executor, and the containerizer is updated
/// with the task's resources.
#[test]
fn master_test_task_running() {
    let _runtime = libprocess::testing::runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");

    let exec = MockExecutor::new(default_executor_info().executor_id);
    let containerizer = Arc::new(TestContainerizer::new(&exec));
    let _slave =
        Slave::start(master.create_detector(), containerizer.clone()).expect("the agent starts");

    let sched = MockScheduler::new();
    let driver = MesosSchedulerDriver::with_detector(
        sched.clone(),
        default_framework_info(),
        master.create_detector(),
        true,
    );
    let registered = sched.registered.future();
    let offers = sched.resource_offers.future();
    driver.start();
    await_ready(&registered);
    let offers = await_ready(&offers);
    assert!(!offers.is_empty());

    let offer = &offers[0];
    let task = TaskInfo {
        name: String::new(),
        task_id: TaskId {
            value: "1".to_string(),
        },
        slave_id: offer.slave_id.clone(),
        resources: offer.resources.clone(),
        executor: Some(default_executor_info()),
        ..TaskInfo::default()
    };

    let exec_registered = exec.registered.future();
    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let update = containerizer.update.future();
    let status = sched.status_update.future();

    driver.launch_tasks(vec![offer.id.clone()], vec![task], Filters::default());

    await_ready(&exec_registered);
    let status = await_ready(&status);
    assert_eq!(status.state(), TaskState::TaskRunning);
    assert_eq!(status.executor_id.as_ref(), Some(&exec.id));

    let (_, resources) = await_ready(&update);
    assert_eq!(resources, Resources::from(offer.resources.as_slice()));

    driver.stop(false);
    driver.join();
}
