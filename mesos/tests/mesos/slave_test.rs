//! Mesos' `SlaveTest` cases that fit this build, driving the agent with
//! stand-in processes for the master and the executor driver, a test
//! containerizer and a paused clock; and the agent's own protocol
//! (registration backoff, the executor driver's messages).

use libprocess::testing::{self, await_ready, future_protobuf, ANY};
use libprocess::{dispatch, Clock, UPID};
use mesos::common::protobuf_utils::{create_status_update, StatusUpdateOptions};
use mesos::internal::{
    ExecutorRegisteredMessage, ExitedExecutorMessage, KillTaskMessage, MasterSlaveConnection,
    PingSlaveMessage, PongSlaveMessage, RegisterExecutorMessage, RegisterSlaveMessage,
    ReregisterSlaveMessage, RunTaskMessage, ShutdownExecutorMessage, SlaveRegisteredMessage,
    StatusUpdateAcknowledgementMessage, StatusUpdateMessage,
};
use mesos::slave::constants::{DEFAULT_MASTER_PING_TIMEOUT, REGISTER_RETRY_INTERVAL_MAX};
use mesos::slave::environment::{executor_environment, ExecutorEnvironment};
use mesos::slave::executor_info;
use mesos::slave::{Slave, SlaveState};
use mesos::task_status::{Reason, Source};
use mesos::{
    container_info, framework_info, network_info, CommandInfo, ContainerInfo, DiscoveryInfo,
    ExecutorId, ExecutorInfo, FrameworkId, FrameworkInfo, Label, Labels, NetworkInfo, Resources,
    SlaveId, TaskId, TaskInfo, TaskState,
};
use stout::Duration;

use crate::agent_helpers::{
    create_slave_flags, send_as, stand_in, start_agent, tempdir, TestAgent,
};

const FRAMEWORK_ID: &str = "20141010-221431-251662764-60288-32120-0000";
const SLAVE_ID: &str = "20141010-221431-251662764-60288-32120-S0";

fn slave_id() -> SlaveId {
    SlaveId {
        value: SLAVE_ID.to_string(),
    }
}

fn framework_id() -> FrameworkId {
    FrameworkId {
        value: FRAMEWORK_ID.to_string(),
    }
}

/// Mesos' `DEFAULT_FRAMEWORK_INFO`, with an ID.
fn framework_info() -> FrameworkInfo {
    let mut capability = framework_info::Capability::default();
    capability.set_type(framework_info::capability::Type::MultiRole);
    FrameworkInfo {
        user: "nobody".to_string(),
        name: "default".to_string(),
        id: Some(framework_id()),
        roles: vec!["*".to_string()],
        capabilities: vec![capability],
        ..FrameworkInfo::default()
    }
}

fn task_resources() -> Vec<mesos::Resource> {
    let mut resources = Resources::parse("cpus:0.1;mem:32").expect("resources");
    resources.allocate("*");
    resources.to_vec()
}

/// Mesos' `echoAuthorCommand()`.
fn echo_author_command() -> CommandInfo {
    CommandInfo {
        shell: Some(false),
        value: Some("/bin/echo".to_string()),
        arguments: vec!["/bin/echo".to_string(), "--author".to_string()],
        ..CommandInfo::default()
    }
}

fn command_task(id: &str) -> TaskInfo {
    TaskInfo {
        name: "task".to_string(),
        task_id: TaskId {
            value: id.to_string(),
        },
        slave_id: slave_id(),
        resources: task_resources(),
        command: Some(CommandInfo {
            value: Some("sleep 10".to_string()),
            ..CommandInfo::default()
        }),
        ..TaskInfo::default()
    }
}

/// Mesos' `DEFAULT_EXECUTOR_INFO`.
fn default_executor_info() -> ExecutorInfo {
    ExecutorInfo {
        executor_id: ExecutorId {
            value: "default".to_string(),
        },
        framework_id: Some(framework_id()),
        command: Some(CommandInfo {
            value: Some("exit 1".to_string()),
            ..CommandInfo::default()
        }),
        ..ExecutorInfo::default()
    }
}

