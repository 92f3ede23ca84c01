//! The registrar (Mesos' `master/registrar`): the master's persistent
//! record of admitted, unreachable and gone agents, the `Registry`.
//!
//! Operations ([`AdmitSlave`], [`RemoveSlave`], [`MarkSlaveUnreachable`],
//! [`MarkSlaveReachable`]) change a copy of the registry; the registrar
//! stores it through a [`Storage`] and completes the operation's future
//! once stored. Operations apply one at a time, in the order they were
//! asked for, as Mesos' registrar serializes them.

mod metrics;
mod operations;
mod storage;

use std::collections::{HashSet, VecDeque};

use libprocess::{
    dispatch, spawn, terminate, Future, Handlers, Outcome, Process, Promise, SelfPid, PID,
};

pub use operations::{AdmitSlave, MarkSlaveReachable, MarkSlaveUnreachable, RemoveSlave};
pub use storage::{InMemoryStorage, Storage};

use crate::internal::registry::Master as RegistryMaster;
use crate::internal::Registry;
use crate::{MasterInfo, SlaveId};

/// A change to the registry (Mesos' `RegistryOperation`).
pub trait Operation: Send + 'static {
    /// Applies the change to `registry`, whose admitted agents are
    /// `admitted`: whether it changed anything, or why it cannot apply.
    fn perform(
        &mut self,
        registry: &mut Registry,
        admitted: &mut HashSet<SlaveId>,
    ) -> stout::Try<bool>;
}

/// The registrar: a process owning the registry and its storage. Dropping
/// the handle terminates the process.
pub struct Registrar {
    pid: PID<RegistrarProcess>,
}

impl std::fmt::Debug for Registrar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registrar").field("pid", &self.pid).finish()
    }
}

impl Registrar {
    /// A registrar over `storage`, spawned on the current runtime.
    pub fn new(storage: Box<dyn Storage>) -> Registrar {
        let pid = spawn(RegistrarProcess {
            storage,
            registry: None,
            admitted: HashSet::new(),
            pending: VecDeque::new(),
            updating: false,
            metrics: None,
        });
        Registrar { pid }
    }

    /// Reads the registry from storage and records `info` as the leading
    /// master in it; ready with the registry once that is stored.
    pub fn recover(&self, info: MasterInfo) -> Future<Registry> {
        libprocess::dispatch!(self.pid, RegistrarProcess::recover, info)
    }

    /// Applies `operation`: ready with whether it changed the registry,
    /// once stored; failed if it could not apply (e.g. `Agent already
    /// admitted`) or before recovery.
    pub fn apply(&self, operation: Box<dyn Operation>) -> Future<bool> {
        libprocess::dispatch!(self.pid, RegistrarProcess::apply, operation)
    }

    /// The registry as last stored (`None` before recovery).
    pub fn registry(&self) -> Future<Option<Registry>> {
        dispatch(&self.pid, |registrar| registrar.registry.clone())
    }
}

impl Drop for Registrar {
    fn drop(&mut self) {
        terminate(&self.pid, true);
    }
}

struct RegistrarProcess {
    storage: Box<dyn Storage>,
    /// The registry as stored; `None` until recovered.
    registry: Option<Registry>,
    /// The admitted agents' IDs, to find them without a scan.
    admitted: HashSet<SlaveId>,
    pending: VecDeque<(Box<dyn Operation>, Promise<bool>)>,
    /// Whether a store is in flight.
    updating: bool,
    /// Published while the process runs.
    metrics: Option<metrics::Metrics>,
}

impl Process for RegistrarProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "registrar".into()
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        self.metrics = Some(metrics::Metrics::new(&self.self_pid()));
    }

    fn finalize(&mut self) {
        if let Some(metrics) = self.metrics.take() {
            metrics.remove();
        }
    }
}

impl RegistrarProcess {
    fn recover(&mut self, info: MasterInfo) -> Future<Registry> {
        let pid = self.self_pid();
        let mut fetch = self.storage.fetch();
        if let Some(metrics) = &self.metrics {
            fetch = metrics.state_fetch.time(fetch);
        }
        fetch.then(move |fetched| {
            libprocess::dispatch!(
                pid,
                RegistrarProcess::recovered,
                fetched.unwrap_or_default(),
                info
            )
        })
    }

    fn recovered(&mut self, mut registry: Registry, info: MasterInfo) -> Future<Registry> {
        registry.master = Some(RegistryMaster { info });
        let pid = self.self_pid();
        self.store(registry.clone()).then(move |stored| {
            if !stored {
                return Future::failed("Failed to update registry: version mismatch");
            }
            libprocess::dispatch!(pid, RegistrarProcess::_recovered, registry)
        })
    }

    fn _recovered(&mut self, registry: Registry) -> Registry {
        self.admitted = admitted_of(&registry);
        self.registry = Some(registry.clone());
        self.update();
        registry
    }

    fn apply(&mut self, operation: Box<dyn Operation>) -> Future<bool> {
        if self.registry.is_none() {
            return Future::failed("Attempted to apply the operation before recovering");
        }
        let promise = Promise::new();
        let future = promise.future();
        self.pending.push_back((operation, promise));
        self.update();
        future
    }

    /// Stores `registry`, timed.
    fn store(&mut self, registry: Registry) -> Future<bool> {
        let stored = self.storage.store(registry);
        match &self.metrics {
            Some(metrics) => metrics.state_store.time(stored),
            None => stored,
        }
    }

    /// Applies the next queued operation, if none is being stored.
    fn update(&mut self) {
        if self.updating {
            return;
        }
        let Some(registry) = &self.registry else {
            return;
        };
        let Some((mut operation, promise)) = self.pending.pop_front() else {
            return;
        };
        let mut registry = registry.clone();
        let mut admitted = self.admitted.clone();
        let mutated = match operation.perform(&mut registry, &mut admitted) {
            Ok(mutated) => mutated,
            Err(error) => {
                promise.fail(error.to_string());
                return self.update();
            }
        };
        if !mutated {
            promise.set(false);
            return self.update();
        }
        self.updating = true;
        let pid = self.self_pid();
        self.store(registry.clone()).on_any(move |stored| {
            dispatch(&pid, move |registrar: &mut RegistrarProcess| {
                registrar.updating = false;
                match stored.outcome() {
                    Some(Outcome::Ready(true)) => {
                        registrar.registry = Some(registry);
                        registrar.admitted = admitted;
                        promise.set(true);
                    }
                    Some(Outcome::Ready(false)) => {
                        promise.fail("Failed to update registry: version mismatch");
                    }
                    Some(Outcome::Failed(message)) => {
                        promise.fail(format!("Failed to update registry: {}", message));
                    }
                    _ => {
                        promise.fail("Failed to update registry: discarded");
                    }
                }
                registrar.update();
            });
        });
    }
}

fn admitted_of(registry: &Registry) -> HashSet<SlaveId> {
    registry
        .slaves
        .iter()
        .flat_map(|slaves| slaves.slaves.iter())
        .filter_map(|slave| slave.info.id.clone())
        .collect()
}
