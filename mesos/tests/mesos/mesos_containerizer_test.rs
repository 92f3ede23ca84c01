//! Mesos' `MesosContainerizerTest` and its sibling suites
//! (`mesos_containerizer_tests.cpp`), with the posix launcher and
//! isolators launching real `sh -c` processes, plus the tests of this
//! port's own launch details (environment, working directory, user,
//! process-tree destruction, usage, `--isolation` parsing).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::os::unix::process::ExitStatusExt;
use std::sync::Arc;

use libprocess::testing::{await_failed, await_ready};
use libprocess::{Future, Promise};
use mesos::slave::containerizer::mesos::{
    Isolator, Launcher, MesosContainerizer, Options, SubprocessLauncher,
};
use mesos::slave::containerizer::{Containerizer, LaunchResult};
use mesos::slave::state::{ExecutorState, FrameworkState, RunState, SlaveState};
use mesos::slave::{
    ContainerConfig, ContainerLaunchInfo, ContainerLimitation, ContainerState, ContainerTermination,
};
use mesos::{
    CommandInfo, ContainerId, ContainerStatus, ExecutorId, ExecutorInfo, ResourceStatistics,
    Resources, TaskState,
};

/// A temporary work dir and runtime dir, and a containerizer on them.
struct Fixture {
    dir: tempfile::TempDir,
    containerizer: MesosContainerizer,
}

fn fixture(isolation: &str) -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut options = Options::new(
        dir.path().join("work").to_string_lossy(),
        dir.path().join("runtime").to_string_lossy(),
    );
    options.isolation = isolation.to_string();
    let containerizer = MesosContainerizer::create(options).expect("valid isolation");
    await_ready(&containerizer.recover(Some(&SlaveState::default())));
    Fixture { dir, containerizer }
}

impl Fixture {
    /// A fresh sandbox directory.
    fn sandbox(&self, name: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(&path).expect("mkdir");
        path.to_string_lossy().into_owned()
    }
}

fn container_id() -> ContainerId {
    mesos::common::id::new_container_id()
}

fn shell(command: &str) -> CommandInfo {
    CommandInfo {
        value: Some(command.to_string()),
        ..CommandInfo::default()
    }
}

/// Mesos' `createContainerConfig(None, createExecutorInfo(...), dir)`.
fn executor_config(command: &str, resources: &str, directory: &str) -> ContainerConfig {
    let resources = Resources::parse(resources).expect("resources");
    let executor = ExecutorInfo {
        executor_id: ExecutorId {
            value: "executor".to_string(),
        },
        command: Some(shell(command)),
        resources: resources.clone().into(),
        ..ExecutorInfo::default()
    };
    ContainerConfig {
        executor_info: Some(executor),
        command_info: shell(command),
        resources: resources.into(),
        directory: directory.to_string(),
        ..ContainerConfig::default()
    }
}

fn start(
    containerizer: &MesosContainerizer,
    container_id: &ContainerId,
    config: ContainerConfig,
    environment: BTreeMap<String, String>,
) -> Future<LaunchResult> {
    containerizer.launch(container_id, config, environment, None)
}

/// Launches a container whose command ends by itself and returns how it
/// ended. The wait is asked for while the launch is under way: a command
/// that exits at once can be reaped and its container gone before a wait
/// asked for after the launch returned (Mesos' reaper polls every 100 ms,
/// which hides that race; ours hears of an exit at once).
fn run(
    containerizer: &MesosContainerizer,
    container_id: &ContainerId,
    config: ContainerConfig,
    environment: BTreeMap<String, String>,
) -> ContainerTermination {
    let launched = start(containerizer, container_id, config, environment);
    let termination = containerizer.wait(container_id);
    assert_eq!(await_ready(&launched), LaunchResult::Success);
    await_ready(&termination).expect("known container")
}

fn status(termination: &ContainerTermination) -> std::process::ExitStatus {
    std::process::ExitStatus::from_raw(termination.status.expect("a wait status"))
}

