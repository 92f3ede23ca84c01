//! `Sequence`: runs callbacks that return futures one after another, in
//! the order they were added (libprocess' `process::Sequence`).

use crate::future::{Future, Promise};
use crate::{spawn, terminate, wait, Process, PID};

/// Serializes asynchronous work: each callback given to [`Sequence::add`]
/// runs only once the futures of all the callbacks added before it have
/// completed (ready, failed or discarded).
///
/// Discarding the future `add` returned skips its callback if it has not
/// run yet (later callbacks are unaffected, and run once this one's future
/// is actually discarded); if it is running, the discard goes to the
/// future the callback returned. Dropping the sequence, after the adds
/// made before, discards every callback that has not run yet and requests
/// a discard of the running one.
///
/// A callback runs on whichever thread completed the previous one's
/// future: give it a [`defer`](crate::defer())red continuation to run it on a
/// process.
pub struct Sequence {
    pid: PID<SequenceProcess>,
}

impl std::fmt::Debug for Sequence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sequence").field("pid", &self.pid).finish()
    }
}

impl Sequence {
    /// A sequence whose process id is `sequence(N)`.
    pub fn new() -> Sequence {
        Sequence::with_id("sequence")
    }

    /// A sequence whose process id is `<prefix>(N)`.
    pub fn with_id(prefix: &str) -> Sequence {
        Sequence {
            pid: spawn(SequenceProcess {
                prefix: prefix.to_string(),
                last: Future::ready(()),
            }),
        }
    }

    /// Runs `callback` once every callback added before has completed; the
    /// future follows the one `callback` returns.
    pub fn add<T, F>(&self, callback: F) -> Future<T>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Future<T> + Send + 'static,
    {
        // Associated with what `add` returns on the process, so that a
        // discard travels through the dispatch.
        crate::__private::dispatch(
            &self.pid,
            crate::__private::tag_of(&SequenceProcess::add::<T, F>),
            move |process: &mut SequenceProcess| process.add(callback),
        )
    }
}

impl Default for Sequence {
    fn default() -> Sequence {
        Sequence::new()
    }
}

impl Drop for Sequence {
    fn drop(&mut self) {
        // Not injected: the adds already queued are served first.
        terminate(&self.pid, false);
        wait(&self.pid, None);
    }
}

struct SequenceProcess {
    prefix: String,
    /// Completes when the last callback added so far has completed; a
    /// discard requested on it discards, from the last callback back to
    /// the first, every callback not yet completed.
    last: Future<()>,
}

impl SequenceProcess {
    fn add<T, F>(&mut self, callback: F) -> Future<T>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Future<T> + Send + 'static,
    {
        // `notifier` completes once this callback's future has, which lets
        // the next callback run.
        let notifier = Promise::<()>::new();
        let notified = notifier.future();
        let promise = Promise::<T>::new();
        let result = promise.future();

        result.on_any(move |_| notifier.set(()));

        self.last.on_any(move |_| {
            if promise.future().has_discard() {
                // Discarded before its turn: skipped.
                promise.discard();
            } else {
                promise.associate(callback());
            }
        });

        // Weak handles: the notifiers must not keep the callbacks' futures
        // (or each other) alive.
        let weak_result = result.downgrade();
        let previous = self.last.downgrade();
        notified.on_discard(move || {
            if let Some(result) = weak_result.upgrade() {
                result.discard();
            }
            if let Some(previous) = previous.upgrade() {
                previous.discard();
            }
        });

        self.last = notified;
        result
    }
}

impl Process for SequenceProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        self.prefix.clone().into()
    }

    fn finalize(&mut self) {
        self.last.discard();
    }
}
