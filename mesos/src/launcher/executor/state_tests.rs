//! The command executor's state machine, driven without a process.

use super::*;
use crate::v1::executor::event::{Acknowledged, Kill, Launch};
use crate::v1::{resource, DurationInfo, Resource};

const PID: i32 = 4242;

fn at(secs: i64) -> Time {
    Time::from_epoch(Duration::from_secs(1_000 + secs))
}

fn settings() -> Settings {
    Settings {
        framework_id: FrameworkId {
            value: "f".to_string(),
        },
        executor_id: ExecutorId {
            value: "e".to_string(),
        },
        shutdown_grace_period: Duration::from_secs(5),
        ..Settings::default()
    }
}

fn event(kind: event::Type) -> Event {
    Event {
        r#type: Some(kind as i32),
        ..Event::default()
    }
}

fn task(command: &str) -> TaskInfo {
    TaskInfo {
        task_id: TaskId {
            value: "t".to_string(),
        },
        command: Some(CommandInfo {
            value: Some(command.to_string()),
            ..CommandInfo::default()
        }),
        ..TaskInfo::default()
    }
}

fn updates(actions: &[Action]) -> Vec<TaskStatus> {
    actions
        .iter()
        .filter_map(|action| match action {
            Action::Send(call) => call.update.as_ref().map(|u| u.status.clone()),
            _ => None,
        })
        .collect()
}

fn subscribe_of(actions: &[Action]) -> call::Subscribe {
    actions
        .iter()
        .find_map(|action| match action {
            Action::Send(call) => call.subscribe.clone(),
            _ => None,
        })
        .expect("a SUBSCRIBE")
}

/// Subscribed, `task` launched and forked at `at(0)`; the statuses
/// sent (STARTING, RUNNING) and the launch action.
fn running(executor: &mut CommandExecutor, task: TaskInfo) -> (Vec<TaskStatus>, Action) {
    executor.connected();
    executor.received(event(event::Type::Subscribed), at(0));
    let launch = executor.received(
        Event {
            launch: Some(Launch { task }),
            ..event(event::Type::Launch)
        },
        at(0),
    );
    let launch_action = launch
        .iter()
        .find(|a| matches!(a, Action::Launch { .. }))
        .cloned()
        .expect("a launch");
    let mut statuses = updates(&launch);
    statuses.extend(updates(&executor.launched(PID, at(0))));
    (statuses, launch_action)
}

fn kill(executor: &mut CommandExecutor, grace: Option<i64>, now: Time) -> Vec<Action> {
    executor.received(
        Event {
            kill: Some(Kill {
                task_id: TaskId {
                    value: "t".to_string(),
                },
                kill_policy: grace.map(|secs| KillPolicy {
                    grace_period: Some(DurationInfo {
                        nanoseconds: Duration::from_secs(secs).ns(),
                    }),
                }),
            }),
            ..event(event::Type::Kill)
        },
        now,
    )
}

#[test]
fn resubscribes_with_unacknowledged_updates_and_task() {
    let mut executor = CommandExecutor::new(settings());
    let first = executor.connected();
    assert_eq!(call::Subscribe::default(), subscribe_of(&first));
    assert!(first.contains(&Action::Schedule(
        TimerKind::Registration,
        REGISTRATION_RETRY_INTERVAL
    )));

    let (statuses, _) = running(&mut executor, task("sleep 1"));
    assert_eq!(2, statuses.len());
    assert!(executor.registration_timer().is_empty(), "subscribed");

    executor.disconnected();
    let again = subscribe_of(&executor.connected());
    assert_eq!(2, again.unacknowledged_updates.len());
    assert_eq!(1, again.unacknowledged_tasks.len());

    let ack = executor.received(
        Event {
            acknowledged: Some(Acknowledged {
                task_id: statuses[0].task_id.clone(),
                uuid: statuses[0].uuid.clone().unwrap_or_default(),
            }),
            ..event(event::Type::Acknowledged)
        },
        at(1),
    );
    assert!(ack.is_empty(), "TASK_STARTING is not terminal");
    executor.disconnected();
    let again = subscribe_of(&executor.connected());
    assert_eq!(1, again.unacknowledged_updates.len());
    assert_eq!(statuses[1], again.unacknowledged_updates[0].status);
    assert!(again.unacknowledged_tasks.is_empty());
}

