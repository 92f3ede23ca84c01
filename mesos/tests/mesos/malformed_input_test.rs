//! Bad input to the real master and agent of the in-process cluster:
//! bodies that do not parse or lack required fields, unknown message
//! names, status updates and scheduler calls naming IDs that are not the
//! sender's. None may stop or stall the daemon: each test ends with a
//! normal task running on the same master and agent.

use std::sync::Arc;

use libprocess::testing::{self as lp, await_ready, ANY};
use libprocess::{dispatch, name_of, post, spawn_with_id, Clock, Process, PID, UPID};
use mesos::internal::{
    DeactivateFrameworkMessage, ExecutorToFrameworkMessage, ExitedExecutorMessage,
    FrameworkToExecutorMessage, KillTaskMessage, LaunchTasksMessage, PingSlaveMessage,
    ReconcileTasksMessage, RegisterExecutorMessage, RegisterFrameworkMessage, RegisterSlaveMessage,
    ReregisterFrameworkMessage, ReregisterSlaveMessage, ResourceRequestMessage,
    ReviveOffersMessage, RunTaskMessage, ShutdownExecutorMessage, ShutdownFrameworkMessage,
    ShutdownMessage, SlaveRegisteredMessage, SlaveReregisteredMessage, StatusUpdate,
    StatusUpdateAcknowledgementMessage, StatusUpdateMessage, UnregisterFrameworkMessage,
    UnregisterSlaveMessage, UpdateFrameworkMessage,
};
use mesos::master::Master as MasterProcess;
use mesos::scheduler::{call, Call};
use mesos::slave::{Slave as SlaveProcess, SlaveState};
use mesos::task_status::Source;
use mesos::testing::cluster::{Master, Slave};
use mesos::testing::{
    create_executor_info, launch_tasks, send_status_update_from_task, MockExecutor, MockScheduler,
    TestContainerizer,
};
use mesos::{FrameworkId, SlaveId, TaskId, TaskState};

use crate::cluster_helpers as ch;

/// The messages the master handles.
fn master_messages() -> Vec<&'static str> {
    vec![
        name_of::<Call>(),
        name_of::<RegisterFrameworkMessage>(),
        name_of::<ReregisterFrameworkMessage>(),
        name_of::<UnregisterFrameworkMessage>(),
        name_of::<DeactivateFrameworkMessage>(),
        name_of::<ResourceRequestMessage>(),
        name_of::<LaunchTasksMessage>(),
        name_of::<ReviveOffersMessage>(),
        name_of::<KillTaskMessage>(),
        name_of::<StatusUpdateAcknowledgementMessage>(),
        name_of::<FrameworkToExecutorMessage>(),
        name_of::<ReconcileTasksMessage>(),
        name_of::<RegisterSlaveMessage>(),
        name_of::<ReregisterSlaveMessage>(),
        name_of::<UnregisterSlaveMessage>(),
        name_of::<StatusUpdateMessage>(),
        name_of::<ExecutorToFrameworkMessage>(),
        name_of::<ExitedExecutorMessage>(),
    ]
}

/// The messages the agent handles. (An empty `ShutdownMessage` is a
/// valid one: it is left out of the empty bodies.)
fn agent_messages() -> Vec<&'static str> {
    vec![
        name_of::<SlaveRegisteredMessage>(),
        name_of::<SlaveReregisteredMessage>(),
        name_of::<RunTaskMessage>(),
        name_of::<KillTaskMessage>(),
        name_of::<ShutdownExecutorMessage>(),
        name_of::<ShutdownFrameworkMessage>(),
        name_of::<FrameworkToExecutorMessage>(),
        name_of::<UpdateFrameworkMessage>(),
        name_of::<StatusUpdateAcknowledgementMessage>(),
        name_of::<RegisterExecutorMessage>(),
        name_of::<StatusUpdateMessage>(),
        name_of::<ExecutorToFrameworkMessage>(),
        name_of::<PingSlaveMessage>(),
    ]
}

/// Bodies that are not protobufs: an invalid varint, a length past the
/// end, a field number 0, an end-group with no start.
const GARBAGE: &[&[u8]] = &[&[0xff; 11], &[0x0a, 0x7f, b'a'], &[0x00, 0x01], &[0x0c]];

/// A process that handles nothing, to send as.
struct Idle;

