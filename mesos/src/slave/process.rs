//! The agent as a libprocess process: the messages and routes it serves,
//! each handed to the `Slave` method that handles it.

use std::borrow::Cow;

use libprocess::{Handlers, Process, RouteOptions, SelfPid, PID, UPID};

use crate::common::messages::install;
use crate::internal::{
    ExecutorToFrameworkMessage, FrameworkToExecutorMessage, KillTaskMessage, PingSlaveMessage,
    RegisterExecutorMessage, RunTaskMessage, ShutdownExecutorMessage, ShutdownFrameworkMessage,
    ShutdownMessage, SlaveRegisteredMessage, SlaveReregisteredMessage,
    StatusUpdateAcknowledgementMessage, StatusUpdateMessage, UpdateFrameworkMessage,
};
use crate::slave::slave::Slave;

impl Process for Slave {
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed("slave")
    }

    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        let pid = self.self_pid();
        self.start_time = libprocess::Clock::now();
        self.published_metrics = crate::slave::metrics::Published::new(&pid);
        let address = pid.upid().address();
        self.info.port = Some(i32::from(address.port()));
        self.info.hostname = match (&self.flags.hostname, self.flags.hostname_lookup) {
            (Some(hostname), _) => hostname.clone(),
            (None, true) => stout::os::hostname().unwrap_or_else(|_| address.ip().to_string()),
            (None, false) => address.ip().to_string(),
        };
        tracing::info!("Agent hostname: {}", self.info.hostname);

        // The manager sends updates through the agent.
        let forward_to = pid.clone();
        self.status_updates.initialize(Box::new(move |update| {
            libprocess::dispatch(&forward_to, move |slave: &mut Slave| slave.forward(update));
        }));

        install(
            handlers,
            |s: &mut Slave, from, m: SlaveRegisteredMessage| s.registered(from, m),
        );
        install(
            handlers,
            |s: &mut Slave, from, m: SlaveReregisteredMessage| s.reregistered(from, m),
        );
        install(handlers, |s: &mut Slave, from, m: RunTaskMessage| {
            s.run_task(from, m)
        });
        install(handlers, |s: &mut Slave, from, m: KillTaskMessage| {
            s.kill_task(from, m)
        });
        install(
            handlers,
            |s: &mut Slave, from, m: ShutdownExecutorMessage| s.shutdown_executor(from, m),
        );
        install(
            handlers,
            |s: &mut Slave, from, m: ShutdownFrameworkMessage| s.shutdown_framework(from, m),
        );
        install(
            handlers,
            |s: &mut Slave, _, m: FrameworkToExecutorMessage| s.scheduler_message(m),
        );
        install(handlers, |s: &mut Slave, _, m: UpdateFrameworkMessage| {
            s.update_framework(m)
        });
        install(
            handlers,
            |s: &mut Slave, from, m: StatusUpdateAcknowledgementMessage| {
                s.status_update_acknowledgement(from, m)
            },
        );
        install(
            handlers,
            |s: &mut Slave, from, m: RegisterExecutorMessage| s.register_executor(from, m),
        );
        install(handlers, |s: &mut Slave, _, m: StatusUpdateMessage| {
            s.status_update_message(m)
        });
        install(
            handlers,
            |s: &mut Slave, _, m: ExecutorToFrameworkMessage| s.executor_message(m),
        );
        install(handlers, |s: &mut Slave, from, m: ShutdownMessage| {
            s.shutdown(from, m)
        });
        install(handlers, |s: &mut Slave, from, m: PingSlaveMessage| {
            s.ping(from, m)
        });

        handlers.route_with(
            "/api/v1/executor",
            RouteOptions::help(crate::slave::http::executor::HELP),
            |s: &mut Slave, request| s.executor_api(request),
        );
        crate::slave::http::install(self, handlers);

        self.recover();
    }

    fn finalize(&mut self) {
        self.published_metrics.remove();
    }

    fn exited(&mut self, pid: &UPID) {
        self.master_exited(pid);
    }
}

/// Spawns `slave` as a process (`slave(N)`) and returns its pid.
pub fn spawn(slave: Slave) -> PID<Slave> {
    libprocess::spawn(slave)
}
