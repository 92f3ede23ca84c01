//! Frameworks coming and going: SUBSCRIBE (new, resubscribing, failing
//! over), link breaks and the failover timeout, deactivation, removal
//! and TEARDOWN (Mesos' `_subscribe`, `failoverFramework`, `_exited`,
//! `removeFramework`, ...).

use std::collections::HashSet;

use libprocess::{link, send_protobuf, Clock, SelfPid, Time, UPID};
use stout::{Duration, Error, Try};

use super::framework::{Connection, Framework, FrameworkState};
use super::Master;
use crate::common::protobuf_utils::framework::get_roles;
use crate::common::protobuf_utils::{create_status_update, StatusUpdateOptions};
use crate::internal::{
    FrameworkErrorMessage, FrameworkRegisteredMessage, FrameworkReregisteredMessage,
    ShutdownFrameworkMessage, UpdateFrameworkMessage,
};
use crate::scheduler::call::{self, Subscribe};
use crate::task_status::{Reason, Source};
use crate::{FrameworkId, FrameworkInfo, TaskState};

/// Tells a scheduler its subscription is refused; an HTTP scheduler's
/// stream ends with it.
fn refuse(connection: &Connection, message: &str) {
    connection.send(&FrameworkErrorMessage {
        message: message.to_string(),
    });
    if let Connection::Http(http) = connection {
        http.close();
    }
}

/// The largest failover timeout `Duration` holds, in seconds.
const MAX_FAILOVER_TIMEOUT_SECS: f64 = (i64::MAX / 1_000_000_000) as f64;

fn failover_timeout(info: &FrameworkInfo) -> Option<Duration> {
    let seconds = info.failover_timeout();
    (seconds.is_finite() && seconds.abs() <= MAX_FAILOVER_TIMEOUT_SECS)
        .then(|| Duration::from_nanos((seconds * 1e9) as i64))
}

impl Master {
    /// Mesos' `validateFramework`: what the master refuses a
    /// subscription for.
    fn validate_framework(&self, info: &FrameworkInfo, suppressed: &[String]) -> Try<()> {
        if let Some(id) = &info.id {
            crate::common::validation::validate_framework_id(id)?;
        }
        let roles = get_roles(info);
        for role in &roles {
            crate::common::roles::validate(role)?;
        }
        if let Some(whitelist) = &self.flags.roles {
            let allowed: HashSet<&str> = whitelist.split(',').collect();
            let invalid: Vec<&String> = roles
                .iter()
                .filter(|role| role.as_str() != "*" && !allowed.contains(role.as_str()))
                .collect();
            if !invalid.is_empty() {
                let names: Vec<&str> = invalid.iter().map(|r| r.as_str()).collect();
                return Err(Error::new(format!(
                    "Roles {{ {} }} are not present in the master's --roles",
                    names.join(", ")
                )));
            }
        }
        for role in suppressed {
            if !roles.contains(role) {
                return Err(Error::new(format!(
                    "Suppressed role '{}' is not contained in the list of roles",
                    role
                )));
            }
        }
        if info.user == "root" && !self.flags.root_submissions {
            return Err(Error::new(
                "User 'root' is not allowed to run frameworks without --root_submissions set",
            ));
        }
        if let Some(id) = &info.id {
            if self.completed_frameworks.iter().any(|f| &f.id == id) {
                return Err(Error::new("Framework has been removed"));
            }
        }
        if failover_timeout(info).is_none() {
            return Err(Error::new(format!(
                "The framework failover_timeout ({}) is invalid",
                info.failover_timeout()
            )));
        }
        Ok(())
    }

    /// SUBSCRIBE from a scheduler on `connection`: a driver at its pid,
    /// or an HTTP scheduler on the stream its call opened. Both take the
    /// same path (Mesos' two `subscribe`/`_subscribe` pairs); what only a
    /// pid can be checked for is checked for pids.
    pub(super) fn subscribe(&mut self, connection: Connection, subscribe: Subscribe) {
        let info = subscribe.framework_info;
        let new = info.id.as_ref().is_none_or(|id| id.value.is_empty());
        if new {
            self.metrics.messages_register_framework.increment();
        } else {
            self.metrics.messages_reregister_framework.increment();
        }
        if let Err(error) = self.validate_framework(&info, &subscribe.suppressed_roles) {
            tracing::info!(
                "Refusing subscription of framework '{}' at {}: {}",
                info.name,
                connection,
                error
            );
            refuse(&connection, &error.to_string());
            return;
        }
        tracing::info!(
            "Received SUBSCRIBE call for framework '{}' at {}",
            info.name,
            connection
        );
        let suppressed: HashSet<String> = subscribe.suppressed_roles.into_iter().collect();
        let force = subscribe.force.unwrap_or(false);
        if new {
            self.subscribe_new(connection, info, suppressed);
        } else {
            self.resubscribe(connection, info, force, suppressed);
        }
    }

