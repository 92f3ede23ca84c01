//! Mesos' HierarchicalAllocatorTest (src/tests/hierarchical_allocator_tests.cpp),
//! run against the allocator process with the Clock paused, as in Mesos.
//! The plain-data state is tested in `hierarchical_allocator_state_test`.

use std::collections::{HashMap, HashSet};

use libprocess::testing::{self, await_eq, await_ready, TestRuntime};
use libprocess::{Builder, Clock, Future, Queue, Simulation};
use mesos::common::resource_quantities::{ResourceLimits, ResourceQuantities};
use mesos::common::resources::Resources;
use mesos::framework_info::{capability, Capability};
use mesos::master::allocator::hierarchical::Quota;
use mesos::master::allocator::{Allocator, HierarchicalDRFAllocator, Offerable, Options};
use mesos::offer_filters::{MinAllocatableResources, ResourceQuantities as OfferQuantities};
use mesos::{
    slave_info, value, Filters, FrameworkId, FrameworkInfo, OfferFilters, SlaveId, SlaveInfo,
};
use stout::Duration;

use crate::helpers::{create_dynamic_reservation_info, resources};

/// What the offer callback received (Mesos' test `Allocation`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Allocation {
    pub(crate) framework_id: FrameworkId,
    pub(crate) resources: Offerable,
}

/// `Allocation(frameworkId, {{role, {{agent, resources}}}})`, the
/// resources allocated to their role.
pub(crate) fn allocation(
    framework: &FrameworkInfo,
    offers: &[(&str, &[(&SlaveInfo, &Resources)])],
) -> Allocation {
    let mut resources = Offerable::new();
    for (role, agents) in offers {
        let by_agent = resources.entry(role.to_string()).or_default();
        for (agent, r) in *agents {
            let mut r = (*r).clone();
            r.allocate(role);
            by_agent.insert(agent_id(agent), r);
        }
    }
    Allocation {
        framework_id: framework_id(framework),
        resources,
    }
}

pub(crate) fn agent_id(agent: &SlaveInfo) -> SlaveId {
    agent.id.clone().expect("agents have IDs")
}

pub(crate) fn framework_id(framework: &FrameworkInfo) -> FrameworkId {
    framework.id.clone().expect("frameworks have IDs")
}

/// `AGENT_CAPABILITIES()`: everything a 1.11 agent has.
pub(crate) fn agent_capabilities() -> Vec<slave_info::Capability> {
    use slave_info::capability::Type;
    [
        Type::MultiRole,
        Type::HierarchicalRole,
        Type::ReservationRefinement,
        Type::ResourceProvider,
        Type::ResizeVolume,
        Type::AgentOperationFeedback,
        Type::AgentDraining,
        Type::TaskResourceLimits,
    ]
    .into_iter()
    .map(|kind| {
        let mut capability = slave_info::Capability::default();
        capability.set_type(kind);
        capability
    })
    .collect()
}

/// Agents and frameworks named as Mesos' test base names them.
#[derive(Default)]
pub(crate) struct Names {
    next_slave: u32,
    next_framework: u32,
}

impl Names {
    /// `createSlaveInfo(resources)`.
    pub(crate) fn slave_info(&mut self, text: &str) -> SlaveInfo {
        self.slave_info_with(resources(text))
    }

    pub(crate) fn slave_info_with(&mut self, resources: Resources) -> SlaveInfo {
        self.next_slave += 1;
        let id = format!("agent{}", self.next_slave);
        SlaveInfo {
            resources: resources.to_vec(),
            id: Some(SlaveId { value: id.clone() }),
            hostname: id,
            ..SlaveInfo::default()
        }
    }

    /// `createFrameworkInfo(roles, capabilities)`: MULTI_ROLE is added.
    pub(crate) fn framework_info(
        &mut self,
        roles: &[&str],
        capabilities: &[capability::Type],
    ) -> FrameworkInfo {
        self.next_framework += 1;
        let name = format!("framework{}", self.next_framework);
        let mut info = FrameworkInfo {
            user: "user".to_string(),
            name: name.clone(),
            id: Some(FrameworkId { value: name }),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            ..FrameworkInfo::default()
        };
        let mut types = capabilities.to_vec();
        if !types.contains(&capability::Type::MultiRole) {
            types.push(capability::Type::MultiRole);
        }
        for kind in types {
            let mut capability = Capability::default();
            capability.set_type(kind);
            info.capabilities.push(capability);
        }
        info
    }
}

/// The test base: an allocator whose offers land in a queue.
pub(crate) struct Test {
    allocator: HierarchicalDRFAllocator,
    allocations: Queue<Allocation>,
    names: Names,
    options: Options,
    // Dropped last: the allocator terminates in it.
    _runtime: TestRuntime,
}

impl Test {
    /// A paused clock and an allocator initialized with `options`.
    fn new(options: Options) -> Test {
        Test::with_runtime(options, testing::runtime())
    }

    fn with_runtime(options: Options, runtime: TestRuntime) -> Test {
        Clock::pause();
        let allocator = HierarchicalDRFAllocator::create();
        let allocations = Queue::new();
        let queue = allocations.clone();
        allocator.initialize(
            options.clone(),
            Box::new(move |framework_id, resources| {
                queue.put(Allocation {
                    framework_id,
                    resources,
                })
            }),
        );
        Test {
            allocator,
            allocations,
            names: Names::default(),
            options,
            _runtime: runtime,
        }
    }

    fn interval(&self) -> Duration {
        self.options.allocation_interval
    }

    fn add_slave(&self, agent: &SlaveInfo) {
        self.add_slave_used(agent, HashMap::new());
    }

    fn add_slave_used(&self, agent: &SlaveInfo, used: HashMap<FrameworkId, Resources>) {
        self.allocator.add_slave(
            &agent_id(agent),
            agent,
            agent_capabilities(),
            agent_resources(agent),
            used,
        );
    }

    /// Adds an agent without any capability (an old agent).
    fn add_old_slave(&self, agent: &SlaveInfo) {
        self.allocator.add_slave(
            &agent_id(agent),
            agent,
            Vec::new(),
            agent_resources(agent),
            HashMap::new(),
        );
    }

    fn update_total(&self, agent: &SlaveInfo, total: Resources) {
        self.allocator
            .update_slave(&agent_id(agent), agent, Some(total), None);
    }

    /// Recovers everything in an allocation.
    fn recover_all(&self, allocation: &Allocation) {
        for by_agent in allocation.resources.values() {
            for (slave_id, r) in by_agent {
                self.allocator.recover_resources(
                    &allocation.framework_id,
                    slave_id,
                    r.clone(),
                    None,
                    false,
                );
            }
        }
    }

    /// The next allocation must not come (after settling).
    fn expect_no_allocation(&self) -> Future<Allocation> {
        Clock::settle();
        let next = self.next();
        assert!(
            next.is_pending(),
            "unexpected allocation {:?}",
            next.value()
        );
        next
    }

