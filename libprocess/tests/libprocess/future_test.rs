use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;

use libprocess::testing;
use libprocess::{select, undiscardable, undiscardable_fn, Clock, Future, Promise};
use stout::{Duration, Error};

#[test]
fn future() {
    let promise = Promise::new();
    promise.set(true);
    assert!(promise.future().is_ready());
    assert_eq!(promise.future().value(), Some(&true));
}

#[test]
fn stringify() {
    assert_eq!(Future::<bool>::default().to_string(), "Abandoned");

    let promise = Promise::<bool>::new();
    let future = promise.future();
    drop(promise);
    assert_eq!(future.to_string(), "Abandoned");

    let promise = Promise::<bool>::new();
    let future = promise.future();
    future.discard();
    drop(promise);
    assert_eq!(future.to_string(), "Abandoned (with discard)");

    let promise = Promise::<bool>::new();
    assert_eq!(promise.future().to_string(), "Pending");
    promise.future().discard();
    assert_eq!(promise.future().to_string(), "Pending (with discard)");

    let promise = Promise::new();
    promise.set(true);
    assert_eq!(promise.future().to_string(), "Ready");
    let promise = Promise::new();
    promise.future().discard();
    promise.set(true);
    assert_eq!(promise.future().to_string(), "Ready (with discard)");

    let promise = Promise::<bool>::new();
    promise.fail("Failure");
    assert_eq!(promise.future().to_string(), "Failed: Failure");
    let promise = Promise::<bool>::new();
    promise.future().discard();
    promise.fail("Failure");
    assert_eq!(
        promise.future().to_string(),
        "Failed (with discard): Failure"
    );

    let promise = Promise::<bool>::new();
    promise.discard();
    assert_eq!(promise.future().to_string(), "Discarded");
    let promise = Promise::<bool>::new();
    promise.future().discard();
    promise.discard();
    assert_eq!(promise.future().to_string(), "Discarded (with discard)");
}

#[test]
fn associate() {
    let p1 = Promise::new();
    p1.associate(Future::ready(true));
    assert_eq!(p1.future().value(), Some(&true));

    let (p2, p2_) = (Promise::<bool>::new(), Promise::<bool>::new());
    p2.associate(p2_.future());
    p2_.discard();
    assert!(p2.future().is_discarded());

    let (p3, p4) = (Promise::<bool>::new(), Promise::<bool>::new());
    p3.associate(p4.future());
    p4.fail("associate");
    assert_eq!(p3.future().failure(), Some("associate"));

    let p5 = Promise::<bool>::new();
    let f3 = Future::<bool>::default();
    p5.associate(f3.clone());
    assert!(!f3.is_discarded());
    p5.future().discard();
    assert!(f3.has_discard());

    let (p6, p7) = (Promise::<bool>::new(), Promise::<bool>::new());
    p6.associate(p7.future());
    p7.discard();
    assert!(p6.future().is_discarded());

    // Beyond the C++ suite: a second association, and completing an
    // associated promise directly, are refused.
    assert!(!p6.associate(Future::ready(false)));
    let p8 = Promise::<bool>::new();
    assert!(p8.associate(Promise::new().future()));
    assert!(!p8.set(true));
}

#[test]
fn on_any() {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    Future::ready(true).on_any(move |future| {
        assert!(future.is_ready());
        f.store(*future.value().unwrap(), Ordering::SeqCst);
    });
    assert!(flag.load(Ordering::SeqCst));
}

#[test]
fn then() {
    let promise = Promise::new();
    promise.set(42);
    let s1 = promise.future().then(|i: i32| Future::ready(i.to_string()));
    assert_eq!(s1.value().map(String::as_str), Some("42"));
    let s2 = promise.future().map(|i: i32| i.to_string());
    assert_eq!(s2.value().map(String::as_str), Some("42"));
}

#[test]
fn callable_once() {
    let promise = Promise::new();
    promise.set(());
    let owned = Box::new(42);
    let future = promise.future().map(move |()| *owned);
    assert_eq!(future.value(), Some(&42));

    let n = Arc::new(AtomicI32::new(0));
    let add = |k: i32| {
        let n = n.clone();
        move || {
            n.fetch_add(k, Ordering::SeqCst);
        }
    };
    let (ready, any, failed, discard, discarded) =
        (add(1), add(10), add(100), add(1000), add(10000));
    future
        .on_ready(move |_| ready())
        .on_any(move |_| any())
        .on_failed(move |_| failed())
        .on_discard(discard)
        .on_discarded(discarded);
    let total = future.map(move |_| n.load(Ordering::SeqCst));
    assert_eq!(total.value(), Some(&11));
}

