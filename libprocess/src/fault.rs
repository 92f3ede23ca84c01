//! A handler that panics: contained to the event it was serving. A daemon
//! then does what Mesos does on a failed `CHECK`: logs the process, the
//! event and the panic, and aborts the OS process so that its supervisor
//! restarts it. A test runtime instead records the fault, terminates the
//! process, and fails the test at its next await, settle or end, naming
//! them, rather than leaving it to hang on a process that is gone.
//!
//! Serving an event costs nothing for this: the panic is caught once per
//! worker (or simulation step), not per event, and what was being served
//! is written down only while unwinding, by guards that a handler that
//! returns forgets.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::cell::Cell;
use crate::UPID;

thread_local! {
    /// The process and the event a panic on this thread interrupted.
    static CRASH: RefCell<(Option<Arc<Cell>>, Option<String>)> = const { RefCell::new((None, None)) };
}

/// A panic out of a process' handler.
pub(crate) struct Fault {
    /// What the process was serving (`message 'ping' from ...`).
    event: String,
    /// The panic's message.
    message: String,
}

/// Names the event a handler is serving, should it panic: create it
/// before the handler, [`Serving::done`] after.
pub(crate) struct Serving<F: FnOnce() -> String>(Option<F>);

impl<F: FnOnce() -> String> Serving<F> {
    #[inline(always)]
    pub(crate) fn new(describe: F) -> Serving<F> {
        Serving(Some(describe))
    }

    /// The handler returned: nothing to write down.
    #[inline(always)]
    pub(crate) fn done(self) {
        std::mem::forget(self);
    }
}

impl<F: FnOnce() -> String> Drop for Serving<F> {
    /// Runs only while unwinding (`done` forgets the guard otherwise).
    fn drop(&mut self) {
        if let Some(describe) = self.0.take() {
            let event = describe();
            CRASH.with(|crash| crash.borrow_mut().1 = Some(event));
        }
    }
}

/// Writes down which process was running when a panic unwound through it.
pub(crate) fn crashed_in(cell: Arc<Cell>) {
    CRASH.with(|crash| crash.borrow_mut().0 = Some(cell));
}

/// Runs `f` (a worker's loop, a simulation's step); when a handler inside
/// it panics, reports the fault (a daemon aborts there), terminates the
/// process that panicked and returns `Err`, so the caller can set its own
/// state straight and go on.
pub(crate) fn contain<R>(f: impl FnOnce() -> R) -> Result<R, ()> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let (cell, event) = CRASH.with(|crash| std::mem::take(&mut *crash.borrow_mut()));
        let Some(cell) = cell else {
            // Not a handler's panic: the runtime's own, which is a bug.
            std::panic::resume_unwind(payload)
        };
        let fault = Fault {
            event: event.unwrap_or_else(|| "an event".to_string()),
            message: panic_text(payload.as_ref()),
        };
        if let Some(runtime) = cell.runtime.upgrade() {
            runtime.faults.report(&cell.pid, fault);
            cell.crashed(&runtime);
        }
    })
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// What a runtime does with faults.
pub(crate) struct Faults {
    /// Abort the OS process (daemons), or record (tests).
    abort: bool,
    recorded: Mutex<Vec<String>>,
}

impl Faults {
    pub(crate) fn new(abort: bool) -> Faults {
        Faults {
            abort,
            recorded: Mutex::new(Vec::new()),
        }
    }

    /// `pid` panicked serving an event: abort, or record it.
    pub(crate) fn report(&self, pid: &UPID, fault: Fault) {
        let text = format!(
            "Process {} panicked serving {}: {}",
            pid, fault.event, fault.message
        );
        tracing::error!("{}", text);
        if self.abort {
            // The log may not reach a terminal: say it where a supervisor
            // looks, then die as a failed CHECK does.
            eprintln!("{}; aborting", text);
            std::process::abort();
        }
        self.recorded.lock().push(text);
    }

    /// The first recorded fault, if any.
    pub(crate) fn first(&self) -> Option<String> {
        self.recorded.lock().first().cloned()
    }
}
