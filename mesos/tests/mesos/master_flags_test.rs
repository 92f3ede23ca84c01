//! The master's flags: Mesos 1.11's names, defaults, deprecated names and
//! the values it refuses.

use mesos::master::Flags;
use stout::{Bytes, Duration, FlagSet};

fn load(args: &[&str]) -> stout::Try<FlagSet<Flags>> {
    let mut flags = FlagSet::<Flags>::new();
    let mut argv = vec!["mesos-master"];
    argv.extend_from_slice(args);
    flags.load(None, argv)?;
    Ok(flags)
}

#[test]
fn defaults() {
    let flags = load(&[]).expect("defaults");
    assert_eq!(flags.port, 5050);
    assert_eq!(flags.registry, "replicated_log");
    assert_eq!(flags.agent_ping_timeout, Duration::from_secs(15));
    assert_eq!(flags.max_agent_ping_timeouts, 5);
    assert_eq!(flags.agent_reregister_timeout, Duration::from_mins(10));
    assert_eq!(flags.allocation_interval, Duration::from_secs(1));
    assert_eq!(flags.recovery_agent_removal_limit, "100%");
    assert_eq!(flags.min_allocatable_resources, "cpus:0.01|mem:32");
    assert_eq!(flags.authenticators, "crammd5");
    assert_eq!(flags.allocator, "hierarchical");
    assert_eq!(flags.authorizers, "local");
    assert_eq!(flags.http_authenticators, "basic");
    assert_eq!(flags.max_completed_frameworks, 50);
    assert_eq!(flags.max_completed_tasks_per_framework, 1000);
    assert_eq!(flags.registry_max_agent_count, 102400);
    assert_eq!(flags.registry_max_agent_age, Duration::from_weeks(2));
    assert_eq!(flags.zk_session_timeout, Duration::from_secs(10));
    assert_eq!(flags.offer_constraints_re2_max_mem, Bytes::new(4096));
    assert_eq!(flags.allocator_agent_recovery_factor, 0.8);
    assert_eq!(flags.offer_timeout, None);
    assert!(flags.hostname_lookup);
    assert!(flags.root_submissions);
    assert!(flags.filter_gpu_resources);
    assert_eq!(flags.total_ping_timeout(), Duration::from_secs(75));
}

#[test]
fn deprecated_names() {
    let flags = load(&[
        "--slave_ping_timeout=5secs",
        "--max_slave_ping_timeouts=2",
        "--slave_reregister_timeout=20mins",
        "--authenticate",
        "--user_sorter=random",
    ])
    .expect("loaded");
    assert_eq!(flags.agent_ping_timeout, Duration::from_secs(5));
    assert_eq!(flags.max_agent_ping_timeouts, 2);
    assert_eq!(flags.agent_reregister_timeout, Duration::from_mins(20));
    assert!(flags.authenticate_frameworks);
    assert_eq!(flags.role_sorter, "random");
}

#[test]
fn later_features_parse() {
    let flags = load(&[
        "--offer_timeout=30secs",
        "--acls={\"permissive\": true}",
        "--rate_limits={\"limits\": []}",
        "--domain={\"fault_domain\": {\"region\": {\"name\": \"r\"}, \"zone\": {\"name\": \"z\"}}}",
        "--weights=a=2",
        "--quorum=2",
        "--zk=zk://localhost:2181/mesos",
    ])
    .expect("loaded");
    assert_eq!(flags.offer_timeout, Some(Duration::from_secs(30)));
    assert_eq!(flags.quorum, Some(2));
}

#[test]
fn invalid_values() {
    assert_eq!(
        load(&["--agent_ping_timeout=100mins"])
            .err()
            .map(|e| e.to_string()),
        Some("Expected `--agent_ping_timeout` to be between 1secs and 15mins".to_string())
    );
    assert_eq!(
        load(&["--max_agent_ping_timeouts=0"])
            .err()
            .map(|e| e.to_string()),
        Some("Expected `--max_agent_ping_timeouts` to be at least 1".to_string())
    );
    assert!(load(&["--registry_strict"]).is_err());
    assert_eq!(
        load(&["--domain={}"]).err().map(|e| e.to_string()),
        Some("`domain` must define `fault_domain`".to_string())
    );
}

#[test]
fn master_refuses_short_reregister_timeout() {
    let _rt = libprocess::testing::runtime();
    let mut flags = Flags::for_tests();
    flags.agent_reregister_timeout = Duration::from_mins(5);
    let registrar = mesos::master::registrar::Registrar::new(Box::new(
        mesos::master::registrar::InMemoryStorage::new(),
    ));
    let error = mesos::master::Master::new(
        flags,
        Box::new(crate::master_helpers::TestAllocator::default()),
        registrar,
    )
    .err()
    .map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some("Invalid value '5mins' for --agent_reregister_timeout: Expected at least 10mins")
    );
}
