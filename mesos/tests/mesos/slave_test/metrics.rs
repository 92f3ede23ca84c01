//! Mesos' `SlaveTest` cases about the agent's metrics.

use libprocess::testing::{await_ready, future_protobuf};
use mesos::internal::RegisterSlaveMessage;
use mesos::testing::cluster::{create_master_flags, Master, Slave};

/// SlaveTest.MetricsInMetricsEndpoint: once recovered (it registers),
/// the agent's metrics are in the snapshot.
#[test]
fn metrics_in_metrics_endpoint() {
    let _runtime = libprocess::testing::runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let register =
        future_protobuf::<RegisterSlaveMessage>(libprocess::testing::ANY, master.pid.upid());
    let _slave = Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");
    await_ready(&register);

    let snapshot = await_ready(&libprocess::metrics::snapshot(None));
    let mut names: Vec<String> = [
        "uptime_secs",
        "registered",
        "recovery_errors",
        "recovery_time_secs",
        "frameworks_active",
        "tasks_staging",
        "tasks_starting",
        "tasks_running",
        "tasks_killing",
        "tasks_finished",
        "tasks_failed",
        "tasks_killed",
        "tasks_lost",
        "tasks_gone",
        "executors_registering",
        "executors_running",
        "executors_terminating",
        "executors_terminated",
        "executors_preempted",
        "valid_status_updates",
        "invalid_status_updates",
        "valid_framework_messages",
        "invalid_framework_messages",
        "executor_directory_max_allowed_age_secs",
        "container_launch_errors",
    ]
    .iter()
    .map(|name| format!("slave/{name}"))
    .collect();
    for resource in ["cpus", "gpus", "mem", "disk"] {
        for kind in ["total", "used", "percent"] {
            names.push(format!("slave/{resource}_{kind}"));
            names.push(format!("slave/{resource}_revocable_{kind}"));
        }
    }
    let missing: Vec<&String> = names
        .iter()
        .filter(|name| !snapshot.contains_key(*name))
        .collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}
