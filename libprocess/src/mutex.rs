//! `Mutex`: an asynchronous lock whose holders wait on futures
//! (libprocess' `process::Mutex`).

use std::collections::VecDeque;
use std::sync::Arc;

use crate::future::{Future, Promise};

#[derive(Default)]
struct State {
    locked: bool,
    /// Those waiting for the lock, first come first served.
    waiters: VecDeque<Promise<()>>,
}

/// A lock taken through a future: [`Mutex::lock`] is ready right away when
/// the mutex is free, otherwise once every earlier holder has called
/// [`Mutex::unlock`], in FIFO order. Nothing ties the lock to a thread or
/// a process. Clones share the same lock.
#[derive(Clone, Default)]
pub struct Mutex {
    state: Arc<parking_lot::Mutex<State>>,
}

impl std::fmt::Debug for Mutex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.lock();
        f.debug_struct("Mutex")
            .field("locked", &state.locked)
            .field("waiters", &state.waiters.len())
            .finish()
    }
}

impl Mutex {
    /// A mutex nobody holds.
    pub fn new() -> Mutex {
        Mutex::default()
    }

    /// Ready once the caller holds the lock.
    pub fn lock(&self) -> Future<()> {
        let mut state = self.state.lock();
        if !state.locked {
            state.locked = true;
            return Future::ready(());
        }
        let waiter = Promise::new();
        let future = waiter.future();
        state.waiters.push_back(waiter);
        future
    }

    /// Releases the lock: the first waiter, if any, gets it. A waiter whose
    /// future was discarded still gets it, as in libprocess.
    pub fn unlock(&self) {
        let next = {
            let mut state = self.state.lock();
            let next = state.waiters.pop_front();
            if next.is_none() {
                state.locked = false;
            }
            next
        };
        // Outside the lock: the waiter's callbacks may lock again.
        if let Some(waiter) = next {
            waiter.set(());
        }
    }
}
