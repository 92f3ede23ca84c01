//! The external containerizer at the containerizer level, against a
//! scriptable program that records what it gets: each of the seven
//! commands, the launch-first queueing (MESOS-1251), failures and
//! timeouts, recovery, and the seeds' `Launch` bytes. The agent-level
//! scenarios are in `agent.rs`.

mod agent;
mod e2e;
pub(crate) mod fake_ecp;

use std::collections::{BTreeMap, HashMap, HashSet};

use libprocess::testing::{await_failed, await_ready};
use mesos::containerizer::{Containers, Destroy, Launch, Termination, Update, Usage, Wait};
use mesos::slave::containerizer::external::{ExternalContainerizer, Options};
use mesos::slave::containerizer::{Containerizer, LaunchResult};
use mesos::slave::state::{ExecutorState, FrameworkState, RunState, SlaveState};
use mesos::slave::ContainerConfig;
use mesos::task_status::Reason;
use mesos::{
    CommandInfo, ContainerId, ExecutorId, ExecutorInfo, FrameworkId, ResourceStatistics, Resources,
    SlaveId, TaskState,
};

use fake_ecp::{decode, FakeEcp};

/// A fake program, a work directory and a containerizer on both.
struct Fixture {
    ecp: FakeEcp,
    dir: tempfile::TempDir,
    containerizer: ExternalContainerizer,
}

fn fixture_with(configure: impl FnOnce(&mut Options)) -> Fixture {
    let ecp = FakeEcp::new();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut options = Options::new(ecp.path(), dir.path().join("work").to_string_lossy());
    options.launcher_dir = "/usr/libexec/mesos".to_string();
    options.default_container_image = Some("docker:///busybox".to_string());
    configure(&mut options);
    let containerizer = ExternalContainerizer::create(options).expect("an executable program");
    Fixture {
        ecp,
        dir,
        containerizer,
    }
}

fn fixture() -> Fixture {
    fixture_with(|_| {})
}

impl Fixture {
    fn sandbox(&self, name: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(&path).expect("mkdir");
        path.to_string_lossy().into_owned()
    }

    /// Launches `container` running `sleep 1000` in a new sandbox.
    fn launch(&self, container: &ContainerId) -> mesos_future::LaunchFuture {
        let config = config("sleep 1000", &self.sandbox(&container.value));
        self.containerizer
            .launch(container, config, executor_environment(), None)
    }
}

mod mesos_future {
    pub(crate) type LaunchFuture = libprocess::Future<mesos::slave::containerizer::LaunchResult>;
}

fn container(id: &str) -> ContainerId {
    ContainerId {
        value: id.to_string(),
        parent: None,
    }
}

fn config(command: &str, directory: &str) -> ContainerConfig {
    let resources = Resources::parse("cpus:1;mem:128").expect("resources");
    let command = CommandInfo {
        value: Some(command.to_string()),
        ..CommandInfo::default()
    };
    ContainerConfig {
        executor_info: Some(ExecutorInfo {
            executor_id: ExecutorId {
                value: "executor".to_string(),
            },
            framework_id: Some(FrameworkId {
                value: "framework".to_string(),
            }),
            command: Some(command.clone()),
            resources: resources.clone().into(),
            ..ExecutorInfo::default()
        }),
        command_info: command,
        resources: resources.into(),
        directory: directory.to_string(),
        ..ContainerConfig::default()
    }
}

