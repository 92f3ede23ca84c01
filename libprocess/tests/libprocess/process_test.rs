use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use libprocess::testing::{self, ANY};
use libprocess::{
    defer, defer_here, delay, dispatch, dispatch_method, inject_exited, link, post, run,
    self_typed, spawn, spawn_unmanaged, terminate, wait, Clock, EventRef, Executor, Future,
    Handlers, Process, Promise, PID, UPID,
};
use libprocess::{firewall, http};
use stout::Duration;

/// Counts calls; the port of a gmock method expectation (other suites
/// use it too).
#[derive(Clone, Default)]
pub(crate) struct Calls(Arc<AtomicUsize>);

impl Calls {
    pub(crate) fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

// Events are a Rust enum: a filter sees an exited event as exactly that.
#[test]
fn event() {
    let _rt = testing::runtime();
    struct Seen(Arc<parking_lot::Mutex<Vec<&'static str>>>);
    impl libprocess::filter::Filter for Seen {
        fn filter(&self, event: &EventRef<'_>) -> bool {
            self.0.lock().push(match event {
                EventRef::Message(_) => "message",
                EventRef::Dispatch { .. } => "dispatch",
                EventRef::Exited { .. } => "exited",
                EventRef::Http { .. } => "http",
                _ => "other",
            });
            false
        }
    }
    let seen = Arc::new(parking_lot::Mutex::new(Vec::new()));
    libprocess::filter::install(Some(Arc::new(Seen(seen.clone()))));
    let linker = spawn(ExitedProcess::new(UPID::new(
        "nobody",
        "127.0.0.1:0".parse().unwrap(),
    )));
    Clock::pause();
    Clock::settle();
    assert_eq!(*seen.lock(), vec!["exited"]);
    terminate(&linker, true);
    wait(&linker, None);
}

struct SpawnProcess {
    initialize: Calls,
    finalize: Calls,
}

impl Process for SpawnProcess {
    fn initialize(&mut self, _: &mut Handlers<Self>) {
        self.initialize.hit();
    }

    fn finalize(&mut self) {
        self.finalize.hit();
    }
}

#[test]
fn spawn_() {
    let _rt = testing::runtime();
    let (initialize, finalize) = (Calls::default(), Calls::default());
    let pid = spawn(SpawnProcess {
        initialize: initialize.clone(),
        finalize: finalize.clone(),
    });
    assert!(!pid.upid().is_empty());
    assert!(!wait(&pid, Some(Duration::ZERO)));
    terminate(&pid, true);
    assert!(wait(&pid, None));
    assert_eq!((initialize.count(), finalize.count()), (1, 1));
}

struct MoveOnly;

#[derive(Default)]
struct DispatchProcess {
    func0: Calls,
    func5: Calls,
}

impl DispatchProcess {
    fn func0(&mut self) {
        self.func0.hit();
    }

    fn func1(&mut self, b: bool) -> bool {
        b
    }

    fn func2(&mut self, b: bool) -> Future<bool> {
        Future::ready(b)
    }

    fn func4(&mut self, b: bool, _i: i32) -> Future<bool> {
        Future::ready(b)
    }

    fn func5(&mut self, _m: MoveOnly) {
        self.func5.hit();
    }

    fn func6(&mut self, _m1: MoveOnly, _m2: MoveOnly, b: bool) -> bool {
        b
    }
}

impl Process for DispatchProcess {}

#[test]
fn dispatch_() {
    let _rt = testing::runtime();
    let process = DispatchProcess::default();
    let (func0, func5) = (process.func0.clone(), process.func5.clone());
    let pid = spawn(process);
    assert!(!pid.upid().is_empty());

    dispatch_method(&pid, DispatchProcess::func0, ());
    dispatch(&pid, |p| p.func5(MoveOnly));
    let f1 = dispatch_method(&pid, DispatchProcess::func1, (true,));
    assert!(testing::await_ready(&f1));
    let f2 = dispatch_method(&pid, DispatchProcess::func2, (true,)).flatten();
    assert!(testing::await_ready(&f2));

    terminate(&pid, true);
    wait(&pid, None);
    assert_eq!((func0.count(), func5.count()), (1, 1));
}

#[test]
fn defer1() {
    let _rt = testing::runtime();
    let process = DispatchProcess::default();
    let (func0, func5) = (process.func0.clone(), process.func5.clone());
    let pid = spawn(process);
    assert!(!pid.upid().is_empty());

    defer(&pid, |p: &mut DispatchProcess, ()| p.func0())(());
    assert!(testing::await_ready(&defer(
        &pid,
        |p: &mut DispatchProcess, ()| p.func1(true)
    )(())));
    assert!(testing::await_ready(
        &defer(&pid, |p: &mut DispatchProcess, ()| p.func2(true))(()).flatten()
    ));
    assert!(testing::await_ready(
        &defer(&pid, |p: &mut DispatchProcess, ()| p.func4(true, 42))(()).flatten()
    ));
    // Partial application: the deferred takes the remaining argument.
    let with_bool = defer(&pid, |p: &mut DispatchProcess, b: bool| p.func4(b, 42));
    assert!(!testing::await_ready(&with_bool(false).flatten()));
    let with_int = defer(&pid, |p: &mut DispatchProcess, i: i32| p.func4(true, i));
    assert!(testing::await_ready(&with_int(42).flatten()));
    defer(&pid, |p: &mut DispatchProcess, m: MoveOnly| p.func5(m))(MoveOnly);
    let func6 = |b| {
        defer(&pid, move |p: &mut DispatchProcess, m: MoveOnly| {
            p.func6(MoveOnly, m, b)
        })
    };
    assert!(testing::await_ready(&func6(true)(MoveOnly)));
    assert!(!testing::await_ready(&func6(false)(MoveOnly)));

    terminate(&pid, false);
    wait(&pid, None);
    assert_eq!((func0.count(), func5.count()), (1, 1));
}

struct DeferProcess;

impl DeferProcess {
    fn func1(&mut self, f: Future<i32>) -> Future<String> {
        let this = self_typed::<DeferProcess>().expect("on the process");
        f.then(defer(&this, |p: &mut DeferProcess, i| p.func1_(i)))
    }

    fn func1_(&mut self, i: i32) -> String {
        i.to_string()
    }

    fn func2(&mut self, f: Future<i32>) -> Future<String> {
        let this = self_typed::<DeferProcess>().expect("on the process");
        f.then(defer(&this, |p: &mut DeferProcess, _| p.func2_()))
    }

    fn func2_(&mut self) -> String {
        "42".to_string()
    }
}

impl Process for DeferProcess {}

#[test]
fn defer2() {
    let _rt = testing::runtime();
    let pid = spawn(DeferProcess);
    let f = dispatch(&pid, |p| p.func1(Future::ready(41))).flatten();
    assert!(f.wait_for(Duration::from_secs(15)));
    assert_eq!(f.value().map(String::as_str), Some("41"));
    let f = dispatch(&pid, |p| p.func2(Future::ready(41))).flatten();
    assert!(f.wait_for(Duration::from_secs(15)));
    assert_eq!(f.value().map(String::as_str), Some("42"));
    terminate(&pid, true);
    wait(&pid, None);
}

#[test]
fn defer3() {
    let _rt = testing::runtime();
    let (bool1, bool2) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let b1 = bool1.clone();
    let set1 = defer_here(move |b: bool| b1.store(b, Ordering::SeqCst));
    let b2 = bool2.clone();
    let set2 = defer_here(move |b: bool| b2.store(b, Ordering::SeqCst));
    testing::await_ready(&set1(true));
    testing::await_ready(&set2(true));
    assert!(bool1.load(Ordering::SeqCst) && bool2.load(Ordering::SeqCst));
}

/// Installs "func", which records each call's body.
struct HandlersProcess {
    calls: Arc<parking_lot::Mutex<Vec<Promise<String>>>>,
    count: Calls,
}

impl HandlersProcess {
    fn new() -> (
        HandlersProcess,
        Arc<parking_lot::Mutex<Vec<Promise<String>>>>,
        Calls,
    ) {
        let calls = Arc::new(parking_lot::Mutex::new(Vec::new()));
        let count = Calls::default();
        (
            HandlersProcess {
                calls: calls.clone(),
                count: count.clone(),
            },
            calls,
            count,
        )
    }

    fn func(&mut self, _from: UPID, body: String) {
        self.count.hit();
        let mut calls = self.calls.lock();
        if !calls.is_empty() {
            calls.remove(0).set(body);
        }
    }
}

impl Process for HandlersProcess {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.install(
            "func",
            |p: &mut HandlersProcess, from: &UPID, body: &[u8]| {
                p.func(from.clone(), String::from_utf8_lossy(body).into_owned())
            },
        );
    }
}

fn expect_call(calls: &Arc<parking_lot::Mutex<Vec<Promise<String>>>>) -> Future<String> {
    let promise = Promise::new();
    let future = promise.future();
    calls.lock().push(promise);
    future
}

#[test]
fn handlers() {
    let _rt = testing::runtime();
    let (process, calls, count) = HandlersProcess::new();
    let func = expect_call(&calls);
    let pid = spawn(process);
    assert!(!pid.upid().is_empty());
    post(&UPID::empty(), pid.upid(), "func", "");
    testing::await_ready(&func);
    terminate(&pid, false);
    wait(&pid, None);
    assert_eq!(count.count(), 1);
}

/// Records the handler each message reached; `done` completes `done`.
struct Names {
    reached: Arc<parking_lot::Mutex<Vec<&'static str>>>,
    done: Option<Promise<()>>,
}

impl Process for Names {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        let record = |name: &'static str| {
            move |p: &mut Names, _: &UPID, _: &[u8]| p.reached.lock().push(name)
        };
        handlers.install("a", record("first a"));
        // Installed again: the second handler replaces the first.
        handlers.install("a", record("a"));
        handlers.install(String::from("b"), record("b"));
        handlers.install("done", |p: &mut Names, _, _| {
            if let Some(done) = p.done.take() {
                done.set(());
            }
        });
    }
}