fn run_task_message(task: TaskInfo) -> RunTaskMessage {
    RunTaskMessage {
        framework: framework_info(),
        pid: Some("scheduler-1@127.0.0.1:1".to_string()),
        task,
        ..RunTaskMessage::default()
    }
}

/// Lets the agent register: answers its `RegisterSlaveMessage` with
/// `SlaveRegisteredMessage`, pings expected every `ping_timeout` seconds.
fn register(agent: &TestAgent, ping_timeout: f64) -> RegisterSlaveMessage {
    let register = future_protobuf::<RegisterSlaveMessage>(ANY, agent.master.upid());
    Clock::settle();
    Clock::advance(Duration::from_secs(1));
    let message = await_ready(&register);
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &SlaveRegisteredMessage {
            slave_id: slave_id(),
            connection: Some(MasterSlaveConnection {
                total_ping_timeout_seconds: Some(ping_timeout),
            }),
        },
    );
    Clock::settle();
    message
}

fn state(agent: &TestAgent) -> SlaveState {
    await_ready(&dispatch(&agent.slave, |s: &mut Slave| s.state()))
}

/// The status the master got in the next forwarded update.
fn next_update(agent: &TestAgent) -> libprocess::Future<StatusUpdateMessage> {
    future_protobuf::<StatusUpdateMessage>(ANY, agent.master.upid())
}

/// An update from an executor driver, as the driver makes it.
fn executor_update(task_id: &str, state: TaskState, executor: &UPID) -> StatusUpdateMessage {
    let mut update = create_status_update(
        &framework_id(),
        Some(slave_id()),
        &TaskId {
            value: task_id.to_string(),
        },
        state,
        Source::Executor,
        Some(libprocess::random::uuid()),
        StatusUpdateOptions::default(),
    );
    update.executor_id = Some(ExecutorId {
        value: task_id.to_string(),
    });
    StatusUpdateMessage {
        update,
        pid: Some(executor.to_string()),
    }
}

#[test]
fn get_executor_info() {
    let _rt = testing::runtime();
    let work_dir = tempdir::Dir::new("get_executor_info");
    let flags = create_slave_flags(work_dir.path());
    std::fs::write(format!("{}/mesos-executor", work_dir.path()), "").expect("a fake binary");

    let mut task = TaskInfo {
        name: "task".to_string(),
        task_id: TaskId {
            value: "1".to_string(),
        },
        slave_id: SlaveId {
            value: "20141010-221431-251662764-60288-32120-0001".to_string(),
        },
        resources: task_resources(),
        command: Some(echo_author_command()),
        ..TaskInfo::default()
    };
    let mut discovery = DiscoveryInfo {
        name: Some("mytask".to_string()),
        environment: Some("mytest".to_string()),
        location: Some("mylocation".to_string()),
        version: Some("v0.1.1".to_string()),
        ..DiscoveryInfo::default()
    };
    discovery.set_visibility(mesos::discovery_info::Visibility::External);
    task.discovery = Some(discovery);
    task.labels = Some(Labels {
        labels: vec![
            Label {
                key: "label1".to_string(),
                value: Some("key1".to_string()),
            },
            Label {
                key: "label2".to_string(),
                value: Some("key2".to_string()),
            },
        ],
    });

    let executor = executor_info::get_executor_info(&flags, &framework_info(), &task);

    // mesos-executor, without any bleedover from the task's command.
    let command = executor.command.as_ref().expect("a command");
    assert!(!command.shell());
    assert_eq!(2, command.arguments.len());
    assert_eq!(2, executor.labels.as_ref().expect("labels").labels.len());
    let discovery = executor.discovery.as_ref().expect("discovery");
    assert_eq!(Some("mytask"), discovery.name.as_deref());
    assert!(command.value().contains("mesos-executor"));
}

