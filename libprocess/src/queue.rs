//! `Queue`: a FIFO whose `get` returns a future (libprocess' `Queue<T>`).

use std::collections::VecDeque;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::future::{Future, Promise};

struct State<T: Send + Sync + 'static> {
    items: VecDeque<T>,
    waiters: VecDeque<Promise<T>>,
}

/// A queue shared by its clones: `put` never blocks, `get` returns a
/// future that is ready with the next item.
pub struct Queue<T: Send + Sync + 'static> {
    state: Arc<Mutex<State<T>>>,
}

impl<T: Send + Sync + 'static> Queue<T> {
    /// An empty queue.
    pub fn new() -> Queue<T> {
        Queue {
            state: Arc::new(Mutex::new(State {
                items: VecDeque::new(),
                waiters: VecDeque::new(),
            })),
        }
    }

    /// Hands `item` to the oldest waiting `get`, or keeps it.
    pub fn put(&self, item: T) {
        let mut state = self.state.lock();
        // A waiter whose future was discarded gives way to the next.
        while let Some(waiter) = state.waiters.pop_front() {
            if waiter.future().has_discard() {
                waiter.discard();
                continue;
            }
            drop(state);
            waiter.set(item);
            return;
        }
        state.items.push_back(item);
    }

    /// The next item, now or once one is put.
    pub fn get(&self) -> Future<T> {
        let mut state = self.state.lock();
        match state.items.pop_front() {
            Some(item) => Future::ready(item),
            None => {
                let promise = Promise::new();
                let future = promise.future();
                state.waiters.push_back(promise);
                future
            }
        }
    }
}

impl<T: Send + Sync + 'static> Clone for Queue<T> {
    fn clone(&self) -> Queue<T> {
        Queue {
            state: self.state.clone(),
        }
    }
}

impl<T: Send + Sync + 'static> Default for Queue<T> {
    fn default() -> Queue<T> {
        Queue::new()
    }
}

impl<T: Send + Sync + 'static> std::fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.lock();
        write!(
            f,
            "Queue(items: {}, waiters: {})",
            state.items.len(),
            state.waiters.len()
        )
    }
}
