//! The agent health checker (Mesos' `SlaveObserver`): one process per
//! registered agent pings it every `--agent_ping_timeout`; after
//! `--max_agent_ping_timeouts` pings in a row go unanswered it asks the
//! master to mark the agent unreachable (at most at
//! `--agent_removal_rate_limit`). A pong before that cancels it.

use std::sync::Arc;

use libprocess::{
    delay, dispatch, send_protobuf, spawn, terminate, Future, Handlers, Process, RateLimiter,
    SelfPid, PID, UPID,
};
use stout::Duration;

use super::Master;
use crate::internal::{PingSlaveMessage, PongSlaveMessage};
use crate::SlaveId;

/// The master's handle on an agent's observer; dropping it terminates
/// the observer.
#[derive(Debug)]
pub struct SlaveObserverHandle {
    pid: PID<SlaveObserver>,
}

impl SlaveObserverHandle {
    /// Starts observing the agent at `slave_pid`.
    pub(super) fn spawn(
        slave_pid: UPID,
        slave_id: SlaveId,
        master: PID<Master>,
        ping_timeout: Duration,
        max_ping_timeouts: usize,
        limiter: Option<Arc<RateLimiter>>,
    ) -> SlaveObserverHandle {
        let pid = spawn(SlaveObserver {
            slave_pid,
            slave_id,
            master,
            ping_timeout,
            max_ping_timeouts,
            limiter,
            timeouts: 0,
            pinged: false,
            connected: true,
            marking_unreachable: None,
        });
        SlaveObserverHandle { pid }
    }

    /// The observer's pid (where pongs go).
    pub fn pid(&self) -> &UPID {
        self.pid.upid()
    }

    /// The agent reconnected, possibly at a new pid.
    pub(super) fn reconnect(&self, slave_pid: UPID) {
        dispatch(&self.pid, move |observer: &mut SlaveObserver| {
            observer.slave_pid = slave_pid;
            observer.connected = true;
        });
    }

    /// The agent's link broke.
    pub(super) fn disconnect(&self) {
        dispatch(&self.pid, |observer: &mut SlaveObserver| {
            observer.connected = false;
        });
    }
}

impl Drop for SlaveObserverHandle {
    fn drop(&mut self) {
        terminate(&self.pid, true);
    }
}

struct SlaveObserver {
    slave_pid: UPID,
    slave_id: SlaveId,
    master: PID<Master>,
    ping_timeout: Duration,
    max_ping_timeouts: usize,
    limiter: Option<Arc<RateLimiter>>,
    /// Pings in a row that went unanswered.
    timeouts: usize,
    /// Whether the last ping is still unanswered.
    pinged: bool,
    /// Whether the master thinks the agent is connected (told in pings).
    connected: bool,
    /// The rate limiter's permit for a scheduled unreachable transition.
    marking_unreachable: Option<Future<()>>,
}

impl Process for SlaveObserver {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "slave-observer".into()
    }

    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install_protobuf(|observer: &mut SlaveObserver, _, _: PongSlaveMessage| {
            observer.pong()
        });
        self.ping();
    }
}

impl SlaveObserver {
    fn ping(&mut self) {
        send_protobuf(
            &self.slave_pid,
            &PingSlaveMessage {
                connected: self.connected,
            },
        );
        self.pinged = true;
        delay(self.ping_timeout, &self.self_pid(), SlaveObserver::timeout);
    }

    fn pong(&mut self) {
        self.timeouts = 0;
        self.pinged = false;
        // A pong cancels an unreachable transition still waiting for the
        // rate limiter.
        if let Some(marking) = self.marking_unreachable.take() {
            if marking.discard() {
                tracing::info!(
                    "Canceling transition of agent {} ({}) to unreachable because a pong \
                     was received",
                    self.slave_id.value,
                    self.slave_pid
                );
            }
        }
    }

    fn timeout(&mut self) {
        if self.pinged {
            self.timeouts += 1;
            if self.timeouts >= self.max_ping_timeouts {
                self.mark_unreachable();
            }
        }
        // Pings go on, so that a late pong can still cancel the transition.
        self.ping();
    }

    fn mark_unreachable(&mut self) {
        if self.marking_unreachable.is_some() {
            return;
        }
        let permit = match &self.limiter {
            Some(limiter) => limiter.acquire(),
            None => Future::ready(()),
        };
        self.marking_unreachable = Some(permit.clone());
        let pid = self.self_pid();
        permit.on_any(move |permit| {
            dispatch(&pid, move |observer: &mut SlaveObserver| {
                observer._mark_unreachable(permit)
            });
        });
    }

    fn _mark_unreachable(&mut self, permit: Future<()>) {
        self.marking_unreachable = None;
        if permit.is_ready() {
            let slave_id = self.slave_id.clone();
            dispatch(&self.master, move |master: &mut Master| {
                master.mark_unreachable_after_failed_health_check(slave_id)
            });
        }
    }
}
