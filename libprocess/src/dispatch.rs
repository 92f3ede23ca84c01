//! `dispatch`, `defer` and `delay`: running code on a process.
//!
//! Every dispatch carries the identity of the function it runs (its Rust
//! type: each function and method has its own), so a test can match it by
//! method for any pid (`FUTURE_DISPATCH(_, &Slave::method)`) whichever way
//! it was reached: [`dispatch`], [`defer`], [`delay`], or the
//! [`dispatch!`](crate::dispatch!), [`defer!`](crate::defer!) and
//! [`delay!`](crate::delay!) macros that bind arguments as libprocess does.

use std::any::{Any, TypeId};
use std::sync::{Arc, Weak};

use stout::Duration;

use crate::event::{Dispatch, DispatchFn, Event};
use crate::future::{Future, Promise};
use crate::runtime::{current_cell, Inner};
use crate::{Clock, Process, Timer, PID, UPID};

/// What a dispatch runs, for tests to match and for messages to name.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Tag {
    pub(crate) method: TypeId,
    pub(crate) name: &'static str,
}

impl Tag {
    pub(crate) fn of<F: 'static>() -> Tag {
        Tag {
            method: TypeId::of::<F>(),
            name: std::any::type_name::<F>(),
        }
    }
}

/// Where a dispatch goes: a pid and, for a continuation made earlier, the
/// runtime that was current then (a pid without a cached process is looked
/// up there, not in whichever runtime the completing thread has).
struct Target {
    pid: UPID,
    home: Option<Weak<Inner>>,
}

impl Target {
    fn now(pid: &UPID) -> Target {
        Target {
            pid: pid.clone(),
            home: None,
        }
    }

    /// Captures the current runtime unless the pid already names its
    /// process (then the process' own runtime is used).
    fn captured(pid: &UPID) -> Target {
        let home = match &pid.reference {
            Some(_) => None,
            None => Some(Inner::with(Arc::downgrade)),
        };
        Target {
            pid: pid.clone(),
            home,
        }
    }

    /// Queues the dispatch; dropped (abandoning its promise) when the
    /// process does not exist or has terminated.
    fn enqueue(&self, tag: Tag, f: DispatchFn) {
        let event = Event::Dispatch(Dispatch {
            f,
            method: Some(tag.method),
            name: tag.name,
        });
        // A dispatch is always local: a pid that caches its process goes to
        // that process' runtime, whichever runtime this thread has.
        if let Some(cell) = self.pid.reference.as_ref().and_then(Weak::upgrade) {
            let delivered = Inner::with(|inner| {
                if std::ptr::eq(cell.runtime.as_ptr(), Arc::as_ptr(inner)) {
                    inner.deliver(&cell, event);
                    None
                } else {
                    Some(event)
                }
            });
            if let Some(event) = delivered {
                if let Some(runtime) = cell.runtime.upgrade() {
                    runtime.deliver(&cell, event);
                }
            }
            return;
        }
        let deliver = |inner: &Arc<Inner>| match inner.lookup(&self.pid) {
            Some(cell) => {
                inner.deliver(&cell, event);
            }
            None => tracing::debug!(pid = %self.pid, "Dropping a dispatch to an unknown process"),
        };
        match self.home.as_ref().map(Weak::upgrade) {
            Some(Some(home)) => deliver(&home),
            Some(None) => tracing::debug!(pid = %self.pid, "Dropping a dispatch: runtime gone"),
            None => Inner::with(deliver),
        }
    }

    /// Runs `f` on the process as a `P`, which completes the promise of
    /// the future returned.
    fn run_with<P, R, F>(&self, tag: Tag, f: F) -> Future<R>
    where
        P: Process,
        R: Send + Sync + 'static,
        F: FnOnce(&mut P, Promise<R>) + Send + 'static,
    {
        let promise = Promise::new();
        let future = promise.future();
        self.enqueue(
            tag,
            Box::new(
                move |process: &mut dyn Any| match process.downcast_mut::<P>() {
                    Some(process) => f(process, promise),
                    None => tracing::error!("Dispatch to a process of another type; dropped"),
                },
            ),
        );
        future
    }

