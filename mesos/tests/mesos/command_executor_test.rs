//! Mesos' CommandExecutorTest (src/tests/command_executor_tests.cpp) at
//! the executor's level: the command executor runs real commands and
//! talks to a fake agent's `/api/v1/executor` over HTTP.

use std::collections::BTreeMap;
use std::path::Path;

use libprocess::testing::{await_ready, AWAIT_TIMEOUT};
use libprocess::{Clock, Future, MAX_REAP_INTERVAL};
use mesos::launcher::executor::{self, Exit, Settings};
use mesos::v1::executor::{call, event, Call, Config, Event};
use mesos::v1::{
    framework_info, resource, task_status, AgentId, CommandInfo, DurationInfo, FrameworkInfo,
    KillPolicy, Resource, TaskId, TaskInfo, TaskState, TaskStatus,
};
use stout::Duration;

use crate::fake_agent::{executor_id, framework_id, Agent};

/// A framework with or without the TASK_KILLING_STATE capability.
pub(crate) fn framework(task_killing: bool) -> FrameworkInfo {
    let capabilities = task_killing
        .then_some(framework_info::Capability {
            r#type: Some(framework_info::capability::Type::TaskKillingState as i32),
        })
        .into_iter()
        .collect();
    FrameworkInfo {
        user: "test".to_string(),
        name: "default".to_string(),
        id: Some(framework_id()),
        capabilities,
        ..FrameworkInfo::default()
    }
}

/// Starts a command executor for `agent`, in this OS process.
pub(crate) fn start(agent: &Agent) -> Future<Exit> {
    let mut environment = BTreeMap::new();
    environment.insert(
        "PATH".to_string(),
        std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".to_string()),
    );
    let settings = Settings {
        framework_id: framework_id(),
        executor_id: executor_id(),
        shutdown_grace_period: Duration::from_secs(5),
        task_command: None,
        task_environment: None,
        environment,
    };
    let config = Config {
        agent: agent.url(),
        // Never kill the test's process group.
        local: true,
        checkpoint: false,
        recovery_timeout: None,
        max_backoff: None,
        shutdown_grace_period: Duration::from_secs(5),
        authentication_token: None,
    };
    executor::spawn(settings, config)
}

/// A task running `command` (a shell command).
pub(crate) fn task(command: &str) -> TaskInfo {
    task_with(CommandInfo {
        value: Some(command.to_string()),
        ..CommandInfo::default()
    })
}

pub(crate) fn task_with(command: CommandInfo) -> TaskInfo {
    TaskInfo {
        name: "task".to_string(),
        task_id: TaskId {
            value: "1".to_string(),
        },
        agent_id: AgentId {
            value: "agent-1".to_string(),
        },
        command: Some(command),
        ..TaskInfo::default()
    }
}