    fn subscribe_new(
        &mut self,
        connection: Connection,
        mut info: FrameworkInfo,
        suppressed: HashSet<String>,
    ) {
        if let Connection::Pid(from) = &connection {
            // A driver retrying its SUBSCRIBE.
            if let Some(framework) = self.frameworks.values().find(|f| f.pid() == Some(from)) {
                tracing::info!(
                    "Framework {} already subscribed, resending acknowledgement",
                    framework.id.value
                );
                framework.send(&FrameworkRegisteredMessage {
                    framework_id: framework.id.clone(),
                    master_info: self.info.clone(),
                });
                return;
            }
        }
        let id = self.new_framework_id();
        info.id = Some(id.clone());
        let framework = Framework::new(
            info,
            Some(connection),
            Clock::now(),
            self.flags.max_completed_tasks_per_framework,
            self.flags.publish_per_framework_metrics,
        );
        tracing::info!(
            "Subscribing framework {} ({}) with checkpointing {}",
            id.value,
            framework.info.name,
            if framework.info.checkpoint() {
                "enabled"
            } else {
                "disabled"
            }
        );
        self.add_framework(framework, suppressed);
        if let Some(framework) = self.frameworks.get(&id) {
            // Mesos counts the SUBSCRIBE calls of HTTP schedulers only.
            if framework.http().is_some() {
                framework.metrics.increment_call(call::Type::Subscribe);
            }
            framework.send(&FrameworkRegisteredMessage {
                framework_id: id.clone(),
                master_info: self.info.clone(),
            });
        }
        self.start_heartbeats(&id);
    }

    fn add_framework(&mut self, framework: Framework, suppressed: HashSet<String>) {
        if let Some(connection) = &framework.connection {
            self.watch(&framework.id, connection);
        }
        self.allocator.add_framework(
            &framework.id,
            &framework.info,
            framework.used_resources.clone(),
            framework.active(),
            suppressed,
        );
        self.frameworks.insert(framework.id.clone(), framework);
    }

    /// Learns when the scheduler goes away: a driver's link breaking, an
    /// HTTP scheduler closing its stream.
    fn watch(&self, framework_id: &FrameworkId, connection: &Connection) {
        match connection {
            Connection::Pid(pid) => {
                link(pid);
            }
            Connection::Http(http) => {
                http.closed().on_any(libprocess::defer!(
                    self.self_pid(),
                    Master::http_exited,
                    framework_id.clone(),
                    http.stream_id
                ));
            }
        }
    }

    fn resubscribe(
        &mut self,
        connection: Connection,
        info: FrameworkInfo,
        force: bool,
        suppressed: HashSet<String>,
    ) {
        let id = info.id.clone().unwrap_or_default();
        if let Connection::Pid(from) = &connection {
            if let Some(other) = self
                .frameworks
                .values()
                .find(|f| f.pid() == Some(from) && f.id != id)
            {
                tracing::error!(
                    "Dropping SUBSCRIBE call for framework '{}': {} already connected at {}",
                    info.name,
                    other.id.value,
                    from
                );
                return;
            }
        }
        if !self.frameworks.contains_key(&id) {
            self.recover_framework(info.clone());
        }
        let Some(framework) = self.frameworks.get_mut(&id) else {
            return;
        };
        // A driver at another pid must force the failover; an HTTP
        // scheduler always fails the old connection over.
        let same_driver = match &connection {
            Connection::Pid(from) => {
                if !framework.recovered() && framework.pid() != Some(from) && !force {
                    tracing::error!(
                        "Disallowing subscription attempt of framework {} because it is not \
                         expected from {}",
                        id.value,
                        from
                    );
                    send_protobuf(
                        from,
                        &FrameworkErrorMessage {
                            message: "Framework failed over".to_string(),
                        },
                    );
                    return;
                }
                !force
            }
            Connection::Http(_) => false,
        };
        framework.update_info(info);
        if matches!(connection, Connection::Http(_)) {
            framework.metrics.increment_call(call::Type::Subscribe);
        }
        if let Some(timer) = framework.failover_timer.take() {
            Clock::cancel(&timer);
        }
        self.allocator
            .update_framework(&id, &framework.info, suppressed);
        let recovered = framework.recovered();
        framework.reregistered_time = Clock::now();
        if recovered || same_driver {
            if !recovered {
                tracing::info!(
                    "Allowing framework {} to subscribe with an already used id",
                    id.value
                );
                let offers: Vec<_> = framework.offers.iter().cloned().collect();
                for offer_id in offers {
                    self.rescind_offer(&offer_id);
                }
            }
            self.watch(&id, &connection);
            let Some(framework) = self.frameworks.get_mut(&id) else {
                return;
            };
            framework.update_connection(connection);
            let activate = !framework.active();
            framework.set_state(FrameworkState::Active);
            if activate {
                self.allocator.activate_framework(&id);
            }
            if let Some(framework) = self.frameworks.get(&id) {
                framework.send(&FrameworkReregisteredMessage {
                    framework_id: id.clone(),
                    master_info: self.info.clone(),
                });
            }
            self.start_heartbeats(&id);
        } else {
            tracing::info!("Framework {} failed over", id.value);
            self.failover_framework(&id, connection);
        }
        self.send_framework_updates(&id);
    }

