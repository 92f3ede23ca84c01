//! What the agent's tests drive it with: a containerizer that launches
//! nothing and ends containers when told, a status update manager that
//! forwards at once, and idle processes standing in for the master and
//! executor drivers (the tests watch and drop what reaches them with the
//! message filters, and send as them with `post`).

#![allow(dead_code)] // Each suite uses some of them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use libprocess::testing::{await_ready, future_protobuf, ANY};
use libprocess::{dispatch, post, Clock, Future, Process, Promise, ProtobufMessage, PID, UPID};
use mesos::common::protobuf_utils::{create_status_update, StatusUpdateOptions};
use mesos::internal::{
    MasterSlaveConnection, RegisterSlaveMessage, RunTaskMessage, SlaveRegisteredMessage,
    StatusUpdate, StatusUpdateMessage,
};
use mesos::master::detector::StandaloneMasterDetector;
use mesos::slave::containerizer::{Containerizer, LaunchResult};
use mesos::slave::flags::Flags;
use mesos::slave::resources::HostResources;
use mesos::slave::state::SlaveState;
use mesos::slave::status_update_manager::{Forward, StatusUpdateManager};
use mesos::slave::{ContainerConfig, ContainerTermination, Slave, SlaveState as AgentState};
use mesos::task_status::Source;
use mesos::{
    framework_info, CommandInfo, ContainerId, ContainerStatus, ExecutorId, ExecutorInfo,
    FrameworkId, FrameworkInfo, ResourceStatistics, Resources, SlaveId, TaskId, TaskInfo,
    TaskState,
};
use parking_lot::Mutex;
use stout::{Bytes, Duration, FlagSet};

/// A launch the containerizer was asked for.
#[derive(Clone, Debug)]
pub(crate) struct Launch {
    pub(crate) container_id: ContainerId,
    pub(crate) config: ContainerConfig,
    pub(crate) environment: BTreeMap<String, String>,
}

/// A containerizer whose containers run nothing: each lives until the
/// test ends it ([`TestContainerizer::terminate`]) or the agent destroys
/// it.
#[derive(Default)]
pub(crate) struct TestContainerizer {
    state: Mutex<ContainerizerState>,
}

#[derive(Default)]
struct ContainerizerState {
    launches: Vec<Launch>,
    running: HashMap<String, Promise<Option<ContainerTermination>>>,
    ended: HashMap<String, Future<Option<ContainerTermination>>>,
    destroyed: Vec<ContainerId>,
    launched: Vec<Promise<Launch>>,
}

impl TestContainerizer {
    pub(crate) fn new() -> Arc<TestContainerizer> {
        Arc::new(TestContainerizer::default())
    }

    /// The launches so far.
    pub(crate) fn launches(&self) -> Vec<Launch> {
        self.state.lock().launches.clone()
    }

    /// Ready with the next launch.
    pub(crate) fn next_launch(&self) -> Future<Launch> {
        let promise = Promise::new();
        let future = promise.future();
        self.state.lock().launched.push(promise);
        future
    }

    /// The containers the agent destroyed.
    pub(crate) fn destroyed(&self) -> Vec<ContainerId> {
        self.state.lock().destroyed.clone()
    }

    /// Ends a container as if its executor exited.
    pub(crate) fn terminate(&self, container_id: &ContainerId, termination: ContainerTermination) {
        let promise = self.state.lock().running.remove(&container_id.value);
        if let Some(promise) = promise {
            let future = promise.future();
            promise.set(Some(termination));
            self.state
                .lock()
                .ended
                .insert(container_id.value.clone(), future);
        }
    }
}

impl Containerizer for TestContainerizer {
    fn recover(&self, _state: Option<&SlaveState>) -> Future<()> {
        Future::ready(())
    }

    fn launch(
        &self,
        container_id: &ContainerId,
        config: ContainerConfig,
        environment: BTreeMap<String, String>,
        _pid_checkpoint_path: Option<String>,
    ) -> Future<LaunchResult> {
        let launch = Launch {
            container_id: container_id.clone(),
            config,
            environment,
        };
        let mut state = self.state.lock();
        if state.running.contains_key(&container_id.value) {
            return Future::ready(LaunchResult::AlreadyLaunched);
        }
        state
            .running
            .insert(container_id.value.clone(), Promise::new());
        state.launches.push(launch.clone());
        for promise in std::mem::take(&mut state.launched) {
            promise.set(launch.clone());
        }
        Future::ready(LaunchResult::Success)
    }

    fn update(
        &self,
        _container_id: &ContainerId,
        _resource_requests: Resources,
        _resource_limits: BTreeMap<String, f64>,
    ) -> Future<()> {
        Future::ready(())
    }

    fn usage(&self, _container_id: &ContainerId) -> Future<ResourceStatistics> {
        Future::ready(ResourceStatistics::default())
    }

