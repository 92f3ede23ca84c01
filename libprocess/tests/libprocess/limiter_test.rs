//! libprocess' `LimiterTest`.

use libprocess::testing::{self, await_discarded, await_ready};
use libprocess::{Clock, RateLimiter};
use stout::Duration;

const PERMITS: u32 = 2;

fn duration() -> Duration {
    Duration::from_millis(5)
}

fn interval() -> Duration {
    duration() / i64::from(PERMITS)
}

#[test]
fn acquire() {
    let _rt = testing::runtime();
    let limiter = RateLimiter::new(PERMITS, duration());

    Clock::pause();

    let acquire1 = limiter.acquire();
    let acquire2 = limiter.acquire();
    let acquire3 = limiter.acquire();

    await_ready(&acquire1);

    Clock::advance(interval());
    await_ready(&acquire2);
    assert!(acquire3.is_pending());

    Clock::advance(interval());
    await_ready(&acquire3);
}

#[test]
fn discard_middle() {
    let _rt = testing::runtime();
    let limiter = RateLimiter::new(PERMITS, duration());

    Clock::pause();

    let acquire1 = limiter.acquire();
    let acquire2 = limiter.acquire();
    let acquire3 = limiter.acquire();
    let acquire4 = limiter.acquire();

    await_ready(&acquire1);

    acquire2.discard();

    // The discarded one's turn goes to the next.
    Clock::advance(interval());
    await_ready(&acquire3);

    await_discarded(&acquire2);

    Clock::advance(interval());
    await_ready(&acquire4);
}

#[test]
fn discard_last() {
    let _rt = testing::runtime();
    let limiter = RateLimiter::new(PERMITS, duration());

    Clock::pause();

    let acquire1 = limiter.acquire();
    let acquire2 = limiter.acquire();

    await_ready(&acquire1);

    acquire2.discard();

    let acquire3 = limiter.acquire();

    // Within one interval, in the discarded one's place.
    Clock::advance(interval());
    await_ready(&acquire3);
}