impl Process for Idle {}

fn stand_in(id: &str) -> PID<Idle> {
    spawn_with_id(Idle, id).expect("a fresh id")
}

/// A master and an agent whose test containerizer runs `exec` (executor
/// "default", for the tests' own tasks) and the executor of
/// [`serves_a_task`].
struct Cluster {
    exec: MockExecutor,
    serving: MockExecutor,
    _containerizer: Arc<TestContainerizer>,
    slave: Slave,
    master: Master,
    slave_id: SlaveId,
}

fn cluster() -> Cluster {
    let master = ch::start_master();
    let exec = ch::default_exec();
    let serving = MockExecutor::new(serving_executor().executor_id);
    let registered = lp::future_protobuf::<SlaveRegisteredMessage>(ANY, ANY);
    let (containerizer, slave) = ch::start_slave(&master, &exec);
    containerizer.add(&serving);
    let slave_id = await_ready(&registered).slave_id;
    Cluster {
        exec,
        serving,
        _containerizer: containerizer,
        slave,
        master,
        slave_id,
    }
}

fn serving_executor() -> mesos::ExecutorInfo {
    create_executor_info("serving", "exit 1")
}

/// Waits until every process is idle (the bad input is handled).
fn settle() {
    Clock::pause();
    Clock::settle();
    Clock::resume();
}

impl Cluster {
    /// A new framework's task runs to TASK_RUNNING on the agent, and the
    /// agent is still registered with the master.
    fn serves_a_task(&self) {
        let sched = MockScheduler::new();
        let driver = ch::driver(&sched, &self.master);
        sched
            .resource_offers
            .will_once(launch_tasks(serving_executor(), 1, 0.5, 64.0, "*"));
        self.serving
            .launch_task
            .will_once(send_status_update_from_task(TaskState::TaskRunning));
        let status = sched.status_update.future();
        driver.start();
        assert_eq!(TaskState::TaskRunning, await_ready(&status).state());
        ch::stop(&driver);

        let state = await_ready(&dispatch(&self.slave.pid, |s: &mut SlaveProcess| s.state()));
        assert_eq!(SlaveState::Running, state);
    }

    fn registered_agents(&self) -> usize {
        await_ready(&dispatch(&self.master.pid, |m: &mut MasterProcess| {
            m.slaves().registered.len()
        }))
    }

    fn frameworks(&self) -> usize {
        await_ready(&dispatch(&self.master.pid, |m: &mut MasterProcess| {
            m.frameworks().len()
        }))
    }

    fn metric(&self, name: &str) -> f64 {
        let snapshot = await_ready(&libprocess::metrics::snapshot(None));
        snapshot.get(name).copied().unwrap_or_default()
    }
}

/// Bodies that do not parse, and bodies missing required fields, are
/// dropped by the master: no agent or framework comes of them.
#[test]
fn malformed_messages_to_the_master_are_dropped() {
    let _runtime = lp::runtime();
    let cluster = cluster();
    let sender = stand_in("malformed");
    for name in master_messages() {
        for body in GARBAGE {
            post(
                sender.upid(),
                cluster.master.pid.upid(),
                name,
                body.to_vec(),
            );
        }
        post(sender.upid(), cluster.master.pid.upid(), name, Vec::new());
        // From the agent too: the master trusts its agent's messages more.
        post(
            cluster.slave.pid.upid(),
            cluster.master.pid.upid(),
            name,
            Vec::new(),
        );
    }
    settle();
    assert_eq!(1, cluster.registered_agents());
    assert_eq!(0, cluster.frameworks());

    cluster.serves_a_task();
}

/// Bodies that do not parse, and bodies missing required fields, are
/// dropped by the agent, even from its master.
#[test]
fn malformed_messages_to_the_agent_are_dropped() {
    let _runtime = lp::runtime();
    let cluster = cluster();
    let sender = stand_in("malformed");
    let mut names = agent_messages();
    for name in &names {
        for from in [sender.upid(), cluster.master.pid.upid()] {
            post(from, cluster.slave.pid.upid(), *name, Vec::new());
        }
    }
    names.push(name_of::<ShutdownMessage>());
    for name in names {
        for body in GARBAGE {
            for from in [sender.upid(), cluster.master.pid.upid()] {
                post(from, cluster.slave.pid.upid(), name, body.to_vec());
            }
        }
    }
    settle();
    let agent_id = await_ready(&dispatch(&cluster.slave.pid, |s: &mut SlaveProcess| {
        s.info().id.clone()
    }));
    assert_eq!(Some(cluster.slave_id.clone()), agent_id);

    cluster.serves_a_task();
}

