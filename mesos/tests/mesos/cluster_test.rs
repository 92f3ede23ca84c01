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

/// A runtime listening on loopback: real executors (OS processes) reach
/// the agent over it.
fn loopback_runtime() -> libprocess::testing::TestRuntime {
    libprocess::testing::runtime_with(libprocess::Builder::default().listen(
        std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0),
    ))
}

/// A command task through the Mesos containerizer and the command
/// executor (`mesos-executor`, a real OS process on the v1 executor API)
/// reports STARTING, RUNNING and FINISHED, and its output lands in the
/// sandbox.
#[test]
fn command_task_runs_to_finished_through_the_command_executor() {
    let _runtime = loopback_runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let slave = Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");

    let sched = MockScheduler::new();
    let driver = MesosSchedulerDriver::with_detector(
        sched.clone(),
        default_framework_info(),
        master.create_detector(),
        true,
    );
    let offers = sched.resource_offers.future();
    driver.start();
    let offers = await_ready(&offers);
    let task = mesos::testing::create_task(&offers[0], "echo hello from the task");

    let starting = sched.status_update.future();
    let running = sched.status_update.future();
    let finished = sched.status_update.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task.clone()],
        Filters::default(),
    );

    let starting = await_ready(&starting);
    assert_eq!(starting.task_id, task.task_id);
    assert_eq!(starting.state(), TaskState::TaskStarting);
    assert_eq!(await_ready(&running).state(), TaskState::TaskRunning);
    let finished = await_ready(&finished);
    assert_eq!(finished.state(), TaskState::TaskFinished, "{:?}", finished);

    let _ = slave;
    driver.stop(false);
    driver.join();
}
