//! The socket transport (libprocess' `SocketManager`): one listening
//! socket that takes messages (and, later, HTTP requests) from peers, and
//! one outgoing connection per peer address that this runtime writes its
//! messages to. Each side sends only on connections it opened; replies
//! from the peer (`202`/`404`) are read and discarded.

pub(crate) mod inbound;
mod outbound;

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use crate::cell::Cell;
use crate::event::Event;
use crate::id::Id;
use crate::runtime::Inner;
use crate::{Address, Message, UPID};

use outbound::Peer;

/// Linkee id to the local processes linked to it.
type Linkers = HashMap<Id, Vec<Weak<Cell>>>;

/// The I/O side of a runtime.
pub(crate) struct Transport {
    io: Mutex<Option<tokio::runtime::Runtime>>,
    handle: tokio::runtime::Handle,
    peers: Mutex<HashMap<Address, Peer>>,
    /// Per peer address: linkee id, and the local processes linked to it.
    links: Mutex<HashMap<Address, Linkers>>,
    next_generation: AtomicU64,
    tls: Option<Arc<crate::ssl::Context>>,
}

impl Transport {
    /// Starts serving `listener` for `runtime`.
    pub(crate) fn start(
        listener: TcpListener,
        runtime: Weak<Inner>,
        tls: Option<Arc<crate::ssl::Context>>,
    ) -> std::io::Result<Transport> {
        let io = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("libprocess-io")
            .enable_io()
            .build()?;
        let handle = io.handle().clone();
        listener.set_nonblocking(true)?;
        let listener = {
            let _guard = handle.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        handle.spawn(inbound::accept(listener, runtime, tls.clone()));
        Ok(Transport {
            io: Mutex::new(Some(io)),
            handle,
            peers: Mutex::new(HashMap::new()),
            links: Mutex::new(HashMap::new()),
            next_generation: AtomicU64::new(1),
            tls,
        })
    }

    /// Stops every connection and the listener.
    pub(crate) fn shutdown(&self) {
        if let Some(io) = self.io.lock().take() {
            io.shutdown_background();
        }
        self.peers.lock().clear();
        self.links.lock().clear();
    }

    /// Queues `message` on the connection to its receiver's address,
    /// opening one if needed.
    pub(crate) fn send(&self, runtime: &Arc<Inner>, message: &Message) {
        let address = message.to.address();
        let mut peers = self.peers.lock();
        if let Some(peer) = peers.get(&address) {
            if peer.send(message) {
                return;
            }
        }
        let peer = self.connect(runtime, address, false);
        peer.send(message);
        peers.insert(address, peer);
    }

    fn connect(&self, runtime: &Arc<Inner>, address: Address, persistent: bool) -> Peer {
        let generation = self.next_generation.fetch_add(1, Ordering::Relaxed);
        Peer::connect(
            &self.handle,
            Arc::downgrade(runtime),
            address,
            generation,
            persistent,
            self.tls.clone(),
        )
    }

    /// A temporary connection to `address` has sent everything queued:
    /// forgets it (later sends open a new one) unless it was linked
    /// meanwhile. True when the connection should close.
    pub(crate) fn retire(&self, address: Address, generation: u64) -> bool {
        let mut peers = self.peers.lock();
        match peers.get(&address) {
            Some(peer) if peer.generation == generation && !peer.is_persistent() => {
                peers.remove(&address);
                true
            }
            _ => false,
        }
    }

    /// Links `linker` to the remote `to`: keeps a connection to its
    /// address, and reports `exited` when that connection breaks. With
    /// `reconnect`, an existing connection is replaced by a new one (its
    /// queued messages move over; the old one ends without `exited`).
    pub(crate) fn link(
        &self,
        runtime: &Arc<Inner>,
        linker: &Arc<Cell>,
        to: &UPID,
        reconnect: bool,
    ) {
        let address = to.address();
        {
            let mut links = self.links.lock();
            let linkers = links
                .entry(address)
                .or_default()
                .entry(to.raw_id().clone())
                .or_default();
            // A set, as in libprocess: linking twice reports once.
            let linker_ptr = Arc::as_ptr(linker);
            if !linkers.iter().any(|l| std::ptr::eq(l.as_ptr(), linker_ptr)) {
                linkers.push(Arc::downgrade(linker));
            }
        }
        let mut peers = self.peers.lock();
        match peers.get_mut(&address) {
            Some(peer) if peer.is_open() && reconnect => {
                let generation = self.next_generation.fetch_add(1, Ordering::Relaxed);
                peer.reconnect(
                    &self.handle,
                    Arc::downgrade(runtime),
                    address,
                    generation,
                    self.tls.clone(),
                );
            }
            Some(peer) if peer.is_open() => peer.persist(),
            _ => {
                let peer = self.connect(runtime, address, true);
                peers.insert(address, peer);
            }
        }
    }

    /// The connection to `address` (of `generation`) is gone: forget it
    /// and tell every linker of every process at that address.
    pub(crate) fn broken(&self, runtime: &Arc<Inner>, address: Address, generation: u64) {
        {
            let mut peers = self.peers.lock();
            match peers.get(&address) {
                Some(peer) if peer.generation == generation => {
                    peers.remove(&address);
                }
                _ => return,
            }
        }
        let linked = self.links.lock().remove(&address).unwrap_or_default();
        for (id, linkers) in linked {
            let linkee = UPID::new(&*id, address);
            for linker in linkers.iter().filter_map(Weak::upgrade) {
                runtime.deliver(&linker, Event::Exited(linkee.clone()));
            }
        }
    }
}
