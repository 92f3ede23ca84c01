//! A spawned process: its mailbox, its scheduling state and its clock.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::{Condvar, Mutex};

use crate::event::{Event, EventRef, Message};
use crate::process::AnyProcess;
use crate::runtime::{set_current_process, with_current_process, Inner};
use crate::spin::SpinLock;
use crate::{Time, UPID};

/// How many events a worker serves from one process before giving other
/// runnable processes a turn.
const BATCH: usize = 256;

/// Every this many events waiting in a mailbox, a sender asks whether the
/// process waits in its own worker's next slot while another worker idles
/// (see [`Enqueued::Crowded`]). A power of two.
const CROWDED: usize = 4096;

/// What a sender does after queueing an event.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Enqueued {
    /// The process was idle: put it on the run queue.
    Schedule,
    /// The process was already scheduled.
    Queued,
    /// Already scheduled, and a backlog is building up: if it waits in
    /// the sender's next slot, it may never run until the sender's
    /// handler returns, so it should move to where an idle worker can
    /// take it.
    Crowded,
}

struct Mailbox {
    events: VecDeque<Event>,
    /// In the run queue or being run: a new event needs no scheduling.
    scheduled: bool,
}

struct Body {
    process: Option<Box<dyn AnyProcess>>,
    initialized: bool,
    /// Events taken from the mailbox in one go, served in order.
    pending: VecDeque<Event>,
}