#[test]
fn launch() {
    // MesosContainerizerTest.Launch
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu");
    let id = container_id();
    let config = executor_config("exit 42", "cpus:1", &f.sandbox("sandbox"));
    let termination = run(&f.containerizer, &id, config, BTreeMap::new());
    assert_eq!(status(&termination).code(), Some(42));
    assert!(!await_ready(&f.containerizer.containers()).contains(&id));
}

#[test]
fn standalone_launch() {
    // MesosContainerizerTest.StandaloneLaunch: no executor, a command.
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu,posix/mem");
    let id = container_id();
    let config = ContainerConfig {
        command_info: shell("exit 42"),
        resources: Resources::parse("cpus:1;mem:64").expect("resources").into(),
        directory: f.sandbox("sandbox"),
        ..ContainerConfig::default()
    };
    let termination = run(&f.containerizer, &id, config, BTreeMap::new());
    assert_eq!(status(&termination).code(), Some(42));
}

#[test]
fn destroy() {
    // MesosContainerizerTest.Destroy
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu");
    let id = container_id();
    let config = executor_config("sleep 1000", "cpus:1", &f.sandbox("sandbox"));
    let launched = start(&f.containerizer, &id, config, BTreeMap::new());
    assert_eq!(await_ready(&launched), LaunchResult::Success);

    let termination = await_ready(&f.containerizer.destroy(&id)).expect("known container");
    assert_eq!(status(&termination).signal(), Some(nix::libc::SIGKILL));
    // A second destroy and a wait on the gone container know nothing.
    assert_eq!(await_ready(&f.containerizer.destroy(&id)), None);
    assert_eq!(await_ready(&f.containerizer.wait(&id)), None);
}

#[test]
fn status_with_container_id() {
    // MesosContainerizerTest.StatusWithContainerID
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu");
    let id = container_id();
    let config = executor_config("sleep 1000", "cpus:1", &f.sandbox("sandbox"));
    assert_eq!(
        await_ready(&start(&f.containerizer, &id, config, BTreeMap::new())),
        LaunchResult::Success
    );
    let status = await_ready(&f.containerizer.status(&id));
    assert_eq!(status.container_id, Some(id.clone()));
    assert!(status.executor_pid.is_some_and(|pid| pid > 0));
    await_ready(&f.containerizer.destroy(&id));
}

#[test]
fn io_redirection() {
    // MesosContainerizerExecuteTest.IoRedirection
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu,posix/mem");
    let sandbox = f.sandbox("sandbox");
    let id = container_id();
    let command = "(echo 'this is stderr' 1>&2) && echo 'this is stdout'";
    let config = executor_config(command, "cpus:1", &sandbox);
    let termination = run(&f.containerizer, &id, config, BTreeMap::new());
    assert_eq!(termination.status, Some(0));
    let stderr = std::fs::read_to_string(format!("{}/stderr", sandbox)).expect("stderr");
    assert!(stderr.contains("this is stderr"), "stderr: {:?}", stderr);
    let stdout = std::fs::read_to_string(format!("{}/stdout", sandbox)).expect("stdout");
    assert_eq!(stdout, "this is stdout\n");
}

#[test]
fn destroy_unknown_container() {
    // MesosContainerizerDestroyTest.DestroyUnknownContainer
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu,posix/mem");
    assert_eq!(await_ready(&f.containerizer.destroy(&container_id())), None);
}

#[test]
fn wait_unknown_container() {
    // MesosContainerizerWaitTest.WaitUnknownContainer
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu,posix/mem");
    assert_eq!(await_ready(&f.containerizer.wait(&container_id())), None);
}

#[test]
fn executor_pid_test() {
    // MesosLauncherStatusTest.ExecutorPIDTest
    let _runtime = libprocess::testing::runtime();
    let launcher = SubprocessLauncher::new();
    let id = container_id();
    let child = launcher
        .fork(&id, libprocess::subprocess::shell("sleep 1000"))
        .expect("forks");
    let status = await_ready(&launcher.status(&id));
    assert_eq!(status.executor_pid, Some(child.pid() as u32));
    await_failed(&launcher.status(&container_id()));
    await_ready(&launcher.destroy(&id));
    assert_eq!(
        await_ready(&child.status()).map(|s| std::process::ExitStatus::from_raw(s).signal()),
        Some(Some(nix::libc::SIGKILL))
    );
}

