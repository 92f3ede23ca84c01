//! The `Master` value and its process shell: construction from flags, the
//! message handlers (each routed to the concern's file), registry
//! recovery, link breaks, and what tests may inspect.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use libprocess::{
    dispatch, spawn_with_id, Clock, Future, Handlers, Process, Promise, ProtobufMessage,
    RateLimiter, SelfPid, Time, Timer, PID, UPID,
};
use stout::{Duration, Error, Try};

use super::agent::Slave;
use super::allocator::{self, Allocator};
use super::flags::Flags;
use super::framework::Framework;
use super::metrics::Metrics;
use super::registrar::Registrar;
use crate::common::resource_quantities::ResourceQuantities;
use crate::internal::{self, Registry};
use crate::{Address, FrameworkId, MasterInfo, Offer, OfferId, SlaveId, SlaveInfo, TimeInfo};

/// The master's agents, by what the master knows of them (Mesos'
/// `Master::Slaves`).
#[derive(Debug, Default)]
pub struct Slaves {
    /// Registered agents.
    pub registered: HashMap<SlaveId, Slave>,
    /// Pids whose registration is being admitted by the registrar.
    pub registering: HashSet<UPID>,
    /// Agents whose reregistration is being admitted by the registrar.
    pub reregistering: HashSet<SlaveId>,
    /// Agents being marked unreachable in the registry.
    pub marking_unreachable: HashSet<SlaveId>,
    /// Agents being removed from the registry.
    pub removing: HashSet<SlaveId>,
    /// Agents the registry admitted before this master took over, that
    /// have not reregistered yet.
    pub recovered: HashMap<SlaveId, SlaveInfo>,
    /// Unreachable agents, with when they became so.
    pub unreachable: HashMap<SlaveId, TimeInfo>,
    /// Agents removed (unregistered) since this master started.
    pub removed: HashSet<SlaveId>,
}

/// Apache Mesos' master: the frameworks, agents, tasks and offers of a
/// cluster, and the protocol that keeps them.
pub struct Master {
    pub(super) flags: Flags,
    pub(super) allocator: Arc<dyn Allocator>,
    pub(super) registrar: Registrar,
    pub(super) info: MasterInfo,
    /// `--domain`, parsed.
    domain: Option<crate::DomainInfo>,
    /// Set once the registry is recovered; messages are dropped before.
    recovered: Promise<()>,
    pub(super) frameworks: HashMap<FrameworkId, Framework>,
    /// Removed frameworks, newest last, at most `--max_completed_frameworks`.
    pub(super) completed_frameworks: VecDeque<Framework>,
    pub(super) slaves: Slaves,
    pub(super) offers: HashMap<OfferId, Offer>,
    pub(super) offer_timers: HashMap<OfferId, Timer>,
    next_framework_id: u64,
    next_offer_id: u64,
    next_slave_id: u64,
    pub(super) metrics: Metrics,
    pub(super) removal_limiter: Option<Arc<RateLimiter>>,
    min_allocatable_resources: Vec<ResourceQuantities>,
    pub(super) start_time: Time,
    /// When this master became the leader (at start: it has no
    /// contender).
    pub(super) elected_time: Option<Time>,
    /// Armed after recovery for agents that must reregister in time.
    recovered_slaves_timer: Option<Timer>,
}

impl std::fmt::Debug for Master {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Master")
            .field("id", &self.info.id)
            .finish_non_exhaustive()
    }
}

impl Master {
    /// A master with `flags`, offering through `allocator` and keeping its
    /// registry in `registrar`. Fails, with Mesos' texts, on flags Mesos'
    /// master exits for.
    pub fn new(flags: Flags, allocator: Box<dyn Allocator>, registrar: Registrar) -> Try<Master> {
        if flags.agent_reregister_timeout < super::constants::MIN_AGENT_REREGISTER_TIMEOUT {
            return Err(Error::new(format!(
                "Invalid value '{}' for --agent_reregister_timeout: Expected at least {}",
                flags.agent_reregister_timeout,
                super::constants::MIN_AGENT_REREGISTER_TIMEOUT
            )));
        }
        let removal_limiter = match &flags.agent_removal_rate_limit {
            Some(limit) => Some(Arc::new(parse_rate_limit(limit)?)),
            None => None,
        };
        let mut min_allocatable_resources = Vec::new();
        for token in flags
            .min_allocatable_resources
            .split('|')
            .filter(|t| !t.is_empty())
        {
            let quantities = ResourceQuantities::from_string(token).map_err(|e| {
                Error::new(format!(
                    "Error parsing min_allocatable_resources '{}': {}",
                    flags.min_allocatable_resources, e
                ))
            })?;
            if !quantities.is_empty() {
                min_allocatable_resources.push(quantities);
            }
        }
        let domain = match &flags.domain {
            Some(json) => Some(
                crate::json::parse::<crate::DomainInfo>(json)
                    .map_err(|e| Error::new(format!("Invalid value for --domain: {}", e)))?,
            ),
            None => None,
        };
        Ok(Master {
            domain,
            flags,
            allocator: Arc::from(allocator),
            registrar,
            info: MasterInfo::default(),
            recovered: Promise::new(),
            frameworks: HashMap::new(),
            completed_frameworks: VecDeque::new(),
            slaves: Slaves::default(),
            offers: HashMap::new(),
            offer_timers: HashMap::new(),
            next_framework_id: 0,
            next_offer_id: 0,
            next_slave_id: 0,
            metrics: Metrics::new(),
            removal_limiter,
            min_allocatable_resources,
            start_time: Clock::now(),
            elected_time: None,
            recovered_slaves_timer: None,
        })
    }

