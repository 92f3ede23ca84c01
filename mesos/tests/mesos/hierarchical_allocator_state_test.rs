//! The hierarchical allocator's state driven directly, without the
//! process or a clock: what `allocate` offers, how offer filters,
//! suppression and revival change that, and what the role tree tracks.
//! (Not a Mesos suite: Mesos only tests the allocator through its
//! process.)

use std::collections::{BTreeSet, HashMap, HashSet};

use libprocess::Time;
use mesos::common::resources::Resources;
use mesos::framework_info::capability;
use mesos::master::allocator::hierarchical::{refuse_timeout, State};
use mesos::master::allocator::Options;
use mesos::{Filters, FrameworkId, FrameworkInfo, SlaveId, SlaveInfo};
use stout::Duration;

use crate::helpers::{create_disk_resource, resources};
use crate::hierarchical_allocator_test::{
    agent_capabilities, agent_id, allocation, framework_id, Allocation, Names,
};

/// Allocates over every agent, as a batch allocation does.
fn allocate_all(state: &mut State) -> Vec<Allocation> {
    let all: HashSet<SlaveId> = state.slaves().keys().cloned().collect();
    allocate(state, &all)
}

fn allocate(state: &mut State, candidates: &HashSet<SlaveId>) -> Vec<Allocation> {
    state
        .allocate(candidates)
        .into_iter()
        .map(|(framework_id, resources)| Allocation {
            framework_id,
            resources,
        })
        .collect()
}

fn add_framework(state: &mut State, framework: &FrameworkInfo) {
    state.add_framework(
        &framework_id(framework),
        framework,
        &HashMap::new(),
        true,
        BTreeSet::new(),
    );
}

fn add_slave(state: &mut State, agent: &SlaveInfo) {
    state.add_slave(
        &agent_id(agent),
        agent,
        &agent_capabilities(),
        &total(agent),
        &HashMap::new(),
    );
}

fn total(agent: &SlaveInfo) -> Resources {
    Resources::from(agent.resources.clone())
}

/// The one resource set an allocation holds for `role` on `agent`.
fn held(allocation: &Allocation, role: &str, agent: &SlaveInfo) -> Resources {
    allocation.resources[role][&agent_id(agent)].clone()
}

fn refuse(seconds: f64) -> Filters {
    Filters {
        refuse_seconds: Some(seconds),
    }
}

const T0: Time = Time::EPOCH;

#[test]
fn reservations_go_only_to_their_role() {
    let mut names = Names::default();
    let mut state = State::new(Options::default());

    let agent = names.slave_info("cpus:1;mem:64;cpus(role1):2;mem(role1):128");
    add_slave(&mut state, &agent);

    // role2 gets the unreserved part only.
    let framework2 = names.framework_info(&["role2"], &[]);
    add_framework(&mut state, &framework2);
    assert_eq!(
        vec![allocation(
            &framework2,
            &[("role2", &[(&agent, &resources("cpus:1;mem:64"))])]
        )],
        allocate_all(&mut state)
    );

    // Nobody is subscribed to role1: the reservation stays.
    assert!(allocate_all(&mut state).is_empty());

    // A framework of role1 gets it.
    let framework1 = names.framework_info(&["role1"], &[]);
    add_framework(&mut state, &framework1);
    assert_eq!(
        vec![allocation(
            &framework1,
            &[(
                "role1",
                &[(&agent, &resources("cpus(role1):2;mem(role1):128"))]
            )]
        )],
        allocate_all(&mut state)
    );
}

#[test]
fn refuse_seconds_as_mesos_takes_it() {
    assert_eq!(Duration::from_secs(5), refuse_timeout(-1.0));
    assert_eq!(Duration::from_days(365), refuse_timeout(1e12));
    assert_eq!(Duration::from_millis(1500), refuse_timeout(1.5));
    assert_eq!(Duration::ZERO, refuse_timeout(0.0));
    assert_eq!(Duration::from_secs(5), refuse_timeout(f64::NAN));
}