/// Messages no process handles are dropped.
#[test]
fn unknown_messages_are_dropped() {
    let _runtime = lp::runtime();
    let cluster = cluster();
    let sender = stand_in("unknown");
    for to in [cluster.master.pid.upid(), cluster.slave.pid.upid()] {
        for name in ["mesos.internal.NoSuchMessage", "", "\u{0}\u{ff}", "master"] {
            post(sender.upid(), to, name, b"body".to_vec());
        }
    }
    settle();

    cluster.serves_a_task();
}

/// A framework running one task of executor "default" on the cluster:
/// its driver, scheduler, ID and the task's ID.
struct Framework {
    driver: mesos::sched::MesosSchedulerDriver,
    sched: MockScheduler,
    id: FrameworkId,
    task_id: TaskId,
}

fn framework_with_a_task(cluster: &Cluster) -> Framework {
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &cluster.master);
    let id = sched.registered.future();
    sched.resource_offers.will_once(launch_tasks(
        mesos::testing::default_executor_info(),
        1,
        0.5,
        64.0,
        "*",
    ));
    cluster
        .exec
        .launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    let status = sched.status_update.future();
    driver.start();
    let (id, _) = await_ready(&id);
    let status = await_ready(&status);
    assert_eq!(TaskState::TaskRunning, status.state());
    Framework {
        driver,
        sched,
        id,
        task_id: status.task_id,
    }
}

fn update(framework_id: &FrameworkId, slave_id: &SlaveId, task_id: &str) -> StatusUpdate {
    mesos::common::protobuf_utils::create_status_update(
        framework_id,
        Some(slave_id.clone()),
        &TaskId {
            value: task_id.to_string(),
        },
        TaskState::TaskFailed,
        Source::Executor,
        Some(libprocess::random::uuid()),
        Default::default(),
    )
}

fn send_message<M: prost::Message + prost::Name + 'static>(from: &UPID, to: &UPID, message: &M) {
    post(from, to, name_of::<M>(), message.encode_to_vec());
}

/// An executor's updates naming a framework the agent does not run are
/// dropped; one naming a task its framework does not have is passed on
/// to the framework (as Mesos does: the agent cannot tell it from its own
/// updates for unknown tasks); the running task is untouched.
#[test]
fn executor_status_update_with_another_frameworks_ids() {
    let _runtime = lp::runtime();
    let cluster = cluster();
    let register = lp::future_message(name_of::<RegisterExecutorMessage>(), ANY, ANY);
    let framework = framework_with_a_task(&cluster);
    let executor = await_ready(&register).from;

    let unknown = FrameworkId {
        value: "not-on-this-agent".to_string(),
    };
    for update in [
        update(&unknown, &cluster.slave_id, &framework.task_id.value),
        update(&unknown, &cluster.slave_id, "no-such-task"),
    ] {
        send_message(
            &executor,
            cluster.slave.pid.upid(),
            &StatusUpdateMessage {
                update,
                pid: Some(executor.to_string()),
            },
        );
    }
    settle();
    assert_eq!(1, framework.sched.status_update.calls());

    let passed_on = framework.sched.status_update.future();
    send_message(
        &executor,
        cluster.slave.pid.upid(),
        &StatusUpdateMessage {
            update: update(&framework.id, &cluster.slave_id, "no-such-task"),
            pid: Some(executor.to_string()),
        },
    );
    assert_eq!("no-such-task", await_ready(&passed_on).task_id.value);

    let state = await_ready(&dispatch(&cluster.master.pid, {
        let (id, task_id) = (framework.id.clone(), framework.task_id.clone());
        move |m: &mut MasterProcess| {
            m.frameworks()
                .get(&id)
                .and_then(|f| f.tasks.get(&task_id))
                .map(|t| t.state())
        }
    }));
    assert_eq!(Some(TaskState::TaskRunning), state);

    cluster.serves_a_task();
    ch::stop(&framework.driver);
}