/// The next call, which must be of `kind`.
#[track_caller]
pub(crate) fn await_call(agent: &Agent, kind: call::Type) -> Call {
    let call = await_ready(&agent.next_call());
    assert_eq!(Some(kind as i32), call.r#type, "{:?}", call);
    assert_eq!(framework_id(), call.framework_id);
    assert_eq!(executor_id(), call.executor_id);
    call
}

/// The status of the next call, an UPDATE, with what the command
/// executor sets in every status.
#[track_caller]
pub(crate) fn await_update(agent: &Agent) -> TaskStatus {
    let status = await_call(agent, call::Type::Update)
        .update
        .expect("an UPDATE has an update")
        .status;
    assert_eq!(Some(executor_id()), status.executor_id);
    assert_eq!(Some(task_status::Source::Executor as i32), status.source);
    assert_eq!(16, status.uuid.as_ref().map_or(0, |u| u.len()));
    assert!(status.timestamp.is_some());
    // The agent, not the executor, fills in the agent ID.
    assert_eq!(None, status.agent_id);
    status
}

pub(crate) fn state(status: &TaskStatus) -> TaskState {
    TaskState::try_from(status.state).expect("a known state")
}

pub(crate) fn launch(agent: &Agent, task: TaskInfo) {
    agent.send(Event {
        r#type: Some(event::Type::Launch as i32),
        launch: Some(event::Launch { task }),
        ..Event::default()
    });
}

pub(crate) fn kill(agent: &Agent, grace_period: Option<Duration>) {
    agent.send(Event {
        r#type: Some(event::Type::Kill as i32),
        kill: Some(event::Kill {
            task_id: TaskId {
                value: "1".to_string(),
            },
            kill_policy: grace_period.map(|d| KillPolicy {
                grace_period: Some(DurationInfo {
                    nanoseconds: d.ns(),
                }),
            }),
        }),
        ..Event::default()
    });
}

pub(crate) fn acknowledge(agent: &Agent, status: &TaskStatus) {
    agent.send(Event {
        r#type: Some(event::Type::Acknowledged as i32),
        acknowledged: Some(event::Acknowledged {
            task_id: status.task_id.clone(),
            uuid: status.uuid.clone().unwrap_or_default(),
        }),
        ..Event::default()
    });
}

/// Subscribes, launches `task` and checks TASK_STARTING and TASK_RUNNING,
/// acknowledging both.
pub(crate) fn run(agent: &Agent, task: TaskInfo) {
    let subscribe = await_call(agent, call::Type::Subscribe);
    assert_eq!(
        Some(call::Subscribe::default()),
        subscribe.subscribe,
        "nothing unacknowledged yet"
    );
    launch(agent, task);
    let starting = await_update(agent);
    assert_eq!(TaskState::TaskStarting, state(&starting));
    let running = await_update(agent);
    assert_eq!(TaskState::TaskRunning, state(&running));
    assert_ne!(starting.uuid, running.uuid);
    acknowledge(agent, &starting);
    acknowledge(agent, &running);
}

/// Waits for the next call while the clock is paused: advances it by the
/// reaper's interval between looks, since the task exits in real time.
#[track_caller]
pub(crate) fn await_update_advancing(agent: &Agent) -> TaskStatus {
    let next = agent.next_call();
    let deadline = std::time::Instant::now() + AWAIT_TIMEOUT.to_std().unwrap_or_default();
    while !next.wait_for(Duration::from_millis(20)) {
        assert!(std::time::Instant::now() < deadline, "no call arrived");
        Clock::advance(MAX_REAP_INTERVAL);
        Clock::settle();
    }
    let call = await_ready(&next);
    assert_eq!(Some(call::Type::Update as i32), call.r#type);
    call.update.expect("an update").status
}

/// A FIFO in `dir` for a task to write its pid to (`echo $$ > fifo`):
/// the write waits for [`await_pid_file`] to read it.
pub(crate) fn pid_fifo(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("pid");
    nix::unistd::mkfifo(&path, nix::sys::stat::Mode::S_IRWXU).expect("a FIFO");
    path
}

/// Reads the pid a task writes to the FIFO at `path` (from [`pid_fifo`]).
#[track_caller]
pub(crate) fn await_pid_file(path: &Path) -> i32 {
    let (sender, pid) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    // Opening a FIFO to read blocks until the task opens it to write.
    std::thread::spawn(move || {
        let _ = sender.send(std::fs::read_to_string(path));
    });
    let text = pid
        .recv_timeout(AWAIT_TIMEOUT.to_std().unwrap_or_default())
        .expect("the task never started")
        .expect("the pid FIFO reads");
    text.trim().parse().expect("a pid")
}

/// Whether process `pid` exists and is not a zombie.
pub(crate) fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{}/stat", pid))
        .ok()
        .and_then(|stat| {
            let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
            Some(state != 'Z')
        })
        .unwrap_or(false)
}

#[test]
fn no_task_killing_capability() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start(framework(false));
    let exit = start(&agent);
    run(&agent, task("sleep 1000"));

    kill(&agent, None);
    let killed = await_update(&agent);
    assert_eq!(TaskState::TaskKilled, state(&killed));
    assert_eq!(
        Some("Command terminated with signal Terminated"),
        killed.message.as_deref()
    );
    acknowledge(&agent, &killed);
    assert_eq!(Exit::Success, await_ready(&exit));
}

