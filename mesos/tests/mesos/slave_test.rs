//! Mesos' `SlaveTest` (`src/tests/slave_tests.cpp`): on the in-process
//! cluster (the real master, the Mesos containerizer and the real
//! `mesos-executor`, or the test containerizer), and the cases that drive
//! the agent with stand-in processes for the master and the executor
//! driver, a test containerizer and a paused clock.

use libprocess::testing::{self, await_ready, future_protobuf, ANY};
use libprocess::{dispatch, Clock};
use mesos::internal::{
    ExitedExecutorMessage, KillTaskMessage, PingSlaveMessage, PongSlaveMessage,
    RegisterExecutorMessage, ReregisterSlaveMessage, RunTaskMessage, ShutdownExecutorMessage,
    StatusUpdateAcknowledgementMessage,
};
use mesos::slave::constants::DEFAULT_MASTER_PING_TIMEOUT;
use mesos::slave::containerizer::mesos::MesosContainerizerProcess;
use mesos::slave::executor_info;
use mesos::slave::{Slave, SlaveState};
use mesos::task_status::{Reason, Source};
use mesos::testing::{cluster, drop_http_call, drop_http_calls, ContentType, MockScheduler};
use mesos::{
    container_info, framework_info, network_info, CommandInfo, ContainerInfo, DiscoveryInfo,
    ExecutorId, Label, Labels, NetworkInfo, Resources, SlaveId, TaskId, TaskInfo, TaskState,
};
use stout::Duration;

use crate::agent_helpers::*;
use crate::cluster_helpers as ch;

mod endpoints;
mod metrics;

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

/// A master, an agent with the Mesos containerizer (executors are real
/// processes reaching it over loopback), and a started driver of
/// `DEFAULT_FRAMEWORK_INFO` with its first offers.
struct MesosCluster {
    driver: mesos::sched::MesosSchedulerDriver,
    sched: MockScheduler,
    slave: cluster::Slave,
    _master: cluster::Master,
    offers: Vec<mesos::Offer>,
}

fn mesos_cluster(configure: impl FnOnce(&mut mesos::slave::flags::Flags)) -> MesosCluster {
    let master = ch::start_master();
    let slave =
        cluster::Slave::start_mesos(master.create_detector(), configure).expect("the agent starts");
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let offers = ch::start_and_await_offers(&driver, &sched);
    MesosCluster {
        driver,
        sched,
        slave,
        _master: master,
        offers,
    }
}

impl MesosCluster {
    /// Task "1" on all of the first offer's resources, running `command`
    /// with the command executor.
    fn command_task(&self, command: CommandInfo) -> TaskInfo {
        TaskInfo {
            name: String::new(),
            task_id: TaskId {
                value: "1".to_string(),
            },
            slave_id: self.offers[0].slave_id.clone(),
            resources: self.offers[0].resources.clone(),
            command: Some(command),
            ..TaskInfo::default()
        }
    }

    fn launch(&self, task: TaskInfo) {
        self.driver.launch_tasks(
            vec![self.offers[0].id.clone()],
            vec![task],
            mesos::Filters::default(),
        );
    }

    /// The next `n` updates the scheduler gets.
    fn updates(&self, n: usize) -> Vec<libprocess::Future<mesos::TaskStatus>> {
        (0..n).map(|_| self.sched.status_update.future()).collect()
    }
}

/// The task's arguments do not bleed into the command executor's
/// (MESOS-1873): `/bin/echo --author` runs to TASK_FINISHED.
#[test]
fn command_task_with_arguments() {
    let _runtime = ch::loopback_runtime();
    let cluster = mesos_cluster(|_| {});
    let updates = cluster.updates(3);
    cluster.launch(cluster.command_task(echo_author_command()));

    let expected = [
        TaskState::TaskStarting,
        TaskState::TaskRunning,
        TaskState::TaskFinished,
    ];
    for (update, state) in updates.iter().zip(expected) {
        let status = await_ready(update);
        assert_eq!(state, status.state(), "{:?}", status);
        assert_eq!(Source::Executor, status.source());
    }

    ch::stop(&cluster.driver);
}

/// A task that exits on SIGTERM is killed without waiting for its kill
/// policy's (long) grace period.
#[test]
fn command_task_with_kill_policy() {
    let _runtime = ch::loopback_runtime();
    let cluster = mesos_cluster(|_| {});
    let mut task = cluster.command_task(CommandInfo {
        value: Some("sleep 1000".to_string()),
        ..CommandInfo::default()
    });
    task.kill_policy = Some(mesos::KillPolicy {
        grace_period: Some(mesos::DurationInfo {
            nanoseconds: Duration::from_secs(100).ns(),
        }),
    });
    let updates = cluster.updates(2);
    cluster.launch(task);
    assert_eq!(TaskState::TaskStarting, await_ready(&updates[0]).state());
    let running = await_ready(&updates[1]);
    assert_eq!(TaskState::TaskRunning, running.state());

    let killed = cluster.sched.status_update.future();
    cluster.driver.kill_task(running.task_id);
    // A second for the task to go and its update to arrive.
    let killed = testing::await_ready_for(
        &killed,
        Duration::from_secs(1) + libprocess::MAX_REAP_INTERVAL,
    );
    assert_eq!(TaskState::TaskKilled, killed.state());
    assert_eq!(Source::Executor, killed.source());

    ch::stop(&cluster.driver);
}

