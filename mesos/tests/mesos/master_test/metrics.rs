//! Mesos' `MasterTest` cases about the master's metrics.

use libprocess::testing::await_ready;
use mesos::testing::cluster::{create_master_flags, Master};

/// MasterTest.MetricsInMetricsEndpoint: the master's, registrar's and
/// allocator's metrics are in the snapshot. Left out:
/// `master/operator_event_stream_subscribers` (this master has no
/// operator event stream).
#[test]
fn metrics_in_metrics_endpoint() {
    let _runtime = libprocess::testing::runtime();
    let _master = Master::start(create_master_flags()).expect("the master starts");
    let snapshot = await_ready(&libprocess::metrics::snapshot(None));

    assert_eq!(Some(&1.0), snapshot.get("master/elected"));
    let mut names: Vec<String> = [
        "master/uptime_secs",
        "master/elected",
        "master/slaves_connected",
        "master/slaves_disconnected",
        "master/slaves_active",
        "master/slaves_inactive",
        "master/slaves_unreachable",
        "master/frameworks_connected",
        "master/frameworks_disconnected",
        "master/frameworks_active",
        "master/frameworks_inactive",
        "master/outstanding_offers",
        "master/tasks_staging",
        "master/tasks_starting",
        "master/tasks_running",
        "master/tasks_unreachable",
        "master/tasks_killing",
        "master/tasks_finished",
        "master/tasks_failed",
        "master/tasks_killed",
        "master/tasks_lost",
        "master/tasks_error",
        "master/tasks_dropped",
        "master/tasks_gone",
        "master/tasks_gone_by_operator",
        "master/dropped_messages",
        "master/http_cache_hits",
        // Messages from schedulers.
        "master/messages_register_framework",
        "master/messages_reregister_framework",
        "master/messages_unregister_framework",
        "master/messages_deactivate_framework",
        "master/messages_kill_task",
        "master/messages_status_update_acknowledgement",
        "master/messages_resource_request",
        "master/messages_launch_tasks",
        "master/messages_decline_offers",
        "master/messages_revive_offers",
        "master/messages_suppress_offers",
        "master/messages_reconcile_operations",
        "master/messages_reconcile_tasks",
        "master/messages_framework_to_executor",
        // Messages from executors.
        "master/messages_executor_to_framework",
        // Messages from agents.
        "master/messages_register_slave",
        "master/messages_reregister_slave",
        "master/messages_unregister_slave",
        "master/messages_status_update",
        "master/messages_exited_executor",
        "master/messages_update_slave",
        // Messages from both schedulers and agents.
        "master/messages_authenticate",
        "master/valid_framework_to_executor_messages",
        "master/invalid_framework_to_executor_messages",
        "master/valid_executor_to_framework_messages",
        "master/invalid_executor_to_framework_messages",
        "master/valid_status_updates",
        "master/invalid_status_updates",
        "master/valid_status_update_acknowledgements",
        "master/invalid_status_update_acknowledgements",
        "master/recovery_slave_removals",
        "master/event_queue_messages",
        "master/event_queue_dispatches",
        "master/event_queue_http_requests",
        "master/slave_unreachable_scheduled",
        "master/slave_unreachable_completed",
        "master/slave_unreachable_canceled",
        "registrar/queued_operations",
        "registrar/registry_size_bytes",
        "registrar/state_fetch_ms",
        "registrar/state_store_ms",
        "allocator/event_queue_dispatches",
        "allocator/mesos/event_queue_dispatches",
    ]
    .iter()
    .map(|name| name.to_string())
    .collect();
    for resource in ["cpus", "gpus", "mem", "disk"] {
        for kind in ["total", "used", "percent"] {
            names.push(format!("master/{resource}_{kind}"));
            names.push(format!("master/{resource}_revocable_{kind}"));
        }
    }
    let missing: Vec<&String> = names
        .iter()
        .filter(|name| !snapshot.contains_key(*name))
        .collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}