#[test]
fn task_killing_capability() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start(framework(true));
    let exit = start(&agent);
    run(&agent, task("sleep 1000"));

    kill(&agent, None);
    let killing = await_update(&agent);
    assert_eq!(TaskState::TaskKilling, state(&killing));
    let killed = await_update(&agent);
    assert_eq!(TaskState::TaskKilled, state(&killed));
    acknowledge(&agent, &killing);
    acknowledge(&agent, &killed);
    assert_eq!(Exit::Success, await_ready(&exit));
}

#[test]
fn max_completion_time() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start(framework(true));
    let exit = start(&agent);
    let mut task = task("sleep 1000");
    task.max_completion_time = Some(DurationInfo {
        nanoseconds: Duration::from_secs(2).ns(),
    });
    Clock::pause();
    run(&agent, task);

    Clock::advance(Duration::from_secs(2));
    // No TASK_KILLING when the executor kills on its own.
    let failed = await_update_advancing(&agent);
    assert_eq!(TaskState::TaskFailed, state(&failed));
    assert_eq!(
        Some(task_status::Reason::MaxCompletionTimeReached as i32),
        failed.reason
    );
    acknowledge(&agent, &failed);
    assert_eq!(Exit::Success, await_ready(&exit));
}

#[test]
fn allocation_role_environment_variable() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start(framework(false));
    let exit = start(&agent);
    let mut task = task("if [ \"$MESOS_ALLOCATION_ROLE\" != \"role1\" ]; then exit 1; fi");
    task.resources = vec![Resource {
        name: "cpus".to_string(),
        allocation_info: Some(resource::AllocationInfo {
            role: Some("role1".to_string()),
        }),
        ..Resource::default()
    }];
    run(&agent, task);

    let finished = await_update(&agent);
    assert_eq!(TaskState::TaskFinished, state(&finished));
    acknowledge(&agent, &finished);
    assert_eq!(Exit::Success, await_ready(&exit));
}

#[test]
fn finished() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start(framework(false));
    let exit = start(&agent);
    run(&agent, task("true"));

    let finished = await_update(&agent);
    assert_eq!(TaskState::TaskFinished, state(&finished));
    assert_eq!(
        Some("Command exited with status 0"),
        finished.message.as_deref()
    );
    assert_eq!(None, finished.reason);
    assert!(exit.is_pending(), "waits for the acknowledgement");
    acknowledge(&agent, &finished);
    assert_eq!(Exit::Success, await_ready(&exit));
}

#[test]
fn failed_with_exit_status() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start(framework(false));
    let exit = start(&agent);
    run(&agent, task("exit 3"));

    let failed = await_update(&agent);
    assert_eq!(TaskState::TaskFailed, state(&failed));
    assert_eq!(
        Some("Command exited with status 3"),
        failed.message.as_deref()
    );
    acknowledge(&agent, &failed);
    assert_eq!(Exit::Success, await_ready(&exit));
}

/// `SlaveTest.CommandTaskWithArguments` at this level: a command that is
/// not a shell command runs `value` with `arguments` as its argv.
#[test]
fn command_task_with_arguments() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start(framework(false));
    let exit = start(&agent);
    let command = CommandInfo {
        shell: Some(false),
        value: Some("sh".to_string()),
        arguments: ["sh", "-c", "exit $0", "7"].map(String::from).to_vec(),
        ..CommandInfo::default()
    };
    run(&agent, task_with(command));

    let failed = await_update(&agent);
    assert_eq!(TaskState::TaskFailed, state(&failed));
    assert_eq!(
        Some("Command exited with status 7"),
        failed.message.as_deref()
    );
    acknowledge(&agent, &failed);
    assert_eq!(Exit::Success, await_ready(&exit));
}

