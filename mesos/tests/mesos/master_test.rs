//! Mesos' `MasterTest` (`src/tests/master_tests.cpp`) on the in-process
//! cluster: the real master and agent, the scheduler driver with a mock
//! scheduler, mock executors behind real executor drivers in the test
//! containerizer.

use std::collections::HashMap;

use libprocess::testing::{self as lp, await_ready, ANY};
use libprocess::{dispatch, Clock};
use mesos::internal::{
    RescindResourceOfferMessage, RunTaskMessage, StatusUpdateAcknowledgementMessage,
};
use mesos::master::allocator::HierarchicalAllocatorProcess;
use mesos::master::framework_metrics::prefix as framework_metric_prefix;
use mesos::master::Master as MasterProcess;
use mesos::scheduler::{call, Call};
use mesos::task_status::{Reason, Source};
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{
    create_executor_info, default_executor_id, default_executor_info, future_call,
    send_status_update_from_task, send_status_update_from_task_id, MockExecutor, MockScheduler,
    TestContainerizer,
};
use mesos::{Filters, Resources, TaskId, TaskInfo, TaskState};

/// The read endpoints, on the whole cluster over loopback.
mod endpoints;
/// The metrics.
mod metrics;

use crate::cluster_helpers::*;

#[test]
fn task_running() {
    let _runtime = lp::runtime();
    let master = start_master();
    let exec = default_exec();
    let (containerizer, slave) = start_slave(&master, &exec);

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers = start_and_await_offers(&driver, &sched);

    // The offer names the agent's host and URL.
    let address = slave.pid.upid().address();
    let url = offers[0].url.clone().expect("the agent's URL");
    assert_eq!("http", url.scheme);
    assert_eq!(Some(address.ip().to_string()), url.address.ip);
    assert_eq!(i32::from(address.port()), url.address.port);
    assert_eq!(Some(offers[0].hostname.clone()), url.address.hostname);
    assert_eq!(Some(format!("/{}", slave.pid.upid().id())), url.path);

    let task = task_on(&offers[0], "1");
    let registered = exec.registered.future();
    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let update = containerizer.update.future();
    let status = sched.status_update.future();
    let run_task = lp::future_protobuf::<RunTaskMessage>(ANY, &slave.pid);

    driver.launch_tasks(vec![offers[0].id.clone()], vec![task], Filters::default());

    // The agent is asked to launch the executor, with the scheduler's pid.
    let run_task = await_ready(&run_task);
    assert_eq!(Some(true), run_task.launch_executor);
    assert!(run_task
        .pid
        .is_some_and(|pid| pid.starts_with("scheduler-")));
    await_ready(&registered);
    let status = await_ready(&status);
    assert_eq!(TaskState::TaskRunning, status.state());
    assert_eq!(Some(&exec.id), status.executor_id.as_ref());

    let (_, resources) = await_ready(&update);
    assert_eq!(Resources::from(offers[0].resources.as_slice()), resources);

    stop(&driver);
}

/// Stopping the driver while a task runs shuts its executor down, and
/// the task ends up killed in the completed framework.
#[test]
fn shutdown_framework_while_task_running() {
    let _runtime = lp::runtime();
    let master = start_master();
    let exec = default_exec();
    let (containerizer, _slave) = start_slave(&master, &exec);

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers = start_and_await_offers(&driver, &sched);
    let offer = offers[0].clone();

    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let update = containerizer.update.future();
    let status = sched.status_update.future();
    driver.launch_tasks(
        vec![offer.id.clone()],
        vec![task_on(&offer, "1")],
        Filters::default(),
    );
    assert_eq!(TaskState::TaskRunning, await_ready(&status).state());
    let (_, resources) = await_ready(&update);
    assert_eq!(Resources::from(offer.resources.as_slice()), resources);

    let teardown = future_call::<Call>(call::Type::Teardown, ANY, ANY);
    let shutdown = exec.shutdown.future();
    stop(&driver);
    await_ready(&teardown);
    await_ready(&shutdown);

    // The teardown is processed completely before the master is asked.
    Clock::pause();
    Clock::settle();
    Clock::resume();

    let state = await_ready(&dispatch(&master.pid, |m: &mut MasterProcess| {
        m.completed_frameworks()
            .front()
            .and_then(|f| f.completed_tasks.front())
            .map(|t| t.state())
    }));
    assert_eq!(Some(TaskState::TaskKilled), state);
}

