//! `Future` and `Promise` with libprocess' semantics: a future is pending,
//! then exactly one of ready, failed or discarded; independently a discard
//! may have been requested, and a future whose promise is gone without
//! completing it is abandoned.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, OnceLock, Weak};
use std::task::{Context, Poll, Waker};

use parking_lot::{Condvar, Mutex};

/// How a future completed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    /// Completed with a value.
    Ready(T),
    /// Failed with a message.
    Failed(String),
    /// Discarded by its producer.
    Discarded,
}

/// Why awaiting a future produced no value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FutureError {
    /// The future failed with this message.
    Failed(String),
    /// The future was discarded.
    Discarded,
    /// No promise will ever complete the future.
    Abandoned,
}

impl fmt::Display for FutureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FutureError::Failed(message) => f.write_str(message),
            FutureError::Discarded => f.write_str("future discarded"),
            FutureError::Abandoned => f.write_str("future abandoned"),
        }
    }
}

impl std::error::Error for FutureError {}

type ReadyFn<T> = Box<dyn FnOnce(&T) + Send>;
type FailedFn = Box<dyn FnOnce(&str) + Send>;
type AnyFn<T> = Box<dyn FnOnce(&Future<T>) + Send>;
type Thunk = Box<dyn FnOnce() + Send>;

struct Callbacks<T: 'static> {
    ready: Vec<ReadyFn<T>>,
    failed: Vec<FailedFn>,
    discarded: Vec<Thunk>,
    any: Vec<AnyFn<T>>,
}

impl<T> Default for Callbacks<T> {
    fn default() -> Self {
        Callbacks {
            ready: Vec::new(),
            failed: Vec::new(),
            discarded: Vec::new(),
            any: Vec::new(),
        }
    }
}

struct Inner<T: 'static> {
    callbacks: Callbacks<T>,
    on_discard: Vec<Thunk>,
    on_abandoned: Vec<Thunk>,
    wakers: Vec<Waker>,
    discard: bool,
    abandoned: bool,
    /// A promise was associated: only the associated future completes it.
    associated: bool,
}

struct Shared<T: 'static> {
    outcome: OnceLock<Outcome<T>>,
    inner: Mutex<Inner<T>>,
    cond: Condvar,
}

/// A value that becomes available later (libprocess' `Future<T>`).
/// Cloning gives another handle on the same future.
pub struct Future<T: 'static> {
    shared: Arc<Shared<T>>,
}

/// A handle that does not keep the future alive (libprocess'
/// `WeakFuture`).
pub struct WeakFuture<T: 'static> {
    shared: Weak<Shared<T>>,
}

impl<T: 'static> fmt::Debug for WeakFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WeakFuture")
    }
}

impl<T: 'static> WeakFuture<T> {
    /// The future, if something still holds it.
    pub fn upgrade(&self) -> Option<Future<T>> {
        self.shared.upgrade().map(|shared| Future { shared })
    }
}

impl<T: 'static> Clone for Future<T> {
    fn clone(&self) -> Future<T> {
        Future {
            shared: self.shared.clone(),
        }
    }
}

