//! The master's protocol without real agents or drivers: stand-in
//! processes send the protobufs an agent or a scheduler driver sends, and
//! the test awaits what the master sends back and inspects its state.
//! (`master_test` has Mesos' `MasterTest` on the real cluster.)

use libprocess::testing::{self, ANY};
use libprocess::{spawn, terminate, Clock};
use mesos::internal::{
    ExitedExecutorMessage, FrameworkErrorMessage, FrameworkReregisteredMessage, LaunchTasksMessage,
    LostSlaveMessage, RegisterFrameworkMessage, RunTaskMessage, ShutdownExecutorMessage,
    ShutdownFrameworkMessage, SlaveRegisteredMessage, StatusUpdateAcknowledgementMessage,
    StatusUpdateMessage,
};
use mesos::scheduler::call::{self, Acknowledge, Decline, Kill, Shutdown};
use mesos::task_status::{Reason, Source};
use mesos::{ExecutorId, ExecutorInfo, Filters, Resources, TaskId, TaskState};
use stout::Duration;

use crate::master_helpers::*;

/// The update an agent forwards for a task, with a UUID, and the agent's
/// pid to acknowledge to.
fn agent_update(
    agent: &libprocess::UPID,
    framework_id: &mesos::FrameworkId,
    slave_id: &mesos::SlaveId,
    task_id: &str,
    state: TaskState,
) -> StatusUpdateMessage {
    let update = mesos::common::protobuf_utils::create_status_update(
        framework_id,
        Some(slave_id.clone()),
        &TaskId {
            value: task_id.to_string(),
        },
        state,
        Source::Executor,
        Some(libprocess::random::uuid()),
        Default::default(),
    );
    StatusUpdateMessage {
        update,
        pid: Some(agent.to_string()),
    }
}

#[test]
fn agent_registration_ids() {
    let cluster = Cluster::with_defaults();
    let master_id = cluster.inspect(|m| m.info().id.clone());
    let (_, first) = cluster.register_agent("cpus:2;mem:1024");
    let (_, second) = cluster.register_agent("cpus:2;mem:1024");
    assert_eq!(first.value, format!("{}-S0", master_id));
    assert_eq!(second.value, format!("{}-S1", master_id));
    let registered = cluster.inspect(|m| m.slaves().registered.len());
    assert_eq!(registered, 2);
    let admitted = cluster.registry().slaves.expect("slaves").slaves;
    assert_eq!(admitted.len(), 2);
}

#[test]
fn agent_registration_resends_acknowledgement() {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:1;mem:512");
    let again = testing::future_protobuf::<SlaveRegisteredMessage>(ANY, &agent);
    send(
        &agent,
        cluster.master.upid(),
        &register_slave_message("cpus:1;mem:512"),
    );
    let again = ready(&again);
    assert_eq!(again.slave_id, slave_id);
    // total_ping_timeout_seconds = 15secs * 5.
    assert_eq!(
        again.connection.and_then(|c| c.total_ping_timeout_seconds),
        Some(75.0)
    );
    assert_eq!(cluster.inspect(|m| m.slaves().registered.len()), 1);
}

#[test]
fn old_agent_version_is_ignored() {
    let cluster = Cluster::with_defaults();
    let agent = spawn(Stub("slave")).upid().clone();
    let mut message = register_slave_message("cpus:1;mem:512");
    message.version = Some("0.28.2".to_string());
    send(&agent, cluster.master.upid(), &message);
    settle();
    assert!(cluster.inspect(|m| m.slaves().registered.is_empty()));
}

#[test]
fn framework_registration_ids() {
    let cluster = Cluster::with_defaults();
    let master_id = cluster.inspect(|m| m.info().id.clone());
    let (_, first) = cluster.subscribe(default_framework_info());
    let (_, second) = cluster.subscribe(default_framework_info());
    assert_eq!(first.value, format!("{}-0000", master_id));
    assert_eq!(second.value, format!("{}-0001", master_id));
}

