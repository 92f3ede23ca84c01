//! Ports of Mesos' `ReconciliationTest`: what the master answers explicit
//! and implicit reconciliation with.

use libprocess::testing::{self, ANY};
use mesos::internal::{ReconcileTasksMessage, RunTaskMessage, StatusUpdateMessage};
use mesos::scheduler::call::{self, reconcile, Reconcile};
use mesos::task_status::{Reason, Source};
use mesos::{FrameworkId, SlaveId, TaskId, TaskState, TaskStatus};

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

#[test]
fn task_state_match() {
    let (cluster, scheduler, framework_id, slave_id) = with_task();
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &reconcile_call(&framework_id, vec![("1", Some(slave_id.clone()))]),
    );
    let update = ready(&update).update;
    assert_eq!(update.status.task_id.value, "1");
    assert_eq!(update.status.state(), TaskState::TaskStaging);
    assert_eq!(update.status.source(), Source::Master);
    assert_eq!(update.status.reason(), Reason::Reconciliation);
    assert_eq!(update.status.message(), "Reconciliation: Latest task state");
    assert_eq!(update.slave_id, Some(slave_id));
    // Reconciliation updates are not acknowledged.
    assert!(update.uuid.is_none());
}

#[test]
fn unknown_task() {
    let (cluster, scheduler, framework_id, _) = with_task();
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &reconcile_call(&framework_id, vec![("2", None)]),
    );
    let update = ready(&update).update;
    assert_eq!(update.status.task_id.value, "2");
    assert_eq!(update.status.state(), TaskState::TaskLost);
    assert_eq!(update.status.message(), "Reconciliation: Task is unknown");
}

#[test]
fn unknown_task_partition_aware() {
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

#[test]
fn unknown_slave() {
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
fn implicit_non_terminal_task() {
    let (cluster, scheduler, framework_id, _) = with_task();
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    send(
        &scheduler,
        cluster.master.upid(),
        &reconcile_call(&framework_id, vec![]),
    );
    let update = ready(&update).update;
    assert_eq!(update.status.task_id.value, "1");
    assert_eq!(update.status.state(), TaskState::TaskStaging);
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