impl<T: Send + Sync + 'static> Future<T> {
    fn pending() -> Future<T> {
        Future {
            shared: Arc::new(Shared {
                outcome: OnceLock::new(),
                inner: Mutex::new(Inner {
                    callbacks: Callbacks::default(),
                    on_discard: Vec::new(),
                    on_abandoned: Vec::new(),
                    wakers: Vec::new(),
                    discard: false,
                    abandoned: false,
                    associated: false,
                }),
                cond: Condvar::new(),
            }),
        }
    }

    fn completed(outcome: Outcome<T>) -> Future<T> {
        let future = Future::pending();
        let _ = future.shared.outcome.set(outcome);
        future
    }

    /// A future that is already ready with `value`.
    pub fn ready(value: T) -> Future<T> {
        Future::completed(Outcome::Ready(value))
    }

    /// A future that has already failed with `message` (libprocess'
    /// `Failure`).
    pub fn failed(message: impl Into<String>) -> Future<T> {
        Future::completed(Outcome::Failed(message.into()))
    }

    /// Ready with the value, or failed with the error's message.
    pub fn from_try(value: stout::Try<T>) -> Future<T> {
        match value {
            Ok(value) => Future::ready(value),
            Err(error) => Future::failed(error.message()),
        }
    }

    /// The future itself, or one failed with the error's message.
    pub fn from_try_future(value: stout::Try<Future<T>>) -> Future<T> {
        match value {
            Ok(future) => future,
            Err(error) => Future::failed(error.message()),
        }
    }

    /// Forgets a discard request, so a later one is accepted (and
    /// propagates) again; `recover` does this before its callback.
    pub(crate) fn clear_discard(&self) {
        self.shared.inner.lock().discard = false;
    }

    /// A future that is already discarded.
    pub fn discarded() -> Future<T> {
        Future::completed(Outcome::Discarded)
    }

    /// A weak handle on this future.
    pub fn downgrade(&self) -> WeakFuture<T> {
        WeakFuture {
            shared: Arc::downgrade(&self.shared),
        }
    }

    /// How it completed; `None` while pending.
    pub fn outcome(&self) -> Option<&Outcome<T>> {
        self.shared.outcome.get()
    }

    /// Still pending (abandoned futures stay pending).
    pub fn is_pending(&self) -> bool {
        self.outcome().is_none()
    }

    /// Completed with a value.
    pub fn is_ready(&self) -> bool {
        matches!(self.outcome(), Some(Outcome::Ready(_)))
    }

    /// Failed.
    pub fn is_failed(&self) -> bool {
        matches!(self.outcome(), Some(Outcome::Failed(_)))
    }

    /// Discarded by its producer.
    pub fn is_discarded(&self) -> bool {
        matches!(self.outcome(), Some(Outcome::Discarded))
    }

    /// No promise will complete it any more.
    pub fn is_abandoned(&self) -> bool {
        self.shared.inner.lock().abandoned
    }

    /// A discard was requested (it may still complete otherwise).
    pub fn has_discard(&self) -> bool {
        self.shared.inner.lock().discard
    }

    /// The value, if ready.
    pub fn value(&self) -> Option<&T> {
        match self.outcome() {
            Some(Outcome::Ready(value)) => Some(value),
            _ => None,
        }
    }

    /// The failure message, if failed.
    pub fn failure(&self) -> Option<&str> {
        match self.outcome() {
            Some(Outcome::Failed(message)) => Some(message),
            _ => None,
        }
    }

    /// A word for the state, for messages: `READY`, `PENDING`, `FAILED`,
    /// `DISCARDED` or `ABANDONED`.
    pub fn state_name(&self) -> &'static str {
        match self.outcome() {
            Some(Outcome::Ready(_)) => "READY",
            Some(Outcome::Failed(_)) => "FAILED",
            Some(Outcome::Discarded) => "DISCARDED",
            None if self.is_abandoned() => "ABANDONED",
            None => "PENDING",
        }
    }

    /// Requests that the producer stop: runs the `on_discard` callbacks.
    /// The future stays pending until its promise discards it. False when
    /// already requested or completed.
    pub fn discard(&self) -> bool {
        let callbacks = {
            let mut inner = self.shared.inner.lock();
            if inner.discard || self.outcome().is_some() {
                return false;
            }
            inner.discard = true;
            std::mem::take(&mut inner.on_discard)
        };
        for callback in callbacks {
            callback();
        }
        true
    }

    /// Blocks the thread until the future completes, at most `timeout`;
    /// returns early (false) if it is abandoned. True when completed.
    pub fn wait_for(&self, timeout: stout::Duration) -> bool {
        if self.outcome().is_some() {
            return true;
        }
        // In a simulation, waiting is what runs the processes.
        let done = || self.outcome().is_some() || self.shared.inner.lock().abandoned;
        if crate::simulation::drive_until(&done, timeout.to_std()).is_some() {
            return self.outcome().is_some();
        }
        crate::scheduler::before_blocking();
        let deadline = std::time::Instant::now() + timeout.to_std().unwrap_or_default();
        let mut inner = self.shared.inner.lock();
        loop {
            if self.outcome().is_some() {
                return true;
            }
            if inner.abandoned {
                return false;
            }
            if self
                .shared
                .cond
                .wait_until(&mut inner, deadline)
                .timed_out()
            {
                return self.outcome().is_some();
            }
        }
    }

    /// Queues `callback` unless the future completed (then it is handed
    /// back to run now) or was abandoned (then it never runs).
    fn register<C>(
        &self,
        pick: impl FnOnce(&mut Inner<T>) -> &mut Vec<C>,
        callback: C,
    ) -> Option<C> {
        let mut inner = self.shared.inner.lock();
        if self.outcome().is_some() {
            return Some(callback);
        }
        if inner.abandoned {
            // Never completes: the callback will never run.
            return None;
        }
        pick(&mut inner).push(callback);
        None
    }

    /// Runs `f` once completed, whichever way, with this future (libprocess'
    /// `onAny`); whatever `f` returns is dropped, so a continuation from
    /// [`defer`](crate::defer()) fits as it is.
    pub fn on_any<R>(&self, f: impl FnOnce(Future<T>) -> R + Send + 'static) -> &Future<T> {
        self.on_any_ref(move |future| {
            f(future.clone());
        })
    }

    /// [`Future::on_any`] with a borrowed future, for the combinators.
    pub(crate) fn on_any_ref(&self, f: impl FnOnce(&Future<T>) + Send + 'static) -> &Future<T> {
        let f: AnyFn<T> = Box::new(f);
        if let Some(f) = self.register(|i| &mut i.callbacks.any, f) {
            f(self);
        }
        self
    }

    /// Runs `f` with the failure message once failed (libprocess'
    /// `onFailed`); whatever `f` returns is dropped.
    pub fn on_failed<R>(&self, f: impl FnOnce(String) -> R + Send + 'static) -> &Future<T> {
        let f: FailedFn = Box::new(move |message| {
            f(message.to_string());
        });
        if let Some(f) = self.register(|i| &mut i.callbacks.failed, f) {
            if let Some(Outcome::Failed(message)) = self.outcome() {
                f(message);
            }
        }
        self
    }

    /// Runs `f` once discarded.
    pub fn on_discarded(&self, f: impl FnOnce() + Send + 'static) -> &Future<T> {
        let f: Thunk = Box::new(f);
        if let Some(f) = self.register(|i| &mut i.callbacks.discarded, f) {
            if self.is_discarded() {
                f();
            }
        }
        self
    }

    /// Runs `f` when a discard is requested (right away if it was).
    pub fn on_discard(&self, f: impl FnOnce() + Send + 'static) -> &Future<T> {
        let run_now = {
            let mut inner = self.shared.inner.lock();
            if inner.discard {
                true
            } else if self.outcome().is_some() {
                false
            } else {
                inner.on_discard.push(Box::new(f));
                return self;
            }
        };
        if run_now {
            f();
        }
        self
    }

    /// Runs `f` once the future is abandoned (right away if it is).
    pub fn on_abandoned(&self, f: impl FnOnce() + Send + 'static) -> &Future<T> {
        let run_now = {
            let mut inner = self.shared.inner.lock();
            if inner.abandoned {
                true
            } else if self.outcome().is_some() {
                false
            } else {
                inner.on_abandoned.push(Box::new(f));
                return self;
            }
        };
        if run_now {
            f();
        }
        self
    }

    /// Completes the future; false if it already was, or if it was
    /// associated with another future and `force` is not set.
    pub(crate) fn complete(&self, outcome: Outcome<T>, force: bool) -> bool {
        let (callbacks, wakers) = {
            let mut inner = self.shared.inner.lock();
            if (inner.associated && !force) || self.shared.outcome.set(outcome).is_err() {
                return false;
            }
            inner.on_discard.clear();
            inner.on_abandoned.clear();
            (
                std::mem::take(&mut inner.callbacks),
                std::mem::take(&mut inner.wakers),
            )
        };
        self.shared.cond.notify_all();
        for waker in wakers {
            waker.wake();
        }
        let outcome = self.outcome().expect("just completed");
        match outcome {
            Outcome::Ready(value) => callbacks.ready.into_iter().for_each(|f| f(value)),
            Outcome::Failed(message) => callbacks.failed.into_iter().for_each(|f| f(message)),
            Outcome::Discarded => callbacks.discarded.into_iter().for_each(|f| f()),
        }
        for f in callbacks.any {
            f(self);
        }
        true
    }

    /// Marks the future abandoned: its waiting callbacks are dropped (which
    /// abandons futures chained on it) and `on_abandoned` ones run.
    pub(crate) fn abandon(&self) {
        let (callbacks, on_abandoned, wakers) = {
            let mut inner = self.shared.inner.lock();
            if inner.abandoned || self.outcome().is_some() {
                return;
            }
            inner.abandoned = true;
            (
                std::mem::take(&mut inner.callbacks),
                std::mem::take(&mut inner.on_abandoned),
                std::mem::take(&mut inner.wakers),
            )
        };
        self.shared.cond.notify_all();
        for waker in wakers {
            waker.wake();
        }
        drop(callbacks);
        for f in on_abandoned {
            f();
        }
    }
}

