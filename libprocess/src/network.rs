//! An in-memory network: runtimes in one OS process, each with its own
//! address, that exchange messages and HTTP requests through it instead of
//! sockets (join one with [`Builder::network`](crate::Builder::network)).
//! The test that owns it decides what the network does: delay, drop,
//! duplicate or hold (and so reorder) messages, partition and heal
//! addresses, break connections. With a [`Simulation`](crate::Simulation),
//! a whole cluster then runs deterministically under one seed.
//!
//! It behaves as libprocess' sockets do where it matters to Mesos: messages
//! between two addresses arrive in order unless a test delays or holds
//! them; a remote link reports `exited` when its connection breaks (here:
//! [`Network::break_connection`], or the peer's runtime going away), never
//! because the remote process terminated; a partition silently loses
//! messages, as a real one does until something times out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Weak};

use parking_lot::Mutex;
use stout::Duration;

use crate::cell::Cell;
use crate::event::Event;
use crate::http::{pipe, Body, Request, Response};
use crate::runtime::Inner;
use crate::{Address, Clock, Future, Message, UPID};

/// What happens to a message on its way (see [`Network::intercept`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// It arrives now.
    Deliver,
    /// It is lost.
    Drop,
    /// It arrives after this long on the sender's [`Clock`].
    Delay(Duration),
    /// It arrives twice.
    Duplicate,
    /// It waits until the test takes it ([`Network::take_held`]) and
    /// delivers it, in whatever order, with [`Network::deliver`].
    Hold,
}

type Intercept = Box<dyn FnMut(&Message) -> Fate + Send>;

/// Linkee id to the processes linked to it.
type Linkers = BTreeMap<String, Vec<Weak<Cell>>>;

#[derive(Default)]
struct State {
    hosts: BTreeMap<Address, Weak<Inner>>,
    /// Address pairs, smaller first, that cannot reach each other.
    partitions: BTreeSet<(Address, Address)>,
    held: Vec<Message>,
    /// (linker's address, linkee's address): the links over that
    /// connection.
    links: BTreeMap<(Address, Address), Linkers>,
}

struct Shared {
    state: Mutex<State>,
    /// Apart from the state: the closure may take its time, and senders
    /// on other threads wait for it rather than slip past it.
    intercept: Mutex<Option<Intercept>>,
}

/// An in-memory network. Clones are handles on the same network.
#[derive(Clone)]
pub struct Network {
    shared: Arc<Shared>,
}

impl Default for Network {
    fn default() -> Network {
        Network::new()
    }
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("hosts", &self.hosts())
            .finish()
    }
}

