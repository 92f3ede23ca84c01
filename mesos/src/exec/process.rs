//! The executor driver's process (Mesos' `ExecutorProcess`): registers
//! with the agent, turns the agent's messages into [`Executor`] callbacks,
//! and keeps the status updates and tasks the agent has not acknowledged,
//! for re-registration with a restarted agent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use bytes::Bytes;
use libprocess::{delay, link, link_with, send_protobuf, spawn, Clock, Handlers, Latch};
use libprocess::{Process, RemoteConnection, SelfPid, UPID};
use stout::Uuid;

use super::driver::Shared;
use super::shutdown::ShutdownProcess;
use super::unacknowledged::{status_update, Unacknowledged};
use super::{Executor, ExecutorConfig, MesosExecutorDriver};
use crate::internal::{
    ExecutorRegisteredMessage, ExecutorReregisteredMessage, ExecutorToFrameworkMessage,
    FrameworkToExecutorMessage, KillTaskMessage, ReconnectExecutorMessage, RegisterExecutorMessage,
    ReregisterExecutorMessage, RunTaskMessage, ShutdownExecutorMessage,
    StatusUpdateAcknowledgementMessage, StatusUpdateMessage,
};
use crate::{SlaveId, SlaveInfo, TaskId, TaskInfo, TaskStatus};

pub(super) struct ExecutorProcess {
    driver: Weak<Shared>,
    /// Set by the driver (on any thread) when it aborts, and by a
    /// shutdown: queued events are ignored from then on.
    aborted: Arc<AtomicBool>,
    latch: Arc<Latch>,
    executor: Box<dyn Executor>,
    config: ExecutorConfig,
    /// Registered with the agent.
    connected: bool,
    /// Names the current connection, so that a recovery timeout armed for
    /// an earlier one does nothing.
    connection: Uuid,
    /// For re-registration with a restarted agent.
    unacknowledged: Unacknowledged,
}

impl std::fmt::Debug for ExecutorProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecutorProcess")
            .field("executor_id", &self.config.executor_id.value)
            .field("connected", &self.connected)
            .finish()
    }
}

impl ExecutorProcess {
    pub(super) fn new(
        driver: Weak<Shared>,
        aborted: Arc<AtomicBool>,
        latch: Arc<Latch>,
        executor: Box<dyn Executor>,
        config: ExecutorConfig,
    ) -> ExecutorProcess {
        tracing::info!("Version: {}", crate::MESOS_VERSION);
        ExecutorProcess {
            driver,
            aborted,
            latch,
            executor,
            config,
            connected: false,
            connection: libprocess::random::uuid(),
            unacknowledged: Unacknowledged::default(),
        }
    }

    fn aborted(&self) -> bool {
        self.aborted.load(Ordering::SeqCst)
    }

    /// Runs a callback with a handle on the driver; skipped once every
    /// handle on the driver is gone.
    fn callback(&mut self, f: impl FnOnce(&mut dyn Executor, &MesosExecutorDriver)) {
        if let Some(shared) = self.driver.upgrade() {
            let driver = MesosExecutorDriver::from_shared(shared);
            f(self.executor.as_mut(), &driver);
        }
    }

    fn registered(&mut self, message: ExecutorRegisteredMessage) {
        if self.aborted() {
            tracing::debug!(
                "Ignoring registered message from agent {} because the driver is aborted!",
                message.slave_id.value
            );
            return;
        }
        tracing::info!("Executor registered on agent {}", message.slave_id.value);
        self.connected = true;
        self.connection = libprocess::random::uuid();
        self.callback(|executor, driver| {
            executor.registered(
                driver,
                &message.executor_info,
                &message.framework_info,
                &message.slave_info,
            )
        });
    }

    fn reregistered(&mut self, slave_id: &SlaveId, slave_info: &SlaveInfo) {
        if self.aborted() {
            tracing::debug!(
                "Ignoring reregistered message from agent {} because the driver is aborted!",
                slave_id.value
            );
            return;
        }
        tracing::info!("Executor reregistered on agent {}", slave_id.value);
        self.connected = true;
        self.connection = libprocess::random::uuid();
        self.callback(|executor, driver| executor.reregistered(driver, slave_info));
    }