    /// A new scheduler takes the framework over: the old one hears it
    /// failed over (its stream, if any, is closed), outstanding offers go
    /// back, and the new one gets `FrameworkRegisteredMessage` (as Mesos
    /// sends on failover).
    fn failover_framework(&mut self, framework_id: &FrameworkId, connection: Connection) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            return;
        };
        if framework.connection.as_ref() != Some(&connection) && framework.connected() {
            framework.send(&FrameworkErrorMessage {
                message: "Framework failed over".to_string(),
            });
        }
        self.watch(framework_id, &connection);
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return;
        };
        framework.update_connection(connection);
        let offers: Vec<_> = framework.offers.iter().cloned().collect();
        for offer_id in offers {
            self.discard_offer(&offer_id);
        }
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return;
        };
        let activate = !framework.active();
        framework.set_state(FrameworkState::Active);
        if activate {
            self.allocator.activate_framework(framework_id);
        }
        if let Some(framework) = self.frameworks.get(framework_id) {
            framework.send(&FrameworkRegisteredMessage {
                framework_id: framework_id.clone(),
                master_info: self.info.clone(),
            });
        }
        self.start_heartbeats(framework_id);
    }

    /// Tells every agent the framework's current pid and info.
    fn send_framework_updates(&self, framework_id: &FrameworkId) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            return;
        };
        let message = UpdateFrameworkMessage {
            framework_id: framework_id.clone(),
            // An HTTP framework's is the empty pid, as Mesos sends it.
            pid: Some(
                framework
                    .pid()
                    .cloned()
                    .unwrap_or_else(UPID::empty)
                    .to_string(),
            ),
            framework_info: Some(framework.info.clone()),
        };
        for slave in self.slaves.registered.values() {
            send_protobuf(&slave.pid, &message);
        }
    }

    /// A framework known only from an agent's reregistration.
    pub(super) fn recover_framework(&mut self, info: FrameworkInfo) {
        let framework = Framework::new(
            info,
            None,
            Clock::now(),
            self.flags.max_completed_tasks_per_framework,
            self.flags.publish_per_framework_metrics,
        );
        tracing::info!("Recovering framework {}", framework.id.value);
        self.add_framework(framework, HashSet::new());
    }

    /// The framework receives no offers; its offers are rescinded (or
    /// only discarded, when the framework is going away anyway).
    pub(super) fn deactivate(&mut self, framework_id: &FrameworkId, rescind: bool) {
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return;
        };
        tracing::info!("Deactivating framework {}", framework_id.value);
        framework.set_state(FrameworkState::Inactive);
        let offers: Vec<_> = framework.offers.iter().cloned().collect();
        self.allocator.deactivate_framework(framework_id);
        for offer_id in offers {
            if rescind {
                self.rescind_offer(&offer_id);
            } else {
                self.discard_offer(&offer_id);
            }
        }
    }

    /// The scheduler's link broke: it hears so (should the link come
    /// back), and the framework is disconnected (Mesos' `exited(pid)`).
    pub(super) fn framework_exited(&mut self, framework_id: &FrameworkId) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            return;
        };
        framework.send(&FrameworkErrorMessage {
            message: "Framework disconnected".to_string(),
        });
        self.disconnect_framework(framework_id);
    }

    /// The framework's scheduler is gone: disconnected, with its
    /// `failover_timeout` to come back (Mesos' `_exited`).
    pub(super) fn disconnect_framework(&mut self, framework_id: &FrameworkId) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            return;
        };
        tracing::info!("Framework {} disconnected", framework_id.value);
        if framework.connected() {
            if framework.active() {
                self.deactivate(framework_id, true);
            }
            if let Some(framework) = self.frameworks.get_mut(framework_id) {
                tracing::info!("Disconnecting framework {}", framework_id.value);
                framework.disconnect();
            }
        }
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return;
        };
        let timeout = failover_timeout(&framework.info).unwrap_or_default();
        tracing::info!(
            "Giving framework {} {} to failover",
            framework_id.value,
            timeout
        );
        let reregistered_time = framework.reregistered_time;
        let id = framework_id.clone();
        let pid = self.self_pid();
        let Some(framework) = self.frameworks.get_mut(framework_id) else {
            return;
        };
        framework.failover_timer = Some(libprocess::delay(
            timeout,
            &pid,
            move |master: &mut Master| master.framework_failover_timeout(id, reregistered_time),
        ));
    }

    fn framework_failover_timeout(&mut self, framework_id: FrameworkId, reregistered_time: Time) {
        let Some(framework) = self.frameworks.get(&framework_id) else {
            return;
        };
        if !framework.connected() && framework.reregistered_time == reregistered_time {
            tracing::info!(
                "Framework failover timeout, removing framework {}",
                framework_id.value
            );
            self.remove_framework(&framework_id);
        }
    }

    /// TEARDOWN.
    pub(super) fn teardown(&mut self, framework_id: &FrameworkId) {
        tracing::info!(
            "Processing TEARDOWN call for framework {}",
            framework_id.value
        );
        self.metrics.messages_unregister_framework.increment();
        self.remove_framework(framework_id);
    }

    /// Removes the framework: agents shut it down, its tasks are killed
    /// (TASK_KILLED, REASON_FRAMEWORK_REMOVED), its executors forgotten,
    /// and the allocator drops it.
    pub(super) fn remove_framework(&mut self, framework_id: &FrameworkId) {
        let Some(framework) = self.frameworks.get(framework_id) else {
            return;
        };
        tracing::info!("Removing framework {}", framework_id.value);
        if framework.active() {
            self.deactivate(framework_id, false);
        }
        for slave in self.slaves.registered.values() {
            send_protobuf(
                &slave.pid,
                &ShutdownFrameworkMessage {
                    framework_id: framework_id.clone(),
                },
            );
        }
        let Some(framework) = self.frameworks.get(framework_id) else {
            return;
        };
        let tasks: Vec<_> = framework.tasks.keys().cloned().collect();
        let executors: Vec<_> = framework
            .executors
            .iter()
            .flat_map(|(slave, executors)| executors.keys().map(|e| (slave.clone(), e.clone())))
            .collect();
        let message = format!("Framework {} removed", framework_id.value);
        for task_id in tasks {
            let Some(task) = self
                .frameworks
                .get(framework_id)
                .and_then(|f| f.tasks.get(&task_id))
            else {
                continue;
            };
            let update = create_status_update(
                framework_id,
                Some(task.slave_id.clone()),
                &task_id,
                TaskState::TaskKilled,
                Source::Master,
                None,
                StatusUpdateOptions {
                    message: message.clone(),
                    reason: Some(Reason::FrameworkRemoved),
                    executor_id: task.executor_id.clone(),
                    ..StatusUpdateOptions::default()
                },
            );
            self.update_task(framework_id, &task_id, &update);
            self.remove_task(framework_id, &task_id, false);
        }
        for (slave_id, executor_id) in executors {
            self.remove_executor(&slave_id, framework_id, &executor_id);
        }
        let Some(mut framework) = self.frameworks.remove(framework_id) else {
            return;
        };
        for (task_id, mut task) in std::mem::take(&mut framework.unreachable_tasks) {
            task.set_state(TaskState::TaskKilled);
            tracing::debug!("Completing unreachable task {}", task_id.value);
            framework.add_completed_task(task);
        }
        if let Some(timer) = framework.failover_timer.take() {
            Clock::cancel(&timer);
        }
        framework.disconnect();
        framework.unregistered_time = Clock::now();
        self.allocator.remove_framework(framework_id);
        if self.flags.max_completed_frameworks > 0 {
            while self.completed_frameworks.len() >= self.flags.max_completed_frameworks {
                self.completed_frameworks.pop_front();
            }
            self.completed_frameworks.push_back(framework);
        }
    }
}