#[test]
fn handlers_found_by_name_however_the_name_is_held() {
    let _rt = testing::runtime();
    let reached = Arc::new(parking_lot::Mutex::new(Vec::new()));
    let done = Promise::new();
    let finished = done.future();
    let pid = spawn(Names {
        reached: reached.clone(),
        done: Some(done),
    });
    // Static and owned names, the same name from different strings, and
    // a name with no handler in between.
    let names: [std::borrow::Cow<'static, str>; 6] = [
        "a".into(),
        "b".into(),
        String::from("a").into(),
        "none".into(),
        "a".into(),
        String::from("b").into(),
    ];
    for name in names {
        post(&UPID::empty(), pid.upid(), name, "");
    }
    post(&UPID::empty(), pid.upid(), "done", "");
    testing::await_ready(&finished);
    assert_eq!(*reached.lock(), ["a", "b", "a", "a", "b"]);
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn expect() {
    let _rt = testing::runtime();
    let (process, _calls, count) = HandlersProcess::new();
    let pid = spawn(process);
    assert!(!pid.upid().is_empty());

    let message = testing::drop_message("func", ANY, ANY);
    post(&UPID::empty(), pid.upid(), "func", "");
    testing::await_ready(&message);

    let dispatched = testing::drop_dispatch(&pid, HandlersProcess::func);
    dispatch_method(
        &pid,
        HandlersProcess::func,
        (pid.upid().clone(), String::new()),
    );
    testing::await_ready(&dispatched);

    terminate(&pid, false);
    wait(&pid, None);
    assert_eq!(count.count(), 0);
}

#[test]
fn action() {
    let _rt = testing::runtime();
    let (process, calls, count) = HandlersProcess::new();
    let pid = spawn(process);
    assert!(!pid.upid().is_empty());
    let future1 = expect_call(&calls);
    let future2 = expect_call(&calls);

    dispatch_method(
        &pid,
        HandlersProcess::func,
        (pid.upid().clone(), "hello world".to_string()),
    );
    testing::await_eq("hello world".to_string(), &future1);
    assert!(future2.is_pending());
    dispatch_method(
        &pid,
        HandlersProcess::func,
        (pid.upid().clone(), "hello world".to_string()),
    );
    testing::await_ready(&future2);

    terminate(&pid, false);
    wait(&pid, None);
    assert_eq!(count.count(), 2);
}

// C++ dispatches a base class' virtual method through an upcast PID; in
// Rust the "base" is a trait, dispatched to through the concrete PID.
trait Base {
    fn func(&mut self);
    fn foo(&mut self);
}

#[derive(Default)]
struct DerivedProcess {
    func: Calls,
    foo: Calls,
}

impl Base for DerivedProcess {
    fn func(&mut self) {
        self.func.hit();
    }

    fn foo(&mut self) {
        self.foo.hit();
    }
}

impl Process for DerivedProcess {}

fn dispatch_base<P: Process + Base>(pid: &PID<P>) {
    dispatch(pid, |p| p.func());
    dispatch(pid, |p| p.foo());
}

#[test]
fn inheritance() {
    let _rt = testing::runtime();
    let process = DerivedProcess::default();
    let (func, foo) = (process.func.clone(), process.foo.clone());
    let pid1 = spawn(process);
    assert!(!pid1.upid().is_empty());
    dispatch(&pid1, Base::func);
    let (pid2, pid3) = (pid1.clone(), pid1.clone());
    assert_eq!(pid2, pid3);
    dispatch_base(&pid3);
    terminate(&pid1, false);
    wait(&pid1, None);
    assert_eq!((func.count(), foo.count()), (2, 1));
}

fn thunk(i: i32, j: i32) -> i32 {
    i + j
}

#[test]
fn thunk_() {
    let _rt = testing::runtime();
    assert_eq!(testing::await_ready(&run(|| thunk(21, 21))), 42);
}

struct DelegatorProcess {
    delegatee: UPID,
}

impl Process for DelegatorProcess {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.delegate("func", self.delegatee.clone());
    }
}

