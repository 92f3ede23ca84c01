//! Mesos' HierarchicalAllocatorTest (src/tests/hierarchical_allocator_tests.cpp),
//! run against the allocator process with the Clock paused, as in Mesos.
//! The plain-data state is tested in `hierarchical_allocator_state_test`.

use std::collections::{HashMap, HashSet};

use libprocess::testing::{self, await_eq, await_ready, TestRuntime};
use libprocess::{Clock, Future, Queue};
use mesos::common::resources::Resources;
use mesos::framework_info::{capability, Capability};
use mesos::master::allocator::{Allocator, HierarchicalDRFAllocator, Offerable, Options};
use mesos::offer_filters::{MinAllocatableResources, ResourceQuantities as OfferQuantities};
use mesos::{
    slave_info, value, Filters, FrameworkId, FrameworkInfo, OfferFilters, SlaveId, SlaveInfo,
};
use stout::Duration;

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

/// `Resources::parse(text).get()`.
pub(crate) fn resources(text: &str) -> Resources {
    Resources::parse(text).unwrap_or_else(|e| panic!("'{text}': {e}"))
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
struct Test {
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
        let runtime = testing::runtime();
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
            Resources::from(agent.resources.clone()),
            used,
        );
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