/// What the agent puts in an executor's environment, as far as `Launch`
/// reads it.
fn executor_environment() -> BTreeMap<String, String> {
    [
        ("MESOS_SLAVE_ID", "agent"),
        ("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:5051"),
        ("MESOS_CHECKPOINT", "0"),
        ("MESOS_EXECUTOR_ID", "executor"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn statistics() -> ResourceStatistics {
    ResourceStatistics {
        timestamp: 1.5,
        cpus_user_time_secs: Some(0.12),
        cpus_system_time_secs: Some(0.5),
        cpus_limit: Some(2.0),
        mem_rss_bytes: Some(1024),
        mem_limit_bytes: Some(1 << 30),
        ..ResourceStatistics::default()
    }
}

#[test]
fn each_command_round_trips() {
    let f = fixture();
    await_ready(&f.containerizer.recover(None));
    let recover = f.ecp.call("recover");
    assert!(recover.stdin.is_empty());
    assert_eq!(
        Some("/usr/libexec/mesos"),
        recover
            .env
            .get("MESOS_LIBEXEC_DIRECTORY")
            .map(String::as_str)
    );
    assert!(recover.env["MESOS_WORK_DIRECTORY"].ends_with("/work"));
    assert!(!recover.env.contains_key("MESOS_DEFAULT_CONTAINER_IMAGE"));
    assert!(f.ecp.call("containers").stdin.is_empty());

    let id = container("c1");
    let sandbox = f.sandbox("c1");
    assert_eq!(LaunchResult::Success, await_ready(&f.launch(&id)));
    let launch = f.ecp.call("launch");
    let message: Launch = decode(&launch.stdin);
    assert_eq!(id, message.container_id);
    assert_eq!(Some(sandbox.as_str()), message.directory.as_deref());
    assert_eq!(
        Some("agent"),
        message.slave_id.as_ref().map(|s| s.value.as_str())
    );
    assert_eq!(
        Some("slave(1)@127.0.0.1:5051"),
        message.slave_pid.as_deref()
    );
    assert_eq!(Some(false), message.checkpoint);
    assert_eq!(None, message.task_info);
    let executor = message.executor_info.expect("the executor");
    assert_eq!("executor", executor.executor_id.value);
    assert_eq!(sandbox, launch.cwd);
    assert_eq!(
        "docker:///busybox",
        launch.env["MESOS_DEFAULT_CONTAINER_IMAGE"]
    );
    assert_eq!("executor", launch.env["MESOS_EXECUTOR_ID"]);
    assert!(launch.env.contains_key("MESOS_LIBEXEC_DIRECTORY"));
    assert!(launch.env.contains_key("MESOS_WORK_DIRECTORY"));
    let stderr =
        std::fs::read_to_string(format!("{sandbox}/stderr")).expect("the sandbox's stderr");
    assert!(stderr.contains("ecp stderr for launch"), "{stderr}");

    let resources = Resources::parse("cpus:2;mem:256").expect("resources");
    await_ready(
        &f.containerizer
            .update(&id, resources.clone(), BTreeMap::new()),
    );
    let update = f.ecp.call("update");
    let message: Update = decode(&update.stdin);
    assert_eq!(id, message.container_id);
    assert_eq!(resources, Resources::from(message.resources));
    assert_eq!(sandbox, update.cwd);
    assert!(!update.env.contains_key("MESOS_DEFAULT_CONTAINER_IMAGE"));
    // The same resources again: nothing changed, nothing to tell.
    await_ready(
        &f.containerizer
            .update(&id, resources.clone(), BTreeMap::new()),
    );
    assert_eq!(1, f.ecp.calls("update").len());

    f.ecp.reply("usage", &statistics());
    assert_eq!(statistics(), await_ready(&f.containerizer.usage(&id)));
    let message: Usage = decode(&f.ecp.call("usage").stdin);
    assert_eq!(id, message.container_id);

    f.ecp.reply(
        "wait",
        &Termination {
            killed: false,
            message: String::new(),
            status: Some(3 << 8),
        },
    );
    let termination = await_ready(&f.containerizer.wait(&id)).expect("a termination");
    assert_eq!(Some(3 << 8), termination.status);
    assert_eq!(None, termination.state);
    let wait = f.ecp.call("wait");
    let message: Wait = decode(&wait.stdin);
    assert_eq!(id, message.container_id);
    assert_eq!(sandbox, wait.cwd);
    assert!(!wait.env.contains_key("MESOS_DEFAULT_CONTAINER_IMAGE"));

    // The container is gone once waited on.
    assert!(await_ready(&f.containerizer.containers()).is_empty());
    assert_eq!(None, await_ready(&f.containerizer.wait(&id)));
    assert!(f.ecp.calls("destroy").is_empty());
}

#[test]
fn destroy_aborts_the_pending_wait() {
    let f = fixture();
    let id = container("c1");
    assert_eq!(LaunchResult::Success, await_ready(&f.launch(&id)));
    f.ecp.hold("wait");
    let wait = f.containerizer.wait(&id);
    assert_eq!(
        HashSet::from([id.clone()]),
        await_ready(&f.containerizer.containers())
    );

    let termination = await_ready(&f.containerizer.destroy(&id)).expect("a termination");
    assert_eq!(Some(termination.clone()), await_ready(&wait));
    let message: Destroy = decode(&f.ecp.call("destroy").stdin);
    assert_eq!(id, message.container_id);
    // The held `wait` was killed, never answered.
    assert!(
        !f.ecp.log().contains(&"end wait".to_string()),
        "{:?}",
        f.ecp.log()
    );
    assert_eq!(None, termination.state);
    assert!(await_ready(&f.containerizer.containers()).is_empty());
}

#[test]
fn commands_wait_for_launch() {
    let f = fixture();
    let id = container("c1");
    f.ecp.hold("launch");
    f.ecp.hold("wait");
    f.ecp.reply("usage", &statistics());
    let launched = f.launch(&id);
    let usage = f.containerizer.usage(&id);
    let updated = f.containerizer.update(
        &id,
        Resources::parse("cpus:2").expect("resources"),
        BTreeMap::new(),
    );
    let wait = f.containerizer.wait(&id);
    // Each call above has reached the containerizer's process once this
    // one has: none of them may have run the program yet.
    await_ready(&f.containerizer.containers());
    assert!(usage.is_pending() && updated.is_pending() && wait.is_pending());
    f.ecp.release("launch");

    assert_eq!(LaunchResult::Success, await_ready(&launched));
    await_ready(&usage);
    await_ready(&updated);
    await_ready(&f.containerizer.destroy(&id));
    await_ready(&wait);
    let log = f.ecp.log();
    let launch_end = log
        .iter()
        .position(|l| l == "end launch")
        .expect("launch ended");
    for command in ["usage", "update", "wait", "destroy"] {
        let start = log
            .iter()
            .position(|l| *l == format!("start {command}"))
            .unwrap_or_else(|| panic!("{command} ran: {log:?}"));
        assert!(
            launch_end < start,
            "{command} before launch returned: {log:?}"
        );
    }
}

#[test]
fn failed_launch_fails_the_container() {
    let f = fixture();
    f.ecp.fail("launch", 1, "no such image: docker:///busybox");
    let id = container("c1");
    let failure = await_failed(&f.launch(&id));
    assert!(
        failure.contains("exited with status 1: no such image: docker:///busybox"),
        "{failure}"
    );
    // The agent destroys a container whose launch failed: the program
    // hears of it, and no `wait` is run.
    let wait = f.containerizer.wait(&id);
    let termination = await_ready(&f.containerizer.destroy(&id)).expect("a termination");
    assert_eq!(Some(termination.clone()), await_ready(&wait));
    assert_eq!(Some(TaskState::TaskFailed as i32), termination.state);
    assert_eq!(
        Some(Reason::ContainerLaunchFailed as i32),
        termination.reason
    );
    let message: Destroy = decode(&f.ecp.call("destroy").stdin);
    assert_eq!(id, message.container_id);
    assert!(f.ecp.calls("wait").is_empty());
    assert!(await_ready(&f.containerizer.containers()).is_empty());
}

#[test]
fn bad_results_fail_only_their_call() {
    let f = fixture();
    let id = container("c1");
    assert_eq!(LaunchResult::Success, await_ready(&f.launch(&id)));

    // Garbage that does not parse.
    f.ecp
        .reply_raw("usage", &[4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    let failure = await_failed(&f.containerizer.usage(&id));
    assert!(
        failure.contains("Failed to parse the ResourceStatistics"),
        "{failure}"
    );
    // A record shorter than it says.
    f.ecp.reply_raw("usage", &[100, 0, 0, 0, 8, 1]);
    let failure = await_failed(&f.containerizer.usage(&id));
    assert!(
        failure.contains("Expected 100 bytes protobuf, received 2 bytes"),
        "{failure}"
    );
    // Nothing at all.
    f.ecp.reply_raw("usage", &[]);
    let failure = await_failed(&f.containerizer.usage(&id));
    assert!(failure.contains("no result"), "{failure}");
    // A non-zero exit, whatever it wrote.
    f.ecp.reply("usage", &statistics());
    f.ecp.fail("usage", 3, "cannot read /proc");
    let failure = await_failed(&f.containerizer.usage(&id));
    assert!(
        failure.contains("exited with status 3: cannot read /proc"),
        "{failure}"
    );

    // The container is still there; a garbage `wait` fails its termination.
    f.ecp.reply_raw("wait", b"garbage");
    let failure = await_failed(&f.containerizer.wait(&id));
    assert!(
        failure.contains("Wait on container 'c1' failed"),
        "{failure}"
    );
    assert!(await_ready(&f.containerizer.containers()).is_empty());
}

#[test]
fn hanging_command_times_out() {
    let f = fixture_with(|options| options.timeout = stout::Duration::from_millis(500));
    f.ecp.hold("launch");
    let failure = await_failed(&f.launch(&container("c1")));
    assert!(
        failure.contains("'launch' did not finish within 500ms"),
        "{failure}"
    );
    // The hung invocation was killed: it never got to its end.
    f.ecp.release("launch");
    assert!(!f.ecp.log().contains(&"end launch".to_string()));
}

#[test]
fn missing_program_is_an_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let missing = dir.path().join("missing").to_string_lossy().into_owned();
    let error = ExternalContainerizer::create(Options::new(missing.clone(), "/tmp"))
        .expect_err("no program");
    assert!(
        error.to_string().contains(&format!(
            "Failed to find the external containerizer '{missing}'"
        )),
        "{error}"
    );
    let plain = dir.path().join("plain");
    std::fs::write(&plain, "#!/bin/sh\n").expect("write");
    let plain = plain.to_string_lossy().into_owned();
    let error = ExternalContainerizer::create(Options::new(plain.clone(), "/tmp"))
        .expect_err("not executable");
    assert!(
        error
            .to_string()
            .contains(&format!("'{plain}' is not executable")),
        "{error}"
    );
    let error = ExternalContainerizer::create(Options::new("", "/tmp")).expect_err("no path");
    assert!(
        error.to_string().contains("--containerizer_path"),
        "{error}"
    );
}

/// An agent state naming `container` as the latest run of an executor.
fn state_with(work_dir: &str, container: &ContainerId) -> SlaveState {
    let executor_id = ExecutorId {
        value: "executor".to_string(),
    };
    let framework_id = FrameworkId {
        value: "framework".to_string(),
    };
    let slave_id = SlaveId {
        value: "agent".to_string(),
    };
    let directory = mesos::slave::paths::get_executor_run_path(
        work_dir,
        &slave_id,
        &framework_id,
        &executor_id,
        container,
    );
    std::fs::create_dir_all(directory).expect("the run's sandbox");
    let executor = ExecutorState {
        id: Some(executor_id.clone()),
        info: Some(ExecutorInfo {
            executor_id: executor_id.clone(),
            ..ExecutorInfo::default()
        }),
        latest: Some(container.clone()),
        runs: HashMap::from([(
            container.value.clone(),
            RunState {
                id: Some(container.clone()),
                ..RunState::default()
            },
        )]),
    };
    let framework = FrameworkState {
        id: Some(framework_id),
        executors: HashMap::from([(executor_id.value, executor)]),
        ..FrameworkState::default()
    };
    SlaveState {
        id: Some(slave_id),
        frameworks: HashMap::from([("framework".to_string(), framework)]),
        ..SlaveState::default()
    }
}

#[test]
fn recover_reattaches_and_destroys_orphans() {
    let f = fixture();
    let (live, orphan) = (container("live"), container("orphan"));
    f.ecp.reply(
        "containers",
        &Containers {
            containers: vec![live.clone(), orphan.clone()],
        },
    );
    f.ecp.reply(
        "wait",
        &Termination {
            killed: false,
            message: String::new(),
            status: Some(9),
        },
    );
    let work_dir = f.dir.path().join("work").to_string_lossy().into_owned();
    let state = state_with(&work_dir, &live);
    await_ready(&f.containerizer.recover(Some(&state)));

    // The orphan was waited on and destroyed; the live one is the
    // containerizer's again.
    let destroy: Destroy = decode(&f.ecp.call("destroy").stdin);
    assert_eq!(orphan, destroy.container_id);
    let wait: Wait = decode(&f.ecp.call("wait").stdin);
    assert_eq!(orphan, wait.container_id);
    assert_eq!(
        HashSet::from([live.clone()]),
        await_ready(&f.containerizer.containers())
    );

    // Waiting on the live one runs `wait` in its sandbox.
    let termination = await_ready(&f.containerizer.wait(&live)).expect("a termination");
    assert_eq!(Some(9), termination.status);
    let waits = f.ecp.calls("wait");
    assert_eq!(2, waits.len());
    assert!(
        waits.iter().any(|call| call.cwd.ends_with("/runs/live")),
        "{waits:?}"
    );
}

#[test]
fn recover_without_state_destroys_every_container() {
    let f = fixture();
    f.ecp.reply(
        "containers",
        &Containers {
            containers: vec![container("a"), container("b")],
        },
    );
    await_ready(&f.containerizer.recover(None));
    let mut destroyed: Vec<String> = f
        .ecp
        .calls("destroy")
        .iter()
        .map(|call| decode::<Destroy>(&call.stdin).container_id.value)
        .collect();
    destroyed.sort();
    assert_eq!(vec!["a", "b"], destroyed);
    assert!(await_ready(&f.containerizer.containers()).is_empty());
}

#[test]
fn failed_recover_fails_recovery() {
    let f = fixture();
    f.ecp.fail("recover", 2, "corrupt state");
    let failure = await_failed(&f.containerizer.recover(None));
    assert!(failure.contains("Recover failed"), "{failure}");
    assert!(failure.contains("corrupt state"), "{failure}");
    assert!(f.ecp.calls("containers").is_empty());
}

/// The seeds' hexdump of the `Launch` record that Mesos' agent wrote in
/// `ExternalContainerizerTest.Launch` (580 bytes: the length, 576, then
/// the message).
const SEED_LAUNCH: &str = concat!(
    "400200000a260a2434333532353361622d643234362d343762652d613335302d",
    "3335343230343635643836381a81020a030a01312a160a046370757310001a09",
    "09000000000000004032012a2a150a036d656d10001a09090000000000009040",
    "32012a2a160a046469736b10001a0909000000000000904032012a2a180a0570",
    "6f7274731001220a0a080898f2011080fa0132012a3a2a1a286563686f20274e",
    "6f20737563682066696c65206f72206469726563746f7279273b206578697420",
    "31422b0a2932303134303532362d3031353030362d31363737373334332d3535",
    "3430332d36323536372d303030304a3d436f6d6d616e64204578656375746f72",
    "20285461736b3a2031292028436f6d6d616e643a207368202d6320277768696c",
    "652074727565203b2e2e2e272952013122c5012f746d702f45787465726e616c",
    "436f6e7461696e6572697a6572546573745f4c61756e63685f6c58556839662f",
    "736c617665732f32303134303532362d3031353030362d31363737373334332d",
    "35353430332d36323536372d302f6672616d65776f726b732f32303134303532",
    "362d3031353030362d31363737373334332d35353430332d36323536372d3030",
    "30302f6578656375746f72732f312f72756e732f34333532353361622d643234",
    "362d343762652d613335302d3335343230343635643836382a0474696c6c3228",
    "0a2632303134303532362d3031353030362d31363737373334332d3535343033",
    "2d36323536372d303a18736c617665283129403132372e302e302e313a353534",
    "30334000",
);

const SEED_DIRECTORY: &str = concat!(
    "/tmp/ExternalContainerizerTest_Launch_lXUh9f/slaves/20140526-015006-16777343-55403-62567-0/",
    "frameworks/20140526-015006-16777343-55403-62567-0000/executors/1/runs/",
    "435253ab-d246-47be-a350-35420465d868",
);

/// A resource as Mesos 0.19 wrote it: with its role, `*`.
#[allow(deprecated)] // `role`: what the seed's bytes hold.
fn seed_resource(name: &str, kind: mesos::value::Type) -> mesos::Resource {
    mesos::Resource {
        name: name.to_string(),
        r#type: kind as i32,
        role: Some("*".to_string()),
        ..mesos::Resource::default()
    }
}

fn seed_scalar(name: &str, value: f64) -> mesos::Resource {
    mesos::Resource {
        scalar: Some(mesos::value::Scalar { value }),
        ..seed_resource(name, mesos::value::Type::Scalar)
    }
}

#[test]
#[allow(deprecated)] // `source`: what the seed's bytes hold.
fn launch_bytes_match_the_seed() {
    let f = fixture();
    let ports = mesos::Resource {
        ranges: Some(mesos::value::Ranges {
            range: vec![mesos::value::Range {
                begin: 31000,
                end: 32000,
            }],
        }),
        ..seed_resource("ports", mesos::value::Type::Ranges)
    };
    let executor = ExecutorInfo {
        executor_id: ExecutorId {
            value: "1".to_string(),
        },
        resources: vec![
            seed_scalar("cpus", 2.0),
            seed_scalar("mem", 1024.0),
            seed_scalar("disk", 1024.0),
            ports,
        ],
        command: Some(CommandInfo {
            value: Some("echo 'No such file or directory'; exit 1".to_string()),
            ..CommandInfo::default()
        }),
        framework_id: Some(FrameworkId {
            value: "20140526-015006-16777343-55403-62567-0000".to_string(),
        }),
        name: Some("Command Executor (Task: 1) (Command: sh -c 'while true ;...')".to_string()),
        source: Some("1".to_string()),
        ..ExecutorInfo::default()
    };
    let config = ContainerConfig {
        executor_info: Some(executor),
        directory: SEED_DIRECTORY.to_string(),
        user: Some("till".to_string()),
        ..ContainerConfig::default()
    };
    let environment: BTreeMap<String, String> = [
        ("MESOS_SLAVE_ID", "20140526-015006-16777343-55403-62567-0"),
        ("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:55403"),
        ("MESOS_CHECKPOINT", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // The invocation runs in the sandbox the seed names.
    let root = "/tmp/ExternalContainerizerTest_Launch_lXUh9f";
    std::fs::create_dir_all(SEED_DIRECTORY).expect("the seed's sandbox");
    let id = container("435253ab-d246-47be-a350-35420465d868");
    let launched = f.containerizer.launch(&id, config, environment, None);
    let result = launched.wait_for(stout::Duration::from_secs(15));
    let _ = std::fs::remove_dir_all(root);
    assert!(result && launched.is_ready(), "{:?}", launched.failure());

    let expected: Vec<u8> = (0..SEED_LAUNCH.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&SEED_LAUNCH[i..i + 2], 16).expect("hex"))
        .collect();
    assert_eq!(580, expected.len());
    assert_eq!(expected, f.ecp.call("launch").stdin);
}
