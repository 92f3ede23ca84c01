//! Mesos' DRFSorterTest (src/tests/sorter_tests.cpp): every DRF sorter
//! case. The CommonSorterTest cases (typed over both sorters) and the
//! benchmarks are not ported yet.

use mesos::common::resource_quantities::ResourceQuantities;
use mesos::common::resources::Resources;
use mesos::master::allocator::sorter::{DrfSorter, Sorter};
use mesos::resource::RevocableInfo;
use mesos::{Resource, SlaveId};

use crate::helpers::{create_disk_info, create_disk_resource};

/// An agent ID with the given value.
fn agent(value: &str) -> SlaveId {
    SlaveId {
        value: value.to_string(),
    }
}

/// `*ResourceQuantities::fromString(text)`.
fn quantities(text: &str) -> ResourceQuantities {
    ResourceQuantities::from_string(text).unwrap_or_else(|e| panic!("'{text}': {e}"))
}

/// `Resources::parse(text).get()`.
fn resources(text: &str) -> Resources {
    Resources::parse(text).unwrap_or_else(|e| panic!("'{text}': {e}"))
}

/// `Resources::parse(name, value, role).get()`.
fn resource(name: &str, value: &str, role: &str) -> Resource {
    Resources::parse_resource(name, value, role).unwrap_or_else(|e| panic!("'{value}': {e}"))
}

/// `Resources::parse(name, value, role)`, made revocable.
fn revocable(name: &str, value: &str, role: &str) -> Resource {
    let mut resource = resource(name, value, role);
    resource.revocable = Some(RevocableInfo::default());
    resource
}

/// `createDiskResource(value, "role1", "id1", "path1", None(), true)`.
fn shared_disk(value: &str) -> Resource {
    create_disk_resource(value, "role1", Some("id1"), Some("path1"), None, true)
}

/// The scalar quantities of `text` plus `extra`.
fn total_with(text: &str, extra: Resource) -> ResourceQuantities {
    let mut total = resources(text);
    total += extra;
    ResourceQuantities::from_scalar_resources(&total)
}

/// The expected `sort()` result.
fn order(clients: &[&str]) -> Vec<String> {
    clients.iter().map(|c| c.to_string()).collect()
}

/// Adds and activates a client.
fn add_active(sorter: &mut DrfSorter, client: &str) {
    sorter.add(client);
    sorter.activate(client);
}

/// The DRF, ShallowHierarchy and DeepHierarchy scenario, with clients
/// named by `name` (which nests them as each test wants).
fn drf_scenario(name: impl Fn(&str) -> String) {
    let [a, b, c, d, e, f] = ["a", "b", "c", "d", "e", "f"].map(&name);
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));
    assert_eq!(Vec::<String>::new(), sorter.sort());

    add_active(&mut sorter, &a);
    sorter.allocated(&a, &slave_id, &resources("cpus:5;mem:5"));
    add_active(&mut sorter, &b);
    sorter.allocated(&b, &slave_id, &resources("cpus:6;mem:6"));
    // Shares: a = .05, b = .06.
    assert_eq!(order(&[&a, &b]), sorter.sort());

    add_active(&mut sorter, &c);
    sorter.allocated(&c, &slave_id, &resources("cpus:1;mem:1"));
    add_active(&mut sorter, &d);
    sorter.allocated(&d, &slave_id, &resources("cpus:3;mem:1"));
    // Shares: a = .05, b = .06, c = .01, d = .03.
    assert_eq!(order(&[&c, &d, &a, &b]), sorter.sort());

    sorter.remove(&a);
    sorter.unallocated(&b, &slave_id, &resources("cpus:4;mem:4"));
    // Shares: b = .02, c = .01, d = .03.
    assert_eq!(order(&[&c, &b, &d]), sorter.sort());

    add_active(&mut sorter, &e);
    sorter.allocated(&e, &slave_id, &resources("cpus:1;mem:5"));
    sorter.remove_slave(&slave_id);
    sorter.add_slave(&slave_id, quantities("cpus:50;mem:100"));
    // Shares: b = .04, c = .02, d = .06, e = .05.
    assert_eq!(order(&[&c, &b, &e, &d]), sorter.sort());

    sorter.remove_slave(&slave_id);
    sorter.add_slave(&slave_id, quantities("cpus:50;mem:200"));
    add_active(&mut sorter, &f);
    sorter.allocated(&f, &slave_id, &resources("cpus:5;mem:1"));
    sorter.allocated(&c, &slave_id, &resources("cpus:0;mem:15"));
    // Shares: b = .04, c = .08, d = .06, e = .025, f = .1.
    assert_eq!(order(&[&e, &b, &d, &c, &f]), sorter.sort());

    assert!(sorter.contains(&b));
    assert!(!sorter.contains(&a));
    assert_eq!(5, sorter.count());

    sorter.deactivate(&d);
    assert!(sorter.contains(&d));
    assert_eq!(order(&[&e, &b, &c, &f]), sorter.sort());
    assert_eq!(5, sorter.count());

    sorter.activate(&d);
    assert_eq!(order(&[&e, &b, &d, &c, &f]), sorter.sort());
}

