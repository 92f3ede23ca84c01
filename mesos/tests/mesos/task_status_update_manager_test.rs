//! Mesos' `TaskStatusUpdateManagerTest` (`task_status_update_manager_tests.cpp`)
//! on the in-process cluster (the agent's own manager), and the manager at
//! the unit level: its process with the Clock paused and a forward
//! callback standing in for the agent, and its streams as plain data.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use libprocess::testing::{
    await_failed, await_ready, drop_protobuf, drop_protobufs, future_dispatch, future_protobuf, ANY,
};
use libprocess::{Clock, Future};
use mesos::common::protobuf_utils::{create_status_update, StatusUpdateOptions};
use mesos::internal::{StatusUpdate, StatusUpdateAcknowledgementMessage, StatusUpdateMessage};
use mesos::slave::state::{ExecutorState, FrameworkState, RunState, SlaveState};
use mesos::slave::task_status_update_manager::{
    read_task_updates, TaskStatusUpdateManager, TaskStatusUpdateStream,
    STATUS_UPDATE_RETRY_INTERVAL_MAX, STATUS_UPDATE_RETRY_INTERVAL_MIN,
};
use mesos::slave::{paths, Slave};
use mesos::task_status::Source;
use mesos::testing::{
    cluster, drop_calls, send_status_update_from_task, MockExecutor, MockScheduler,
};
use mesos::Filters;
use mesos::{ContainerId, ExecutorId, ExecutorInfo, FrameworkId, SlaveId, TaskId, TaskState};
use parking_lot::Mutex;
use stout::Uuid;

use crate::cluster_helpers as ch;

fn framework_id() -> FrameworkId {
    FrameworkId {
        value: "framework1".to_string(),
    }
}

fn slave_id() -> SlaveId {
    SlaveId {
        value: "agent1".to_string(),
    }
}

fn task_id() -> TaskId {
    TaskId {
        value: "task1".to_string(),
    }
}

/// An executor's update for task1, with a fresh UUID.
fn update(state: TaskState) -> (StatusUpdate, Uuid) {
    let uuid = Uuid::random();
    let update = create_status_update(
        &framework_id(),
        Some(slave_id()),
        &task_id(),
        state,
        Source::Executor,
        Some(uuid),
        StatusUpdateOptions::default(),
    );
    (update, uuid)
}

/// What the manager forwarded, in order.
type Forwarded = Arc<Mutex<Vec<StatusUpdate>>>;

fn start(work_dir: &str) -> (TaskStatusUpdateManager, Forwarded) {
    let manager = TaskStatusUpdateManager::new(work_dir);
    let forwarded: Forwarded = Arc::default();
    let sink = forwarded.clone();
    manager.initialize(move |update| sink.lock().push(update));
    (manager, forwarded)
}

fn states(forwarded: &Forwarded) -> Vec<i32> {
    forwarded.lock().iter().map(|u| u.status.state).collect()
}

/// The manager's own schedule: resent after 10 s, then 20 s, 40 s ... up
/// to 10 min, until acknowledged.
#[test]
fn retry_backoff_until_acknowledged() {
    // The update is resent after 10 s, then 20 s, 40 s ... up to 10 min,
    // until acknowledged.
    let _runtime = libprocess::testing::runtime();
    Clock::pause();
    let (manager, forwarded) = start("/nonexistent");
    let (running, uuid) = update(TaskState::TaskRunning);
    await_ready(&manager.update(running, &slave_id(), None));
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 1);

    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 2);

    // The next resend is 20 s later.
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 2);
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 3);

    // 40 s, 80 s, 160 s, 320 s, then 600 s (the maximum) each time.
    for seconds in [40, 80, 160, 320, 600, 600] {
        Clock::advance(stout::Duration::from_secs(seconds));
        Clock::settle();
    }
    assert_eq!(forwarded.lock().len(), 9);
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MAX - stout::Duration::from_secs(1));
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 9);
    Clock::advance(stout::Duration::from_secs(1));
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 10);
    assert!(forwarded
        .lock()
        .iter()
        .all(|u| u.status.state == TaskState::TaskRunning as i32));

    assert!(await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        uuid
    )));
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MAX);
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 10);
}

