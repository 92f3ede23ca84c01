//! The runtime: the process table, the worker threads that run processes,
//! the clock's timers, links and message routing (libprocess'
//! `ProcessManager`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::thread::JoinHandle;

use dashmap::DashMap;
use parking_lot::{Mutex, RwLock};
use rustc_hash::FxBuildHasher;

pub(crate) use crate::cell::Cell;
use crate::cell::{event_ref, Enqueued};
use crate::clock::{self, SharedClock};
use crate::event::{Event, Message, Queued};
use crate::filter::Filter;
use crate::id::Id;
use crate::process::{Process, Slot};
use crate::random::Random;
use crate::scheduler::Scheduler;
use crate::{Address, PID, UPID};

mod builder;
mod recent;

pub use builder::Builder;

thread_local! {
    /// The runtime of this thread: a worker's own, or the one entered.
    static CURRENT_RUNTIME: RefCell<Option<Arc<Inner>>> = const { RefCell::new(None) };
    /// The process a worker is running (libprocess' `__process__`): the
    /// `Arc` that `Cell::run_limited` was called with, or null. A pointer
    /// rather than a clone of the `Arc`: the clone and its drop were two
    /// of the six atomic operations of running a process for one event.
    static CURRENT_PROCESS: std::cell::Cell<*const Arc<Cell>> =
        const { std::cell::Cell::new(std::ptr::null()) };
}

/// Calls `f` with the process running on this thread, if any.
#[inline(always)]
pub(crate) fn with_current_process<R>(f: impl FnOnce(Option<&Arc<Cell>>) -> R) -> R {
    let current = CURRENT_PROCESS.with(|c| c.get());
    #[allow(unsafe_code)]
    // SAFETY: only `set_current_process` sets it, to the `&Arc<Cell>` that
    // `Cell::run_limited` borrows for its whole run, and the pointer that
    // was there before is put back before that borrow ends (on return, and
    // while unwinding). So a non-null pointer is to a live `Arc`, which
    // outlives `f` (a nested run only replaces the pointer for a while).
    // It never leaves this thread.
    f(unsafe { current.as_ref() })
}

/// Makes `current` (or none) the process running on this thread, and
/// returns the one before; see [`with_current_process`] for what the
/// caller keeps alive.
#[inline(always)]
pub(crate) fn set_current_process(current: *const Arc<Cell>) -> *const Arc<Cell> {
    CURRENT_PROCESS.with(|c| c.replace(current))
}

/// An instance of libprocess: processes, worker threads, a clock and (with
/// the transport) one address. Most code uses the runtime of the current
/// thread through free functions ([`spawn`], [`dispatch`](crate::dispatch()),
/// [`Clock`](crate::Clock)); threads outside any runtime use a process-wide
/// default one, as a libprocess binary does.
///
/// Dropping a `Runtime` stops its threads and drops its processes.
#[derive(Debug)]
pub struct Runtime {
    inner: Arc<Inner>,
    threads: Vec<JoinHandle<()>>,
}

impl Runtime {
    /// A runtime with the default settings.
    pub fn new() -> Runtime {
        Builder::default().build()
    }

    /// Settings for a new runtime.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Makes this the current thread's runtime until the guard drops.
    pub fn enter(&self) -> EnterGuard {
        enter(&self.inner)
    }

    /// A handle another thread can enter this runtime with (a signal
    /// waiter, say); it does not keep the runtime's threads running.
    pub fn handle(&self) -> Handle {
        Handle {
            inner: self.inner.clone(),
        }
    }

    /// The address in this runtime's UPIDs.
    pub fn address(&self) -> Address {
        self.inner.address
    }
}

