//! Destroying a container (Mesos' `destroy` and its continuations): the
//! launcher kills every process, the init process' status is collected,
//! the isolators clean up, and `wait`/`destroy` complete with the
//! termination. Also what starts a destroy: the init process exiting, or an
//! isolator's limitation.

use libprocess::{await_all, dispatch, Future, SelfPid};

use super::containerizer::{runtime_path, MesosContainerizerProcess, State};
use crate::slave::{ContainerLimitation, ContainerTermination};
use crate::{ContainerId, TaskState};

impl MesosContainerizerProcess {
    pub(super) fn reaped(&mut self, container_id: ContainerId) {
        if !self.containers.contains_key(&container_id) {
            return;
        }
        tracing::info!("Container {} has exited", container_id.value);
        drop(self.destroy(container_id, None));
    }

    pub(super) fn limited(
        &mut self,
        container_id: ContainerId,
        limitation: Future<ContainerLimitation>,
    ) {
        match self.containers.get(&container_id) {
            Some(container) if container.state != State::Destroying => {}
            _ => return,
        }
        let termination = match limitation.value() {
            Some(limitation) => {
                tracing::info!(
                    "Container {} has reached its limit and will be terminated",
                    container_id.value
                );
                Some(ContainerTermination {
                    state: Some(TaskState::TaskFailed as i32),
                    message: limitation.message.clone(),
                    reason: limitation.reason,
                    limited_resources: limitation.resources.clone(),
                    ..ContainerTermination::default()
                })
            }
            None => {
                tracing::error!(
                    "Error in a resource limitation for container {}: {}",
                    container_id.value,
                    limitation.failure().unwrap_or("discarded")
                );
                None
            }
        };
        drop(self.destroy(container_id, termination));
    }

    /// Mesos' `MesosContainerizerProcess::destroy`.
    pub fn destroy(
        &mut self,
        container_id: ContainerId,
        termination: Option<ContainerTermination>,
    ) -> Future<Option<ContainerTermination>> {
        let me = self.self_pid();
        let Some(container) = self.containers.get_mut(&container_id) else {
            tracing::warn!(
                "Attempted to destroy unknown container {}",
                container_id.value
            );
            return Future::ready(None);
        };
        let result = container.termination.future().map(Some);
        if container.state == State::Destroying {
            return result;
        }
        tracing::info!(
            "Destroying container {} in {:?} state",
            container_id.value,
            container.state
        );
        let previous = container.state;
        container.state = State::Destroying;
        match previous {
            // Nothing was forked; the isolators finish preparing before
            // they clean up.
            State::Preparing => {
                container.preparing.on_any(move |_| {
                    dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                        p.cleanup_isolators(container_id, termination)
                    })
                });
            }
            State::Isolating => {
                container.isolation.on_any(move |_| {
                    dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                        p.kill_all(container_id, termination)
                    })
                });
            }
            State::Running | State::Destroying => self.kill_all(container_id, termination),
        }
        result
    }

    /// Kills every process of the container, then waits for the init
    /// process' status.
    pub(super) fn kill_all(
        &mut self,
        container_id: ContainerId,
        termination: Option<ContainerTermination>,
    ) {
        let me = self.self_pid();
        self.launcher.destroy(&container_id).on_any(move |killed| {
            dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                p.killed(container_id, termination, killed)
            })
        });
    }

    fn killed(
        &mut self,
        container_id: ContainerId,
        termination: Option<ContainerTermination>,
        killed: Future<()>,
    ) {
        let Some(container) = self.containers.get(&container_id) else {
            return;
        };
        if !killed.is_ready() {
            // Isolators may need every process gone to clean up: leave
            // them, and tell the agent.
            self.destroy_errors.increment();
            container.termination.fail(format!(
                "Failed to kill all processes in the container: {}",
                killed.failure().unwrap_or("discarded future")
            ));
            return;
        }
        let status = container.status.clone().unwrap_or(Future::ready(None));
        let me = self.self_pid();
        status.on_any(move |_| {
            dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                p.cleanup_isolators(container_id, termination)
            })
        });
    }

    /// Cleans the isolators up in reverse order, as Mesos does, each after
    /// the previous one finished.
    pub(super) fn cleanup_isolators(
        &mut self,
        container_id: ContainerId,
        termination: Option<ContainerTermination>,
    ) {
        let cleanups: Vec<Future<()>> = self
            .isolators
            .iter()
            .rev()
            .map(|isolator| isolator.cleanup(&container_id))
            .collect();
        let me = self.self_pid();
        await_all(cleanups).on_any(move |cleanups| {
            dispatch(&me, move |p: &mut MesosContainerizerProcess| {
                p.destroyed(container_id, termination, cleanups)
            })
        });
    }

    fn destroyed(
        &mut self,
        container_id: ContainerId,
        termination: Option<ContainerTermination>,
        cleanups: Future<Vec<Future<()>>>,
    ) {
        let errors: Vec<String> = cleanups
            .value()
            .into_iter()
            .flatten()
            .filter(|cleanup| !cleanup.is_ready())
            .map(|cleanup| cleanup.failure().unwrap_or("discarded").to_string())
            .collect();
        let Some(container) = self.containers.get(&container_id) else {
            return;
        };
        if !errors.is_empty() {
            self.destroy_errors.increment();
            container.termination.fail(format!(
                "Failed to clean up an isolator when destroying container: {}",
                errors.join("; ")
            ));
            return;
        }
        let mut termination = termination.unwrap_or_default();
        if let Some(Some(status)) = container.status.as_ref().and_then(|s| s.value()) {
            termination.status = Some(*status);
        }
        let runtime = runtime_path(&self.options.runtime_dir, &container_id);
        if stout::os::exists(&runtime) {
            if let Err(error) = stout::os::rmdir(&runtime, true, true) {
                tracing::warn!(
                    "Failed to remove the runtime directory for container {}: {}",
                    container_id.value,
                    error
                );
            }
        }
        if let Some(container) = self.containers.remove(&container_id) {
            container.termination.set(termination);
        }
    }
}
