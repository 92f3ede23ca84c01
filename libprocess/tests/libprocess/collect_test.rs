use libprocess::testing;
use libprocess::{collect, Future, Promise};

fn out_of_order() -> (Vec<Promise<i32>>, Vec<Future<i32>>) {
    let promises: Vec<Promise<i32>> = (0..4).map(|_| Promise::new()).collect();
    let futures = promises.iter().map(Promise::future).collect();
    for i in [3, 1, 0, 2] {
        promises[i].set(i as i32 + 1);
    }
    (promises, futures)
}

#[test]
fn ready() {
    testing::await_eq(Vec::<i32>::new(), &collect(Vec::<Future<i32>>::new()));
    let (_promises, futures) = out_of_order();
    testing::await_eq(vec![1, 2, 3, 4], &collect(futures));
}

#[test]
fn failure() {
    let (p1, p2) = (Promise::<i32>::new(), Promise::<i32>::new());
    let collected = collect(vec![p1.future(), p2.future()]);
    assert!(collected.is_pending());
    p1.set(42);
    assert!(collected.is_pending());
    p2.set(1);
    testing::await_eq(vec![42, 1], &collected);

    let p3 = Promise::<i32>::new();
    let collected = collect(vec![p1.future(), p3.future()]);
    assert!(collected.is_pending());
    p3.fail("failure");
    assert_eq!(testing::await_failed(&collected), "Collect failed: failure");

    let p4 = Promise::<i32>::new();
    let collected = collect(vec![p1.future(), p4.future()]);
    assert!(collected.is_pending());
    p4.discard();
    assert_eq!(
        testing::await_failed(&collected),
        "Collect failed: future discarded"
    );
}

pub(crate) fn discarding_promises() -> (std::sync::Arc<Promise<i32>>, std::sync::Arc<Promise<i32>>)
{
    let p1 = std::sync::Arc::new(Promise::new());
    let p2 = std::sync::Arc::new(Promise::new());
    for p in [&p1, &p2] {
        let weak = std::sync::Arc::downgrade(p);
        p.future().on_discard(move || {
            if let Some(p) = weak.upgrade() {
                p.discard();
            }
        });
    }
    (p1, p2)
}

#[test]
fn discard_propagation() {
    let (p1, p2) = discarding_promises();
    let collected = collect(vec![p1.future(), p2.future()]);
    collected.discard();
    testing::await_discarded(&collected);
    testing::await_discarded(&p1.future());
    testing::await_discarded(&p2.future());
}

#[test]
fn abandoned_propagation() {
    let promise = Promise::<i32>::new();
    let future = collect(vec![promise.future()])
        .recover(|collected| {
            if collected.is_abandoned() {
                Future::ready(vec![42])
            } else {
                collected.clone()
            }
        })
        .map(|values| values[0]);
    drop(promise);
    testing::await_eq(42, &future);
}
