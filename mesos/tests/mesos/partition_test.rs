//! Agents that stop answering the master's pings, go away and come back
//! (Mesos' `PartitionTest`, `MasterTest` health-check scenarios), with
//! stand-in agents and the clock driven by the test.

use libprocess::testing::{self, ANY};
use libprocess::{send_protobuf, spawn, terminate, Clock, Handlers, Process, UPID};
use mesos::internal::{
    LostSlaveMessage, PingSlaveMessage, PongSlaveMessage, ReregisterSlaveMessage, RunTaskMessage,
    SlaveReregisteredMessage, StatusUpdateMessage,
};
use mesos::master::Flags;
use mesos::task_status::Reason;
use mesos::{SlaveInfo, TaskState};
use stout::Duration;

use crate::master_helpers::*;

/// An agent that answers every ping, as a live agent does.
struct PongingAgent;

impl Process for PongingAgent {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "slave".into()
    }

    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install_protobuf(|_: &mut PongingAgent, from: &UPID, _: PingSlaveMessage| {
            send_protobuf(from, &PongSlaveMessage {});
        });
    }
}

/// Lets `pings` pings go unanswered, one ping timeout each.
fn miss_pings(pings: usize) {
    for _ in 0..pings {
        Clock::advance(Duration::from_secs(15));
        Clock::settle();
    }
}

#[test]
fn partitioned_slave() {
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

    let lost = testing::future_protobuf::<LostSlaveMessage>(ANY, &scheduler);
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    // The stand-in agent never answers: after 5 ping timeouts it is
    // marked unreachable.
    miss_pings(4);
    assert!(lost.is_pending());
    miss_pings(1);
    assert_eq!(ready(&lost).slave_id, slave_id);
    let update = ready(&update).update;
    assert_eq!(update.status.state(), TaskState::TaskLost);
    assert_eq!(update.status.reason(), Reason::SlaveRemoved);
    assert_eq!(update.status.message(), "health check timed out");
    assert!(update.status.unreachable_time.is_some());

    settle();
    let id = slave_id.clone();
    let (registered, unreachable) = cluster.inspect(move |m| {
        (
            m.slaves().registered.contains_key(&id),
            m.slaves().unreachable.contains_key(&id),
        )
    });
    assert!(!registered);
    assert!(unreachable);
    assert!(cluster
        .allocator
        .calls()
        .contains(&AllocatorCall::RemoveSlave(slave_id.clone())));
    let registry = cluster.registry();
    assert_eq!(
        registry.unreachable.expect("unreachable").slaves[0].id,
        slave_id
    );
    let snapshot = ready(&libprocess::metrics::snapshot(None));
    assert_eq!(snapshot["master/slave_unreachable_completed"], 1.0);
    assert_eq!(snapshot["master/slaves_unreachable"], 1.0);
    assert_eq!(snapshot["master/tasks_lost"], 1.0);
}

#[test]
fn partitioned_slave_partition_aware() {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, framework_id) = cluster.subscribe(partition_aware_framework_info());
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
    miss_pings(5);
    let update = ready(&update).update;
    assert_eq!(update.status.state(), TaskState::TaskUnreachable);
    settle();
    let id = framework_id.clone();
    let unreachable = cluster.inspect(move |m| m.frameworks()[&id].unreachable_tasks.len());
    assert_eq!(unreachable, 1);
}

#[test]
fn pongs_keep_agent_registered() {
    let cluster = Cluster::with_defaults();
    let agent = spawn(PongingAgent).upid().clone();
    let registered =
        testing::future_protobuf::<mesos::internal::SlaveRegisteredMessage>(ANY, &agent);
    send(
        &agent,
        cluster.master.upid(),
        &register_slave_message("cpus:1;mem:512"),
    );
    let slave_id = ready(&registered).slave_id;
    miss_pings(10);
    let id = slave_id.clone();
    assert!(cluster.inspect(move |m| m.slaves().registered.contains_key(&id)));
}

