//! The agent's own protocol, driven by stand-in processes for the master
//! and the executor driver, a test containerizer and a paused clock:
//! registration and its backoff, a task through the executor driver's
//! messages, status update retries, users, the command executor's info
//! and environment. (`slave_test` has Mesos' `SlaveTest`.)

use libprocess::testing::{self, await_ready, future_protobuf, ANY};
use libprocess::{dispatch, Clock, UPID};
use mesos::internal::{
    ExecutorRegisteredMessage, ExitedExecutorMessage, KillTaskMessage, PingSlaveMessage,
    PongSlaveMessage, RegisterExecutorMessage, RegisterSlaveMessage, RunTaskMessage,
    SlaveRegisteredMessage, StatusUpdateAcknowledgementMessage, StatusUpdateMessage,
};
use mesos::slave::constants::REGISTER_RETRY_INTERVAL_MAX;
use mesos::slave::environment::{executor_environment, ExecutorEnvironment};
use mesos::slave::executor_info;
use mesos::slave::{Slave, SlaveState};
use mesos::task_status::Source;
use mesos::{ExecutorId, Resources, TaskId, TaskState};
use stout::Duration;

use crate::agent_helpers::*;

/// Without `mesos-executor` in `--launcher_dir`, the command executor
/// is a shell command that says so and fails; its overhead is Mesos'.
#[test]
fn get_executor_info_without_executor_binary() {
    let _rt = testing::runtime();
    let work_dir = tempdir::Dir::new("get_executor_info_without_executor_binary");
    let flags = create_slave_flags(work_dir.path());
    let task = command_task("1");

    let executor = executor_info::get_executor_info(&flags, &framework_info(), &task);

    let command = executor.command.as_ref().expect("a command");
    assert!(command.shell());
    assert_eq!(
        Some("echo 'No such file or directory'; exit 1"),
        command.value.as_deref()
    );
    assert_eq!(
        Some("Command Executor (Task: 1) (Command: sh -c 'sleep 10')"),
        executor.name.as_deref()
    );
    let mut overhead = Resources::parse("cpus:0.1;mem:32").expect("resources");
    overhead.allocate("*");
    assert_eq!(overhead, Resources::from(executor.resources.clone()));
}