/// An agent's update for a framework the master does not know, for a
/// task it does not know, without a UUID or without a pid is dropped
/// and counted invalid; one for a known framework's unknown task still
/// reaches the framework, as in Mesos.
#[test]
fn agent_status_update_for_a_task_it_does_not_run() {
    let _runtime = lp::runtime();
    let cluster = cluster();
    let framework = framework_with_a_task(&cluster);
    let slave = cluster.slave.pid.upid().clone();
    let master = cluster.master.pid.upid().clone();
    let invalid = cluster.metric("master/invalid_status_updates");

    let unknown = FrameworkId {
        value: "unknown-framework".to_string(),
    };
    let mut without_uuid = update(&framework.id, &cluster.slave_id, "1");
    without_uuid.uuid = None;
    let other_agent = SlaveId {
        value: "unknown-agent".to_string(),
    };
    let updates = [
        (
            update(&unknown, &cluster.slave_id, "1"),
            Some(slave.to_string()),
        ),
        (without_uuid, Some(slave.to_string())),
        (
            update(&framework.id, &other_agent, "1"),
            Some(slave.to_string()),
        ),
        (update(&framework.id, &cluster.slave_id, "2"), None),
    ];
    for (update, pid) in updates {
        send_message(&slave, &master, &StatusUpdateMessage { update, pid });
    }
    settle();
    assert_eq!(
        invalid + 4.0,
        cluster.metric("master/invalid_status_updates")
    );
    assert_eq!(1, framework.sched.status_update.calls());

    let forwarded = framework.sched.status_update.future();
    send_message(
        &slave,
        &master,
        &StatusUpdateMessage {
            update: update(&framework.id, &cluster.slave_id, "no-such-task"),
            pid: Some(slave.to_string()),
        },
    );
    let forwarded = await_ready(&forwarded);
    assert_eq!("no-such-task", forwarded.task_id.value);
    assert_eq!(
        invalid + 5.0,
        cluster.metric("master/invalid_status_updates")
    );

    cluster.serves_a_task();
    ch::stop(&framework.driver);
}

/// A scheduler's calls naming another framework (or none the master
/// knows) are dropped: the other framework and its task go on.
#[test]
fn scheduler_call_with_another_frameworks_id() {
    let _runtime = lp::runtime();
    let cluster = cluster();
    let victim = framework_with_a_task(&cluster);

    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &cluster.master);
    let registered = sched.registered.future();
    driver.start();
    let (id, _) = await_ready(&registered);
    let intruder = await_ready(&dispatch(
        &cluster.master.pid,
        move |m: &mut MasterProcess| m.frameworks().get(&id).and_then(|f| f.pid().cloned()),
    ))
    .expect("the framework's pid");

    let call = |framework_id: &FrameworkId, kind: call::Type| Call {
        framework_id: Some(framework_id.clone()),
        r#type: Some(kind as i32),
        ..Call::default()
    };
    let unknown = FrameworkId {
        value: "unknown-framework".to_string(),
    };
    let kill = Call {
        kill: Some(call::Kill {
            task_id: victim.task_id.clone(),
            slave_id: None,
            kill_policy: None,
        }),
        ..call(&victim.id, call::Type::Kill)
    };
    for message in [
        call(&victim.id, call::Type::Teardown),
        kill,
        call(&victim.id, call::Type::Suppress),
        call(&unknown, call::Type::Teardown),
        Call {
            framework_id: None,
            ..call(&victim.id, call::Type::Revive)
        },
    ] {
        send_message(&intruder, cluster.master.pid.upid(), &message);
    }
    settle();
    let (active, state) = await_ready(&dispatch(&cluster.master.pid, {
        let (id, task_id) = (victim.id.clone(), victim.task_id.clone());
        move |m: &mut MasterProcess| {
            let framework = m.frameworks().get(&id);
            (
                framework.is_some_and(|f| f.active()),
                framework
                    .and_then(|f| f.tasks.get(&task_id))
                    .map(|t| t.state()),
            )
        }
    }));
    assert!(active);
    assert_eq!(Some(TaskState::TaskRunning), state);
    assert_eq!(0, cluster.exec.kill_task.calls());

    ch::stop(&driver);
    cluster.serves_a_task();
    ch::stop(&victim.driver);
}
