//! The executor driver (Mesos' `MesosExecutorDriver`) against a
//! hand-made agent: registration, tasks, status updates kept until
//! acknowledged, framework messages, shutdown, and the agent's exit with
//! and without checkpointing.

use std::collections::HashMap;

use libprocess::testing::{self as lp, ANY};
use libprocess::{name_of, spawn, Clock, Message, Queue, PID, UPID};
use mesos::exec::{ExecutorConfig, ExecutorConfigError, MesosExecutorDriver};
use mesos::internal::{
    ExecutorRegisteredMessage, ExecutorReregisteredMessage, ExecutorToFrameworkMessage,
    FrameworkToExecutorMessage, KillTaskMessage, ReconnectExecutorMessage, RegisterExecutorMessage,
    ReregisterExecutorMessage, RunTaskMessage, ShutdownExecutorMessage,
    StatusUpdateAcknowledgementMessage, StatusUpdateMessage,
};
use mesos::{ExecutorInfo, SlaveInfo, Status, TaskInfo, TaskState, TaskStatus};
use prost::Message as _;
use stout::Duration;

use crate::driver_helpers::{
    assert_empty, default_framework_info, executor_id, framework_id, next, send_as, slave_id,
    task_id, watch, Exec, RecordingExecutor, Stub,
};

fn config(agent: &UPID) -> ExecutorConfig {
    ExecutorConfig {
        slave_pid: agent.clone(),
        slave_id: slave_id("agent-1"),
        framework_id: framework_id("framework-1"),
        executor_id: executor_id("default"),
        directory: "/tmp/sandbox".to_string(),
        checkpoint: false,
        recovery_timeout: Duration::from_mins(15),
        shutdown_grace_period: Duration::from_secs(5),
        local: true,
    }
}

fn executor_info() -> ExecutorInfo {
    ExecutorInfo {
        executor_id: executor_id("default"),
        framework_id: Some(framework_id("framework-1")),
        name: Some("default".to_string()),
        ..ExecutorInfo::default()
    }
}

fn slave_info() -> SlaveInfo {
    SlaveInfo {
        hostname: "localhost".to_string(),
        id: Some(slave_id("agent-1")),
        ..SlaveInfo::default()
    }
}

fn task(id: &str) -> TaskInfo {
    TaskInfo {
        name: id.to_string(),
        task_id: task_id(id),
        slave_id: slave_id("agent-1"),
        executor: Some(executor_info()),
        ..TaskInfo::default()
    }
}

struct Setup {
    agent: PID<Stub>,
    driver: MesosExecutorDriver,
    calls: Queue<Exec>,
}

fn setup_with(checkpoint: bool) -> Setup {
    let agent = spawn(Stub("slave"));
    let (executor, calls) = RecordingExecutor::new();
    let mut config = config(agent.upid());
    config.checkpoint = checkpoint;
    config.recovery_timeout = Duration::from_mins(1);
    let driver = MesosExecutorDriver::with_config(executor, config);
    Setup {
        agent,
        driver,
        calls,
    }
}

fn future_from<M: prost::Name + 'static>(to: &PID<Stub>) -> libprocess::Future<Message> {
    lp::future_message(name_of::<M>(), ANY, to)
}

impl Setup {
    /// Starts the driver and registers the executor: its pid.
    fn register(&self) -> UPID {
        let register = future_from::<RegisterExecutorMessage>(&self.agent);
        assert_eq!(Status::DriverRunning, self.driver.start());
        let message = lp::await_ready(&register);
        let register = RegisterExecutorMessage::decode(message.body.clone()).expect("decodes");
        assert_eq!(framework_id("framework-1"), register.framework_id);
        assert_eq!(executor_id("default"), register.executor_id);

        send_as(
            self.agent.upid(),
            &message.from,
            &ExecutorRegisteredMessage {
                executor_info: executor_info(),
                framework_id: framework_id("framework-1"),
                framework_info: default_framework_info(),
                slave_id: slave_id("agent-1"),
                slave_info: slave_info(),
            },
        );
        assert_eq!(
            Exec::Registered(Box::new((
                executor_info(),
                default_framework_info(),
                slave_info()
            ))),
            next(&self.calls)
        );
        message.from
    }

    fn run_task(&self, executor: &UPID, task: TaskInfo) {
        send_as(
            self.agent.upid(),
            executor,
            &RunTaskMessage {
                framework: default_framework_info(),
                task,
                pid: Some("scheduler-1@127.0.0.1:5050".to_string()),
                ..RunTaskMessage::default()
            },
        );
    }