#[test]
fn delegate() {
    let _rt = testing::runtime();
    let (delegatee, calls, count) = HandlersProcess::new();
    let func = expect_call(&calls);
    let delegatee = spawn(delegatee);
    let delegator = spawn(DelegatorProcess {
        delegatee: delegatee.upid().clone(),
    });
    post(&UPID::empty(), delegator.upid(), "func", "");
    testing::await_ready(&func);
    terminate(&delegator, false);
    wait(&delegator, None);
    terminate(&delegatee, false);
    wait(&delegatee, None);
    assert_eq!(count.count(), 1);
}

#[derive(Default)]
struct TimeoutProcess {
    timeout: Calls,
    fired: Option<Promise<()>>,
}

impl TimeoutProcess {
    fn timeout(&mut self) {
        self.timeout.hit();
        if let Some(fired) = self.fired.take() {
            fired.set(());
        }
    }
}

impl Process for TimeoutProcess {}

#[test]
fn delay_() {
    let _rt = testing::runtime();
    Clock::pause();
    let fired = Promise::new();
    let flag = fired.future();
    let process = TimeoutProcess {
        fired: Some(fired),
        ..Default::default()
    };
    let calls = process.timeout.clone();
    let pid = spawn(process);
    delay(Duration::from_secs(5), &pid, |p| p.timeout());
    Clock::settle();
    assert!(flag.is_pending());
    Clock::advance(Duration::from_secs(5));
    testing::await_ready(&flag);
    terminate(&pid, true);
    wait(&pid, None);
    Clock::resume();
    assert_eq!(calls.count(), 1);
}

struct OrderProcess;

impl OrderProcess {
    fn order(&mut self, pid: PID<TimeoutProcess>) {
        dispatch(&pid, |p| p.timeout());
    }
}

impl Process for OrderProcess {}

