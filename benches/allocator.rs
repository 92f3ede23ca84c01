//! `HierarchicalAllocator_BENCHMARK_Test.DeclineOffers`, driving the
//! allocator's plain state (`State::allocate`) without its process: N
//! agents of `cpus:24;mem:4096;disk:4096;ports:[31000-32000]`, each with
//! `cpus:16;mem:2014;disk:1024` and 16 ports used by one of M frameworks
//! (round robin), all in role `*`. Every offer is declined with
//! `refuse_seconds` = `INT_MAX`; after M rounds every framework has
//! filtered every agent, and an allocation run makes no offer at all:
//! `declined` measures that run, the allocator's steady state under
//! declines (Mesos prints it as "allocate() took .. to make 0 offers after
//! filtering .. offers").
//!
//! Baseline in the same run: `first`, the first allocation over the same
//! cluster, before any decline (one offer per agent, nothing filtered).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use libprocess::Time;
use mesos::common::resources::Resources;
use mesos::framework_info::{capability, Capability};
use mesos::master::allocator::hierarchical::State;
use mesos::master::allocator::Options;
use mesos::{slave_info, Filters, FrameworkId, FrameworkInfo, SlaveId, SlaveInfo};

/// (agents, frameworks), a subset of Mesos' parameters.
const SIZES: [(usize, usize); 3] = [(1000, 1), (1000, 50), (5000, 50)];

fn agent_capabilities() -> Vec<slave_info::Capability> {
    use slave_info::capability::Type;
    [
        Type::MultiRole,
        Type::HierarchicalRole,
        Type::ReservationRefinement,
    ]
    .into_iter()
    .map(|kind| {
        let mut capability = slave_info::Capability::default();
        capability.set_type(kind);
        capability
    })
    .collect()
}

fn framework_info(i: usize) -> FrameworkInfo {
    let mut capability = Capability::default();
    capability.set_type(capability::Type::MultiRole);
    FrameworkInfo {
        user: "user".to_string(),
        name: format!("framework{i}"),
        id: Some(FrameworkId {
            value: format!("framework{i}"),
        }),
        roles: vec!["*".to_string()],
        capabilities: vec![capability],
        ..FrameworkInfo::default()
    }
}

/// The cluster, nothing offered yet.
fn cluster(agents: usize, frameworks: usize) -> State {
    let mut state = State::new(Options::default());
    let ids: Vec<FrameworkId> = (0..frameworks)
        .map(|i| {
            let info = framework_info(i);
            let id = info.id.clone().expect("set");
            state.add_framework(&id, &info, &HashMap::new(), true, BTreeSet::new());
            id
        })
        .collect();

    let total = Resources::parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]").expect("valid");
    // 16 tasks, a cpu and a port each, as Mesos' fragment of the range.
    let ports: Vec<String> = (0..16)
        .map(|i| format!("{p}-{p}", p = 31000 + i * 62))
        .collect();
    let mut used = Resources::parse(&format!(
        "cpus:16;mem:2014;disk:1024;ports:[{}]",
        ports.join(",")
    ))
    .expect("valid");
    used.allocate("*");

    for i in 0..agents {
        let id = SlaveId {
            value: format!("agent{i}"),
        };
        let info = SlaveInfo {
            hostname: id.value.clone(),
            id: Some(id.clone()),
            resources: total.to_vec(),
            ..SlaveInfo::default()
        };
        let held = HashMap::from([(ids[i % frameworks].clone(), used.clone())]);
        state.add_slave(&id, &info, &agent_capabilities(), &total, &held);
    }
    state
}

fn candidates(state: &State) -> HashSet<SlaveId> {
    state.slaves().keys().cloned().collect()
}

/// Declines every offer for good.
fn decline(state: &mut State, offers: Vec<(FrameworkId, mesos::master::allocator::Offerable)>) {
    let forever = Filters {
        refuse_seconds: Some(i32::MAX as f64),
    };
    for (framework_id, offerable) in offers {
        for agents in offerable.into_values() {
            for (slave_id, resources) in agents {
                state.recover_resources(
                    Time::EPOCH,
                    &framework_id,
                    &slave_id,
                    &resources,
                    Some(&forever),
                    false,
                );
            }
        }
    }
}

fn decline_offers(c: &mut Criterion) {
    let mut group = c.benchmark_group("DeclineOffers");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for (agents, frameworks) in SIZES {
        let name = format!("{agents} agents, {frameworks} frameworks");

        group.bench_function(BenchmarkId::new("first", &name), |b| {
            b.iter_batched(
                || {
                    let state = cluster(agents, frameworks);
                    let all = candidates(&state);
                    (state, all)
                },
                |(mut state, all)| {
                    let offers = state.allocate(&all);
                    assert_eq!(
                        agents,
                        offers.iter().map(|(_, o)| o["*"].len()).sum::<usize>()
                    );
                    (state, offers)
                },
                BatchSize::PerIteration,
            )
        });

        // Declined until no framework wants any agent.
        let mut state = cluster(agents, frameworks);
        let all = candidates(&state);
        for _ in 0..frameworks + 1 {
            let offers = state.allocate(&all);
            decline(&mut state, offers);
        }
        group.bench_function(BenchmarkId::new("declined", &name), |b| {
            b.iter_custom(|iterations| {
                let mut elapsed = Duration::ZERO;
                for _ in 0..iterations {
                    let start = Instant::now();
                    let offers = state.allocate(&all);
                    elapsed += start.elapsed();
                    assert!(offers.is_empty());
                }
                elapsed
            })
        });
    }
    group.finish();
}

criterion_group!(benches, decline_offers);
criterion_main!(benches);