#[test]
fn environment_and_working_directory() {
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu,posix/mem");
    let sandbox = f.sandbox("sandbox");
    let id = container_id();
    let mut config = executor_config(
        "echo \"$FOO $BAR $MESOS_SANDBOX $HOME\"; pwd",
        "cpus:1",
        &sandbox,
    );
    config.command_info.environment = Some(mesos::Environment {
        variables: vec![mesos::environment::Variable {
            name: "BAR".to_string(),
            value: Some("from-command".to_string()),
            ..Default::default()
        }],
    });
    let environment = BTreeMap::from([("FOO".to_string(), "from-agent".to_string())]);
    let termination = run(&f.containerizer, &id, config, environment);
    assert_eq!(termination.status, Some(0));
    let stdout = std::fs::read_to_string(format!("{}/stdout", sandbox)).expect("stdout");
    let real = std::fs::canonicalize(&sandbox).expect("sandbox");
    // Only the given environment: not the agent's own `HOME`.
    assert_eq!(
        stdout,
        format!("from-agent from-command {} \n{}\n", sandbox, real.display())
    );
}

#[test]
fn launch_without_shell() {
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu");
    let sandbox = f.sandbox("sandbox");
    let id = container_id();
    let mut config = executor_config("", "cpus:1", &sandbox);
    config.command_info = CommandInfo {
        shell: Some(false),
        value: Some("echo".to_string()),
        arguments: vec!["echo".to_string(), "a;b".to_string()],
        ..CommandInfo::default()
    };
    let termination = run(&f.containerizer, &id, config, BTreeMap::new());
    assert_eq!(termination.status, Some(0));
    let stdout = std::fs::read_to_string(format!("{}/stdout", sandbox)).expect("stdout");
    // No shell: the `;` is an argument.
    assert_eq!(stdout, "a;b\n");
}

/// A FIFO `started` in a sandbox, which a container's shell writes to
/// once it runs (`echo started > started`): the test blocks on it.
struct Started(String);

impl Started {
    fn new(sandbox: &str) -> Started {
        let fifo = format!("{}/started", sandbox);
        nix::unistd::mkfifo(fifo.as_str(), nix::sys::stat::Mode::S_IRWXU).expect("mkfifo");
        Started(fifo)
    }

    /// Blocks until the shell has written to the FIFO.
    fn wait(&self) {
        assert_eq!(std::fs::read_to_string(&self.0).expect("fifo"), "started\n");
    }
}

/// The pids of the processes whose parent is `pid`.
fn children(pid: i32) -> Vec<i32> {
    stout::os::children(pid, true)
        .expect("children")
        .into_iter()
        .collect()
}

#[test]
fn destroy_kills_the_process_tree() {
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu,posix/mem");
    let sandbox = f.sandbox("sandbox");
    let id = container_id();
    // The shell says when both sleeps are forked.
    let started = Started::new(&sandbox);
    let config = executor_config(
        "sleep 1000 & sleep 1000 & echo started > started; wait",
        "cpus:1",
        &sandbox,
    );
    assert_eq!(
        await_ready(&start(&f.containerizer, &id, config, BTreeMap::new())),
        LaunchResult::Success
    );
    let pid = await_ready(&f.containerizer.status(&id))
        .executor_pid
        .expect("a pid") as i32;
    started.wait();
    let tree = children(pid);
    assert_eq!(tree.len(), 2, "the two sleeps: {:?}", tree);

    let usage = await_ready(&f.containerizer.usage(&id));
    assert!(usage.mem_rss_bytes.is_some_and(|rss| rss > 0));
    assert!(usage.cpus_user_time_secs.is_some());
    assert!(usage.cpus_system_time_secs.is_some());

    let termination = await_ready(&f.containerizer.destroy(&id)).expect("known container");
    assert_eq!(status(&termination).signal(), Some(nix::libc::SIGKILL));
    // The init process was reaped; a killed sleep may still be on its
    // way out (SIGKILL is delivered asynchronously), so each is awaited.
    // A sleep that survived would outlast the wait and fail the test.
    for pid in tree {
        assert_eq!(
            await_ready(&libprocess::reap(pid)),
            None,
            "{} survived",
            pid
        );
    }
}