/// The acknowledgement of a terminal update completes the task; its
/// resources went back to the allocator when it finished.
#[test]
fn terminal_acknowledgement_completes_task() {
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

    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    let message = agent_update(
        &agent,
        &framework_id,
        &slave_id,
        "1",
        TaskState::TaskFinished,
    );
    send(&agent, cluster.master.upid(), &message);
    let update = ready(&update).update;

    let ack = testing::future_protobuf::<StatusUpdateAcknowledgementMessage>(ANY, &agent);
    send(
        &scheduler,
        cluster.master.upid(),
        &mesos::scheduler::Call {
            acknowledge: Some(Acknowledge {
                slave_id: slave_id.clone(),
                task_id: update.status.task_id.clone(),
                uuid: update.status.uuid.clone().expect("uuid"),
            }),
            ..call(&framework_id, call::Type::Acknowledge)
        },
    );
    let ack = ready(&ack);
    assert_eq!(ack.framework_id, framework_id);
    assert_eq!(Some(ack.uuid), update.status.uuid);
    // The terminal update was acknowledged: the task is gone.
    let id = framework_id.clone();
    let (tasks, completed) = cluster.inspect(move |m| {
        let framework = &m.frameworks()[&id];
        (framework.tasks.len(), framework.completed_tasks.len())
    });
    assert_eq!((tasks, completed), (0, 1));
    // Its resources went back when it finished.
    assert!(cluster.allocator.calls().iter().any(|c| matches!(
        c,
        AllocatorCall::Recover {
            is_allocated: true,
            ..
        }
    )));
}

fn kill_unknown(info: mesos::FrameworkInfo) -> StatusUpdateMessage {
    let cluster = Cluster::with_defaults();
    let (scheduler, framework_id) = cluster.subscribe(info);
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &mesos::scheduler::Call {
            kill: Some(Kill {
                task_id: TaskId { value: "2".into() },
                slave_id: None,
                kill_policy: None,
            }),
            ..call(&framework_id, call::Type::Kill)
        },
    );
    ready(&update)
}

#[test]
fn kill_unknown_task_partition_aware() {
    let update = kill_unknown(partition_aware_framework_info()).update;
    assert_eq!(update.status.state(), TaskState::TaskUnknown);
}

#[test]
fn launch_invalid_task_is_task_error() {
    let cluster = Cluster::with_defaults();
    let (_, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, framework_id) = cluster.subscribe(default_framework_info());
    let offers = cluster.offers(&scheduler, &framework_id);
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    // More than offered.
    send(
        &scheduler,
        cluster.master.upid(),
        &launch_call(
            &framework_id,
            &offers,
            vec![task("1", &slave_id, "cpus:4;mem:512")],
        ),
    );
    let message = ready(&update);
    // Nothing to acknowledge a master-generated update to.
    assert_eq!(message.pid.as_deref(), Some("@0.0.0.0:0"));
    let update = message.update;
    assert_eq!(update.status.state(), TaskState::TaskError);
    assert_eq!(update.status.reason(), Reason::TaskInvalid);
    assert!(update.status.message().starts_with("Total resources"));
    assert!(update.uuid.is_none());
}

#[test]
fn decline_with_filters() {
    let cluster = Cluster::with_defaults();
    let (_, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, framework_id) = cluster.subscribe(default_framework_info());
    let offers = cluster.offers(&scheduler, &framework_id);
    send(
        &scheduler,
        cluster.master.upid(),
        &mesos::scheduler::Call {
            decline: Some(Decline {
                offer_ids: vec![offers[0].id.clone()],
                filters: Some(Filters {
                    refuse_seconds: Some(1000.0),
                }),
            }),
            ..call(&framework_id, call::Type::Decline)
        },
    );
    settle();
    assert!(cluster.inspect(|m| m.offers().is_empty()));
    assert!(cluster.allocator.calls().iter().any(|c| matches!(
        c,
        AllocatorCall::Recover { slave_id: s, refuse_seconds: Some(r), is_allocated: false, .. }
            if *s == slave_id && *r == 1000.0
    )));
}

#[test]
fn shutdown_executor() {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, framework_id) = cluster.subscribe(default_framework_info());
    let shutdown = testing::future_protobuf::<ShutdownExecutorMessage>(ANY, &agent);
    send(
        &scheduler,
        cluster.master.upid(),
        &mesos::scheduler::Call {
            shutdown: Some(Shutdown {
                executor_id: ExecutorId { value: "e".into() },
                slave_id,
            }),
            ..call(&framework_id, call::Type::Shutdown)
        },
    );
    let shutdown = ready(&shutdown);
    assert_eq!(shutdown.executor_id.map(|e| e.value).as_deref(), Some("e"));
    assert_eq!(shutdown.framework_id, Some(framework_id));
}