#[test]
fn drf() {
    drf_scenario(|n| n.to_string());
}

#[test]
fn wdrf() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    add_active(&mut sorter, "a");
    sorter.allocated("a", &slave_id, &resources("cpus:5;mem:5"));

    add_active(&mut sorter, "b");
    sorter.update_weight("b", 2.0);
    sorter.allocated("b", &slave_id, &resources("cpus:6;mem:6"));
    // Shares: a = .05, b = .03.
    assert_eq!(order(&["b", "a"]), sorter.sort());

    add_active(&mut sorter, "c");
    sorter.allocated("c", &slave_id, &resources("cpus:4;mem:4"));
    // Shares: a = .05, b = .03, c = .04.
    assert_eq!(order(&["b", "c", "a"]), sorter.sort());

    add_active(&mut sorter, "d");
    sorter.update_weight("d", 10.0);
    sorter.allocated("d", &slave_id, &resources("cpus:10;mem:20"));
    // Shares: a = .05, b = .03, c = .04, d = .02.
    assert_eq!(order(&["d", "b", "c", "a"]), sorter.sort());

    sorter.remove("b");
    assert_eq!(order(&["d", "c", "a"]), sorter.sort());

    sorter.allocated("d", &slave_id, &resources("cpus:10;mem:25"));
    // Shares: a = .05, c = .04, d = .045.
    assert_eq!(order(&["c", "d", "a"]), sorter.sort());

    add_active(&mut sorter, "e");
    sorter.update_weight("e", 0.1);
    sorter.allocated("e", &slave_id, &resources("cpus:1;mem:1"));
    // Shares: a = .05, c = .04, d = .045, e = .1.
    assert_eq!(order(&["c", "d", "a", "e"]), sorter.sort());

    sorter.remove("a");
    assert_eq!(order(&["c", "d", "e"]), sorter.sort());
}

#[test]
fn update_weight() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    add_active(&mut sorter, "a");
    sorter.allocated("a", &slave_id, &resources("cpus:5;mem:5"));
    add_active(&mut sorter, "b");
    sorter.allocated("b", &slave_id, &resources("cpus:6;mem:6"));
    // Shares: a = .05, b = .06.
    assert_eq!(order(&["a", "b"]), sorter.sort());

    // A heavier b comes first.
    sorter.update_weight("b", 2.0);
    // Shares: a = .05, b = .03.
    assert_eq!(order(&["b", "a"]), sorter.sort());
}

