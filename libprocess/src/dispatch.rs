//! `dispatch`, `defer` and `delay`: running code on a process.

use std::any::{Any, TypeId};

use stout::Duration;

use crate::event::{Dispatch, DispatchFn, Event};
use crate::future::{Future, Promise};
use crate::runtime::{current_cell, Inner};
use crate::{Clock, Process, Timer, PID, UPID};

/// Queues `f` to run on the process; dropped (abandoning its promise)
/// when the process does not exist or has terminated.
fn enqueue(pid: &UPID, method: Option<TypeId>, f: DispatchFn) {
    Inner::with(|inner| match inner.lookup(pid) {
        Some(cell) => {
            inner.deliver(&cell, Event::Dispatch(Dispatch { f, method }));
        }
        None => {
            tracing::debug!(%pid, "Dropping a dispatch to an unknown process");
        }
    });
}

fn run_on<P: Process, R: Send + Sync + 'static>(
    pid: &PID<P>,
    method: Option<TypeId>,
    f: impl FnOnce(&mut P) -> R + Send + 'static,
) -> Future<R> {
    let promise = Promise::new();
    let future = promise.future();
    let to = pid.upid().clone();
    enqueue(
        pid.upid(),
        method,
        Box::new(
            move |process: &mut dyn Any| match process.downcast_mut::<P>() {
                Some(process) => {
                    promise.set(f(process));
                }
                None => tracing::error!(%to, "Dispatch to a process of another type; dropped"),
            },
        ),
    );
    future
}

/// Runs `f` on the process, in order with its other events, and returns a
/// future for its result. If the process is gone (or terminates first),
/// the future is abandoned, never left waiting forever unknowingly.
pub fn dispatch<P, R, F>(pid: &PID<P>, f: F) -> Future<R>
where
    P: Process,
    R: Send + Sync + 'static,
    F: FnOnce(&mut P) -> R + Send + 'static,
{
    run_on(pid, None, f)
}

/// A method of `P` taking `Args` as a tuple: `fn(&mut P)`,
/// `fn(&mut P, A)`, `fn(&mut P, A, B)`, `fn(&mut P, A, B, C)`. Each Rust
/// function has its own type, which is what lets tests match a dispatch of
/// one particular method ([`future_dispatch`](crate::testing::future_dispatch)).
pub trait Method<P, Args>: Send + 'static {
    /// What the method returns.
    type Output: Send + Sync + 'static;

    /// Calls the method.
    fn call(self, process: &mut P, args: Args) -> Self::Output;
}

macro_rules! method_impl {
    ($($arg:ident),*) => {
        impl<P, R, F, $($arg,)*> Method<P, ($($arg,)*)> for F
        where
            F: FnOnce(&mut P, $($arg),*) -> R + Send + 'static,
            R: Send + Sync + 'static,
        {
            type Output = R;

            #[allow(non_snake_case)]
            fn call(self, process: &mut P, ($($arg,)*): ($($arg,)*)) -> R {
                self(process, $($arg),*)
            }
        }
    };
}

method_impl!();
method_impl!(A);
method_impl!(A, B);
method_impl!(A, B, C);
method_impl!(A, B, C, D);

/// Runs `method(process, args...)` on the process; like [`dispatch`], and
/// visible to `future_dispatch`/`drop_dispatch` filters for that method.
pub fn dispatch_method<P, M, Args>(pid: &PID<P>, method: M, args: Args) -> Future<M::Output>
where
    P: Process,
    M: Method<P, Args>,
    Args: Send + 'static,
{
    run_on(pid, Some(TypeId::of::<M>()), move |process| {
        method.call(process, args)
    })
}

/// A continuation that runs on a process: calling it dispatches
/// `f(process, value)` to `pid` and returns the future of its result. Use
/// it as a future's continuation, so that the callback runs on the process
/// instead of whichever thread completed the future.
pub fn defer<P, A, R, F>(pid: &PID<P>, f: F) -> impl FnOnce(A) -> Future<R> + Send + 'static
where
    P: Process,
    A: Send + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(&mut P, A) -> R + Send + 'static,
{
    let pid = pid.clone();
    move |value| run_on(&pid, None, move |process| f(process, value))
}

/// A continuation that runs on the current process when called from
/// inside one, otherwise on the runtime's default executor process
/// (libprocess' `defer(f)` without a pid).
pub fn defer_here<A, R, F>(f: F) -> impl FnOnce(A) -> Future<R> + Send + 'static
where
    A: Send + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(A) -> R + Send + 'static,
{
    let target = match current_cell() {
        Some(cell) => cell.self_pid(),
        None => Inner::with(|inner| inner.default_executor()),
    };
    move |value| {
        let promise = Promise::new();
        let future = promise.future();
        enqueue(
            &target,
            None,
            Box::new(move |_: &mut dyn Any| {
                promise.set(f(value));
            }),
        );
        future
    }
}

/// Dispatches `f` to the process once `duration` has passed on the
/// [`Clock`]; cancel with [`Clock::cancel`].
pub fn delay<P, F>(duration: Duration, pid: &PID<P>, f: F) -> Timer
where
    P: Process,
    F: FnOnce(&mut P) + Send + 'static,
{
    let pid = pid.clone();
    Clock::timer(duration, move || {
        run_on(&pid, None, f);
    })
}

/// The running process' PID as a `PID<P>`; `None` outside a process.
/// Dispatches through it to a process that is not a `P` are dropped.
pub fn self_typed<P: Process>() -> Option<PID<P>> {
    current_cell().map(|cell| PID::from_upid(cell.self_pid()))
}

impl<T: Clone + Send + Sync + 'static> Future<Future<T>> {
    /// The inner future's outcome, once the outer one is ready.
    pub fn flatten(&self) -> Future<T> {
        self.then(|inner| inner)
    }
}