/// The environment the agent gives an executor: its IDs, sandbox and
/// agent, checkpointing and recovery, and `--executor_environment_variables`
/// in place of the agent's own.
#[test]
fn executor_environment_contents() {
    let _rt = testing::runtime();
    let work_dir = tempdir::Dir::new("executor_environment_variables");
    let mut flags = create_slave_flags(work_dir.path());
    let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    flags.executor_environment_variables = Some(serde_json::json!({ "PATH": path }));
    flags.http_command_executor = true;

    let mut executor = default_executor_info();
    executor.shutdown_grace_period = Some(mesos::DurationInfo {
        nanoseconds: Duration::from_secs(3).ns(),
    });
    let slave_pid = UPID::parse("slave(1)@127.0.0.1:5051").expect("a pid");
    let environment = executor_environment(
        &flags,
        &executor,
        &ExecutorEnvironment {
            directory: "/sandbox",
            slave_id: &slave_id(),
            slave_pid: &slave_pid,
            authentication_token: None,
            checkpoint: true,
            libprocess_ip: Some("127.0.0.1"),
        },
    );

    let get = |name: &str| environment.get(name).map(String::as_str);
    assert_eq!(Some(path), get("PATH"));
    assert_eq!(Some("127.0.0.1"), get("LIBPROCESS_IP"));
    assert_eq!(Some("0"), get("LIBPROCESS_PORT"));
    assert_eq!(Some(FRAMEWORK_ID), get("MESOS_FRAMEWORK_ID"));
    assert_eq!(Some("default"), get("MESOS_EXECUTOR_ID"));
    assert_eq!(Some("/sandbox"), get("MESOS_DIRECTORY"));
    assert_eq!(Some(SLAVE_ID), get("MESOS_SLAVE_ID"));
    assert_eq!(Some("slave(1)@127.0.0.1:5051"), get("MESOS_SLAVE_PID"));
    assert_eq!(Some("127.0.0.1:5051"), get("MESOS_AGENT_ENDPOINT"));
    assert_eq!(Some("1"), get("MESOS_CHECKPOINT"));
    assert_eq!(Some("1"), get("MESOS_HTTP_COMMAND_EXECUTOR"));
    assert_eq!(Some("3secs"), get("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"));
    assert_eq!(Some("15mins"), get("MESOS_RECOVERY_TIMEOUT"));
    assert_eq!(Some("2secs"), get("MESOS_SUBSCRIPTION_BACKOFF_MAX"));
    assert_eq!(None, get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN"));

    // Without checkpointing there is no recovery to wait for.
    let environment = executor_environment(
        &flags,
        &default_executor_info(),
        &ExecutorEnvironment {
            directory: "/sandbox",
            slave_id: &slave_id(),
            slave_pid: &slave_pid,
            authentication_token: None,
            checkpoint: false,
            libprocess_ip: None,
        },
    );
    assert_eq!(
        Some("0"),
        environment.get("MESOS_CHECKPOINT").map(String::as_str)
    );
    assert_eq!(
        Some("5secs"),
        environment
            .get("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD")
            .map(String::as_str)
    );
    assert!(!environment.contains_key("MESOS_RECOVERY_TIMEOUT"));
    assert!(!environment.contains_key("MESOS_SUBSCRIPTION_BACKOFF_MAX"));
    assert!(!environment.contains_key("LIBPROCESS_IP"));
}

/// The agent's first registration comes within the backoff factor, and
/// retries come within a bound that doubles up to a minute.
#[test]
fn registration_backoff() {
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|_| {});
    Clock::settle();
    assert_eq!(SlaveState::Disconnected, state(&agent));

    let mut bound = Duration::from_secs(1);
    for _ in 0..10 {
        let register = future_protobuf::<RegisterSlaveMessage>(ANY, agent.master.upid());
        Clock::advance(bound);
        let message = await_ready(&register);
        assert_eq!(Some(mesos::MESOS_VERSION), message.version.as_deref());
        assert!(message.slave.id.is_none());
        assert_eq!(8, message.agent_capabilities.len());
        bound = std::cmp::min(bound * 2, REGISTER_RETRY_INTERVAL_MAX);
    }

    // Registered: no more attempts.
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &SlaveRegisteredMessage {
            slave_id: slave_id(),
            connection: None,
        },
    );
    Clock::settle();
    assert_eq!(SlaveState::Running, state(&agent));
    testing::expect_no_future_protobufs::<RegisterSlaveMessage>(ANY, ANY);
    Clock::advance(REGISTER_RETRY_INTERVAL_MAX * 2);
    Clock::settle();
}

/// A registration from a process that is not the detected master is
/// ignored.
#[test]
fn ignore_registration_from_non_master() {
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|_| {});
    let impostor = stand_in("master-impostor");
    send_as(
        impostor.upid(),
        agent.slave.upid(),
        &SlaveRegisteredMessage {
            slave_id: slave_id(),
            connection: None,
        },
    );
    Clock::settle();
    assert_eq!(SlaveState::Disconnected, state(&agent));
}