    fn add_framework(&self, framework: &FrameworkInfo) {
        self.allocator.add_framework(
            &framework_id(framework),
            framework,
            HashMap::new(),
            true,
            HashSet::new(),
        );
    }

    fn recover(
        &self,
        allocation: &Allocation,
        role: &str,
        agent: &SlaveInfo,
        filters: Option<Filters>,
    ) {
        self.allocator.recover_resources(
            &allocation.framework_id,
            &agent_id(agent),
            allocation.resources[role][&agent_id(agent)].clone(),
            filters,
            false,
        );
    }

    /// A future for the next allocation.
    fn next(&self) -> Future<Allocation> {
        self.allocations.get()
    }
}

fn agent_resources(agent: &SlaveInfo) -> Resources {
    Resources::from(agent.resources.clone())
}

fn filters(refuse: Duration) -> Filters {
    Filters {
        refuse_seconds: Some(refuse.secs()),
    }
}

/// The metrics snapshot, whole.
fn metrics() -> HashMap<String, f64> {
    await_ready(&libprocess::metrics::snapshot(None))
        .into_iter()
        .collect()
}

#[test]
fn unreserved_drf() {
    let mut t = Test::new(Options::default());

    // Total cluster resources will become cpus=2, mem=1024.
    let slave1 = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&slave1);

    // framework1 is offered all of slave1: it is the only framework.
    let framework1 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework1);
    await_eq(
        allocation(
            &framework1,
            &[("role1", &[(&slave1, &agent_resources(&slave1))])],
        ),
        &t.next(),
    );

    let framework2 = t.names.framework_info(&["role2"], &[]);
    t.add_framework(&framework2);

    // role2 has the lowest share, framework2 gets slave2.
    let slave2 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&slave2);
    await_eq(
        allocation(
            &framework2,
            &[("role2", &[(&slave2, &agent_resources(&slave2))])],
        ),
        &t.next(),
    );

    // role1 share = 0.33, role2 share = 0.16: framework2 gets slave3.
    let slave3 = t.names.slave_info("cpus:3;mem:2048;disk:0");
    t.add_slave(&slave3);
    await_eq(
        allocation(
            &framework2,
            &[("role2", &[(&slave3, &agent_resources(&slave3))])],
        ),
        &t.next(),
    );

    let framework3 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework3);

    // role1 share = 0.2, role2 share = 0.4; framework3 has the lowest
    // share in role1.
    let slave4 = t.names.slave_info("cpus:4;mem:4096;disk:0");
    t.add_slave(&slave4);
    await_eq(
        allocation(
            &framework3,
            &[("role1", &[(&slave4, &agent_resources(&slave4))])],
        ),
        &t.next(),
    );

    let framework4 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework4);

    // role1 share = 0.63, role2 share = 0.36: framework2 gets slave5 even
    // though framework4 has nothing.
    let slave5 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&slave5);
    await_eq(
        allocation(
            &framework2,
            &[("role2", &[(&slave5, &agent_resources(&slave5))])],
        ),
        &t.next(),
    );
}

#[test]
fn reserved_drf() {
    let mut t = Test::new(Options::default());

    let slave1 = t
        .names
        .slave_info("cpus:1;mem:512;disk:0;cpus(role1):100;mem(role1):1024;disk(role1):0");
    t.add_slave(&slave1);

    let framework1 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework1);
    await_eq(
        allocation(
            &framework1,
            &[("role1", &[(&slave1, &agent_resources(&slave1))])],
        ),
        &t.next(),
    );

    let framework2 = t.names.framework_info(&["role2"], &[]);
    t.add_framework(&framework2);
    let slave2 = t.names.slave_info("cpus:2;mem:512;disk:0");
    t.add_slave(&slave2);
    await_eq(
        allocation(
            &framework2,
            &[("role2", &[(&slave2, &agent_resources(&slave2))])],
        ),
        &t.next(),
    );

    // framework1 holds more than framework2.
    let slave3 = t.names.slave_info("cpus:2;mem:512;disk:0");
    t.add_slave(&slave3);
    await_eq(
        allocation(
            &framework2,
            &[("role2", &[(&slave3, &agent_resources(&slave3))])],
        ),
        &t.next(),
    );

    // Reserved resources are shared fairly within role1: framework3 has
    // nothing yet.
    let framework3 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework3);
    let slave4 = t
        .names
        .slave_info("cpus(role1):2;mem(role1):1024;disk(role1):0");
    t.add_slave(&slave4);
    await_eq(
        allocation(
            &framework3,
            &[("role1", &[(&slave4, &agent_resources(&slave4))])],
        ),
        &t.next(),
    );
}

#[test]
fn drf_with_fairness_exclusion() {
    let mut t = Test::new(Options {
        fairness_excluded_resource_names: Some(vec!["gpus".to_string()]),
        ..Options::default()
    });

    let agent1 = t.names.slave_info("cpus:2;mem:1024;disk:0;gpus:1");
    t.add_slave(&agent1);

    let framework1 = t
        .names
        .framework_info(&["role1"], &[capability::Type::GpuResources]);
    t.add_framework(&framework1);
    await_eq(
        allocation(
            &framework1,
            &[("role1", &[(&agent1, &agent_resources(&agent1))])],
        ),
        &t.next(),
    );

    let framework2 = t.names.framework_info(&["role2"], &[]);
    t.add_framework(&framework2);
    let agent2 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent2);
    await_eq(
        allocation(
            &framework2,
            &[("role2", &[(&agent2, &agent_resources(&agent2))])],
        ),
        &t.next(),
    );

    let agent3 = t.names.slave_info("cpus:3;mem:2048;disk:0");
    t.add_slave(&agent3);
    await_eq(
        allocation(
            &framework2,
            &[("role2", &[(&agent3, &agent_resources(&agent3))])],
        ),
        &t.next(),
    );

    let framework3 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework3);
    let agent4 = t.names.slave_info("cpus:4;mem:4096;disk:0");
    t.add_slave(&agent4);
    await_eq(
        allocation(
            &framework3,
            &[("role1", &[(&agent4, &agent_resources(&agent4))])],
        ),
        &t.next(),
    );

    // With gpus counted role1's share would be 1; without, role2's 0.36
    // is lower than role1's 0.63.
    let framework4 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework4);
    let agent5 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent5);
    await_eq(
        allocation(
            &framework2,
            &[("role2", &[(&agent5, &agent_resources(&agent5))])],
        ),
        &t.next(),
    );
}

#[test]
fn nested_role_drf() {
    let mut t = Test::new(Options::default());

    let slave1 = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&slave1);
    let framework1 = t.names.framework_info(&["a/b"], &[]);
    t.add_framework(&framework1);
    await_eq(
        allocation(
            &framework1,
            &[("a/b", &[(&slave1, &agent_resources(&slave1))])],
        ),
        &t.next(),
    );

    let framework2 = t.names.framework_info(&["a/c"], &[]);
    t.add_framework(&framework2);
    let framework3 = t.names.framework_info(&["d/e"], &[]);
    t.add_framework(&framework3);

    // The "a" subtree holds more than "d".
    let slave2 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&slave2);
    await_eq(
        allocation(
            &framework3,
            &[("d/e", &[(&slave2, &agent_resources(&slave2))])],
        ),
        &t.next(),
    );

    let framework4 = t.names.framework_info(&["d/f"], &[]);
    t.add_framework(&framework4);
    let slave3 = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&slave3);
    await_eq(
        allocation(
            &framework4,
            &[("d/f", &[(&slave3, &agent_resources(&slave3))])],
        ),
        &t.next(),
    );
}