#[test]
fn allocation_count_tie_break() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    for client in ["a", "b", "c", "d", "e"] {
        sorter.add(client);
    }
    for client in ["a", "b", "c", "d", "e"] {
        sorter.activate(client);
    }

    // Equal shares all round, but c got three allocations, d two and
    // the others one each.
    sorter.allocated("a", &slave_id, &resources("cpus:3;mem:3"));
    sorter.allocated("b", &slave_id, &resources("cpus:3;mem:3"));
    sorter.allocated("c", &slave_id, &resources("cpus:1;mem:1"));
    sorter.allocated("c", &slave_id, &resources("cpus:1;mem:1"));
    sorter.allocated("c", &slave_id, &resources("cpus:1;mem:1"));
    sorter.allocated("d", &slave_id, &resources("cpus:2;mem:2"));
    sorter.allocated("d", &slave_id, &resources("cpus:1;mem:1"));
    sorter.allocated("e", &slave_id, &resources("cpus:3;mem:3"));
    assert_eq!(order(&["a", "b", "e", "d", "c"]), sorter.sort());

    // Giving back does not reset the count.
    sorter.unallocated("c", &slave_id, &resources("cpus:3;mem:3"));
    assert_eq!(order(&["c", "a", "b", "e", "d"]), sorter.sort());

    sorter.allocated("c", &slave_id, &resources("cpus:3;mem:3"));
    assert_eq!(order(&["a", "b", "e", "d", "c"]), sorter.sort());

    // Neither does deactivating.
    sorter.deactivate("c");
    sorter.activate("c");
    assert_eq!(order(&["a", "b", "e", "d", "c"]), sorter.sort());

    sorter.unallocated("c", &slave_id, &resources("cpus:3;mem:3"));
    sorter.allocated("c", &slave_id, &resources("cpus:3;mem:3"));
    assert_eq!(order(&["a", "b", "e", "d", "c"]), sorter.sort());

    // Allocations to an inactive client count too.
    sorter.deactivate("a");
    sorter.unallocated("a", &slave_id, &resources("cpus:1;mem:3"));
    sorter.allocated("a", &slave_id, &resources("cpus:1;mem:3"));
    assert_eq!(order(&["b", "e", "d", "c"]), sorter.sort());

    sorter.activate("a");
    assert_eq!(order(&["b", "e", "a", "d", "c"]), sorter.sort());
}

#[test]
fn shallow_hierarchy() {
    // Disjoint branches do not change the DRF order.
    drf_scenario(|n| format!("{n}/{n}"));
}

#[test]
fn deep_hierarchy() {
    // Clients at different depths, in disjoint branches.
    let depth = |n: &str| match n {
        "a" => 5,
        "b" => 4,
        "c" => 3,
        "e" => 6,
        _ => 2,
    };
    drf_scenario(|n| vec![n; depth(n)].join("/"));
}

#[test]
fn hierarchical_allocation() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    sorter.add("a");
    sorter.add("b/c");
    sorter.add("b/d");
    sorter.activate("a");
    sorter.activate("b/c");
    sorter.activate("b/d");

    assert_eq!(3, sorter.count());
    assert!(sorter.contains("a"));
    assert!(!sorter.contains("b"));
    assert!(sorter.contains("b/c"));
    assert!(sorter.contains("b/d"));

    // Shares: a = 0, b/c = 0, b/d = 0.
    assert_eq!(order(&["a", "b/c", "b/d"]), sorter.sort());

    let a_resources = resources("cpus:6;mem:6");
    sorter.allocated("a", &slave_id, &a_resources);
    // Shares: a = .06, b/c = 0, b/d = 0.
    assert_eq!(order(&["b/c", "b/d", "a"]), sorter.sort());

    let c_resources = resources("cpus:4;mem:4");
    sorter.allocated("b/c", &slave_id, &c_resources);
    let d_resources = resources("cpus:3;mem:3");
    sorter.allocated("b/d", &slave_id, &d_resources);
    // Shares: a = .06, b/d = .03, b/c = .04 (b as a whole .07).
    assert_eq!(order(&["a", "b/d", "b/c"]), sorter.sort());

    assert_eq!(a_resources, sorter.allocation_on("a", &slave_id));
    assert_eq!(c_resources, sorter.allocation_on("b/c", &slave_id));
    assert_eq!(d_resources, sorter.allocation_on("b/d", &slave_id));
    let scalars = |r: &Resources| ResourceQuantities::from_scalar_resources(&r.scalars());
    assert_eq!(
        &scalars(&a_resources),
        sorter.allocation_scalar_quantities("a")
    );
    assert_eq!(
        &scalars(&c_resources),
        sorter.allocation_scalar_quantities("b/c")
    );
    assert_eq!(
        &scalars(&d_resources),
        sorter.allocation_scalar_quantities("b/d")
    );
    let mut everything = a_resources.clone();
    everything += &c_resources;
    everything += &d_resources;
    assert_eq!(
        &scalars(&everything),
        sorter.total_allocation_scalar_quantities()
    );

    sorter.allocated("a", &slave_id, &resources("cpus:2;mem:2"));
    // Shares: b/d = .03, b/c = .04, a = .08.
    assert_eq!(order(&["b/d", "b/c", "a"]), sorter.sort());

    add_active(&mut sorter, "b/e/f");
    assert!(!sorter.contains("b/e"));
    assert!(sorter.contains("b/e/f"));
    // Shares: b/e/f = 0, b/d = .03, b/c = .04, a = .08.
    assert_eq!(order(&["b/e/f", "b/d", "b/c", "a"]), sorter.sort());

    let f_resources = resources("cpus:3.5;mem:3.5");
    sorter.allocated("b/e/f", &slave_id, &f_resources);
    // Shares: a = .08, b/d = .03, b/e/f = .035, b/c = .04.
    assert_eq!(order(&["a", "b/d", "b/e/f", "b/c"]), sorter.sort());

    // Removing a client takes its allocation out of its subtree's share.
    sorter.remove("b/e/f");
    assert!(!sorter.contains("b/e/f"));
    assert_eq!(3, sorter.count());
    // Shares: b/d = .03, b/c = .04, a = .08.
    assert_eq!(order(&["b/d", "b/c", "a"]), sorter.sort());

    // So does updating a client's allocation.
    sorter.update("b/c", &slave_id, &c_resources, &resources("cpus:1;mem:1"));
    // Shares: b/c = .01, b/d = .03, a = .08.
    assert_eq!(order(&["b/c", "b/d", "a"]), sorter.sort());

    add_active(&mut sorter, "b/e/f");
    sorter.allocated("b/e/f", &slave_id, &f_resources);
    // Shares: b/c = .01, b/d = .03, b/e/f = .035, a = .08.
    assert_eq!(order(&["b/c", "b/d", "b/e/f", "a"]), sorter.sort());
    assert_eq!(4, sorter.count());
}