impl Default for Runtime {
    fn default() -> Runtime {
        Runtime::new()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(transport) = self.inner.transport.get() {
            transport.shutdown();
        }
        if let Some(endpoint) = self.inner.network.get() {
            endpoint.detach();
        }
        self.inner.shutdown.store(true, Ordering::SeqCst);
        if !self.inner.scheduler.is_seeded() {
            self.inner.scheduler.wake_all();
            self.inner.clock.stop();
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        // Processes may hold PIDs of each other; clearing the table here
        // releases them even if a cycle of Arcs would otherwise remain.
        let cells: Vec<Arc<Cell>> = self
            .inner
            .processes
            .iter()
            .map(|e| e.value().clone())
            .collect();
        self.inner.processes.clear();
        for cell in cells {
            cell.close();
        }
        self.inner.links.lock().clear();
    }
}

fn enter(inner: &Arc<Inner>) -> EnterGuard {
    let previous = CURRENT_RUNTIME.with(|c| c.replace(Some(inner.clone())));
    EnterGuard { previous }
}

/// A runtime to enter from another thread ([`Runtime::handle`]).
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

impl Handle {
    /// The current thread's runtime (the process-wide default one outside
    /// any runtime).
    pub fn current() -> Handle {
        Handle {
            inner: Inner::with(Arc::clone),
        }
    }

    /// Makes the runtime the current thread's until the guard drops.
    pub fn enter(&self) -> EnterGuard {
        enter(&self.inner)
    }
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("address", &self.inner.address)
            .finish()
    }
}

/// Restores the previous runtime of the thread when dropped.
#[derive(Debug)]
pub struct EnterGuard {
    previous: Option<Arc<Inner>>,
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT_RUNTIME.with(|c| c.replace(previous));
    }
}

pub(crate) struct Inner {
    address: Address,
    processes: DashMap<Id, Arc<Cell>, FxBuildHasher>,
    /// Shared by the runtimes of a simulation, as are the clock and the
    /// source of randomness.
    pub(crate) scheduler: Arc<Scheduler>,
    pub(crate) clock: Arc<SharedClock>,
    /// Mirrors the clock's `paused` for the send path (set on every runtime
    /// of the clock).
    pub(crate) paused: AtomicBool,
    pub(crate) random: Arc<Random>,
    ids: Mutex<HashMap<String, u64>>,
    /// Linkee id to its linkers.
    links: Mutex<HashMap<Id, Vec<Weak<Cell>>>>,
    filter: RwLock<Option<Arc<dyn Filter>>>,
    filtering: AtomicBool,
    /// The metrics registered on this runtime.
    pub(crate) metrics: OnceLock<Arc<crate::metrics::Registry>>,
    /// Sockets, when the runtime listens.
    transport: OnceLock<crate::transport::Transport>,
    /// Its place on an in-memory network, when it joined one.
    pub(crate) network: OnceLock<crate::network::Endpoint>,
    /// TLS for the transport and the HTTP client, when enabled.
    pub(crate) tls: Option<Arc<crate::ssl::Context>>,
    /// The process `defer_here` uses outside any process.
    default_executor: OnceLock<UPID>,
    /// The `__reaper__` process behind `reap`, spawned on first use.
    reaper: OnceLock<PID<crate::reap::ReaperProcess>>,
    /// The expectations of `testing`, installed as the filter on first use.
    pub(crate) tests_filter: OnceLock<Arc<crate::testing::TestsFilter>>,
    /// Firewall rules, authenticators and the delegate for HTTP.
    pub(crate) http: crate::http::server::ServerState,
    /// Panics out of handlers.
    pub(crate) faults: crate::fault::Faults,
    pub(crate) shutdown: AtomicBool,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("address", &self.address)
            .field("processes", &self.processes.len())
            .finish()
    }
}

fn global() -> &'static Runtime {
    static GLOBAL: OnceLock<Runtime> = OnceLock::new();
    GLOBAL.get_or_init(Runtime::new)
}

impl Inner {
    /// The current thread's runtime, or the process-wide default one.
    pub(crate) fn current() -> Arc<Inner> {
        CURRENT_RUNTIME
            .with(|c| c.try_borrow().ok().and_then(|c| c.clone()))
            .unwrap_or_else(|| global().inner.clone())
    }