/// The command executor's info runs `mesos-executor` without the task's
/// command bleeding into it (MESOS-1873), and keeps the task's labels
/// and discovery info.
#[test]
fn get_executor_info() {
    let _runtime = testing::runtime();
    let exec = ch::default_exec();
    let detector = std::sync::Arc::new(mesos::master::detector::StandaloneMasterDetector::new());
    let containerizer = std::sync::Arc::new(mesos::testing::TestContainerizer::new(&exec));
    let slave = cluster::Slave::start(detector, containerizer).expect("the agent starts");

    let mut framework = mesos::testing::default_framework_info();
    framework.id = Some(framework_id());
    let mut resources = Resources::parse("cpus:0.1;mem:32").expect("resources");
    resources.allocate(&framework.roles[0]);
    let mut discovery = DiscoveryInfo {
        name: Some("mytask".to_string()),
        environment: Some("mytest".to_string()),
        location: Some("mylocation".to_string()),
        version: Some("v0.1.1".to_string()),
        ..DiscoveryInfo::default()
    };
    discovery.set_visibility(mesos::discovery_info::Visibility::External);
    let label = |key: &str, value: &str| Label {
        key: key.to_string(),
        value: Some(value.to_string()),
    };
    let task = TaskInfo {
        name: "task".to_string(),
        task_id: TaskId {
            value: "1".to_string(),
        },
        slave_id: SlaveId {
            value: "20141010-221431-251662764-60288-32120-0001".to_string(),
        },
        resources: resources.to_vec(),
        command: Some(echo_author_command()),
        discovery: Some(discovery),
        labels: Some(Labels {
            labels: vec![label("label1", "key1"), label("label2", "key2")],
        }),
        ..TaskInfo::default()
    };

    let executor = await_ready(&dispatch(&slave.pid, move |slave: &mut Slave| {
        executor_info::get_executor_info(slave.flags(), &framework, &task)
    }));

    // mesos-executor, without any bleedover from the task's command.
    let command = executor.command.as_ref().expect("a command");
    assert!(!command.shell());
    assert_eq!(2, command.arguments.len());
    assert_eq!(2, executor.labels.as_ref().expect("labels").labels.len());
    let discovery = executor.discovery.as_ref().expect("discovery");
    assert_eq!(Some("mytask"), discovery.name.as_deref());
    assert!(command.value().contains("mesos-executor"));
}

/// An executor that does not register within
/// `--executor_registration_timeout` is destroyed and its task fails.
#[test]
fn shutdown_unregistered_executor() {
    let _runtime = ch::loopback_runtime();
    let mut registration_timeout = Duration::from_secs(0);
    let cluster = mesos_cluster(|flags| registration_timeout = flags.executor_registration_timeout);
    let task = cluster.command_task(CommandInfo {
        value: Some("sleep 10".to_string()),
        ..CommandInfo::default()
    });

    // The command executor never gets to subscribe with the agent (the
    // newer expectation takes the first attempt, the older the retries).
    let path = format!("/{}/api/v1/executor", cluster.slave.pid.upid().id());
    drop_http_calls::<mesos::v1::executor::Call>(
        mesos::v1::executor::call::Type::Subscribe,
        path.clone(),
        ContentType::Protobuf,
    );
    let subscribe = drop_http_call::<mesos::v1::executor::Call>(
        mesos::v1::executor::call::Type::Subscribe,
        path,
        ContentType::Protobuf,
    );
    cluster.launch(task);
    await_ready(&subscribe);

    Clock::pause();
    // The executor runs, so its container's launch is done or queued: let
    // the agent learn of it before the timeout (else, on a busy machine,
    // the timeout's destroy can fail the launch first, and the task fails
    // with CONTAINER_LAUNCH_FAILED).
    Clock::settle();
    let status = cluster.sched.status_update.future();
    let destroy = testing::future_dispatch(ANY, MesosContainerizerProcess::destroy);
    Clock::advance(registration_timeout);
    await_ready(&destroy);
    Clock::settle(); // The destroy completes.
    Clock::resume();

    let status = await_ready(&status);
    assert_eq!(TaskState::TaskFailed, status.state());
    assert_eq!(Source::Slave, status.source());
    assert_eq!(Reason::ExecutorRegistrationTimeout, status.reason());

    ch::stop(&cluster.driver);
}

/// `--executor_environment_variables` is the executor's environment, not
/// the agent's: the task sees the `PATH` it sets.
#[test]
fn executor_environment_variables() {
    let _runtime = ch::loopback_runtime();
    let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    let cluster = mesos_cluster(|flags| {
        flags.executor_environment_variables = Some(serde_json::json!({ "PATH": path }));
    });
    let updates = cluster.updates(3);
    cluster.launch(cluster.command_task(CommandInfo {
        shell: Some(true),
        value: Some(format!("test $PATH = {}", path)),
        ..CommandInfo::default()
    }));

    assert_eq!(TaskState::TaskStarting, await_ready(&updates[0]).state());
    assert_eq!(TaskState::TaskRunning, await_ready(&updates[1]).state());
    let finished = await_ready(&updates[2]);
    assert_eq!(TaskState::TaskFinished, finished.state(), "{:?}", finished);

    ch::stop(&cluster.driver);
}