#[test]
fn order() {
    let _rt = testing::runtime();
    Clock::pause();
    let fired = Promise::new();
    let flag = fired.future();
    let process1 = spawn(TimeoutProcess {
        fired: Some(fired),
        ..Default::default()
    });
    let now = Clock::now_of(process1.upid());
    Clock::advance(Duration::from_secs(1));
    assert_eq!(Clock::now_of(process1.upid()), now);

    let process2 = spawn(OrderProcess);
    let target = process1.clone();
    dispatch(&process2, move |p| p.order(target));
    testing::await_ready(&flag);
    assert_eq!(Clock::now_of(process1.upid()), now + Duration::from_secs(1));

    for pid in [process1.upid(), process2.upid()] {
        terminate(pid, true);
        wait(pid, None);
    }
    Clock::resume();
}

struct DonateProcess;

impl DonateProcess {
    fn donate(&mut self) {
        let pid = spawn(DonateProcess);
        terminate(&pid, true);
        wait(&pid, None);
    }
}

impl Process for DonateProcess {}

#[test]
fn donate() {
    let _rt = testing::runtime();
    let pid = spawn(DonateProcess);
    dispatch(&pid, |p| p.donate());
    terminate(&pid, false);
    assert!(wait(&pid, None));
}

/// Links to `pid` when it starts; reports `exited` through a promise.
struct ExitedProcess {
    pid: UPID,
    exited: Option<Promise<UPID>>,
    calls: Calls,
}

impl ExitedProcess {
    fn new(pid: UPID) -> ExitedProcess {
        ExitedProcess {
            pid,
            exited: None,
            calls: Calls::default(),
        }
    }

    fn expecting(pid: UPID) -> (ExitedProcess, Future<UPID>, Calls) {
        let promise = Promise::new();
        let future = promise.future();
        let calls = Calls::default();
        (
            ExitedProcess {
                pid,
                exited: Some(promise),
                calls: calls.clone(),
            },
            future,
            calls,
        )
    }
}

impl Process for ExitedProcess {
    fn initialize(&mut self, _: &mut Handlers<Self>) {
        link(&self.pid);
    }

    fn exited(&mut self, pid: &UPID) {
        self.calls.hit();
        if let Some(exited) = self.exited.take() {
            exited.set(pid.clone());
        }
    }
}

struct Bare;

impl Process for Bare {}

#[test]
fn exited() {
    let _rt = testing::runtime();
    let pid = spawn(Bare);
    let (process, exited_pid, calls) = ExitedProcess::expecting(pid.upid().clone());
    let linker = spawn(process);
    terminate(&pid, true);
    testing::await_eq(pid.upid().clone(), &exited_pid);
    terminate(&linker, true);
    wait(&linker, None);
    assert_eq!(calls.count(), 1);
}

#[test]
fn inject_exited_() {
    let _rt = testing::runtime();
    let pid = spawn(Bare);
    let (process, exited_pid, calls) = ExitedProcess::expecting(pid.upid().clone());
    let linker = spawn(process);
    inject_exited(pid.upid(), linker.upid());
    testing::await_eq(pid.upid().clone(), &exited_pid);
    terminate(&linker, true);
    wait(&linker, None);
    assert_eq!(calls.count(), 1);
}

#[test]
fn future_exited() {
    let _rt = testing::runtime();
    let linkee = spawn(Bare);
    let (process, exited_pid, _) = ExitedProcess::expecting(linkee.upid().clone());
    let exited = testing::future_exited(linkee.upid(), ANY);
    let linker = spawn(process);
    terminate(&linkee, true);
    testing::await_ready(&exited);
    testing::await_eq(linkee.upid().clone(), &exited_pid);
    terminate(&linker, true);
    wait(&linker, None);
}

#[test]
fn drop_exited() {
    let _rt = testing::runtime();
    let linkee = spawn(Bare);
    let (process, exited_pid, calls) = ExitedProcess::expecting(linkee.upid().clone());
    let exited = testing::drop_exited(linkee.upid(), ANY);
    let linker = spawn(process);
    terminate(&linkee, true);
    testing::await_ready(&exited);
    assert!(exited_pid.is_pending());
    terminate(&linker, true);
    wait(&linker, None);
    assert_eq!(calls.count(), 0);
}

#[derive(Default)]
struct SettleProcess {
    called_dispatch: Arc<AtomicBool>,
}

impl SettleProcess {
    fn after_delay(&mut self) {
        let this = self_typed::<SettleProcess>().expect("on the process");
        dispatch(&this, |p| p.after_dispatch());
        std::thread::sleep(std::time::Duration::from_millis(10));
        let timeout = spawn(TimeoutProcess::default());
        terminate(&timeout, true);
        wait(&timeout, None);
    }

    fn after_dispatch(&mut self) {
        std::thread::sleep(std::time::Duration::from_millis(10));
        self.called_dispatch.store(true, Ordering::SeqCst);
    }
}

impl Process for SettleProcess {
    fn initialize(&mut self, _: &mut Handlers<Self>) {
        // The C++ test sleeps in its handlers to widen the races settle must
        // cover; the sleeps are the process' work, not synchronization.
        std::thread::sleep(std::time::Duration::from_millis(10));
        let this = self_typed::<SettleProcess>().expect("on the process");
        delay(Duration::ZERO, &this, |p| p.after_delay());
    }
}