#[test]
fn offer_filter() {
    let mut t = Test::new(Options::default());
    let role = "role";

    let framework = t.names.framework_info(&[role], &[]);
    t.add_framework(&framework);
    let agent = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent);

    let expected = allocation(&framework, &[(role, &[(&agent, &agent_resources(&agent))])]);
    let offered = t.next();
    await_eq(expected.clone(), &offered);

    // Decline with a filter of twice the allocation interval.
    let timeout = Duration::from_nanos(t.interval().ns() * 2);
    t.recover(&await_ready(&offered), role, &agent, Some(filters(timeout)));
    Clock::settle();

    let active = format!("allocator/mesos/offer_filters/roles/{role}/active");
    assert_eq!(Some(&1.0), metrics().get(&active));

    // The batch allocation honours the filter.
    Clock::advance(t.interval());
    Clock::settle();
    let next = t.next();
    assert!(next.is_pending());

    // The filter times out at the next batch allocation.
    Clock::advance(t.interval());
    Clock::settle();
    await_eq(expected, &next);

    assert_eq!(Some(&0.0), metrics().get(&active));
}

#[test]
fn small_offer_filter_timeout() {
    let mut t = Test::new(Options {
        allocation_interval: Duration::from_mins(1),
        ..Options::default()
    });
    let role = "role";

    let framework1 = t.names.framework_info(&[role], &[]);
    t.add_framework(&framework1);
    let framework2 = t.names.framework_info(&[role], &[]);
    t.add_framework(&framework2);

    let agent1 = t.names.slave_info("cpus:1;mem:512;disk:0");
    let mut used = agent_resources(&agent1);
    used.allocate(role);
    t.add_slave_used(&agent1, HashMap::from([(framework_id(&framework1), used)]));
    // Nothing to allocate there.
    Clock::settle();

    let agent2 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent2);
    Clock::settle();

    // framework2's share (0) is below framework1's.
    let offered = t.next();
    await_eq(
        allocation(
            &framework2,
            &[(role, &[(&agent2, &agent_resources(&agent2))])],
        ),
        &offered,
    );

    // framework2 declines for a second, less than the interval.
    let timeout = Duration::from_secs(1);
    t.recover(
        &await_ready(&offered),
        role,
        &agent2,
        Some(filters(timeout)),
    );

    // The filter stands through the next batch allocation, so
    // framework1 gets agent2 despite its larger share.
    Clock::advance(timeout);
    Clock::settle();
    Clock::advance(t.interval());
    Clock::settle();
    let offered = t.next();
    await_eq(
        allocation(
            &framework1,
            &[(role, &[(&agent2, &agent_resources(&agent2))])],
        ),
        &offered,
    );

    // framework1 declines without a filter; the filter is gone, so
    // framework2 gets agent2.
    t.recover(&await_ready(&offered), role, &agent2, None);
    Clock::advance(t.interval());
    await_eq(
        allocation(
            &framework2,
            &[(role, &[(&agent2, &agent_resources(&agent2))])],
        ),
        &t.next(),
    );
}

#[test]
fn coarse_grained() {
    let mut t = Test::new(Options::default());

    let slave1 = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&slave1);
    let slave2 = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&slave2);

    let framework1 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework1);
    let offered = t.next();
    await_eq(
        allocation(
            &framework1,
            &[(
                "role1",
                &[
                    (&slave1, &agent_resources(&slave1)),
                    (&slave2, &agent_resources(&slave2)),
                ],
            )],
        ),
        &offered,
    );
    let offered = await_ready(&offered);
    t.recover(&offered, "role1", &slave1, None);
    t.recover(&offered, "role1", &slave2, None);

    // Two allocations follow, a whole agent each.
    let framework2 = t.names.framework_info(&["role2"], &[]);
    t.add_framework(&framework2);
    let mut by_framework = HashMap::new();
    for _ in 0..2 {
        let a = await_ready(&t.next());
        by_framework.insert(a.framework_id.clone(), a);
    }
    for (framework, role, agent) in [
        (&framework1, "role1", &slave1),
        (&framework2, "role2", &slave2),
    ] {
        let a = &by_framework[&framework_id(framework)];
        assert_eq!(1, a.resources.len());
        let sum: Resources = a.resources[role].values().sum();
        let mut expected = agent_resources(agent);
        expected.allocate(role);
        assert_eq!(expected, sum);
    }
}

#[test]
fn same_share_fairness() {
    let mut t = Test::new(Options::default());

    let framework1 = t.names.framework_info(&["*"], &[]);
    t.add_framework(&framework1);
    let framework2 = t.names.framework_info(&["*"], &[]);
    t.add_framework(&framework2);
    let slave = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&slave);

    // The agent alternates between both frameworks.
    let mut counts: HashMap<FrameworkId, usize> = HashMap::new();
    for _ in 0..10 {
        let a = await_ready(&t.next());
        let framework = if a.framework_id == framework_id(&framework1) {
            &framework1
        } else {
            &framework2
        };
        assert_eq!(
            allocation(framework, &[("*", &[(&slave, &agent_resources(&slave))])]),
            a
        );
        *counts.entry(a.framework_id.clone()).or_default() += 1;
        t.recover(&a, "*", &slave, None);
        Clock::advance(t.interval());
    }
    assert_eq!(5, counts[&framework_id(&framework1)]);
    assert_eq!(5, counts[&framework_id(&framework2)]);
}

#[test]
fn recover_resources() {
    let mut t = Test::new(Options::default());

    let slave = t
        .names
        .slave_info("cpus(role1):1;mem(role1):200;cpus:1;mem:200;disk:0");
    t.add_slave(&slave);
    let framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);
    let offered = t.next();
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave, &agent_resources(&slave))])],
        ),
        &offered,
    );
    let offered = await_ready(&offered);
    let held = &offered.resources["role1"][&agent_id(&slave)];
    let reserved = held.reserved(Some("role1"));
    let unreserved = held.unreserved();

    // The reserved part comes back and is offered again.
    t.allocator.recover_resources(
        &offered.framework_id,
        &agent_id(&slave),
        reserved.clone(),
        None,
        false,
    );
    Clock::advance(t.interval());
    let mut expected = reserved.clone();
    expected.unallocate();
    await_eq(
        allocation(&framework, &[("role1", &[(&slave, &expected)])]),
        &t.next(),
    );

    // Then the unreserved part.
    t.allocator.recover_resources(
        &offered.framework_id,
        &agent_id(&slave),
        unreserved.clone(),
        None,
        false,
    );
    Clock::advance(t.interval());
    let mut expected = unreserved;
    expected.unallocate();
    await_eq(
        allocation(&framework, &[("role1", &[(&slave, &expected)])]),
        &t.next(),
    );
}