#[test]
fn duplicate_acknowledgement_refused() {
    // An acknowledgement that arrives twice (the update was retried and
    // both copies acknowledged) is refused the second time, and the
    // stream goes on.
    let _runtime = libprocess::testing::runtime();
    Clock::pause();
    let (manager, forwarded) = start("/nonexistent");
    let (running, running_uuid) = update(TaskState::TaskRunning);
    let (finished, finished_uuid) = update(TaskState::TaskFinished);
    await_ready(&manager.update(running, &slave_id(), None));
    await_ready(&manager.update(finished, &slave_id(), None));
    Clock::settle();
    // Only the head is in flight.
    assert_eq!(states(&forwarded), vec![TaskState::TaskRunning as i32]);

    assert!(await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        running_uuid
    )));
    Clock::settle();
    assert_eq!(
        states(&forwarded),
        vec![
            TaskState::TaskRunning as i32,
            TaskState::TaskFinished as i32
        ]
    );

    let duplicate = manager.acknowledgement(&task_id(), &framework_id(), running_uuid);
    assert_eq!(
        await_failed(&duplicate),
        "Duplicate task status acknowledgement"
    );

    // The terminal acknowledgement ends the stream.
    assert!(!await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        finished_uuid
    )));
    let gone = manager.acknowledgement(&task_id(), &framework_id(), finished_uuid);
    assert_eq!(
        await_failed(&gone),
        "Cannot find the task status update stream for task task1 of framework framework1"
    );
}

#[test]
fn unexpected_acknowledgement_refused() {
    // An acknowledgement of an update the stream is not waiting for is
    // refused; the update is still retried.
    let _runtime = libprocess::testing::runtime();
    Clock::pause();
    let (manager, forwarded) = start("/nonexistent");
    let (running, uuid) = update(TaskState::TaskRunning);
    await_ready(&manager.update(running, &slave_id(), None));
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 1);

    let unexpected = manager.acknowledgement(&task_id(), &framework_id(), Uuid::random());
    assert_eq!(
        await_failed(&unexpected),
        "Duplicate task status acknowledgement"
    );
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 2);
    assert!(await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        uuid
    )));
}

#[test]
fn duplicate_terminal_update_after_ack() {
    // Once a terminal update is acknowledged its stream is gone: another
    // terminal update for the task starts a new stream and is forwarded.
    let _runtime = libprocess::testing::runtime();
    Clock::pause();
    let (manager, forwarded) = start("/nonexistent");
    let (finished, finished_uuid) = update(TaskState::TaskFinished);
    await_ready(&manager.update(finished, &slave_id(), None));
    assert!(!await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        finished_uuid
    )));

    let (killed, killed_uuid) = update(TaskState::TaskKilled);
    await_ready(&manager.update(killed, &slave_id(), None));
    Clock::settle();
    assert_eq!(
        states(&forwarded),
        vec![TaskState::TaskFinished as i32, TaskState::TaskKilled as i32]
    );
    assert!(!await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        killed_uuid
    )));
}

#[test]
fn duplicate_update_before_ack() {
    // A duplicate update is taken (so the agent acknowledges it again)
    // but neither queued nor forwarded.
    let _runtime = libprocess::testing::runtime();
    Clock::pause();
    let (manager, forwarded) = start("/nonexistent");
    let (running, uuid) = update(TaskState::TaskRunning);
    await_ready(&manager.update(running.clone(), &slave_id(), None));
    await_ready(&manager.update(running, &slave_id(), None));
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 1);
    assert!(await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        uuid
    )));
    // Nothing queued behind it.
    let unexpected = manager.acknowledgement(&task_id(), &framework_id(), uuid);
    assert!(await_failed(&unexpected).starts_with("Unexpected task status update acknowledgment"));
}

#[test]
fn pause_and_resume() {
    // Nothing is forwarded while paused (the agent is not registered);
    // resuming resends every stream's head.
    let _runtime = libprocess::testing::runtime();
    Clock::pause();
    let (manager, forwarded) = start("/nonexistent");
    manager.pause();
    let (running, _) = update(TaskState::TaskRunning);
    await_ready(&manager.update(running, &slave_id(), None));
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MAX);
    Clock::settle();
    assert!(forwarded.lock().is_empty());

    manager.resume();
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 1);
    manager.resume();
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 2);
}

