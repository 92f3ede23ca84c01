//! Where the registry is kept (Mesos' `state::Storage` under the
//! registrar): a trait, and the in-memory storage of `--registry=in_memory`.

use std::sync::Arc;

use libprocess::Future;
use parking_lot::Mutex;

use crate::internal::Registry;

/// Keeps the registry. Implementations may complete their futures later
/// (a replicated log would); the registrar waits for them.
pub trait Storage: Send + 'static {
    /// The stored registry, `None` if nothing was stored yet.
    fn fetch(&mut self) -> Future<Option<Registry>>;

    /// Replaces the stored registry: whether it was stored.
    fn store(&mut self, registry: Registry) -> Future<bool>;
}

/// A registry in memory. Clones share it, so a test can restart a master
/// on the registry its predecessor left.
#[derive(Clone, Debug, Default)]
pub struct InMemoryStorage {
    registry: Arc<Mutex<Option<Registry>>>,
}

impl InMemoryStorage {
    /// An empty storage.
    pub fn new() -> InMemoryStorage {
        InMemoryStorage::default()
    }
}

impl Storage for InMemoryStorage {
    fn fetch(&mut self) -> Future<Option<Registry>> {
        Future::ready(self.registry.lock().clone())
    }

    fn store(&mut self, registry: Registry) -> Future<bool> {
        *self.registry.lock() = Some(registry);
        Future::ready(true)
    }
}
