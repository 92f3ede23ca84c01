//! What the master's suites share: a master started on a paused clock
//! with a test allocator and an in-memory registry, processes standing in
//! for agents and schedulers, and the protobufs they send (Mesos'
//! `StartMaster`, `TestAllocator` and the message helpers of
//! `src/tests/mesos.hpp`, without real agents or drivers).

#![allow(dead_code)] // Each suite uses some of them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use libprocess::testing::{self, TestRuntime, ANY};
use libprocess::{name_of, post, spawn, Clock, Future, Process, ProtobufMessage, PID, UPID};
use mesos::internal::{
    FrameworkRegisteredMessage, RegisterSlaveMessage, ResourceOffersMessage, SlaveRegisteredMessage,
};
use mesos::master::allocator::{Allocator, OfferCallback, Offerable, Options};
use mesos::master::registrar::{InMemoryStorage, Registrar};
use mesos::master::{Flags, Master};
use mesos::scheduler::call::{self, Subscribe};
use mesos::scheduler::Call;
use mesos::{
    framework_info, slave_info, CommandInfo, Filters, FrameworkId, FrameworkInfo, Offer, Request,
    Resources, SlaveId, SlaveInfo, TaskId, TaskInfo,
};
use parking_lot::Mutex;

/// One call the master made on the allocator.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AllocatorCall {
    AddFramework(FrameworkId),
    RemoveFramework(FrameworkId),
    ActivateFramework(FrameworkId),
    DeactivateFramework(FrameworkId),
    AddSlave(SlaveId),
    RemoveSlave(SlaveId),
    ActivateSlave(SlaveId),
    DeactivateSlave(SlaveId),
    Recover {
        framework_id: FrameworkId,
        slave_id: SlaveId,
        resources: Resources,
        refuse_seconds: Option<f64>,
        is_allocated: bool,
    },
    Suppress(FrameworkId, Vec<String>),
    Revive(FrameworkId, Vec<String>),
    Request(FrameworkId, usize),
    Transition(SlaveId, Resources),
}

#[derive(Default)]
struct State {
    callback: Option<OfferCallback>,
    options: Option<Options>,
    /// Unoffered resources, by agent.
    available: BTreeMap<String, (SlaveId, Resources)>,
    calls: Vec<AllocatorCall>,
}

/// An allocator whose offers the test makes ([`TestAllocator::offer`],
/// [`TestAllocator::allocate`]), recording every call the master makes.
#[derive(Clone, Default)]
pub(crate) struct TestAllocator {
    state: Arc<Mutex<State>>,
}

impl TestAllocator {
    pub(crate) fn calls(&self) -> Vec<AllocatorCall> {
        self.state.lock().calls.clone()
    }

    pub(crate) fn options(&self) -> Option<Options> {
        self.state.lock().options.clone()
    }

    /// Offers `resources` of the agent to the framework, for `*`.
    pub(crate) fn offer(
        &self,
        framework_id: &FrameworkId,
        slave_id: &SlaveId,
        resources: &Resources,
    ) {
        let mut resources = resources.clone();
        resources.allocate("*");
        let offerable: Offerable = HashMap::from([(
            "*".to_string(),
            HashMap::from([(slave_id.clone(), resources)]),
        )]);
        let state = self.state.lock();
        if let Some(callback) = &state.callback {
            callback(framework_id.clone(), offerable);
        }
    }

    /// Offers everything available on every agent to the framework.
    pub(crate) fn allocate(&self, framework_id: &FrameworkId) {
        let available: Vec<(SlaveId, Resources)> = {
            let mut state = self.state.lock();
            let all = state.available.values().cloned().collect();
            for (_, resources) in state.available.values_mut() {
                *resources = Resources::new();
            }
            all
        };
        for (slave_id, resources) in available {
            if !resources.is_empty() {
                self.offer(framework_id, &slave_id, &resources);
            }
        }
    }

    fn record(&self, call: AllocatorCall) {
        self.state.lock().calls.push(call);
    }
}