#[test]
fn get_executor_info_for_task_with_container() {
    let _rt = testing::runtime();
    let work_dir = tempdir::Dir::new("get_executor_info_for_task_with_container");
    let flags = create_slave_flags(work_dir.path());
    std::fs::write(format!("{}/mesos-executor", work_dir.path()), "").expect("a fake binary");

    let mut container = ContainerInfo {
        network_infos: vec![NetworkInfo {
            ip_addresses: vec![network_info::IpAddress {
                ip_address: Some("4.3.2.1".to_string()),
                ..Default::default()
            }],
            groups: vec!["public".to_string()],
            ..NetworkInfo::default()
        }],
        ..ContainerInfo::default()
    };
    container.set_type(container_info::Type::Mesos);
    let task = TaskInfo {
        name: "task".to_string(),
        task_id: TaskId {
            value: "1".to_string(),
        },
        slave_id: slave_id(),
        resources: task_resources(),
        command: Some(echo_author_command()),
        container: Some(container),
        ..TaskInfo::default()
    };

    let executor = executor_info::get_executor_info(&flags, &framework_info(), &task);

    assert!(!executor.command.as_ref().expect("a command").shell());
    let container = executor.container.as_ref().expect("the task's container");
    let network = &container.network_infos[0];
    assert_eq!(1, network.ip_addresses.len());
    assert_eq!(
        Some("4.3.2.1"),
        network.ip_addresses[0].ip_address.as_deref()
    );
    assert_eq!(vec!["public".to_string()], network.groups);
}

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

#[test]
fn executor_environment_variables() {
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

#[test]
fn ping_timeout_no_pings() {
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|_| {});
    // The master's pings time out after 5 secs, twice.
    let total_timeout = Duration::from_secs(10);
    register(&agent, total_timeout.secs());
    assert_eq!(SlaveState::Running, state(&agent));

    let detected = testing::future_dispatch(ANY, Slave::detected);
    let reregister = future_protobuf::<ReregisterSlaveMessage>(ANY, agent.master.upid());
    Clock::advance(total_timeout);
    await_ready(&detected);

    Clock::advance(Duration::from_secs(1));
    let message = await_ready(&reregister);
    assert_eq!(Some(&slave_id()), message.slave.id.as_ref());
}

#[test]
fn ping_timeout_some_pings() {
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|_| {});
    register(&agent, DEFAULT_MASTER_PING_TIMEOUT.secs());

    // A ping is answered, and puts the timeout off.
    let pong = future_protobuf::<PongSlaveMessage>(agent.slave.upid(), agent.master.upid());
    Clock::advance(Duration::from_secs(15));
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &PingSlaveMessage { connected: true },
    );
    await_ready(&pong);

    Clock::advance(DEFAULT_MASTER_PING_TIMEOUT - Duration::from_secs(1));
    Clock::settle();
    assert_eq!(SlaveState::Running, state(&agent));

    // No more pings: the agent detects the master again and
    // re-registers.
    let detected = testing::future_dispatch(ANY, Slave::detected);
    let reregister = future_protobuf::<ReregisterSlaveMessage>(ANY, agent.master.upid());
    Clock::advance(Duration::from_secs(1));
    await_ready(&detected);
    Clock::advance(Duration::from_secs(1));
    await_ready(&reregister);
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

#[test]
fn shutdown_unregistered_executor() {
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

    // The executor never registers: the agent destroys its container
    // and fails the task.
    let status = next_update(&agent);
    Clock::advance(Duration::from_mins(1));
    let status = await_ready(&status);
    assert_eq!(TaskState::TaskFailed, status.update.status.state());
    assert_eq!(Source::Slave, status.update.status.source());
    assert_eq!(
        Reason::ExecutorRegistrationTimeout,
        status.update.status.reason()
    );
    assert_eq!(
        Some("Executor did not register within 1mins; Container destroyed"),
        status.update.status.message.as_deref()
    );
    assert_eq!(vec![launch.container_id], agent.containerizer.destroyed());
}