    /// Spawns the master as `master`, the id Mesos gives it.
    pub fn spawn(master: Master) -> Try<PID<Master>> {
        spawn_with_id(master, "master")
            .ok_or_else(|| Error::new("A process with id 'master' is already running"))
    }

    /// Ready once the registry is recovered and the master serves
    /// messages.
    pub fn recovered(&mut self) -> Future<()> {
        self.recovered.future()
    }

    /// The master's info (ID, pid, address, version).
    pub fn info(&self) -> &MasterInfo {
        &self.info
    }

    /// The registered frameworks.
    pub fn frameworks(&self) -> &HashMap<FrameworkId, Framework> {
        &self.frameworks
    }

    /// Removed frameworks, newest last.
    pub fn completed_frameworks(&self) -> &VecDeque<Framework> {
        &self.completed_frameworks
    }

    /// The agents.
    pub fn slaves(&self) -> &Slaves {
        &self.slaves
    }

    /// The outstanding offers.
    pub fn offers(&self) -> &HashMap<OfferId, Offer> {
        &self.offers
    }

    /// The registry as the registrar last stored it.
    pub fn registry(&mut self) -> Future<Option<Registry>> {
        self.registrar.registry()
    }

    pub(super) fn is_recovered(&self) -> bool {
        self.recovered.future().is_ready()
    }

    pub(super) fn new_framework_id(&mut self) -> FrameworkId {
        let id = format!("{}-{:04}", self.info.id, self.next_framework_id);
        self.next_framework_id += 1;
        FrameworkId { value: id }
    }

    pub(super) fn new_offer_id(&mut self) -> OfferId {
        let id = format!("{}-O{}", self.info.id, self.next_offer_id);
        self.next_offer_id += 1;
        OfferId { value: id }
    }

    pub(super) fn new_slave_id(&mut self) -> SlaveId {
        let id = format!("{}-S{}", self.info.id, self.next_slave_id);
        self.next_slave_id += 1;
        SlaveId { value: id }
    }

    /// `total_ping_timeout_seconds` for (re)registered messages.
    pub(super) fn connection(&self) -> internal::MasterSlaveConnection {
        internal::MasterSlaveConnection {
            total_ping_timeout_seconds: Some(self.flags.total_ping_timeout().secs()),
        }
    }

    fn make_info(&self, pid: &UPID) -> MasterInfo {
        let address = pid.address();
        let ip = address.ip().to_string();
        let hostname = self.flags.hostname.clone().unwrap_or_else(|| ip.clone());
        MasterInfo {
            id: libprocess::random::uuid().to_string(),
            // In network byte order, as Mesos stores it (MESOS-1201).
            ip: u32::from_ne_bytes(address.ip().octets()),
            port: u32::from(address.port()),
            pid: Some(pid.to_string()),
            hostname: Some(hostname.clone()),
            version: Some(crate::MESOS_VERSION.to_string()),
            address: Some(Address {
                hostname: Some(hostname),
                ip: Some(ip),
                port: i32::from(address.port()),
            }),
            domain: self.domain.clone(),
            capabilities: crate::common::protobuf_utils::master::master_capabilities(),
        }
    }

    fn allocator_options(&self) -> allocator::Options {
        let excluded = self
            .flags
            .fair_sharing_excluded_resource_names
            .as_ref()
            .map(|names| {
                names
                    .split(',')
                    .filter(|name| !name.is_empty())
                    .map(str::to_string)
                    .collect()
            });
        allocator::Options {
            allocation_interval: self.flags.allocation_interval,
            fairness_excluded_resource_names: excluded,
            filter_gpu_resources: self.flags.filter_gpu_resources,
            min_allocatable_resources: self.min_allocatable_resources.clone(),
            publish_per_framework_metrics: self.flags.publish_per_framework_metrics,
            max_completed_frameworks: self.flags.max_completed_frameworks,
        }
    }

