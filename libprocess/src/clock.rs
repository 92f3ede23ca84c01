//! The Clock: libprocess' controllable time. Every timer in the runtime
//! goes through it, so a paused clock makes timers fire only when a test
//! advances it, and `settle` can wait until nothing is left to happen.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};

use stout::Duration;

use crate::runtime::{current_cell, Cell, Inner};
use crate::Time;

type Thunk = Box<dyn FnOnce() + Send>;

struct Entry {
    thunk: Thunk,
    creator: Option<Weak<Cell>>,
}

pub(crate) struct ClockState {
    paused: bool,
    /// The global time while paused.
    current: Time,
    /// When the clock was paused: the starting time of every process.
    initial: Time,
    /// What `advance`/`update` added in total; stays added after `resume`.
    advanced: Duration,
    timers: BTreeMap<(Time, u64), Entry>,
    next_id: u64,
    /// The clock thread is running expired timers.
    firing: bool,
    /// Changes whenever a timer is added or fired, so `settle` can tell
    /// that nothing happened between two looks.
    epoch: u64,
}

impl ClockState {
    pub(crate) fn new() -> ClockState {
        ClockState {
            paused: false,
            current: Time::EPOCH,
            initial: Time::EPOCH,
            advanced: Duration::ZERO,
            timers: BTreeMap::new(),
            next_id: 0,
            firing: false,
            epoch: 0,
        }
    }

    fn now(&self) -> Time {
        if self.paused {
            self.current
        } else {
            Time::wall() + self.advanced
        }
    }

    fn expired(&self) -> bool {
        let now = self.now();
        self.timers.keys().next().is_some_and(|(t, _)| *t <= now)
    }
}

/// A pending timer, to cancel with [`Clock::cancel`].
#[derive(Debug, Clone)]
pub struct Timer {
    key: (Time, u64),
    runtime: Weak<Inner>,
}

impl Timer {
    /// When the timer fires.
    pub fn deadline(&self) -> Time {
        self.key.0
    }
}

/// libprocess' `Clock`, acting on the current thread's runtime.
#[derive(Debug)]
pub struct Clock;

/// `now` for the current context: the running process' logical time while
/// paused, else the global clock.
pub(crate) fn now_in(inner: &Inner) -> Time {
    now_and_initial(inner).0
}

pub(crate) fn now_and_initial(inner: &Inner) -> (Time, Time) {
    let (paused, now, initial) = {
        let clock = inner.clock.lock();
        (clock.paused, clock.now(), clock.initial)
    };
    if paused {
        if let Some(cell) = current_cell() {
            if std::ptr::eq(cell.runtime.as_ptr(), inner) {
                return (cell.time(initial), initial);
            }
        }
    }
    (now, initial)
}

impl Clock {
    /// The current time: wall-clock time plus whatever tests advanced;
    /// while paused, the paused time (inside a process, its own logical
    /// time, which follows the events it receives).
    pub fn now() -> Time {
        Inner::with(|inner| now_in(inner))
    }

    /// The logical time of process `pid` (its own while paused, which only
    /// moves when it receives events); the clock's `now` otherwise, or for
    /// an unknown process.
    pub fn now_of(pid: &crate::UPID) -> Time {
        Inner::with(|inner| {
            let (paused, now, initial) = {
                let clock = inner.clock.lock();
                (clock.paused, clock.now(), clock.initial)
            };
            match inner.lookup(pid) {
                Some(cell) if paused => cell.time(initial),
                _ => now,
            }
        })
    }

    /// Stops time: from now on timers fire only when [`Clock::advance`] or
    /// [`Clock::update`] moves the clock past them. Idempotent.
    pub fn pause() {
        Inner::with(|inner| {
            let mut clock = inner.clock.lock();
            if clock.paused {
                return;
            }
            let now = clock.now();
            clock.initial = now;
            clock.current = now;
            clock.paused = true;
            inner.paused.store(true, Ordering::Release);
        });
    }

    /// Whether the clock is paused.
    pub fn paused() -> bool {
        Inner::with(|inner| inner.clock.lock().paused)
    }

    /// Lets time run again; the total advanced so far stays added.
    pub fn resume() {
        Inner::with(|inner| {
            {
                let mut clock = inner.clock.lock();
                if !clock.paused {
                    return;
                }
                clock.paused = false;
                inner.paused.store(false, Ordering::Release);
                inner.timers.notify_all();
            }
            for cell in inner.cells() {
                cell.set_time(None);
            }
        });
    }

    /// Moves a paused clock forward by `duration` (no-op when running).
    /// Expired timers fire asynchronously: [`Clock::settle`] waits for them.
    pub fn advance(duration: Duration) {
        Inner::with(|inner| {
            let mut clock = inner.clock.lock();
            if clock.paused {
                clock.advanced += duration;
                clock.current += duration;
                inner.timers.notify_all();
            }
        });
    }

    /// Moves a paused clock forward to `time`; never backwards.
    pub fn update(time: Time) {
        Inner::with(|inner| {
            let mut clock = inner.clock.lock();
            if clock.paused && time > clock.current {
                let delta = time - clock.current;
                clock.advanced += delta;
                clock.current = time;
                inner.timers.notify_all();
            }
        });
    }