#[test]
fn kill_queued_task_during_executor_registration() {
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|_| {});
    register(&agent, 75.0);

    let mut task = command_task("1");
    task.command = None;
    task.executor = Some(default_executor_info());
    let launch = agent.containerizer.next_launch();
    send_as(
        agent.master.upid(),
        agent.slave.upid(),
        &run_task_message(task),
    );
    let launch = await_ready(&launch);
    assert!(launch.config.task_info.is_none());

    // Killed while the executor is registering.
    let status = next_update(&agent);
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
    let status = await_ready(&status);
    assert_eq!(TaskState::TaskKilled, status.update.status.state());
    assert_eq!(
        Reason::TaskKilledDuringLaunch,
        status.update.status.reason()
    );

    // The executor registers with nothing to run: it is shut down, and
    // destroyed after its grace period; the master hears it exited.
    let executor = stand_in("executor(1)");
    let shutdown = future_protobuf::<ShutdownExecutorMessage>(ANY, executor.upid());
    let exited = future_protobuf::<ExitedExecutorMessage>(ANY, agent.master.upid());
    testing::expect_no_future_protobufs::<RunTaskMessage>(ANY, executor.upid());
    send_as(
        executor.upid(),
        agent.slave.upid(),
        &RegisterExecutorMessage {
            framework_id: framework_id(),
            executor_id: ExecutorId {
                value: "default".to_string(),
            },
        },
    );
    await_ready(&shutdown);
    Clock::advance(Duration::from_secs(5));
    let exited = await_ready(&exited);
    assert_eq!("default", exited.executor_id.value);
    assert_eq!(9, exited.status);
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