#[test]
fn cleanup_closes_the_framework_streams() {
    let _runtime = libprocess::testing::runtime();
    Clock::pause();
    let (manager, forwarded) = start("/nonexistent");
    let (running, uuid) = update(TaskState::TaskRunning);
    await_ready(&manager.update(running, &slave_id(), None));
    manager.cleanup(&framework_id());
    await_failed(&manager.acknowledgement(&task_id(), &framework_id(), uuid));
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 1);
}

#[test]
fn mismatched_checkpoint() {
    let _runtime = libprocess::testing::runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (manager, _) = start(&dir.path().to_string_lossy());
    let (running, _) = update(TaskState::TaskRunning);
    await_ready(&manager.update(running, &slave_id(), None));
    let (finished, _) = update(TaskState::TaskFinished);
    let executor_id = ExecutorId {
        value: "executor1".to_string(),
    };
    let container_id = ContainerId {
        value: "container1".to_string(),
        parent: None,
    };
    let failure =
        await_failed(&manager.update(finished, &slave_id(), Some((&executor_id, &container_id))));
    assert!(failure.starts_with("Mismatched checkpoint value for task status update"));
}

#[test]
fn checkpointed_streams_are_recovered() {
    let _runtime = libprocess::testing::runtime();
    Clock::pause();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let work_dir = dir.path().to_string_lossy().into_owned();
    let executor_id = ExecutorId {
        value: "executor1".to_string(),
    };
    let container_id = ContainerId {
        value: "container1".to_string(),
        parent: None,
    };
    let checkpoint = Some((&executor_id, &container_id));

    let (manager, forwarded) = start(&work_dir);
    let (running, running_uuid) = update(TaskState::TaskRunning);
    let (finished, finished_uuid) = update(TaskState::TaskFinished);
    await_ready(&manager.update(running, &slave_id(), checkpoint));
    assert!(await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        running_uuid
    )));
    await_ready(&manager.update(finished, &slave_id(), checkpoint));
    Clock::settle();
    assert_eq!(forwarded.lock().len(), 2);
    drop(manager);

    let path = paths::get_task_updates_path(
        &paths::get_meta_root_dir(&work_dir),
        &slave_id(),
        &framework_id(),
        &executor_id,
        &container_id,
        &task_id(),
    );
    let (updates, acks) = read_task_updates(&path).expect("readable");
    assert_eq!(updates.len(), 2);
    assert_eq!(acks, HashSet::from([running_uuid]));

    // The restarted agent's manager: the unacknowledged FINISHED goes out
    // once the agent is registered again.
    let state = SlaveState {
        id: Some(slave_id()),
        frameworks: HashMap::from([(
            framework_id().value,
            FrameworkState {
                id: Some(framework_id()),
                executors: HashMap::from([(
                    executor_id.value.clone(),
                    ExecutorState {
                        id: Some(executor_id.clone()),
                        info: Some(ExecutorInfo::default()),
                        latest: Some(container_id.clone()),
                        runs: HashMap::from([(
                            container_id.value.clone(),
                            RunState {
                                id: Some(container_id.clone()),
                                ..RunState::default()
                            },
                        )]),
                    },
                )]),
                ..FrameworkState::default()
            },
        )]),
        ..SlaveState::default()
    };
    let (manager, forwarded) = start(&work_dir);
    manager.pause();
    await_ready(&manager.recover(Some(&state)));
    Clock::settle();
    assert!(forwarded.lock().is_empty());
    manager.resume();
    Clock::settle();
    assert_eq!(states(&forwarded), vec![TaskState::TaskFinished as i32]);
    assert!(!await_ready(&manager.acknowledgement(
        &task_id(),
        &framework_id(),
        finished_uuid
    )));

    // A stream whose terminal update was acknowledged is not recovered.
    let (manager, forwarded) = start(&work_dir);
    await_ready(&manager.recover(Some(&state)));
    manager.resume();
    Clock::settle();
    assert!(forwarded.lock().is_empty());
}

