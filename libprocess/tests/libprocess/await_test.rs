use libprocess::testing;
use libprocess::{await_all, await_one, Future, Promise};

use crate::collect_test::discarding_promises;

#[test]
fn success() {
    let empty = testing::await_ready(&await_all(Vec::<Future<i32>>::new()));
    assert!(empty.is_empty());

    let promises: Vec<Promise<i32>> = (0..4).map(|_| Promise::new()).collect();
    let futures: Vec<Future<i32>> = promises.iter().map(Promise::future).collect();
    for i in [3, 1, 0, 2] {
        promises[i].set(i as i32 + 1);
    }
    let all = testing::await_ready(&await_all(futures.clone()));
    assert_eq!(all.len(), futures.len());
    for (i, future) in all.iter().enumerate() {
        assert_eq!(future.value(), Some(&(i as i32 + 1)));
    }
}

#[test]
fn failure() {
    let (p1, p2) = (Promise::<i32>::new(), Promise::<i32>::new());
    let all = await_all(vec![p1.future(), p2.future()]);
    assert!(all.is_pending());
    p1.set(42);
    assert!(all.is_pending());
    p2.fail("failure message");
    let futures = testing::await_ready(&all);
    assert_eq!(futures[0].value(), Some(&42));
    assert!(futures[1].is_failed());
}

#[test]
fn discarded() {
    let (p1, p2) = (Promise::<i32>::new(), Promise::<i32>::new());
    let all = await_all(vec![p1.future(), p2.future()]);
    p1.set(42);
    assert!(all.is_pending());
    p2.discard();
    let futures = testing::await_ready(&all);
    assert_eq!(futures[0].value(), Some(&42));
    assert!(futures[1].is_discarded());
}

#[test]
fn discard_propagation() {
    let (p1, p2) = discarding_promises();
    let all = await_all(vec![p1.future(), p2.future()]);
    all.discard();
    testing::await_discarded(&all);
    testing::await_discarded(&p1.future());
    testing::await_discarded(&p2.future());
}

#[test]
fn abandoned_propagation() {
    let promise = Promise::<i32>::new();
    let future = await_all(vec![promise.future(), Future::default()])
        .recover(|all| {
            if all.is_abandoned() {
                Future::ready(vec![Future::ready(42), Future::ready(0)])
            } else {
                all.clone()
            }
        })
        .then(|futures| futures[0].clone());
    drop(promise);
    testing::await_eq(42, &future);
}

fn foo(promise: &Promise<i32>) -> Future<String> {
    await_one(promise.future()).then(|f| f.map(|i| i.to_string()))
}

#[test]
fn await_single_discard() {
    let promise = Promise::<i32>::new();
    let future = foo(&promise);
    future.discard();
    testing::await_discarded(&future);
    assert!(promise.future().has_discard());
}

#[test]
fn await_single_abandon() {
    let promise = Promise::<i32>::new();
    let future = foo(&promise).recover(|f| {
        if f.is_abandoned() {
            Future::ready("hello".to_string())
        } else {
            f.clone()
        }
    });
    drop(promise);
    testing::await_eq("hello".to_string(), &future);
}
