//! The test support itself: failures name what went wrong and where.

use std::panic::{catch_unwind, AssertUnwindSafe};

use libprocess::testing::{self, ANY};
use libprocess::{post, spawn, Clock, Future, Process, Promise, UPID};
use stout::Duration;

struct Silent;

impl Process for Silent {}

/// The message of the panic `result` holds (the other suites' too).
pub(crate) fn panic_message(result: std::thread::Result<()>) -> String {
    let payload = result.expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn await_ready_names_the_state_and_the_caller() {
    let _rt = testing::runtime();
    let promise = Promise::<i32>::new();
    let future = promise.future();
    let message = panic_message(catch_unwind(AssertUnwindSafe(|| {
        testing::await_ready_for(&future, Duration::from_millis(10));
    })));
    assert!(message.contains("AWAIT_READY failed at"), "{message}");
    assert!(message.contains("testing_test.rs"), "{message}");
    assert!(message.contains("still PENDING after 10ms"), "{message}");

    promise.fail("boom");
    let message = panic_message(catch_unwind(AssertUnwindSafe(|| {
        testing::await_ready(&future);
    })));
    assert!(message.ends_with("the future is FAILED: boom"), "{message}");

    let message = panic_message(catch_unwind(|| {
        testing::await_failed(&Future::ready(1));
    }));
    assert!(message.ends_with("the future is READY"), "{message}");
}

#[test]
fn expect_no_future_messages_fails_the_test() {
    let message = panic_message(catch_unwind(|| {
        let _rt = testing::runtime();
        let pid = spawn(Silent);
        testing::expect_no_future_messages("unwanted", ANY, &pid);
        post(&UPID::empty(), pid.upid(), "unwanted", "");
        Clock::pause();
        Clock::settle();
    }));
    assert!(message.starts_with("Unexpected events:"), "{message}");
    assert!(message.contains("unwanted"), "{message}");
}

#[test]
fn the_clock_is_resumed_when_a_test_panics() {
    let result = catch_unwind(|| {
        let _rt = testing::runtime();
        Clock::pause();
        panic!("test failure");
    });
    assert!(result.is_err());
    // Outside any test runtime the process-wide runtime's clock runs.
    assert!(!Clock::paused());
}