fn pair(a: Address, b: Address) -> (Address, Address) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Network {
    /// An empty network.
    pub fn new() -> Network {
        Network {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                intercept: Mutex::new(None),
            }),
        }
    }

    /// The addresses of the runtimes on the network.
    pub fn hosts(&self) -> Vec<Address> {
        let state = self.shared.state.lock();
        state
            .hosts
            .iter()
            .filter(|(_, host)| host.strong_count() > 0)
            .map(|(address, _)| *address)
            .collect()
    }

    /// From now on, nothing sent between `a` and `b` (either way) arrives:
    /// messages are lost and HTTP requests fail to connect. Links stay
    /// (a partition breaks no connection by itself).
    pub fn partition(&self, a: Address, b: Address) {
        self.shared.state.lock().partitions.insert(pair(a, b));
    }

    /// Ends the partition between `a` and `b`.
    pub fn heal(&self, a: Address, b: Address) {
        self.shared.state.lock().partitions.remove(&pair(a, b));
    }

    /// Ends every partition.
    pub fn heal_all(&self) {
        self.shared.state.lock().partitions.clear();
    }

    /// Whether `a` and `b` can reach each other.
    pub fn reachable(&self, a: Address, b: Address) -> bool {
        !self.shared.state.lock().partitions.contains(&pair(a, b))
    }

    /// Decides the [`Fate`] of every message sent from now on (replacing
    /// any earlier decider), on the sender's thread. It must not call back
    /// into the network.
    pub fn intercept(&self, decide: impl FnMut(&Message) -> Fate + Send + 'static) {
        *self.shared.intercept.lock() = Some(Box::new(decide));
    }

    /// Lets every message through again.
    pub fn clear_intercept(&self) {
        *self.shared.intercept.lock() = None;
    }

    /// The messages held so far ([`Fate::Hold`]), oldest first; they are
    /// the caller's now.
    pub fn take_held(&self) -> Vec<Message> {
        std::mem::take(&mut self.shared.state.lock().held)
    }

    /// Delivers `message` to its receiver now, past the decider and any
    /// partition (to put held messages back, in any order).
    pub fn deliver(&self, message: Message) {
        let host = self.host(message.to.address());
        arrive(host, message);
    }

    /// Breaks the connections between `a` and `b`: every process on one
    /// side linked to a process on the other gets `exited`, as when a
    /// socket breaks. Later links and messages open new connections.
    pub fn break_connection(&self, a: Address, b: Address) {
        let broken: Vec<(Address, Linkers)> = {
            let mut state = self.shared.state.lock();
            [(a, b), (b, a)]
                .into_iter()
                .filter_map(|key| state.links.remove(&key).map(|linkers| (key.1, linkers)))
                .collect()
        };
        for (linkee_address, linkers) in broken {
            exited(linkee_address, linkers);
        }
    }

    fn host(&self, address: Address) -> Option<Arc<Inner>> {
        self.shared
            .state
            .lock()
            .hosts
            .get(&address)
            .and_then(Weak::upgrade)
    }

    /// Puts `runtime` on the network at `address`; an error when another
    /// live runtime has that address.
    pub(crate) fn attach(&self, address: Address, runtime: &Arc<Inner>) -> stout::Try<Endpoint> {
        let mut state = self.shared.state.lock();
        if state
            .hosts
            .get(&address)
            .is_some_and(|h| h.strong_count() > 0)
        {
            return Err(stout::Error::new(format!(
                "Address {} is already in use on the network",
                address
            )));
        }
        state.hosts.insert(address, Arc::downgrade(runtime));
        Ok(Endpoint {
            network: self.clone(),
            address,
        })
    }
}

/// A runtime's place on a [`Network`]: its transport.
pub(crate) struct Endpoint {
    network: Network,
    address: Address,
}

impl Endpoint {
    /// Sends `message` from this address, as the network decides.
    pub(crate) fn send(&self, message: Message) {
        let to = message.to.address();
        if !self.network.reachable(self.address, to) {
            tracing::debug!(name = %message.name, %to, "Partitioned: message lost");
            return;
        }
        let fate = match self.network.shared.intercept.lock().as_mut() {
            Some(decide) => decide(&message),
            None => Fate::Deliver,
        };
        match fate {
            Fate::Deliver => arrive(self.network.host(to), message),
            Fate::Drop => {}
            Fate::Duplicate => {
                arrive(self.network.host(to), message.clone());
                arrive(self.network.host(to), message);
            }
            Fate::Delay(duration) => {
                let network = self.network.clone();
                let from = self.address;
                Clock::timer(duration, move || {
                    // A partition that began meanwhile loses it too.
                    if network.reachable(from, to) {
                        arrive(network.host(to), message);
                    }
                });
            }
            Fate::Hold => self.network.shared.state.lock().held.push(message),
        }
    }