/// A command task: the executor's container is launched with Mesos'
/// environment and the task; the executor driver registers and gets the
/// task; its updates reach the master and are acknowledged; a kill is
/// forwarded; and once the container ends, the executor goes.
#[test]
fn run_task_with_executor_driver() {
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|_| {});
    register(&agent, 75.0);

    let launch = agent.containerizer.next_launch();
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &run_task_message(command_task("1")),
    );
    let launch = await_ready(&launch);
    let env = |name: &str| launch.environment.get(name).cloned().unwrap_or_default();
    assert_eq!(FRAMEWORK_ID, env("MESOS_FRAMEWORK_ID"));
    assert_eq!("1", env("MESOS_EXECUTOR_ID"));
    assert_eq!(SLAVE_ID, env("MESOS_SLAVE_ID"));
    assert_eq!(agent.slave.upid().to_string(), env("MESOS_SLAVE_PID"));
    assert_eq!(launch.config.directory, env("MESOS_DIRECTORY"));
    assert!(std::path::Path::new(&launch.config.directory).is_dir());
    assert!(launch.config.directory.ends_with(&format!(
        "/slaves/{}/frameworks/{}/executors/1/runs/{}",
        SLAVE_ID, FRAMEWORK_ID, launch.container_id.value
    )));
    assert_eq!(
        Some("1"),
        launch
            .config
            .task_info
            .as_ref()
            .map(|t| t.task_id.value.as_str())
    );
    assert_eq!(None, launch.config.user);
    // The container holds the task's resources and the executor's.
    let mut total = Resources::parse("cpus:0.2;mem:64").expect("resources");
    total.allocate("*");
    assert_eq!(total, Resources::from(launch.config.resources.clone()));

    // The executor driver registers and gets the queued task.
    let executor = stand_in("executor(1)");
    let registered = future_protobuf::<ExecutorRegisteredMessage>(ANY, executor.upid());
    let run_task = future_protobuf::<RunTaskMessage>(ANY, executor.upid());
    send_as(
        executor.upid(),
        agent.slave.upid(),
        &RegisterExecutorMessage {
            framework_id: framework_id(),
            executor_id: ExecutorId {
                value: "1".to_string(),
            },
        },
    );
    let registered = await_ready(&registered);
    assert_eq!(Some(&slave_id()), registered.slave_info.id.as_ref());
    assert_eq!("1", registered.executor_info.executor_id.value);
    let run_task = await_ready(&run_task);
    assert_eq!("1", run_task.task.task_id.value);
    assert_eq!(Some("scheduler-1@127.0.0.1:1"), run_task.pid.as_deref());

    // TASK_RUNNING goes to the master; the executor is acknowledged.
    let forwarded = next_update(&agent);
    let acknowledged =
        future_protobuf::<StatusUpdateAcknowledgementMessage>(agent.slave.upid(), executor.upid());
    let running = executor_update("1", TaskState::TaskRunning, executor.upid());
    send_as(executor.upid(), agent.slave.upid(), &running);
    let forwarded = await_ready(&forwarded);
    assert_eq!(TaskState::TaskRunning, forwarded.update.status.state());
    assert_eq!(Source::Executor, forwarded.update.status.source());
    assert_eq!(Some(agent.slave.upid().to_string()), forwarded.pid);
    assert_eq!(
        Some(TaskState::TaskRunning as i32),
        forwarded.update.latest_state
    );
    assert_eq!(forwarded.update.uuid, forwarded.update.status.uuid);
    assert!(forwarded.update.status.container_status.is_some());
    let acknowledged = await_ready(&acknowledged);
    assert_eq!(running.update.uuid, Some(acknowledged.uuid.clone()));

    // The master's acknowledgement goes to the status update manager.
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &StatusUpdateAcknowledgementMessage {
            slave_id: slave_id(),
            framework_id: framework_id(),
            task_id: TaskId {
                value: "1".to_string(),
            },
            uuid: acknowledged.uuid,
        },
    );
    Clock::settle();
    assert_eq!(1, agent.status_updates.acknowledged().len());

    // A kill goes to the executor.
    let kill = future_protobuf::<KillTaskMessage>(agent.slave.upid(), executor.upid());
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &KillTaskMessage {
            framework_id: framework_id(),
            task_id: TaskId {
                value: "1".to_string(),
            },
            kill_policy: None,
        },
    );
    assert_eq!("1", await_ready(&kill).task_id.value);

    let forwarded = next_update(&agent);
    let killed = executor_update("1", TaskState::TaskKilled, executor.upid());
    send_as(executor.upid(), agent.slave.upid(), &killed);
    assert_eq!(
        TaskState::TaskKilled,
        await_ready(&forwarded).update.status.state()
    );
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &StatusUpdateAcknowledgementMessage {
            slave_id: slave_id(),
            framework_id: framework_id(),
            task_id: TaskId {
                value: "1".to_string(),
            },
            uuid: killed.update.uuid.clone().unwrap_or_default(),
        },
    );
    Clock::settle();

    // The executor exits: a command executor's exit is not reported, and
    // the agent forgets it and its framework.
    testing::expect_no_future_protobufs::<ExitedExecutorMessage>(ANY, ANY);
    agent.containerizer.terminate(
        &launch.container_id,
        mesos::slave::ContainerTermination {
            status: Some(0),
            ..Default::default()
        },
    );
    Clock::settle();
    let gone = await_ready(&dispatch(&agent.slave, |s: &mut Slave| {
        s.framework(&framework_id()).is_none()
    }));
    assert!(gone);
}

/// Pings are answered to their sender; while no master is registered,
/// nothing else is done.
#[test]
fn pong_to_the_pinging_master() {
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|_| {});
    register(&agent, 75.0);
    let pong = future_protobuf::<PongSlaveMessage>(agent.slave.upid(), agent.master.upid());
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &PingSlaveMessage { connected: true },
    );
    await_ready(&pong);
}