#[test]
fn offer_filters_expire_at_their_time() {
    let mut names = Names::default();
    let mut state = State::new(Options::default());
    let framework = names.framework_info(&["role"], &[]);
    add_framework(&mut state, &framework);
    let agent = names.slave_info("cpus:1;mem:512");
    add_slave(&mut state, &agent);
    let offered = allocate_all(&mut state);
    let expected = vec![allocation(
        &framework,
        &[("role", &[(&agent, &total(&agent))])],
    )];
    assert_eq!(expected, offered);

    // A zero refusal sets no filter.
    let id = framework_id(&framework);
    let expiry = state.recover_resources(
        T0,
        &id,
        &agent_id(&agent),
        &held(&offered[0], "role", &agent),
        Some(&refuse(0.0)),
        false,
    );
    assert_eq!(None, expiry);
    assert_eq!(0, state.offer_filters_active("role"));
    let offered = allocate_all(&mut state);
    assert_eq!(expected, offered);

    // A 10 s refusal holds until 10 s have passed.
    let expiry = state
        .recover_resources(
            T0,
            &id,
            &agent_id(&agent),
            &held(&offered[0], "role", &agent),
            Some(&refuse(10.0)),
            false,
        )
        .expect("a filter");
    assert_eq!(Duration::from_secs(10), expiry.timeout);
    assert_eq!(1, state.offer_filters_active("role"));
    assert!(allocate_all(&mut state).is_empty());

    state.expire_filters(T0 + Duration::from_secs(9));
    assert!(allocate_all(&mut state).is_empty());

    state.expire_filters(T0 + Duration::from_secs(10));
    assert_eq!(0, state.offer_filters_active("role"));
    assert_eq!(expected, allocate_all(&mut state));
}

#[test]
fn offer_filter_lasts_an_allocation_interval_at_least() {
    let mut names = Names::default();
    let mut state = State::new(Options {
        allocation_interval: Duration::from_secs(3),
        ..Options::default()
    });
    let framework = names.framework_info(&["role"], &[]);
    add_framework(&mut state, &framework);
    let agent = names.slave_info("cpus:1;mem:512");
    add_slave(&mut state, &agent);
    let offered = allocate_all(&mut state);

    let expiry = state
        .recover_resources(
            T0,
            &framework_id(&framework),
            &agent_id(&agent),
            &held(&offered[0], "role", &agent),
            Some(&refuse(1.0)),
            false,
        )
        .expect("a filter");
    assert_eq!(Duration::from_secs(3), expiry.timeout);

    // Expiring it by its ID removes it.
    state.expire_filter(&expiry);
    assert_eq!(0, state.offer_filters_active("role"));
}

#[test]
fn a_filter_covers_subsets_only() {
    let mut names = Names::default();
    let mut state = State::new(Options::default());
    let framework = names.framework_info(&["role"], &[]);
    add_framework(&mut state, &framework);
    let agent = names.slave_info("cpus:2;mem:512");
    add_slave(&mut state, &agent);
    let offered = allocate_all(&mut state);

    // Half is declined with a filter, half kept.
    let mut half = resources("cpus:1;mem:256");
    half.allocate("role");
    state.recover_resources(
        T0,
        &framework_id(&framework),
        &agent_id(&agent),
        &half,
        Some(&refuse(100.0)),
        false,
    );
    assert!(allocate_all(&mut state).is_empty());

    // The other half comes back without a filter: the whole agent is
    // more than was refused, so it is offered.
    let rest = &held(&offered[0], "role", &agent) - &half;
    state.recover_resources(
        T0,
        &framework_id(&framework),
        &agent_id(&agent),
        &rest,
        None,
        false,
    );
    assert_eq!(
        vec![allocation(
            &framework,
            &[("role", &[(&agent, &total(&agent))])]
        )],
        allocate_all(&mut state)
    );
}

