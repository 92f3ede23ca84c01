//! The agent's task status update manager (Mesos'
//! `TaskStatusUpdateManager`): one stream per task; the head of each
//! stream is forwarded (through the agent, to the master) and resent on
//! the Clock, from [`STATUS_UPDATE_RETRY_INTERVAL_MIN`] doubling up to
//! [`STATUS_UPDATE_RETRY_INTERVAL_MAX`], until the framework acknowledges
//! it; the next update goes out after the acknowledgement. Forwarding
//! happens only while the agent is registered (`pause`/`resume`).
//!
//! ```no_run
//! use mesos::slave::task_status_update_manager::TaskStatusUpdateManager;
//!
//! let manager = TaskStatusUpdateManager::new("/var/lib/mesos");
//! manager.initialize(|update| {
//!     // The agent sends `StatusUpdateMessage{update, pid = self}` to the master.
//!     let _ = update;
//! });
//! ```

mod stream;

use std::collections::HashMap;
use std::sync::Arc;

use libprocess::{delay, dispatch, Clock, Future, Process, SelfPid, Time, PID};
use stout::{Duration, Uuid};

use crate::internal::StatusUpdate;
use crate::slave::paths;
use crate::slave::state::SlaveState;
use crate::{ContainerId, ExecutorId, FrameworkId, SlaveId, TaskId};

pub use stream::{read_task_updates, TaskStatusUpdateStream};

/// The first interval after which an unacknowledged update is resent.
pub const STATUS_UPDATE_RETRY_INTERVAL_MIN: Duration = Duration::from_secs(10);

/// The longest interval between two resends of an update.
pub const STATUS_UPDATE_RETRY_INTERVAL_MAX: Duration = Duration::from_mins(10);

/// What the manager calls with each update to send to the master.
pub type Forward = Arc<dyn Fn(StatusUpdate) + Send + Sync>;

/// The manager: a handle on its process. Dropping it terminates the
/// process.
#[derive(Debug)]
pub struct TaskStatusUpdateManager {
    process: PID<TaskStatusUpdateManagerProcess>,
}

impl TaskStatusUpdateManager {
    /// A manager checkpointing under `<work_dir>/meta`; spawns its
    /// process on the current runtime.
    pub fn new(work_dir: &str) -> TaskStatusUpdateManager {
        let process = libprocess::spawn(TaskStatusUpdateManagerProcess {
            meta_dir: paths::get_meta_root_dir(work_dir),
            paused: false,
            forward: None,
            streams: HashMap::new(),
        });
        TaskStatusUpdateManager { process }
    }

    /// Gives the manager what it forwards updates with.
    pub fn initialize(&self, forward: impl Fn(StatusUpdate) + Send + Sync + 'static) {
        let forward: Forward = Arc::new(forward);
        dispatch(&self.process, move |p| p.forward = Some(forward));
    }

    /// Takes an update from an executor into its task's stream, and
    /// forwards it if it is the stream's head. With `checkpoint` (the
    /// executor and its run, for a checkpointing framework) the stream is
    /// checkpointed to the task's updates file first. Ready once the
    /// update is in the stream (a duplicate too, so the agent acknowledges
    /// it to the executor again); failed if it cannot be taken.
    pub fn update(
        &self,
        update: StatusUpdate,
        slave_id: &SlaveId,
        checkpoint: Option<(&ExecutorId, &ContainerId)>,
    ) -> Future<()> {
        let slave_id = slave_id.clone();
        let checkpoint = checkpoint.map(|(e, c)| (e.clone(), c.clone()));
        dispatch(&self.process, move |p| {
            p.update(update, slave_id, checkpoint)
        })
        .flatten()
    }

    /// The framework acknowledged the update with `uuid`: ready with
    /// whether the task's stream goes on (false once a terminal update is
    /// acknowledged: the stream is gone); failed for an unknown stream, a
    /// duplicate or an unexpected acknowledgement.
    pub fn acknowledgement(
        &self,
        task_id: &TaskId,
        framework_id: &FrameworkId,
        uuid: Uuid,
    ) -> Future<bool> {
        let (task_id, framework_id) = (task_id.clone(), framework_id.clone());
        dispatch(&self.process, move |p| {
            p.acknowledgement(task_id, framework_id, uuid)
        })
        .flatten()
    }