const MIN_CPUS: f64 = 0.01;
const MIN_MEM: f64 = 32.0;

#[test]
fn allocatable() {
    let mut t = Test::new(Options::default());

    let framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);

    // Neither enough memory nor enough cpus.
    let slave1 = t.names.slave_info(&format!(
        "cpus:{};mem:{};disk:128",
        MIN_CPUS / 2.0,
        MIN_MEM / 2.0
    ));
    t.add_slave(&slave1);

    // Enough cpus.
    let slave2 = t
        .names
        .slave_info(&format!("cpus:{};mem:{};disk:128", MIN_CPUS, MIN_MEM / 2.0));
    t.add_slave(&slave2);
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave2, &agent_resources(&slave2))])],
        ),
        &t.next(),
    );

    // Enough memory.
    let slave3 = t
        .names
        .slave_info(&format!("cpus:{};mem:{};disk:128", MIN_CPUS / 2.0, MIN_MEM));
    t.add_slave(&slave3);
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave3, &agent_resources(&slave3))])],
        ),
        &t.next(),
    );

    // Enough cpus and memory, across unreserved and reserved resources.
    let slave4 = t.names.slave_info(&format!(
        "cpus:{c};mem:{m};cpus(role1):{c};mem(role1):{m};disk:128",
        c = MIN_CPUS * 3.0 / 2.0,
        m = MIN_MEM / 2.0
    ));
    t.add_slave(&slave4);
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave4, &agent_resources(&slave4))])],
        ),
        &t.next(),
    );
}

fn cpus_filter(role: &str, cpus: Option<f64>) -> (String, OfferFilters) {
    let quantities = cpus
        .map(|value| OfferQuantities {
            quantities: HashMap::from([("cpus".to_string(), value::Scalar { value })]),
        })
        .into_iter()
        .collect();
    (
        role.to_string(),
        OfferFilters {
            min_allocatable_resources: Some(MinAllocatableResources { quantities }),
        },
    )
}

#[test]
fn framework_min_allocatable() {
    let mut t = Test::new(Options::default());

    let mut framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);

    // Not allocatable under the default minimum.
    let slave = t
        .names
        .slave_info(&format!("cpus:{};mem:{};disk:128", 0.01 / 2.0, 32.0 / 2.0));
    t.add_slave(&slave);
    let next = t.next();
    Clock::settle();
    assert!(next.is_pending());

    // A minimum of its own for role1, below the global one.
    framework
        .offer_filters
        .extend([cpus_filter("role1", Some(0.01 / 3.0))]);
    t.allocator
        .update_framework(&framework_id(&framework), &framework, HashSet::new());
    Clock::advance(t.interval());
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave, &agent_resources(&slave))])],
        ),
        &next,
    );
}

#[test]
fn framework_empty_min_allocatable() {
    let mut t = Test::new(Options::default());

    // An empty set of minimums takes any resources.
    let mut framework = t.names.framework_info(&["role1"], &[]);
    framework.offer_filters.extend([cpus_filter("role1", None)]);
    t.add_framework(&framework);

    let slave = t
        .names
        .slave_info(&format!("cpus:{};mem:{};disk:128", 0.01 / 2.0, 32.0 / 2.0));
    t.add_slave(&slave);
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave, &agent_resources(&slave))])],
        ),
        &t.next(),
    );
}

/// `allocatedResources(resources, role)`.
fn allocated(r: &Resources, role: &str) -> Resources {
    let mut r = r.clone();
    r.allocate(role);
    r
}

/// `createRevocableResources(name, value)`.
fn revocable(name: &str, value: &str) -> Resources {
    let mut resource = Resources::parse_resource(name, value, "*").expect("valid");
    resource.revocable = Some(mesos::resource::RevocableInfo::default());
    Resources::from(resource)
}

fn roles(items: &[&str]) -> HashSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn deactivate_and_reactivate_framework() {
    let mut t = Test::new(Options::default());
    let agent = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&agent);
    let framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);
    let expected = allocation(
        &framework,
        &[("role1", &[(&agent, &agent_resources(&agent))])],
    );
    await_eq(expected.clone(), &t.next());

    let id = framework_id(&framework);
    t.allocator.recover_resources(
        &id,
        &agent_id(&agent),
        allocated(&agent_resources(&agent), "role1"),
        None,
        false,
    );

    // Suppressed and disconnected: nothing in the batch allocation.
    t.allocator.suppress_offers(&id, HashSet::new());
    t.allocator.deactivate_framework(&id);
    Clock::advance(t.interval());
    let next = t.expect_no_allocation();

    // Reconnected and revived: the agent is offered again.
    t.allocator.activate_framework(&id);
    t.allocator.revive_offers(&id, HashSet::new());
    await_eq(expected, &next);
}

#[test]
fn suppress_and_revive_offers() {
    let mut t = Test::new(Options::default());
    let agent = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&agent);
    let framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);
    let expected = allocation(
        &framework,
        &[("role1", &[(&agent, &agent_resources(&agent))])],
    );
    await_eq(expected.clone(), &t.next());

    // A redundant revive allocates nothing: nothing is left.
    let id = framework_id(&framework);
    t.allocator.revive_offers(&id, HashSet::new());
    let next = t.expect_no_allocation();

    t.allocator.recover_resources(
        &id,
        &agent_id(&agent),
        allocated(&agent_resources(&agent), "role1"),
        None,
        false,
    );
    t.allocator.suppress_offers(&id, HashSet::new());

    // Suppressed: the batch allocation offers nothing.
    Clock::advance(t.interval());
    Clock::settle();
    assert!(next.is_pending());

    t.allocator.revive_offers(&id, HashSet::new());
    await_eq(expected, &next);
}

#[test]
fn revive_offers() {
    let mut t = Test::new(Options::default());
    let agent = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&agent);
    let framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);
    let expected = allocation(
        &framework,
        &[("role1", &[(&agent, &agent_resources(&agent))])],
    );
    await_eq(expected.clone(), &t.next());

    let id = framework_id(&framework);
    t.allocator.recover_resources(
        &id,
        &agent_id(&agent),
        allocated(&agent_resources(&agent), "role1"),
        Some(filters(Duration::from_secs(1000))),
        false,
    );
    Clock::advance(t.interval());
    let next = t.expect_no_allocation();

    // Reviving clears the filter.
    t.allocator.revive_offers(&id, HashSet::new());
    await_eq(expected, &next);
}

