//! The gmock-style expectations the mock scheduler and executor use.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use mesos::testing::Expectations;

#[test]
fn once_actions_run_in_order_then_the_repeated_one() {
    let expectations: Expectations<(), u32> = Expectations::new();
    let seen = Arc::new(parking_lot::Mutex::new(Vec::new()));
    let (a, b, c) = (seen.clone(), seen.clone(), seen.clone());
    expectations
        .will_once(move |_, n| a.lock().push(("first", n)))
        .will_once(move |_, n| b.lock().push(("second", n)))
        .will_repeatedly(move |_, n| c.lock().push(("again", n)));
    for n in 1..=4 {
        expectations.call(&(), n);
    }
    assert_eq!(
        *seen.lock(),
        [("first", 1), ("second", 2), ("again", 3), ("again", 4)]
    );
    assert_eq!(expectations.calls(), 4);
}

#[test]
fn a_future_takes_the_next_call_and_later_calls_are_allowed() {
    let expectations: Expectations<(), String> = Expectations::new();
    let first = expectations.future();
    let second = expectations.future();
    assert!(first.is_pending());
    expectations.call(&(), "a".to_string());
    assert_eq!(first.value().map(String::as_str), Some("a"));
    assert!(second.is_pending());
    expectations.call(&(), "b".to_string());
    expectations.call(&(), "c".to_string());
    assert_eq!(second.value().map(String::as_str), Some("b"));
    assert_eq!(expectations.calls(), 3);
}

#[test]
fn an_action_may_set_expectations_on_its_own_mock() {
    let expectations: Expectations<(), u32> = Expectations::new();
    let inner = expectations.clone();
    let later = Arc::new(AtomicUsize::new(0));
    let counter = later.clone();
    expectations.will_repeatedly(move |_, n| {
        if n == 1 {
            let counter = counter.clone();
            inner.will_once(move |_, m| {
                counter.store(m as usize, Ordering::SeqCst);
            });
        }
    });
    expectations.call(&(), 1);
    expectations.call(&(), 7);
    assert_eq!(later.load(Ordering::SeqCst), 7);
}

#[test]
fn future_and_runs_the_action_with_the_handle() {
    let expectations: Expectations<str, u32> = Expectations::new();
    let handle_seen = Arc::new(parking_lot::Mutex::new(String::new()));
    let seen = handle_seen.clone();
    let future = expectations.future_and(move |handle, n| {
        *seen.lock() = format!("{handle}:{n}");
    });
    expectations.call("driver", 5);
    assert_eq!(future.value(), Some(&5));
    assert_eq!(*handle_seen.lock(), "driver:5");
}
