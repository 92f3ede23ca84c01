//! The agent's state (Mesos' `Slave` in `slave.hpp`): its info, where it
//! is with its master, and its frameworks with their executors and
//! tasks. The handlers live in files by concern (registration, running
//! tasks, executors, status updates, shutdown); `process.rs` routes
//! messages into them.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use libprocess::{Future, Time, Timer, UPID};
use stout::{Duration, Error, Try};

use crate::common::attributes::Attributes;
use crate::common::protobuf_utils::slave::Capabilities;
use crate::master::detector::MasterDetector;
use crate::slave::constants::DEFAULT_MASTER_PING_TIMEOUT;
use crate::slave::containerizer::Containerizer;
use crate::slave::executor::Executor;
use crate::slave::flags::Flags;
use crate::slave::framework::Framework;
use crate::slave::resources::{agent_resources, HostResources};
use crate::slave::status_update_manager::StatusUpdateManager;
use crate::{ExecutorId, FrameworkId, MasterInfo, SlaveInfo, TaskId};

/// Where the agent is with its master (Mesos' `Slave::State`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaveState {
    /// Recovering its checkpointed state and its containers.
    Recovering,
    /// Not (or no longer) registered with a master.
    Disconnected,
    /// Registered.
    Running,
    /// Shutting down.
    Terminating,
}

impl fmt::Display for SlaveState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SlaveState::Recovering => "RECOVERING",
            SlaveState::Disconnected => "DISCONNECTED",
            SlaveState::Running => "RUNNING",
            SlaveState::Terminating => "TERMINATING",
        })
    }
}

/// The agent. It runs as a libprocess process (id `slave(N)`); spawn it
/// with [`spawn`](crate::slave::spawn).
pub struct Slave {
    pub(crate) flags: Flags,
    pub(crate) info: SlaveInfo,
    pub(crate) state: SlaveState,
    pub(crate) capabilities: Capabilities,
    /// Identifies the agent's resource state to the master.
    pub(crate) resource_version: crate::Uuid,
    pub(crate) detector: Arc<dyn MasterDetector>,
    pub(crate) containerizer: Arc<dyn Containerizer>,
    pub(crate) status_updates: Arc<dyn StatusUpdateManager>,
    /// The leading master, once detected.
    pub(crate) master: Option<UPID>,
    /// The detection in progress (discarding it makes the agent
    /// re-detect).
    pub(crate) detection: Option<Future<Option<MasterInfo>>>,
    /// Counts detections, so that a ping timer knows whether the
    /// detection it was set during is still the current one.
    pub(crate) detection_generation: u64,
    pub(crate) registration_timer: Option<Timer>,
    pub(crate) ping_timer: Option<Timer>,
    pub(crate) master_ping_timeout: Duration,
    pub(crate) frameworks: HashMap<String, Framework>,
    /// Removed frameworks, the latest last.
    pub(crate) completed_frameworks: Vec<Framework>,
    /// The agent's `LIBPROCESS_IP`, passed on to executors.
    pub(crate) libprocess_ip: Option<String>,
    pub(crate) metrics: crate::slave::metrics::Metrics,
    /// What the HTTP endpoints keep between requests.
    pub(crate) http: crate::slave::http::Http,
    /// The `slave/*` metrics, published while the process runs.
    pub(crate) published_metrics: crate::slave::metrics::Published,
    /// When the process started (`/state`'s `start_time`,
    /// `slave/uptime_secs`).
    pub(crate) start_time: Time,
}

/// The most removed frameworks the agent keeps (Mesos'
/// `MAX_COMPLETED_FRAMEWORKS`).
pub const MAX_COMPLETED_FRAMEWORKS: usize = 50;

impl fmt::Debug for Slave {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slave")
            .field("info", &self.info)
            .field("state", &self.state)
            .field("master", &self.master)
            .finish_non_exhaustive()
    }
}

impl Slave {
    /// An agent with `flags`, finding its master with `detector`, running
    /// executors with `containerizer`, and sending task status updates
    /// through `status_updates`. Fails on bad `--resources` or
    /// `--attributes`.
    pub fn new(
        flags: Flags,
        detector: Arc<dyn MasterDetector>,
        containerizer: Arc<dyn Containerizer>,
        status_updates: Arc<dyn StatusUpdateManager>,
    ) -> Try<Slave> {
        let host = HostResources::detect(&flags.work_dir);
        Slave::with_host(flags, detector, containerizer, status_updates, &host)
    }