impl Allocator for TestAllocator {
    fn initialize(&self, options: Options, offer_callback: OfferCallback) {
        let mut state = self.state.lock();
        state.options = Some(options);
        state.callback = Some(offer_callback);
    }

    fn add_framework(
        &self,
        framework_id: &FrameworkId,
        _: &FrameworkInfo,
        _: HashMap<SlaveId, Resources>,
        _: bool,
        _: HashSet<String>,
    ) {
        self.record(AllocatorCall::AddFramework(framework_id.clone()));
    }

    fn remove_framework(&self, framework_id: &FrameworkId) {
        self.record(AllocatorCall::RemoveFramework(framework_id.clone()));
    }

    fn activate_framework(&self, framework_id: &FrameworkId) {
        self.record(AllocatorCall::ActivateFramework(framework_id.clone()));
    }

    fn deactivate_framework(&self, framework_id: &FrameworkId) {
        self.record(AllocatorCall::DeactivateFramework(framework_id.clone()));
    }

    fn update_framework(&self, _: &FrameworkId, _: &FrameworkInfo, _: HashSet<String>) {}

    fn add_slave(
        &self,
        slave_id: &SlaveId,
        _: &SlaveInfo,
        _: Vec<slave_info::Capability>,
        total: Resources,
        used: HashMap<FrameworkId, Resources>,
    ) {
        let mut state = self.state.lock();
        let used: Resources = used.values().sum();
        state
            .available
            .insert(slave_id.value.clone(), (slave_id.clone(), total - used));
        state.calls.push(AllocatorCall::AddSlave(slave_id.clone()));
    }

    fn remove_slave(&self, slave_id: &SlaveId) {
        let mut state = self.state.lock();
        state.available.remove(&slave_id.value);
        state
            .calls
            .push(AllocatorCall::RemoveSlave(slave_id.clone()));
    }

    fn update_slave(
        &self,
        _: &SlaveId,
        _: &SlaveInfo,
        _: Option<Resources>,
        _: Option<Vec<slave_info::Capability>>,
    ) {
    }

    fn activate_slave(&self, slave_id: &SlaveId) {
        self.record(AllocatorCall::ActivateSlave(slave_id.clone()));
    }

    fn deactivate_slave(&self, slave_id: &SlaveId) {
        self.record(AllocatorCall::DeactivateSlave(slave_id.clone()));
    }

    fn request_resources(&self, framework_id: &FrameworkId, requests: Vec<Request>) {
        self.record(AllocatorCall::Request(framework_id.clone(), requests.len()));
    }

    fn recover_resources(
        &self,
        framework_id: &FrameworkId,
        slave_id: &SlaveId,
        resources: Resources,
        filters: Option<Filters>,
        is_allocated: bool,
    ) {
        let mut state = self.state.lock();
        let mut unallocated = resources.clone();
        unallocated.unallocate();
        if let Some((_, available)) = state.available.get_mut(&slave_id.value) {
            *available += unallocated;
        }
        state.calls.push(AllocatorCall::Recover {
            framework_id: framework_id.clone(),
            slave_id: slave_id.clone(),
            resources,
            refuse_seconds: filters.and_then(|f| f.refuse_seconds),
            is_allocated,
        });
    }

    fn suppress_offers(&self, framework_id: &FrameworkId, roles: HashSet<String>) {
        self.record(AllocatorCall::Suppress(
            framework_id.clone(),
            roles.into_iter().collect(),
        ));
    }

    fn revive_offers(&self, framework_id: &FrameworkId, roles: HashSet<String>) {
        self.record(AllocatorCall::Revive(
            framework_id.clone(),
            roles.into_iter().collect(),
        ));
    }

    fn update_weights(&self, _: HashMap<String, f64>) {}

    fn transition_offered_to_allocated(&self, slave_id: &SlaveId, resources: Resources) {
        self.record(AllocatorCall::Transition(
            slave_id.clone(),
            resources.clone(),
        ));
    }
}