#[test]
fn framework_failover_timeout() {
    let cluster = Cluster::with_defaults();
    let (agent, _) = cluster.register_agent("cpus:2;mem:1024");
    let mut info = default_framework_info();
    info.failover_timeout = Some(60.0);
    let (scheduler, framework_id) = cluster.subscribe(info);
    cluster.offers(&scheduler, &framework_id);
    terminate(&scheduler, true);
    settle();
    // Disconnected: its offer rescinded, the framework not yet removed.
    assert!(cluster.inspect(|m| m.offers().is_empty()));
    let id = framework_id.clone();
    assert!(!cluster.inspect(move |m| m.frameworks()[&id].connected()));
    assert!(cluster
        .allocator
        .calls()
        .contains(&AllocatorCall::DeactivateFramework(framework_id.clone())));
    let shutdown = testing::future_protobuf::<ShutdownFrameworkMessage>(ANY, &agent);
    Clock::advance(Duration::from_secs(60));
    assert_eq!(ready(&shutdown).framework_id, framework_id);
    settle();
    assert!(cluster.inspect(|m| m.frameworks().is_empty()));
}

#[test]
fn framework_reregistered_after_failover() {
    let cluster = Cluster::with_defaults();
    let mut info = default_framework_info();
    info.failover_timeout = Some(60.0);
    let (scheduler, framework_id) = cluster.subscribe(info.clone());
    // A second scheduler without `force` is refused.
    let other = spawn(Stub("scheduler")).upid().clone();
    info.id = Some(framework_id.clone());
    let error = testing::future_protobuf::<FrameworkErrorMessage>(ANY, &other);
    send(&other, cluster.master.upid(), &subscribe_call(info.clone()));
    assert_eq!(ready(&error).message, "Framework failed over");
    // With `force` it takes over; the old one hears it failed over.
    let old = testing::future_protobuf::<FrameworkErrorMessage>(ANY, &scheduler);
    let registered =
        testing::future_protobuf::<mesos::internal::FrameworkRegisteredMessage>(ANY, &other);
    let mut call = subscribe_call(info);
    if let Some(subscribe) = &mut call.subscribe {
        subscribe.force = Some(true);
    }
    send(&other, cluster.master.upid(), &call);
    assert_eq!(ready(&registered).framework_id, framework_id);
    assert_eq!(ready(&old).message, "Framework failed over");
    // The same scheduler resubscribing without `force` is reregistered.
    let reregistered = testing::future_protobuf::<FrameworkReregisteredMessage>(ANY, &other);
    if let Some(subscribe) = &mut call.subscribe {
        subscribe.force = Some(false);
    }
    send(&other, cluster.master.upid(), &call);
    assert_eq!(ready(&reregistered).framework_id, framework_id);
}

#[test]
fn exited_executor_forwarded() {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, framework_id) = cluster.subscribe(default_framework_info());
    let offers = cluster.offers(&scheduler, &framework_id);
    let mut custom = task("1", &slave_id, "cpus:1;mem:256");
    custom.command = None;
    custom.executor = Some(ExecutorInfo {
        executor_id: ExecutorId { value: "e".into() },
        command: Some(mesos::CommandInfo {
            value: Some("exit 1".into()),
            ..Default::default()
        }),
        resources: Resources::parse_with_role("cpus:0.1;mem:32", "*")
            .expect("resources")
            .to_vec(),
        ..Default::default()
    });
    let run = testing::future_protobuf::<RunTaskMessage>(ANY, &agent);
    send(
        &scheduler,
        cluster.master.upid(),
        &launch_call(&framework_id, &offers, vec![custom]),
    );
    let run = ready(&run);
    assert_eq!(
        run.task.executor.and_then(|e| e.framework_id),
        Some(framework_id.clone())
    );
    let exited = testing::future_protobuf::<ExitedExecutorMessage>(ANY, &scheduler);
    send(
        &agent,
        cluster.master.upid(),
        &ExitedExecutorMessage {
            slave_id: slave_id.clone(),
            framework_id: framework_id.clone(),
            executor_id: ExecutorId { value: "e".into() },
            status: 256,
        },
    );
    assert_eq!(ready(&exited).status, 256);
    let id = framework_id.clone();
    assert!(cluster.inspect(move |m| m.frameworks()[&id].executors.is_empty()));
}