#[test]
fn environment_precedence() {
    let mut settings = settings();
    settings.environment = [("A", "1"), ("B", "1")]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into();
    let variable = |name: &str, value: &str| environment::Variable {
        name: name.to_string(),
        value: Some(value.to_string()),
        ..environment::Variable::default()
    };
    settings.task_environment = Some(Environment {
        variables: vec![variable("B", "2"), variable("C", "2")],
    });
    let mut task = task("env");
    if let Some(command) = task.command.as_mut() {
        let mut secret = variable("A", "secret");
        secret.r#type = Some(environment::variable::Type::Secret as i32);
        command.environment = Some(Environment {
            variables: vec![variable("C", "3"), secret],
        });
    }
    task.resources = vec![Resource {
        allocation_info: Some(resource::AllocationInfo {
            role: Some("role1".to_string()),
        }),
        ..Resource::default()
    }];
    let mut executor = CommandExecutor::new(settings);
    let (_, launch) = running(&mut executor, task);
    let Action::Launch { environment, .. } = launch else {
        unreachable!("a launch");
    };
    let expected: BTreeMap<String, String> = [
        ("A", "1"),
        ("B", "2"),
        ("C", "3"),
        ("MESOS_ALLOCATION_ROLE", "role1"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .into();
    assert_eq!(expected, environment);
}

#[test]
fn task_command_overrides() {
    let mut settings = settings();
    settings.task_command = Some(CommandInfo {
        value: Some("override".to_string()),
        ..CommandInfo::default()
    });
    let mut executor = CommandExecutor::new(settings);
    let (_, launch) = running(&mut executor, task("original"));
    let Action::Launch { command, .. } = launch else {
        unreachable!("a launch");
    };
    assert_eq!(Some("override".to_string()), command.value);
}

#[test]
fn kill_grace_periods() {
    // No policy: the default.
    let mut executor = CommandExecutor::new(settings());
    running(&mut executor, task("sleep 1000"));
    let actions = kill(&mut executor, None, at(0));
    assert!(actions.contains(&Action::KillTree(libc_signal::SIGTERM)));
    assert!(actions.contains(&Action::Schedule(
        TimerKind::Escalation,
        DEFAULT_KILL_GRACE_PERIOD
    )));

    // The task's policy, unless the kill has one.
    let mut with_policy = task("sleep 1000");
    with_policy.kill_policy = Some(KillPolicy {
        grace_period: Some(DurationInfo {
            nanoseconds: Duration::from_secs(7).ns(),
        }),
    });
    let mut executor = CommandExecutor::new(settings());
    running(&mut executor, with_policy.clone());
    let actions = kill(&mut executor, None, at(0));
    assert!(actions.contains(&Action::Schedule(
        TimerKind::Escalation,
        Duration::from_secs(7)
    )));
    let mut executor = CommandExecutor::new(settings());
    running(&mut executor, with_policy);
    let actions = kill(&mut executor, Some(20), at(0));
    assert!(actions.contains(&Action::Schedule(
        TimerKind::Escalation,
        Duration::from_secs(20)
    )));

    // Later kills: longer do nothing, equal keep the deadline, shorter
    // bring it forward.
    let signals = |actions: &[Action]| {
        actions
            .iter()
            .filter(|a| matches!(a, Action::KillTree(_)))
            .count()
    };
    let later = kill(&mut executor, Some(30), at(2));
    assert_eq!(vec![Action::Cancel(TimerKind::Completion)], later);
    let later = kill(&mut executor, Some(20), at(2));
    assert!(later.contains(&Action::Schedule(
        TimerKind::Escalation,
        Duration::from_secs(18)
    )));
    let later = kill(&mut executor, Some(5), at(2));
    assert_eq!(0, signals(&later));
    assert!(later.contains(&Action::Schedule(
        TimerKind::Escalation,
        Duration::from_secs(3)
    )));
    let later = kill(&mut executor, Some(1), at(10));
    assert!(later.contains(&Action::Schedule(
        TimerKind::Escalation,
        Duration::default()
    )));

    assert_eq!(
        vec![Action::KillTree(libc_signal::SIGKILL)],
        executor.escalated()
    );
    let reaped = executor.reaped(Ok(Some(libc_signal::SIGKILL)), at(11));
    let killed = updates(&reaped);
    assert_eq!(TaskState::TaskKilled as i32, killed[0].state);
    assert_eq!(
        Some("Command terminated with signal Killed"),
        killed[0].message.as_deref()
    );
    assert!(executor.escalated().is_empty(), "terminated");
    assert!(reaped.contains(&Action::Schedule(
        TimerKind::SelfTerminate,
        TERMINAL_ACK_TIMEOUT
    )));
}

#[test]
fn shutdown_grace_period() {
    let mut executor = CommandExecutor::new(settings());
    running(&mut executor, task("sleep 1000"));
    let actions = executor.received(event(event::Type::Shutdown), at(0));
    // 5s less the reaper's interval and a second for TASK_KILLED.
    assert!(actions.contains(&Action::Schedule(
        TimerKind::Escalation,
        Duration::from_secs(3)
    )));

    let mut executor = CommandExecutor::new(settings());
    executor.connected();
    assert_eq!(
        vec![Action::Terminate],
        executor.received(event(event::Type::Shutdown), at(0))
    );
}

#[test]
fn kill_before_launch() {
    let mut executor = CommandExecutor::new(settings());
    executor.connected();
    executor.received(event(event::Type::Subscribed), at(0));
    let actions = kill(&mut executor, None, at(0));
    assert!(matches!(actions.last(), Some(Action::Exit(m)) if m.starts_with("Terminating")));
}

#[test]
fn exit_statuses() {
    assert_eq!(
        "exited with status 0",
        crate::common::status_utils::wstringify(0)
    );
    assert_eq!(
        "exited with status 3",
        crate::common::status_utils::wstringify(3 << 8)
    );
    assert_eq!(
        "terminated with signal Terminated",
        crate::common::status_utils::wstringify(libc_signal::SIGTERM)
    );
    assert!(succeeded(0));
    assert!(!succeeded(1 << 8));
    assert!(!succeeded(libc_signal::SIGKILL));
}
