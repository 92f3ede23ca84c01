use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use libprocess::testing;
use libprocess::{loop_, ControlFlow, Future, Promise, Queue};

#[test]
fn sync() {
    let _rt = testing::runtime();
    let value = Arc::new(AtomicI32::new(1));
    let v = value.clone();
    let future = loop_(
        move || Future::ready(v.load(Ordering::SeqCst)),
        |i| {
            Future::ready(if i != 0 {
                ControlFlow::Continue
            } else {
                ControlFlow::Break(())
            })
        },
    );
    assert!(future.is_pending());
    value.store(0, Ordering::SeqCst);
    testing::await_ready(&future);
}

#[test]
fn async_() {
    let _rt = testing::runtime();
    let queue = Queue::<i32>::new();
    let (promise1, promise2) = (Promise::<i32>::new(), Promise::<String>::new());
    let (f1, f2) = (promise1.future(), promise2.future());
    let promise1 = Arc::new(promise1);
    let q = queue.clone();
    let future = loop_(
        move || q.get(),
        move |i| {
            promise1.set(i);
            f2.map(ControlFlow::Break)
        },
    );
    assert!(future.is_pending());
    queue.put(1);
    testing::await_eq(1, &f1);
    assert!(future.is_pending());
    promise2.set("Hello world!".to_string());
    testing::await_eq("Hello world!".to_string(), &future);
}

fn discarding_promise() -> Arc<Promise<i32>> {
    let promise = Arc::new(Promise::new());
    let weak = Arc::downgrade(&promise);
    promise.future().on_discard(move || {
        if let Some(p) = weak.upgrade() {
            p.discard();
        }
    });
    promise
}

#[test]
fn discard_iterate() {
    let _rt = testing::runtime();
    let promise = discarding_promise();
    let p = promise.clone();
    let future = loop_(
        move || p.future(),
        |_| Future::ready(ControlFlow::Break(())),
    );
    assert!(future.is_pending());
    future.discard();
    testing::await_discarded(&future);
    assert!(promise.future().has_discard());
}

#[test]
fn discard_body() {
    let _rt = testing::runtime();
    let promise = discarding_promise();
    let p = promise.clone();
    let future = loop_(
        || Future::ready(42),
        move |_| p.future().map(|_| ControlFlow::Break(())),
    );
    assert!(future.is_pending());
    future.discard();
    testing::await_discarded(&future);
    assert!(promise.future().has_discard());
}