#[test]
fn kill_task() {
    let _runtime = lp::runtime();
    let master = start_master();
    let exec = default_exec();
    let (_containerizer, _slave) = start_slave(&master, &exec);

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers = start_and_await_offers(&driver, &sched);

    let task_id = TaskId {
        value: "1".to_string(),
    };
    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let status = sched.status_update.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task_on(&offers[0], "1")],
        Filters::default(),
    );
    assert_eq!(TaskState::TaskRunning, await_ready(&status).state());

    exec.kill_task
        .will_once(send_status_update_from_task_id(TaskState::TaskKilled));
    let status = sched.status_update.future();
    driver.kill_task(task_id);
    assert_eq!(TaskState::TaskKilled, await_ready(&status).state());

    stop(&driver);
}

/// A kill of a task the master does not know, with no agent in
/// transition, is answered with TASK_LOST from the master.
#[test]
fn kill_unknown_task() {
    let _runtime = lp::runtime();
    let master = start_master();
    let exec = default_exec();
    let (_containerizer, _slave) = start_slave(&master, &exec);

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers = start_and_await_offers(&driver, &sched);

    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let status = sched.status_update.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task_on(&offers[0], "1")],
        Filters::default(),
    );
    assert_eq!(TaskState::TaskRunning, await_ready(&status).state());

    let status = sched.status_update.future();
    driver.kill_task(TaskId {
        value: "2".to_string(),
    });
    let status = await_ready(&status);
    assert_eq!(TaskState::TaskLost, status.state());
    assert_eq!(Source::Master, status.source());
    assert_eq!(Reason::Reconciliation, status.reason());

    stop(&driver);
}

#[test]
fn status_update_ack() {
    let _runtime = lp::runtime();
    let master = start_master();
    let exec = default_exec();
    let (_containerizer, slave) = start_slave(&master, &exec);

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers = start_and_await_offers(&driver, &sched);

    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let acknowledgement =
        lp::future_protobuf::<StatusUpdateAcknowledgementMessage>(ANY, &slave.pid);
    let status = sched.status_update.future();
    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task_on(&offers[0], "1")],
        Filters::default(),
    );
    assert_eq!(TaskState::TaskRunning, await_ready(&status).state());

    // The agent gets the acknowledgement.
    let acknowledgement = await_ready(&acknowledgement);
    assert_eq!(Some(&acknowledgement.uuid), status_uuid(&status).as_ref());

    let metrics = framework_metrics(&offers[0].framework_id);
    assert_eq!(Some(&2.0), metrics.get("calls"));
    assert_eq!(Some(&1.0), metrics.get("calls/accept"));
    assert_eq!(Some(&1.0), metrics.get("calls/acknowledge"));
    assert_eq!(Some(&1.0), metrics.get("offers/accepted"));
    assert_eq!(Some(&1.0), metrics.get("operations"));
    assert_eq!(Some(&1.0), metrics.get("operations/launch"));
    assert_eq!(Some(&1.0), metrics.get("events/update"));
    assert_eq!(Some(&1.0), metrics.get("tasks/active/task_running"));

    stop(&driver);
}

/// The default framework's `master/frameworks/<name>/<id>/*` metrics,
/// by the name after the prefix (Mesos' tests read them with
/// `getFrameworkMetricPrefix`).
fn framework_metrics(framework_id: &mesos::FrameworkId) -> HashMap<String, f64> {
    let mut info = mesos::testing::default_framework_info();
    info.id = Some(framework_id.clone());
    let prefix = framework_metric_prefix(&info);
    await_ready(&libprocess::metrics::snapshot(None))
        .into_iter()
        .filter_map(|(name, value)| Some((name.strip_prefix(&prefix)?.to_string(), value)))
        .collect()
}

fn status_uuid(status: &libprocess::Future<mesos::TaskStatus>) -> Option<bytes::Bytes> {
    status.value().and_then(|s| s.uuid.clone())
}