#[test]
fn repair() {
    let p1 = Promise::new();
    let called = Arc::new(AtomicBool::new(false));
    let c = called.clone();
    let f1 = p1.future().repair(move |_| {
        c.store(true, Ordering::SeqCst);
        Future::ready(43)
    });
    assert!(f1.is_pending());
    p1.set(42);
    testing::await_eq(42, &f1);
    assert!(!called.load(Ordering::SeqCst));

    let p2 = Promise::<i32>::new();
    let f2 = p2.future().repair(|failed| {
        assert_eq!(failed.failure(), Some("Failure"));
        Future::ready(43)
    });
    assert!(f2.is_pending());
    p2.fail("Failure");
    testing::await_eq(43, &f2);
}

fn after_callback(
    ran: &Arc<AtomicBool>,
) -> impl FnOnce(&Future<()>) -> Future<()> + Send + 'static {
    let ran = ran.clone();
    move |future| {
        assert!(future.has_discard());
        ran.store(true, Ordering::SeqCst);
        Future::failed("Failure")
    }
}

#[test]
fn after1() {
    let _rt = testing::runtime();
    Clock::pause();
    let ran = Arc::new(AtomicBool::new(false));
    let future = Future::<()>::default().after(Duration::from_hrs(42), after_callback(&ran));
    assert!(future.is_pending());
    Clock::advance(Duration::from_hrs(21));
    Clock::settle();
    assert!(future.is_pending());
    future.discard();
    assert!(future.is_pending());
    Clock::advance(Duration::from_hrs(21));
    testing::await_failed(&future);
    assert!(ran.load(Ordering::SeqCst));
}

#[test]
fn after2() {
    let _rt = testing::runtime();
    Clock::pause();
    let ran = Arc::new(AtomicBool::new(false));
    let promise = Promise::new();
    let future = promise
        .future()
        .after(Duration::from_hrs(42), after_callback(&ran));
    assert!(future.is_pending());
    Clock::advance(Duration::from_hrs(21));
    Clock::settle();
    assert!(future.is_pending());
    future.discard();
    assert!(future.is_pending());
    promise.set(());
    testing::await_ready(&future);
    Clock::advance(Duration::from_hrs(21));
    Clock::settle();
    assert!(!ran.load(Ordering::SeqCst));
}

#[test]
fn after3() {
    let _rt = testing::runtime();
    let future = Future::<()>::default();
    let weak = future.downgrade();
    assert!(weak.upgrade().is_some());
    Clock::pause();
    let after = future.after(Duration::from_millis(1), |source| {
        source.discard();
        Future::ready(())
    });
    drop(future);
    let future = after;
    Clock::advance(Duration::from_millis(1));
    Clock::settle();
    testing::await_ready(&future);
    assert!(weak.upgrade().is_none());
    assert!(!future.has_discard());
}

fn describe(positive: bool) -> Future<String> {
    Future::ready(if positive { "true" } else { "false" }.to_string())
}

#[test]
fn chain() {
    let s = Future::ready(true).then(describe).then(Future::ready);
    assert!(s.wait_for(Duration::from_secs(15)));
    assert_eq!(s.value().map(String::as_str), Some("true"));

    let s = Future::<bool>::failed("The value is not positive (or zero)")
        .then(describe)
        .then(Future::ready);
    assert!(s.wait_for(Duration::from_secs(15)));
    assert!(s.is_failed());

    let promise = Promise::<bool>::new();
    let s = promise.future().then(describe).then(Future::ready);
    assert!(s.is_pending());
    promise.discard();
    assert!(s.wait_for(Duration::from_secs(15)));
    assert!(s.is_discarded());
}

struct DiscardSetup {
    promise1: Promise<bool>,
    promise2: Promise<i32>,
    executed: Arc<AtomicBool>,
    result: Future<i32>,
}

fn discard_setup() -> DiscardSetup {
    let (promise1, promise2) = (Promise::new(), Promise::new());
    let executed = Arc::new(AtomicBool::new(false));
    let (f1, f2, e) = (promise1.future(), promise2.future(), executed.clone());
    let result = Future::ready("hello world".to_string())
        .then(move |_| f1)
        .then(move |_| {
            e.store(true, Ordering::SeqCst);
            f2
        });
    assert!(result.is_pending());
    result.discard();
    assert!(result.is_pending());
    assert!(result.has_discard());
    assert!(promise1.future().has_discard());
    assert!(!promise2.future().has_discard());
    DiscardSetup {
        promise1,
        promise2,
        executed,
        result,
    }
}

#[test]
fn discard1() {
    let s = discard_setup();
    assert!(s.promise1.discard());
    testing::await_discarded(&s.result);
    assert!(!s.executed.load(Ordering::SeqCst));
    assert!(s.promise2.future().is_pending());
}

#[test]
fn discard2() {
    let s = discard_setup();
    assert!(s.promise1.set(true));
    testing::await_discarded(&s.result);
    assert!(!s.executed.load(Ordering::SeqCst));
    assert!(s.promise2.future().is_pending());
}

