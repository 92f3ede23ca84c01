//! Continuations on futures: `then`, `map`, `repair`, `recover`, `after`.
//! Discard requests on a continuation's future travel up to its source;
//! an abandoned source abandons the continuation.

use std::sync::Arc;

use parking_lot::Mutex;
use stout::Duration;

use crate::future::{take, Future, Outcome, Promise};
use crate::Clock;

impl<T: Clone + Send + Sync + 'static> Future<T> {
    /// The promise and future of a continuation of this future; a discard
    /// requested on the continuation travels up to this one.
    fn chained<U: Send + Sync + 'static>(&self) -> (Promise<U>, Future<U>) {
        let promise = Promise::new();
        let result = promise.future();
        let source = self.downgrade();
        result.on_discard(move || {
            if let Some(source) = source.upgrade() {
                source.discard();
            }
        });
        (promise, result)
    }

    /// When ready, continues with `f(value)`; a failure or discard passes
    /// through, and a value that arrives after a discard was requested
    /// gives a discarded result (libprocess' `then`).
    pub fn then<U, F>(&self, f: F) -> Future<U>
    where
        U: Clone + Send + Sync + 'static,
        F: FnOnce(T) -> Future<U> + Send + 'static,
    {
        let (promise, result) = self.chained();
        self.on_any_ref(move |source| match source.outcome() {
            Some(Outcome::Ready(_)) if source.has_discard() => {
                promise.discard();
            }
            Some(Outcome::Ready(value)) => {
                promise.associate(f(value.clone()));
            }
            Some(Outcome::Failed(message)) => {
                promise.fail(message.clone());
            }
            Some(Outcome::Discarded) | None => {
                promise.discard();
            }
        });
        result
    }

    /// [`Future::then`] with a plain value.
    pub fn map<U, F>(&self, f: F) -> Future<U>
    where
        U: Clone + Send + Sync + 'static,
        F: FnOnce(T) -> U + Send + 'static,
    {
        self.then(move |value| Future::ready(f(value)))
    }

    /// When failed, continues with `f(self)`; otherwise mirrors the future.
    pub fn repair<F>(&self, f: F) -> Future<T>
    where
        F: FnOnce(&Future<T>) -> Future<T> + Send + 'static,
    {
        let (promise, result) = self.chained();
        self.on_any_ref(move |source| {
            if source.is_failed() {
                promise.associate(f(source));
            } else {
                promise.associate(source.clone());
            }
        });
        result
    }

    /// When failed, discarded or abandoned, continues with `f(self)`;
    /// otherwise mirrors the future.
    pub fn recover<F>(&self, f: F) -> Future<T>
    where
        F: FnOnce(&Future<T>) -> Future<T> + Send + 'static,
    {
        let (promise, result) = self.chained();
        // A discard that led here is not passed on to the recovery: the
        // result's discard flag is cleared before associating with it.
        let f = move |source: &Future<T>, promise: &Promise<T>| {
            promise.future().clear_discard();
            promise.associate(f(source));
        };
        let promise = Arc::new(Mutex::new(Some(promise)));
        let f = Arc::new(Mutex::new(Some(f)));
        let (on_any, on_any_f) = (promise.clone(), f.clone());
        self.on_any_ref(move |source| {
            let (Some(promise), Some(f)) = (on_any.lock().take(), on_any_f.lock().take()) else {
                return;
            };
            if source.is_ready() {
                promise.associate(source.clone());
            } else {
                f(source, &promise);
            }
        });
        let weak = self.downgrade();
        self.on_abandoned(move || {
            let (Some(promise), Some(f)) = (promise.lock().take(), f.lock().take()) else {
                return;
            };
            if let Some(source) = weak.upgrade() {
                f(&source, &promise);
            }
        });
        result
    }

    /// Mirrors the future, unless it is still pending after `duration` on
    /// the [`Clock`]: then continues with `f(self)` (typically a discard
    /// and a failure).
    pub fn after<F>(&self, duration: Duration, f: F) -> Future<T>
    where
        F: FnOnce(&Future<T>) -> Future<T> + Send + 'static,
    {
        let (promise, result) = self.chained();
        let promise = Arc::new(Mutex::new(Some(promise)));
        let source = self.clone();
        let on_timeout = promise.clone();
        let timer = Clock::timer(duration, move || {
            if let Some(promise) = take(&on_timeout) {
                promise.associate(f(&source));
            }
        });
        self.on_any_ref(move |source| {
            if let Some(promise) = take(&promise) {
                Clock::cancel(&timer);
                promise.associate(source.clone());
            }
        });
        result
    }
}

/// A future that mirrors `future` but ignores discard requests (libprocess'
/// `undiscardable`).
pub fn undiscardable<T: Clone + Send + Sync + 'static>(future: &Future<T>) -> Future<T> {
    let promise = Promise::new();
    let result = promise.future();
    future.on_any_ref(move |source| match source.outcome() {
        Some(Outcome::Ready(value)) => {
            promise.set(value.clone());
        }
        Some(Outcome::Failed(message)) => {
            promise.fail(message.clone());
        }
        _ => {
            promise.discard();
        }
    });
    result
}

/// Wraps a continuation so that the future it returns ignores discard
/// requests (libprocess' `undiscardable(f)`).
pub fn undiscardable_fn<A, T, F>(f: F) -> impl FnOnce(A) -> Future<T> + Send + 'static
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(A) -> Future<T> + Send + 'static,
{
    move |value| undiscardable(&f(value))
}