#[test]
fn suppress_and_revive_per_role() {
    let mut names = Names::default();
    let mut state = State::new(Options::default());
    let framework = names.framework_info(&["a", "b"], &[]);
    let id = framework_id(&framework);
    add_framework(&mut state, &framework);
    let roles = |r: &[&str]| -> BTreeSet<String> { r.iter().map(|s| s.to_string()).collect() };

    // Everything suppressed: nothing is offered.
    state.suppress_offers(&id, &BTreeSet::new());
    assert_eq!(roles(&["a", "b"]), state.frameworks()[&id].suppressed_roles);
    let agent = names.slave_info("cpus:1;mem:512");
    add_slave(&mut state, &agent);
    assert!(allocate_all(&mut state).is_empty());

    // b revived: b gets the agent.
    state.revive_offers(&id, &roles(&["b"]));
    assert_eq!(roles(&["a"]), state.frameworks()[&id].suppressed_roles);
    assert_eq!(
        vec![allocation(
            &framework,
            &[("b", &[(&agent, &total(&agent))])]
        )],
        allocate_all(&mut state)
    );

    // An update that unsuppresses a keeps its suppression list in step.
    state.update_framework(&id, &framework, BTreeSet::new());
    assert!(state.frameworks()[&id].suppressed_roles.is_empty());
}

#[test]
fn shared_resources_offered_once_per_run() {
    let mut names = Names::default();
    // Any resources make an offer, a volume alone too.
    let mut state = State::new(Options {
        min_allocatable_resources: Vec::new(),
        ..Options::default()
    });
    let shared = [capability::Type::SharedResources];
    let framework1 = names.framework_info(&["role1"], &shared);
    add_framework(&mut state, &framework1);
    let framework2 = names.framework_info(&["role1"], &shared);
    add_framework(&mut state, &framework2);

    let volume = create_disk_resource("5", "role1", Some("id1"), Some("path1"), None, true);
    let agent = names.slave_info_with(resources("cpus:1;mem:512") + volume.clone());
    add_slave(&mut state, &agent);

    // One offer holds the volume; the other framework gets nothing in
    // the same run though the volume stays available.
    let offered = allocate_all(&mut state);
    assert_eq!(1, offered.len());
    assert_eq!(total(&agent), {
        let mut r = held(&offered[0], "role1", &agent);
        r.unallocate();
        r
    });

    // The next run offers another copy of the volume, alone.
    let again = allocate_all(&mut state);
    assert_eq!(1, again.len());
    assert_eq!(Resources::from(volume), {
        let mut r = held(&again[0], "role1", &agent);
        r.unallocate();
        r
    });
}

#[test]
fn gpu_agents_go_to_gpu_frameworks() {
    let mut names = Names::default();
    let agent = names.slave_info("cpus:1;mem:512;gpus:1");
    let plain = names.framework_info(&["role"], &[]);

    // Filtered by default.
    let mut state = State::new(Options::default());
    add_framework(&mut state, &plain);
    add_slave(&mut state, &agent);
    assert!(allocate_all(&mut state).is_empty());
    let gpu = names.framework_info(&["role"], &[capability::Type::GpuResources]);
    add_framework(&mut state, &gpu);
    assert_eq!(
        vec![allocation(&gpu, &[("role", &[(&agent, &total(&agent))])])],
        allocate_all(&mut state)
    );

    // Not with --no-filter_gpu_resources.
    let mut state = State::new(Options {
        filter_gpu_resources: false,
        ..Options::default()
    });
    add_framework(&mut state, &plain);
    add_slave(&mut state, &agent);
    assert_eq!(
        vec![allocation(&plain, &[("role", &[(&agent, &total(&agent))])])],
        allocate_all(&mut state)
    );
}

#[test]
fn only_active_candidates_are_allocated() {
    let mut names = Names::default();
    let mut state = State::new(Options::default());
    let framework = names.framework_info(&["role"], &[]);
    add_framework(&mut state, &framework);
    let agent1 = names.slave_info("cpus:1;mem:512");
    add_slave(&mut state, &agent1);
    let agent2 = names.slave_info("cpus:2;mem:512");
    add_slave(&mut state, &agent2);

    // Only the candidate is looked at; unknown agents are skipped.
    let candidates: HashSet<SlaveId> = [
        agent_id(&agent1),
        SlaveId {
            value: "unknown".to_string(),
        },
    ]
    .into();
    assert_eq!(
        vec![allocation(
            &framework,
            &[("role", &[(&agent1, &total(&agent1))])]
        )],
        allocate(&mut state, &candidates)
    );

    // A deactivated agent is not offered, until reactivated.
    state.deactivate_slave(&agent_id(&agent2));
    assert!(allocate_all(&mut state).is_empty());
    state.activate_slave(&agent_id(&agent2));
    assert_eq!(
        vec![allocation(
            &framework,
            &[("role", &[(&agent2, &total(&agent2))])]
        )],
        allocate_all(&mut state)
    );
}

