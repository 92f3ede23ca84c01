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

/// One step of a loop, run where the loop runs, with that place's state.
type Step<C> = Box<dyn FnOnce(&mut C) + Send>;

/// Runs a step where the loop runs (a process of its own, or the caller's).
type Schedule<C> = Box<dyn Fn(Step<C>) + Send + Sync>;

struct Loop<C: 'static, T: 'static, V: Send + Sync + 'static, I, B> {
    iterate: Mutex<I>,
    body: Mutex<B>,
    promise: Promise<V>,
    /// Discards whichever future the loop waits on.
    blocker: Mutex<Option<Box<dyn Fn() + Send>>>,
    schedule: Schedule<C>,
    _value: std::marker::PhantomData<fn() -> T>,
}

impl<C, T, V, I, B> Loop<C, T, V, I, B>
where
    C: 'static,
    T: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    I: FnMut(&mut C) -> Future<T> + Send + 'static,
    B: FnMut(&mut C, T) -> Future<ControlFlow<V>> + Send + 'static,
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

    /// Goes round while the futures are already complete; otherwise comes
    /// back through `schedule` once the one it waits on completes.
    fn run(self: Arc<Self>, context: &mut C, mut next: Future<T>) {
        loop {
            match next.outcome() {
                Some(Outcome::Ready(value)) => {
                    let flow = (self.body.lock())(context, value.clone());
                    match flow.outcome() {
                        Some(Outcome::Ready(ControlFlow::Continue)) => {
                            next = (self.iterate.lock())(context);
                        }
                        Some(Outcome::Ready(ControlFlow::Break(value))) => {
                            self.promise.set(value.clone());
                            return;
                        }
                        Some(_) => return self.finish(&flow),
                        None => {
                            self.block_on(&flow);
                            let this = self.clone();
                            flow.on_any(move |flow| this.resume(flow));
                            return;
                        }
                    }
                }
                Some(_) => return self.finish(&next),
                None => {
                    self.block_on(&next);
                    let this = self.clone();
                    next.on_any(move |next| {
                        let again = this.clone();
                        (this.schedule)(Box::new(move |context| again.run(context, next)));
                    });
                    return;
                }
            }
        }
    }

    fn resume(self: Arc<Self>, flow: Future<ControlFlow<V>>) {
        let this = self.clone();
        (self.schedule)(Box::new(move |context| match flow.outcome() {
            Some(Outcome::Ready(ControlFlow::Continue)) => {
                let next = (this.iterate.lock())(context);
                this.run(context, next);
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

fn start<C, T, V, I, B>(schedule: Schedule<C>, iterate: I, body: B) -> Future<V>
where
    C: 'static,
    T: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    I: FnMut(&mut C) -> Future<T> + Send + 'static,
    B: FnMut(&mut C, T) -> Future<ControlFlow<V>> + Send + 'static,
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
    let weak: Weak<Loop<C, T, V, I, B>> = Arc::downgrade(&state);
    result.on_discard(move || {
        if let Some(state) = weak.upgrade() {
            if let Some(discard) = state.blocker.lock().as_ref() {
                discard();
            }
        }
    });
    let run = state.clone();
    (state.schedule)(Box::new(move |context| {
        let first = (run.iterate.lock())(context);
        run.run(context, first)
    }));
    result
}

/// Repeats `iterate()` then `body(value)` until the body returns
/// `Break(v)`; the future is then ready with `v`. A failure or discard of
/// either fails or discards the loop; discarding the loop discards the
/// future it is waiting on. The loop runs on a process of its own, which
/// terminates when the loop ends.
pub fn loop_<T, V, I, B>(mut iterate: I, mut body: B) -> Future<V>
where
    T: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    I: FnMut() -> Future<T> + Send + 'static,
    B: FnMut(T) -> Future<ControlFlow<V>> + Send + 'static,
{
    let executor = Arc::new(crate::Executor::new());
    let runs = executor.clone();
    let result = start(
        Box::new(move |step: Step<()>| {
            runs.execute(move || step(&mut ()));
        }),
        move |_: &mut ()| iterate(),
        move |_: &mut (), value| body(value),
    );
    // The executor terminates when the last reference goes: after the loop.
    result.on_any(move |_| drop(executor));
    result
}

/// [`loop_`] on the process `pid` (libprocess' `loop(pid, ...)`): every
/// step runs there, in order with the process' other events, and `iterate`
/// and `body` get the process itself, as its handlers do. If the process
/// terminates first, the loop's future is abandoned.
pub fn loop_on<P, T, V, I, B>(pid: &PID<P>, iterate: I, body: B) -> Future<V>
where
    P: Process,
    T: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    I: FnMut(&mut P) -> Future<T> + Send + 'static,
    B: FnMut(&mut P, T) -> Future<ControlFlow<V>> + Send + 'static,
{
    let pid = pid.clone();
    start(
        Box::new(move |step: Step<P>| {
            dispatch(&pid, step);
        }),
        iterate,
        body,
    )
}