    /// What the executor re-registers with when asked to reconnect.
    fn reconnect(&self, agent: &PID<Stub>, executor: &UPID) -> ReregisterExecutorMessage {
        let reregister = lp::future_protobuf::<ReregisterExecutorMessage>(executor, agent);
        send_as(
            agent.upid(),
            executor,
            &ReconnectExecutorMessage {
                slave_id: slave_id("agent-1"),
            },
        );
        lp::await_ready(&reregister)
    }

    fn stop(&self) {
        assert_eq!(Status::DriverStopped, self.driver.stop());
        assert_eq!(Status::DriverStopped, self.driver.join());
    }
}

/// Registration, then the agent's tasks reach `launch_task`; a duplicate
/// task is ignored.
#[test]
fn registration_and_launch() {
    let _rt = lp::runtime();
    let setup = setup_with(false);
    let executor = setup.register();

    setup.run_task(&executor, task("1"));
    assert_eq!(Exec::LaunchTask(Box::new(task("1"))), next(&setup.calls));
    Clock::pause();
    setup.run_task(&executor, task("1"));
    assert_empty(&setup.calls);

    setup.stop();
}

/// Tasks sent before the executor registered are ignored.
#[test]
fn run_task_before_registration_is_ignored() {
    let _rt = lp::runtime();
    let setup = setup_with(false);
    Clock::pause();
    let register = future_from::<RegisterExecutorMessage>(&setup.agent);
    setup.driver.start();
    let executor = lp::await_ready(&register).from;
    setup.run_task(&executor, task("1"));
    assert_empty(&setup.calls);
    setup.stop();
}

/// A status update goes to the agent with a fresh uuid and the clock's
/// time, and stays in the driver (offered on re-registration) until the
/// agent acknowledges it.
#[test]
fn status_update_until_acknowledged() {
    let _rt = lp::runtime();
    let setup = setup_with(false);
    let executor = setup.register();
    setup.run_task(&executor, task("1"));
    assert!(matches!(next(&setup.calls), Exec::LaunchTask(_)));

    Clock::pause();
    Clock::advance(Duration::from_secs(100));
    let sent = lp::future_protobuf::<StatusUpdateMessage>(&executor, &setup.agent);
    let status = TaskStatus {
        task_id: task_id("1"),
        state: TaskState::TaskRunning as i32,
        ..TaskStatus::default()
    };
    assert_eq!(
        Status::DriverRunning,
        setup.driver.send_status_update(status)
    );
    let sent = lp::await_ready(&sent);
    assert_eq!(Some(executor.to_string()), sent.pid);
    let update = sent.update;
    assert_eq!(framework_id("framework-1"), update.framework_id);
    assert_eq!(Some(executor_id("default")), update.executor_id);
    assert_eq!(Some(slave_id("agent-1")), update.slave_id);
    assert_eq!(Clock::now().secs(), update.timestamp);
    assert_eq!(Some(update.timestamp), update.status.timestamp);
    let uuid = update.uuid.clone().expect("a uuid");
    assert_eq!(16, uuid.len());
    assert_eq!(Some(uuid.clone()), update.status.uuid);
    assert_eq!(Some(slave_id("agent-1")), update.status.slave_id);

    // Unacknowledged: the update and its task come back on reconnection.
    let reregister = setup.reconnect(&setup.agent, &executor);
    assert_eq!(vec![update.clone()], reregister.updates);
    assert_eq!(vec![task("1")], reregister.tasks);

    // An acknowledgement of another update changes nothing.
    let ack = |uuid: bytes::Bytes| StatusUpdateAcknowledgementMessage {
        slave_id: slave_id("agent-1"),
        framework_id: framework_id("framework-1"),
        task_id: task_id("1"),
        uuid,
    };
    send_as(
        setup.agent.upid(),
        &executor,
        &ack(bytes::Bytes::from_static(b"0123456789abcdef")),
    );
    let reregister = setup.reconnect(&setup.agent, &executor);
    assert_eq!(1, reregister.updates.len());

    // The executor must be connected for the acknowledgement to count.
    send_as(
        setup.agent.upid(),
        &executor,
        &ExecutorReregisteredMessage {
            slave_id: slave_id("agent-1"),
            slave_info: slave_info(),
        },
    );
    assert_eq!(Exec::Reregistered(slave_info()), next(&setup.calls));
    send_as(setup.agent.upid(), &executor, &ack(uuid));
    let reregister = setup.reconnect(&setup.agent, &executor);
    assert!(reregister.updates.is_empty());
    assert!(reregister.tasks.is_empty());

    setup.stop();
}

