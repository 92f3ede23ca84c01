//! `RateLimiter`: hands out permits no faster than a given rate
//! (libprocess' `process::RateLimiter`).

use std::collections::VecDeque;

use stout::Duration;

use crate::future::{Future, Promise};
use crate::{delay, spawn, terminate, wait, Clock, Process, SelfPid, Time, PID};

/// Spaces permits out evenly on the [`Clock`]: at most `permits` per
/// `duration`, the first one right away, each later one an interval of
/// `duration / permits` after the one before, in the order asked for.
/// With a paused clock, waiting permits are given only as the clock is
/// advanced.
///
/// Dropping the limiter discards the permits still waiting.
pub struct RateLimiter {
    pid: PID<RateLimiterProcess>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("pid", &self.pid)
            .finish()
    }
}

impl RateLimiter {
    /// At most `permits` per `duration`. Panics unless both are positive
    /// (a programming error, as in libprocess).
    pub fn new(permits: u32, duration: Duration) -> RateLimiter {
        assert!(permits > 0, "a rate limiter needs permits");
        assert!(duration > Duration::ZERO, "a rate limiter needs a duration");
        RateLimiter::with_rate(f64::from(permits) / duration.secs())
    }

    /// At most `permits_per_second` permits a second. Panics unless it is
    /// positive.
    pub fn with_rate(permits_per_second: f64) -> RateLimiter {
        assert!(permits_per_second > 0.0, "a rate limiter needs a rate");
        // The interval in whole nanoseconds, at least one.
        let nanos = (1e9 / permits_per_second).clamp(1.0, i64::MAX as f64) as i64;
        RateLimiter {
            pid: spawn(RateLimiterProcess {
                interval: Duration::from_nanos(nanos),
                next: None,
                waiting: VecDeque::new(),
                next_id: 0,
            }),
        }
    }

    /// Ready once a permit is given. Discarding the future gives up the
    /// place in line (the future becomes discarded).
    pub fn acquire(&self) -> Future<()> {
        // Associated with the process' future, so a discard reaches it.
        crate::__private::dispatch(
            &self.pid,
            crate::__private::tag_of(&RateLimiterProcess::acquire),
            RateLimiterProcess::acquire,
        )
    }
}

impl Drop for RateLimiter {
    fn drop(&mut self) {
        terminate(&self.pid, true);
        wait(&self.pid, None);
    }
}

struct RateLimiterProcess {
    interval: Duration,
    /// When the next permit may be given; `None` before the first.
    next: Option<Time>,
    /// Permits waiting, in order, by id; discarded ones stay until their
    /// turn, then are skipped.
    waiting: VecDeque<(u64, Promise<()>)>,
    next_id: u64,
}

impl RateLimiterProcess {
    /// How long until the next permit may be given.
    fn remaining(&self) -> Duration {
        match self.next {
            Some(next) => (next - Clock::now()).max(Duration::ZERO),
            None => Duration::ZERO,
        }
    }

    fn acquire(&mut self) -> Future<()> {
        if self.waiting.is_empty() {
            let remaining = self.remaining();
            if remaining == Duration::ZERO {
                self.next = Some(Clock::now() + self.interval);
                return Future::ready(());
            }
            // First in line: the timer serves the queue from now on.
            delay(remaining, &self.self_pid(), RateLimiterProcess::grant);
        }
        let id = self.next_id;
        self.next_id += 1;
        let promise = Promise::new();
        let future = promise.future();
        self.waiting.push_back((id, promise));
        let discard = crate::defer(&self.self_pid(), move |p: &mut RateLimiterProcess, ()| {
            p.discard(id)
        });
        future.on_discard(move || {
            discard(());
        });
        future
    }

    /// Gives the permit to the first waiter that was not discarded, and
    /// schedules the next grant while any wait.
    fn grant(&mut self) {
        while let Some((_, promise)) = self.waiting.pop_front() {
            if !promise.future().is_discarded() {
                promise.set(());
                self.next = Some(Clock::now() + self.interval);
                break;
            }
        }
        if !self.waiting.is_empty() {
            delay(
                self.remaining(),
                &self.self_pid(),
                RateLimiterProcess::grant,
            );
        }
    }

    fn discard(&mut self, id: u64) {
        if let Some((_, promise)) = self.waiting.iter().find(|(i, _)| *i == id) {
            promise.discard();
        }
    }
}

impl Process for RateLimiterProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "__limiter__".into()
    }

    fn finalize(&mut self) {
        for (_, promise) in self.waiting.drain(..) {
            promise.discard();
        }
    }
}