    /// Rebuilds the streams of the latest runs `state` names from their
    /// updates files; their unacknowledged updates are forwarded on
    /// `resume`.
    pub fn recover(&self, state: Option<&SlaveState>) -> Future<()> {
        let state = state.cloned();
        dispatch(&self.process, move |p| p.recover(state)).flatten()
    }

    /// Stops forwarding (the agent is not registered).
    pub fn pause(&self) {
        dispatch(&self.process, |p| {
            tracing::info!("Pausing sending task status updates");
            p.paused = true;
        });
    }

    /// Forwards again, resending every stream's head now.
    pub fn resume(&self) {
        dispatch(&self.process, TaskStatusUpdateManagerProcess::resume);
    }

    /// Closes the streams of the framework.
    pub fn cleanup(&self, framework_id: &FrameworkId) {
        let framework_id = framework_id.clone();
        dispatch(&self.process, move |p| p.cleanup(&framework_id));
    }
}

impl Drop for TaskStatusUpdateManager {
    fn drop(&mut self) {
        libprocess::terminate(&self.process, true);
    }
}

/// The manager's process (Mesos' `TaskStatusUpdateManagerProcess`).
struct TaskStatusUpdateManagerProcess {
    meta_dir: String,
    paused: bool,
    forward: Option<Forward>,
    streams: HashMap<FrameworkId, HashMap<TaskId, TaskStatusUpdateStream>>,
}

impl Process for TaskStatusUpdateManagerProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "task-status-update-manager".into()
    }
}

impl TaskStatusUpdateManagerProcess {
    fn resume(&mut self) {
        tracing::info!("Resuming sending task status updates");
        self.paused = false;
        let heads: Vec<(FrameworkId, TaskId, StatusUpdate)> = self
            .streams
            .iter()
            .flat_map(|(framework_id, streams)| {
                streams.iter().filter_map(|(task_id, stream)| {
                    let head = stream.pending.front()?;
                    Some((framework_id.clone(), task_id.clone(), head.clone()))
                })
            })
            .collect();
        for (framework_id, task_id, update) in heads {
            tracing::warn!("Resending task status update {}", stream::describe(&update));
            let timeout = self.forward(&update, STATUS_UPDATE_RETRY_INTERVAL_MIN);
            if let Some(stream) = self.stream(&task_id, &framework_id) {
                stream.timeout = Some(timeout);
            }
        }
    }

    fn update(
        &mut self,
        update: StatusUpdate,
        slave_id: SlaveId,
        checkpoint: Option<(ExecutorId, ContainerId)>,
    ) -> Future<()> {
        let task_id = update.status.task_id.clone();
        let framework_id = update.framework_id.clone();
        tracing::info!("Received task status update {}", stream::describe(&update));

        let meta_dir = self.meta_dir.clone();
        let stream = self
            .streams
            .entry(framework_id.clone())
            .or_default()
            .entry(task_id.clone())
            .or_insert_with(|| {
                let path = checkpoint.as_ref().map(|(executor_id, container_id)| {
                    paths::get_task_updates_path(
                        &meta_dir,
                        &slave_id,
                        &framework_id,
                        executor_id,
                        container_id,
                        &task_id,
                    )
                });
                tracing::debug!(
                    "Creating StatusUpdate stream for task {} of framework {}",
                    task_id.value,
                    framework_id.value
                );
                TaskStatusUpdateStream::new(task_id.clone(), framework_id.clone(), path)
            });

        // An update must not switch its stream's checkpointing.
        if stream.checkpoint != checkpoint.is_some() {
            return Future::failed(format!(
                "Mismatched checkpoint value for task status update {} (expected \
                 checkpoint={} actual checkpoint={})",
                stream::describe(&update),
                stream.checkpoint,
                checkpoint.is_some()
            ));
        }
        match stream.update(&update) {
            Err(error) => return Future::failed(error.to_string()),
            // A duplicate: ready, so that the agent acknowledges it again.
            Ok(false) => return Future::ready(()),
            Ok(true) => {}
        }
        // Only a stream's head is in flight; the others go out after its
        // acknowledgement.
        if !self.paused && stream.pending.len() == 1 {
            let next = match stream.next() {
                Ok(Some(next)) => next.clone(),
                Ok(None) => return Future::ready(()),
                Err(error) => return Future::failed(error.to_string()),
            };
            let timeout = self.forward(&next, STATUS_UPDATE_RETRY_INTERVAL_MIN);
            if let Some(stream) = self.stream(&task_id, &framework_id) {
                stream.timeout = Some(timeout);
            }
        }
        Future::ready(())
    }

