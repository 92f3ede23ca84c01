//! Mesos' `ReconciliationTest` (`src/tests/reconciliation_tests.cpp`) on
//! the in-process cluster, and what the master answers other explicit and
//! implicit reconciliations with, against stand-in agents and schedulers.

use libprocess::testing::{self, await_ready, ANY};
use mesos::internal::{
    ReconcileTasksMessage, RunTaskMessage, SlaveRegisteredMessage, StatusUpdateMessage,
};
use mesos::scheduler::call::{self, reconcile, Reconcile};
use mesos::task_status::{Reason, Source};
use mesos::testing::{
    cluster, default_executor_info, future_call, send_status_update_from_task, MockExecutor,
    MockScheduler,
};
use mesos::{FrameworkId, SlaveId, TaskId, TaskState, TaskStatus};

use crate::cluster_helpers as ch;
use crate::master_helpers::*;

fn reconcile_call(
    framework_id: &FrameworkId,
    tasks: Vec<(&str, Option<SlaveId>)>,
) -> mesos::scheduler::Call {
    mesos::scheduler::Call {
        reconcile: Some(Reconcile {
            tasks: tasks
                .into_iter()
                .map(|(id, slave_id)| reconcile::Task {
                    task_id: TaskId { value: id.into() },
                    slave_id,
                })
                .collect(),
        }),
        ..call(framework_id, call::Type::Reconcile)
    }
}

/// A cluster with one running task "1": the scheduler, framework and
/// agent IDs.
fn with_task() -> (Cluster, libprocess::UPID, FrameworkId, SlaveId) {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, framework_id) = cluster.subscribe(default_framework_info());
    let offers = cluster.offers(&scheduler, &framework_id);
    let run = testing::future_protobuf::<RunTaskMessage>(ANY, &agent);
    send(
        &scheduler,
        cluster.master.upid(),
        &launch_call(
            &framework_id,
            &offers,
            vec![task("1", &slave_id, "cpus:1;mem:512")],
        ),
    );
    ready(&run);
    (cluster, scheduler, framework_id, slave_id)
}

/// A task unknown to the master, on no agent, is TASK_UNKNOWN to a
/// partition-aware framework.
#[test]
fn unknown_task_without_slave_partition_aware() {
    let cluster = Cluster::with_defaults();
    let (scheduler, framework_id) = cluster.subscribe(partition_aware_framework_info());
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &reconcile_call(&framework_id, vec![("2", None)]),
    );
    assert_eq!(ready(&update).update.status.state(), TaskState::TaskUnknown);
}

/// A task on an agent the master does not know is TASK_LOST to a
/// framework that is not partition-aware.
#[test]
fn unknown_slave_not_partition_aware() {
    let (cluster, scheduler, framework_id, _) = with_task();
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    let unknown = SlaveId {
        value: "unknown".into(),
    };
    send(
        &scheduler,
        cluster.master.upid(),
        &reconcile_call(&framework_id, vec![("2", Some(unknown.clone()))]),
    );
    let update = ready(&update).update;
    assert_eq!(update.status.state(), TaskState::TaskLost);
    assert_eq!(update.slave_id, Some(unknown));
}

#[test]
fn task_unknown_to_registered_slave() {
    let (cluster, scheduler, framework_id, slave_id) = with_task();
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &reconcile_call(&framework_id, vec![("2", Some(slave_id))]),
    );
    let update = ready(&update).update;
    assert_eq!(update.status.state(), TaskState::TaskLost);
    assert_eq!(
        update.status.message(),
        "Reconciliation: Task is unknown to the agent"
    );
}

#[test]
fn implicit_no_tasks() {
    let cluster = Cluster::with_defaults();
    let (scheduler, framework_id) = cluster.subscribe(default_framework_info());
    testing::expect_no_future_protobufs::<StatusUpdateMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &reconcile_call(&framework_id, vec![]),
    );
    settle();
}

