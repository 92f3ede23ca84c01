//! Deterministic runs: runtimes that share a [`Simulation`] share its
//! clock, run their processes with no worker threads, one event at a time
//! in an order drawn from its seed, and draw their randomness from it. With
//! the clock paused, and messages between the runtimes carried by an
//! in-memory [`Network`](crate::network::Network), a whole cluster runs the
//! same way every time under one seed.
//!
//! Nothing runs on its own: a thread that blocks on the simulation (a
//! `Future::wait_for`, `Clock::settle`, `wait`, the `testing` await
//! helpers) runs the processes until what it waits for happens.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use crate::clock::SharedClock;
use crate::random::Random;
use crate::runtime::{enter_inner, Inner};
use crate::scheduler::Scheduler;

/// What the runtimes of one simulation share: join one with
/// [`Builder::simulation`](crate::Builder::simulation). Clones are handles
/// on the same simulation.
#[derive(Clone)]
pub struct Simulation {
    seed: u64,
    pub(crate) clock: Arc<SharedClock>,
    pub(crate) scheduler: Arc<Scheduler>,
    pub(crate) random: Arc<Random>,
}

impl Simulation {
    /// A simulation that replays from `seed`.
    pub fn new(seed: u64) -> Simulation {
        Simulation {
            seed,
            clock: Arc::new(SharedClock::new()),
            scheduler: Arc::new(Scheduler::seeded(seed)),
            random: Arc::new(Random::seeded(seed, 0)),
        }
    }

    /// A simulation seeded from `LIBPROCESS_SEED` when set (to replay a
    /// failure), else from the operating system. A bad value is an error
    /// naming the variable.
    pub fn from_environment() -> stout::Try<Simulation> {
        let seed = seed_from(std::env::var("LIBPROCESS_SEED").ok().as_deref())?;
        Ok(Simulation::new(seed.unwrap_or_else(crate::random::os_seed)))
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

impl fmt::Debug for Simulation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulation")
            .field("seed", &self.seed)
            .finish()
    }
}

/// The seed `LIBPROCESS_SEED` gives (`value`): none when unset or empty.
fn seed_from(value: Option<&str>) -> stout::Try<Option<u64>> {
    match value {
        Some(value) if !value.is_empty() => value.parse::<u64>().map(Some).map_err(|_| {
            stout::Error::new(format!(
                "LIBPROCESS_SEED must be an unsigned 64-bit integer, got '{}'",
                value
            ))
        }),
        _ => Ok(None),
    }
}

/// One step of a simulation: runs one event of a process drawn with the
/// seed, or else fires the earliest due timer. False when there was
/// nothing to do.
fn step(scheduler: &Scheduler, clock: &SharedClock) -> bool {
    if let Some(cell) = scheduler.pick() {
        let more = match cell.runtime.upgrade() {
            Some(runtime) => {
                let _enter = enter_inner(runtime.clone());
                // A handler's panic ends its process, not the simulation.
                crate::fault::contain(|| cell.run_limited(&runtime, 1)).unwrap_or(false)
            }
            None => false,
        };
        scheduler.ran(cell, more);
        return true;
    }
    clock.fire_next()
}

/// When the current runtime is simulated, runs its simulation until
/// `done()` or `timeout` (of real time) passes: `Some(done())`. `None` for
/// a runtime with worker threads, where the caller blocks as usual.
pub(crate) fn drive_until(
    done: &dyn Fn() -> bool,
    timeout: Option<std::time::Duration>,
) -> Option<bool> {
    let inner = Inner::with(|inner| inner.scheduler.is_seeded().then(|| inner.clone()))?;
    let deadline = timeout.map(|t| Instant::now() + t);
    loop {
        if done() {
            return Some(true);
        }
        if step(&inner.scheduler, &inner.clock) {
            continue;
        }
        if done() {
            return Some(true);
        }
        let left = match deadline {
            Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => left,
                _ => return Some(false),
            },
            None => std::time::Duration::from_millis(10),
        };
        // Only a thread outside the simulation (I/O) can add work now.
        inner
            .scheduler
            .wait_for_work(left.min(std::time::Duration::from_millis(10)));
    }
}

/// Runs `inner`'s simulation until nothing is runnable and no timer is
/// due (true), or `deadline` passes (false).
pub(crate) fn settle(inner: &Inner, deadline: Instant) -> bool {
    while step(&inner.scheduler, &inner.clock) {
        if Instant::now() >= deadline {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::seed_from;

    #[test]
    fn seeds_from_the_environment() {
        assert_eq!(seed_from(Some("42")).ok(), Some(Some(42)));
        assert_eq!(seed_from(Some("")).ok(), Some(None));
        assert_eq!(seed_from(None).ok(), Some(None));
        assert_eq!(
            seed_from(Some("not-a-seed")).unwrap_err().message(),
            "LIBPROCESS_SEED must be an unsigned 64-bit integer, got 'not-a-seed'"
        );
    }
}