    /// Runs `f` on the process as a `P`; a future for its result.
    fn run<P, R, F>(&self, tag: Tag, f: F) -> Future<R>
    where
        P: Process,
        R: Send + Sync + 'static,
        F: FnOnce(&mut P) -> R + Send + 'static,
    {
        self.run_with(tag, move |process, promise: Promise<R>| {
            promise.set(f(process));
        })
    }

    /// [`Target::run`] for a function that returns a future: the result
    /// follows that future.
    fn run_then<P, R, F>(&self, tag: Tag, f: F) -> Future<R>
    where
        P: Process,
        R: Clone + Send + Sync + 'static,
        F: FnOnce(&mut P) -> Future<R> + Send + 'static,
    {
        self.run_with(tag, move |process, promise: Promise<R>| {
            promise.associate(f(process));
        })
    }
}

/// Runs `f` on the process, in order with its other events, and returns a
/// future for its result. If the process is gone (or terminates first),
/// the future is abandoned, never left waiting forever unknowingly.
///
/// A test can match it by `f`'s type: pass a method itself
/// (`dispatch(&pid, Slave::ping)`) to make it `future_dispatch(ANY,
/// Slave::ping)`-able; [`dispatch!`](crate::dispatch!) does that with
/// arguments.
pub fn dispatch<P, R, F>(pid: &PID<P>, f: F) -> Future<R>
where
    P: Process,
    R: Send + Sync + 'static,
    F: FnOnce(&mut P) -> R + Send + 'static,
{
    Target::now(pid.upid()).run(Tag::of::<F>(), f)
}

/// A method of `P` taking `Args` as a tuple: `fn(&mut P)`,
/// `fn(&mut P, A)`, ... up to twelve arguments. Each Rust function has its
/// own type, which is what lets tests match a dispatch of one particular
/// method ([`future_dispatch`](crate::testing::future_dispatch)).
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
method_impl!(A, B, C, D, E);
method_impl!(A, B, C, D, E, G);
method_impl!(A, B, C, D, E, G, H);
method_impl!(A, B, C, D, E, G, H, I);
method_impl!(A, B, C, D, E, G, H, I, J);
method_impl!(A, B, C, D, E, G, H, I, J, K);
method_impl!(A, B, C, D, E, G, H, I, J, K, L);
method_impl!(A, B, C, D, E, G, H, I, J, K, L, N);

/// Runs `method(process, args...)` on the process; like [`dispatch`], and
/// matched by tests as a dispatch of `method`.
pub fn dispatch_method<P, M, Args>(pid: &PID<P>, method: M, args: Args) -> Future<M::Output>
where
    P: Process,
    M: Method<P, Args>,
    Args: Send + 'static,
{
    Target::now(pid.upid()).run(Tag::of::<M>(), move |process| method.call(process, args))
}

