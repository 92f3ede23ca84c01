//! libprocess' `MutexTest`.

use libprocess::testing;
use libprocess::Mutex;

#[test]
fn lock() {
    let _rt = testing::runtime();
    let mutex = Mutex::new();

    // Free: acquired right away.
    assert!(mutex.lock().is_ready());

    // And again once released.
    mutex.unlock();
    assert!(mutex.lock().is_ready());
}

#[test]
fn block() {
    let _rt = testing::runtime();
    let mutex = Mutex::new();

    assert!(mutex.lock().is_ready());

    // Held: the next lock waits.
    let locked = mutex.lock();
    assert!(locked.is_pending());

    mutex.unlock();
    assert!(locked.is_ready());
}

#[test]
fn queue() {
    let _rt = testing::runtime();
    let mutex = Mutex::new();

    assert!(mutex.lock().is_ready());

    let locked1 = mutex.lock();
    let locked2 = mutex.lock();
    assert!(locked1.is_pending());
    assert!(locked2.is_pending());

    // In the order asked for.
    mutex.unlock();
    assert!(locked1.is_ready());
    assert!(locked2.is_pending());

    mutex.unlock();
    assert!(locked2.is_ready());
}
