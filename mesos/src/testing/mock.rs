//! gmock's `EXPECT_CALL(...).WillOnce(...).WillRepeatedly(...)`, as much
//! as Mesos' tests use of it: one `Expectations` per mocked method, with
//! actions run in order as calls come in.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

use libprocess::{Future, Promise};
use parking_lot::Mutex;

type Once<D, A> = Box<dyn FnOnce(&D, A) + Send>;
type Repeatedly<D, A> = Box<dyn FnMut(&D, A) + Send>;

/// The expectations on one mocked method whose calls carry arguments `A`
/// and a handle `D` (the driver, for a scheduler's or an executor's
/// callbacks).
///
/// A call runs the oldest `will_once` action not yet used; once those
/// are used up, the `will_repeatedly` action; with neither, nothing (a
/// "nice" mock: uninteresting calls are allowed). Every call is counted.
pub struct Expectations<D: ?Sized, A> {
    state: Arc<Mutex<State<D, A>>>,
}

struct State<D: ?Sized, A> {
    once: VecDeque<Once<D, A>>,
    repeatedly: Option<Repeatedly<D, A>>,
    calls: usize,
}

impl<D: ?Sized + 'static, A: Send + Sync + 'static> Expectations<D, A> {
    /// No expectations yet.
    pub fn new() -> Expectations<D, A> {
        Expectations {
            state: Arc::new(Mutex::new(State {
                once: VecDeque::new(),
                repeatedly: None,
                calls: 0,
            })),
        }
    }

    /// Runs `action` on the first call not taken by an earlier
    /// `will_once`.
    pub fn will_once(&self, action: impl FnOnce(&D, A) + Send + 'static) -> &Self {
        self.state.lock().once.push_back(Box::new(action));
        self
    }

    /// Runs `action` on every call once the `will_once` actions are used
    /// up (it replaces an earlier one).
    pub fn will_repeatedly(&self, action: impl FnMut(&D, A) + Send + 'static) -> &Self {
        self.state.lock().repeatedly = Some(Box::new(action));
        self
    }

    /// gmock's `WillOnce(FutureArg(...))`: a future of the arguments of
    /// the first call not taken by an earlier `will_once`.
    pub fn future(&self) -> Future<A> {
        let promise = Promise::new();
        let future = promise.future();
        self.will_once(move |_, args| {
            promise.set(args);
        });
        future
    }

    /// Like [`future`](Self::future), and also runs `action` on that call
    /// (gmock's `DoAll(FutureArg(...), action)`).
    pub fn future_and(&self, action: impl FnOnce(&D, &A) + Send + 'static) -> Future<A> {
        let promise = Promise::new();
        let future = promise.future();
        self.will_once(move |handle, args| {
            action(handle, &args);
            promise.set(args);
        });
        future
    }

    /// How many calls there were so far.
    pub fn calls(&self) -> usize {
        self.state.lock().calls
    }

    /// Makes a call: what the mock's method does.
    ///
    /// The action runs without the lock held, so it may set further
    /// expectations or make calls that come back to this mock.
    pub fn call(&self, handle: &D, args: A) {
        let once = {
            let mut state = self.state.lock();
            state.calls += 1;
            state.once.pop_front()
        };
        if let Some(action) = once {
            action(handle, args);
            return;
        }
        let repeatedly = self.state.lock().repeatedly.take();
        if let Some(mut action) = repeatedly {
            action(handle, args);
            let mut state = self.state.lock();
            // Keep an action set during the call, if any.
            if state.repeatedly.is_none() {
                state.repeatedly = Some(action);
            }
        }
    }
}

impl<D: ?Sized + 'static, A: Send + Sync + 'static> Default for Expectations<D, A> {
    fn default() -> Expectations<D, A> {
        Expectations::new()
    }
}

impl<D: ?Sized, A> Clone for Expectations<D, A> {
    fn clone(&self) -> Expectations<D, A> {
        Expectations {
            state: Arc::clone(&self.state),
        }
    }
}

impl<D: ?Sized, A> fmt::Debug for Expectations<D, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock();
        f.debug_struct("Expectations")
            .field("calls", &state.calls)
            .field("pending_once", &state.once.len())
            .field("repeatedly", &state.repeatedly.is_some())
            .finish()
    }
}
