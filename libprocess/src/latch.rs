//! `Latch` and `CountDownLatch`: one-shot signals (libprocess'
//! `process::Latch` and `process::CountDownLatch`).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use stout::Duration;

use crate::future::{Future, Promise};

/// A signal a thread can block on until another triggers it, once.
///
/// ```
/// use std::sync::Arc;
///
/// let latch = Arc::new(libprocess::Latch::new());
/// let trigger = latch.clone();
/// std::thread::spawn(move || trigger.trigger());
/// assert!(latch.await_(None));
/// assert!(!latch.trigger());
/// ```
pub struct Latch {
    triggered: AtomicBool,
    promise: Promise<()>,
}

impl std::fmt::Debug for Latch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Latch")
            .field("triggered", &self.triggered.load(Ordering::Acquire))
            .finish()
    }
}

impl Default for Latch {
    fn default() -> Latch {
        Latch::new()
    }
}

impl Latch {
    /// A latch not yet triggered.
    pub fn new() -> Latch {
        Latch {
            triggered: AtomicBool::new(false),
            promise: Promise::new(),
        }
    }

    /// Triggers the latch, releasing every waiter; false if it already was
    /// triggered.
    pub fn trigger(&self) -> bool {
        if self
            .triggered
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return false;
        }
        self.promise.set(());
        true
    }

    /// Blocks until the latch is triggered, at most `timeout` (`None`:
    /// without limit); whether it was triggered (libprocess' `await`).
    pub fn await_(&self, timeout: Option<Duration>) -> bool {
        if self.triggered.load(Ordering::Acquire) {
            return true;
        }
        let future = self.promise.future();
        match timeout {
            Some(timeout) => {
                future.wait_for(timeout);
            }
            // In long slices: a deadline of `Duration::MAX` from now would
            // not fit in an `Instant`.
            None => while !future.wait_for(Duration::from_days(1)) {},
        }
        self.triggered.load(Ordering::Acquire)
    }
}

/// A future that is ready once [`CountDownLatch::decrement`] has been
/// called `count` times, from any threads.
pub struct CountDownLatch {
    count: AtomicUsize,
    promise: Promise<()>,
}

impl std::fmt::Debug for CountDownLatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountDownLatch")
            .field("count", &self.count.load(Ordering::Acquire))
            .finish()
    }
}

impl Default for CountDownLatch {
    /// A latch triggered by one decrement.
    fn default() -> CountDownLatch {
        CountDownLatch::new(1)
    }
}

impl CountDownLatch {
    /// A latch triggered by `count` decrements (`0`: never triggered, as in
    /// libprocess).
    pub fn new(count: usize) -> CountDownLatch {
        CountDownLatch {
            count: AtomicUsize::new(count),
            promise: Promise::new(),
        }
    }

    /// Counts one down; the one that reaches zero triggers the latch.
    /// Past zero it does nothing.
    pub fn decrement(&self) {
        let previous = self
            .count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |count| {
                count.checked_sub(1)
            });
        if previous == Ok(1) {
            self.promise.set(());
        }
    }

    /// Ready once the count reached zero.
    pub fn triggered(&self) -> Future<()> {
        self.promise.future()
    }
}