    /// Forwards `update` and schedules a look at the stream after
    /// `duration`; returns when the update is due to be resent.
    fn forward(&mut self, update: &StatusUpdate, duration: Duration) -> Time {
        tracing::debug!(
            "Forwarding task status update {} to the agent",
            stream::describe(update)
        );
        match &self.forward {
            Some(forward) => forward(update.clone()),
            None => tracing::error!(
                "Dropping task status update {}: the manager was not initialized",
                stream::describe(update)
            ),
        }
        delay(duration, &self.self_pid(), move |p| p.timeout(duration));
        Clock::now() + duration
    }

    fn acknowledgement(
        &mut self,
        task_id: TaskId,
        framework_id: FrameworkId,
        uuid: Uuid,
    ) -> Future<bool> {
        tracing::info!(
            "Received task status update acknowledgement (UUID: {}) for task {} of framework {}",
            uuid,
            task_id.value,
            framework_id.value
        );
        let paused = self.paused;
        // Before recovery completes, or after the stream was cleaned up.
        let Some(stream) = self.stream(&task_id, &framework_id) else {
            return Future::failed(format!(
                "Cannot find the task status update stream for task {} of framework {}",
                task_id.value, framework_id.value
            ));
        };
        let update = match stream.next() {
            Ok(Some(update)) => update.clone(),
            // Both a retried update and its original were acknowledged.
            Ok(None) => {
                return Future::failed(format!(
                    "Unexpected task status update acknowledgment (UUID: {}) for task {} of \
                     framework {}",
                    uuid, task_id.value, framework_id.value
                ))
            }
            Err(error) => return Future::failed(error.to_string()),
        };
        match stream.acknowledgement(uuid, &update) {
            Err(error) => return Future::failed(error.to_string()),
            Ok(false) => return Future::failed("Duplicate task status acknowledgement"),
            Ok(true) => {}
        }
        stream.timeout = None;
        let next = match stream.next() {
            Ok(next) => next.cloned(),
            Err(error) => return Future::failed(error.to_string()),
        };
        let terminated = stream.terminated;
        if terminated {
            if next.is_some() {
                tracing::warn!(
                    "Acknowledged a terminal task status update {} but updates are still pending",
                    stream::describe(&update)
                );
            }
            self.cleanup_stream(&task_id, &framework_id);
        } else if let (false, Some(next)) = (paused, next) {
            let timeout = self.forward(&next, STATUS_UPDATE_RETRY_INTERVAL_MIN);
            if let Some(stream) = self.stream(&task_id, &framework_id) {
                stream.timeout = Some(timeout);
            }
        }
        Future::ready(!terminated)
    }

    /// Resends each head whose time has come, backing off.
    fn timeout(&mut self, duration: Duration) {
        if self.paused {
            return;
        }
        let now = Clock::now();
        let due: Vec<(FrameworkId, TaskId, StatusUpdate)> = self
            .streams
            .iter()
            .flat_map(|(framework_id, streams)| {
                streams.iter().filter_map(move |(task_id, stream)| {
                    let head = stream.pending.front()?;
                    let expired = stream.timeout.is_some_and(|deadline| deadline <= now);
                    expired.then(|| (framework_id.clone(), task_id.clone(), head.clone()))
                })
            })
            .collect();
        for (framework_id, task_id, update) in due {
            tracing::warn!("Resending task status update {}", stream::describe(&update));
            let backoff = std::cmp::min(duration * 2, STATUS_UPDATE_RETRY_INTERVAL_MAX);
            let timeout = self.forward(&update, backoff);
            if let Some(stream) = self.stream(&task_id, &framework_id) {
                stream.timeout = Some(timeout);
            }
        }
    }