/// Framework messages both ways, and kill requests.
#[test]
fn framework_messages_and_kill_task() {
    let _rt = lp::runtime();
    let setup = setup_with(false);
    let executor = setup.register();

    send_as(
        setup.agent.upid(),
        &executor,
        &FrameworkToExecutorMessage {
            slave_id: slave_id("agent-1"),
            framework_id: framework_id("framework-1"),
            executor_id: executor_id("default"),
            data: bytes::Bytes::from_static(b"ping"),
        },
    );
    assert_eq!(Exec::Message(b"ping".to_vec()), next(&setup.calls));

    let message = lp::future_protobuf::<ExecutorToFrameworkMessage>(&executor, &setup.agent);
    setup.driver.send_framework_message(&b"pong"[..]);
    let message = lp::await_ready(&message);
    assert_eq!(slave_id("agent-1"), message.slave_id);
    assert_eq!(framework_id("framework-1"), message.framework_id);
    assert_eq!(executor_id("default"), message.executor_id);
    assert_eq!(&b"pong"[..], &message.data[..]);

    send_as(
        setup.agent.upid(),
        &executor,
        &KillTaskMessage {
            framework_id: framework_id("framework-1"),
            task_id: task_id("1"),
            kill_policy: None,
        },
    );
    assert_eq!(Exec::KillTask(task_id("1")), next(&setup.calls));

    setup.stop();
}

/// The agent's shutdown reaches `shutdown`; a local executor's process
/// then terminates.
#[test]
fn shutdown() {
    let _rt = lp::runtime();
    let setup = setup_with(false);
    let executor = setup.register();
    let terminated = watch(&executor);

    send_as(
        setup.agent.upid(),
        &executor,
        &ShutdownExecutorMessage {
            executor_id: Some(executor_id("default")),
            framework_id: Some(framework_id("framework-1")),
        },
    );
    assert_eq!(Exec::Shutdown, next(&setup.calls));
    lp::await_ready(&terminated);
    setup.stop();
}

/// Without checkpointing, losing the agent shuts the executor down.
#[test]
fn agent_exit_without_checkpointing_shuts_down() {
    let _rt = lp::runtime();
    let setup = setup_with(false);
    setup.register();
    libprocess::terminate(&setup.agent, false);
    assert_eq!(Exec::Shutdown, next(&setup.calls));
    setup.stop();
}

/// With checkpointing, the executor waits the recovery timeout for its
/// agent, then shuts down.
#[test]
fn agent_exit_with_checkpointing_waits_recovery_timeout() {
    let _rt = lp::runtime();
    let setup = setup_with(true);
    setup.register();
    Clock::pause();
    libprocess::terminate(&setup.agent, false);
    assert_empty(&setup.calls);
    Clock::advance(Duration::from_secs(59));
    assert_empty(&setup.calls);
    Clock::advance(Duration::from_secs(1));
    assert_eq!(Exec::Shutdown, next(&setup.calls));
    setup.stop();
}

/// A restarted agent that reconnects within the recovery timeout gets
/// the executor back.
#[test]
fn agent_reconnects_within_recovery_timeout() {
    let _rt = lp::runtime();
    let setup = setup_with(true);
    let executor = setup.register();
    Clock::pause();
    libprocess::terminate(&setup.agent, false);
    Clock::settle();

    let restarted = spawn(Stub("slave"));
    let reregister = setup.reconnect(&restarted, &executor);
    assert_eq!(executor_id("default"), reregister.executor_id);
    assert_eq!(framework_id("framework-1"), reregister.framework_id);
    send_as(
        restarted.upid(),
        &executor,
        &ExecutorReregisteredMessage {
            slave_id: slave_id("agent-1"),
            slave_info: slave_info(),
        },
    );
    assert_eq!(Exec::Reregistered(slave_info()), next(&setup.calls));

    // Past the timeout: still running, and talking to the new agent.
    Clock::advance(Duration::from_mins(2));
    assert_empty(&setup.calls);
    let message = lp::future_protobuf::<ExecutorToFrameworkMessage>(&executor, &restarted);
    setup.driver.send_framework_message(&b"hi"[..]);
    lp::await_ready(&message);

    setup.stop();
}