#[test]
fn stream_as_plain_data() {
    let _runtime = libprocess::testing::runtime();
    let mut stream = TaskStatusUpdateStream::new(task_id(), framework_id(), None);
    let (running, running_uuid) = update(TaskState::TaskRunning);
    let (finished, finished_uuid) = update(TaskState::TaskFinished);

    assert!(stream.update(&running).expect("taken"));
    assert!(!stream.update(&running).expect("a duplicate"));
    assert!(stream.update(&finished).expect("taken"));
    assert_eq!(stream.pending.len(), 2);
    assert_eq!(stream.next().expect("no error"), Some(&running));

    // Acknowledging the wrong update does nothing.
    assert!(!stream
        .acknowledgement(finished_uuid, &running)
        .expect("unexpected"));
    assert!(stream
        .acknowledgement(running_uuid, &running)
        .expect("acknowledged"));
    assert!(!stream.terminated);
    assert!(!stream
        .acknowledgement(running_uuid, &finished)
        .expect("a duplicate"));
    // An acknowledged update coming again is ignored.
    assert!(!stream.update(&running).expect("acknowledged before"));

    assert!(stream
        .acknowledgement(finished_uuid, &finished)
        .expect("acknowledged"));
    assert!(stream.terminated);
    assert_eq!(stream.next().expect("no error"), None);

    let mut missing = running.clone();
    missing.uuid = None;
    assert_eq!(
        stream.update(&missing).expect_err("no uuid").to_string(),
        "Task status update is missing 'uuid'"
    );

    // Replaying what a checkpoint holds gives the same stream.
    let mut replayed = TaskStatusUpdateStream::new(task_id(), framework_id(), None);
    replayed
        .replay(&[running, finished.clone()], &HashSet::from([running_uuid]))
        .expect("replayed");
    assert_eq!(replayed.pending.iter().collect::<Vec<_>>(), vec![&finished]);
    assert!(!replayed.terminated);
}

/// Mesos' `createTasks(offer)`: task "1" on all of the offer's resources,
/// run by `DEFAULT_EXECUTOR_INFO`.
fn create_tasks(offer: &mesos::Offer) -> Vec<mesos::TaskInfo> {
    vec![mesos::TaskInfo {
        name: "test-task".to_string(),
        ..ch::task_on(offer, "1")
    }]
}

/// A checkpointing framework on a master and an agent with the test
/// containerizer, its driver started and its first offers in.
struct Cluster {
    driver: mesos::sched::MesosSchedulerDriver,
    sched: MockScheduler,
    exec: MockExecutor,
    slave: cluster::Slave,
    master: cluster::Master,
    framework_id: Future<FrameworkId>,
    offers: Vec<mesos::Offer>,
}

fn checkpointing_cluster() -> Cluster {
    let master = ch::start_master();
    let exec = ch::default_exec();
    let (_containerizer, slave) = ch::start_slave(&master, &exec);
    let mut framework = mesos::testing::default_framework_info();
    framework.checkpoint = Some(true);
    let sched = MockScheduler::new();
    let driver = ch::driver_with(&sched, framework, &master, true);
    let framework_id = sched.registered.future().map(|(id, _)| id);
    let offers = ch::start_and_await_offers(&driver, &sched);
    Cluster {
        driver,
        sched,
        exec,
        slave,
        master,
        framework_id,
        offers,
    }
}

/// An update the scheduler did not get (so the master did not
/// acknowledge it) is resent by the agent's manager.
#[test]
fn retry_status_update() {
    let _runtime = libprocess::testing::runtime();
    let cluster = checkpointing_cluster();
    cluster
        .exec
        .launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));

    let dropped = drop_protobuf::<StatusUpdateMessage>(&cluster.master.pid, ANY);
    Clock::pause();
    cluster.driver.launch_tasks(
        vec![cluster.offers[0].id.clone()],
        create_tasks(&cluster.offers[0]),
        Filters::default(),
    );
    await_ready(&dropped);

    let status = cluster.sched.status_update.future();
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    assert_eq!(TaskState::TaskRunning, await_ready(&status).state());
    Clock::resume();

    ch::stop(&cluster.driver);
}

