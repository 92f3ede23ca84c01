//! The Clock: libprocess' controllable time. Every timer in the runtime
//! goes through it, so a paused clock makes timers fire only when a test
//! advances it, and `settle` can wait until nothing is left to happen.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::{Condvar, Mutex};
use stout::Duration;

use crate::runtime::{current_cell, Cell, Inner};
use crate::Time;

type Thunk = Box<dyn FnOnce() + Send>;

struct Entry {
    thunk: Thunk,
    creator: Option<Weak<Cell>>,
    /// The runtime the timer was set in: the thunk runs inside it.
    runtime: Weak<Inner>,
}

/// A clock: its state, and what wakes the thread that fires its timers.
/// Runtimes of one simulation share it, so that pausing and advancing
/// time acts on all of them at once.
pub(crate) struct SharedClock {
    pub(crate) state: Mutex<ClockState>,
    /// Wakes the clock thread: a timer was added or the clock moved.
    pub(crate) timers: Condvar,
    /// Stops the clock thread.
    shutdown: AtomicBool,
    /// The runtimes on this clock (for resetting their processes' time).
    members: Mutex<Vec<Weak<Inner>>>,
}

impl SharedClock {
    pub(crate) fn new() -> SharedClock {
        SharedClock {
            state: Mutex::new(ClockState::new()),
            timers: Condvar::new(),
            shutdown: AtomicBool::new(false),
            members: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn join(&self, runtime: &Arc<Inner>) {
        let paused = self.state.lock().paused;
        runtime.paused.store(paused, Ordering::Release);
        let mut members = self.members.lock();
        members.retain(|m| m.strong_count() > 0);
        members.push(Arc::downgrade(runtime));
    }

    /// The runtimes on this clock.
    fn members(&self) -> Vec<Arc<Inner>> {
        self.members
            .lock()
            .iter()
            .filter_map(Weak::upgrade)
            .collect()
    }

    /// Stops the clock thread (after its current timers).
    pub(crate) fn stop(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
        let _state = self.state.lock();
        self.timers.notify_all();
    }

    /// Fires the earliest timer that is due, on the calling thread; false
    /// when none is (a simulation's driver fires timers this way).
    pub(crate) fn fire_next(&self) -> bool {
        let (deadline, entry, paused, initial) = {
            let mut state = self.state.lock();
            let now = state.now();
            let Some(first) = state.timers.first_entry() else {
                return false;
            };
            if first.key().0 > now {
                return false;
            }
            let ((deadline, _), entry) = first.remove_entry();
            state.epoch += 1;
            (deadline, entry, state.paused, state.initial)
        };
        fire(vec![(deadline, entry)], paused, initial);
        true
    }
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
        let clock = inner.clock.state.lock();
        (clock.paused, clock.now(), clock.initial)
    };
    if paused {
        if let Some(cell) = current_cell() {
            if cell.shares_clock(inner) {
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
                let clock = inner.clock.state.lock();
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
            let mut clock = inner.clock.state.lock();
            if clock.paused {
                return;
            }
            let now = clock.now();
            clock.initial = now;
            clock.current = now;
            clock.paused = true;
            for runtime in inner.clock.members() {
                runtime.paused.store(true, Ordering::Release);
            }
        });
    }

    /// Whether the clock is paused.
    pub fn paused() -> bool {
        Inner::with(|inner| inner.clock.state.lock().paused)
    }

    /// Lets time run again; the total advanced so far stays added.
    pub fn resume() {
        Inner::with(|inner| {
            {
                let mut clock = inner.clock.state.lock();
                if !clock.paused {
                    return;
                }
                clock.paused = false;
                for runtime in inner.clock.members() {
                    runtime.paused.store(false, Ordering::Release);
                }
                inner.clock.timers.notify_all();
            }
            for runtime in inner.clock.members() {
                for cell in runtime.cells() {
                    cell.set_time(None);
                }
            }
        });
    }

    /// Moves a paused clock forward by `duration` (no-op when running).
    /// Expired timers fire asynchronously: [`Clock::settle`] waits for them.
    pub fn advance(duration: Duration) {
        Inner::with(|inner| {
            let mut clock = inner.clock.state.lock();
            if clock.paused {
                clock.advanced += duration;
                clock.current += duration;
                inner.clock.timers.notify_all();
            }
        });
    }

    /// Moves a paused clock forward to `time`; never backwards.
    pub fn update(time: Time) {
        Inner::with(|inner| {
            let mut clock = inner.clock.state.lock();
            if clock.paused && time > clock.current {
                let delta = time - clock.current;
                clock.advanced += delta;
                clock.current = time;
                inner.clock.timers.notify_all();
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
            let mut clock = inner.clock.state.lock();
            let key = (deadline, clock.next_id);
            clock.next_id += 1;
            clock.epoch += 1;
            let earliest = clock.timers.keys().next().is_none_or(|first| key < *first);
            clock.timers.insert(
                key,
                Entry {
                    thunk: Box::new(thunk),
                    creator,
                    runtime: Arc::downgrade(inner),
                },
            );
            if earliest {
                inner.clock.timers.notify_all();
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
        let mut clock = inner.clock.state.lock();
        let removed = clock.timers.remove(&timer.key).is_some();
        if removed {
            clock.epoch += 1;
        }
        removed
    }

    /// Whether no timer is due and none is firing (paused clock).
    pub fn settled() -> bool {
        Inner::with(|inner| {
            let clock = inner.clock.state.lock();
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
        // Not inside `Inner::with`: a simulation enters other runtimes.
        let inner = &Inner::current();
        let settled = if inner.scheduler.is_seeded() {
            crate::simulation::settle(inner, deadline)
        } else {
            settle_threads(inner, deadline)
        };
        if !settled {
            panic!(
                "Clock::settle() did not settle within {}: {}",
                timeout,
                unsettled(inner)
            );
        }
        if let Some(fault) = inner.faults.first() {
            panic!("{}", fault);
        }
    }
}

/// Waits for the worker threads and the clock thread to go quiet (true),
/// or for `deadline` to pass (false).
fn settle_threads(inner: &Inner, deadline: std::time::Instant) -> bool {
    loop {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        let first = clock_quiet(inner);
        if first.is_none() || !inner.quiescent() {
            inner.wait_idle(std::time::Duration::from_millis(1));
            continue;
        }
        if clock_quiet(inner) == first {
            return true;
        }
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
    let clock = inner.clock.state.lock();
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
    let clock = inner.clock.state.lock();
    let quiet = !(clock.firing || (clock.paused && clock.expired()));
    quiet.then_some(clock.epoch)
}

/// Runs expired timers, in deadline order, each inside the runtime it was
/// set in; while paused, each creator's logical time first moves up to its
/// timer's deadline.
fn fire(expired: Vec<(Time, Entry)>, paused: bool, initial: Time) {
    if paused {
        for (deadline, entry) in &expired {
            if let Some(cell) = entry.creator.as_ref().and_then(Weak::upgrade) {
                cell.advance_time(*deadline, initial);
            }
        }
    }
    for (_, entry) in expired {
        match entry.runtime.upgrade() {
            Some(runtime) => {
                let _enter = crate::runtime::enter_inner(runtime);
                (entry.thunk)();
            }
            // Its runtime is gone: nothing could receive what it sends.
            None => drop(entry.thunk),
        }
    }
}

/// The clock thread: fires expired timers, in deadline order.
pub(crate) fn timer_loop(clock: Arc<SharedClock>) {
    let mut state = clock.state.lock();
    loop {
        if clock.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let now = state.now();
        let mut expired = Vec::new();
        while let Some(entry) = state.timers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let ((deadline, _), entry) = entry.remove_entry();
            expired.push((deadline, entry));
        }
        if !expired.is_empty() {
            state.firing = true;
            let (paused, initial) = (state.paused, state.initial);
            drop(state);
            fire(expired, paused, initial);
            state = clock.state.lock();
            state.firing = false;
            state.epoch += 1;
            continue;
        }
        match state.timers.keys().next() {
            Some((deadline, _)) if !state.paused => {
                let wait = (*deadline - now).to_std().unwrap_or_default();
                clock.timers.wait_for(&mut state, wait);
            }
            _ => clock.timers.wait(&mut state),
        }
    }
}