#[test]
fn legacy_register_and_launch() {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let scheduler = spawn(Stub("scheduler")).upid().clone();
    let registered =
        testing::future_protobuf::<mesos::internal::FrameworkRegisteredMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &RegisterFrameworkMessage {
            framework: default_framework_info(),
        },
    );
    let framework_id = ready(&registered).framework_id;
    let offers = cluster.offers(&scheduler, &framework_id);
    let run = testing::future_protobuf::<RunTaskMessage>(ANY, &agent);
    send(
        &scheduler,
        cluster.master.upid(),
        &LaunchTasksMessage {
            framework_id: framework_id.clone(),
            tasks: vec![task("1", &slave_id, "cpus:1;mem:512")],
            filters: Filters::default(),
            offer_ids: offers.iter().map(|o| o.id.clone()).collect(),
        },
    );
    assert_eq!(ready(&run).task.task_id.value, "1");
}

#[test]
fn metrics_count_messages() {
    let cluster = Cluster::with_defaults();
    cluster.subscribe(default_framework_info());
    let snapshot = ready(&libprocess::metrics::snapshot(None));
    assert_eq!(snapshot["master/dropped_messages"], 0.0);
    assert_eq!(snapshot["master/messages_register_framework"], 1.0);
    assert_eq!(snapshot["master/frameworks_active"], 1.0);
}

#[test]
fn agent_unregisters() {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, _) = cluster.subscribe(default_framework_info());
    let lost = testing::future_protobuf::<LostSlaveMessage>(ANY, &scheduler);
    send(
        &agent,
        cluster.master.upid(),
        &mesos::internal::UnregisterSlaveMessage {
            slave_id: slave_id.clone(),
        },
    );
    assert_eq!(ready(&lost).slave_id, slave_id);
    settle();
    let id = slave_id.clone();
    assert!(cluster.inspect(move |m| m.slaves().removed.contains(&id)));
    let registry = cluster.registry();
    assert!(registry.slaves.is_none_or(|s| s.slaves.is_empty()));
}

#[test]
fn recovered_framework_resubscribes() {
    let cluster = Cluster::with_defaults();
    // An agent this master never saw reregisters (as after a master
    // failover) with a running task of a framework it does not know.
    let agent = spawn(Stub("slave")).upid().clone();
    let slave_id = mesos::SlaveId {
        value: "agent-from-before".into(),
    };
    let mut info = default_framework_info();
    let framework_id = mesos::FrameworkId {
        value: "framework-from-before".into(),
    };
    info.id = Some(framework_id.clone());
    info.failover_timeout = Some(60.0);
    let running = mesos::common::protobuf_utils::create_task(
        &task("1", &slave_id, "cpus:1;mem:128"),
        TaskState::TaskRunning,
        &framework_id,
    );
    let mut registered = register_slave_message("cpus:2;mem:1024");
    registered.slave.id = Some(slave_id.clone());
    let reregistered =
        testing::future_protobuf::<mesos::internal::SlaveReregisteredMessage>(ANY, &agent);
    send(
        &agent,
        cluster.master.upid(),
        &mesos::internal::ReregisterSlaveMessage {
            slave: registered.slave,
            tasks: vec![running],
            frameworks: vec![info.clone()],
            version: Some(mesos::MESOS_VERSION.to_string()),
            ..Default::default()
        },
    );
    assert_eq!(ready(&reregistered).slave_id, slave_id);
    let id = framework_id.clone();
    let (recovered, tasks) = cluster.inspect(move |m| {
        let framework = &m.frameworks()[&id];
        (framework.recovered(), framework.tasks.len())
    });
    assert!(recovered);
    assert_eq!(tasks, 1);

    // Its scheduler comes back: reregistered, connected, and the agent
    // learns its pid.
    let scheduler = spawn(Stub("scheduler")).upid().clone();
    let update_framework =
        testing::future_protobuf::<mesos::internal::UpdateFrameworkMessage>(ANY, &agent);
    let subscribed = testing::future_protobuf::<FrameworkReregisteredMessage>(ANY, &scheduler);
    send(&scheduler, cluster.master.upid(), &subscribe_call(info));
    assert_eq!(ready(&subscribed).framework_id, framework_id);
    assert_eq!(
        ready(&update_framework).pid.as_deref(),
        Some(scheduler.to_string().as_str())
    );
    let id = framework_id.clone();
    assert!(cluster.inspect(move |m| m.frameworks()[&id].active()));
}