/// With `--switch_user`, the executor runs as the command's user, else
/// the framework's, and its sandbox is theirs.
#[test]
fn root_switch_user() {
    if !nix::unistd::geteuid().is_root() {
        return;
    }
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|flags| flags.switch_user = true);
    register(&agent, 75.0);
    let nobody = nix::unistd::User::from_name("nobody")
        .expect("the user database")
        .expect("nobody");

    // The framework's user.
    let launch = agent.containerizer.next_launch();
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &run_task_message(command_task("1")),
    );
    let launch = await_ready(&launch);
    assert_eq!(Some("nobody"), launch.config.user.as_deref());
    let owner = std::os::unix::fs::MetadataExt::uid(
        &std::fs::metadata(&launch.config.directory).expect("the sandbox"),
    );
    assert_eq!(nobody.uid.as_raw(), owner);

    // The command's own user wins.
    let mut task = command_task("2");
    if let Some(command) = task.command.as_mut() {
        command.user = Some("root".to_string());
    }
    let launch = agent.containerizer.next_launch();
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &run_task_message(task),
    );
    let launch = await_ready(&launch);
    assert_eq!(Some("root"), launch.config.user.as_deref());
}

/// With the real task status update manager, an update the master has
/// not acknowledged is sent again after 10 secs, and the task's next
/// update waits for the acknowledgement.
#[test]
fn status_update_retried_until_acknowledged() {
    use std::sync::Arc;

    use mesos::master::detector::StandaloneMasterDetector;
    use mesos::slave::task_status_update_manager::TaskStatusUpdateManager;

    let _rt = testing::runtime();
    Clock::pause();
    let work_dir = tempdir::Dir::new("status_update_retried_until_acknowledged");
    let master = stand_in("master");
    let containerizer = crate::agent_helpers::TestContainerizer::new();
    let slave = Slave::with_host(
        create_slave_flags(work_dir.path()),
        Arc::new(StandaloneMasterDetector::with_pid(master.upid())),
        containerizer.clone(),
        Arc::new(TaskStatusUpdateManager::new(work_dir.path())),
        &crate::agent_helpers::small_host(),
    )
    .expect("the agent starts");
    let slave = mesos::slave::spawn(slave);

    let register = future_protobuf::<RegisterSlaveMessage>(ANY, master.upid());
    Clock::settle();
    Clock::advance(Duration::from_secs(1));
    await_ready(&register);
    send_as(
        master.upid(),
        slave.upid(),
        &SlaveRegisteredMessage {
            slave_id: slave_id(),
            connection: None,
        },
    );
    Clock::settle();

    let launch = containerizer.next_launch();
    send_as(
        master.upid(),
        slave.upid(),
        &run_task_message(command_task("1")),
    );
    await_ready(&launch);
    let executor = stand_in("executor(1)");
    let run_task = future_protobuf::<RunTaskMessage>(ANY, executor.upid());
    send_as(
        executor.upid(),
        slave.upid(),
        &RegisterExecutorMessage {
            framework_id: framework_id(),
            executor_id: ExecutorId {
                value: "1".to_string(),
            },
        },
    );
    await_ready(&run_task);

    let forwarded = future_protobuf::<StatusUpdateMessage>(ANY, master.upid());
    let running = executor_update("1", TaskState::TaskRunning, executor.upid());
    send_as(executor.upid(), slave.upid(), &running);
    let forwarded = await_ready(&forwarded);
    assert_eq!(running.update.uuid, forwarded.update.uuid);

    // TASK_FINISHED queues behind the unacknowledged TASK_RUNNING, which
    // is resent.
    let finished = executor_update("1", TaskState::TaskFinished, executor.upid());
    let acknowledged = future_protobuf::<StatusUpdateAcknowledgementMessage>(ANY, executor.upid());
    send_as(executor.upid(), slave.upid(), &finished);
    await_ready(&acknowledged);
    let resent = future_protobuf::<StatusUpdateMessage>(ANY, master.upid());
    Clock::advance(Duration::from_secs(10));
    let resent = await_ready(&resent);
    assert_eq!(TaskState::TaskRunning, resent.update.status.state());

    // The acknowledgement releases TASK_FINISHED.
    let next = future_protobuf::<StatusUpdateMessage>(ANY, master.upid());
    send_as(
        master.upid(),
        slave.upid(),
        &StatusUpdateAcknowledgementMessage {
            slave_id: slave_id(),
            framework_id: framework_id(),
            task_id: TaskId {
                value: "1".to_string(),
            },
            uuid: running.update.uuid.clone().unwrap_or_default(),
        },
    );
    let next = await_ready(&next);
    assert_eq!(TaskState::TaskFinished, next.update.status.state());
    assert_eq!(
        Some(TaskState::TaskFinished as i32),
        next.update.latest_state
    );
}
