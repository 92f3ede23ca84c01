//! Ports of Mesos' `RegistrarTest` for the agent operations, over the
//! in-memory storage.

use libprocess::testing;
use mesos::internal::Registry;
use mesos::master::registrar::{
    AdmitSlave, InMemoryStorage, MarkSlaveReachable, MarkSlaveUnreachable, Registrar, RemoveSlave,
};
use mesos::{MasterInfo, SlaveId, SlaveInfo, TimeInfo};

fn slave(id: &str) -> SlaveInfo {
    SlaveInfo {
        hostname: "localhost".into(),
        id: Some(SlaveId { value: id.into() }),
        ..SlaveInfo::default()
    }
}

fn master_info() -> MasterInfo {
    MasterInfo {
        id: "master".into(),
        ..MasterInfo::default()
    }
}

fn admitted(registry: &Registry) -> Vec<String> {
    registry
        .slaves
        .iter()
        .flat_map(|s| s.slaves.iter())
        .filter_map(|s| s.info.id.as_ref().map(|id| id.value.clone()))
        .collect()
}

#[test]
fn recover() {
    let _rt = testing::runtime();
    let storage = InMemoryStorage::new();
    let registrar = Registrar::new(Box::new(storage.clone()));
    // Before recovery, operations fail.
    let early = registrar.apply(Box::new(AdmitSlave::new(slave("1"))));
    assert_eq!(
        testing::await_failed(&early),
        "Attempted to apply the operation before recovering"
    );
    let registry = testing::await_ready(&registrar.recover(master_info()));
    assert_eq!(registry.master.as_ref().expect("master").info.id, "master");
    assert!(admitted(&registry).is_empty());
}

#[test]
fn admit_slave() {
    let _rt = testing::runtime();
    let registrar = Registrar::new(Box::new(InMemoryStorage::new()));
    testing::await_ready(&registrar.recover(master_info()));
    assert!(testing::await_ready(
        &registrar.apply(Box::new(AdmitSlave::new(slave("1"))))
    ));
    let again = registrar.apply(Box::new(AdmitSlave::new(slave("1"))));
    assert_eq!(testing::await_failed(&again), "Agent already admitted");
    let registry = testing::await_ready(&registrar.registry()).expect("recovered");
    assert_eq!(admitted(&registry), vec!["1"]);
}

#[test]
fn mark_unreachable_then_reachable() {
    let _rt = testing::runtime();
    let registrar = Registrar::new(Box::new(InMemoryStorage::new()));
    testing::await_ready(&registrar.recover(master_info()));
    testing::await_ready(&registrar.apply(Box::new(AdmitSlave::new(slave("1")))));
    let time = TimeInfo { nanoseconds: 42 };
    assert!(testing::await_ready(
        &registrar.apply(Box::new(MarkSlaveUnreachable::new(slave("1"), time)))
    ));
    let registry = testing::await_ready(&registrar.registry()).expect("recovered");
    assert!(admitted(&registry).is_empty());
    let unreachable = registry.unreachable.expect("unreachable").slaves;
    assert_eq!(unreachable[0].timestamp, time);
    // Not admitted any more: cannot be marked unreachable again.
    let again = registrar.apply(Box::new(MarkSlaveUnreachable::new(slave("1"), time)));
    assert_eq!(testing::await_failed(&again), "Agent not yet admitted");

    assert!(testing::await_ready(
        &registrar.apply(Box::new(MarkSlaveReachable::new(slave("1"))))
    ));
    // Already reachable: no change.
    assert!(!testing::await_ready(
        &registrar.apply(Box::new(MarkSlaveReachable::new(slave("1"))))
    ));
    let registry = testing::await_ready(&registrar.registry()).expect("recovered");
    assert_eq!(admitted(&registry), vec!["1"]);
    assert!(registry.unreachable.expect("unreachable").slaves.is_empty());
}

#[test]
fn remove_slave() {
    let _rt = testing::runtime();
    let registrar = Registrar::new(Box::new(InMemoryStorage::new()));
    testing::await_ready(&registrar.recover(master_info()));
    let missing = registrar.apply(Box::new(RemoveSlave::new(slave("1"))));
    assert_eq!(testing::await_failed(&missing), "Agent not yet admitted");
    testing::await_ready(&registrar.apply(Box::new(AdmitSlave::new(slave("1")))));
    testing::await_ready(&registrar.apply(Box::new(AdmitSlave::new(slave("2")))));
    assert!(testing::await_ready(
        &registrar.apply(Box::new(RemoveSlave::new(slave("1"))))
    ));
    let registry = testing::await_ready(&registrar.registry()).expect("recovered");
    assert_eq!(admitted(&registry), vec!["2"]);
}

#[test]
fn recover_from_shared_storage() {
    let _rt = testing::runtime();
    let storage = InMemoryStorage::new();
    {
        let registrar = Registrar::new(Box::new(storage.clone()));
        testing::await_ready(&registrar.recover(master_info()));
        testing::await_ready(&registrar.apply(Box::new(AdmitSlave::new(slave("1")))));
    }
    // A new master's registrar finds the agent its predecessor admitted.
    let registrar = Registrar::new(Box::new(storage));
    let registry = testing::await_ready(&registrar.recover(master_info()));
    assert_eq!(admitted(&registry), vec!["1"]);
}