    /// Runs `f` with the current runtime without cloning its handle (a
    /// clone would make every send touch one counter from every core).
    #[inline(always)]
    pub(crate) fn with<R>(f: impl FnOnce(&Arc<Inner>) -> R) -> R {
        CURRENT_RUNTIME.with(|c| match c.try_borrow() {
            Ok(current) => match current.as_ref() {
                Some(inner) => f(inner),
                None => f(&global().inner),
            },
            // Entered while borrowed (from within `f`): rare, so clone.
            Err(_) => f(&Inner::current()),
        })
    }

    fn generate_id(&self, prefix: &str) -> String {
        let mut ids = self.ids.lock();
        let n = ids.entry(prefix.to_string()).or_insert(0);
        *n += 1;
        format!("{}({})", prefix, n)
    }

    fn spawn<P: Process>(
        self: &Arc<Inner>,
        process: P,
        id: String,
        managed: bool,
    ) -> Option<PID<P>> {
        let pid = UPID::new(&id, self.address);
        let id = Id::new(&id);
        // A new process starts at its creator's logical time.
        let time = self
            .paused
            .load(Ordering::Acquire)
            .then(|| clock::now_in(self));
        let cell = Arc::new(Cell::new(
            pid,
            Arc::downgrade(self),
            Box::new(Slot::new(process)),
            managed,
            time,
        ));
        match self.processes.entry(id) {
            dashmap::mapref::entry::Entry::Occupied(_) => {
                tracing::warn!(id = %cell.pid.id(), "Attempted to spawn a process with a duplicate id");
                return None;
            }
            dashmap::mapref::entry::Entry::Vacant(slot) => {
                slot.insert(cell.clone());
            }
        }
        let pid = cell.self_pid();
        self.schedule(cell);
        Some(PID::from_upid(pid))
    }

    /// The local process `pid` names, through its cached reference or the
    /// process table.
    #[inline]
    pub(crate) fn lookup(&self, pid: &UPID) -> Option<Arc<Cell>> {
        if let Some(cell) = pid.reference.as_ref().and_then(Weak::upgrade) {
            // A UPID handed out by another runtime in this OS process names
            // a process that is remote to this one. A terminated process
            // (a worker may still remember it) gives way to the table,
            // where a newer process may have its id.
            if std::ptr::eq(cell.runtime.as_ptr(), self) && !cell.is_closed() {
                return Some(cell);
            }
        }
        if pid.address() != self.address {
            return None;
        }
        self.processes.get(pid.raw_id()).map(|e| e.value().clone())
    }

    /// Queues `event` for `cell`, keeping the sender's logical time ahead
    /// of the receiver's. Returns whether it was queued.
    #[inline(always)]
    pub(crate) fn deliver(self: &Arc<Inner>, cell: &Arc<Cell>, event: Event) -> bool {
        // Dropped outside the mailbox lock: dropping a dispatch may
        // abandon a future whose callbacks send more events.
        self.deliver_enqueued(cell, event).is_ok()
    }

    /// [`Inner::deliver`] that hands the event back when the process has
    /// terminated.
    #[inline(always)]
    #[allow(clippy::result_large_err)]
    pub(crate) fn deliver_enqueued(
        self: &Arc<Inner>,
        cell: &Arc<Cell>,
        event: Event,
    ) -> Result<(), Event> {
        self.keep_time(cell);
        match cell.enqueue(event)? {
            Enqueued::Schedule => self.schedule(cell.clone()),
            Enqueued::Queued => {}
            Enqueued::Crowded => self.scheduler.crowded(cell),
        }
        Ok(())
    }

    /// While the clock is paused, moves `cell`'s logical time up to the
    /// sender's.
    #[inline(always)]
    fn keep_time(self: &Arc<Inner>, cell: &Cell) {
        if self.paused.load(Ordering::Acquire) {
            let (now, initial) = clock::now_and_initial(self);
            cell.advance_time(now, initial);
        }
    }

    /// After an enqueue: schedules the cell when it asks to be; whether
    /// the events were queued.
    #[inline(always)]
    fn queued<E>(&self, cell: &Arc<Cell>, enqueued: Result<bool, E>) -> bool {
        match enqueued {
            Ok(true) => {
                self.schedule(cell.clone());
                true
            }
            Ok(false) => true,
            // Dropped outside the mailbox lock: dropping a dispatch may
            // abandon a future whose callbacks send more events.
            Err(events) => {
                drop(events);
                false
            }
        }
    }