    /// A restarted agent asks the executor to re-register, with what the
    /// agent has not acknowledged.
    fn reconnect(&mut self, from: &UPID, slave_id: &SlaveId) {
        if self.aborted() {
            tracing::debug!(
                "Ignoring reconnect message from agent {} because the driver is aborted!",
                slave_id.value
            );
            return;
        }
        tracing::info!("Received reconnect request from agent {}", slave_id.value);
        self.config.slave_pid = from.clone();
        // The old connection may be stale after the agent restarted.
        link_with(&self.config.slave_pid, RemoteConnection::Reconnect);
        let message = ReregisterExecutorMessage {
            executor_id: self.config.executor_id.clone(),
            framework_id: self.config.framework_id.clone(),
            tasks: self.unacknowledged.tasks(),
            updates: self.unacknowledged.updates(),
        };
        send_protobuf(&self.config.slave_pid, &message);
    }

    fn run_task(&mut self, task: TaskInfo) {
        if self.aborted() {
            tracing::debug!(
                "Ignoring run task message for task {} because the driver is aborted!",
                task.task_id.value
            );
            return;
        }
        if !self.connected {
            tracing::warn!(
                "Ignoring run task message for task {} because the driver is disconnected!",
                task.task_id.value
            );
            return;
        }
        if !self.unacknowledged.launched(&task) {
            tracing::error!("Ignoring unexpected duplicate task {}", task.task_id.value);
            return;
        }
        tracing::debug!("Executor asked to run task '{}'", task.task_id.value);
        self.callback(|executor, driver| executor.launch_task(driver, &task));
    }

    fn kill_task(&mut self, task_id: &TaskId) {
        if self.aborted() {
            tracing::debug!(
                "Ignoring kill task message for task {} because the driver is aborted!",
                task_id.value
            );
            return;
        }
        if !self.connected {
            tracing::warn!(
                "Executor received kill task message for task {} while disconnected from the agent!",
                task_id.value
            );
        }
        tracing::debug!("Executor asked to kill task '{}'", task_id.value);
        self.callback(|executor, driver| executor.kill_task(driver, task_id));
    }

    fn status_update_acknowledgement(&mut self, message: StatusUpdateAcknowledgementMessage) {
        let Ok(uuid) = Uuid::from_bytes(&message.uuid) else {
            tracing::warn!(
                "Ignoring a status update acknowledgement for task {} with an invalid uuid",
                message.task_id.value
            );
            return;
        };
        let task_id = &message.task_id;
        let framework_id = &message.framework_id.value;
        if self.aborted() {
            tracing::debug!(
                "Ignoring status update acknowledgement {} for task {} of framework {} because the driver is aborted!",
                uuid, task_id.value, framework_id
            );
            return;
        }
        if !self.connected {
            tracing::warn!(
                "Ignoring status update acknowledgement {} for task {} of framework {} because the driver is disconnected!",
                uuid, task_id.value, framework_id
            );
            return;
        }
        if !self.unacknowledged.acknowledged(uuid, task_id) {
            tracing::warn!(
                "Ignoring unknown status update acknowledgement {} for task {} of framework {}",
                uuid,
                task_id.value,
                framework_id
            );
            return;
        }
        tracing::debug!(
            "Executor received status update acknowledgement {} for task {} of framework {}",
            uuid,
            task_id.value,
            framework_id
        );
    }

    fn framework_message(&mut self, data: &[u8]) {
        if self.aborted() {
            tracing::debug!("Ignoring framework message because the driver is aborted!");
            return;
        }
        if !self.connected {
            tracing::warn!("Ignoring framework message because the driver is disconnected!");
            return;
        }
        tracing::debug!("Executor received framework message");
        self.callback(|executor, driver| executor.framework_message(driver, data));
    }

    fn shutdown(&mut self) {
        if self.aborted() {
            tracing::debug!("Ignoring shutdown message because the driver is aborted!");
            return;
        }
        tracing::info!("Executor asked to shutdown");
        self.shut_down();
    }