/// An acknowledgement of an update already acknowledged (the update was
/// retried) is ignored: the agent keeps going, and the next update is
/// still retried until acknowledged.
#[test]
fn ignore_duplicate_status_update_ack() {
    let _runtime = libprocess::testing::runtime();
    let cluster = checkpointing_cluster();
    let framework_id = await_ready(&cluster.framework_id);
    let exec_driver = ch::future_executor_driver(&cluster.exec);
    cluster
        .exec
        .launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));

    // The first update is dropped, so the manager resends it.
    let dropped = drop_protobuf::<StatusUpdateMessage>(&cluster.master.pid, ANY);
    Clock::pause();
    cluster.driver.launch_tasks(
        vec![cluster.offers[0].id.clone()],
        create_tasks(&cluster.offers[0]),
        Filters::default(),
    );
    let update = await_ready(&dropped).update;

    let status = cluster.sched.status_update.future();
    // The acknowledgement of the retried update.
    let ack = future_dispatch(ANY, Slave::acknowledged);
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    let status = await_ready(&status);
    assert_eq!(TaskState::TaskRunning, status.state());
    await_ready(&ack);

    // TASK_FINISHED never reaches the scheduler, so it is never
    // acknowledged.
    drop_protobufs::<StatusUpdateMessage>(&cluster.master.pid, ANY);
    let update2 = future_dispatch(ANY, Slave::apply_status_update);
    await_ready(&exec_driver).send_status_update(mesos::TaskStatus {
        state: TaskState::TaskFinished as i32,
        ..status
    });
    await_ready(&update2);

    // A duplicate acknowledgement of TASK_RUNNING.
    let duplicate_ack = future_dispatch(ANY, Slave::acknowledged);
    let master = cluster.master.pid.upid().clone();
    let acknowledgement = StatusUpdateAcknowledgementMessage {
        slave_id: update.slave_id.clone().unwrap_or_default(),
        framework_id,
        task_id: update.status.task_id.clone(),
        uuid: update.uuid.clone().unwrap_or_default(),
    };
    libprocess::dispatch(&cluster.slave.pid, move |slave: &mut Slave| {
        slave.status_update_acknowledgement(&master, acknowledgement)
    });
    await_ready(&duplicate_ack);

    // TASK_FINISHED is still waiting for its acknowledgement.
    let retried = future_protobuf::<StatusUpdateMessage>(&cluster.slave.pid, &cluster.master.pid);
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    assert_eq!(
        TaskState::TaskFinished,
        await_ready(&retried).update.status.state()
    );
    Clock::resume();

    ch::stop(&cluster.driver);
}

/// An acknowledgement with a UUID the agent never sent is ignored, and
/// the update is still retried.
#[test]
fn ignore_unexpected_status_update_ack() {
    let _runtime = libprocess::testing::runtime();
    let cluster = checkpointing_cluster();
    let framework_id = await_ready(&cluster.framework_id);
    let status = cluster.sched.status_update.future();
    cluster
        .exec
        .launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));

    let forwarded = future_protobuf::<StatusUpdateMessage>(&cluster.master.pid, ANY);
    // No acknowledgement reaches the master, so the manager retries.
    drop_calls::<mesos::scheduler::Call>(
        mesos::scheduler::call::Type::Acknowledge,
        ANY,
        &cluster.master.pid,
    );
    cluster.driver.launch_tasks(
        vec![cluster.offers[0].id.clone()],
        create_tasks(&cluster.offers[0]),
        Filters::default(),
    );
    let update = await_ready(&forwarded).update;
    assert_eq!(TaskState::TaskRunning, await_ready(&status).state());

    let unexpected_ack = future_dispatch(ANY, Slave::acknowledged);
    let master = cluster.master.pid.upid().clone();
    let acknowledgement = StatusUpdateAcknowledgementMessage {
        slave_id: update.slave_id.clone().unwrap_or_default(),
        framework_id,
        task_id: update.status.task_id.clone(),
        uuid: Uuid::random().to_bytes().to_vec().into(),
    };
    libprocess::dispatch(&cluster.slave.pid, move |slave: &mut Slave| {
        slave.status_update_acknowledgement(&master, acknowledgement)
    });
    await_ready(&unexpected_ack);

    // The update is still retried.
    let retried = future_protobuf::<StatusUpdateMessage>(&cluster.slave.pid, &cluster.master.pid);
    Clock::pause();
    Clock::advance(STATUS_UPDATE_RETRY_INTERVAL_MIN);
    assert_eq!(
        TaskState::TaskRunning,
        await_ready(&retried).update.status.state()
    );
    Clock::resume();

    ch::stop(&cluster.driver);
}