/// Keeps a value on cache lines of its own, so that writers of it (every
/// sender to the process) do not slow down readers of its neighbours.
#[repr(align(128))]
struct Padded<T>(T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

pub(crate) struct Cell {
    /// Without a cached reference to this cell (that would be a cycle).
    pub(crate) pid: UPID,
    pub(crate) runtime: Weak<Inner>,
    mailbox: Padded<SpinLock<Mailbox>>,
    body: Mutex<Body>,
    /// A terminate was injected: drop every event ahead of it.
    inject: AtomicBool,
    /// Set by `close`, under the mailbox lock: the process has terminated
    /// and its mailbox refuses events. Read without the lock elsewhere.
    closed: AtomicBool,
    /// The process' logical time while the clock is paused.
    time: Mutex<Option<Time>>,
    /// Whether the runtime drops the process once it terminates; else
    /// `wait` hands it back.
    managed: bool,
    /// Where the process value lives (it never moves once boxed), so
    /// `SelfPid` can tell its own process from another.
    address: usize,
    terminated: Mutex<bool>,
    gate: Condvar,
}

impl Cell {
    pub(crate) fn new(
        pid: UPID,
        runtime: Weak<Inner>,
        process: Box<dyn AnyProcess>,
        managed: bool,
        time: Option<Time>,
    ) -> Cell {
        Cell {
            address: process.address(),
            pid,
            runtime,
            mailbox: Padded(SpinLock::new(Mailbox {
                events: VecDeque::new(),
                // Spawning schedules the cell to run `initialize`.
                scheduled: true,
            })),
            body: Mutex::new(Body {
                process: Some(process),
                initialized: false,
                pending: VecDeque::new(),
            }),
            inject: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            time: Mutex::new(time),
            managed,
            terminated: Mutex::new(false),
            gate: Condvar::new(),
        }
    }

    /// The pid with a cached reference to this cell.
    pub(crate) fn self_pid(self: &Arc<Cell>) -> UPID {
        let mut pid = self.pid.clone();
        pid.reference = Some(Arc::downgrade(self));
        pid
    }

    /// Queues `event`; hands it back when the process has terminated.
    #[inline(always)]
    // The event comes back unboxed: boxing events measurably slows sends.
    #[allow(clippy::result_large_err)]
    pub(crate) fn enqueue(&self, event: Event) -> Result<Enqueued, Event> {
        let mut mailbox = self.mailbox.lock();
        if self.closed.load(Ordering::Relaxed) {
            return Err(event);
        }
        if let Event::Terminate { inject: true } = event {
            self.inject.store(true, Ordering::Release);
        }
        mailbox.events.push_back(event);
        Ok(if !mailbox.scheduled {
            mailbox.scheduled = true;
            Enqueued::Schedule
        } else if mailbox.events.len() % CROWDED == 0 {
            Enqueued::Crowded
        } else {
            Enqueued::Queued
        })
    }

    /// [`Cell::enqueue`] for several events under one lock; hands them
    /// back unconsumed when the process has terminated. Events that
    /// terminate are not expected here.
    pub(crate) fn enqueue_all<I: Iterator<Item = Event>>(&self, events: I) -> Result<bool, I> {
        let mut mailbox = self.mailbox.lock();
        if self.closed.load(Ordering::Relaxed) {
            return Err(events);
        }
        mailbox.events.extend(events);
        let schedule = !mailbox.scheduled;
        mailbox.scheduled = true;
        Ok(schedule)
    }

    /// What the process is doing, if anything: `running` a handler, or
    /// `runnable` with events waiting.
    pub(crate) fn activity(&self) -> Option<String> {
        let waiting = self.mailbox.lock().events.len();
        match self.body.try_lock() {
            None => Some("running".to_string()),
            Some(body) if !body.pending.is_empty() || waiting > 0 => Some(format!(
                "runnable, {} events waiting",
                body.pending.len() + waiting
            )),
            Some(_) => None,
        }
    }

    /// Whether this cell's runtime runs on `inner`'s clock.
    pub(crate) fn shares_clock(&self, inner: &Inner) -> bool {
        std::ptr::eq(self.runtime.as_ptr(), inner)
            || self
                .runtime
                .upgrade()
                .is_some_and(|runtime| Arc::ptr_eq(&runtime.clock, &inner.clock))
    }

    /// Whether this cell runs the process value at `process`.
    pub(crate) fn holds(&self, process: *const ()) -> bool {
        self.address == process as usize
    }

    /// Whether `close` has run (it may be running: then its mailbox
    /// refuses events already).
    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// The logical time while paused: the cell's own, or `initial`.
    pub(crate) fn time(&self, initial: Time) -> Time {
        *self.time.lock().get_or_insert(initial)
    }

    /// Moves the logical time forward to `time` (never backwards).
    pub(crate) fn advance_time(&self, time: Time, initial: Time) {
        let mut current = self.time.lock();
        let now = current.get_or_insert(initial);
        if time > *now {
            *now = time;
        }
    }

    pub(crate) fn set_time(&self, time: Option<Time>) {
        *self.time.lock() = time;
    }

    /// Serves up to [`BATCH`] events. Returns whether the cell is still
    /// scheduled (more events wait) and must go back on the run queue.
    pub(crate) fn run(self: &Arc<Cell>, runtime: &Arc<Inner>) -> bool {
        self.run_limited(runtime, BATCH)
    }

    /// [`Cell::run`], serving at most `limit` events (a simulation serves
    /// one per turn, so that its seed orders every event).
    pub(crate) fn run_limited(self: &Arc<Cell>, runtime: &Arc<Inner>, limit: usize) -> bool {
        // `self` outlives the run: it is what the thread's current
        // process points to until `running` puts the previous one back.
        let running = Running(set_current_process(self));
        let more = self.serve_batch(runtime, limit);
        running.done();
        more
    }

    fn serve_batch(self: &Arc<Cell>, runtime: &Arc<Inner>, limit: usize) -> bool {
        let mut body = self.body.lock();
        let Body {
            process,
            initialized,
            pending,
        } = &mut *body;
        let Some(process) = process.as_mut() else {
            return false;
        };
        if !*initialized {
            *initialized = true;
            process.initialize();
        }
        for _ in 0..limit {
            if pending.is_empty() {
                // Take everything queued at once: one lock per burst.
                let mut mailbox = self.mailbox.lock();
                if mailbox.events.is_empty() {
                    mailbox.scheduled = false;
                    return false;
                }
                std::mem::swap(&mut mailbox.events, pending);
            }
            // The event stays where it was popped to until served: moving
            // it between bindings cost two store-forwarding stalls each.
            let event = pending.pop_front().expect("a non-empty queue");
            match &event {
                Event::Inspect(_) => {
                    self.inspect(event, pending);
                    continue;
                }
                Event::Terminate { .. } => {
                    process.serve(event, &self.pid);
                    let leftovers = std::mem::take(pending);
                    drop(body);
                    drop(leftovers);
                    runtime.cleanup(self);
                    return false;
                }
                _ => {}
            }
            if self.inject.load(Ordering::Acquire) || runtime.filtered(&self.pid, &event) {
                continue;
            }
            process.serve(event, &self.pid);
        }
        true
    }

    /// Answers `/__processes__`' question (an `Inspect` event).
    #[cold]
    fn inspect(&self, event: Event, pending: &VecDeque<Event>) {
        if let Event::Inspect(promise) = event {
            promise.set(self.describe(pending));
        }
    }

    /// A handler panicked (and the fault was reported): the process is
    /// gone, as if terminated, without `finalize`; the events it had taken
    /// to serve are dropped too.
    pub(crate) fn crashed(self: &Arc<Cell>, runtime: &Arc<Inner>) {
        let leftovers = std::mem::take(&mut self.body.lock().pending);
        drop(leftovers);
        // Its routes leave `/help`, as `finalize` would have had them.
        runtime.http.help.write().remove(self.pid.id());
        runtime.cleanup(self);
    }

    /// The process' id and the events it has yet to serve, for
    /// `/__processes__`.
    fn describe(&self, pending: &VecDeque<Event>) -> serde_json::Value {
        let mut events: Vec<serde_json::Value> =
            pending.iter().map(|e| e.describe(&self.pid)).collect();
        events.extend(
            self.mailbox
                .lock()
                .events
                .iter()
                .map(|e| e.describe(&self.pid)),
        );
        serde_json::json!({"id": self.pid.id(), "events": events})
    }

    /// Counts the events waiting in the mailbox (not yet taken by a
    /// worker) that `select` picks.
    pub(crate) fn queued(&self, select: impl Fn(&Event) -> bool) -> usize {
        self.mailbox
            .lock()
            .events
            .iter()
            .filter(|e| select(e))
            .count()
    }

    /// After the terminate event: refuse further events and drop the
    /// queued ones (abandoning their futures), release the process and
    /// open the gate for `wait`.
    pub(crate) fn close(&self) {
        let leftovers = {
            let mut mailbox = self.mailbox.lock();
            self.closed.store(true, Ordering::Release);
            std::mem::take(&mut mailbox.events)
        };
        drop(leftovers);
        if self.managed {
            let process = self.body.lock().process.take();
            drop(process);
        }
        *self.terminated.lock() = true;
        self.gate.notify_all();
    }

    /// Blocks until the process is cleaned up, or `timeout` passes.
    pub(crate) fn wait(&self, timeout: Option<std::time::Duration>) -> bool {
        let done = || *self.terminated.lock();
        if let Some(done) = crate::simulation::drive_until(&done, timeout) {
            return done;
        }
        let mut terminated = self.terminated.lock();
        match timeout {
            None => {
                while !*terminated {
                    self.gate.wait(&mut terminated);
                }
                true
            }
            Some(timeout) => {
                let deadline = std::time::Instant::now() + timeout;
                while !*terminated {
                    if self.gate.wait_until(&mut terminated, deadline).timed_out() {
                        return *terminated;
                    }
                }
                true
            }
        }
    }

    /// The terminated, unmanaged process, once.
    pub(crate) fn take(&self) -> Option<Box<dyn AnyProcess>> {
        if !*self.terminated.lock() {
            return None;
        }
        self.body.lock().process.take()
    }
}

/// Makes the cell current while it runs, and the previous one again after;
/// a panic unwinding through it writes down the cell that panicked.
struct Running(*const Arc<Cell>);

impl Running {
    #[inline(always)]
    fn done(self) {
        set_current_process(self.0);
        std::mem::forget(self);
    }
}

impl Drop for Running {
    /// Runs only while unwinding (`done` forgets it otherwise); the
    /// running cell is still alive then (the run's caller holds it).
    fn drop(&mut self) {
        if let Some(crashed) = with_current_process(|current| current.cloned()) {
            crate::fault::crashed_in(crashed);
        }
        set_current_process(self.0);
    }
}

/// A view of an event for filters; a message is copied into `message`
/// (filters see whole messages, the mailbox keeps them smaller).
pub(crate) fn event_ref<'a>(
    to: &'a UPID,
    event: &'a Event,
    message: &'a mut Option<Message>,
) -> Option<EventRef<'a>> {
    match event {
        Event::Message(queued) => Some(EventRef::Message(message.insert(queued.to_message(to)))),
        Event::Dispatch(dispatch) => Some(EventRef::Dispatch {
            to,
            method: dispatch.method,
            name: dispatch.name,
        }),
        Event::Exited(from) => Some(EventRef::Exited { from, to }),
        Event::Http(event) => Some(EventRef::Http {
            to,
            request: &event.request,
        }),
        Event::Terminate { .. } | Event::Inspect(_) => None,
    }
}