/// A continuation that runs on a process: calling it dispatches
/// `f(process, value)` to `pid` and returns the future of its result. Give
/// it to [`Future::then`] or [`Future::on_any`] (`f` then takes the
/// future), so that the callback runs on the process, in order with its
/// other events, instead of on whichever thread completed the future. The
/// process is found through the runtime current when `defer` is called.
///
/// [`defer!`](crate::defer!) binds arguments and flattens a method that
/// returns a future.
pub fn defer<P, A, R, F>(pid: &PID<P>, f: F) -> impl FnOnce(A) -> Future<R> + Send + 'static
where
    P: Process,
    A: Send + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(&mut P, A) -> R + Send + 'static,
{
    let target = Target::captured(pid.upid());
    move |value| target.run(Tag::of::<F>(), move |process| f(process, value))
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
        Some(cell) => Target::captured(&cell.self_pid()),
        None => Target::captured(&Inner::with(|inner| inner.default_executor())),
    };
    move |value| {
        let promise = Promise::new();
        let future = promise.future();
        target.enqueue(
            Tag::of::<F>(),
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
    let target = Target::captured(pid.upid());
    Clock::timer(duration, move || {
        target.run(Tag::of::<F>(), f);
    })
}

/// The running process' PID as a `PID<P>`; `None` outside a process.
/// Dispatches through it to a process that is not a `P` are dropped.
/// Inside a handler, [`SelfPid::self_pid`](crate::SelfPid::self_pid) gives
/// it without the `Option`.
pub fn self_typed<P: Process>() -> Option<PID<P>> {
    current_cell().map(|cell| PID::from_upid(cell.self_pid()))
}

/// libprocess' `self()` for a process' own code: its typed PID.
pub trait SelfPid: Process {
    /// This process' PID.
    ///
    /// # Panics
    ///
    /// When called on a process value outside its own handlers (before it
    /// is spawned, or on a joined one): there is no running process to
    /// name then.
    fn self_pid(&self) -> PID<Self>;
}

impl<P: Process> SelfPid for P {
    fn self_pid(&self) -> PID<P> {
        let me = self as *const P as *const ();
        crate::runtime::with_current_process(|current| match current {
            Some(cell) if cell.holds(me) => PID::from_upid(cell.self_pid()),
            _ => panic!(
                "self_pid() called on a {} outside its own handlers",
                std::any::type_name::<P>()
            ),
        })
    }
}

impl<T: Clone + Send + Sync + 'static> Future<Future<T>> {
    /// The inner future's outcome, once the outer one is ready.
    pub fn flatten(&self) -> Future<T> {
        self.then(|inner| inner)
    }
}

/// What the macros expand to; not part of the API.
#[doc(hidden)]
pub mod __private {
    use super::*;

    pub use crate::Future;

    /// The identity of `method` (a function item), for the macros.
    pub fn tag_of<M: 'static>(_method: &M) -> Tag {
        Tag::of::<M>()
    }

    pub fn dispatch<P, R, F>(pid: &PID<P>, tag: Tag, f: F) -> Future<R>
    where
        P: Process,
        R: Clone + Send + Sync + 'static,
        F: FnOnce(&mut P) -> Future<R> + Send + 'static,
    {
        Target::now(pid.upid()).run_then(tag, f)
    }

    pub fn defer<P, A, R, F>(
        pid: &PID<P>,
        tag: Tag,
        f: F,
    ) -> impl FnOnce(A) -> Future<R> + Send + 'static
    where
        P: Process,
        A: Send + 'static,
        R: Clone + Send + Sync + 'static,
        F: FnOnce(&mut P, A) -> Future<R> + Send + 'static,
    {
        let target = Target::captured(pid.upid());
        move |value| target.run_then(tag, move |process| f(process, value))
    }

    pub fn delay<P, R, F>(duration: Duration, pid: &PID<P>, tag: Tag, f: F) -> Timer
    where
        P: Process,
        R: Clone + Send + Sync + 'static,
        F: FnOnce(&mut P) -> Future<R> + Send + 'static,
    {
        let target = Target::captured(pid.upid());
        Clock::timer(duration, move || {
            target.run_then(tag, f);
        })
    }

    /// A method's result as a future: a future as it is, any other value
    /// ready. Which one is picked by method resolution on the concrete
    /// type (a future matches `FlatFuture` first), so this only works in
    /// the macros, where the method's return type is known.
    pub struct Flat<T>(std::cell::Cell<Option<T>>);

    impl<T> std::fmt::Debug for Flat<T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Flat")
        }
    }

    impl<T> Flat<T> {
        pub fn new(value: T) -> Flat<T> {
            Flat(std::cell::Cell::new(Some(value)))
        }

        fn take(&self) -> T {
            self.0.take().expect("a macro takes the result once")
        }
    }

    pub trait FlatFuture {
        type Value;
        fn flat(&self) -> Future<Self::Value>;
    }

    impl<T: Send + Sync + 'static> FlatFuture for Flat<Future<T>> {
        type Value = T;
        fn flat(&self) -> Future<T> {
            self.take()
        }
    }

    pub trait FlatValue {
        type Value;
        fn flat(&self) -> Future<Self::Value>;
    }

    impl<T: Send + Sync + 'static> FlatValue for &Flat<T> {
        type Value = T;
        fn flat(&self) -> Future<T> {
            Future::ready(self.take())
        }
    }
}

