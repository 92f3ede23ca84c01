//! libprocess' `CountDownLatchTest`.

use libprocess::testing::{self, await_ready};
use libprocess::CountDownLatch;

#[test]
fn triggered() {
    let _rt = testing::runtime();
    let latch = CountDownLatch::new(5);

    let triggered = latch.triggered();

    for _ in 0..4 {
        latch.decrement();
        assert!(triggered.is_pending());
    }

    latch.decrement();

    await_ready(&triggered);
}

#[test]
fn threads() {
    let _rt = testing::runtime();
    let latch = CountDownLatch::new(5);

    std::thread::scope(|scope| {
        for _ in 0..5 {
            scope.spawn(|| latch.decrement());
        }
    });

    await_ready(&latch.triggered());
}