#[test]
fn usage_with_limits() {
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu,posix/mem");
    let sandbox = f.sandbox("sandbox");
    let id = container_id();
    // The usage is read once the shell has run: right after its exec, a
    // process' resident set can still read 0 (the kernel folds its
    // per-CPU counters in later).
    let started = Started::new(&sandbox);
    let config = executor_config(
        "echo started > started; sleep 1000",
        "cpus:1;mem:64",
        &sandbox,
    );
    assert_eq!(
        await_ready(&start(&f.containerizer, &id, config, BTreeMap::new())),
        LaunchResult::Success
    );
    started.wait();
    let requests = Resources::parse("cpus:2;mem:128").expect("resources");
    let limits = BTreeMap::from([("cpus".to_string(), 3.0)]);
    await_ready(&f.containerizer.update(&id, requests, limits));
    let usage = await_ready(&f.containerizer.usage(&id));
    assert_eq!(usage.cpus_soft_limit, Some(2.0));
    assert_eq!(usage.cpus_limit, Some(3.0));
    assert_eq!(usage.mem_soft_limit_bytes, Some(128 * 1024 * 1024));
    assert_eq!(usage.mem_limit_bytes, Some(128 * 1024 * 1024));
    assert!(usage.mem_rss_bytes.is_some_and(|rss| rss > 0));
    await_failed(&f.containerizer.usage(&container_id()));
    await_ready(&f.containerizer.destroy(&id));
}

#[test]
fn already_launched_and_kill() {
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu");
    let sandbox = f.sandbox("sandbox");
    let id = container_id();
    let config = executor_config("sleep 1000", "cpus:1", &sandbox);
    assert_eq!(
        await_ready(&start(
            &f.containerizer,
            &id,
            config.clone(),
            BTreeMap::new()
        )),
        LaunchResult::Success
    );
    assert_eq!(
        await_ready(&start(&f.containerizer, &id, config, BTreeMap::new())),
        LaunchResult::AlreadyLaunched
    );
    assert!(await_ready(&f.containerizer.kill(&id, nix::libc::SIGTERM)));
    let termination = await_ready(&f.containerizer.wait(&id)).expect("known container");
    assert_eq!(status(&termination).signal(), Some(nix::libc::SIGTERM));
    assert!(!await_ready(&f.containerizer.kill(&id, nix::libc::SIGTERM)));
}

#[test]
fn unknown_user_fails_the_launch() {
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu");
    let id = container_id();
    let mut config = executor_config("exit 0", "cpus:1", &f.sandbox("sandbox"));
    config.user = Some("no-such-user-here".to_string());
    let failure = await_failed(&start(&f.containerizer, &id, config, BTreeMap::new()));
    assert_eq!(
        failure,
        "Failed to get the uid of user 'no-such-user-here': not found"
    );
    assert!(!await_ready(&f.containerizer.containers()).contains(&id));
}

#[test]
fn switches_user_when_root() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("Skipped: switching users needs root");
        return;
    }
    let Ok(Some(nobody)) = nix::unistd::User::from_name("nobody") else {
        eprintln!("Skipped: no user 'nobody'");
        return;
    };
    let _runtime = libprocess::testing::runtime();
    let f = fixture("posix/cpu");
    let sandbox = f.sandbox("sandbox");
    mesos::slave::paths::create_sandbox_directory(&sandbox, Some("nobody")).expect("chown");
    let id = container_id();
    let mut config = executor_config("id -u; id -g", "cpus:1", &sandbox);
    config.user = Some("nobody".to_string());
    let termination = run(&f.containerizer, &id, config, BTreeMap::new());
    assert_eq!(termination.status, Some(0));
    let stdout = std::fs::read_to_string(format!("{}/stdout", sandbox)).expect("stdout");
    assert_eq!(stdout, format!("{}\n{}\n", nobody.uid, nobody.gid));
}