/// A killed task's resources are offered again, and so are its
/// executor's once the executor is gone.
#[test]
fn recover_resources() {
    let _runtime = lp::runtime();
    let master_flags = create_master_flags();
    let allocation_interval = master_flags.allocation_interval;
    let master = Master::start(master_flags).expect("the master starts");
    let exec = default_exec();
    let agent_resources = "cpus:2;gpus:0;mem:1024;disk:1024;ports:[1-10, 20-30]";
    let (containerizer, _slave) = start_slave_with(&master, &exec, |flags| {
        flags.resources = Some(agent_resources.to_string());
    });

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers = start_and_await_offers(&driver, &sched);

    let mut executor_info = default_executor_info();
    let mut executor_resources =
        Resources::parse("cpus:0.3;mem:200;ports:[5-8, 23-25]").expect("resources");
    executor_resources.allocate("*");
    executor_info.resources = executor_resources.to_vec();
    let task_resources = Resources::from(offers[0].resources.as_slice()) - executor_resources;
    let task_id = TaskId {
        value: "1".to_string(),
    };
    let task = TaskInfo {
        resources: task_resources.to_vec(),
        executor: Some(executor_info.clone()),
        ..task_on(&offers[0], "1")
    };

    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let status = sched.status_update.future();
    driver.launch_tasks(vec![offers[0].id.clone()], vec![task], Filters::default());
    assert_eq!(TaskState::TaskRunning, await_ready(&status).state());

    exec.kill_task
        .will_once(send_status_update_from_task_id(TaskState::TaskKilled));
    let status = sched.status_update.future();
    let offers = sched.resource_offers.future();
    driver.kill_task(task_id);
    assert_eq!(TaskState::TaskKilled, await_ready(&status).state());

    driver.revive_offers(vec![]); // Not waiting for the next allocation.
    let offers = await_ready(&offers);
    assert!(!offers.is_empty());
    let offer = offers[0].clone();
    assert_eq!(task_resources, Resources::from(offer.resources.as_slice()));

    driver.decline_offer(offer.id.clone(), Filters::default());

    // Once the executor is gone, its resources are offered too.
    let offers = sched.resource_offers.future();
    let lost = sched.executor_lost.future();
    containerizer.destroy_executor(&offer.framework_id, &executor_info.executor_id);

    // The master recovers the executor's resources before the batch
    // allocation.
    Clock::pause();
    Clock::settle();
    Clock::advance(allocation_interval);
    Clock::resume();

    let (executor_id, _, _) = await_ready(&lost);
    assert_eq!(default_executor_id(), executor_id);
    let offers = await_ready(&offers);
    assert!(!offers.is_empty());
    let mut all = Resources::parse(agent_resources).expect("resources");
    all.allocate("*");
    assert_eq!(all, Resources::from(offers[0].resources.as_slice()));

    stop(&driver);
}

#[test]
fn framework_message() {
    let _runtime = lp::runtime();
    let master = start_master();
    let exec = default_exec();
    let (_containerizer, _slave) = start_slave(&master, &exec);

    let sched = MockScheduler::new();
    let sched_driver = driver(&sched, &master);
    let offers = start_and_await_offers(&sched_driver, &sched);

    let exec_driver = future_executor_driver(&exec);
    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let status = sched.status_update.future();
    sched_driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task_on(&offers[0], "1")],
        Filters::default(),
    );
    assert_eq!(TaskState::TaskRunning, await_ready(&status).state());

    let exec_data = exec.framework_message.future();
    sched_driver.send_framework_message(
        default_executor_id(),
        offers[0].slave_id.clone(),
        b"hello".to_vec(),
    );
    assert_eq!(b"hello".to_vec(), await_ready(&exec_data));

    let sched_data = sched.framework_message.future();
    await_ready(&exec_driver).send_framework_message(&b"world"[..]);
    let (_, _, data) = await_ready(&sched_data);
    assert_eq!(b"world".to_vec(), data);

    stop(&sched_driver);
}

#[test]
fn multiple_executors() {
    let _runtime = lp::runtime();
    let master = start_master();

    let executor1 = create_executor_info("executor-1", "exit 1");
    let executor2 = create_executor_info("executor-2", "exit 1");
    let exec1 = MockExecutor::new(executor1.executor_id.clone());
    let exec2 = MockExecutor::new(executor2.executor_id.clone());
    let containerizer = std::sync::Arc::new(TestContainerizer::new(&exec1));
    containerizer.add(&exec2);
    let _slave =
        Slave::start(master.create_detector(), containerizer.clone()).expect("the agent starts");

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers = start_and_await_offers(&driver, &sched);

    let resources = Resources::parse("cpus:1;mem:512").expect("resources");
    let task1 = TaskInfo {
        resources: resources.to_vec(),
        executor: Some(executor1),
        ..task_on(&offers[0], "1")
    };
    let task2 = TaskInfo {
        resources: resources.to_vec(),
        executor: Some(executor2),
        ..task_on(&offers[0], "2")
    };

    let exec1_task = exec1.launch_task.future_and(|driver, task| {
        send_status_update_from_task(TaskState::TaskRunning)(driver, task.clone())
    });
    let exec2_task = exec2.launch_task.future_and(|driver, task| {
        send_status_update_from_task(TaskState::TaskRunning)(driver, task.clone())
    });
    let status1 = sched.status_update.future();
    let status2 = sched.status_update.future();

    driver.launch_tasks(
        vec![offers[0].id.clone()],
        vec![task1.clone(), task2.clone()],
        Filters::default(),
    );

    assert_eq!(task1.task_id, await_ready(&exec1_task).task_id);
    assert_eq!(task2.task_id, await_ready(&exec2_task).task_id);
    assert_eq!(TaskState::TaskRunning, await_ready(&status1).state());
    assert_eq!(TaskState::TaskRunning, await_ready(&status2).state());

    stop(&driver);
}