#[test]
fn suppress_and_revive_offers_with_multi_role() {
    let mut t = Test::new(Options::default());

    // role1 suppressed: role2 gets the agent.
    let framework = t.names.framework_info(&["role1", "role2"], &[]);
    let id = framework_id(&framework);
    t.add_framework(&framework);
    t.allocator.suppress_offers(&id, roles(&["role1"]));

    let agent = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&agent);
    await_eq(
        allocation(
            &framework,
            &[("role2", &[(&agent, &agent_resources(&agent))])],
        ),
        &t.next(),
    );

    let day = Duration::from_days(1);
    t.allocator.recover_resources(
        &id,
        &agent_id(&agent),
        allocated(&agent_resources(&agent), "role2"),
        Some(filters(day)),
        false,
    );
    Clock::advance(t.interval());
    let next = t.expect_no_allocation();

    // Reviving role1 leaves role2's filter alone.
    t.allocator.revive_offers(&id, roles(&["role1"]));
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&agent, &agent_resources(&agent))])],
        ),
        &next,
    );

    // A filter for role1 too: nothing is offered any more.
    t.allocator.recover_resources(
        &id,
        &agent_id(&agent),
        allocated(&agent_resources(&agent), "role1"),
        Some(filters(day)),
        false,
    );
    Clock::advance(t.interval());
    t.expect_no_allocation();
}

#[test]
fn dont_offer_old_agent_to_multi_role_framework() {
    let mut t = Test::new(Options::default());
    let framework = t
        .names
        .framework_info(&["foo"], &[capability::Type::MultiRole]);
    t.add_framework(&framework);

    // An agent without MULTI_ROLE.
    let agent = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_old_slave(&agent);
    Clock::advance(t.interval());
    t.expect_no_allocation();
}

#[test]
fn update_slave_capabilities() {
    let mut t = Test::new(Options::default());
    let agent = t.names.slave_info("cpus:1;mem:1;disk:1");
    t.add_old_slave(&agent);

    let framework = t.names.framework_info(&["role1"], &[]);
    assert_eq!(1, framework.capabilities.len());
    assert_eq!(
        capability::Type::MultiRole,
        framework.capabilities[0].r#type()
    );
    t.add_framework(&framework);

    // Not offered while the agent lacks MULTI_ROLE.
    let next = t.expect_no_allocation();

    t.allocator
        .update_slave(&agent_id(&agent), &agent, None, Some(agent_capabilities()));
    Clock::settle();
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&agent, &agent_resources(&agent))])],
        ),
        &next,
    );
}

/// Recovers an allocation's resources and sums them by role.
fn recover_and_sum(
    t: &Test,
    count: usize,
    recover: bool,
) -> (HashMap<FrameworkId, Resources>, Resources) {
    let mut by_framework = HashMap::new();
    let mut total = Resources::new();
    for _ in 0..count {
        let a = await_ready(&t.next());
        assert_eq!(1, a.resources.len());
        let sum: Resources = a.resources.values().flat_map(|m| m.values()).sum();
        total += &sum;
        by_framework.insert(a.framework_id.clone(), sum);
        if recover {
            t.recover_all(&a);
        }
    }
    (by_framework, total)
}

#[test]
fn update_weight() {
    let mut t = Test::new(Options::default());
    let single = resources("cpus:2;mem:1024");
    let times = |n: usize| -> Resources { (0..n).map(|_| single.clone()).sum() };
    let total = times(6);

    for _ in 0..6 {
        let agent = t.names.slave_info_with(single.clone());
        t.add_slave(&agent);
    }

    // framework1 takes everything first; it is given back once
    // framework2 is there.
    let framework1 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework1);
    Clock::settle();
    let framework2 = t.names.framework_info(&["role2"], &[]);
    t.add_framework(&framework2);
    recover_and_sum(&t, 1, true);

    // Equal weights: three agents each.
    Clock::advance(t.interval());
    let (shares, sum) = recover_and_sum(&t, 2, true);
    assert_eq!(
        allocated(&times(3), "role1"),
        shares[&framework_id(&framework1)]
    );
    assert_eq!(
        allocated(&times(3), "role2"),
        shares[&framework_id(&framework2)]
    );
    assert_eq!(total, sum.create_stripped_scalar_quantity());

    // Weights 1:2.
    t.allocator
        .update_weights(HashMap::from([("role2".to_string(), 2.0)]));
    Clock::advance(t.interval());
    let (shares, sum) = recover_and_sum(&t, 2, true);
    assert_eq!(
        allocated(&times(2), "role1"),
        shares[&framework_id(&framework1)]
    );
    assert_eq!(
        allocated(&times(4), "role2"),
        shares[&framework_id(&framework2)]
    );
    assert_eq!(total, sum.create_stripped_scalar_quantity());

    // Weights 1:2:3, role3's set before its framework arrives; adding it
    // allocates.
    t.allocator
        .update_weights(HashMap::from([("role3".to_string(), 3.0)]));
    let framework3 = t.names.framework_info(&["role3"], &[]);
    t.add_framework(&framework3);
    let (shares, sum) = recover_and_sum(&t, 3, false);
    assert_eq!(
        allocated(&times(1), "role1"),
        shares[&framework_id(&framework1)]
    );
    assert_eq!(
        allocated(&times(2), "role2"),
        shares[&framework_id(&framework2)]
    );
    assert_eq!(
        allocated(&times(3), "role3"),
        shares[&framework_id(&framework3)]
    );
    assert_eq!(total, sum.create_stripped_scalar_quantity());
}

fn assert_metrics(expected: &[(&str, f64)]) {
    let snapshot = metrics();
    for (name, value) in expected {
        assert_eq!(Some(value), snapshot.get(*name), "{name} in {snapshot:?}");
    }
}

fn resource_metrics_expected(
    cpus: f64,
    mem: f64,
    cpus_offered: f64,
    mem_offered: f64,
) -> Vec<(&'static str, f64)> {
    vec![
        ("allocator/mesos/resources/cpus/total", cpus),
        ("allocator/mesos/resources/mem/total", mem),
        ("allocator/mesos/resources/disk/total", 0.0),
        (
            "allocator/mesos/resources/cpus/offered_or_allocated",
            cpus_offered,
        ),
        (
            "allocator/mesos/resources/mem/offered_or_allocated",
            mem_offered,
        ),
        ("allocator/mesos/resources/disk/offered_or_allocated", 0.0),
    ]
}

#[test]
fn resource_metrics() {
    let mut t = Test::new(Options::default());
    let agent = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&agent);
    Clock::settle();
    assert_metrics(&resource_metrics_expected(2.0, 1024.0, 0.0, 0.0));

    // Everything is offered.
    let framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);
    Clock::settle();
    assert_metrics(&resource_metrics_expected(2.0, 1024.0, 2.0, 1024.0));

    t.allocator.remove_slave(&agent_id(&agent));
    Clock::settle();
    assert_metrics(&resource_metrics_expected(0.0, 0.0, 0.0, 0.0));
}

#[test]
fn resource_metrics_uninitialized() {
    let _runtime = testing::runtime();
    let _allocator = HierarchicalDRFAllocator::create();
    assert_metrics(&resource_metrics_expected(0.0, 0.0, 0.0, 0.0));
}