#[test]
fn isolation_flag() {
    let _runtime = libprocess::testing::runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let options = |isolation: &str| {
        let mut options = Options::new(dir.path().to_string_lossy(), dir.path().to_string_lossy());
        options.isolation = isolation.to_string();
        options
    };
    let error = |isolation: &str| {
        MesosContainerizer::create(options(isolation))
            .expect_err(isolation)
            .to_string()
    };
    assert_eq!(
        error("posix/cpu,cgroups/foo"),
        "Unknown or unsupported isolator 'cgroups/foo'"
    );
    assert!(error("posix/cpu,posix/cpu").starts_with("Duplicate entries found in --isolation"));
    assert!(MesosContainerizer::create(options("process")).is_ok());
    assert!(MesosContainerizer::create(options(
        mesos::slave::containerizer::mesos::DEFAULT_ISOLATION
    ))
    .is_ok());
}

#[test]
fn recover_kills_orphans() {
    let _runtime = libprocess::testing::runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let options = Options::new(
        dir.path().join("work").to_string_lossy(),
        dir.path().join("runtime").to_string_lossy(),
    );
    let sandbox = dir.path().join("sandbox");
    std::fs::create_dir_all(&sandbox).expect("mkdir");
    let id = container_id();

    // A containerizer that goes away (an agent that dies) leaves its
    // container running, with its pid checkpointed.
    let first = MesosContainerizer::create(options.clone()).expect("containerizer");
    await_ready(&first.recover(None));
    let config = executor_config("sleep 1000", "cpus:1", &sandbox.to_string_lossy());
    assert_eq!(
        await_ready(&start(&first, &id, config, BTreeMap::new())),
        LaunchResult::Success
    );
    let pid = await_ready(&first.status(&id)).executor_pid.expect("pid") as i32;
    drop(first);

    // The restarted one does not find it in the agent's state: it is an
    // orphan, and destroyed.
    let second = MesosContainerizer::create(options).expect("containerizer");
    await_ready(&second.recover(Some(&SlaveState::default())));
    let termination = second.wait(&id);
    await_ready(&termination);
    let process = stout::os::process(pid).expect("/proc");
    assert!(process.is_none() || process.is_some_and(|p| p.zombie));
    assert!(!await_ready(&second.containers()).contains(&id));
}

/// An isolator whose preparation and limitation the test controls
/// (Mesos' `MockIsolator`).
#[derive(Default)]
struct TestIsolator {
    /// What `prepare` returns; ready with `None` if unset.
    preparation: parking_lot::Mutex<Option<Future<Option<ContainerLaunchInfo>>>>,
    /// Ready once `prepare` was called.
    prepared: Promise<()>,
    limitation: Promise<ContainerLimitation>,
}

impl Isolator for TestIsolator {
    fn recover(&self, _: &[ContainerState], _: &HashSet<ContainerId>) -> Future<()> {
        Future::ready(())
    }

    fn prepare(&self, _: &ContainerId, _: &ContainerConfig) -> Future<Option<ContainerLaunchInfo>> {
        self.prepared.set(());
        self.preparation
            .lock()
            .clone()
            .unwrap_or_else(|| Future::ready(None))
    }

    fn isolate(&self, _: &ContainerId, _: i32) -> Future<()> {
        Future::ready(())
    }

    fn watch(&self, _: &ContainerId) -> Future<ContainerLimitation> {
        self.limitation.future()
    }

    fn update(&self, _: &ContainerId, _: &Resources, _: &BTreeMap<String, f64>) -> Future<()> {
        Future::ready(())
    }

    fn usage(&self, _: &ContainerId) -> Future<ResourceStatistics> {
        Future::ready(ResourceStatistics::default())
    }