#[test]
fn settle() {
    let _rt = testing::runtime();
    Clock::pause();
    let process = SettleProcess::default();
    let called = process.called_dispatch.clone();
    let pid = spawn(process);
    Clock::settle();
    assert!(called.load(Ordering::SeqCst));
    terminate(&pid, true);
    wait(&pid, None);
    Clock::resume();
}

// A typed PID exists only for a spawned process in Rust; the intent (a
// `PID<P>` names a `P`) holds for the PID spawn returns.
#[test]
fn pid() {
    let _rt = testing::runtime();
    let pid: PID<TimeoutProcess> = spawn(TimeoutProcess::default());
    let upid: UPID = pid.clone().into();
    assert_eq!(&upid, pid.upid());
    assert_eq!(UPID::parse(&upid.to_string()).unwrap(), upid);
    terminate(&pid, true);
    wait(&pid, None);
}

// C++ reaches one process through two interface-typed PIDs; in Rust the
// interfaces are traits and one PID serves both.
trait Listener1 {
    fn event1(&mut self);
}

trait Listener2 {
    fn event2(&mut self);
}

#[derive(Default)]
struct MultipleListenerProcess {
    event1: Calls,
    event2: Calls,
}

impl Listener1 for MultipleListenerProcess {
    fn event1(&mut self) {
        self.event1.hit();
    }
}

impl Listener2 for MultipleListenerProcess {
    fn event2(&mut self) {
        self.event2.hit();
    }
}

impl Process for MultipleListenerProcess {}

fn notify1<P: Process + Listener1>(pid: &PID<P>) {
    dispatch(pid, |p| p.event1());
}

fn notify2<P: Process + Listener2>(pid: &PID<P>) {
    dispatch(pid, |p| p.event2());
}

#[test]
fn listener() {
    let _rt = testing::runtime();
    let process = MultipleListenerProcess::default();
    let (event1, event2) = (process.event1.clone(), process.event2.clone());
    let pid = spawn(process);
    notify1(&pid);
    notify2(&pid);
    terminate(&pid, false);
    wait(&pid, None);
    assert_eq!((event1.count(), event2.count()), (1, 1));
}

#[test]
fn executor_defer() {
    let _rt = testing::runtime();
    let executor = Executor::new();
    let event1 = Promise::new();
    let latch1 = event1.future();
    executor.defer(move |i: i32| {
        event1.set(i);
    })(42);
    testing::await_eq(42, &latch1);

    let event2 = Promise::new();
    let latch2 = event2.future();
    executor.defer(move |s: String| {
        event2.set(s);
    })("event2".to_string());
    testing::await_eq("event2".to_string(), &latch2);
}

#[test]
fn executor_execute() {
    let _rt = testing::runtime();
    let executor = Executor::new();

    let latch1 = Promise::new();
    let triggered1 = latch1.future();
    let f1 = executor.execute(move || {
        latch1.set(());
    });
    testing::await_ready(&f1);
    testing::await_ready(&triggered1);

    let latch2 = Promise::new();
    let triggered2 = latch2.future();
    let mut state = 0;
    let f2 = executor.execute(move || {
        state += 42;
        latch2.set(state);
    });
    testing::await_ready(&f2);
    testing::await_eq(42, &triggered2);

    let f3 = executor.execute(|| "f3".to_string());
    testing::await_eq("f3".to_string(), &f3);

    let f4 = executor
        .execute(|| Future::ready("f4".to_string()))
        .flatten();
    testing::await_eq("f4".to_string(), &f4);
}

fn foo() -> i32 {
    1
}

fn itoa1(i: &i32) -> Future<String> {
    Future::ready(i.to_string())
}

fn itoa2(i: &i32) -> String {
    i.to_string()
}

// `async` is a keyword: the test is `async_`, as the function it tests.
// C++ passes arguments to `async`; a Rust closure captures them.
#[test]
fn async_() {
    use libprocess::async_;
    let _rt = testing::runtime();
    assert_eq!(testing::await_ready(&async_(foo)), 1);
    let (a, b, c, d) = (10, 20, 30, 40);
    assert_eq!(testing::await_ready(&async_(move || a)), 10);
    assert_eq!(testing::await_ready(&async_(move || a + b)), 30);
    assert_eq!(testing::await_ready(&async_(move || a + b + c)), 60);
    assert_eq!(testing::await_ready(&async_(move || a + b + c + d)), 100);

    // A complex argument, and a function returning a future.
    let i = Arc::new(42);
    let j = i.clone();
    assert_eq!(testing::await_ready(&async_(move || itoa2(&j))), "42");
    let nested = async_(move || itoa1(&i));
    let inner = testing::await_ready(&nested);
    assert_eq!(testing::await_ready(&inner), "42");
}

// C++ checks that deferred callables convert to the continuation types
// `then` accepts; in Rust that is a compile-time property, checked here
// by building each form (the source never completes, as in C++).
#[test]
fn defers() {
    let _rt = testing::runtime();
    fn baz(_: String) -> i32 {
        42
    }
    fn bam(_: String) -> Future<i32> {
        Future::ready(42)
    }
    let promise: Promise<String> = Promise::new();
    let source = promise.future();
    let chained: Vec<Future<i32>> = vec![
        source.then(defer_here(baz)),
        source.then(defer_here(bam)).flatten(),
        source.map(baz),
        source.then(bam),
        source.then(defer_here(|_: String| 42)),
        source.then(|_| Future::ready(42)),
        source.map(|_| 42),
    ];
    assert!(chained.iter().all(Future::is_pending));
    assert!(source.is_pending());
}

