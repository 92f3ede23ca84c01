//! What the driver suites drive the drivers with: processes standing in
//! for the master and the agent, and a scheduler and an executor that
//! record their callbacks in a queue.

#![allow(dead_code)] // Each suite uses some of them.

use libprocess::testing as lp;
use libprocess::{Clock, Handlers, Process, ProtobufMessage, Queue, UPID};
use mesos::exec::{Executor, MesosExecutorDriver};
use mesos::sched::{MesosSchedulerDriver, Scheduler};
use mesos::{
    ExecutorId, ExecutorInfo, FrameworkId, FrameworkInfo, MasterInfo, Offer, OfferId, SlaveId,
    SlaveInfo, TaskId, TaskInfo, TaskStatus,
};

/// A process that handles nothing: messages to it are seen (and dropped)
/// by the test's expectations when it dequeues them.
#[derive(Debug)]
pub(crate) struct Stub(pub(crate) &'static str);

impl Process for Stub {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        self.0.into()
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {}
}

/// Sends `message` to `to` as if `from` sent it.
pub(crate) fn send_as<M: ProtobufMessage>(from: &UPID, to: &UPID, message: &M) {
    libprocess::post(
        from,
        to,
        libprocess::name_of::<M>(),
        message.encode_to_vec(),
    );
}

/// The next item of `queue`.
#[track_caller]
pub(crate) fn next<T: Clone + Send + Sync + 'static>(queue: &Queue<T>) -> T {
    lp::await_ready(&queue.get())
}

/// Settles the (paused) clock and checks that `queue` got nothing.
#[track_caller]
pub(crate) fn assert_empty<T: Clone + Send + Sync + std::fmt::Debug + 'static>(queue: &Queue<T>) {
    let item = queue.get();
    Clock::settle();
    assert!(item.is_pending(), "unexpected {:?}", item.value());
    item.discard();
}

/// Mesos' tests' `DEFAULT_FRAMEWORK_INFO`, as far as the drivers care.
pub(crate) fn default_framework_info() -> FrameworkInfo {
    FrameworkInfo {
        name: "default".to_string(),
        user: "test".to_string(),
        roles: vec!["*".to_string()],
        ..FrameworkInfo::default()
    }
}

pub(crate) fn framework_id(value: &str) -> FrameworkId {
    FrameworkId {
        value: value.to_string(),
    }
}

pub(crate) fn slave_id(value: &str) -> SlaveId {
    SlaveId {
        value: value.to_string(),
    }
}

pub(crate) fn executor_id(value: &str) -> ExecutorId {
    ExecutorId {
        value: value.to_string(),
    }
}

pub(crate) fn task_id(value: &str) -> TaskId {
    TaskId {
        value: value.to_string(),
    }
}

pub(crate) fn offer_id(value: &str) -> OfferId {
    OfferId {
        value: value.to_string(),
    }
}

/// Links to a process: ready once it has terminated.
pub(crate) struct Watcher {
    target: UPID,
    exited: libprocess::Promise<()>,
}

impl libprocess::Process for Watcher {
    fn initialize(&mut self, _handlers: &mut libprocess::Handlers<Self>) {
        libprocess::link(&self.target);
    }

    fn exited(&mut self, _pid: &UPID) {
        self.exited.set(());
    }
}

pub(crate) fn watch(target: &UPID) -> libprocess::Future<()> {
    let exited = libprocess::Promise::new();
    let future = exited.future();
    libprocess::spawn(Watcher {
        target: target.clone(),
        exited,
    });
    future
}

/// A scheduler callback, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Sched {
    Registered(FrameworkId, MasterInfo),
    Reregistered(MasterInfo),
    Disconnected,
    Offers(Vec<Offer>),
    Rescinded(OfferId),
    Status(TaskStatus),
    Message(ExecutorId, SlaveId, Vec<u8>),
    SlaveLost(SlaveId),
    ExecutorLost(ExecutorId, SlaveId, i32),
    Error(String),
}

type SchedAction = Box<dyn FnMut(&MesosSchedulerDriver, &Sched) + Send>;

/// Records each callback in a queue, after running the test's action on
/// it (a mock scheduler's `WillOnce`).
pub(crate) struct RecordingScheduler {
    calls: Queue<Sched>,
    action: Option<SchedAction>,
}

impl RecordingScheduler {
    pub(crate) fn new() -> (RecordingScheduler, Queue<Sched>) {
        let calls = Queue::new();
        let scheduler = RecordingScheduler {
            calls: calls.clone(),
            action: None,
        };
        (scheduler, calls)
    }

    /// A scheduler that runs `action` on each callback.
    pub(crate) fn with_action(
        action: impl FnMut(&MesosSchedulerDriver, &Sched) + Send + 'static,
    ) -> (RecordingScheduler, Queue<Sched>) {
        let (mut scheduler, calls) = RecordingScheduler::new();
        scheduler.action = Some(Box::new(action));
        (scheduler, calls)
    }

