//! A handler that panics: contained to the event it was serving. A daemon
//! then does what Mesos does on a failed `CHECK`: logs the process, the
//! event and the panic, and aborts the OS process so that its supervisor
//! restarts it. A test runtime instead records the fault, terminates the
//! process, and fails the test at its next await, settle or end, naming
//! them, rather than leaving it to hang on a process that is gone.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use parking_lot::Mutex;

use crate::UPID;

/// A panic out of a process' handler.
pub(crate) struct Fault {
    /// What the process was serving (`message 'ping' from ...`).
    event: String,
    /// The panic's message.
    message: String,
}

/// Runs `f`, turning a panic into a [`Fault`] described by `describe`
/// (called only then, so serving an event costs no formatting).
#[inline(always)]
pub(crate) fn guard<R>(
    f: impl FnOnce() -> R,
    describe: impl FnOnce() -> String,
) -> Result<R, Fault> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| Fault {
        event: describe(),
        message: panic_text(payload.as_ref()),
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