#[test]
fn ping_timeout_flags() {
    let mut flags = Flags::for_tests();
    flags.agent_ping_timeout = Duration::from_secs(2);
    flags.max_agent_ping_timeouts = 2;
    let cluster = Cluster::start(flags);
    let (_, slave_id) = cluster.register_agent("cpus:1;mem:512");
    let (scheduler, _) = cluster.subscribe(default_framework_info());
    let lost = testing::future_protobuf::<LostSlaveMessage>(ANY, &scheduler);
    Clock::advance(Duration::from_secs(2));
    Clock::settle();
    assert!(lost.is_pending());
    Clock::advance(Duration::from_secs(2));
    assert_eq!(ready(&lost).slave_id, slave_id);
}

/// The agent's reregistration after a link break.
fn reregister_message(slave_id: &mesos::SlaveId) -> ReregisterSlaveMessage {
    let registered = register_slave_message("cpus:2;mem:1024");
    ReregisterSlaveMessage {
        slave: SlaveInfo {
            id: Some(slave_id.clone()),
            ..registered.slave
        },
        version: Some(mesos::MESOS_VERSION.to_string()),
        ..ReregisterSlaveMessage::default()
    }
}

#[test]
fn disconnected_agent_reregisters() {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    terminate(&agent, true);
    settle();
    let id = slave_id.clone();
    let (connected, active) = cluster.inspect(move |m| {
        let slave = &m.slaves().registered[&id];
        (slave.connected, slave.active)
    });
    assert_eq!((connected, active), (false, false));
    assert!(cluster
        .allocator
        .calls()
        .contains(&AllocatorCall::DeactivateSlave(slave_id.clone())));

    // The restarted agent (a new pid) comes back with its ID.
    let restarted = spawn(Stub("slave")).upid().clone();
    let reregistered = testing::future_protobuf::<SlaveReregisteredMessage>(ANY, &restarted);
    send(
        &restarted,
        cluster.master.upid(),
        &reregister_message(&slave_id),
    );
    assert_eq!(ready(&reregistered).slave_id, slave_id);
    let id = slave_id.clone();
    let (connected, pid) = cluster.inspect(move |m| {
        let slave = &m.slaves().registered[&id];
        (slave.connected, slave.pid.clone())
    });
    assert!(connected);
    assert_eq!(pid, restarted);
    assert!(cluster
        .allocator
        .calls()
        .contains(&AllocatorCall::ActivateSlave(slave_id)));
}

#[test]
fn disconnected_agent_reregister_timeout() {
    let cluster = Cluster::with_defaults();
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, _) = cluster.subscribe(default_framework_info());
    terminate(&agent, true);
    settle();
    let lost = testing::future_protobuf::<LostSlaveMessage>(ANY, &scheduler);
    Clock::advance(Duration::from_mins(10));
    assert_eq!(ready(&lost).slave_id, slave_id);
}

#[test]
fn unreachable_agent_reregisters() {
    let cluster = Cluster::with_defaults();
    let (_, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    miss_pings(5);
    settle();
    let id = slave_id.clone();
    assert!(cluster.inspect(move |m| m.slaves().unreachable.contains_key(&id)));

    let agent = spawn(PongingAgent).upid().clone();
    let reregistered = testing::future_protobuf::<SlaveReregisteredMessage>(ANY, &agent);
    send(
        &agent,
        cluster.master.upid(),
        &reregister_message(&slave_id),
    );
    assert_eq!(ready(&reregistered).slave_id, slave_id);
    settle();
    let id = slave_id.clone();
    let (registered, unreachable) = cluster.inspect(move |m| {
        (
            m.slaves().registered.contains_key(&id),
            m.slaves().unreachable.contains_key(&id),
        )
    });
    assert!(registered);
    assert!(!unreachable);
    let registry = cluster.registry();
    assert!(registry.unreachable.is_none_or(|u| u.slaves.is_empty()));
    assert_eq!(registry.slaves.expect("slaves").slaves.len(), 1);
}