impl<T: Send + Sync + 'static> Default for Future<T> {
    /// A pending future that no promise will ever complete: abandoned.
    fn default() -> Future<T> {
        let future = Future::pending();
        future.shared.inner.lock().abandoned = true;
        future
    }
}

impl<T: Send + Sync + 'static> fmt::Display for Future<T> {
    /// libprocess' text: `Pending`, `Abandoned`, `Ready`, `Failed:
    /// <message>`, `Discarded`, with ` (with discard)` after the word when
    /// a discard was requested.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (discard, abandoned) = {
            let inner = self.shared.inner.lock();
            (inner.discard, inner.abandoned)
        };
        let word = match self.outcome() {
            None if abandoned => "Abandoned",
            None => "Pending",
            Some(Outcome::Ready(_)) => "Ready",
            Some(Outcome::Failed(_)) => "Failed",
            Some(Outcome::Discarded) => "Discarded",
        };
        f.write_str(word)?;
        if discard {
            f.write_str(" (with discard)")?;
        }
        if let Some(message) = self.failure() {
            write!(f, ": {}", message)?;
        }
        Ok(())
    }
}

impl<T: Send + Sync + 'static> fmt::Debug for Future<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Future({})", self)
    }
}

impl<T: Clone + Send + Sync + 'static> Future<T> {
    /// Runs `f` with (a copy of) the value once ready, right away if it
    /// already is (libprocess' `onReady`); whatever `f` returns is dropped.
    pub fn on_ready<R>(&self, f: impl FnOnce(T) -> R + Send + 'static) -> &Future<T> {
        let f: ReadyFn<T> = Box::new(move |value| {
            f(value.clone());
        });
        if let Some(f) = self.register(|i| &mut i.callbacks.ready, f) {
            if let Some(Outcome::Ready(value)) = self.outcome() {
                f(value);
            }
        }
        self
    }
}

