//! Randomness, drawn from a source the runtime owns: seeded from the
//! operating system by default, from a [`Simulation`](crate::Simulation)'s
//! seed in one, so that everything a simulated cluster draws (UUIDs, IDs,
//! backoff jitter) replays from the seed. Code on the runtime draws here,
//! never from the OS directly.

use parking_lot::Mutex;
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::runtime::Inner;

/// A runtime's source of randomness.
pub(crate) struct Random {
    rng: Mutex<ChaCha8Rng>,
}

impl Random {
    /// A source that replays from `seed`; `stream` separates the draws of
    /// different users of one seed (the scheduler's from the code's).
    pub(crate) fn seeded(seed: u64, stream: u64) -> Random {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Random {
            rng: Mutex::new(rng),
        }
    }

    /// A source seeded from the operating system.
    pub(crate) fn from_os() -> Random {
        Random::seeded(os_seed(), 0)
    }

    pub(crate) fn next_u64(&self) -> u64 {
        self.rng.lock().next_u64()
    }

    /// A uniform draw from `0..n` (`n` > 0).
    pub(crate) fn below(&self, n: u64) -> u64 {
        // Rejection sampling: no bias towards small values.
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    fn fill(&self, bytes: &mut [u8]) {
        self.rng.lock().fill_bytes(bytes)
    }
}

/// A seed from the operating system's generator.
pub(crate) fn os_seed() -> u64 {
    let bytes = stout::Uuid::random().to_bytes();
    u64::from_le_bytes(bytes[..8].try_into().expect("16 bytes"))
}

/// A random `u64` from the current runtime's source.
pub fn next_u64() -> u64 {
    Inner::with(|inner| inner.random.next_u64())
}

/// A uniform random number in `0..n`; 0 when `n` is 0.
pub fn below(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    Inner::with(|inner| inner.random.below(n))
}

/// Fills `bytes` from the current runtime's source.
pub fn fill(bytes: &mut [u8]) {
    Inner::with(|inner| inner.random.fill(bytes))
}

/// A random (version 4) UUID from the current runtime's source: what
/// Mesos draws for master IDs, container IDs and status update UUIDs.
pub fn uuid() -> stout::Uuid {
    let mut bytes = [0; 16];
    fill(&mut bytes);
    stout::Uuid::from_random_bytes(bytes)
}
