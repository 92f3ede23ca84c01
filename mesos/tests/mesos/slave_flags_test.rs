//! The agent's flags: Mesos 1.11's names, defaults, aliases and checks.

use mesos::slave::flags::Flags;
use stout::{Bytes, Duration, FlagSet};

fn load(args: &[&str]) -> stout::Try<FlagSet<Flags>> {
    let mut set = FlagSet::<Flags>::new();
    let mut argv = vec!["mesos-agent".to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    set.load(None, argv)?;
    Ok(set)
}

/// The error loading `args` gives.
fn load_error(args: &[&str]) -> stout::Error {
    match load(args) {
        Ok(_) => panic!("{:?} loaded", args),
        Err(error) => error,
    }
}

#[test]
fn defaults() {
    let flags = load(&["--work_dir=/tmp/agent"]).expect("loads");
    assert_eq!(5051, flags.port);
    assert_eq!("/tmp/agent", flags.work_dir);
    assert_eq!(Duration::from_secs(1), flags.registration_backoff_factor);
    assert_eq!(Duration::from_mins(1), flags.executor_registration_timeout);
    assert_eq!(
        Duration::from_secs(2),
        flags.executor_reregistration_timeout
    );
    assert_eq!(Duration::from_secs(5), flags.executor_shutdown_grace_period);
    assert_eq!(Duration::from_mins(15), flags.recovery_timeout);
    assert_eq!(Duration::from_weeks(1), flags.gc_delay);
    assert_eq!(0.1, flags.gc_disk_headroom);
    assert_eq!(150, flags.max_completed_executors_per_framework);
    assert_eq!("posix/cpu,posix/mem", flags.isolation);
    assert_eq!("mesos", flags.containerizers);
    assert_eq!("*", flags.default_role);
    assert_eq!("reconnect", flags.recover);
    assert_eq!("crammd5", flags.authenticatee);
    assert_eq!("/mnt/mesos/sandbox", flags.sandbox_directory);
    assert_eq!(Bytes::gigabytes(2), flags.fetcher_cache_size);
    assert!(flags.switch_user);
    assert!(flags.hostname_lookup);
    assert!(!flags.http_command_executor);
    assert!(flags.strict);
    assert_eq!("INFO", flags.logging.logging_level);
    assert!(flags.resources.is_none());
    assert!(flags.master.is_none());
    assert!(flags.executor_environment_variables.is_none());
    assert_eq!(Some("5051".to_string()), flags.stringify("port"));
    assert_eq!(
        Some("1secs".to_string()),
        flags.stringify("registration_backoff_factor")
    );
}

#[test]
fn work_dir_is_required() {
    let error = load_error(&[]);
    assert!(error.to_string().contains("work_dir"), "{}", error);
}

#[test]
fn deprecated_names() {
    let mut set = FlagSet::<Flags>::new();
    let warnings = set
        .load(
            None,
            [
                "mesos-agent",
                "--work_dir=/tmp",
                "--slave_subsystems=memory,cpuacct",
            ],
        )
        .expect("loads");
    assert_eq!(Some("memory,cpuacct"), set.agent_subsystems.as_deref());
    assert_eq!(1, warnings.len());
    assert!(
        warnings[0].message.contains("slave_subsystems"),
        "{}",
        warnings[0].message
    );
    let set = load(&["--work_dir=/tmp", "--executor_secret_key=/key"]).expect("loads");
    assert_eq!(
        Some(std::path::PathBuf::from("/key")),
        set.jwt_secret_key.clone()
    );
}

/// Flags given as a map (as `mesos-local` hands its agents theirs).
#[test]
fn map() {
    let mut set = FlagSet::<Flags>::new();
    set.load_map(
        [
            ("work_dir", Some("/var/lib/mesos")),
            ("registration_backoff_factor", Some("10secs")),
            ("no-switch_user", None),
        ],
        None,
    )
    .expect("loads");
    assert_eq!("/var/lib/mesos", set.work_dir);
    assert_eq!(Duration::from_secs(10), set.registration_backoff_factor);
    assert!(!set.switch_user);
}

/// Flags of features this build does not have yet still parse.
#[test]
fn later_features_parse() {
    let set = load(&[
        "--work_dir=/tmp",
        "--containerizers=docker,mesos",
        "--isolation=cgroups/cpu,cgroups/mem,filesystem/linux",
        "--master=zk://127.0.0.1:2181/mesos",
        "--credential=/etc/mesos/credential",
        "--acls={\"run_tasks\": [{\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"ANY\"}}]}",
        "--modules={\"libraries\": []}",
        "--image_providers=docker",
        "--docker_registry=https://registry-1.docker.io",
        "--http_executor_domain_sockets",
        "--domain={\"fault_domain\": {\"region\": {\"name\": \"r\"}, \"zone\": {\"name\": \"z\"}}}",
        "--agent_features={\"capabilities\": [{\"type\": \"MULTI_ROLE\"}, \
          {\"type\": \"HIERARCHICAL_ROLE\"}, {\"type\": \"RESERVATION_REFINEMENT\"}, \
          {\"type\": \"AGENT_OPERATION_FEEDBACK\"}, {\"type\": \"RESOURCE_PROVIDER\"}, \
          {\"type\": \"AGENT_DRAINING\"}, {\"type\": \"TASK_RESOURCE_LIMITS\"}]}",
        "--cgroups_enable_cfs",
        "--authenticate_http_readwrite",
    ])
    .expect("loads");
    assert_eq!("docker,mesos", set.containerizers);
    assert_eq!(Some("zk://127.0.0.1:2181/mesos"), set.master.as_deref());
    assert_eq!(1, set.acls.as_ref().expect("acls").get().run_tasks.len());
    assert!(set.domain.is_some());
    assert!(set.cgroups_enable_cfs);
}

#[test]
fn checks() {
    let error = load_error(&[
        "--work_dir=/tmp",
        "--executor_reregistration_timeout=16secs",
    ]);
    assert_eq!(
        "Expected `--executor_reregistration_timeout` to be not more than 15secs",
        error.to_string()
    );

    let error = load_error(&[
        "--work_dir=/tmp",
        "--executor_environment_variables={\"PATH\": 1}",
    ]);
    assert_eq!(
        "`executor_environment_variables` must only contain string values",
        error.to_string()
    );

    let error = load_error(&[
        "--work_dir=/tmp",
        "--agent_features={\"capabilities\": [{\"type\": \"MULTI_ROLE\"}]}",
    ]);
    assert!(
        error
            .to_string()
            .starts_with("At least the following agent features need to be enabled"),
        "{}",
        error
    );

    let error = load_error(&["--work_dir=/tmp", "--domain={}"]);
    assert_eq!("`domain` must define `fault_domain`", error.to_string());

    let error = load_error(&[
        "--work_dir=/tmp",
        "--default_container_dns={\"mesos\": [{\"network_mode\": \"HOST\", \"dns\": {}}]}",
    ]);
    assert_eq!(
        "Configuring DNS for HOST network with `--default_container_dns` is not yet supported",
        error.to_string()
    );

    assert!(load(&["--work_dir=/tmp", "--port=notaport"]).is_err());
}

#[test]
fn help_lists_agent_flags() {
    let set = FlagSet::<Flags>::new();
    let usage = set.usage(None);
    for name in [
        "--work_dir",
        "--[no-]switch_user",
        "--registration_backoff_factor",
        "--executor_registration_timeout",
        "--resources",
        "--attributes",
        "--launcher_dir",
    ] {
        assert!(usage.contains(name), "{} missing from:\n{}", name, usage);
    }
    assert!(usage.contains("up to a maximum of 1mins"));
}