/// A task that ignores SIGTERM gets SIGKILL once the kill policy's grace
/// period has passed, and not before.
#[test]
fn kill_policy_grace_period() {
    let _runtime = crate::fake_agent::runtime();
    let sandbox = tempfile::tempdir().expect("a temporary directory");
    let pid_file = pid_fifo(sandbox.path());
    let agent = Agent::start(framework(true));
    let exit = start(&agent);
    let mut task = task(&format!(
        "trap '' TERM; echo $$ > {}; exec sleep 1000",
        pid_file.display()
    ));
    task.kill_policy = Some(KillPolicy {
        grace_period: Some(DurationInfo {
            nanoseconds: Duration::from_secs(10).ns(),
        }),
    });
    run(&agent, task);
    let pid = await_pid_file(&pid_file);

    Clock::pause();
    kill(&agent, None);
    let killing = await_update(&agent);
    assert_eq!(TaskState::TaskKilling, state(&killing));

    Clock::advance(Duration::from_secs(9));
    Clock::settle();
    assert!(alive(pid), "SIGTERM is ignored and SIGKILL not sent yet");

    Clock::advance(Duration::from_secs(1));
    let killed = await_update_advancing(&agent);
    assert_eq!(TaskState::TaskKilled, state(&killed));
    assert_eq!(
        Some("Command terminated with signal Killed"),
        killed.message.as_deref()
    );
    assert!(!alive(pid));
    acknowledge(&agent, &killing);
    acknowledge(&agent, &killed);
    assert_eq!(Exit::Success, await_ready(&exit));
}

/// An agent still recovering answers SUBSCRIBE with 503: the executor
/// tries again every second until subscribed.
#[test]
fn resubscribes_until_subscribed() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start_unavailable(framework(false), 2);
    Clock::pause();
    let exit = start(&agent);
    await_call(&agent, call::Type::Subscribe);
    let retry = agent.next_call();
    Clock::settle();
    assert!(retry.is_pending(), "no retry before a second has passed");
    // The 503 reaches the executor in real time: a retry sent before it
    // is dropped, and the next second's goes.
    for _ in 0..2 {
        let call = await_advancing(&retry_or_next(&retry, &agent), Duration::from_secs(1));
        assert_eq!(Some(call::Type::Subscribe as i32), call.r#type);
    }
    launch(&agent, task("exit 0"));
    for expected in [TaskState::TaskStarting, TaskState::TaskRunning] {
        let status = await_update(&agent);
        assert_eq!(expected, state(&status));
        acknowledge(&agent, &status);
    }
    let finished = await_update_advancing(&agent);
    assert_eq!(TaskState::TaskFinished, state(&finished));
    acknowledge(&agent, &finished);
    assert_eq!(Exit::Success, await_ready(&exit));
}

/// `retry` while it is pending, else the agent's next call.
fn retry_or_next(retry: &Future<Call>, agent: &Agent) -> Future<Call> {
    if retry.is_ready() {
        agent.next_call()
    } else {
        retry.clone()
    }
}

/// Waits for `future`, advancing the paused clock by `step` between
/// looks.
#[track_caller]
fn await_advancing<T: Clone + Send + Sync + 'static>(future: &Future<T>, step: Duration) -> T {
    let deadline = std::time::Instant::now() + AWAIT_TIMEOUT.to_std().unwrap_or_default();
    while !future.wait_for(Duration::from_millis(20)) {
        assert!(std::time::Instant::now() < deadline, "still pending");
        Clock::advance(step);
        Clock::settle();
    }
    await_ready(future)
}

/// Events are handled in order: a second task's TASK_FAILED shows that
/// every event sent before it was handled.
fn barrier(agent: &Agent) {
    let mut second = task("true");
    second.task_id.value = "2".to_string();
    launch(agent, second);
    let failed = await_update(agent);
    assert_eq!("2", failed.task_id.value);
}