#[test]
fn hierarchical_iteration_order() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    for client in ["a/b", "c", "d", "d/e"] {
        sorter.add(client);
    }
    for client in ["a/b", "c", "d", "d/e"] {
        sorter.activate(client);
    }
    // Shares: a/b = 0, c = 0, d = 0, d/e = 0.
    assert_eq!(order(&["a/b", "c", "d", "d/e"]), sorter.sort());

    sorter.allocated("c", &slave_id, &resources("cpus:8;mem:8"));
    // Shares: a/b = 0, d = 0, d/e = 0, c = .08.
    assert_eq!(order(&["a/b", "d", "d/e", "c"]), sorter.sort());

    sorter.allocated("d", &slave_id, &resources("cpus:3;mem:3"));
    sorter.allocated("d/e", &slave_id, &resources("cpus:2;mem:2"));
    // Shares: a/b = 0, d/e = .02, d = .03, c = .08.
    assert_eq!(order(&["a/b", "d/e", "d", "c"]), sorter.sort());

    sorter.allocated("a/b", &slave_id, &resources("cpus:6;mem:6"));
    // Shares: d/e = .02, d = .03, a/b = .06, c = .08.
    assert_eq!(order(&["d/e", "d", "a/b", "c"]), sorter.sort());
}

#[test]
fn add_child_to_leaf() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    add_active(&mut sorter, "a");
    sorter.allocated("a", &slave_id, &resources("cpus:10;mem:10"));
    add_active(&mut sorter, "b");
    sorter.allocated("b", &slave_id, &resources("cpus:6;mem:6"));
    assert_eq!(order(&["b", "a"]), sorter.sort());

    // Subtree a now competes with b; inside it, a competes with a/c.
    add_active(&mut sorter, "a/c");
    sorter.allocated("a/c", &slave_id, &resources("cpus:5;mem:5"));
    assert_eq!(order(&["b", "a/c", "a"]), sorter.sort());

    // Without a, subtree a is further below its fair share than b.
    sorter.remove("a");
    assert!(!sorter.contains("a"));
    assert_eq!(order(&["a/c", "b"]), sorter.sort());

    // Adding a back restores the order.
    add_active(&mut sorter, "a");
    sorter.allocated("a", &slave_id, &resources("cpus:10;mem:10"));
    assert!(sorter.contains("a"));
    assert_eq!(order(&["b", "a/c", "a"]), sorter.sort());

    // Against a/c, a weighs 1.
    sorter.update_weight("a/c", 0.2);
    assert_eq!(order(&["b", "a", "a/c"]), sorter.sort());

    // a's weight counts against its siblings, not its children.
    sorter.update_weight("a", 3.0);
    assert_eq!(order(&["a", "a/c", "b"]), sorter.sort());

    sorter.update_weight("a/c", 1.0);
    assert_eq!(order(&["a/c", "a", "b"]), sorter.sort());
}

