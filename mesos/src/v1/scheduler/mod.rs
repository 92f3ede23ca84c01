//! The v1 scheduler API: the `mesos.v1.scheduler` protocol (generated)
//! and Mesos' scheduler library (`mesos::v1::scheduler::Mesos`), an HTTP
//! client of the master's `/api/v1/scheduler` endpoint.
//!
//! The library finds the leading master through a detector, keeps two
//! persistent connections to it (one for SUBSCRIBE and its streamed
//! RecordIO events, one for every other call, which carries the
//! `Mesos-Stream-Id` the subscription got), and tells its user when both
//! are up (`connected`), when either breaks or the leader changes
//! (`disconnected`), and what the master sent (`received`). The user
//! subscribes again after each `connected`, as with Mesos' library.

pub use mesos_protos::mesos::v1::scheduler::*;

mod process;

use std::collections::VecDeque;
use std::sync::Arc;

use libprocess::{Future, PID};
use stout::Duration;

pub use crate::common::http::ContentType;
use crate::master::detector::MasterDetector;

use process::MesosProcess;

/// The longest random delay before connecting to a newly detected
/// master (Mesos' `DEFAULT_CONNECTION_DELAY_MAX`, the library's
/// `--connection_delay_max`), so that many schedulers do not all connect
/// at once after a failover.
pub const DEFAULT_CONNECTION_DELAY_MAX: Duration = Duration::from_millis(500);

/// What the library tells its user. The calls run on the library's
/// process, one at a time and in order.
pub trait Callbacks: Send + 'static {
    /// Both connections to the master are up: time to SUBSCRIBE.
    fn connected(&mut self);
    /// A connection broke, or another master leads now.
    fn disconnected(&mut self);
    /// Events from the master, or injected by the library (ERROR).
    fn received(&mut self, events: VecDeque<Event>);
}

/// The scheduler library: spawns its process on the current runtime and
/// terminates it when dropped.
#[derive(Debug)]
pub struct Mesos {
    process: PID<MesosProcess>,
}

impl Mesos {
    /// Starts detecting the master with `detector` and connecting to it,
    /// with `content_type` for calls and events.
    pub fn new(
        content_type: ContentType,
        detector: Arc<dyn MasterDetector>,
        callbacks: impl Callbacks,
    ) -> Mesos {
        Mesos::with_connection_delay_max(
            content_type,
            detector,
            DEFAULT_CONNECTION_DELAY_MAX,
            callbacks,
        )
    }

    /// As [`new`](Mesos::new), with the longest delay before connecting
    /// to a newly detected master (zero connects at once).
    pub fn with_connection_delay_max(
        content_type: ContentType,
        detector: Arc<dyn MasterDetector>,
        connection_delay_max: Duration,
        callbacks: impl Callbacks,
    ) -> Mesos {
        let process = libprocess::spawn(MesosProcess::new(
            content_type,
            detector,
            connection_delay_max,
            Box::new(callbacks),
        ));
        Mesos { process }
    }

    /// Sends `call` to the master. A SUBSCRIBE while not just connected,
    /// and any other call while not subscribed, are dropped with a
    /// warning, as Mesos drops them.
    pub fn send(&self, call: Call) {
        libprocess::dispatch(&self.process, move |process| process.send(call));
    }

    /// Sends `call` (not a SUBSCRIBE) and returns the master's answer: its
    /// status code, and the decoded `Response` or the error.
    pub fn call(&self, call: Call) -> Future<ApiResult> {
        libprocess::dispatch(&self.process, move |process| process.call(call)).flatten()
    }

    /// Drops the connections and connects again (the user's way out of a
    /// subscription it considers broken, say after missed heartbeats).
    pub fn reconnect(&self) {
        libprocess::dispatch(&self.process, MesosProcess::reconnect);
    }
}

impl Drop for Mesos {
    fn drop(&mut self) {
        libprocess::terminate(&self.process, true);
    }
}