/// A second kill can shorten the grace period, never lengthen it.
#[test]
fn kill_shortens_grace_period() {
    let _runtime = crate::fake_agent::runtime();
    let sandbox = tempfile::tempdir().expect("a temporary directory");
    let pid_file = pid_fifo(sandbox.path());
    let agent = Agent::start(framework(false));
    let exit = start(&agent);
    run(
        &agent,
        task(&format!(
            "trap '' TERM; echo $$ > {}; exec sleep 1000",
            pid_file.display()
        )),
    );
    let pid = await_pid_file(&pid_file);

    Clock::pause();
    kill(&agent, Some(Duration::from_secs(20)));
    barrier(&agent);
    Clock::advance(Duration::from_secs(2));
    // Longer: ignored. Shorter: SIGKILL 5s after the first kill.
    kill(&agent, Some(Duration::from_secs(30)));
    kill(&agent, Some(Duration::from_secs(5)));
    barrier(&agent);
    Clock::advance(Duration::from_secs(2));
    Clock::settle();
    assert!(alive(pid));

    Clock::advance(Duration::from_secs(1));
    let killed = await_update_advancing(&agent);
    assert_eq!("1", killed.task_id.value);
    assert_eq!(TaskState::TaskKilled, state(&killed));
    assert_eq!(
        Some("Command terminated with signal Killed"),
        killed.message.as_deref()
    );
    acknowledge(&agent, &killed);
    assert_eq!(Exit::Success, await_ready(&exit));
}

/// SHUTDOWN kills the task. In local mode (the executor inside the
/// agent's OS process) the library stops on SHUTDOWN, so TASK_KILLED
/// cannot be sent and the executor gives up waiting for its
/// acknowledgement.
#[test]
fn shutdown_kills_task() {
    let _runtime = crate::fake_agent::runtime();
    let sandbox = tempfile::tempdir().expect("a temporary directory");
    let pid_file = pid_fifo(sandbox.path());
    let agent = Agent::start(framework(false));
    let exit = start(&agent);
    run(
        &agent,
        task(&format!(
            "echo $$ > {}; exec sleep 1000",
            pid_file.display()
        )),
    );
    let pid = await_pid_file(&pid_file);

    Clock::pause();
    agent.send(Event {
        r#type: Some(event::Type::Shutdown as i32),
        ..Event::default()
    });
    let deadline = std::time::Instant::now() + AWAIT_TIMEOUT.to_std().unwrap_or_default();
    while alive(pid) {
        assert!(std::time::Instant::now() < deadline, "the task still runs");
        exit.wait_for(Duration::from_millis(5));
    }
    // Reaped, TASK_KILLED dropped: a minute later the executor gives up.
    Clock::advance(MAX_REAP_INTERVAL);
    Clock::settle();
    assert!(exit.is_pending());
    Clock::advance(Duration::from_secs(60));
    assert_eq!(
        Exit::Failure(
            "Did not receive ACK for the terminal status update from the agent".to_string()
        ),
        await_ready(&exit)
    );
}

/// A second task fails at once: the command executor runs one.
#[test]
fn multiple_tasks_fail() {
    let _runtime = crate::fake_agent::runtime();
    let agent = Agent::start(framework(false));
    let exit = start(&agent);
    run(&agent, task("sleep 1000"));

    let mut second = task("true");
    second.task_id.value = "2".to_string();
    launch(&agent, second);
    let failed = await_update(&agent);
    assert_eq!("2", failed.task_id.value);
    assert_eq!(TaskState::TaskFailed, state(&failed));
    assert_eq!(
        Some("Attempted to run multiple tasks using a \"command\" executor"),
        failed.message.as_deref()
    );

    kill(&agent, None);
    let killed = await_update(&agent);
    assert_eq!("1", killed.task_id.value);
    acknowledge(&agent, &killed);
    assert_eq!(Exit::Success, await_ready(&exit));
}