    fn cleanup(&self, _: &ContainerId) -> Future<()> {
        Future::ready(())
    }
}

fn with_isolator(dir: &tempfile::TempDir, isolator: Arc<TestIsolator>) -> MesosContainerizer {
    let options = Options::new(
        dir.path().join("work").to_string_lossy(),
        dir.path().join("runtime").to_string_lossy(),
    );
    MesosContainerizer::new(options, Arc::new(SubprocessLauncher::new()), vec![isolator])
}

#[test]
fn destroy_while_preparing() {
    // MesosContainerizerDestroyTest.DestroyWhilePreparing
    let _runtime = libprocess::testing::runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let isolator = Arc::new(TestIsolator::default());
    let preparation = Promise::new();
    *isolator.preparation.lock() = Some(preparation.future());
    let containerizer = with_isolator(&dir, isolator.clone());
    let sandbox = dir.path().join("sandbox").to_string_lossy().into_owned();
    std::fs::create_dir_all(&sandbox).expect("mkdir");

    let id = container_id();
    let launched = start(
        &containerizer,
        &id,
        executor_config("exit 0", "cpus:1", &sandbox),
        BTreeMap::new(),
    );
    let wait = containerizer.wait(&id);
    await_ready(&isolator.prepared.future());
    let destroyed = containerizer.destroy(&id);
    assert!(wait.is_pending());

    preparation.set(Some(ContainerLaunchInfo::default()));
    let termination = await_ready(&wait).expect("known container");
    // Nothing was forked: there is no wait status.
    assert_eq!(termination.status, None);
    assert_eq!(await_ready(&destroyed), Some(termination));
    // Whether the launch sees the container still destroying or gone.
    let failure = await_failed(&launched);
    assert!(
        failure == "Container is being destroyed during preparing"
            || failure == "Container destroyed during preparing",
        "{}",
        failure
    );
}

#[test]
fn limitation_destroys_the_container() {
    let _runtime = libprocess::testing::runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let isolator = Arc::new(TestIsolator::default());
    let containerizer = with_isolator(&dir, isolator.clone());
    let sandbox = dir.path().join("sandbox").to_string_lossy().into_owned();
    std::fs::create_dir_all(&sandbox).expect("mkdir");
    let id = container_id();
    assert_eq!(
        await_ready(&start(
            &containerizer,
            &id,
            executor_config("sleep 1000", "cpus:1", &sandbox),
            BTreeMap::new()
        )),
        LaunchResult::Success
    );

    let reason = mesos::task_status::Reason::ContainerLimitationMemory as i32;
    isolator.limitation.set(ContainerLimitation {
        message: Some("Memory limit exceeded".to_string()),
        reason: Some(reason),
        ..ContainerLimitation::default()
    });
    let termination = await_ready(&containerizer.wait(&id)).expect("known container");
    assert_eq!(termination.state, Some(TaskState::TaskFailed as i32));
    assert_eq!(
        termination.message.as_deref(),
        Some("Memory limit exceeded")
    );
    assert_eq!(termination.reason, Some(reason));
    assert_eq!(status(&termination).signal(), Some(nix::libc::SIGKILL));
}

/// The posix launcher, whose destroy kills everything and then fails
/// (Mesos' `TestLauncher` with `InvokeDestroyAndWait`).
struct FailingLauncher(SubprocessLauncher);

impl Launcher for FailingLauncher {
    fn recover(&self, states: &[ContainerState]) -> Future<HashSet<ContainerId>> {
        self.0.recover(states)
    }

    fn fork(
        &self,
        container_id: &ContainerId,
        command: libprocess::subprocess::Launcher,
    ) -> stout::Try<libprocess::subprocess::Subprocess> {
        self.0.fork(container_id, command)
    }

    fn destroy(&self, container_id: &ContainerId) -> Future<()> {
        self.0
            .destroy(container_id)
            .then(|()| Future::failed("Destroy failure"))
    }

    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus> {
        self.0.status(container_id)
    }
}