    fn record(&mut self, driver: &MesosSchedulerDriver, call: Sched) {
        if let Some(action) = self.action.as_mut() {
            action(driver, &call);
        }
        self.calls.put(call);
    }
}

impl Scheduler for RecordingScheduler {
    fn registered(&mut self, d: &MesosSchedulerDriver, id: &FrameworkId, master: &MasterInfo) {
        self.record(d, Sched::Registered(id.clone(), master.clone()));
    }

    fn reregistered(&mut self, d: &MesosSchedulerDriver, master: &MasterInfo) {
        self.record(d, Sched::Reregistered(master.clone()));
    }

    fn disconnected(&mut self, d: &MesosSchedulerDriver) {
        self.record(d, Sched::Disconnected);
    }

    fn resource_offers(&mut self, d: &MesosSchedulerDriver, offers: &[Offer]) {
        self.record(d, Sched::Offers(offers.to_vec()));
    }

    fn offer_rescinded(&mut self, d: &MesosSchedulerDriver, offer_id: &OfferId) {
        self.record(d, Sched::Rescinded(offer_id.clone()));
    }

    fn status_update(&mut self, d: &MesosSchedulerDriver, status: &TaskStatus) {
        self.record(d, Sched::Status(status.clone()));
    }

    fn framework_message(
        &mut self,
        d: &MesosSchedulerDriver,
        executor_id: &ExecutorId,
        slave_id: &SlaveId,
        data: &[u8],
    ) {
        let call = Sched::Message(executor_id.clone(), slave_id.clone(), data.to_vec());
        self.record(d, call);
    }

    fn slave_lost(&mut self, d: &MesosSchedulerDriver, slave_id: &SlaveId) {
        self.record(d, Sched::SlaveLost(slave_id.clone()));
    }

    fn executor_lost(
        &mut self,
        d: &MesosSchedulerDriver,
        executor_id: &ExecutorId,
        slave_id: &SlaveId,
        status: i32,
    ) {
        let call = Sched::ExecutorLost(executor_id.clone(), slave_id.clone(), status);
        self.record(d, call);
    }

    fn error(&mut self, d: &MesosSchedulerDriver, message: &str) {
        self.record(d, Sched::Error(message.to_string()));
    }
}

/// An executor callback, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Exec {
    Registered(Box<(ExecutorInfo, FrameworkInfo, SlaveInfo)>),
    Reregistered(SlaveInfo),
    LaunchTask(Box<TaskInfo>),
    KillTask(TaskId),
    Message(Vec<u8>),
    Shutdown,
    Error(String),
}

type ExecAction = Box<dyn FnMut(&MesosExecutorDriver, &Exec) + Send>;

/// Records each callback in a queue, after running the test's action.
pub(crate) struct RecordingExecutor {
    calls: Queue<Exec>,
    action: Option<ExecAction>,
}

impl RecordingExecutor {
    pub(crate) fn new() -> (RecordingExecutor, Queue<Exec>) {
        let calls = Queue::new();
        let executor = RecordingExecutor {
            calls: calls.clone(),
            action: None,
        };
        (executor, calls)
    }

    /// An executor that runs `action` on each callback.
    pub(crate) fn with_action(
        action: impl FnMut(&MesosExecutorDriver, &Exec) + Send + 'static,
    ) -> (RecordingExecutor, Queue<Exec>) {
        let (mut executor, calls) = RecordingExecutor::new();
        executor.action = Some(Box::new(action));
        (executor, calls)
    }

    fn record(&mut self, driver: &MesosExecutorDriver, call: Exec) {
        if let Some(action) = self.action.as_mut() {
            action(driver, &call);
        }
        self.calls.put(call);
    }
}

impl Executor for RecordingExecutor {
    fn registered(
        &mut self,
        d: &MesosExecutorDriver,
        executor_info: &ExecutorInfo,
        framework_info: &FrameworkInfo,
        slave_info: &SlaveInfo,
    ) {
        let call = Exec::Registered(Box::new((
            executor_info.clone(),
            framework_info.clone(),
            slave_info.clone(),
        )));
        self.record(d, call);
    }

    fn reregistered(&mut self, d: &MesosExecutorDriver, slave_info: &SlaveInfo) {
        self.record(d, Exec::Reregistered(slave_info.clone()));
    }

    fn launch_task(&mut self, d: &MesosExecutorDriver, task: &TaskInfo) {
        self.record(d, Exec::LaunchTask(Box::new(task.clone())));
    }

    fn kill_task(&mut self, d: &MesosExecutorDriver, task_id: &TaskId) {
        self.record(d, Exec::KillTask(task_id.clone()));
    }

    fn framework_message(&mut self, d: &MesosExecutorDriver, data: &[u8]) {
        self.record(d, Exec::Message(data.to_vec()));
    }

    fn shutdown(&mut self, d: &MesosExecutorDriver) {
        self.record(d, Exec::Shutdown);
    }

    fn error(&mut self, d: &MesosExecutorDriver, message: &str) {
        self.record(d, Exec::Error(message.to_string()));
    }
}