    fn _recover(&mut self, registry: Future<Registry>) {
        let registry = match registry.outcome() {
            Some(libprocess::Outcome::Ready(registry)) => registry.clone(),
            _ => {
                tracing::error!(
                    "Recovery failed: Failed to recover registrar: {}",
                    registry.failure().unwrap_or("discarded")
                );
                return;
            }
        };
        for slave in registry
            .slaves
            .iter()
            .flat_map(|slaves| slaves.slaves.iter())
        {
            if let Some(id) = &slave.info.id {
                self.slaves.recovered.insert(id.clone(), slave.info.clone());
            }
        }
        for slave in registry.unreachable.iter().flat_map(|u| u.slaves.iter()) {
            self.slaves
                .unreachable
                .insert(slave.id.clone(), slave.timestamp);
        }
        if !self.slaves.recovered.is_empty() {
            // Agents the registry knows must reregister in time, else they
            // are marked unreachable.
            let pid = self.self_pid();
            self.recovered_slaves_timer = Some(libprocess::delay(
                self.flags.agent_reregister_timeout,
                &pid,
                Master::recovered_slaves_timeout,
            ));
        }
        tracing::info!(
            "Recovered {} agents from the registry; allowing {} for agents to reregister",
            self.slaves.recovered.len(),
            self.flags.agent_reregister_timeout
        );
        self.recovered.set(());
    }
}

/// `--agent_removal_rate_limit`: `<agents>/<duration>`.
fn parse_rate_limit(limit: &str) -> Try<RateLimiter> {
    let format = |detail: Option<String>| {
        let mut message = format!(
            "Invalid agent_removal_rate_limit: {}. Format is <Number of agents>/<Duration>",
            limit
        );
        if let Some(detail) = detail {
            message = format!("{}: {}", message, detail);
        }
        Error::new(message)
    };
    let tokens: Vec<&str> = limit.split('/').filter(|t| !t.is_empty()).collect();
    let [permits, duration] = tokens[..] else {
        return Err(format(None));
    };
    let permits: u32 = permits
        .parse()
        .map_err(|_| format(Some(format!("Failed to convert '{}' to number", permits))))?;
    let duration = Duration::parse(duration).map_err(|e| format(Some(e.to_string())))?;
    Ok(RateLimiter::new(permits, duration))
}

/// Installs a handler that counts the message dropped, and drops it,
/// until the registry is recovered (Mesos' `Master::consume`).
fn install<M, F>(handlers: &mut Handlers<Master>, mut handler: F)
where
    M: ProtobufMessage,
    F: FnMut(&mut Master, &UPID, M) + Send + 'static,
{
    crate::common::messages::install(
        handlers,
        move |master: &mut Master, from: &UPID, message: M| {
            if !master.is_recovered() {
                tracing::info!(
                    "Dropping '{}' message since not recovered yet",
                    libprocess::name_of::<M>()
                );
                master.metrics.dropped_messages.increment();
                return;
            }
            handler(master, from, message)
        },
    );
}

impl Process for Master {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        let pid = self.self_pid();
        self.info = self.make_info(pid.upid());
        tracing::info!(
            "Master {} ({}) started on {}",
            self.info.id,
            self.info.hostname(),
            pid
        );
        self.metrics.register(&pid);
        self.elected_time = Some(Clock::now());

        let offers_to = pid.clone();
        self.allocator.initialize(
            self.allocator_options(),
            Box::new(move |framework_id, offerable| {
                dispatch(&offers_to, move |master: &mut Master| {
                    master.offer(framework_id, offerable)
                });
            }),
        );

        install(handlers, Master::receive);
        install(handlers, Master::register_framework);
        install(handlers, Master::reregister_framework);
        install(handlers, Master::unregister_framework);
        install(handlers, Master::deactivate_framework);
        install(handlers, Master::resource_request);
        install(handlers, Master::launch_tasks);
        install(handlers, Master::revive_offers);
        install(handlers, Master::kill_task);
        install(handlers, Master::status_update_acknowledgement);
        install(handlers, Master::scheduler_message);
        install(handlers, Master::reconcile_tasks);
        install(handlers, Master::register_slave);
        install(handlers, Master::reregister_slave);
        install(handlers, Master::unregister_slave);
        install(handlers, Master::status_update_message);
        install(handlers, Master::executor_message);
        install(handlers, Master::exited_executor);
        super::http::install(handlers);

        let info = self.info.clone();
        self.registrar
            .recover(info)
            .on_any(libprocess::defer!(pid, Master::_recover, _));
    }

    fn finalize(&mut self) {
        self.metrics.unregister();
        for timer in self.offer_timers.values() {
            Clock::cancel(timer);
        }
        if let Some(timer) = &self.recovered_slaves_timer {
            Clock::cancel(timer);
        }
        for framework in self.frameworks.values() {
            if let Some(timer) = &framework.failover_timer {
                Clock::cancel(timer);
            }
            // HTTP schedulers see their stream end (and look for the next
            // leader), as Mesos' master disconnects its frameworks.
            if let Some(http) = framework.http() {
                http.close();
            }
        }
    }

    fn exited(&mut self, pid: &UPID) {
        let framework = self
            .frameworks
            .values()
            .find(|framework| framework.pid() == Some(pid))
            .map(|framework| framework.id.clone());
        if let Some(framework_id) = framework {
            self.framework_exited(&framework_id);
            return;
        }
        let slave = self
            .slaves
            .registered
            .values()
            .find(|slave| &slave.pid == pid)
            .map(|slave| slave.id.clone());
        if let Some(slave_id) = slave {
            self.slave_exited(&slave_id);
        }
    }
}