#[test]
fn legacy_reconcile_tasks_message() {
    let (cluster, scheduler, framework_id, slave_id) = with_task();
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &ReconcileTasksMessage {
            framework_id: framework_id.clone(),
            statuses: vec![TaskStatus {
                task_id: TaskId { value: "1".into() },
                slave_id: Some(slave_id),
                state: TaskState::TaskRunning as i32,
                ..TaskStatus::default()
            }],
            framework: None,
        },
    );
    assert_eq!(ready(&update).update.status.state(), TaskState::TaskStaging);
}

/// The cluster of Mesos' reconciliation tests: a master, an agent with
/// the test containerizer, and a started driver whose offers launch one
/// task of `DEFAULT_EXECUTOR_INFO` (cpus:1;mem:512) reporting `state`.
/// Returns the first update of that task.
struct Running {
    driver: mesos::sched::MesosSchedulerDriver,
    sched: MockScheduler,
    _slave: cluster::Slave,
    _exec: MockExecutor,
    master: cluster::Master,
    update: TaskStatus,
}

fn launch_one_task(state: TaskState) -> Running {
    let master = ch::start_master();
    let exec = ch::default_exec();
    let (_containerizer, slave) = ch::start_slave(&master, &exec);

    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let framework_id = sched.registered.future();
    sched
        .resource_offers
        .will_once(mesos::testing::launch_tasks(
            default_executor_info(),
            1,
            1.0,
            512.0,
            "*",
        ));
    exec.launch_task
        .will_once(send_status_update_from_task(state));
    let update = sched.status_update.future();
    driver.start();

    await_ready(&framework_id);
    let update = await_ready(&update);
    assert_eq!(state, update.state());
    assert!(update.slave_id.is_some());
    Running {
        driver,
        sched,
        _slave: slave,
        _exec: exec,
        master,
        update,
    }
}

impl Running {
    fn stop(self) {
        ch::stop(&self.driver);
    }
}

/// `status` of the task in `update`, in a state the master does not have
/// (a dummy value: the master answers with what it knows).
fn staging_status_of(update: &TaskStatus) -> TaskStatus {
    TaskStatus {
        task_id: update.task_id.clone(),
        slave_id: update.slave_id.clone(),
        state: TaskState::TaskStaging as i32,
        ..TaskStatus::default()
    }
}

/// Reconciling a task the framework thinks is in another state sends
/// the latest state.
#[test]
fn task_state_mismatch() {
    let _runtime = testing::runtime();
    let cluster = launch_one_task(TaskState::TaskRunning);

    let update = cluster.sched.status_update.future();
    cluster
        .driver
        .reconcile_tasks(vec![staging_status_of(&cluster.update)]);
    let update = await_ready(&update);
    assert_eq!(TaskState::TaskRunning, update.state());
    assert_eq!(Reason::Reconciliation, update.reason());

    cluster.stop();
}

/// Reconciling a task in the state the master has sends it too.
#[test]
fn task_state_match() {
    let _runtime = testing::runtime();
    let cluster = launch_one_task(TaskState::TaskRunning);

    let update = cluster.sched.status_update.future();
    cluster
        .driver
        .reconcile_tasks(vec![staging_status_of(&cluster.update)]);
    let update = await_ready(&update);
    assert_eq!(TaskState::TaskRunning, update.state());
    assert_eq!(Reason::Reconciliation, update.reason());
    assert_eq!(Source::Master, update.source());
    assert_eq!("Reconciliation: Latest task state", update.message());
    // Reconciliation updates are not acknowledged.
    assert_eq!(None, update.uuid);

    cluster.stop();
}