#[test]
fn allocation_runs_metric() {
    let mut t = Test::new(Options::default());
    let runs = "allocator/mesos/allocation_runs";
    assert_metrics(&[(runs, 0.0)]);

    // Adding an agent allocates; settling keeps the next trigger from
    // joining that run.
    let agent = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&agent);
    Clock::settle();

    // So does adding a framework.
    let framework = t.names.framework_info(&["role"], &[]);
    t.add_framework(&framework);
    Clock::settle();
    assert_metrics(&[(runs, 2.0)]);
}

#[test]
fn update_slave_oversubscribed_resources() {
    let mut t = Test::new(Options::default());
    let slave = t.names.slave_info("cpus:100;mem:100;disk:100");
    t.add_slave(&slave);
    let framework = t
        .names
        .framework_info(&["role1"], &[capability::Type::RevocableResources]);
    t.add_framework(&framework);
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave, &agent_resources(&slave))])],
        ),
        &t.next(),
    );

    // 10 oversubscribed cpus are offered.
    let oversubscribed = revocable("cpus", "10");
    t.update_total(&slave, agent_resources(&slave) + &oversubscribed);
    await_eq(
        allocation(&framework, &[("role1", &[(&slave, &oversubscribed)])]),
        &t.next(),
    );

    // 12: the 2 more are offered.
    let oversubscribed2 = revocable("cpus", "12");
    t.update_total(&slave, agent_resources(&slave) + &oversubscribed2);
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave, &(&oversubscribed2 - &oversubscribed))])],
        ),
        &t.next(),
    );

    // 5: nothing is available.
    t.update_total(&slave, agent_resources(&slave) + &revocable("cpus", "5"));
    t.expect_no_allocation();
}

#[test]
fn update_slave_total_resources() {
    let mut t = Test::new(Options::default());
    let agent = t.names.slave_info("cpus:100;mem:100;disk:100");
    t.add_slave(&agent);
    let framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);
    let expected1 = allocation(
        &framework,
        &[("role1", &[(&agent, &agent_resources(&agent))])],
    );
    await_eq(expected1.clone(), &t.next());

    // More resources are offered.
    let added = resources("cpus:12");
    t.update_total(&agent, agent_resources(&agent) + &added);
    let expected2 = allocation(&framework, &[("role1", &[(&agent, &added)])]);
    await_eq(expected2.clone(), &t.next());

    // Shrunk below what is allocated: nothing to offer.
    let halved = resources("cpus:50;mem:50;disk:50");
    t.update_total(&agent, halved.clone());

    // Everything back: the whole (shrunk) agent is offered.
    let id = agent_id(&agent);
    t.allocator.recover_resources(
        &framework_id(&framework),
        &id,
        &expected1.resources["role1"][&id] + &expected2.resources["role1"][&id],
        None,
        false,
    );
    Clock::advance(t.interval());
    await_eq(
        allocation(&framework, &[("role1", &[(&agent, &halved)])]),
        &t.next(),
    );

    // Back to the original total: the difference is offered.
    t.update_total(&agent, agent_resources(&agent));
    await_eq(
        allocation(&framework, &[("role1", &[(&agent, &halved)])]),
        &t.next(),
    );
}

#[test]
fn remove_slave_recover_resources() {
    let mut t = Test::new(Options::default());
    let slave1 = t.names.slave_info("cpus:2;mem:200");
    t.add_slave(&slave1);
    let framework1 = t.names.framework_info(&["role"], &[]);
    t.add_framework(&framework1);
    await_eq(
        allocation(
            &framework1,
            &[("role", &[(&slave1, &agent_resources(&slave1))])],
        ),
        &t.next(),
    );

    let framework2 = t.names.framework_info(&["role"], &[]);
    t.add_framework(&framework2);
    let slave2 = t.names.slave_info("cpus:1;mem:100");
    t.add_slave(&slave2);
    await_eq(
        allocation(
            &framework2,
            &[("role", &[(&slave2, &agent_resources(&slave2))])],
        ),
        &t.next(),
    );

    // Removing slave1 takes what framework1 held out of the sorters, so
    // framework1 has the lowest share.
    t.allocator.remove_slave(&agent_id(&slave1));
    let slave3 = t.names.slave_info("cpus:1;mem:100");
    t.add_slave(&slave3);
    await_eq(
        allocation(
            &framework1,
            &[("role", &[(&slave3, &agent_resources(&slave3))])],
        ),
        &t.next(),
    );
}

#[test]
fn framework_loop_mesos_9554() {
    let mut t = Test::new(Options::default());
    let framework1 = t.names.framework_info(
        &["parent/child"],
        &[capability::Type::ReservationRefinement],
    );
    t.add_framework(&framework1);
    let agent1 = t.names.slave_info("cpus:1;mem:1;disk:1");
    t.add_slave(&agent1);
    await_eq(
        allocation(
            &framework1,
            &[("parent/child", &[(&agent1, &agent_resources(&agent1))])],
        ),
        &t.next(),
    );

    // framework2 cannot take refined reservations and has the lower share.
    let framework2 = t.names.framework_info(&["parent/child"], &[]);
    assert_eq!(1, framework2.capabilities.len());
    t.add_framework(&framework2);
    let next = t.expect_no_allocation();

    let refined = resources("cpus:1;mem:1;disk:1")
        .push_reservation(&create_dynamic_reservation_info("parent", None, None))
        .push_reservation(&create_dynamic_reservation_info("parent/child", None, None));
    for r in refined.iter() {
        assert!(mesos::common::resources::has_refined_reservations(r));
    }
    // They go to framework1 instead.
    let agent2 = t.names.slave_info_with(refined);
    t.add_slave(&agent2);
    await_eq(
        allocation(
            &framework1,
            &[("parent/child", &[(&agent2, &agent_resources(&agent2))])],
        ),
        &next,
    );
}

#[test]
fn non_scalar_reservation_tracking_mesos_9555() {
    let mut t = Test::new(Options::default());
    let r = resources("cpus:1;mem:1;disk:1;ports(role):[1-2]");
    let agent1 = t.names.slave_info_with(r.clone());
    t.add_slave(&agent1);
    let agent2 = t.names.slave_info_with(r);
    t.add_slave(&agent2);
    t.allocator.remove_slave(&agent_id(&agent1));
    t.allocator.remove_slave(&agent_id(&agent2));
    Clock::settle();
}

#[test]
fn oversubscribed_not_allocated() {
    let mut t = Test::new(Options::default());
    let slave = t.names.slave_info("cpus:100;mem:100;disk:100");
    t.add_slave(&slave);
    let framework = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework);
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave, &agent_resources(&slave))])],
        ),
        &t.next(),
    );

    // Not REVOCABLE_RESOURCES capable: no revocable offers.
    t.update_total(&slave, agent_resources(&slave) + &revocable("cpus", "10"));
    t.expect_no_allocation();
}