/// Binds the arguments of the macros one by one (each evaluated once, when
/// the macro runs, as libprocess binds them), then calls the method with
/// them, `_` standing for the continuation's value.
#[doc(hidden)]
#[macro_export]
macro_rules! __process_bind {
    ([dispatch $pid:ident $method:path] $value:ident [$($done:tt)*]) => {{
        #[allow(unused_imports)]
        use $crate::__private::{FlatFuture as _, FlatValue as _};
        $crate::__private::dispatch(
            $pid,
            $crate::__private::tag_of(&$method),
            move |__process| (&$crate::__private::Flat::new($method(__process, $($done)*))).flat(),
        )
    }};
    ([defer $pid:ident $method:path] $value:ident [$($done:tt)*]) => {{
        #[allow(unused_imports)]
        use $crate::__private::{FlatFuture as _, FlatValue as _};
        $crate::__private::defer(
            $pid,
            $crate::__private::tag_of(&$method),
            move |__process, $value| {
                (&$crate::__private::Flat::new($method(__process, $($done)*))).flat()
            },
        )
    }};
    ([delay $duration:ident $pid:ident $method:path] $value:ident [$($done:tt)*]) => {{
        #[allow(unused_imports)]
        use $crate::__private::{FlatFuture as _, FlatValue as _};
        $crate::__private::delay(
            $duration,
            $pid,
            $crate::__private::tag_of(&$method),
            move |__process| (&$crate::__private::Flat::new($method(__process, $($done)*))).flat(),
        )
    }};
    ([$($call:tt)*] $value:ident [$($done:tt)*] _ $(, $($rest:tt)*)?) => {
        $crate::__process_bind!([$($call)*] $value [$($done)* $value,] $($($rest)*)?)
    };
    ([$($call:tt)*] $value:ident [$($done:tt)*] $arg:expr $(, $($rest:tt)*)?) => {{
        let __bound = $arg;
        $crate::__process_bind!([$($call)*] $value [$($done)* __bound,] $($($rest)*)?)
    }};
}

/// libprocess' `dispatch(pid, &Class::method, args...)`: runs
/// `Class::method(process, args...)` on the process and returns a future
/// for its result; a method that returns a `Future<R>` gives that
/// `Future<R>`. The arguments are evaluated now; tests match the dispatch
/// by `Class::method`.
///
/// ```ignore
/// let state: Future<State> = dispatch!(&slave, Slave::state, "full".to_string());
/// ```
#[macro_export]
macro_rules! dispatch {
    ($pid:expr, $method:path $(, $($args:tt)*)?) => {{
        let __pid = &$pid;
        $crate::__process_bind!([dispatch __pid $method] __value [] $($($args)*)?)
    }};
}

/// libprocess' `defer(pid, &Class::method, args..., lambda::_1)`: a
/// continuation that dispatches `Class::method(process, args...)`, `_`
/// standing for the value it is called with (the value, or for
/// [`Future::on_any`](crate::Future::on_any) the future). The arguments are
/// evaluated now; a method that returns a future is flattened; tests match
/// the dispatch by `Class::method`.
///
/// ```ignore
/// authorized.on_any(defer!(self.self_pid(), Master::_accept, framework_id, _));
/// ```
#[macro_export]
macro_rules! defer {
    ($pid:expr, $method:path $(, $($args:tt)*)?) => {{
        let __pid = &$pid;
        $crate::__process_bind!([defer __pid $method] __value [] $($($args)*)?)
    }};
}

/// libprocess' `delay(duration, pid, &Class::method, args...)`: dispatches
/// the method once `duration` has passed on the [`Clock`](crate::Clock);
/// returns the [`Timer`](crate::Timer).
#[macro_export]
macro_rules! delay {
    ($duration:expr, $pid:expr, $method:path $(, $($args:tt)*)?) => {{
        let __duration = $duration;
        let __pid = &$pid;
        $crate::__process_bind!([delay __duration __pid $method] __value [] $($($args)*)?)
    }};
}