    fn recover(&mut self, state: Option<SlaveState>) -> Future<()> {
        tracing::info!("Recovering task status update manager");
        let Some(state) = state else {
            return Future::ready(());
        };
        let Some(slave_id) = &state.id else {
            return Future::ready(());
        };
        for framework in state.frameworks.values() {
            let Some(framework_id) = &framework.id else {
                continue;
            };
            for executor in framework.executors.values() {
                let Some(executor_id) = &executor.id else {
                    continue;
                };
                if executor.info.is_none() {
                    tracing::warn!(
                        "Skipping recovering task status updates of executor '{}' of \
                         framework {} because its info cannot be recovered",
                        executor_id.value,
                        framework_id.value
                    );
                    continue;
                }
                let Some(latest) = &executor.latest else {
                    tracing::warn!(
                        "Skipping recovering task status updates of executor '{}' of \
                         framework {} because its latest run cannot be recovered",
                        executor_id.value,
                        framework_id.value
                    );
                    continue;
                };
                // Only the latest run matters.
                if executor
                    .runs
                    .get(&latest.value)
                    .is_none_or(|run| run.completed)
                {
                    continue;
                }
                let run = (slave_id, framework_id, executor_id, latest);
                if let Err(error) = self.recover_run(run) {
                    return Future::failed(error);
                }
            }
        }
        Future::ready(())
    }

    /// Replays the streams of one run's tasks.
    fn recover_run(
        &mut self,
        (slave_id, framework_id, executor_id, container_id): (
            &SlaveId,
            &FrameworkId,
            &ExecutorId,
            &ContainerId,
        ),
    ) -> Result<(), String> {
        let tasks = paths::get_task_paths(
            &self.meta_dir,
            slave_id,
            framework_id,
            executor_id,
            container_id,
        )
        .map_err(|e| e.to_string())?;
        for task in tasks {
            let task_id = TaskId {
                value: stout::path::basename(&task).to_string(),
            };
            let path = paths::get_task_updates_path(
                &self.meta_dir,
                slave_id,
                framework_id,
                executor_id,
                container_id,
                &task_id,
            );
            let (updates, acks) = if stout::os::exists(&path) {
                read_task_updates(&path).map_err(|e| e.to_string())?
            } else {
                Default::default()
            };
            // The executor never got the task, or the agent died before
            // any update arrived.
            if updates.is_empty() {
                tracing::warn!(
                    "No status updates found for task {} of framework {}",
                    task_id.value,
                    framework_id.value
                );
                continue;
            }
            let mut stream =
                TaskStatusUpdateStream::new(task_id.clone(), framework_id.clone(), Some(path));
            stream.replay(&updates, &acks).map_err(|e| {
                format!(
                    "Failed to replay status updates for task {} of framework {}: {}",
                    task_id.value, framework_id.value, e
                )
            })?;
            // A terminated stream is done; the others wait for `resume`.
            if !stream.terminated {
                self.streams
                    .entry(framework_id.clone())
                    .or_default()
                    .insert(task_id, stream);
            }
        }
        Ok(())
    }

    fn cleanup(&mut self, framework_id: &FrameworkId) {
        tracing::info!(
            "Closing task status update streams for framework {}",
            framework_id.value
        );
        self.streams.remove(framework_id);
    }

    fn stream(
        &mut self,
        task_id: &TaskId,
        framework_id: &FrameworkId,
    ) -> Option<&mut TaskStatusUpdateStream> {
        self.streams.get_mut(framework_id)?.get_mut(task_id)
    }

    fn cleanup_stream(&mut self, task_id: &TaskId, framework_id: &FrameworkId) {
        tracing::debug!(
            "Cleaning up status update stream for task {} of framework {}",
            task_id.value,
            framework_id.value
        );
        if let Some(streams) = self.streams.get_mut(framework_id) {
            streams.remove(task_id);
            if streams.is_empty() {
                self.streams.remove(framework_id);
            }
        }
    }
}
