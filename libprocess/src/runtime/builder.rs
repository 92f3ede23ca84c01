//! [`Builder`]: a runtime's settings, and starting it (its threads, its
//! socket or its place on an in-memory network).

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

use dashmap::DashMap;
use parking_lot::{Mutex, RwLock};
use rustc_hash::FxBuildHasher;

use super::{worker, Inner, Runtime};
use crate::clock::{self, SharedClock};
use crate::random::Random;
use crate::scheduler::Scheduler;
use crate::Address;

/// Settings for a [`Runtime`].
#[derive(Debug, Clone)]
pub struct Builder {
    workers: usize,
    address: Address,
    listen: Option<Address>,
    advertise_ip: Option<Ipv4Addr>,
    advertise_port: Option<u16>,
    delegate: Option<String>,
    ssl: crate::ssl::Flags,
    abort_on_panic: bool,
    simulation: Option<crate::Simulation>,
    network: Option<(crate::network::Network, Address)>,
}

impl Builder {
    /// TLS settings (default: disabled); see [`crate::ssl`].
    pub fn ssl(mut self, flags: crate::ssl::Flags) -> Builder {
        self.ssl = flags;
        self
    }

    /// What a panic in a handler does (default: abort the OS process, as a
    /// failed `CHECK` in Mesos; a supervisor restarts the daemon). With
    /// `false` (test runtimes) the process is terminated, the fault
    /// recorded, and the `testing` helpers fail the test naming it.
    pub fn abort_on_panic(mut self, abort: bool) -> Builder {
        self.abort_on_panic = abort;
        self
    }

    /// Joins `simulation`: this runtime shares its clock, its seeded
    /// order of events and its randomness, and has no worker threads (see
    /// [`Simulation`](crate::Simulation)).
    pub fn simulation(mut self, simulation: &crate::Simulation) -> Builder {
        self.simulation = Some(simulation.clone());
        self
    }

    /// Puts the runtime on an in-memory `network` at `address` (instead of
    /// listening on a socket): its UPIDs carry that address, and messages
    /// and HTTP requests to the network's other addresses go through it.
    pub fn network(mut self, network: &crate::network::Network, address: Address) -> Builder {
        self.network = Some((network.clone(), address));
        self
    }

    /// The seed of the simulation joined, if any.
    pub(crate) fn simulation_seed(&self) -> Option<u64> {
        self.simulation.as_ref().map(crate::Simulation::seed)
    }

    /// The process that gets HTTP requests no process claims (`/state`
    /// goes to `/<delegate>/state`), as libprocess' `initialize(delegate)`.
    pub fn delegate(mut self, id: impl Into<String>) -> Builder {
        self.delegate = Some(id.into());
        self
    }

    /// The number of worker threads (default: `LIBPROCESS_NUM_WORKER_THREADS`
    /// when valid, else `max(8, cores)`, as libprocess).
    pub fn workers(mut self, workers: usize) -> Builder {
        self.workers = workers.max(1);
        self
    }

    /// The address in this runtime's UPIDs (default `127.0.0.1:0` until
    /// the transport binds a socket).
    pub fn address(mut self, address: Address) -> Builder {
        self.address = address;
        self
    }

    /// Listens on `address` for messages from peers (port 0: any free
    /// port); UPIDs then carry the address actually bound, or what
    /// [`Builder::advertise_ip`]/[`Builder::advertise_port`] say.
    pub fn listen(mut self, address: Address) -> Builder {
        self.listen = Some(address);
        self
    }

    /// The IP put in UPIDs instead of the bound one (not bound itself).
    pub fn advertise_ip(mut self, ip: Ipv4Addr) -> Builder {
        self.advertise_ip = Some(ip);
        self
    }

    /// The port put in UPIDs instead of the bound one.
    pub fn advertise_port(mut self, port: u16) -> Builder {
        self.advertise_port = Some(port);
        self
    }

    /// Settings from `LIBPROCESS_IP`, `LIBPROCESS_PORT`,
    /// `LIBPROCESS_ADVERTISE_IP`, `LIBPROCESS_ADVERTISE_PORT` and the
    /// `LIBPROCESS_SSL_*` (or `SSL_*`) variables, as a libprocess binary
    /// reads them; always listening (on 0.0.0.0 and any free port by
    /// default). A bad value is an error naming the variable.
    pub fn from_environment() -> stout::Try<Builder> {
        let variable = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let ip = |name: &str| -> stout::Try<Option<Ipv4Addr>> {
            variable(name)
                .map(|v| {
                    v.parse::<Ipv4Addr>().map_err(|_| {
                        stout::Error::new(format!("{} must be an IPv4 address, got '{}'", name, v))
                    })
                })
                .transpose()
        };
        let port = |name: &str| -> stout::Try<Option<u16>> {
            variable(name)
                .map(|v| {
                    v.parse::<u16>().map_err(|_| {
                        stout::Error::new(format!("{} must be a port (0-65535), got '{}'", name, v))
                    })
                })
                .transpose()
        };
        let listen = SocketAddrV4::new(
            ip("LIBPROCESS_IP")?.unwrap_or(Ipv4Addr::UNSPECIFIED),
            port("LIBPROCESS_PORT")?.unwrap_or(0),
        );
        let mut builder = Builder::default()
            .listen(listen)
            .ssl(crate::ssl::Flags::from_environment()?);
        builder.advertise_ip = ip("LIBPROCESS_ADVERTISE_IP")?;
        builder.advertise_port = match port("LIBPROCESS_ADVERTISE_PORT")? {
            Some(0) => {
                return Err(stout::Error::new(
                    "LIBPROCESS_ADVERTISE_PORT must be a port (1-65535), got '0'",
                ))
            }
            other => other,
        };
        Ok(builder)
    }