#[test]
fn recover_oversubscribed_resources() {
    let mut t = Test::new(Options::default());
    let slave = t.names.slave_info("cpus:100;mem:100;disk:100");
    t.add_slave(&slave);
    let framework = t
        .names
        .framework_info(&["role1"], &[capability::Type::RevocableResources]);
    t.add_framework(&framework);
    await_eq(
        allocation(
            &framework,
            &[("role1", &[(&slave, &agent_resources(&slave))])],
        ),
        &t.next(),
    );

    let oversubscribed = revocable("cpus", "10");
    t.update_total(&slave, agent_resources(&slave) + &oversubscribed);
    await_eq(
        allocation(&framework, &[("role1", &[(&slave, &oversubscribed)])]),
        &t.next(),
    );

    // 6 revocable and 2 regular cpus come back and are offered again.
    let mut recovered = revocable("cpus", "6") + &resources("cpus:2");
    recovered.allocate("role1");
    t.allocator.recover_resources(
        &framework_id(&framework),
        &agent_id(&slave),
        recovered.clone(),
        None,
        false,
    );
    Clock::advance(t.interval());
    recovered.unallocate();
    await_eq(
        allocation(&framework, &[("role1", &[(&slave, &recovered)])]),
        &t.next(),
    );
}

#[test]
fn remove_filters() {
    let mut t = Test::new(Options::default());
    let role = "role";
    let framework = t.names.framework_info(&[role], &[]);
    t.add_framework(&framework);
    let mut agent = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent);
    let expected = allocation(&framework, &[(role, &[(&agent, &agent_resources(&agent))])]);
    let offered = t.next();
    await_eq(expected.clone(), &offered);

    let timeout = Duration::from_nanos(t.interval().ns() * 2);
    t.recover(&await_ready(&offered), role, &agent, Some(filters(timeout)));
    Clock::advance(t.interval());
    let next = t.expect_no_allocation();

    // New attributes drop the agent's filters.
    agent.attributes = mesos::common::attributes::Attributes::parse("foo:bar;baz:quux")
        .expect("valid")
        .iter()
        .cloned()
        .collect();
    t.allocator.update_slave(
        &agent_id(&agent),
        &agent,
        Some(agent_resources(&agent)),
        Some(agent_capabilities()),
    );
    await_eq(expected, &next);
}

/// `createQuota(guarantees, limits)`.
fn quota(guarantees: &str, limits: &str) -> Quota {
    Quota {
        guarantees: ResourceQuantities::from_string(guarantees).expect("valid"),
        limits: ResourceLimits::from_string(limits).expect("valid"),
    }
}

#[test]
fn quota_provides_guarantee() {
    let mut t = Test::new(Options::default());
    let (quota_role, no_quota_role) = ("quota-role", "no-quota-role");

    let framework1 = t.names.framework_info(&[quota_role], &[]);
    t.add_framework(&framework1);
    t.allocator
        .update_quota(quota_role, quota("cpus:2;mem:1024", "cpus:2;mem:1024"));
    let framework2 = t.names.framework_info(&[no_quota_role], &[]);
    t.add_framework(&framework2);
    // Nothing to allocate yet.
    Clock::settle();

    // framework1's role alone has unsatisfied quota.
    let agent1 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent1);
    await_eq(
        allocation(
            &framework1,
            &[(quota_role, &[(&agent1, &agent_resources(&agent1))])],
        ),
        &t.next(),
    );

    let agent2 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent2);
    let expected = allocation(
        &framework1,
        &[(quota_role, &[(&agent2, &agent_resources(&agent2))])],
    );
    let offered = t.next();
    await_eq(expected.clone(), &offered);

    // framework1 declines agent2 for two intervals: framework2 still
    // does not get it, the quota needs it.
    let timeout = Duration::from_nanos(t.interval().ns() * 2);
    t.recover(
        &await_ready(&offered),
        quota_role,
        &agent2,
        Some(filters(timeout)),
    );
    Clock::settle();
    Clock::advance(t.interval());
    let next = t.expect_no_allocation();

    // The filter expires; the quota role gets it again.
    Clock::advance(t.interval());
    await_eq(expected, &next);
}

#[test]
fn quota_provides_limit() {
    let mut t = Test::new(Options::default());
    let (quota_role, no_quota_role) = ("*", "no-quota-role");

    let framework1 = t.names.framework_info(&[quota_role], &[]);
    t.add_framework(&framework1);
    // No guarantees, zero limits.
    t.allocator
        .update_quota(quota_role, quota("", "cpus:0;mem:0;disk:0"));

    let agent1 = t.names.slave_info("cpus:2;mem:1024;disk:1024");
    t.add_slave(&agent1);
    let next = t.expect_no_allocation();

    // framework2 gets all of agent1.
    let framework2 = t.names.framework_info(&[no_quota_role], &[]);
    t.add_framework(&framework2);
    await_eq(
        allocation(
            &framework2,
            &[(no_quota_role, &[(&agent1, &agent_resources(&agent1))])],
        ),
        &next,
    );

    // Raised limits: framework1 gets half of agent2, framework2 the rest.
    t.allocator
        .update_quota(quota_role, quota("", "cpus:1;mem:512;disk:512"));
    let agent2 = t.names.slave_info("cpus:2;mem:1024;disk:1024");
    t.add_slave(&agent2);
    let half = resources("cpus:1;mem:512;disk:512");
    let mut got = [await_ready(&t.next()), await_ready(&t.next())];
    if got[0].framework_id != framework_id(&framework1) {
        got.swap(0, 1);
    }
    assert_eq!(
        allocation(&framework1, &[(quota_role, &[(&agent2, &half)])]),
        got[0]
    );
    assert_eq!(
        allocation(&framework2, &[(no_quota_role, &[(&agent2, &half)])]),
        got[1]
    );
}

/// Allocations triggered by events while one is pending join it (as in
/// 1.11: the candidates are collected, one `_generateOffers` dispatch is
/// outstanding). A simulated runtime runs nothing until the test waits,
/// so all events are queued before the first is served.
#[test]
fn event_triggered_allocations_are_batched() {
    let simulation = Simulation::from_environment().expect("LIBPROCESS_SEED");
    let runtime = testing::runtime_with(Builder::default().simulation(&simulation));
    let mut t = Test::with_runtime(Options::default(), runtime);
    let runs = "allocator/mesos/allocation_runs";

    let framework = t.names.framework_info(&["role"], &[]);
    t.add_framework(&framework);
    let agents: Vec<SlaveInfo> = (0..3)
        .map(|_| t.names.slave_info("cpus:1;mem:512"))
        .collect();
    for agent in &agents {
        t.add_slave(agent);
    }
    Clock::settle();

    // One run, all three agents in one offer.
    assert_metrics(&[(runs, 1.0)]);
    let all: Vec<(&SlaveInfo, Resources)> =
        agents.iter().map(|a| (a, agent_resources(a))).collect();
    let by_agent: Vec<(&SlaveInfo, &Resources)> = all.iter().map(|(a, r)| (*a, r)).collect();
    await_eq(allocation(&framework, &[("role", &by_agent)]), &t.next());
    t.expect_no_allocation();

    // Settled in between, each event runs its own allocation.
    for _ in 0..2 {
        let agent = t.names.slave_info("cpus:1;mem:512");
        t.add_slave(&agent);
        Clock::settle();
    }
    assert_metrics(&[(runs, 3.0)]);
}