    #[inline]
    fn schedule(&self, cell: Arc<Cell>) {
        self.scheduler.schedule(cell);
    }

    /// Whether the test's expectations, or else the filter a test
    /// installed, drop `event`.
    #[inline(always)]
    pub(crate) fn filtered(&self, to: &UPID, event: &Event) -> bool {
        self.filtering.load(Ordering::Acquire) && self.filter(to, event)
    }

    /// [`Inner::filtered`] once a filter or an expectation exists; out of
    /// line, so that runtimes without any serve events as if it did not.
    #[cold]
    #[inline(never)]
    fn filter(&self, to: &UPID, event: &Event) -> bool {
        let mut message = None;
        let Some(event) = event_ref(to, event, &mut message) else {
            return false;
        };
        if let Some(tests) = self.tests_filter.get() {
            if tests.filter(&event) {
                return true;
            }
        }
        let filter = self.filter.read().clone();
        filter.is_some_and(|filter| filter.filter(&event))
    }

    pub(crate) fn set_filter(&self, filter: Option<Arc<dyn Filter>>) {
        *self.filter.write() = filter;
        self.update_filtering();
    }

    /// Turns the dequeue-time check on when a filter or an expectation
    /// exists, so that runtimes without any pay nothing.
    pub(crate) fn update_filtering(&self) {
        let on = self.filter.read().is_some() || self.tests_filter.get().is_some();
        self.filtering.store(on, Ordering::Release);
    }

    /// After a process served its terminate event.
    pub(crate) fn cleanup(self: &Arc<Inner>, cell: &Arc<Cell>) {
        self.processes
            .remove_if(cell.pid.raw_id(), |_, registered| {
                Arc::ptr_eq(registered, cell)
            });
        cell.close();
        let linkers = self
            .links
            .lock()
            .remove(cell.pid.raw_id())
            .unwrap_or_default();
        for linker in linkers.iter().filter_map(Weak::upgrade) {
            self.deliver(&linker, Event::Exited(cell.pid.clone()));
        }
    }

    fn link(self: &Arc<Inner>, linker: &Arc<Cell>, to: &UPID, remote: RemoteConnection) {
        match self.lookup(to) {
            Some(linkee) if !linkee.is_closed() => {
                let mut links = self.links.lock();
                // Checked again under the links lock: cleanup removes the
                // entry under it, so a link can't slip in after cleanup.
                if !linkee.is_closed() {
                    let linkers = links.entry(linkee.pid.raw_id().clone()).or_default();
                    // A set, as in libprocess: linking twice reports once.
                    if !linkers
                        .iter()
                        .any(|l| std::ptr::eq(l.as_ptr(), Arc::as_ptr(linker)))
                    {
                        linkers.push(Arc::downgrade(linker));
                    }
                    return;
                }
            }
            Some(_) => {}
            None if to.address() != self.address => {
                if let Some(endpoint) = self.network.get() {
                    return endpoint.link(linker, to);
                }
                match self.transport.get() {
                    Some(transport) => {
                        let reconnect = remote == RemoteConnection::Reconnect;
                        return transport.link(self, linker, to, reconnect);
                    }
                    None => {
                        tracing::debug!(%to, "Remote link without a transport; reporting it broken")
                    }
                }
            }
            None => {}
        }
        self.deliver(linker, Event::Exited(to.detached()));
    }

    /// The `__executor__` process for continuations deferred from outside
    /// any process.
    pub(crate) fn default_executor(self: &Arc<Inner>) -> UPID {
        self.default_executor
            .get_or_init(|| {
                let id = self.generate_id("__executor__");
                self.spawn(crate::executor::ExecutorProcess, id, true)
                    .expect("generated ids are unique")
                    .upid()
                    .clone()
            })
            .clone()
    }