/// A process standing in for an agent, a scheduler or an executor: what
/// it receives is seen through the message filters.
pub(crate) struct Stub(pub(crate) &'static str);

impl Process for Stub {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        self.0.into()
    }
}

/// A running master with its test allocator, on a paused clock.
pub(crate) struct Cluster {
    pub(crate) master: PID<Master>,
    pub(crate) allocator: TestAllocator,
    _runtime: TestRuntime,
}

impl Cluster {
    /// `StartMaster(flags)`: a recovered master.
    pub(crate) fn start(flags: Flags) -> Cluster {
        Cluster::start_with(flags, || {
            let allocator = TestAllocator::default();
            (Box::new(allocator.clone()) as Box<dyn Allocator>, allocator)
        })
    }

    /// A recovered master with Mesos' own allocator (the test allocator
    /// then sees nothing).
    pub(crate) fn start_hierarchical(flags: Flags) -> Cluster {
        Cluster::start_with(flags, || {
            let allocator = mesos::master::allocator::HierarchicalDRFAllocator::create();
            (
                Box::new(allocator) as Box<dyn Allocator>,
                TestAllocator::default(),
            )
        })
    }

    /// A master with the allocator `make` creates in the test's runtime.
    fn start_with(
        flags: Flags,
        make: impl FnOnce() -> (Box<dyn Allocator>, TestAllocator),
    ) -> Cluster {
        let runtime = testing::runtime();
        Clock::pause();
        let (master_allocator, allocator) = make();
        let registrar = Registrar::new(Box::new(InMemoryStorage::new()));
        let master = Master::new(flags, master_allocator, registrar).expect("master");
        let master = Master::spawn(master).expect("spawned");
        testing::await_ready(&libprocess::dispatch!(master, Master::recovered));
        Cluster {
            master,
            allocator,
            _runtime: runtime,
        }
    }

    pub(crate) fn with_defaults() -> Cluster {
        Cluster::start(Flags::for_tests())
    }

    /// Reads the master's state.
    pub(crate) fn inspect<R: Send + Sync + Clone + 'static>(
        &self,
        f: impl FnOnce(&mut Master) -> R + Send + 'static,
    ) -> R {
        testing::await_ready(&libprocess::dispatch(&self.master, f))
    }

    /// The registry as stored.
    pub(crate) fn registry(&self) -> mesos::internal::Registry {
        testing::await_ready(&libprocess::dispatch!(self.master, Master::registry))
            .expect("recovered")
    }

    /// Registers a stand-in agent with `resources`: its pid and ID.
    pub(crate) fn register_agent(&self, resources: &str) -> (UPID, SlaveId) {
        let agent = spawn(Stub("slave")).upid().clone();
        let registered = testing::future_protobuf::<SlaveRegisteredMessage>(ANY, &agent);
        send(
            &agent,
            self.master.upid(),
            &register_slave_message(resources),
        );
        let registered = testing::await_ready(&registered);
        (agent, registered.slave_id)
    }

    /// Subscribes a stand-in driver scheduler: its pid and framework ID.
    pub(crate) fn subscribe(&self, info: FrameworkInfo) -> (UPID, FrameworkId) {
        let scheduler = spawn(Stub("scheduler")).upid().clone();
        let registered = testing::future_protobuf::<FrameworkRegisteredMessage>(ANY, &scheduler);
        send(&scheduler, self.master.upid(), &subscribe_call(info));
        let registered = testing::await_ready(&registered);
        (scheduler, registered.framework_id)
    }

    /// Subscribes a stand-in scheduler, watching for its first offers
    /// from the moment it subscribes (an allocator may offer at once).
    pub(crate) fn subscribe_for_offers(
        &self,
        info: FrameworkInfo,
    ) -> (UPID, FrameworkId, Future<ResourceOffersMessage>) {
        let scheduler = spawn(Stub("scheduler")).upid().clone();
        let registered = testing::future_protobuf::<FrameworkRegisteredMessage>(ANY, &scheduler);
        let offers = testing::future_protobuf::<ResourceOffersMessage>(ANY, &scheduler);
        send(&scheduler, self.master.upid(), &subscribe_call(info));
        let registered = testing::await_ready(&registered);
        (scheduler, registered.framework_id, offers)
    }

    /// Makes the allocator offer everything to the framework; the offers
    /// the scheduler receives.
    pub(crate) fn offers(&self, scheduler: &UPID, framework_id: &FrameworkId) -> Vec<Offer> {
        let offers = testing::future_protobuf::<ResourceOffersMessage>(ANY, scheduler);
        self.allocator.allocate(framework_id);
        testing::await_ready(&offers).offers
    }
}