// Beyond the C++ suite: a process spawned unmanaged comes back after it
// terminates, and dispatches queued behind an injected terminate are
// dropped (their futures abandoned).
#[test]
fn unmanaged_and_injected_terminate() {
    let _rt = testing::runtime();
    let spawned = spawn_unmanaged(TimeoutProcess::default());
    dispatch(spawned.pid(), |p| p.timeout());
    terminate(spawned.pid(), false);
    let process = spawned.join();
    assert_eq!(process.timeout.count(), 1);

    let pid = spawn(TimeoutProcess::default());
    let blocked = Promise::<()>::new();
    let gate = blocked.future();
    let running = Promise::new();
    let is_running = running.future();
    // Hold the process inside a dispatch so the next events queue behind it.
    let started = dispatch(&pid, move |_| {
        running.set(());
        gate.wait_for(Duration::from_secs(15));
    });
    testing::await_ready(&is_running);
    let queued = dispatch(&pid, |p| p.timeout.count());
    terminate(&pid, true);
    blocked.set(());
    testing::await_ready(&started);
    wait(&pid, None);
    testing::await_abandoned(&queued);
}

/// libprocess' `RemoteProcess` for the HTTP tests: a `handler` message
/// handler and a `/handler2` route, reporting what they get.
struct RemoteProcess {
    messages: std::sync::mpsc::Sender<(UPID, bytes::Bytes)>,
}

impl Process for RemoteProcess {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        for name in ["handler", "handler1"] {
            handlers.install(name, |p: &mut RemoteProcess, from, body| {
                let _ = p
                    .messages
                    .send((from.clone(), bytes::Bytes::copy_from_slice(body)));
            });
        }
        handlers.route("/handler2", |_: &mut RemoteProcess, _| {
            Future::ready(http::ok(""))
        });
    }
}

fn remote_process(
    id: Option<&str>,
) -> (
    PID<RemoteProcess>,
    std::sync::mpsc::Receiver<(UPID, bytes::Bytes)>,
) {
    let (messages, received) = std::sync::mpsc::channel();
    let process = RemoteProcess { messages };
    let pid = match id {
        Some(id) => libprocess::spawn_with_id(process, id).expect("a free id"),
        None => spawn(process),
    };
    (pid, received)
}

fn received(messages: &std::sync::mpsc::Receiver<(UPID, bytes::Bytes)>) -> (UPID, bytes::Bytes) {
    messages
        .recv_timeout(std::time::Duration::from_secs(15))
        .expect("the handler ran")
}