    /// Runs `thunk` once `duration` has passed on the clock, measured from
    /// the current process' time. It runs on the clock's thread: keep it
    /// short (a dispatch, a promise).
    pub fn timer(duration: Duration, thunk: impl FnOnce() + Send + 'static) -> Timer {
        Inner::with(|inner| {
            let deadline = now_in(inner) + duration;
            let creator = current_cell().map(|c| Arc::downgrade(&c));
            let mut clock = inner.clock.lock();
            let key = (deadline, clock.next_id);
            clock.next_id += 1;
            clock.epoch += 1;
            let earliest = clock.timers.keys().next().is_none_or(|first| key < *first);
            clock.timers.insert(
                key,
                Entry {
                    thunk: Box::new(thunk),
                    creator,
                },
            );
            if earliest {
                inner.timers.notify_all();
            }
            Timer {
                key,
                runtime: Arc::downgrade(inner),
            }
        })
    }

    /// Cancels `timer`; true when it had not fired yet.
    pub fn cancel(timer: &Timer) -> bool {
        let Some(inner) = timer.runtime.upgrade() else {
            return false;
        };
        let mut clock = inner.clock.lock();
        let removed = clock.timers.remove(&timer.key).is_some();
        if removed {
            clock.epoch += 1;
        }
        removed
    }

    /// Whether no timer is due and none is firing (paused clock).
    pub fn settled() -> bool {
        Inner::with(|inner| {
            let clock = inner.clock.lock();
            !clock.firing && !clock.expired()
        })
    }

    /// Blocks until no process is running or runnable and no timer is due
    /// or firing: after it returns, nothing happens until the clock moves
    /// or something outside the runtime acts. Meant for a paused clock;
    /// with a running clock it ignores timers.
    ///
    /// # Panics
    ///
    /// After [`SETTLE_TIMEOUT`] of real time without settling (a process
    /// that never stops running, or timers that keep firing), naming what
    /// is still running or runnable; and in a test runtime, when a process
    /// panicked.
    pub fn settle() {
        Clock::settle_for(SETTLE_TIMEOUT)
    }

    /// [`Clock::settle`] with another deadline than [`SETTLE_TIMEOUT`].
    pub fn settle_for(timeout: Duration) {
        if current_cell().is_some() {
            // The caller's own process counts as running: it would wait
            // for itself forever (libprocess aborts here).
            tracing::error!("Clock::settle() called from inside a process; ignoring it");
            return;
        }
        let deadline = std::time::Instant::now() + timeout.to_std().unwrap_or_default();
        Inner::with(|inner| {
            loop {
                if std::time::Instant::now() >= deadline {
                    panic!(
                        "Clock::settle() did not settle within {}: {}",
                        timeout,
                        unsettled(inner)
                    );
                }
                let first = clock_quiet(inner);
                if first.is_none() || !inner.quiescent() {
                    inner.wait_idle(std::time::Duration::from_millis(1));
                    continue;
                }
                if clock_quiet(inner) == first {
                    break;
                }
            }
            if let Some(fault) = inner.faults.first() {
                panic!("{}", fault);
            }
        })
    }
}

/// How long [`Clock::settle`] waits before it fails (as the tests' await
/// helpers, libprocess' `TEST_AWAIT_TIMEOUT`).
pub const SETTLE_TIMEOUT: Duration = Duration::from_secs(15);

/// What keeps a runtime from settling, for the settle deadline's message.
fn unsettled(inner: &Inner) -> String {
    let mut busy: Vec<String> = inner
        .cells()
        .iter()
        .filter_map(|cell| {
            cell.activity()
                .map(|what| format!("{} ({})", cell.pid, what))
        })
        .collect();
    busy.sort();
    let clock = inner.clock.lock();
    if clock.firing {
        busy.push("timers firing".to_string());
    } else if clock.paused && clock.expired() {
        busy.push("timers due".to_string());
    }
    if busy.is_empty() {
        "nothing found busy (a thread outside the runtime kept adding work)".to_string()
    } else {
        busy.join(", ")
    }
}

/// `Some(epoch)` when no timer is due or firing.
fn clock_quiet(inner: &Inner) -> Option<u64> {
    let clock = inner.clock.lock();
    let quiet = !(clock.firing || (clock.paused && clock.expired()));
    quiet.then_some(clock.epoch)
}

/// The clock thread: fires expired timers, in deadline order.
pub(crate) fn timer_loop(inner: Arc<Inner>) {
    let _enter = crate::runtime::enter_inner(inner.clone());
    let mut clock = inner.clock.lock();
    loop {
        if inner.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let now = clock.now();
        let mut expired = Vec::new();
        while let Some(entry) = clock.timers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let ((deadline, _), entry) = entry.remove_entry();
            expired.push((deadline, entry));
        }
        if !expired.is_empty() {
            clock.firing = true;
            let (paused, initial) = (clock.paused, clock.initial);
            drop(clock);
            if paused {
                for (deadline, entry) in &expired {
                    if let Some(cell) = entry.creator.as_ref().and_then(Weak::upgrade) {
                        cell.advance_time(*deadline, initial);
                    }
                }
            }
            for (_, entry) in expired {
                (entry.thunk)();
            }
            clock = inner.clock.lock();
            clock.firing = false;
            clock.epoch += 1;
            continue;
        }
        match clock.timers.keys().next() {
            Some((deadline, _)) if !clock.paused => {
                let wait = (*deadline - now).to_std().unwrap_or_default();
                inner.timers.wait_for(&mut clock, wait);
            }
            _ => inner.timers.wait(&mut clock),
        }
    }
}