    /// The `__reaper__` process of this runtime.
    pub(crate) fn reaper(self: &Arc<Inner>) -> PID<crate::reap::ReaperProcess> {
        self.reaper
            .get_or_init(|| {
                let id = self.generate_id("__reaper__");
                self.spawn(crate::reap::ReaperProcess::default(), id, true)
                    .expect("generated ids are unique")
            })
            .clone()
    }

    /// The address in this runtime's UPIDs.
    pub(crate) fn address(&self) -> Address {
        self.address
    }

    /// Delivers `messages`, all addressed to `to`, in order and as one
    /// batch. Returns whether they were delivered (or all dropped: no
    /// such process).
    pub(crate) fn deliver_local_all(
        self: &Arc<Inner>,
        to: &UPID,
        messages: impl Iterator<Item = Message>,
    ) -> bool {
        let Some(cell) = self.lookup(to) else {
            return false;
        };
        self.keep_time(&cell);
        let events = messages.map(|message| Event::Message(Queued::new(message)));
        self.queued(&cell, cell.enqueue_all(events))
    }

    /// The connection to a peer ended: linkers hear about it.
    pub(crate) fn connection_broken(self: &Arc<Inner>, address: Address, generation: u64) {
        if let Some(transport) = self.transport.get() {
            transport.broken(self, address, generation);
        }
    }

    /// Whether a process named `id` runs here.
    pub(crate) fn process_exists(&self, id: &str) -> bool {
        self.processes.contains_key(&Id::new(id))
    }

    /// See `Transport::retire`.
    pub(crate) fn retire_connection(&self, address: Address, generation: u64) -> bool {
        self.transport
            .get()
            .is_some_and(|transport| transport.retire(address, generation))
    }

    /// Every local process' cell (for resetting clocks).
    pub(crate) fn cells(&self) -> Vec<Arc<Cell>> {
        self.processes.iter().map(|e| e.value().clone()).collect()
    }

    /// Whether nothing is running or runnable.
    pub(crate) fn quiescent(&self) -> bool {
        self.scheduler.quiescent()
    }

    /// Waits (briefly) for the workers to go idle.
    pub(crate) fn wait_idle(&self, timeout: std::time::Duration) {
        self.scheduler.wait_idle(timeout);
    }
}

fn worker(inner: Arc<Inner>) {
    let _enter = enter_inner(inner.clone());
    recent::enable(&inner);
    inner.scheduler.work(&inner);
    recent::disable();
}

/// Routes a message: to a local process directly, otherwise over the
/// transport.
pub(crate) fn transport(message: Message) {
    Inner::with(|inner| route(inner, &message.to.clone(), message));
}

/// Delivers `message` to the process `to` names (through its cached
/// reference when it has one); `message.to` carries no reference.
#[inline(always)]
fn route(inner: &Arc<Inner>, to: &UPID, message: Message) {
    if let Some(cell) = inner.lookup(to) {
        inner.deliver(&cell, Event::Message(Queued::new(message)));
    } else {
        route_elsewhere(inner, to, message);
    }
}

/// [`route`] for a message to no local process: over the network or the
/// transport. Out of line, so that the local path stays lean.
#[inline(never)]
fn route_elsewhere(inner: &Arc<Inner>, to: &UPID, message: Message) {
    if to.address() == inner.address {
        tracing::debug!(name = %message.name, %to, "Dropping message to an unknown process");
    } else if let Some(endpoint) = inner.network.get() {
        endpoint.send(message);
    } else if let Some(transport) = inner.transport.get() {
        transport.send(inner, &message);
    } else {
        tracing::debug!(name = %message.name, %to, "Not listening: dropping a remote message");
    }
}

/// The address of the current runtime (libprocess' `process::address()`):
/// where its processes receive messages and HTTP requests.
pub fn address() -> Address {
    Inner::with(|inner| inner.address())
}

/// Makes `inner` the current runtime of this (runtime-owned) thread.
pub(crate) fn enter_inner(inner: Arc<Inner>) -> EnterGuard {
    let previous = CURRENT_RUNTIME.with(|c| c.replace(Some(inner)));
    EnterGuard { previous }
}