// A raw socket speaking the wire format delivers a message; beyond the
// C++ test, the answers (`202`, `404` for no such process) and a message
// back over a connection of the runtime's own, byte for byte.
#[test]
fn remote() {
    use std::io::Write;

    use crate::transport_test::read_until;
    use libprocess::wire::message_bytes;
    use libprocess::Message;

    let rt = crate::http_test::listening();
    let address = rt.runtime().address();
    let (pid, messages) = remote_process(None);
    assert_eq!(pid.upid().address(), address);

    let mut socket = std::net::TcpStream::connect(address).expect("connects");
    let sender = match socket.local_addr().expect("bound") {
        std::net::SocketAddr::V4(sender) => sender,
        other => panic!("not IPv4: {}", other),
    };
    let from = UPID::new("sender", sender);
    let message = Message {
        name: "handler".into(),
        from: from.clone(),
        to: pid.upid().clone(),
        body: bytes::Bytes::from_static(b"hello world"),
    };
    socket.write_all(&message_bytes(&message)).expect("writes");
    let (sender, body) = received(&messages);
    assert_eq!(bytes::Bytes::from("hello world"), body);
    assert_eq!(from, sender);
    let reply = read_until(&mut socket, b"\r\n\r\n");
    assert!(
        reply.starts_with(b"HTTP/1.1 202 Accepted\r\n"),
        "{:?}",
        String::from_utf8_lossy(&reply)
    );

    let nobody = Message {
        to: UPID::new("nosuch", address),
        ..message
    };
    socket.write_all(&message_bytes(&nobody)).expect("writes");
    let reply = read_until(&mut socket, b"404 Not Found.");
    assert!(reply.starts_with(b"HTTP/1.1 404 Not Found\r\n"));

    let peer = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let to = match peer.local_addr().expect("bound") {
        std::net::SocketAddr::V4(address) => UPID::new("peer", address),
        other => panic!("not IPv4: {}", other),
    };
    let target = to.clone();
    dispatch(&pid, move |_| {
        libprocess::send(&target, "pong", &b"back"[..])
    });
    let (mut inbound, _) = peer.accept().expect("a connection from the runtime");
    let expected = message_bytes(&Message {
        name: "pong".into(),
        from: pid.upid().clone(),
        to,
        body: bytes::Bytes::from_static(b"back"),
    });
    assert_eq!(expected, read_until(&mut inbound, b"0\r\n\r\n"));

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn http1() {
    let _rt = crate::http_test::listening();
    let (pid, messages) = remote_process(None);
    let url = http::url_of(pid.upid(), "handler");
    let connection = testing::await_ready(&http::connect(&url));
    let local = match connection.local_address() {
        std::net::SocketAddr::V4(local) => local,
        other => panic!("not IPv4: {}", other),
    };
    let from = UPID::new("sender", local);
    let request = http::Request {
        method: "POST".to_string(),
        headers: http::Headers::from([("User-Agent", format!("libprocess/{}", from))]),
        keep_alive: true,
        body: bytes::Bytes::from("hello world"),
        ..http::Request::new("POST", url)
    };
    let response = connection.send(request, false);
    let (sender, body) = received(&messages);
    assert_eq!(bytes::Bytes::from("hello world"), body);
    assert_eq!(from, sender);
    assert_eq!("202 Accepted", testing::await_ready(&response).status());
    testing::await_ready(&connection.disconnect());
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn http2() {
    use std::io::Read;
    let _rt = crate::http_test::listening();
    let (pid, messages) = remote_process(None);
    let socket = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = socket.local_addr().expect("bound").port();
    let from = UPID::new(
        "",
        std::net::SocketAddrV4::new(*pid.upid().address().ip(), port),
    );

    let response = http::post(
        pid.upid(),
        "handler",
        http::Headers::from([("Libprocess-From", from.to_string())]),
        Some(bytes::Bytes::from("hello world")),
        None,
    );
    let response = testing::await_ready(&response);
    assert_eq!(202, response.code);
    assert_eq!("202 Accepted", response.status());
    let (sender, body) = received(&messages);
    assert_eq!(bytes::Bytes::from("hello world"), body);
    assert_eq!(from, sender);

    // A message from the process goes to the sender's address.
    post(pid.upid(), &from, "reply", bytes::Bytes::new());
    let (mut client, _) = socket.accept().expect("accepts");
    let expected = b"POST /reply HTTP/1.1";
    let mut data = vec![0u8; expected.len()];
    client.read_exact(&mut data).expect("reads");
    assert_eq!(&expected[..], &data[..]);

    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn percent_encoded_urls() {
    let _rt = crate::http_test::listening();
    let (pid, messages) = remote_process(Some("id(42)"));
    let sender = UPID::new(
        "sender",
        std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 99),
    );

    // A message to the percent-encoded id reaches the process.
    for id in ["id(42)", "id%2842%29"] {
        let url = http::Url::new(
            "http",
            pid.upid().address().ip(),
            pid.upid().address().port(),
            &format!("/{}/handler1", id),
        );
        let request = http::Request {
            headers: http::Headers::from([("User-Agent", format!("libprocess/{}", sender))]),
            ..http::Request::new("POST", url)
        };
        let response = http::request(request, false);
        let (from, _) = received(&messages);
        assert_eq!(sender, from);
        assert_eq!("202 Accepted", testing::await_ready(&response).status());
    }

    // So does an HTTP request.
    for id in ["id(42)", "id%2842%29"] {
        let encoded = UPID::new(id, pid.upid().address());
        let response = http::get(&encoded, "handler2", None, http::Headers::new());
        assert_eq!("200 OK", testing::await_ready(&response).status());
    }
    terminate(&pid, false);
    wait(&pid, None);
}

/// A process whose three routes answer `200 OK`, counting their calls.
struct FirewallProcess {
    calls: [Calls; 3],
}

impl Process for FirewallProcess {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        for (i, route) in ["/handler1", "/handler2", "/handler3"]
            .into_iter()
            .enumerate()
        {
            handlers.route(route, move |p: &mut FirewallProcess, _| {
                p.calls[i].hit();
                Future::ready(http::ok(""))
            });
        }
    }
}

fn firewall_process() -> (PID<FirewallProcess>, [Calls; 3]) {
    let calls: [Calls; 3] = Default::default();
    let pid = libprocess::spawn_with_id(
        FirewallProcess {
            calls: calls.clone(),
        },
        "testprocess",
    )
    .expect("a free id");
    (pid, calls)
}

fn status_of(pid: &PID<FirewallProcess>, path: &str) -> String {
    testing::await_ready(&http::get(pid.upid(), path, None, http::Headers::new())).status()
}

#[test]
fn firewall_disable_paths() {
    let _rt = crate::http_test::listening();
    let rule = firewall::DisabledEndpointsFirewallRule::new([
        "/testprocess/handler1",
        "/testprocess/handler2/nested",
        "/testprocess/handler3/*",
    ]);
    firewall::install(vec![Arc::new(rule)]);
    let (pid, calls) = firewall_process();

    assert_eq!("403 Forbidden", status_of(&pid, "handler1"));
    assert_eq!(0, calls[0].count());
    assert_eq!("200 OK", status_of(&pid, "handler2"));
    assert_eq!("403 Forbidden", status_of(&pid, "handler2/nested"));
    assert_eq!("200 OK", status_of(&pid, "handler2/nested/path"));
    assert_eq!(2, calls[1].count());
    assert_eq!("200 OK", status_of(&pid, "handler3"));
    assert_eq!("200 OK", status_of(&pid, "handler3/nested"));
    assert_eq!(2, calls[2].count());

    let response = testing::await_ready(&http::get(
        pid.upid(),
        "handler1",
        None,
        http::Headers::new(),
    ));
    assert_eq!(
        bytes::Bytes::from("Endpoint '/testprocess/handler1' is disabled"),
        response.body_bytes()
    );
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn firewall_uninstall() {
    let _rt = crate::http_test::listening();
    let rule = firewall::DisabledEndpointsFirewallRule::new([
        "/testprocess/handler1",
        "/testprocess/handler2",
    ]);
    firewall::install(vec![Arc::new(rule)]);
    let (pid, _calls) = firewall_process();
    assert_eq!("403 Forbidden", status_of(&pid, "handler1"));
    assert_eq!("403 Forbidden", status_of(&pid, "handler2"));
    firewall::install(Vec::new());
    assert_eq!("200 OK", status_of(&pid, "handler1"));
    assert_eq!("200 OK", status_of(&pid, "handler2"));
    terminate(&pid, false);
    wait(&pid, None);
}

#[test]
fn processes_endpoint_no_hang() {
    // Holds itself in a dispatch until its queue has an injected
    // terminate and the dispatch of `/__processes__`: that request's
    // answer from this process is then abandoned.
    struct TestProcess;
    impl Process for TestProcess {}
    impl TestProcess {
        fn wait_for_terminate(&mut self, inside: Promise<()>) -> bool {
            inside.set(());
            let me = libprocess::self_pid();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
            while std::time::Instant::now() < deadline {
                let queued = testing::queued_events(&me);
                if queued.terminates == 1 && queued.dispatches == 1 {
                    return true;
                }
                std::thread::yield_now();
            }
            false
        }
    }

    let _rt = crate::http_test::listening();
    let pid = spawn(TestProcess);
    let inside = Promise::new();
    let entered = inside.future();
    let waited = dispatch(&pid, move |p| p.wait_for_terminate(inside));
    testing::await_ready(&entered);

    let address = libprocess::address();
    let url = http::Url::new("http", address.ip(), address.port(), "/__processes__");
    let response = http::request(http::Request::new("GET", url), false);
    terminate(&pid, true);
    assert!(testing::await_ready(&waited));
    let response = testing::await_ready(&response);
    assert_eq!(200, response.code);
}

#[test]
fn processes_endpoint() {
    let _rt = crate::http_test::listening();
    let (pid, _calls) = firewall_process();
    let address = libprocess::address();
    let url = http::Url::new("http", address.ip(), address.port(), "/__processes__");
    let response = testing::await_ready(&http::request(http::Request::new("GET", url), false));
    assert_eq!(
        Some("application/json"),
        response.headers.get("Content-Type")
    );
    let processes: serde_json::Value =
        serde_json::from_slice(&response.body_bytes()).expect("JSON");
    let ids: Vec<&str> = processes
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"testprocess") && ids.contains(&"metrics"),
        "{ids:?}"
    );
    terminate(&pid, false);
    wait(&pid, None);
}