#[test]
fn add_child_to_internal() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    add_active(&mut sorter, "x/a");
    sorter.allocated("x/a", &slave_id, &resources("cpus:10;mem:10"));
    add_active(&mut sorter, "x/b");
    sorter.allocated("x/b", &slave_id, &resources("cpus:6;mem:6"));
    assert_eq!(order(&["x/b", "x/a"]), sorter.sort());

    add_active(&mut sorter, "x");
    sorter.allocated("x", &slave_id, &resources("cpus:7;mem:7"));
    assert_eq!(order(&["x/b", "x", "x/a"]), sorter.sort());

    add_active(&mut sorter, "z");
    sorter.allocated("z", &slave_id, &resources("cpus:20;mem:20"));
    assert_eq!(order(&["z", "x/b", "x", "x/a"]), sorter.sort());

    sorter.remove("x");
    assert_eq!(order(&["x/b", "x/a", "z"]), sorter.sort());
}

#[test]
fn add_child_to_inactive_leaf() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    add_active(&mut sorter, "a");
    sorter.allocated("a", &slave_id, &resources("cpus:10;mem:10"));
    add_active(&mut sorter, "b");
    sorter.allocated("b", &slave_id, &resources("cpus:6;mem:6"));
    sorter.deactivate("a");
    assert_eq!(order(&["b"]), sorter.sort());

    add_active(&mut sorter, "a/c");
    sorter.allocated("a/c", &slave_id, &resources("cpus:5;mem:5"));
    assert_eq!(order(&["b", "a/c"]), sorter.sort());
}

#[test]
fn change_weight_on_subtree() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100"));

    // Weights set before the paths exist, on inner nodes.
    sorter.update_weight("b", 3.0);
    sorter.update_weight("a", 2.0);

    sorter.add("a/x");
    sorter.add("b/y");
    sorter.activate("a/x");
    sorter.activate("b/y");
    assert_eq!(order(&["a/x", "b/y"]), sorter.sort());

    sorter.allocated("a/x", &slave_id, &resources("cpus:10;mem:10"));
    sorter.allocated("b/y", &slave_id, &resources("cpus:10;mem:10"));
    assert_eq!(order(&["b/y", "a/x"]), sorter.sort());

    add_active(&mut sorter, "b/z");
    sorter.allocated("b/z", &slave_id, &resources("cpus:5;mem:5"));
    assert_eq!(order(&["b/z", "b/y", "a/x"]), sorter.sort());

    add_active(&mut sorter, "b");
    sorter.allocated("b", &slave_id, &resources("cpus:4;mem:4"));
    assert_eq!(order(&["a/x", "b", "b/z", "b/y"]), sorter.sort());

    add_active(&mut sorter, "a/zz");
    sorter.allocated("a/zz", &slave_id, &resources("cpus:2;mem:2"));
    assert_eq!(order(&["a/zz", "a/x", "b", "b/z", "b/y"]), sorter.sort());
}

#[test]
fn split_resource_shares() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    add_active(&mut sorter, "a");
    add_active(&mut sorter, "b");

    // Two pieces of one persistent volume: 10 of disk between them.
    let volume_piece = || {
        let mut disk = resource("disk", "5", "*");
        disk.disk = Some(create_disk_info(
            Some("ID2"),
            Some("data"),
            None,
            None,
            None,
            None,
        ));
        disk
    };
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:100;disk:100"));

    // b holds more disk than a, if the pieces are both counted.
    sorter.allocated("a", &slave_id, &resources("cpus:9;mem:9;disk:9"));
    let mut b = resources("cpus:9;mem:9");
    b += volume_piece();
    b += volume_piece();
    sorter.allocated("b", &slave_id, &b);
    assert_eq!(order(&["a", "b"]), sorter.sort());
}

#[test]
fn update_total() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    add_active(&mut sorter, "a");
    add_active(&mut sorter, "b");
    sorter.add_slave(&slave_id, quantities("cpus:10;mem:100"));

    // a's dominant share is .2 (cpus), b's .1 (cpus).
    sorter.allocated("a", &slave_id, &resources("cpus:2;mem:1"));
    sorter.allocated("b", &slave_id, &resources("cpus:1;mem:2"));
    assert_eq!(order(&["b", "a"]), sorter.sort());

    // Replace the agent's total: now a is at .1 (mem), b at .2 (mem).
    sorter.remove_slave(&slave_id);
    sorter.add_slave(&slave_id, quantities("cpus:100;mem:10"));
    assert_eq!(order(&["a", "b"]), sorter.sort());
}