#[test]
fn reservations() {
    let mut t = Test::new(Options::default());
    let slave1 = t
        .names
        .slave_info("cpus(role1):2;mem(role1):1024;disk(role1):0");
    t.add_slave(&slave1);
    let slave2 = t
        .names
        .slave_info("cpus(role2):2;mem(role2):1024;cpus:1;mem:1024;disk:0");
    t.add_slave(&slave2);
    // Never offered: no framework has role3.
    let slave3 = t
        .names
        .slave_info("cpus(role3):1;mem(role3):1024;disk(role3):0");
    t.add_slave(&slave3);

    // slave1 whole and slave2's unreserved part.
    let framework1 = t.names.framework_info(&["role1"], &[]);
    t.add_framework(&framework1);
    await_eq(
        allocation(
            &framework1,
            &[(
                "role1",
                &[
                    (&slave1, &agent_resources(&slave1)),
                    (&slave2, &agent_resources(&slave2).unreserved()),
                ],
            )],
        ),
        &t.next(),
    );

    // role2's reservation on slave2.
    let framework2 = t.names.framework_info(&["role2"], &[]);
    t.add_framework(&framework2);
    await_eq(
        allocation(
            &framework2,
            &[(
                "role2",
                &[(&slave2, &agent_resources(&slave2).reserved(Some("role2")))],
            )],
        ),
        &t.next(),
    );
}

#[test]
fn offer_ancestor_reservations_to_descendant_child() {
    let mut t = Test::new(Options::default());
    let role = "a/b/c";
    let framework = t.names.framework_info(&[role], &[]);
    t.add_framework(&framework);

    let agent1 = t.names.slave_info("cpus(a):1;mem(a):512;disk(a):0");
    t.add_slave(&agent1);
    await_eq(
        allocation(
            &framework,
            &[(role, &[(&agent1, &agent_resources(&agent1))])],
        ),
        &t.next(),
    );

    // The parent's reservation is offered too.
    let agent2 = t
        .names
        .slave_info("cpus:2;mem:1024;disk:0;cpus(a/b):4;mem(a/b):2048;disk(a/b):0");
    t.add_slave(&agent2);
    await_eq(
        allocation(
            &framework,
            &[(role, &[(&agent2, &agent_resources(&agent2))])],
        ),
        &t.next(),
    );
}

#[test]
fn remove_quota() {
    let mut t = Test::new(Options::default());
    let (quota_role, no_quota_role) = ("quota-role", "no-quota-role");
    t.allocator
        .update_quota(quota_role, quota("cpus:2;mem:1024", "cpus:2;mem:1024"));

    let framework1 = t.names.framework_info(&[quota_role], &[]);
    t.add_framework(&framework1);
    let framework2 = t.names.framework_info(&[no_quota_role], &[]);
    t.add_framework(&framework2);

    // framework1 holds both agents, its quota satisfied.
    let agent1 = t.names.slave_info("cpus:1;mem:512;disk:0");
    let used = |agent: &SlaveInfo| {
        HashMap::from([(
            framework_id(&framework1),
            allocated(&agent_resources(agent), quota_role),
        )])
    };
    t.add_slave_used(&agent1, used(&agent1));
    let agent2 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave_used(&agent2, used(&agent2));

    // Without quota, freed resources go by fair share: to framework2.
    t.allocator.update_quota(quota_role, Quota::default());
    Clock::settle();
    t.allocator.recover_resources(
        &framework_id(&framework1),
        &agent_id(&agent1),
        allocated(&agent_resources(&agent1), quota_role),
        None,
        false,
    );
    Clock::advance(t.interval());
    await_eq(
        allocation(
            &framework2,
            &[(no_quota_role, &[(&agent1, &agent_resources(&agent1))])],
        ),
        &t.next(),
    );
}

#[test]
fn multiple_frameworks_in_role_with_quota() {
    let mut t = Test::new(Options::default());
    let (quota_role, no_quota_role) = ("quota-role", "no-quota-role");

    let framework1a = t.names.framework_info(&[quota_role], &[]);
    t.add_framework(&framework1a);
    t.allocator
        .update_quota(quota_role, quota("cpus:4;mem:2048", "cpus:4;mem:2048"));
    let framework2 = t.names.framework_info(&[no_quota_role], &[]);
    t.add_framework(&framework2);
    Clock::settle();

    let agent1 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent1);
    await_eq(
        allocation(
            &framework1a,
            &[(quota_role, &[(&agent1, &agent_resources(&agent1))])],
        ),
        &t.next(),
    );

    // Fair sharing within the quota role: framework1b has less.
    let framework1b = t.names.framework_info(&[quota_role], &[]);
    t.add_framework(&framework1b);
    let agent2 = t.names.slave_info("cpus:2;mem:1024;disk:0");
    t.add_slave(&agent2);
    await_eq(
        allocation(
            &framework1b,
            &[(quota_role, &[(&agent2, &agent_resources(&agent2))])],
        ),
        &t.next(),
    );

    let agent3 = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent3);
    await_eq(
        allocation(
            &framework1a,
            &[(quota_role, &[(&agent3, &agent_resources(&agent3))])],
        ),
        &t.next(),
    );

    // framework1a declines; the quota role keeps it: framework1b.
    t.allocator.recover_resources(
        &framework_id(&framework1a),
        &agent_id(&agent3),
        allocated(&agent_resources(&agent3), quota_role),
        Some(filters(Duration::from_secs(5))),
        false,
    );
    Clock::advance(t.interval());
    await_eq(
        allocation(
            &framework1b,
            &[(quota_role, &[(&agent3, &agent_resources(&agent3))])],
        ),
        &t.next(),
    );
}

#[test]
fn quota_allocation_granularity() {
    let mut t = Test::new(Options::default());
    let (quota_role, no_quota_role) = ("quota-role", "no-quota-role");
    let framework1 = t.names.framework_info(&[quota_role], &[]);
    t.add_framework(&framework1);
    let granted = "cpus:0.5;mem:200";
    t.allocator
        .update_quota(quota_role, quota(granted, granted));

    // The quota role gets exactly its quota, chopped off the agent.
    let agent = t.names.slave_info("cpus:1;mem:512;disk:0");
    t.add_slave(&agent);
    await_eq(
        allocation(
            &framework1,
            &[(quota_role, &[(&agent, &resources(granted))])],
        ),
        &t.next(),
    );

    // The rest goes to the role without quota.
    let framework2 = t.names.framework_info(&[no_quota_role], &[]);
    t.add_framework(&framework2);
    await_eq(
        allocation(
            &framework2,
            &[(
                no_quota_role,
                &[(&agent, &(agent_resources(&agent) - &resources(granted)))],
            )],
        ),
        &t.next(),
    );
}
