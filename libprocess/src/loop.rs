//! `loop_`: repeat an asynchronous `iterate` then `body` until the body
//! breaks, without growing the stack.

use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use crate::future::{Future, Outcome, Promise};
use crate::{dispatch, Process, PID};

/// What a loop body says: go on, or stop with a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControlFlow<V> {
    /// Run `iterate` and the body again.
    Continue,
    /// Stop; the loop's future is ready with this value.
    Break(V),
}

type Schedule = Box<dyn Fn(Box<dyn FnOnce() + Send>) + Send + Sync>;

struct Loop<T: 'static, V: Send + Sync + 'static, I, B> {
    iterate: Mutex<I>,
    body: Mutex<B>,
    promise: Promise<V>,
    /// Discards whichever future the loop waits on.
    blocker: Mutex<Option<Box<dyn Fn() + Send>>>,
    schedule: Schedule,
    _value: std::marker::PhantomData<fn() -> T>,
}

impl<T, V, I, B> Loop<T, V, I, B>
where
    T: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    I: FnMut() -> Future<T> + Send + 'static,
    B: FnMut(T) -> Future<ControlFlow<V>> + Send + 'static,
{
    fn block_on<X: Send + Sync + 'static>(self: &Arc<Self>, future: &Future<X>) {
        let weak = future.downgrade();
        *self.blocker.lock() = Some(Box::new(move || {
            if let Some(f) = weak.upgrade() {
                f.discard();
            }
        }));
        if self.promise.future().has_discard() {
            future.discard();
        }
    }

    fn run(self: Arc<Self>, mut next: Future<T>) {
        loop {
            match next.outcome() {
                Some(Outcome::Ready(value)) => {
                    let flow = (self.body.lock())(value.clone());
                    match flow.outcome() {
                        Some(Outcome::Ready(ControlFlow::Continue)) => {
                            next = (self.iterate.lock())();
                        }
                        Some(Outcome::Ready(ControlFlow::Break(value))) => {
                            self.promise.set(value.clone());
                            return;
                        }
                        Some(_) => return self.finish(&flow),
                        None => {
                            self.block_on(&flow);
                            let this = self.clone();
                            flow.on_any(move |flow| this.resume(flow.clone()));
                            return;
                        }
                    }
                }
                Some(_) => return self.finish(&next),
                None => {
                    self.block_on(&next);
                    let this = self.clone();
                    next.on_any(move |next| {
                        let (next, again) = (next.clone(), this.clone());
                        (this.schedule)(Box::new(move || again.run(next)));
                    });
                    return;
                }
            }
        }
    }

    fn resume(self: Arc<Self>, flow: Future<ControlFlow<V>>) {
        let this = self.clone();
        (self.schedule)(Box::new(move || match flow.outcome() {
            Some(Outcome::Ready(ControlFlow::Continue)) => {
                let next = (this.iterate.lock())();
                this.run(next);
            }
            Some(Outcome::Ready(ControlFlow::Break(value))) => {
                this.promise.set(value.clone());
            }
            _ => this.finish(&flow),
        }));
    }

    /// Passes a failure or discard of an inner future on to the loop.
    fn finish<X: Send + Sync + 'static>(&self, future: &Future<X>) {
        match future.outcome() {
            Some(Outcome::Failed(message)) => {
                self.promise.fail(message.clone());
            }
            _ => {
                self.promise.discard();
            }
        }
    }
}

fn start<T, V, I, B>(schedule: Schedule, iterate: I, body: B) -> Future<V>
where
    T: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    I: FnMut() -> Future<T> + Send + 'static,
    B: FnMut(T) -> Future<ControlFlow<V>> + Send + 'static,
{
    let state = Arc::new(Loop {
        iterate: Mutex::new(iterate),
        body: Mutex::new(body),
        promise: Promise::new(),
        blocker: Mutex::new(None),
        schedule,
        _value: std::marker::PhantomData,
    });
    let result = state.promise.future();
    let weak: Weak<Loop<T, V, I, B>> = Arc::downgrade(&state);
    result.on_discard(move || {
        if let Some(state) = weak.upgrade() {
            if let Some(discard) = state.blocker.lock().as_ref() {
                discard();
            }
        }
    });
    let run = state.clone();
    (state.schedule)(Box::new(move || {
        let first = (run.iterate.lock())();
        run.run(first)
    }));
    result
}

/// Repeats `iterate()` then `body(value)` until the body returns
/// `Break(v)`; the future is then ready with `v`. A failure or discard of
/// either fails or discards the loop; discarding the loop discards the
/// future it is waiting on. The loop runs on a process of its own, which
/// terminates when the loop ends.
pub fn loop_<T, V, I, B>(iterate: I, body: B) -> Future<V>
where
    T: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    I: FnMut() -> Future<T> + Send + 'static,
    B: FnMut(T) -> Future<ControlFlow<V>> + Send + 'static,
{
    let executor = Arc::new(crate::Executor::new());
    let runs = executor.clone();
    let result = start(
        Box::new(move |f| {
            runs.execute(f);
        }),
        iterate,
        body,
    );
    // The executor terminates when the last reference goes: after the loop.
    result.on_any(move |_| drop(executor));
    result
}

/// [`loop_`] with every step run on the process `pid`.
pub fn loop_on<P, T, V, I, B>(pid: &PID<P>, iterate: I, body: B) -> Future<V>
where
    P: Process,
    T: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    I: FnMut() -> Future<T> + Send + 'static,
    B: FnMut(T) -> Future<ControlFlow<V>> + Send + 'static,
{
    let pid = pid.clone();
    start(
        Box::new(move |f| {
            dispatch(&pid, move |_| f());
        }),
        iterate,
        body,
    )
}
