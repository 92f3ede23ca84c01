//! The run queue: which processes have events to serve, and the worker
//! threads that serve them.
//!
//! A process scheduled by the process a worker is running goes to that
//! worker's next slot instead of the shared queue: it runs on the same
//! thread right after, with no lock and no wake-up, which is what makes
//! request/response between two processes fast. While other processes
//! wait in the shared queue, the slot is used a bounded number of times
//! in a row, so they keep their turn. A process whose backlog builds up in
//! the slot while another worker idles moves to the shared queue: a
//! handler flooding it would otherwise hold it back until it returns.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use parking_lot::{Condvar, Mutex};

use crate::cell::Cell;
use crate::random::Random;
use crate::runtime::Inner;

/// How many times in a row a worker may run its next slot while other
/// processes wait in the shared queue.
const NEXT_LIMIT: usize = 32;

#[derive(Default)]
struct State {
    runnable: VecDeque<Arc<Cell>>,
    /// Workers running a process right now.
    running: usize,
    /// Workers waiting for work.
    idle: usize,
}

pub(crate) struct Scheduler {
    state: Mutex<State>,
    work: Condvar,
    /// Signalled when the last running worker goes idle (for `settle`).
    idle: Condvar,
    /// In a simulation: no workers; whoever blocks runs the processes,
    /// one event at a time, picking the next one with this source.
    seeded: Option<Random>,
}

thread_local! {
    /// This worker's scheduler (by address) and its next slot.
    static NEXT: RefCell<Option<(usize, Option<Arc<Cell>>)>> = const { RefCell::new(None) };
}

/// Before a worker blocks (a `wait` or a blocking future wait inside a
/// handler), hands its next slot to the shared queue so another worker
/// can run it: the thread may be waiting for exactly that process.
pub(crate) fn before_blocking() {
    let parked = NEXT.with(|next| {
        next.try_borrow_mut()
            .ok()
            .and_then(|mut next| next.as_mut().and_then(|(_, slot)| slot.take()))
    });
    if let Some(cell) = parked {
        if let Some(runtime) = cell.runtime.upgrade() {
            runtime.scheduler.push(cell);
        }
    }
}

impl Scheduler {
    /// A scheduler for worker threads.
    pub(crate) fn threaded() -> Scheduler {
        Scheduler {
            state: Mutex::default(),
            work: Condvar::new(),
            idle: Condvar::new(),
            seeded: None,
        }
    }

    /// A scheduler for a simulation: no threads, a seeded order.
    pub(crate) fn seeded(seed: u64) -> Scheduler {
        Scheduler {
            seeded: Some(Random::seeded(seed, 1)),
            ..Scheduler::threaded()
        }
    }

    /// Whether this is a simulation's scheduler.
    pub(crate) fn is_seeded(&self) -> bool {
        self.seeded.is_some()
    }

    /// A simulation's next process to run, drawn with the seed; it counts
    /// as running until [`Scheduler::ran`].
    pub(crate) fn pick(&self) -> Option<Arc<Cell>> {
        let random = self.seeded.as_ref()?;
        let mut state = self.state.lock();
        if state.runnable.is_empty() {
            return None;
        }
        let index = random.below(state.runnable.len() as u64) as usize;
        let cell = state.runnable.remove(index)?;
        state.running += 1;
        Some(cell)
    }

    /// After a simulation ran `cell`: back on the queue if it has more.
    pub(crate) fn ran(&self, cell: Arc<Cell>, more: bool) {
        let mut state = self.state.lock();
        state.running -= 1;
        if more {
            state.runnable.push_back(cell);
        }
        if state.running == 0 && state.runnable.is_empty() {
            self.idle.notify_all();
        }
    }

    /// Waits (at most `timeout`) for a process to become runnable: a
    /// simulation's driver, when another thread may add work.
    pub(crate) fn wait_for_work(&self, timeout: std::time::Duration) {
        let mut state = self.state.lock();
        if state.runnable.is_empty() {
            state.idle += 1;
            self.work.wait_for(&mut state, timeout);
            state.idle -= 1;
        }
    }

    fn id(&self) -> usize {
        self as *const Scheduler as usize
    }

    /// Makes `cell` runnable.
    #[inline]
    pub(crate) fn schedule(&self, cell: Arc<Cell>) {
        let cell = NEXT.with(|next| {
            let Ok(mut next) = next.try_borrow_mut() else {
                return Some(cell);
            };
            match next.as_mut() {
                Some((id, slot @ None)) if *id == self.id() => {
                    *slot = Some(cell);
                    None
                }
                _ => Some(cell),
            }
        });
        if let Some(cell) = cell {
            self.push(cell);
        }
    }

