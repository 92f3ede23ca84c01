//! The command executor's process: routes the library's callbacks, the
//! timers and the task's exit into the state machine, and carries out
//! what it asks for (calls, fork, signals).

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

use libprocess::subprocess::{self, ChildHook, Subprocess};
use libprocess::{delay, dispatch, Clock, Future, Handlers, Process, Promise, SelfPid, Timer, PID};

use super::state::{Action, CommandExecutor, Settings, TimerKind};
use super::Exit;
use crate::v1::executor::{Callbacks, Config, ContentType, Event, Mesos};
use crate::v1::CommandInfo;

/// Hands the library's callbacks to the executor's process.
struct Forward(PID<CommandExecutorProcess>);

impl Callbacks for Forward {
    fn connected(&mut self) {
        dispatch(&self.0, CommandExecutorProcess::connected);
    }

    fn disconnected(&mut self) {
        dispatch(&self.0, CommandExecutorProcess::disconnected);
    }

    fn received(&mut self, events: VecDeque<Event>) {
        dispatch(&self.0, move |p: &mut CommandExecutorProcess| {
            p.received(events)
        });
    }
}

/// Mesos' `CommandExecutor` process.
pub(crate) struct CommandExecutorProcess {
    executor: CommandExecutor,
    content_type: ContentType,
    config: Config,
    mesos: Option<Mesos>,
    timers: HashMap<TimerKind, Timer>,
    task: Option<Subprocess>,
    exit: Promise<Exit>,
}

impl std::fmt::Debug for CommandExecutorProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandExecutorProcess")
            .field("task", &self.task.as_ref().map(Subprocess::pid))
            .finish()
    }
}

impl Process for CommandExecutorProcess {
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed("command-executor")
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        // Created here, so that callbacks only come once this process runs.
        self.mesos = Some(Mesos::new(
            self.content_type,
            self.config.clone(),
            Forward(self.self_pid()),
        ));
    }

    fn finalize(&mut self) {
        for timer in self.timers.values() {
            Clock::cancel(timer);
        }
        // Terminated from outside: the executor is done all the same.
        self.exit.set(Exit::Success);
    }
}

impl CommandExecutorProcess {
    pub(crate) fn new(
        settings: Settings,
        content_type: ContentType,
        config: Config,
    ) -> (CommandExecutorProcess, Future<Exit>) {
        let exit = Promise::new();
        let future = exit.future();
        let process = CommandExecutorProcess {
            executor: CommandExecutor::new(settings),
            content_type,
            config,
            mesos: None,
            timers: HashMap::new(),
            task: None,
            exit,
        };
        (process, future)
    }

    fn connected(&mut self) {
        let actions = self.executor.connected();
        self.apply(actions);
    }

    fn disconnected(&mut self) {
        self.executor.disconnected();
    }

    fn received(&mut self, events: VecDeque<Event>) {
        for event in events {
            let actions = self.executor.received(event, Clock::now());
            self.apply(actions);
        }
    }

    fn timer(&mut self, kind: TimerKind) {
        self.timers.remove(&kind);
        let actions = match kind {
            TimerKind::Registration => self.executor.registration_timer(),
            TimerKind::Escalation => self.executor.escalated(),
            TimerKind::Completion => self.executor.completion_timeout(Clock::now()),
            TimerKind::SelfTerminate => self.executor.self_terminate(),
        };
        self.apply(actions);
    }

    fn reaped(&mut self, status: Future<Option<i32>>) {
        let status = match (status.value(), status.failure()) {
            (Some(status), _) => Ok(*status),
            (None, failure) => Err(failure.unwrap_or("future discarded").to_string()),
        };
        let actions = self.executor.reaped(status, Clock::now());
        self.apply(actions);
    }

    fn apply(&mut self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Send(call) => {
                    if let Some(mesos) = &self.mesos {
                        mesos.send(*call);
                    }
                }
                Action::Launch {
                    command,
                    environment,
                } => self.launch(command, environment),
                Action::KillTree(signal) => self.kill_tree(signal),
                Action::Schedule(kind, duration) => {
                    let timer = delay(duration, &self.self_pid(), move |p: &mut Self| {
                        p.timer(kind)
                    });
                    // Registration retries are never cancelled, so not kept.
                    if kind != TimerKind::Registration {
                        if let Some(old) = self.timers.insert(kind, timer) {
                            Clock::cancel(&old);
                        }
                    }
                }
                Action::Cancel(kind) => {
                    if let Some(timer) = self.timers.remove(&kind) {
                        Clock::cancel(&timer);
                    }
                }
                Action::Terminate => return self.stop(Exit::Success),
                Action::Exit(message) => return self.stop(Exit::Failure(message)),
            }
        }
    }

    fn stop(&mut self, exit: Exit) {
        if let Exit::Failure(message) = &exit {
            tracing::error!("{}", message);
        }
        self.exit.set(exit);
        self.mesos = None;
        libprocess::terminate(self.self_pid(), false);
    }

    /// Forks the task's command in a session of its own (so that it and
    /// its children can be signalled as a group).
    fn launch(
        &mut self,
        command: CommandInfo,
        environment: std::collections::BTreeMap<String, String>,
    ) {
        let value = command.value.clone().unwrap_or_default();
        let launcher = if command.shell() {
            subprocess::shell(value)
        } else {
            let mut argv = command.arguments.clone();
            if argv.is_empty() {
                argv.push(value.clone());
            }
            subprocess::subprocess(value, argv)
        };
        let launched = launcher
            .environment(environment)
            .child_hook(ChildHook::setsid())
            .launch();
        let actions = match launched {
            Ok(task) => {
                let pid = task.pid();
                task.status().on_any(libprocess::defer(
                    &self.self_pid(),
                    |p: &mut Self, status: Future<Option<i32>>| p.reaped(status),
                ));
                self.task = Some(task);
                self.executor.launched(pid, Clock::now())
            }
            Err(error) => self
                .executor
                .launch_failed(&error.to_string(), Clock::now()),
        };
        self.apply(actions);
    }

    fn kill_tree(&mut self, signal: i32) {
        let Some(pid) = self.task.as_ref().map(Subprocess::pid) else {
            return;
        };
        match stout::os::killtree(pid, signal, true, true) {
            Ok(trees) => {
                tracing::info!("Sent signal {} to {} process tree(s)", signal, trees.len())
            }
            Err(e) => {
                tracing::error!(
                    "Failed to kill the process tree rooted at pid {}: {}",
                    pid,
                    e
                );
                // It may not have had the signal: send it to the root at least.
                if let Ok(signal) = nix::sys::signal::Signal::try_from(signal) {
                    let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal);
                }
            }
        }
    }
}