    /// Starts the runtime's threads.
    ///
    /// # Panics
    ///
    /// When listening was asked for and the socket cannot be bound; use
    /// [`Builder::try_build`] to get that as an error.
    pub fn build(self) -> Runtime {
        self.try_build()
            .unwrap_or_else(|e| panic!("Failed to start the runtime: {}", e))
    }

    /// Starts the runtime's threads and, if asked, its listening socket.
    pub fn try_build(self) -> stout::Try<Runtime> {
        let tls = if self.ssl.enabled {
            Some(Arc::new(crate::ssl::Context::new(&self.ssl)?))
        } else {
            None
        };
        let (listener, address) = match (self.listen, &self.network) {
            (Some(_), Some(_)) => {
                return Err(stout::Error::new(
                    "A runtime either listens on a socket or joins an in-memory network",
                ))
            }
            (None, Some((_, address))) => (None, *address),
            (None, None) => (None, self.address),
            (Some(listen), None) => {
                let listener = std::net::TcpListener::bind(listen).map_err(|e| {
                    stout::Error::errno(format!("Failed to bind on {}", listen), &e)
                })?;
                let bound = match listener.local_addr() {
                    Ok(std::net::SocketAddr::V4(bound)) => bound,
                    _ => return Err(stout::Error::new("Failed to read the bound IPv4 address")),
                };
                let ip = match self.advertise_ip {
                    Some(ip) => ip,
                    None if bound.ip().is_unspecified() => {
                        match stout::net::advertise_address((*bound.ip()).into())? {
                            std::net::IpAddr::V4(ip) => ip,
                            std::net::IpAddr::V6(_) => return Err(stout::Error::new(
                                "This host's name resolves to an IPv6 address; set LIBPROCESS_IP",
                            )),
                        }
                    }
                    None => *bound.ip(),
                };
                let port = self.advertise_port.unwrap_or(bound.port());
                (Some(listener), SocketAddrV4::new(ip, port))
            }
        };
        let (clock, scheduler, random) = match &self.simulation {
            Some(simulation) => (
                simulation.clock.clone(),
                simulation.scheduler.clone(),
                simulation.random.clone(),
            ),
            None => (
                Arc::new(SharedClock::new()),
                Arc::new(Scheduler::threaded()),
                Arc::new(Random::from_os()),
            ),
        };
        let inner = Arc::new(Inner {
            address,
            processes: DashMap::with_hasher(FxBuildHasher),
            scheduler,
            clock,
            paused: AtomicBool::new(false),
            random,
            ids: Mutex::new(HashMap::new()),
            links: Mutex::new(HashMap::new()),
            filter: RwLock::new(None),
            filtering: AtomicBool::new(false),
            tests_filter: OnceLock::new(),
            default_executor: OnceLock::new(),
            reaper: OnceLock::new(),
            metrics: OnceLock::new(),
            transport: OnceLock::new(),
            network: OnceLock::new(),
            tls,
            http: Default::default(),
            faults: crate::fault::Faults::new(self.abort_on_panic),
            shutdown: AtomicBool::new(false),
        });
        inner.clock.join(&inner);
        if let Some((network, address)) = &self.network {
            let _ = inner.network.set(network.attach(*address, &inner)?);
        }
        *inner.http.delegate.write() = self.delegate;
        let mut threads = Vec::with_capacity(self.workers + 1);
        // A simulation's processes run on whoever waits for them.
        if self.simulation.is_none() {
            for n in 0..self.workers {
                let inner = inner.clone();
                threads.push(
                    std::thread::Builder::new()
                        .name(format!("libprocess-worker-{}", n))
                        .spawn(move || worker(inner))
                        .expect("spawning a worker thread"),
                );
            }
            let clock = inner.clock.clone();
            threads.push(
                std::thread::Builder::new()
                    .name("libprocess-clock".to_string())
                    .spawn(move || clock::timer_loop(clock))
                    .expect("spawning the clock thread"),
            );
        }
        if let Some(listener) = listener {
            let transport = crate::transport::Transport::start(
                listener,
                Arc::downgrade(&inner),
                inner.tls.clone(),
            )
            .map_err(|e| stout::Error::errno("Failed to start the transport", &e))?;
            let _ = inner.transport.set(transport);
            crate::metrics::serve(&inner)?;
        }
        Ok(Runtime { inner, threads })
    }
}

impl Default for Builder {
    fn default() -> Builder {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = std::env::var("LIBPROCESS_NUM_WORKER_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| (1..=1024).contains(n))
            .unwrap_or_else(|| cores.max(8));
        Builder {
            workers,
            address: SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0),
            listen: None,
            advertise_ip: None,
            advertise_port: None,
            delegate: None,
            ssl: crate::ssl::Flags::default(),
            abort_on_panic: true,
            simulation: None,
            network: None,
        }
    }
}
