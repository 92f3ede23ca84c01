//! What the suites ported onto the in-process cluster share: Mesos'
//! `StartMaster` + `StartSlave(detector, &containerizer)` with a
//! `MockExecutor` of `DEFAULT_EXECUTOR_ID`, a driver on the master, and the
//! task Mesos' tests launch on a whole offer.

#![allow(dead_code)] // Each suite uses some of them.

use std::sync::Arc;

use libprocess::testing::{await_ready, TestRuntime};
use libprocess::{Future, Promise};
use mesos::exec::MesosExecutorDriver;
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{default_executor_info, MockExecutor, MockScheduler, TestContainerizer};
use mesos::{FrameworkInfo, Offer, TaskId, TaskInfo};

/// A runtime listening on loopback: real executors (OS processes) reach
/// the agent over it.
pub(crate) fn loopback_runtime() -> TestRuntime {
    libprocess::testing::runtime_with(libprocess::Builder::default().listen(
        std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0),
    ))
}

/// A master with Mesos' test flags.
pub(crate) fn start_master() -> Master {
    Master::start(create_master_flags()).expect("the master starts")
}

/// An agent of `master` running `exec` in the test containerizer, its
/// flags changed by `configure`.
pub(crate) fn start_slave_with(
    master: &Master,
    exec: &MockExecutor,
    configure: impl FnOnce(&mut mesos::slave::flags::Flags),
) -> (Arc<TestContainerizer>, Slave) {
    let containerizer = Arc::new(TestContainerizer::new(exec));
    let slave = Slave::start_with(master.create_detector(), containerizer.clone(), configure)
        .expect("the agent starts");
    (containerizer, slave)
}

/// An agent of `master` running `exec` in the test containerizer.
pub(crate) fn start_slave(master: &Master, exec: &MockExecutor) -> (Arc<TestContainerizer>, Slave) {
    start_slave_with(master, exec, |_| {})
}

/// `MockExecutor exec(DEFAULT_EXECUTOR_ID)`.
pub(crate) fn default_exec() -> MockExecutor {
    MockExecutor::new(default_executor_info().executor_id)
}

/// A driver of `framework` for `sched` on `master`, not yet started.
pub(crate) fn driver_with(
    sched: &MockScheduler,
    framework: FrameworkInfo,
    master: &Master,
    implicit_acknowledgements: bool,
) -> MesosSchedulerDriver {
    MesosSchedulerDriver::with_detector(
        sched.clone(),
        framework,
        master.create_detector(),
        implicit_acknowledgements,
    )
}

/// A driver of `DEFAULT_FRAMEWORK_INFO` for `sched` on `master`.
pub(crate) fn driver(sched: &MockScheduler, master: &Master) -> MesosSchedulerDriver {
    driver_with(
        sched,
        mesos::testing::default_framework_info(),
        master,
        true,
    )
}

/// Starts `driver` and returns the first offers `sched` gets (later ones
/// are ignored unless the test expects them).
pub(crate) fn start_and_await_offers(
    driver: &MesosSchedulerDriver,
    sched: &MockScheduler,
) -> Vec<Offer> {
    let offers = sched.resource_offers.future();
    driver.start();
    let offers = await_ready(&offers);
    assert!(!offers.is_empty());
    offers
}

/// The task Mesos' tests launch: named "", all of `offer`'s resources,
/// run by `DEFAULT_EXECUTOR_INFO`.
pub(crate) fn task_on(offer: &Offer, id: &str) -> TaskInfo {
    TaskInfo {
        name: String::new(),
        task_id: TaskId {
            value: id.to_string(),
        },
        slave_id: offer.slave_id.clone(),
        resources: offer.resources.clone(),
        executor: Some(default_executor_info()),
        ..TaskInfo::default()
    }
}

/// gmock's `SaveArg<0>(&execDriver)` on `registered`: the driver of the
/// executor once it registered.
pub(crate) fn future_executor_driver(exec: &MockExecutor) -> Future<MesosExecutorDriver> {
    let promise = Promise::new();
    let future = promise.future();
    exec.registered.will_once(move |driver, _| {
        promise.set(driver.clone());
    });
    future
}

/// Stops the driver (tearing the framework down) and waits for it.
pub(crate) fn stop(driver: &MesosSchedulerDriver) {
    driver.stop(false);
    driver.join();
}