/// The running process' cell, if the current thread is running one.
pub(crate) fn current_cell() -> Option<Arc<Cell>> {
    with_current_process(|current| current.cloned())
}

/// Spawns `process` under a generated id (`<prefix>(N)`); the runtime owns
/// it and drops it once it terminates.
pub fn spawn<P: Process>(process: P) -> PID<P> {
    let inner = Inner::current();
    let id = inner.generate_id(&process.id_prefix());
    inner
        .spawn(process, id, true)
        .expect("generated ids are unique")
}

/// Spawns `process` under the fixed `id` (`master`); `None` when a live
/// process already has that id.
pub fn spawn_with_id<P: Process>(process: P, id: impl Into<String>) -> Option<PID<P>> {
    Inner::current().spawn(process, id.into(), true)
}

/// Spawns `process` and hands it back once it has terminated (libprocess'
/// `spawn(process)` with the object owned by the caller, who inspects it
/// after `terminate` and `wait`).
pub fn spawn_unmanaged<P: Process>(process: P) -> Spawned<P> {
    let inner = Inner::current();
    let id = inner.generate_id(&process.id_prefix());
    let pid = inner
        .spawn(process, id, false)
        .expect("generated ids are unique");
    let cell = inner.lookup(pid.upid()).expect("just spawned");
    Spawned { pid, cell }
}

/// A process spawned with [`spawn_unmanaged`].
pub struct Spawned<P> {
    pid: PID<P>,
    cell: Arc<Cell>,
}

impl<P: Process> Spawned<P> {
    /// Its PID.
    pub fn pid(&self) -> &PID<P> {
        &self.pid
    }

    /// Waits until the process has terminated and returns it.
    pub fn join(self) -> P {
        crate::scheduler::before_blocking();
        self.cell.wait(None);
        let process = self
            .cell
            .take()
            .expect("an unmanaged process is kept until joined");
        *process
            .into_any()
            .downcast::<P>()
            .unwrap_or_else(|_| unreachable!("the cell holds a P"))
    }
}

impl<P> std::fmt::Debug for Spawned<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Spawned({})", self.pid)
    }
}

/// Asks the process to terminate. With `inject`, the terminate event goes
/// ahead of every queued event, which are dropped; otherwise it is served
/// after them. Terminating an unknown process does nothing.
pub fn terminate(pid: impl AsRef<UPID>, inject: bool) {
    Inner::with(|inner| {
        if let Some(cell) = inner.lookup(pid.as_ref()) {
            inner.deliver(&cell, Event::Terminate { inject });
        }
    });
}

/// Blocks until the process has terminated and been cleaned up, or
/// `timeout` passes; false on timeout and for a pid that names no process
/// (true for a pid from `spawn` whose process is already gone).
pub fn wait(pid: impl AsRef<UPID>, timeout: Option<stout::Duration>) -> bool {
    let pid = pid.as_ref();
    let Some(cell) = Inner::with(|inner| inner.lookup(pid)) else {
        // A PID from `spawn` whose process is gone has terminated (and been
        // cleaned up); any other unknown pid is an error, as in libprocess.
        // A worker may still remember the terminated process.
        return pid
            .reference
            .as_ref()
            .is_some_and(|cell| cell.upgrade().is_none_or(|cell| cell.is_closed()));
    };
    if current_cell().is_some_and(|current| Arc::ptr_eq(&current, &cell)) {
        tracing::error!(%pid, "DEADLOCK DETECTED: a process is waiting for itself");
        return false;
    }
    crate::scheduler::before_blocking();
    let timeout = timeout.and_then(|t| t.to_std());
    if with_current_process(|current| current.is_none()) {
        return cell.wait(timeout);
    }
    // A handler (or a drop in one) waiting on a worker: once the runtime
    // shuts down, its other workers stop and the process waited for may
    // never run, so the wait gives up then; the runtime closes what is
    // left once this worker returns. Checked between slices of waiting.
    let deadline = timeout.map(|t| std::time::Instant::now() + t);
    loop {
        if cell
            .runtime
            .upgrade()
            .is_none_or(|runtime| runtime.shutdown.load(Ordering::SeqCst))
        {
            return cell.is_closed();
        }
        let slice = std::time::Duration::from_millis(100);
        let slice = deadline.map_or(slice, |d| {
            slice.min(d.saturating_duration_since(std::time::Instant::now()))
        });
        if cell.wait(Some(slice)) {
            return true;
        }
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            return false;
        }
    }
}