/// A thread outside any runtime reaches a runtime's processes through its
/// [`libprocess::Handle`]; without one it would use the process-wide
/// default runtime, where the pid names nothing.
#[test]
fn handle_enters_the_runtime_from_another_thread() {
    struct Idle;
    impl Process for Idle {}

    let runtime = libprocess::Runtime::builder().workers(1).build();
    let _enter = runtime.enter();
    let pid = spawn(Idle);
    let handle = libprocess::Handle::current();
    let stop = pid.clone();
    std::thread::spawn(move || {
        let _enter = handle.enter();
        terminate(&stop, false);
    })
    .join()
    .expect("the thread ends");
    assert!(wait(&pid, Some(Duration::from_secs(10))));
}

/// A handler that floods another process, without returning: the
/// receiver, queued in the sender's worker's next slot, must move to the
/// idle worker once its backlog builds up, or it would only run after
/// the flood (the sender stops at its first message served).
#[test]
fn flooded_receiver_runs_beside_its_sender() {
    const MOST: usize = 1_000_000;

    struct Counter {
        started: std::sync::mpsc::Sender<()>,
    }
    impl Process for Counter {
        fn initialize(&mut self, handlers: &mut Handlers<Self>) {
            handlers.install("msg", |counter: &mut Counter, _, _| {
                let _ = counter.started.send(());
            });
        }
    }

    struct Flooder {
        to: UPID,
        started: std::sync::mpsc::Receiver<()>,
        result: Option<Promise<bool>>,
    }
    impl Process for Flooder {
        fn initialize(&mut self, handlers: &mut Handlers<Self>) {
            handlers.install("run", |flooder: &mut Flooder, _, _| {
                let mut beside = false;
                for _ in 0..MOST {
                    libprocess::send(&flooder.to, "msg", bytes::Bytes::new());
                    if flooder.started.try_recv().is_ok() {
                        beside = true;
                        break;
                    }
                }
                if let Some(result) = flooder.result.take() {
                    result.set(beside);
                }
            });
        }
    }

    let runtime = libprocess::Runtime::builder().workers(2).build();
    let _enter = runtime.enter();
    let (started, started_rx) = std::sync::mpsc::channel();
    let counter = spawn(Counter { started });
    let result = Promise::new();
    let beside = result.future();
    let flooder = spawn(Flooder {
        to: counter.upid().clone(),
        started: started_rx,
        result: Some(result),
    });
    post(&UPID::empty(), flooder.upid(), "run", bytes::Bytes::new());
    assert!(testing::await_ready_for(&beside, Duration::from_secs(120)));
    for pid in [flooder.upid(), counter.upid()] {
        terminate(pid, true);
        wait(pid, None);
    }
}