/// An aborted driver ignores the agent; `join` returns at once.
#[test]
fn abort_ignores_the_agent() {
    let _rt = lp::runtime();
    let setup = setup_with(false);
    let executor = setup.register();
    assert_eq!(Status::DriverAborted, setup.driver.abort());
    assert_eq!(Status::DriverAborted, setup.driver.join());
    Clock::pause();
    setup.run_task(&executor, task("1"));
    assert_empty(&setup.calls);
    assert_eq!(
        Status::DriverAborted,
        setup.driver.send_status_update(TaskStatus::default())
    );
    assert_eq!(Status::DriverAborted, setup.driver.stop());
}

fn environment(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const ENVIRONMENT: &[(&str, &str)] = &[
    ("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:5051"),
    ("MESOS_SLAVE_ID", "agent-1"),
    ("MESOS_FRAMEWORK_ID", "framework-1"),
    ("MESOS_EXECUTOR_ID", "default"),
    ("MESOS_DIRECTORY", "/tmp/sandbox"),
];

/// The agent's environment configures the driver, with Mesos' defaults.
#[test]
fn config_from_environment() {
    let config = ExecutorConfig::from_environment(&environment(ENVIRONMENT)).expect("valid");
    assert_eq!(
        UPID::parse("slave(1)@127.0.0.1:5051").expect("a pid"),
        config.slave_pid
    );
    assert_eq!(slave_id("agent-1"), config.slave_id);
    assert_eq!(framework_id("framework-1"), config.framework_id);
    assert_eq!(executor_id("default"), config.executor_id);
    assert_eq!("/tmp/sandbox", config.directory);
    assert!(!config.checkpoint);
    assert!(!config.local);
    assert_eq!(Duration::from_mins(15), config.recovery_timeout);
    assert_eq!(Duration::from_secs(5), config.shutdown_grace_period);

    let mut env = environment(ENVIRONMENT);
    env.extend(environment(&[
        ("MESOS_CHECKPOINT", "1"),
        ("MESOS_RECOVERY_TIMEOUT", "10secs"),
        ("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "3secs"),
        ("MESOS_LOCAL", "1"),
    ]));
    let config = ExecutorConfig::from_environment(&env).expect("valid");
    assert!(config.checkpoint);
    assert!(config.local);
    assert_eq!(Duration::from_secs(10), config.recovery_timeout);
    assert_eq!(Duration::from_secs(3), config.shutdown_grace_period);
}

/// A missing or bad variable is a clear error.
#[test]
fn config_errors() {
    for (name, _) in ENVIRONMENT {
        let mut env = environment(ENVIRONMENT);
        env.remove(*name);
        let error = ExecutorConfig::from_environment(&env).expect_err("incomplete");
        assert_eq!(ExecutorConfigError::Missing(name), error);
        assert_eq!(
            format!("Expecting '{}' to be set in the environment", name),
            error.to_string()
        );
    }

    let mut env = environment(ENVIRONMENT);
    env.insert(
        "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD".to_string(),
        "soon".to_string(),
    );
    let error = ExecutorConfig::from_environment(&env).expect_err("invalid");
    assert!(
        error.to_string().starts_with(
            "Failed to parse value 'soon' of 'MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD': "
        ),
        "{}",
        error
    );

    let mut env = environment(ENVIRONMENT);
    env.insert("MESOS_SLAVE_PID".to_string(), "nonsense".to_string());
    assert!(matches!(
        ExecutorConfig::from_environment(&env),
        Err(ExecutorConfigError::Invalid {
            name: "MESOS_SLAVE_PID",
            ..
        })
    ));
}

/// A driver whose environment lacks the agent aborts at `start` and says
/// why through `error`.
#[test]
fn start_without_configuration_aborts() {
    let _rt = lp::runtime();
    if std::env::var_os("MESOS_SLAVE_PID").is_some() {
        return;
    }
    let (executor, calls) = RecordingExecutor::new();
    let driver = MesosExecutorDriver::new(executor);
    assert_eq!(Status::DriverAborted, driver.start());
    assert_eq!(
        Exec::Error("Expecting 'MESOS_SLAVE_PID' to be set in the environment".to_string()),
        next(&calls)
    );
    assert_eq!(Status::DriverAborted, driver.join());
}

/// Dropping every handle on a driver terminates its process.
#[test]
fn dropping_the_driver_terminates_its_process() {
    let _rt = lp::runtime();
    let setup = setup_with(false);
    let executor = setup.register();
    let terminated = watch(&executor);
    let Setup { driver, .. } = setup;
    drop(driver);
    lp::await_ready(&terminated);
}