#[test]
fn discard3() {
    let s = discard_setup();
    assert!(s.promise1.fail("failure message"));
    testing::await_failed(&s.result);
    assert!(!s.executed.load(Ordering::SeqCst));
    assert!(s.promise2.future().is_pending());
}

#[test]
fn select_() {
    let promises: Vec<Promise<i32>> = (0..4).map(|_| Promise::new()).collect();
    promises[0].set(42);
    let futures: Vec<Future<i32>> = promises.iter().map(Promise::future).collect();
    let selected = select(futures.clone());
    let winner = testing::await_ready(&selected);
    assert_eq!(winner.value(), Some(&42));

    let rest = select(futures[1..].to_vec());
    assert!(rest.is_pending());
    rest.discard();
    testing::await_discarded(&rest);
}

#[test]
fn from_try() {
    let future = Future::from_try(Ok(1));
    assert_eq!(future.value(), Some(&1));
    let future = Future::<i32>::from_try(Err(Error::new("error")));
    assert_eq!(future.failure(), Some("error"));
}

#[test]
fn from_try_future() {
    let future = Future::from_try_future(Ok(Future::ready(1)));
    assert_eq!(future.value(), Some(&1));

    let promise = Promise::new();
    let future = Future::from_try_future(Ok(promise.future()));
    assert!(future.is_pending());
    promise.set(1);
    assert_eq!(future.value(), Some(&1));

    let future = Future::<i32>::from_try_future(Err(Error::new("error")));
    assert_eq!(future.failure(), Some("error"));
}

#[test]
fn arrow_operator() {
    let s = Future::ready("hello".to_string());
    assert_eq!(s.value().map(String::len), Some(5));
}

#[test]
fn undiscardable_future() {
    let promise = Promise::new();
    let f = undiscardable(&promise.future());
    f.discard();
    assert!(f.has_discard());
    assert!(!promise.future().has_discard());
    promise.set(42);
    testing::await_eq(42, &f);
}

#[test]
fn undiscardable_lambda() {
    let promise = Promise::<i32>::new();
    let inner = promise.future();
    let f = Future::ready(2).then(undiscardable_fn(move |m: i32| inner.map(move |i| i * m)));
    f.discard();
    assert!(f.has_discard());
    assert!(!promise.future().has_discard());
    promise.set(42);
    testing::await_eq(84, &f);
}

#[test]
fn abandoned() {
    testing::await_abandoned(&Future::<i32>::default());
    let promise = Promise::<i32>::new();
    let future = promise.future();
    assert!(!future.is_abandoned());
    drop(promise);
    testing::await_abandoned(&future);
}

#[test]
fn abandoned_chain() {
    let promise = Promise::<()>::new();
    let future = promise
        .future()
        .map(|()| ())
        .map(|()| "hello world".to_string());
    drop(promise);
    testing::await_abandoned(&future);
}

fn hello_world_chain(promise: &Promise<()>) -> Future<String> {
    promise
        .future()
        .map(|()| "hello".to_string())
        .recover(|_| Future::ready("world".to_string()))
}

#[test]
fn recover_discarded() {
    let promise = Promise::new();
    let future = hello_world_chain(&promise);
    promise.discard();
    testing::await_eq("world".to_string(), &future);
}

#[test]
fn recover_failed() {
    let promise = Promise::new();
    let future = hello_world_chain(&promise);
    promise.fail("Failure");
    testing::await_eq("world".to_string(), &future);
}

#[test]
fn recover_abandoned() {
    let promise = Promise::new();
    let future = hello_world_chain(&promise);
    drop(promise);
    testing::await_eq("world".to_string(), &future);
}

#[test]
fn recover_discard() {
    let (p1, p2, p3, p4) = (
        Promise::<()>::new(),
        Promise::<String>::new(),
        Promise::<String>::new(),
        Promise::<String>::new(),
    );
    let (f2, f3, f4) = (p2.future(), p3.future(), p4.future());
    let future = p1
        .future()
        .map(|()| "hello".to_string())
        .recover(move |_| f2.then(move |_| f3.then(move |_| f4)));

    future.discard();
    p1.discard();
    assert!(!p2.future().has_discard());

    p2.set("not world".to_string());
    assert!(!p3.future().has_discard());
    p3.set("also not world".to_string());
    assert!(!p4.future().has_discard());

    future.discard();
    assert!(p4.future().has_discard());
    p4.set("world".to_string());
    testing::await_eq("world".to_string(), &future);
}

// Beyond the C++ suite: a libprocess future is a std future too.
#[test]
fn std_future() {
    let promise = Promise::new();
    let future = promise.future();
    let waiter = std::thread::spawn(move || block_on(future));
    promise.set(7);
    assert_eq!(waiter.join().unwrap(), Ok(7));

    let abandoned = Promise::<i32>::new().future();
    assert_eq!(block_on(abandoned), Err(libprocess::FutureError::Abandoned));
}

/// A minimal executor: parks the thread until woken.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}