    /// Has the executor shut down: past the grace period its process
    /// group is killed (a local executor's process just terminates).
    fn shut_down(&mut self) {
        if !self.config.local {
            spawn(ShutdownProcess::new(self.config.shutdown_grace_period));
        }
        self.callback(|executor, driver| executor.shutdown(driver));
        // Nothing more is taken from the agent.
        self.aborted.store(true, Ordering::SeqCst);
        if self.config.local {
            libprocess::terminate(self.self_pid(), false);
        }
    }

    pub(super) fn stop(&mut self) {
        libprocess::terminate(self.self_pid(), false);
        self.latch.trigger();
    }

    pub(super) fn abort(&mut self) {
        tracing::info!("Deactivating the executor libprocess");
        self.latch.trigger();
    }

    fn recovery_timeout(&mut self, connection: Uuid) {
        if self.connected || self.connection != connection {
            return;
        }
        tracing::info!(
            "Recovery timeout of {} exceeded; Shutting down",
            self.config.recovery_timeout
        );
        self.shutdown();
    }

    pub(super) fn send_status_update(&mut self, status: TaskStatus) {
        let uuid = libprocess::random::uuid();
        let update = status_update(&self.config, status, uuid, Clock::now().secs());
        tracing::debug!(
            "Executor sending status update {} for task {}",
            uuid,
            update.status.task_id.value
        );
        self.unacknowledged.sent(uuid, update.clone());
        let message = StatusUpdateMessage {
            update,
            pid: Some(self.self_pid().upid().to_string()),
        };
        send_protobuf(&self.config.slave_pid, &message);
    }

    pub(super) fn send_framework_message(&mut self, data: Bytes) {
        let message = ExecutorToFrameworkMessage {
            slave_id: self.config.slave_id.clone(),
            framework_id: self.config.framework_id.clone(),
            executor_id: self.config.executor_id.clone(),
            data,
        };
        send_protobuf(&self.config.slave_pid, &message);
    }
}

impl Process for ExecutorProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "executor".into()
    }

    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers
            .install_protobuf(|p: &mut Self, _from, m: ExecutorRegisteredMessage| p.registered(m));
        handlers.install_protobuf(|p: &mut Self, _from, m: ExecutorReregisteredMessage| {
            p.reregistered(&m.slave_id, &m.slave_info)
        });
        handlers.install_protobuf(|p: &mut Self, from, m: ReconnectExecutorMessage| {
            p.reconnect(from, &m.slave_id)
        });
        handlers.install_protobuf(|p: &mut Self, _from, m: RunTaskMessage| p.run_task(m.task));
        handlers
            .install_protobuf(|p: &mut Self, _from, m: KillTaskMessage| p.kill_task(&m.task_id));
        handlers.install_protobuf(
            |p: &mut Self, _from, m: StatusUpdateAcknowledgementMessage| {
                p.status_update_acknowledgement(m)
            },
        );
        handlers.install_protobuf(|p: &mut Self, _from, m: FrameworkToExecutorMessage| {
            p.framework_message(&m.data)
        });
        handlers.install_protobuf(|p: &mut Self, _from, _m: ShutdownExecutorMessage| p.shutdown());

        tracing::debug!(
            "Executor started at: {} with pid {}",
            self.self_pid().upid(),
            std::process::id()
        );
        link(&self.config.slave_pid);
        send_protobuf(
            &self.config.slave_pid,
            &RegisterExecutorMessage {
                framework_id: self.config.framework_id.clone(),
                executor_id: self.config.executor_id.clone(),
            },
        );
    }

    fn exited(&mut self, _pid: &UPID) {
        if self.aborted() {
            tracing::debug!("Ignoring exited event because the driver is aborted!");
            return;
        }
        if self.config.checkpoint && self.connected {
            self.connected = false;
            tracing::info!(
                "Agent exited, but framework has checkpointing enabled. Waiting {} to reconnect with agent {}",
                self.config.recovery_timeout,
                self.config.slave_id.value
            );
            let connection = self.connection;
            delay(
                self.config.recovery_timeout,
                &self.self_pid(),
                move |p: &mut Self| p.recovery_timeout(connection),
            );
            return;
        }
        tracing::info!("Agent exited ... shutting down");
        self.connected = false;
        self.shut_down();
    }
}
