//! Combining futures: `collect` (all values), `await_all` (all outcomes),
//! `await_one` and `select` (the first value).

use std::sync::Arc;

use parking_lot::Mutex;

use crate::future::{take, Future, Outcome, Promise};

type Slot<R> = Arc<Mutex<Option<Promise<R>>>>;

/// The result of combining `inputs`, and the slot of its promise: whoever
/// takes the promise decides the result. Discarding the result takes it,
/// discards every input, then discards the result; an abandoned input
/// drops it, abandoning the result.
fn combined<T, R>(inputs: &[Future<T>]) -> (Slot<R>, Future<R>)
where
    T: Send + Sync + 'static,
    R: Send + Sync + 'static,
{
    let promise = Promise::new();
    let result = promise.future();
    let slot = Arc::new(Mutex::new(Some(promise)));
    let weak: Vec<_> = inputs.iter().map(Future::downgrade).collect();
    let on_discard = slot.clone();
    result.on_discard(move || {
        // Taken first, so inputs completing as they are discarded find the
        // result already decided.
        let promise = take(&on_discard);
        for input in weak.iter().filter_map(|f| f.upgrade()) {
            input.discard();
        }
        if let Some(promise) = promise {
            promise.discard();
        }
    });
    for input in inputs {
        let slot = slot.clone();
        input.on_abandoned(move || drop(take(&slot)));
    }
    (slot, result)
}

/// The values of all `futures`, in order, once all are ready. Fails as soon
/// as one fails (`Collect failed: <message>`) or is discarded (`Collect
/// failed: future discarded`); abandoned if one is abandoned. Discarding
/// the result discards every input.
pub fn collect<T: Clone + Send + Sync + 'static>(futures: Vec<Future<T>>) -> Future<Vec<T>> {
    if futures.is_empty() {
        return Future::ready(Vec::new());
    }
    let (promise, result) = combined(&futures);
    let values = Arc::new(Mutex::new((vec![None; futures.len()], futures.len())));
    for (i, future) in futures.iter().enumerate() {
        let promise = promise.clone();
        let values = values.clone();
        future.on_any_ref(move |future| {
            let outcome = match future.outcome() {
                Some(Outcome::Ready(value)) => {
                    let mut values = values.lock();
                    values.0[i] = Some(value.clone());
                    values.1 -= 1;
                    if values.1 > 0 {
                        return;
                    }
                    Outcome::Ready(values.0.iter_mut().filter_map(Option::take).collect())
                }
                Some(Outcome::Failed(message)) => {
                    Outcome::Failed(format!("Collect failed: {}", message))
                }
                _ => Outcome::Failed("Collect failed: future discarded".to_string()),
            };
            let Some(promise) = promise.lock().take() else {
                return;
            };
            match outcome {
                Outcome::Ready(values) => promise.set(values),
                Outcome::Failed(message) => promise.fail(message),
                Outcome::Discarded => promise.discard(),
            };
        });
    }
    result
}

/// The futures themselves, once none is pending, whatever their outcome
/// (libprocess' `await`). Never fails; abandoned if an input is abandoned;
/// discarding it discards every input.
pub fn await_all<T: Send + Sync + 'static>(futures: Vec<Future<T>>) -> Future<Vec<Future<T>>> {
    if futures.is_empty() {
        return Future::ready(Vec::new());
    }
    let (promise, result) = combined(&futures);
    let remaining = Arc::new(Mutex::new(futures.len()));
    let all = Arc::new(futures);
    for future in all.iter() {
        let promise = promise.clone();
        let remaining = remaining.clone();
        let all = Arc::downgrade(&all);
        future.on_any(move |_| {
            {
                let mut remaining = remaining.lock();
                *remaining -= 1;
                if *remaining > 0 {
                    return;
                }
            }
            let Some(promise) = promise.lock().take() else {
                return;
            };
            if let Some(all) = all.upgrade() {
                promise.set(all.as_ref().clone());
            }
        });
    }
    // Keep the inputs alive until the last completes.
    let keep = all.clone();
    result.on_any(move |_| drop(keep));
    result
}

/// The future itself once it is no longer pending, so a chain can go on
/// even if the future ignores a discard: discarding the result discards
/// the input and the result at once.
pub fn await_one<T: Send + Sync + 'static>(future: Future<T>) -> Future<Future<T>> {
    await_all(vec![future]).then(|mut futures| Future::ready(futures.remove(0)))
}

/// The first of `futures` to become ready. Failed and discarded inputs are
/// ignored; if none becomes ready, the result stays pending. Discarding
/// the result discards only the result.
pub fn select<T: Send + Sync + 'static>(futures: Vec<Future<T>>) -> Future<Future<T>> {
    let promise = Arc::new(Mutex::new(Some(Promise::new())));
    let result = promise.lock().as_ref().expect("just made").future();
    let on_discard = promise.clone();
    result.on_discard(move || {
        if let Some(promise) = take(&on_discard) {
            promise.discard();
        }
    });
    for future in futures {
        let promise = promise.clone();
        let handle = future.clone();
        future.on_any_ref(move |f| {
            if f.is_ready() {
                if let Some(promise) = take(&promise) {
                    promise.set(handle);
                }
            }
        });
    }
    result
}
