//! `/metrics/snapshot` of our master and agent against what a real Mesos
//! answers (`master_metrics_snapshot.json`, `agent_metrics_snapshot.json`):
//! the same metric names, per-framework names compared with the
//! framework's name and ID left out.

use std::collections::BTreeSet;

use libprocess::testing::{self as lp, await_ready, ANY};
use libprocess::{name_of, Clock, UPID};
use mesos::internal::SlaveRegisteredMessage;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use serde_json::Value;

use crate::http_helpers::{get_json, loopback_runtime, reference, RunningTask};

/// Names of features this build does not have, so neither their metrics.
const NOT_HERE: &[&str] = &[
    // Operations with feedback (reservations, volumes and disks through
    // resource providers): the master drops operations other than LAUNCH
    // and tracks no operation states.
    "master/operations/",
    // The operator API's event stream (`SUBSCRIBE`).
    "master/operator_event_stream_subscribers",
    // The fetcher and its cache, the provisioner (container images), the
    // garbage collector of sandboxes, the resource provider manager.
    "containerizer/fetcher/",
    "containerizer/mesos/provisioner/",
    "gc/",
    "resource_provider_manager/",
];

fn not_here(name: &str) -> bool {
    NOT_HERE
        .iter()
        .any(|prefix| name == *prefix || (prefix.ends_with('/') && name.starts_with(prefix)))
}

/// The daemon a metric belongs to, by its first segment (the in-process
/// cluster shares one registry between master, agent and scheduler).
fn of_master(name: &str) -> bool {
    ["master/", "allocator/", "registrar/", "system/"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

fn of_agent(name: &str) -> bool {
    [
        "slave/",
        "containerizer/",
        "gc/",
        "resource_provider_manager/",
        "system/",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
}

/// `master/frameworks/<name>/<id>/...` with the name and ID as `*`, and
/// the resource in `allocator/mesos/quota/roles/<role>/resources/<name>/`
/// as `*` (which resources a role consumes depends on its tasks).
fn normalized(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("master/frameworks/") {
        let rest: Vec<&str> = rest.splitn(3, '/').collect();
        return format!("master/frameworks/*/*/{}", rest.last().unwrap_or(&""));
    }
    if let Some((role, rest)) = name
        .strip_prefix("allocator/mesos/quota/roles/")
        .and_then(|rest| rest.split_once("/resources/"))
    {
        let kind = rest.rsplit('/').next().unwrap_or("");
        return format!("allocator/mesos/quota/roles/{role}/resources/*/{kind}");
    }
    name.to_string()
}

fn names(snapshot: &Value, belongs: fn(&str) -> bool) -> BTreeSet<String> {
    snapshot
        .as_object()
        .expect("the snapshot is an object")
        .keys()
        .filter(|name| belongs(name))
        .map(|name| normalized(name))
        .collect()
}

/// Our names against the reference's: those we lack (less the features
/// we do not have) and those only we have.
fn assert_names(ours: &Value, reference_name: &str, belongs: fn(&str) -> bool) {
    let ours = names(ours, belongs);
    let theirs = names(&reference(reference_name), belongs);
    let missing: Vec<&String> = theirs
        .difference(&ours)
        .filter(|name| !not_here(name))
        .collect();
    let extra: Vec<&String> = ours.difference(&theirs).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{reference_name}: missing {missing:#?}, extra {extra:#?}"
    );
}

fn snapshot() -> Value {
    let metrics = UPID::new("metrics", libprocess::address());
    get_json(&metrics, "snapshot")
}

/// The master with an agent and a framework whose task runs, as in the
/// capture: every name Mesos' master publishes, ours publishes.
#[test]
fn master_snapshot_matches_mesos() {
    let _runtime = loopback_runtime();
    let flags = create_master_flags();
    let allocation_interval = flags.allocation_interval;
    let _running = RunningTask::start(flags);
    // One more allocation run: a timer's statistics (`/count`, `/p50`, ...)
    // need two measurements, and the first runs may have been batched.
    Clock::pause();
    Clock::advance(allocation_interval);
    Clock::settle();
    Clock::resume();
    assert_names(&snapshot(), "master_metrics_snapshot.json", of_master);
}

/// A registered agent with the Mesos containerizer.
#[test]
fn agent_snapshot_matches_mesos() {
    let _runtime = loopback_runtime();
    let master = Master::start(create_master_flags()).expect("the master starts");
    let registered = lp::future_message(name_of::<SlaveRegisteredMessage>(), ANY, ANY);
    let _slave = Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");
    await_ready(&registered);
    assert_names(&snapshot(), "agent_metrics_snapshot.json", of_agent);
}