/// An offer given twice in one launch is invalid: a framework that is
/// not partition-aware gets TASK_LOST, and the offer's resources go back.
#[test]
fn launch_duplicate_offer_lost() {
    let _runtime = lp::runtime();
    let master = start_master();
    let exec = default_exec();
    let full_slave = Resources::parse("cpus:2;mem:1024").expect("resources");
    let (_containerizer, _slave) = start_slave_with(&master, &exec, |flags| {
        flags.resources = Some(full_slave.to_string());
    });

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers = start_and_await_offers(&driver, &sched);
    let resources = Resources::from(offers[0].resources.as_slice());
    assert_eq!(Some(2.0), resources.cpus());
    assert_eq!(Some(stout::Bytes::megabytes(1024)), resources.mem());

    let task = TaskInfo {
        resources: full_slave.to_vec(),
        ..task_on(&offers[0], "1")
    };
    let status = sched.status_update.future();
    let recover_resources =
        lp::future_dispatch(ANY, HierarchicalAllocatorProcess::recover_resources);
    driver.launch_tasks(
        vec![offers[0].id.clone(), offers[0].id.clone()],
        vec![task],
        Filters::default(),
    );

    let status = await_ready(&status);
    assert_eq!(TaskState::TaskLost, status.state());
    assert_eq!(Reason::InvalidOffers, status.reason());
    assert_eq!(Source::Master, status.source());
    assert!(status
        .message()
        .starts_with("Task launched with invalid offers: Duplicate offer"));
    assert_eq!(None, status.uuid);

    // The resources of the invalid offers are recovered.
    await_ready(&recover_resources);

    let metrics = await_ready(&libprocess::metrics::snapshot(None));
    assert_eq!(Some(&0.0), metrics.get("master/tasks_dropped"));
    assert_eq!(Some(&1.0), metrics.get("master/tasks_lost"));
    assert_eq!(
        Some(&1.0),
        metrics.get("master/task_lost/source_master/reason_invalid_offers")
    );

    stop(&driver);
}

/// An offer the framework does not answer within `--offer_timeout` is
/// rescinded, and its resources offered again.
#[test]
fn offer_timeout() {
    let _runtime = loopback_runtime();
    let mut master_flags = create_master_flags();
    let offer_timeout = stout::Duration::from_secs(30);
    master_flags.offer_timeout = Some(offer_timeout);
    let allocation_interval = master_flags.allocation_interval;
    let master = Master::start(master_flags).expect("the master starts");
    let _slave = Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");

    let sched = MockScheduler::new();
    let driver = driver(&sched, &master);
    let offers1 = sched.resource_offers.future();
    let offers2 = sched.resource_offers.future();
    let rescinded = sched.offer_rescinded.future();
    let rescind = lp::future_protobuf::<RescindResourceOfferMessage>(ANY, ANY);
    let recover_resources =
        lp::future_dispatch(ANY, HierarchicalAllocatorProcess::recover_resources);
    driver.start();

    let offers1 = await_ready(&offers1);
    assert_eq!(1, offers1.len());

    Clock::pause();
    Clock::advance(offer_timeout);
    Clock::resume();

    assert_eq!(offers1[0].id, await_ready(&rescinded));
    assert_eq!(offers1[0].id, await_ready(&rescind).offer_id);
    await_ready(&recover_resources);

    // The next batch allocation offers the resources again.
    Clock::pause();
    Clock::advance(allocation_interval);
    Clock::resume();

    let offers2 = await_ready(&offers2);
    assert_eq!(1, offers2.len());
    assert_eq!(offers1[0].resources, offers2[0].resources);

    let metrics = framework_metrics(&offers1[0].framework_id);
    assert_eq!(Some(&0.0), metrics.get("offers/accepted"));
    assert_eq!(Some(&2.0), metrics.get("offers/sent"));
    assert_eq!(Some(&1.0), metrics.get("offers/rescinded"));

    stop(&driver);
}
