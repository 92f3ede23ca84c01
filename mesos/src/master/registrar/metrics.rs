//! The registrar's metrics (Mesos' `RegistrarProcess::Metrics`):
//! `registrar/queued_operations`, `registrar/registry_size_bytes` and the
//! times the storage took to fetch and store the registry.

use libprocess::metrics::{self, Metric, PullGauge, Timer, Unit};
use libprocess::{dispatch, Future, PID};
use prost::Message;
use stout::Duration;

use super::RegistrarProcess;

pub(super) struct Metrics {
    queued_operations: PullGauge,
    registry_size_bytes: PullGauge,
    /// `registrar/state_fetch_ms`.
    pub(super) state_fetch: Timer,
    /// `registrar/state_store_ms`, with a day of history.
    pub(super) state_store: Timer,
}

/// Registers a metric; a name taken (by another master's registrar in the
/// same runtime, in tests) leaves this one unpublished.
fn publish(metric: impl Metric) {
    metrics::add(metric).on_failed(|error| tracing::debug!("Metric not published: {error}"));
}

impl Metrics {
    /// The metrics of the registrar at `pid`, published.
    pub(super) fn new(pid: &PID<RegistrarProcess>) -> Metrics {
        let queued = pid.clone();
        let size = pid.clone();
        let metrics = Metrics {
            queued_operations: PullGauge::new("registrar/queued_operations", move || {
                dispatch(&queued, |registrar: &mut RegistrarProcess| {
                    registrar.pending.len() as f64
                })
            }),
            registry_size_bytes: PullGauge::new("registrar/registry_size_bytes", move || {
                dispatch(&size, |registrar: &mut RegistrarProcess| {
                    registrar.registry.as_ref().map(|r| r.encoded_len() as f64)
                })
                .then(|size| match size {
                    Some(size) => Future::ready(size),
                    None => Future::failed("Not recovered yet"),
                })
            }),
            state_fetch: Timer::new("registrar/state_fetch", Unit::Milliseconds),
            state_store: Timer::with_window(
                "registrar/state_store",
                Unit::Milliseconds,
                Duration::from_days(1),
            ),
        };
        publish(metrics.queued_operations.clone());
        publish(metrics.registry_size_bytes.clone());
        publish(metrics.state_fetch.clone());
        publish(metrics.state_store.clone());
        metrics
    }

    /// Unpublishes them (the registrar is terminating).
    pub(super) fn remove(&self) {
        drop(metrics::remove(&self.queued_operations));
        drop(metrics::remove(&self.registry_size_bytes));
        drop(metrics::remove(&self.state_fetch));
        drop(metrics::remove(&self.state_store));
    }
}