    fn status(&self, container_id: &ContainerId) -> Future<ContainerStatus> {
        Future::ready(ContainerStatus {
            container_id: Some(container_id.clone()),
            ..ContainerStatus::default()
        })
    }

    fn wait(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        let state = self.state.lock();
        match (
            state.running.get(&container_id.value),
            state.ended.get(&container_id.value),
        ) {
            (Some(promise), _) => promise.future(),
            (None, Some(ended)) => ended.clone(),
            (None, None) => Future::ready(None),
        }
    }

    fn destroy(&self, container_id: &ContainerId) -> Future<Option<ContainerTermination>> {
        self.state.lock().destroyed.push(container_id.clone());
        self.terminate(
            container_id,
            ContainerTermination {
                // Killed by SIGKILL.
                status: Some(9),
                message: Some("Container destroyed".to_string()),
                ..ContainerTermination::default()
            },
        );
        self.wait(container_id)
    }

    fn kill(&self, container_id: &ContainerId, _signal: i32) -> Future<bool> {
        Future::ready(self.state.lock().running.contains_key(&container_id.value))
    }

    fn containers(&self) -> Future<HashSet<ContainerId>> {
        let running = self
            .state
            .lock()
            .running
            .keys()
            .cloned()
            .collect::<Vec<_>>();
        Future::ready(
            running
                .into_iter()
                .map(|value| ContainerId {
                    value,
                    ..ContainerId::default()
                })
                .collect(),
        )
    }
}

/// A status update manager that forwards every update at once and
/// records the acknowledgements.
#[derive(Default)]
pub(crate) struct ForwardingStatusUpdateManager {
    forward: Mutex<Option<Forward>>,
    /// The updates taken, with whether each was terminal, by UUID.
    terminal: Mutex<HashMap<Vec<u8>, bool>>,
    acknowledged: Mutex<Vec<TaskId>>,
}

impl ForwardingStatusUpdateManager {
    pub(crate) fn new() -> Arc<ForwardingStatusUpdateManager> {
        Arc::new(ForwardingStatusUpdateManager::default())
    }

    /// The tasks whose updates were acknowledged, in order.
    pub(crate) fn acknowledged(&self) -> Vec<TaskId> {
        self.acknowledged.lock().clone()
    }
}

impl StatusUpdateManager for ForwardingStatusUpdateManager {
    fn initialize(&self, forward: Forward) {
        *self.forward.lock() = Some(forward);
    }

    fn update(
        &self,
        update: StatusUpdate,
        _slave_id: &SlaveId,
        _checkpoint: Option<(&ExecutorId, &ContainerId)>,
    ) -> Future<()> {
        let terminal = mesos::common::protobuf_utils::is_terminal_state(update.status.state());
        self.terminal
            .lock()
            .insert(update.uuid.clone().unwrap_or_default().to_vec(), terminal);
        if let Some(forward) = self.forward.lock().as_ref() {
            forward(update);
        }
        Future::ready(())
    }

    fn acknowledgement(
        &self,
        task_id: &TaskId,
        _framework_id: &FrameworkId,
        uuid: stout::Uuid,
    ) -> Future<bool> {
        self.acknowledged.lock().push(task_id.clone());
        let terminal = self
            .terminal
            .lock()
            .get(uuid.to_bytes().as_slice())
            .copied();
        match terminal {
            Some(terminal) => Future::ready(!terminal),
            None => Future::failed("Unexpected status update acknowledgment"),
        }
    }

    fn pause(&self) {}

    fn resume(&self) {}

    fn cleanup(&self, _framework_id: &FrameworkId) {}
}

/// A process that handles nothing: a master or an executor driver whose
/// messages the test sends and whose mail the test's filters read.
pub(crate) struct Idle;

impl Process for Idle {}

/// Spawns an idle process as `id`.
pub(crate) fn stand_in(id: &str) -> PID<Idle> {
    libprocess::spawn_with_id(Idle, id).expect("a fresh id")
}

/// Sends `message` to `to` as if `from` had.
pub(crate) fn send_as<M: ProtobufMessage>(from: &UPID, to: &UPID, message: &M) {
    post(
        from,
        to,
        libprocess::name_of::<M>(),
        message.encode_to_vec(),
    );
}

/// Agent flags for a test: a fresh work directory, small fixed
/// resources, no user switching.
pub(crate) fn create_slave_flags(work_dir: &str) -> Flags {
    let mut set = FlagSet::<Flags>::new();
    set.load(
        None,
        [
            "mesos-agent".to_string(),
            format!("--work_dir={}", work_dir),
            "--resources=cpus:2;mem:1024;disk:1024;ports:[31000-32000]".to_string(),
            "--no-switch_user".to_string(),
            format!("--launcher_dir={}", work_dir),
        ],
    )
    .expect("test flags load");
    set.into_values()
}