#[test]
fn launcher_destroy_failure() {
    // MesosContainerizerDestroyTest.LauncherDestroyFailure
    let _runtime = libprocess::testing::runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let options = Options::new(
        dir.path().join("work").to_string_lossy(),
        dir.path().join("runtime").to_string_lossy(),
    );
    let containerizer = MesosContainerizer::new(
        options,
        Arc::new(FailingLauncher(SubprocessLauncher::new())),
        vec![],
    );
    let sandbox = dir.path().join("sandbox").to_string_lossy().into_owned();
    std::fs::create_dir_all(&sandbox).expect("mkdir");
    let id = container_id();
    assert_eq!(
        await_ready(&start(
            &containerizer,
            &id,
            executor_config("sleep 1000", "cpus:1", &sandbox),
            BTreeMap::new()
        )),
        LaunchResult::Success
    );
    assert_eq!(
        await_failed(&containerizer.destroy(&id)),
        "Failed to kill all processes in the container: Destroy failure"
    );
    let metrics = await_ready(&libprocess::metrics::snapshot(None));
    assert_eq!(
        metrics.get("containerizer/mesos/container_destroy_errors"),
        Some(&1.0)
    );
}

#[test]
fn recover_known_container() {
    let _runtime = libprocess::testing::runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let work_dir = dir.path().join("work").to_string_lossy().into_owned();
    let options = Options::new(
        work_dir.clone(),
        dir.path().join("runtime").to_string_lossy(),
    );
    let (slave_id, framework_id, executor_id) = (
        mesos::SlaveId {
            value: "agent1".to_string(),
        },
        mesos::FrameworkId {
            value: "framework1".to_string(),
        },
        ExecutorId {
            value: "executor".to_string(),
        },
    );
    let id = container_id();
    let sandbox = mesos::slave::paths::create_executor_directory(
        &work_dir,
        &slave_id,
        &framework_id,
        &executor_id,
        &id,
        None,
    )
    .expect("sandbox");
    let meta = mesos::slave::paths::get_meta_root_dir(&work_dir);
    let pid_path = mesos::slave::paths::get_forked_pid_path(
        &meta,
        &slave_id,
        &framework_id,
        &executor_id,
        &id,
    );

    let first = MesosContainerizer::create(options.clone()).expect("containerizer");
    await_ready(&first.recover(None));
    let config = executor_config("sleep 1000", "cpus:1", &sandbox);
    let launched = first.launch(&id, config.clone(), BTreeMap::new(), Some(pid_path.clone()));
    assert_eq!(await_ready(&launched), LaunchResult::Success);
    let pid: i32 = std::fs::read_to_string(&pid_path)
        .expect("checkpointed")
        .parse()
        .expect("a pid");
    drop(first);

    // The agent's checkpointed state names the run: the container is
    // taken over, not destroyed.
    let run = RunState {
        id: Some(id.clone()),
        forked_pid: Some(pid),
        ..RunState::default()
    };
    let executor = ExecutorState {
        id: Some(executor_id.clone()),
        info: config.executor_info.clone(),
        latest: Some(id.clone()),
        runs: HashMap::from([(id.value.clone(), run)]),
    };
    let framework = FrameworkState {
        id: Some(framework_id.clone()),
        executors: HashMap::from([(executor_id.value.clone(), executor)]),
        ..FrameworkState::default()
    };
    let state = SlaveState {
        id: Some(slave_id),
        frameworks: HashMap::from([(framework_id.value.clone(), framework)]),
        ..SlaveState::default()
    };
    let second = MesosContainerizer::create(options).expect("containerizer");
    await_ready(&second.recover(Some(&state)));
    assert!(await_ready(&second.containers()).contains(&id));
    assert_eq!(
        await_ready(&second.status(&id)).executor_pid,
        Some(pid as u32)
    );
    assert!(stout::os::exists_process(pid));

    await_ready(&second.destroy(&id)).expect("known container");
    let process = stout::os::process(pid).expect("/proc");
    assert!(process.is_none() || process.is_some_and(|p| p.zombie));
}
