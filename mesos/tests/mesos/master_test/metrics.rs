//! Mesos' `MasterTest` cases about the master's metrics.

use libprocess::testing::{await_ready, future_dispatch, ANY};
use mesos::master::allocator::HierarchicalAllocatorProcess;
use mesos::master::framework_metrics::prefix as framework_metric_prefix;
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{default_framework_info, MockScheduler};

use crate::http_helpers::get_json;

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

/// MasterTest.MaxCompletedFrameworksFlag: the master keeps
/// `--max_completed_frameworks` removed frameworks, and their
/// per-framework metrics (unsubscribed, not suppressed); the others'
/// metrics are gone.
#[test]
fn max_completed_frameworks_flag() {
    const TOTAL_FRAMEWORKS: usize = 2;
    for max_frameworks in [0, 1, 2] {
        let _runtime = crate::http_helpers::loopback_runtime();
        let mut flags = create_master_flags();
        flags.max_completed_frameworks = max_frameworks;
        let master = Master::start(flags).expect("the master starts");
        let _slave =
            Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");

        let mut infos = Vec::new();
        for _ in 0..TOTAL_FRAMEWORKS {
            let mut info = default_framework_info();
            info.roles = vec!["foo".to_string()];
            let sched = MockScheduler::new();
            let driver = MesosSchedulerDriver::with_detector(
                sched.clone(),
                info.clone(),
                master.create_detector(),
                true,
            );
            let registered = sched.registered.future();
            driver.start();
            let (framework_id, _) = await_ready(&registered);
            info.id = Some(framework_id);
            infos.push(info);

            let removed = future_dispatch(ANY, HierarchicalAllocatorProcess::remove_framework);
            driver.stop(false);
            driver.join();
            await_ready(&removed);
        }

        let state = get_json(master.pid.upid(), "state");
        let completed = state["completed_frameworks"].as_array().map(Vec::len);
        assert_eq!(Some(max_frameworks), completed);

        let evicted = TOTAL_FRAMEWORKS - max_frameworks;
        let metrics = await_ready(&libprocess::metrics::snapshot(None));
        for (i, info) in infos.iter().enumerate() {
            let prefix = framework_metric_prefix(info);
            let suppressed = format!("{prefix}roles/foo/suppressed");
            if i < evicted {
                assert_eq!(None, metrics.get(&format!("{prefix}calls")));
                assert_eq!(None, metrics.get(&suppressed));
            } else {
                assert_eq!(Some(&0.0), metrics.get(&format!("{prefix}subscribed")));
                assert_eq!(Some(&0.0), metrics.get(&suppressed));
            }
        }
    }
}