#[test]
fn multiple_slaves_update_total() {
    let mut sorter = DrfSorter::new();
    let slave_a = agent("agentA");
    let slave_b = agent("agentB");
    add_active(&mut sorter, "a");
    add_active(&mut sorter, "b");
    sorter.add_slave(&slave_a, quantities("cpus:5;mem:50"));
    sorter.add_slave(&slave_b, quantities("cpus:5;mem:50"));

    // a's dominant share is .2 (cpus), b's .1 (cpus).
    sorter.allocated("a", &slave_a, &resources("cpus:2;mem:1"));
    sorter.allocated("b", &slave_b, &resources("cpus:1;mem:3"));
    assert_eq!(order(&["b", "a"]), sorter.sort());

    // A bigger agent A: a is at .02 (cpus), b at .03 (mem).
    sorter.remove_slave(&slave_a);
    sorter.add_slave(&slave_a, quantities("cpus:95;mem:50"));
    assert_eq!(order(&["a", "b"]), sorter.sort());
}

#[test]
fn remove_resources() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    add_active(&mut sorter, "a");
    add_active(&mut sorter, "b");

    let slave_total = Resources::from(resource("cpus", "10", "*"));
    sorter.add_slave(
        &slave_id,
        ResourceQuantities::from_scalar_resources(&slave_total),
    );

    // a's dominant share is .6, b's .4.
    let allocated_for_a = Resources::from(resource("cpus", "6", "*"));
    sorter.allocated("a", &slave_id, &allocated_for_a);
    sorter.allocated("b", &slave_id, &Resources::from(resource("cpus", "4", "*")));
    assert_eq!(order(&["b", "a"]), sorter.sort());

    // Take cpus out of both the total and a's allocation: a is at .2,
    // b at .8.
    let removed = Resources::from(resource("cpus", "5", "*"));
    sorter.remove_slave(&slave_id);
    sorter.add_slave(
        &slave_id,
        ResourceQuantities::from_scalar_resources(&(slave_total.clone() - &removed)),
    );
    sorter.update(
        "a",
        &slave_id,
        &allocated_for_a,
        &(allocated_for_a.clone() - &removed),
    );
    assert_eq!(order(&["a", "b"]), sorter.sort());
}

#[test]
fn revocable_resources() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    add_active(&mut sorter, "a");
    add_active(&mut sorter, "b");

    // 10 cpus, 10 revocable cpus and 100 mem.
    sorter.add_slave(
        &slave_id,
        total_with("cpus:10;mem:100", revocable("cpus", "10", "*")),
    );

    // a's dominant share is .1 (cpus).
    let a = resources("cpus:2;mem:1");
    sorter.allocated("a", &slave_id, &a);

    // b's is .5 (cpus, revocable ones included).
    let mut b = resources("cpus:1;mem:1");
    b += revocable("cpus", "9", "*");
    sorter.allocated("b", &slave_id, &b);

    assert_eq!(a, sorter.allocation_on("a", &slave_id));
    assert_eq!(b, sorter.allocation_on("b", &slave_id));
    assert_eq!(order(&["a", "b"]), sorter.sort());
}