/// A task on an agent the master does not know is TASK_UNKNOWN to a
/// partition-aware framework.
#[test]
fn unknown_slave() {
    let _runtime = testing::runtime();
    let master = ch::start_master();

    let mut framework = mesos::testing::default_framework_info();
    framework.capabilities.push(partition_aware());
    let sched = MockScheduler::new();
    let driver = ch::driver_with(&sched, framework, &master, true);
    let framework_id = sched.registered.future();
    driver.start();
    await_ready(&framework_id);

    let update = sched.status_update.future();
    driver.reconcile_tasks(vec![TaskStatus {
        task_id: TaskId {
            value: libprocess::random::uuid().to_string(),
        },
        slave_id: Some(SlaveId {
            value: libprocess::random::uuid().to_string(),
        }),
        state: TaskState::TaskStaging as i32,
        ..TaskStatus::default()
    }]);
    let update = await_ready(&update);
    assert_eq!(TaskState::TaskUnknown, update.state());
    assert_eq!(Reason::Reconciliation, update.reason());
    assert_eq!(None, update.unreachable_time);

    ch::stop(&driver);
}

fn partition_aware() -> mesos::framework_info::Capability {
    mesos::framework_info::Capability {
        r#type: Some(mesos::framework_info::capability::Type::PartitionAware as i32),
    }
}

/// An unknown task on a registered agent: TASK_LOST to a framework that
/// is not partition-aware, TASK_GONE to one that is.
fn reconcile_unknown_task_on_known_slave(framework: mesos::FrameworkInfo) -> TaskStatus {
    let master = ch::start_master();
    let registered = testing::future_protobuf::<SlaveRegisteredMessage>(ANY, ANY);
    let _slave =
        cluster::Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");
    let slave_id = await_ready(&registered).slave_id;

    let sched = MockScheduler::new();
    let driver = ch::driver_with(&sched, framework, &master, true);
    let framework_id = sched.registered.future();
    driver.start();
    await_ready(&framework_id);

    let update = sched.status_update.future();
    driver.reconcile_tasks(vec![TaskStatus {
        task_id: TaskId {
            value: libprocess::random::uuid().to_string(),
        },
        slave_id: Some(slave_id),
        state: TaskState::TaskStaging as i32,
        ..TaskStatus::default()
    }]);
    let update = await_ready(&update);
    ch::stop(&driver);
    update
}

#[test]
fn unknown_task() {
    let _runtime = testing::runtime();
    let update = reconcile_unknown_task_on_known_slave(mesos::testing::default_framework_info());
    assert_eq!(TaskState::TaskLost, update.state());
    assert_eq!(Reason::Reconciliation, update.reason());
    assert_eq!(None, update.unreachable_time);
}

#[test]
fn unknown_task_partition_aware() {
    let _runtime = testing::runtime();
    let mut framework = mesos::testing::default_framework_info();
    framework.capabilities.push(partition_aware());
    let update = reconcile_unknown_task_on_known_slave(framework);
    assert_eq!(TaskState::TaskGone, update.state());
    assert_eq!(Reason::Reconciliation, update.reason());
    assert_eq!(None, update.unreachable_time);
}

/// Implicit reconciliation sends the non-terminal tasks.
#[test]
fn implicit_non_terminal_task() {
    let _runtime = testing::runtime();
    let cluster = launch_one_task(TaskState::TaskRunning);

    let update = cluster.sched.status_update.future();
    cluster.driver.reconcile_tasks(vec![]);
    let update = await_ready(&update);
    assert_eq!(TaskState::TaskRunning, update.state());
    assert_eq!(Reason::Reconciliation, update.reason());

    cluster.stop();
}

/// Implicit reconciliation does not send terminal tasks.
#[test]
fn implicit_terminal_task() {
    let _runtime = testing::runtime();
    let cluster = launch_one_task(TaskState::TaskFinished);
    let updates = cluster.sched.status_update.calls();

    let reconcile = future_call::<mesos::scheduler::Call>(
        call::Type::Reconcile,
        ANY,
        cluster.master.pid.upid(),
    );
    libprocess::Clock::pause();
    cluster.driver.reconcile_tasks(vec![]);
    await_ready(&reconcile);

    // Any update the master sent would have arrived once settled.
    libprocess::Clock::settle();
    assert_eq!(updates, cluster.sched.status_update.calls());

    cluster.stop();
}