/// Sends `message` to `to` as if `from` sent it.
pub(crate) fn send<M: ProtobufMessage>(from: &UPID, to: &UPID, message: &M) {
    post(from, to, name_of::<M>(), message.encode_to_vec());
}

pub(crate) fn register_slave_message(resources: &str) -> RegisterSlaveMessage {
    RegisterSlaveMessage {
        slave: SlaveInfo {
            hostname: "localhost".to_string(),
            resources: Resources::parse_with_role(resources, "*")
                .expect("resources")
                .to_vec(),
            ..SlaveInfo::default()
        },
        version: Some(mesos::MESOS_VERSION.to_string()),
        ..RegisterSlaveMessage::default()
    }
}

/// `DEFAULT_FRAMEWORK_INFO`.
pub(crate) fn default_framework_info() -> FrameworkInfo {
    FrameworkInfo {
        user: "user".to_string(),
        name: "default".to_string(),
        ..FrameworkInfo::default()
    }
}

pub(crate) fn partition_aware_framework_info() -> FrameworkInfo {
    let mut info = default_framework_info();
    let mut capability = framework_info::Capability::default();
    capability.set_type(framework_info::capability::Type::PartitionAware);
    info.capabilities.push(capability);
    info
}

pub(crate) fn subscribe_call(info: FrameworkInfo) -> Call {
    Call {
        framework_id: info.id.clone(),
        r#type: Some(call::Type::Subscribe as i32),
        subscribe: Some(Subscribe {
            framework_info: info,
            ..Subscribe::default()
        }),
        ..Call::default()
    }
}

/// A call of `kind` from the framework.
pub(crate) fn call(framework_id: &FrameworkId, kind: call::Type) -> Call {
    Call {
        framework_id: Some(framework_id.clone()),
        r#type: Some(kind as i32),
        ..Call::default()
    }
}

/// ACCEPT of the offers with one LAUNCH of the tasks.
pub(crate) fn launch_call(
    framework_id: &FrameworkId,
    offers: &[Offer],
    tasks: Vec<TaskInfo>,
) -> Call {
    use mesos::offer::{operation, Operation};
    Call {
        accept: Some(call::Accept {
            offer_ids: offers.iter().map(|o| o.id.clone()).collect(),
            operations: vec![Operation {
                r#type: Some(operation::Type::Launch as i32),
                launch: Some(operation::Launch { task_infos: tasks }),
                ..Operation::default()
            }],
            filters: None,
        }),
        ..call(framework_id, call::Type::Accept)
    }
}

/// A command task named `id` using `resources` of the offer's agent.
pub(crate) fn task(id: &str, slave_id: &SlaveId, resources: &str) -> TaskInfo {
    TaskInfo {
        name: id.to_string(),
        task_id: TaskId {
            value: id.to_string(),
        },
        slave_id: slave_id.clone(),
        resources: Resources::parse_with_role(resources, "*")
            .expect("resources")
            .to_vec(),
        command: Some(CommandInfo {
            value: Some("sleep 1000".to_string()),
            ..CommandInfo::default()
        }),
        ..TaskInfo::default()
    }
}

/// Waits until every process is idle.
pub(crate) fn settle() {
    Clock::settle();
}

/// A ready future's value.
pub(crate) fn ready<T: Clone + Send + Sync + 'static>(future: &Future<T>) -> T {
    testing::await_ready(future)
}