    /// Links `linker` (here) to `to` (elsewhere on the network): it hears
    /// `exited` when the connection between the two addresses breaks. No
    /// runtime at `to`'s address: right away, as a refused connection.
    pub(crate) fn link(&self, linker: &Arc<Cell>, to: &UPID) {
        {
            let mut state = self.network.shared.state.lock();
            let alive = state
                .hosts
                .get(&to.address())
                .is_some_and(|h| h.strong_count() > 0);
            if alive {
                let linkers = state
                    .links
                    .entry((self.address, to.address()))
                    .or_default()
                    .entry(to.id().to_string())
                    .or_default();
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
        tell(linker, to.clone());
    }

    /// HTTP requests go to the runtime at `address` when it is on this
    /// network: `Some(runtime)`, or `Some(Err)` when a partition keeps it
    /// out of reach; `None` when it is not on the network.
    pub(crate) fn http_peer(&self, address: Address) -> Option<Result<Arc<Inner>, String>> {
        let host = self.network.host(address)?;
        if self.network.reachable(self.address, address) {
            Some(Ok(host))
        } else {
            Some(Err(format!(
                "Failed to connect to {}: partitioned",
                address
            )))
        }
    }

    /// This address.
    pub(crate) fn address(&self) -> Address {
        self.address
    }

    /// The runtime is going away: it leaves the network, and the processes
    /// elsewhere linked to its processes hear `exited`.
    pub(crate) fn detach(&self) {
        let broken: Vec<Linkers> = {
            let mut state = self.network.shared.state.lock();
            state.hosts.remove(&self.address);
            let keys: Vec<(Address, Address)> = state
                .links
                .keys()
                .filter(|(from, to)| *from == self.address || *to == self.address)
                .copied()
                .collect();
            keys.into_iter()
                .filter_map(|key| {
                    let linkers = state.links.remove(&key)?;
                    (key.1 == self.address).then_some(linkers)
                })
                .collect()
        };
        for linkers in broken {
            exited(self.address, linkers);
        }
    }
}

/// Queues `message` at its receiver, if a runtime is there.
fn arrive(host: Option<Arc<Inner>>, message: Message) {
    match host {
        Some(runtime) => {
            let to = message.to.clone();
            runtime.deliver_local_all(&to, std::iter::once(message));
        }
        None => {
            tracing::debug!(name = %message.name, to = %message.to, "No runtime there: message lost")
        }
    }
}

/// Tells each linker that its linkee at `address` exited.
fn exited(address: Address, linkers: Linkers) {
    for (id, linkers) in linkers {
        let linkee = UPID::new(&id, address);
        for linker in linkers.iter().filter_map(Weak::upgrade) {
            tell(&linker, linkee.clone());
        }
    }
}

fn tell(linker: &Arc<Cell>, linkee: UPID) {
    if let Some(runtime) = linker.runtime.upgrade() {
        runtime.deliver(linker, Event::Exited(linkee));
    }
}

/// The runtime at `address` on the current runtime's network, and the
/// current runtime's address there; `None` off any network or when no
/// runtime is at `address`.
pub(crate) fn http_peer(address: Address) -> Option<(Result<Arc<Inner>, String>, Address)> {
    Inner::with(|inner| {
        let endpoint = inner.network.get()?;
        Some((endpoint.http_peer(address)?, endpoint.address()))
    })
}

/// Serves a one-shot request to a runtime on the current runtime's
/// network in memory: straight to the process, and the response as the
/// socket client would give it (whole, or streamed through a pipe).
/// `None` when the URL names no runtime on such a network.
pub(crate) fn request(request: &mut Request, streamed: bool) -> Option<Future<Response>> {
    let ip = request.url.host.parse::<std::net::Ipv4Addr>().ok()?;
    let (peer, local) = http_peer(Address::new(ip, request.url.port))?;
    let peer = match peer {
        Ok(peer) => peer,
        Err(message) => return Some(Future::failed(message)),
    };
    let mut request = std::mem::take(request);
    request.client = Some(std::net::SocketAddr::V4(local));
    let response = crate::http::server::handle(&peer, request);
    Some(
        response.then(move |response| match (streamed, response.body.clone()) {
            (false, Body::Pipe(reader)) => reader.read_all().map(move |bytes| Response {
                body: Body::Bytes(bytes),
                ..response
            }),
            (true, Body::Bytes(bytes)) => {
                let (reader, writer) = pipe::pipe();
                writer.write(bytes);
                writer.close();
                Future::ready(Response {
                    body: Body::Pipe(reader),
                    ..response
                })
            }
            (true, Body::None) => {
                let (reader, writer) = pipe::pipe();
                writer.close();
                Future::ready(Response {
                    body: Body::Pipe(reader),
                    ..response
                })
            }
            _ => Future::ready(response),
        }),
    )
}