impl<T: Clone + Send + Sync + 'static> std::future::Future for Future<T> {
    type Output = Result<T, FutureError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let output = |outcome: &Outcome<T>| match outcome {
            Outcome::Ready(value) => Ok(value.clone()),
            Outcome::Failed(message) => Err(FutureError::Failed(message.clone())),
            Outcome::Discarded => Err(FutureError::Discarded),
        };
        if let Some(outcome) = self.outcome() {
            return Poll::Ready(output(outcome));
        }
        let mut inner = self.shared.inner.lock();
        if let Some(outcome) = self.outcome() {
            return Poll::Ready(output(outcome));
        }
        if inner.abandoned {
            return Poll::Ready(Err(FutureError::Abandoned));
        }
        if !inner.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            inner.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// The producer side of a [`Future`] (libprocess' `Promise<T>`). Dropping
/// a promise that neither completed nor associated its future abandons it.
pub struct Promise<T: Send + Sync + 'static> {
    future: Future<T>,
}

impl<T: Send + Sync + 'static> Promise<T> {
    /// A promise with a pending future.
    pub fn new() -> Promise<T> {
        Promise {
            future: Future::pending(),
        }
    }

    /// The future this promise completes.
    pub fn future(&self) -> Future<T> {
        self.future.clone()
    }

    /// Completes the future with `value`; false if already completed or
    /// associated.
    pub fn set(&self, value: T) -> bool {
        self.future.complete(Outcome::Ready(value), false)
    }

    /// Fails the future; false if already completed or associated.
    pub fn fail(&self, message: impl Into<String>) -> bool {
        self.future.complete(Outcome::Failed(message.into()), false)
    }

    /// Discards the future; false if already completed or associated.
    pub fn discard(&self) -> bool {
        self.future.complete(Outcome::Discarded, false)
    }
}

impl<T: Clone + Send + Sync + 'static> Promise<T> {
    /// Makes the future mirror `other`: it completes as `other` does, a
    /// discard requested on it is requested on `other`, and it is abandoned
    /// if `other` is. False if already completed or associated.
    pub fn associate(&self, other: Future<T>) -> bool {
        {
            let mut inner = self.future.shared.inner.lock();
            if inner.associated || self.future.outcome().is_some() {
                return false;
            }
            inner.associated = true;
        }
        let weak_other = other.downgrade();
        self.future.on_discard(move || {
            if let Some(other) = weak_other.upgrade() {
                other.discard();
            }
        });
        // Strong: whoever completes `other` must keep this future alive.
        let target = self.future.clone();
        let abandoned = self.future.clone();
        other.on_any_ref(move |other| {
            if let Some(outcome) = other.outcome() {
                target.complete(outcome.clone(), true);
            }
        });
        other.on_abandoned(move || abandoned.abandon());
        true
    }
}

impl<T: Send + Sync + 'static> Default for Promise<T> {
    fn default() -> Promise<T> {
        Promise::new()
    }
}

impl<T: Send + Sync + 'static> Drop for Promise<T> {
    fn drop(&mut self) {
        let associated = self.future.shared.inner.lock().associated;
        if !associated {
            self.future.abandon();
        }
    }
}

impl<T: Send + Sync + 'static> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Promise({})", self.future.state_name())
    }
}

/// Takes what a shared slot holds, releasing the lock before the caller
/// acts on it (an `if let` on `slot.lock().take()` would hold the lock for
/// its whole body, and completing a future may re-enter the slot).
pub(crate) fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().take()
}