#[test]
fn shared_resources() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    let disk = shared_disk("100");
    sorter.add_slave(
        &slave_id,
        total_with("cpus:100;mem:100;disk(role1):900", disk.clone()),
    );

    add_active(&mut sorter, "a");
    let mut a = resources("cpus:5;mem:5");
    a += disk.clone();
    sorter.allocated("a", &slave_id, &a);

    add_active(&mut sorter, "b");
    sorter.allocated("b", &slave_id, &resources("cpus:6;mem:6"));
    // Shares: a = .1 (disk), b = .06 (cpus).
    assert_eq!(order(&["b", "a"]), sorter.sort());

    add_active(&mut sorter, "c");
    let mut c = resources("cpus:1;mem:1");
    c += disk.clone();
    sorter.allocated("c", &slave_id, &c);
    // a and c hold the same volume, their dominant resource.
    // Shares: a = .1 (disk), b = .06 (cpus), c = .1 (disk).
    assert_eq!(order(&["b", "a", "c"]), sorter.sort());

    sorter.remove("a");
    sorter.unallocated("b", &slave_id, &resources("cpus:4;mem:4"));
    // Shares: b = .02 (cpus), c = .1 (disk).
    assert_eq!(order(&["b", "c"]), sorter.sort());

    add_active(&mut sorter, "d");
    let mut d = resources("cpus:1;mem:5");
    d += disk;
    sorter.allocated("d", &slave_id, &d);
    // Shares: b = .02 (cpus), c = .1 (disk), d = .1 (disk).
    assert_eq!(order(&["b", "c", "d"]), sorter.sort());

    assert!(sorter.contains("b"));
    assert!(!sorter.contains("a"));
    assert_eq!(3, sorter.count());
}

#[test]
fn same_dominant_shared_resources_across_clients() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    let disk = shared_disk("900");
    sorter.add_slave(
        &slave_id,
        total_with("cpus:100;mem:100;disk(role1):100", disk.clone()),
    );

    // Two clients with the same volume and different cpus and mem.
    add_active(&mut sorter, "b");
    let mut b = resources("cpus:5;mem:20");
    b += disk.clone();
    sorter.allocated("b", &slave_id, &b);

    add_active(&mut sorter, "c");
    let mut c = resources("cpus:10;mem:6");
    c += disk.clone();
    sorter.allocated("c", &slave_id, &c);
    // Shares: b = .9 (disk), c = .9 (disk).
    assert_eq!(order(&["b", "c"]), sorter.sort());

    // A third with the same volume.
    add_active(&mut sorter, "a");
    let mut a = resources("cpus:50;mem:40");
    a += disk;
    sorter.allocated("a", &slave_id, &a);
    // Shares: a = b = c = .9 (disk).
    assert_eq!(order(&["a", "b", "c"]), sorter.sort());
}

#[test]
fn same_shared_resources_same_client() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    let disk = shared_disk("50");
    sorter.add_slave(
        &slave_id,
        total_with("cpus:100;mem:100;disk(role1):950", disk.clone()),
    );

    add_active(&mut sorter, "a");
    let mut a = resources("cpus:2;mem:2");
    a += disk.clone();
    sorter.allocated("a", &slave_id, &a);

    add_active(&mut sorter, "b");
    sorter.allocated("b", &slave_id, &resources("cpus:6;mem:6"));
    // Shares: a = .05 (disk), b = .06 (cpus).
    assert_eq!(order(&["a", "b"]), sorter.sort());

    // More copies of a volume a already holds leave its share alone.
    let copies: Resources = vec![disk.clone(), disk.clone(), disk].into();
    sorter.allocated("a", &slave_id, &copies);
    // Shares: a = .05 (disk), b = .06 (cpus).
    assert_eq!(order(&["a", "b"]), sorter.sort());
}

#[test]
fn shared_resources_unallocated() {
    let mut sorter = DrfSorter::new();
    let slave_id = agent("agentId");
    let disk = shared_disk("100");
    sorter.add_slave(
        &slave_id,
        total_with("cpus:100;mem:100;disk(role1):900", disk.clone()),
    );

    // Three copies of the volume to a, none to b.
    add_active(&mut sorter, "a");
    let mut a = resources("cpus:2;mem:2");
    a += disk.clone();
    a += disk.clone();
    a += disk.clone();
    sorter.allocated("a", &slave_id, &a);

    add_active(&mut sorter, "b");
    sorter.allocated("b", &slave_id, &resources("cpus:6;mem:6"));
    // Shares: a = .1 (disk), b = .06 (cpus).
    assert_eq!(order(&["b", "a"]), sorter.sort());

    // One copy back: a still holds the volume.
    sorter.unallocated("a", &slave_id, &Resources::from(disk.clone()));
    // Shares: a = .1 (disk), b = .06 (cpus).
    assert_eq!(order(&["b", "a"]), sorter.sort());

    // The last copies back: the volume no longer counts.
    let copies: Resources = vec![disk.clone(), disk].into();
    sorter.unallocated("a", &slave_id, &copies);
    // Shares: a = .02 (cpus), b = .06 (cpus).
    assert_eq!(order(&["a", "b"]), sorter.sort());
}