    /// [`Slave::new`] with the host's resources given rather than
    /// detected.
    pub fn with_host(
        flags: Flags,
        detector: Arc<dyn MasterDetector>,
        containerizer: Arc<dyn Containerizer>,
        status_updates: Arc<dyn StatusUpdateManager>,
        host: &HostResources,
    ) -> Try<Slave> {
        let resources = agent_resources(&flags, host)
            .map_err(|e| Error::new(format!("Failed to determine agent resources: {}", e)))?;
        let attributes = match &flags.attributes {
            Some(text) => Attributes::parse(text)?,
            None => Attributes::default(),
        };
        let info = SlaveInfo {
            resources: resources.to_vec(),
            attributes: attributes.iter().cloned().collect(),
            checkpoint: Some(true),
            domain: flags.domain.as_ref().map(|d| d.get().clone()),
            ..SlaveInfo::default()
        };
        tracing::info!("Agent resources: {}", resources);
        let capabilities = Capabilities {
            multi_role: true,
            hierarchical_role: true,
            reservation_refinement: true,
            resource_provider: true,
            resize_volume: true,
            agent_operation_feedback: true,
            agent_draining: true,
            task_resource_limits: true,
        };
        Ok(Slave {
            flags,
            info,
            state: SlaveState::Recovering,
            capabilities,
            resource_version: crate::common::protobuf_utils::create_uuid(None),
            detector,
            containerizer,
            status_updates,
            master: None,
            detection: None,
            detection_generation: 0,
            registration_timer: None,
            ping_timer: None,
            master_ping_timeout: DEFAULT_MASTER_PING_TIMEOUT,
            frameworks: HashMap::new(),
            completed_frameworks: Vec::new(),
            libprocess_ip: std::env::var("LIBPROCESS_IP").ok(),
            metrics: Default::default(),
            http: crate::slave::http::Http::default(),
            published_metrics: Default::default(),
            start_time: Time::EPOCH,
        })
    }

    /// The agent's info: its ID once registered, hostname, port,
    /// resources and attributes.
    pub fn info(&self) -> &SlaveInfo {
        &self.info
    }

    /// Where the agent is with its master.
    pub fn state(&self) -> SlaveState {
        self.state
    }

    /// The leading master, as last detected.
    pub fn master(&self) -> Option<&UPID> {
        self.master.as_ref()
    }

    /// The agent's flags.
    pub fn flags(&self) -> &Flags {
        &self.flags
    }

    /// A framework by ID.
    pub fn framework(&self, framework_id: &FrameworkId) -> Option<&Framework> {
        self.frameworks.get(&framework_id.value)
    }

    /// The frameworks with tasks or executors here.
    pub fn frameworks(&self) -> impl Iterator<Item = &Framework> {
        self.frameworks.values()
    }

    /// An executor by framework and executor ID.
    pub fn executor(
        &self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
    ) -> Option<&Executor> {
        self.framework(framework_id)?.executor(executor_id)
    }

    /// The agent's counters.
    pub fn metrics(&self) -> &crate::slave::metrics::Metrics {
        &self.metrics
    }

    pub(crate) fn framework_mut(&mut self, framework_id: &FrameworkId) -> Option<&mut Framework> {
        self.frameworks.get_mut(&framework_id.value)
    }

    pub(crate) fn executor_mut(
        &mut self,
        framework_id: &FrameworkId,
        executor_id: &ExecutorId,
    ) -> Option<&mut Executor> {
        self.framework_mut(framework_id)?.executor_mut(executor_id)
    }

    /// The ID of the executor of `task_id` in `framework_id`.
    pub(crate) fn executor_id_of_task(
        &self,
        framework_id: &FrameworkId,
        task_id: &TaskId,
    ) -> Option<ExecutorId> {
        self.framework(framework_id)?.executor_id_of_task(task_id)
    }

    /// The agent's ID (empty until registered).
    pub(crate) fn slave_id(&self) -> crate::SlaveId {
        self.info.id.clone().unwrap_or_default()
    }

    /// Whether `from` is the master the agent knows.
    pub(crate) fn is_master(&self, from: &UPID) -> bool {
        self.master.as_ref() == Some(from)
    }

    pub(crate) fn master_name(&self) -> String {
        self.master
            .as_ref()
            .map_or_else(|| "None".to_string(), ToString::to_string)
    }
}