/// The current process' pid; the empty UPID outside any process.
pub fn self_pid() -> UPID {
    current_cell().map_or_else(UPID::empty, |cell| cell.self_pid())
}

/// Sends a message from the current process (from the empty UPID outside
/// any process).
#[inline]
pub fn send(
    to: &UPID,
    name: impl Into<std::borrow::Cow<'static, str>>,
    body: impl Into<bytes::Bytes>,
) {
    if to.is_empty() {
        return;
    }
    let (name, body) = (name.into(), body.into());
    let queued = with_current_process(|current| match current {
        Some(current) => Queued::from_sender(name, &current.pid, body),
        None => Queued::from_sender(name, &UPID::empty(), body),
    });
    Inner::with(|inner| deliver_message(inner, to, queued));
}

/// Sends a message with an explicit sender (libprocess' `post(from, ...)`).
#[inline]
pub fn post(
    from: &UPID,
    to: &UPID,
    name: impl Into<std::borrow::Cow<'static, str>>,
    body: impl Into<bytes::Bytes>,
) {
    if to.is_empty() {
        return;
    }
    let queued = Queued::from_sender(name.into(), from, body.into());
    Inner::with(|inner| deliver_message(inner, to, queued));
}

/// Queues a message for `to`: a receiver this worker remembers first,
/// then a local process, else over the network or the transport. A local
/// receiver gets the queued form straight away: building the whole
/// `Message` (two more UPIDs) first showed in profiles.
#[inline(always)]
fn deliver_message(inner: &Arc<Inner>, to: &UPID, queued: Queued) {
    if let Err(event) = recent::deliver(inner, to, Event::Message(queued)) {
        deliver_looked_up(inner, to, event);
    }
}

/// [`deliver_message`] for a receiver the worker does not remember.
#[inline(never)]
fn deliver_looked_up(inner: &Arc<Inner>, to: &UPID, event: Event) {
    match inner.lookup(to) {
        Some(cell) => {
            if inner.deliver(&cell, event) {
                recent::remember(inner, cell);
            }
        }
        None => {
            if let Event::Message(queued) = event {
                route_elsewhere(inner, to, queued.into_message(to));
            }
        }
    }
}

/// Links the current process to `to`: when `to` terminates (or, remotely,
/// the connection to it breaks), the current process' `exited` runs. A
/// process that does not exist is reported as exited right away.
pub fn link(to: &UPID) -> UPID {
    link_with(to, RemoteConnection::Reuse)
}

/// How [`link_with`] treats an existing connection to a remote process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoteConnection {
    /// Link over the existing connection, if any.
    Reuse,
    /// Replace the existing connection with a new one (when the old one
    /// may be stale, say after a network partition): messages queued on
    /// it move to the new one, the old one ends without an `exited`, and
    /// every linker stays linked through the new one.
    Reconnect,
}

/// [`link`], choosing what happens to an existing connection to a remote
/// `to` (libprocess' `link(pid, RemoteConnection::RECONNECT)`).
pub fn link_with(to: &UPID, remote: RemoteConnection) -> UPID {
    if to.is_empty() {
        return to.clone();
    }
    match current_cell() {
        Some(linker) => Inner::with(|inner| inner.link(&linker, to, remote)),
        None => tracing::warn!(%to, "link() called outside a process"),
    }
    to.clone()
}

/// Test support: delivers an exited event about `from` to `to`, as if a
/// link broke (libprocess' `inject::exited`).
pub fn inject_exited(from: &UPID, to: &UPID) -> bool {
    Inner::with(|inner| match inner.lookup(to) {
        Some(cell) => inner.deliver(&cell, Event::Exited(from.detached())),
        None => false,
    })
}