/// What the agent would detect on a small host.
pub(crate) fn small_host() -> HostResources {
    HostResources {
        cpus: Ok(2.0),
        mem: Ok(Bytes::gigabytes(4)),
        disk: Ok(Bytes::gigabytes(20)),
    }
}

/// An agent started against a stand-in master.
pub(crate) struct TestAgent {
    pub(crate) master: PID<Idle>,
    pub(crate) slave: PID<Slave>,
    pub(crate) containerizer: Arc<TestContainerizer>,
    pub(crate) status_updates: Arc<ForwardingStatusUpdateManager>,
    pub(crate) detector: StandaloneMasterDetector,
    pub(crate) work_dir: tempdir::Dir,
}

pub(crate) mod tempdir {
    //! A directory removed when dropped.

    /// A fresh directory under the system's temporary directory.
    pub(crate) struct Dir(pub(crate) String);

    impl Dir {
        pub(crate) fn new(prefix: &str) -> Dir {
            let path = std::env::temp_dir().join(format!(
                "{}-{}-{}",
                prefix,
                std::process::id(),
                libprocess::random::uuid()
            ));
            std::fs::create_dir_all(&path).expect("a temporary directory");
            Dir(path.to_string_lossy().into_owned())
        }

        pub(crate) fn path(&self) -> &str {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Starts an agent whose master is a stand-in `master`, with `flags`
/// changed by `configure`.
pub(crate) fn start_agent(configure: impl FnOnce(&mut Flags)) -> TestAgent {
    let work_dir = tempdir::Dir::new("slave_test");
    let mut flags = create_slave_flags(work_dir.path());
    configure(&mut flags);
    let master = stand_in("master");
    let detector = StandaloneMasterDetector::with_pid(master.upid());
    let containerizer = TestContainerizer::new();
    let status_updates = ForwardingStatusUpdateManager::new();
    let slave = Slave::with_host(
        flags,
        Arc::new(detector.clone()),
        containerizer.clone(),
        status_updates.clone(),
        &small_host(),
    )
    .expect("the agent starts");
    let slave = mesos::slave::spawn(slave);
    TestAgent {
        master,
        slave,
        containerizer,
        status_updates,
        detector,
        work_dir,
    }
}

// The IDs, infos and messages of the agent's tests (Mesos' IDs from
// `slave_tests.cpp`).

pub(crate) const FRAMEWORK_ID: &str = "20141010-221431-251662764-60288-32120-0000";
pub(crate) const SLAVE_ID: &str = "20141010-221431-251662764-60288-32120-S0";

pub(crate) fn slave_id() -> SlaveId {
    SlaveId {
        value: SLAVE_ID.to_string(),
    }
}

pub(crate) fn framework_id() -> FrameworkId {
    FrameworkId {
        value: FRAMEWORK_ID.to_string(),
    }
}

/// Mesos' `DEFAULT_FRAMEWORK_INFO`, with an ID.
pub(crate) fn framework_info() -> FrameworkInfo {
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

pub(crate) fn task_resources() -> Vec<mesos::Resource> {
    let mut resources = Resources::parse("cpus:0.1;mem:32").expect("resources");
    resources.allocate("*");
    resources.to_vec()
}

/// Mesos' `echoAuthorCommand()`.
pub(crate) fn echo_author_command() -> CommandInfo {
    CommandInfo {
        shell: Some(false),
        value: Some("/bin/echo".to_string()),
        arguments: vec!["/bin/echo".to_string(), "--author".to_string()],
        ..CommandInfo::default()
    }
}

pub(crate) fn command_task(id: &str) -> TaskInfo {
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
pub(crate) fn default_executor_info() -> ExecutorInfo {
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

pub(crate) fn run_task_message(task: TaskInfo) -> RunTaskMessage {
    RunTaskMessage {
        framework: framework_info(),
        pid: Some("scheduler-1@127.0.0.1:1".to_string()),
        task,
        ..RunTaskMessage::default()
    }
}

/// Lets the agent register: answers its `RegisterSlaveMessage` with
/// `SlaveRegisteredMessage`, pings expected every `ping_timeout` seconds.
pub(crate) fn register(agent: &TestAgent, ping_timeout: f64) -> RegisterSlaveMessage {
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

pub(crate) fn state(agent: &TestAgent) -> AgentState {
    await_ready(&dispatch(&agent.slave, |s: &mut Slave| s.state()))
}

/// The status the master got in the next forwarded update.
pub(crate) fn next_update(agent: &TestAgent) -> libprocess::Future<StatusUpdateMessage> {
    future_protobuf::<StatusUpdateMessage>(ANY, agent.master.upid())
}

/// An update from an executor driver, as the driver makes it.
pub(crate) fn executor_update(
    task_id: &str,
    state: TaskState,
    executor: &UPID,
) -> StatusUpdateMessage {
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