#[test]
fn role_tree_tracks_frameworks_reservations_and_weights() {
    let mut names = Names::default();
    let mut state = State::new(Options::default());
    let paths = |state: &State| -> Vec<String> {
        state
            .role_tree()
            .paths()
            .into_iter()
            .map(str::to_string)
            .collect()
    };

    let framework = names.framework_info(&["a/b"], &[]);
    add_framework(&mut state, &framework);
    assert_eq!(vec!["a", "a/b"], paths(&state));

    // A reservation keeps its role (and ancestors) in the tree.
    let agent = names.slave_info("cpus:1;mem:512;cpus(c/d):1");
    add_slave(&mut state, &agent);
    assert_eq!(vec!["a", "a/b", "c", "c/d"], paths(&state));
    let reserved = state.role_tree().get("c").expect("tracked");
    assert_eq!(
        "cpus:1",
        reserved.reservation_scalar_quantities().to_string()
    );

    // So does a weight.
    state.update_weights(&HashMap::from([("e".to_string(), 2.0)]));
    assert_eq!(vec!["a", "a/b", "c", "c/d", "e"], paths(&state));

    // An offer is accounted up the tree; removing the framework frees it
    // and drops its roles.
    let offered = allocate_all(&mut state);
    assert_eq!(1, offered.len());
    assert_eq!(1.0, state.resources_offered_or_allocated("cpus"));
    state.remove_framework(&framework_id(&framework));
    assert_eq!(0.0, state.resources_offered_or_allocated("cpus"));
    assert_eq!(vec!["c", "c/d", "e"], paths(&state));

    state.remove_slave(&agent_id(&agent));
    state.update_weights(&HashMap::from([("e".to_string(), 1.0)]));
    assert!(paths(&state).is_empty());
    assert_eq!(0.0, state.resources_total("cpus"));
}

#[test]
fn recovered_resources_of_a_removed_framework_are_ignored() {
    let mut names = Names::default();
    let mut state = State::new(Options::default());
    let framework = names.framework_info(&["role"], &[]);
    add_framework(&mut state, &framework);
    let agent = names.slave_info("cpus:1;mem:512");
    add_slave(&mut state, &agent);
    let offered = allocate_all(&mut state);

    // The master may recover an offer after removing its framework.
    state.remove_framework(&framework_id(&framework));
    let expiry = state.recover_resources(
        T0,
        &framework_id(&framework),
        &agent_id(&agent),
        &held(&offered[0], "role", &agent),
        Some(&refuse(10.0)),
        false,
    );
    assert_eq!(None, expiry);
    assert_eq!(0.0, state.resources_offered_or_allocated("cpus"));
    let unknown = FrameworkId {
        value: "unknown".to_string(),
    };
    state.activate_framework(&unknown);
    assert!(state.frameworks().is_empty());
}

#[test]
fn suppress_and_revive_of_roles_not_subscribed_are_ignored() {
    let mut names = Names::default();
    let mut state = State::new(Options::default());
    let framework1 = names.framework_info(&["a"], &[]);
    add_framework(&mut state, &framework1);
    // Role b has a sorter, without framework1 in it.
    let framework2 = names.framework_info(&["b"], &[]);
    add_framework(&mut state, &framework2);

    let id = framework_id(&framework1);
    let roles: BTreeSet<String> = ["b", "c"].iter().map(|s| s.to_string()).collect();
    state.suppress_offers(&id, &roles);
    state.revive_offers(&id, &roles);
    assert!(state.frameworks()[&id].suppressed_roles.is_empty());

    // framework1 still gets offers in a.
    let agent = names.slave_info("cpus:1;mem:512");
    add_slave(&mut state, &agent);
    let offered = allocate_all(&mut state);
    assert_eq!(1, offered.len());
}