    /// `cell` has a backlog of events (a handler of this worker keeps
    /// sending to it). If it waits in this worker's next slot while
    /// another worker idles, it moves to the shared queue and that worker
    /// serves it alongside: the slot would hold it until the sender's
    /// handler returns.
    #[cold]
    #[inline(never)]
    pub(crate) fn crowded(&self, cell: &Arc<Cell>) {
        if self.state.lock().idle == 0 {
            return;
        }
        let parked = NEXT.with(|next| {
            let mut next = next.try_borrow_mut().ok()?;
            match next.as_mut()? {
                (id, slot)
                    if *id == self.id() && slot.as_ref().is_some_and(|s| Arc::ptr_eq(s, cell)) =>
                {
                    slot.take()
                }
                _ => None,
            }
        });
        if let Some(cell) = parked {
            self.push(cell);
        }
    }

    pub(crate) fn push(&self, cell: Arc<Cell>) {
        let mut state = self.state.lock();
        state.runnable.push_back(cell);
        if state.idle > 0 {
            self.work.notify_one();
        }
    }

    /// Wakes every worker (to notice shutdown).
    pub(crate) fn wake_all(&self) {
        let _state = self.state.lock();
        self.work.notify_all();
    }

    /// Whether nothing is running or runnable.
    pub(crate) fn quiescent(&self) -> bool {
        let state = self.state.lock();
        state.running == 0 && state.runnable.is_empty()
    }

    /// Waits (at most `timeout`) for the workers to go idle.
    pub(crate) fn wait_idle(&self, timeout: std::time::Duration) {
        let mut state = self.state.lock();
        if state.running == 0 && state.runnable.is_empty() {
            return;
        }
        self.idle.wait_for(&mut state, timeout);
    }

    /// A worker thread's loop, until the runtime shuts down. A handler that
    /// panics ends the process that ran it (see `fault`), not the worker.
    pub(crate) fn work(&self, inner: &Arc<Inner>) {
        NEXT.with(|next| *next.borrow_mut() = Some((self.id(), None)));
        while crate::fault::contain(|| self.serve(inner)).is_err() {
            // The panic left this worker counted as running, and maybe a
            // process in its next slot.
            let parked =
                NEXT.with(|next| next.borrow_mut().as_mut().and_then(|(_, slot)| slot.take()));
            if let Some(cell) = parked {
                self.push(cell);
            }
            let mut state = self.state.lock();
            state.running -= 1;
            if state.running == 0 && state.runnable.is_empty() {
                self.idle.notify_all();
            }
        }
        NEXT.with(|next| *next.borrow_mut() = None);
    }

    /// Runs processes until the runtime shuts down.
    fn serve(&self, inner: &Arc<Inner>) {
        let mut state = self.state.lock();
        loop {
            if inner.shutdown.load(Ordering::SeqCst) {
                break;
            }
            let Some(mut cell) = state.runnable.pop_front() else {
                state.idle += 1;
                self.work.wait(&mut state);
                state.idle -= 1;
                continue;
            };
            state.running += 1;
            drop(state);
            let mut streak = 0;
            loop {
                let more = cell.run(inner);
                let next =
                    NEXT.with(|next| next.borrow_mut().as_mut().and_then(|(_, slot)| slot.take()));
                if more {
                    if next.is_none() && self.state.lock().runnable.is_empty() {
                        // Nothing else waits: keep running it here rather
                        // than waking another worker for it.
                        continue;
                    }
                    self.push(cell);
                }
                match next {
                    Some(next) if streak < NEXT_LIMIT => {
                        streak += 1;
                        cell = next;
                    }
                    // The streak is over only if another process waits
                    // for its turn: handing a ping-pong pair to another
                    // worker for nothing costs a wake-up and a thread
                    // switch every NEXT_LIMIT events.
                    Some(next)
                        if !inner.shutdown.load(Ordering::SeqCst)
                            && self.state.lock().runnable.is_empty() =>
                    {
                        streak = 0;
                        cell = next;
                    }
                    Some(next) => {
                        self.push(next);
                        break;
                    }
                    None => break,
                }
            }
            state = self.state.lock();
            state.running -= 1;
            if state.running == 0 && state.runnable.is_empty() {
                self.idle.notify_all();
            }
        }
    }
}