/// With `--switch_user`, a task whose user does not exist is dropped
/// (TASK_DROPPED for a partition-aware framework), naming the user.
#[test]
fn root_run_task_with_command_info_with_invalid_user() {
    if !nix::unistd::geteuid().is_root() {
        return;
    }
    let _rt = testing::runtime();
    Clock::pause();
    let agent = start_agent(|flags| flags.switch_user = true);
    register(&agent, 75.0);

    let task_user = libprocess::random::uuid().to_string();
    let mut task = command_task("1");
    task.command = Some(CommandInfo {
        user: Some(task_user.clone()),
        value: Some("true".to_string()),
        ..CommandInfo::default()
    });
    let mut message = run_task_message(task);
    let mut partition_aware = framework_info::Capability::default();
    partition_aware.set_type(framework_info::capability::Type::PartitionAware);
    message.framework.capabilities.push(partition_aware);

    let status = next_update(&agent);
    send_as(agent.master.upid(), agent.slave.upid(), &message);
    let status = await_ready(&status).update.status;
    assert_eq!(TaskState::TaskDropped, status.state());
    assert_eq!(Source::Slave, status.source());
    assert!(
        status.message().contains(&task_user),
        "{}",
        status.message()
    );
    assert!(agent.containerizer.launches().is_empty());
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

/// Acknowledgements from a master that is not the leader are ignored.
#[test]
fn ignore_non_leader_status_update_acknowledgement() {
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
    await_ready(&launch);
    let executor = stand_in("executor(1)");
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
    await_ready(&run_task);
    let forwarded = next_update(&agent);
    send_as(
        executor.upid(),
        agent.slave.upid(),
        &executor_update("1", TaskState::TaskRunning, executor.upid()),
    );
    let forwarded = await_ready(&forwarded);

    let acknowledgement = StatusUpdateAcknowledgementMessage {
        slave_id: slave_id(),
        framework_id: framework_id(),
        task_id: TaskId {
            value: "1".to_string(),
        },
        uuid: forwarded.update.uuid.clone().unwrap_or_default(),
    };
    let old_master = stand_in("master2");
    send_as(old_master.upid(), agent.slave.upid(), &acknowledgement);
    Clock::settle();
    assert!(agent.status_updates.acknowledged().is_empty());

    send_as(agent.master.upid(), agent.slave.upid(), &acknowledgement);
    Clock::settle();
    assert_eq!(1, agent.status_updates.acknowledged().len());
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

/// End to end: a command task through the Mesos containerizer and the
/// real `mesos-executor` over the v1 executor API, its updates sent on
/// by the real task status update manager (real time, real processes).
#[test]
fn command_task_with_arguments() {
    use std::net::{Ipv4Addr, SocketAddrV4};
    use std::sync::Arc;

    use mesos::master::detector::StandaloneMasterDetector;
    use mesos::slave::containerizer::mesos::{MesosContainerizer, Options};
    use mesos::slave::task_status_update_manager::TaskStatusUpdateManager;

    let _rt = testing::runtime_with(
        libprocess::Builder::default()
            .workers(2)
            .listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
    );
    let dir = tempdir::Dir::new("command_task_with_arguments");
    let work_dir = format!("{}/work", dir.path());
    let mut flags = create_slave_flags(&work_dir);
    flags.launcher_dir = std::path::Path::new(env!("CARGO_BIN_EXE_mesos-executor"))
        .parent()
        .expect("the binary's directory")
        .to_string_lossy()
        .into_owned();
    flags.registration_backoff_factor = Duration::from_millis(10);
    let containerizer = MesosContainerizer::create(Options::new(
        work_dir.clone(),
        format!("{}/runtime", dir.path()),
    ))
    .expect("the containerizer");
    let master = stand_in("master");
    let register = future_protobuf::<RegisterSlaveMessage>(ANY, master.upid());
    let slave = Slave::with_host(
        flags,
        Arc::new(StandaloneMasterDetector::with_pid(master.upid())),
        Arc::new(containerizer),
        Arc::new(TaskStatusUpdateManager::new(&work_dir)),
        &crate::agent_helpers::small_host(),
    )
    .expect("the agent starts");
    let slave = mesos::slave::spawn(slave);
    await_ready(&register);
    send_as(
        master.upid(),
        slave.upid(),
        &SlaveRegisteredMessage {
            slave_id: slave_id(),
            connection: None,
        },
    );

    let mut task = command_task("1");
    task.command = Some(echo_author_command());
    let terminated = testing::future_dispatch(ANY, Slave::executor_terminated);
    let mut states = Vec::new();
    let mut update = future_protobuf::<StatusUpdateMessage>(ANY, master.upid());
    send_as(master.upid(), slave.upid(), &run_task_message(task));
    for _ in 0..3 {
        let forwarded = await_ready(&update);
        let status = forwarded.update.status.clone();
        states.push((status.state(), status.source()));
        update = future_protobuf::<StatusUpdateMessage>(ANY, master.upid());
        send_as(
            master.upid(),
            slave.upid(),
            &StatusUpdateAcknowledgementMessage {
                slave_id: slave_id(),
                framework_id: framework_id(),
                task_id: status.task_id.clone(),
                uuid: forwarded.update.uuid.clone().unwrap_or_default(),
            },
        );
    }
    assert_eq!(
        vec![
            (TaskState::TaskStarting, Source::Executor),
            (TaskState::TaskRunning, Source::Executor),
            (TaskState::TaskFinished, Source::Executor),
        ],
        states
    );

    // The executor exits once its task is done.
    await_ready(&terminated);
    let ended = await_ready(&dispatch(&slave, |s: &mut Slave| {
        let executor_id = ExecutorId {
            value: "1".to_string(),
        };
        s.executor(&framework_id(), &executor_id)
            .is_none_or(|e| e.state == mesos::slave::executor::ExecutorState::Terminated)
    }));
    assert!(ended);
}
