//! The driver's protocol with a master beyond Mesos' named cases:
//! SUBSCRIBE with backoff, offers, launches, status updates and their
//! acknowledgements, framework messages, errors, master failover, and the
//! driver's lifetime.

use super::*;

/// SUBSCRIBE is retried after a random delay within a bound that starts
/// at the backoff factor (2 s) and doubles, until the master answers.
#[test]
fn subscribe_retries_with_backoff() {
    let _rt = lp::runtime();
    let setup = setup(true);
    Clock::pause();

    let first = mesos::testing::drop_call::<Call>(call::Type::Subscribe, ANY, &setup.master);
    setup.driver.start();
    lp::await_ready(&first);

    // The first retry comes within 2 s, the next within 4 s more.
    for bound in [2, 4] {
        let retry = future_call_message(&setup.master);
        Clock::settle();
        assert!(retry.is_pending());
        Clock::advance(Duration::from_secs(bound));
        let retry = lp::await_ready(&retry);
        assert_eq!(Some(call::Type::Subscribe as i32), decode(&retry).r#type);
        // The framework has no id yet.
        assert_eq!(None, decode(&retry).framework_id);
        if bound == 4 {
            setup.respond_registered(&retry.from);
        }
    }
    assert!(matches!(next(&setup.calls), Sched::Registered(..)));

    // Registered: no more retries.
    expect_no_future_calls::<Call>(call::Type::Subscribe, ANY, &setup.master);
    Clock::advance(Duration::from_mins(2));
    Clock::settle();

    setup.stop();
}

/// Offers reach `resource_offers`; a launch is an ACCEPT with a LAUNCH
/// operation; framework messages to the launched executor go straight to
/// the offer's agent, and back through `framework_message`.
#[test]
fn launch_and_framework_messages() {
    let _rt = lp::runtime();
    let setup = setup(true);
    let scheduler = setup.register();
    let agent = spawn(Stub("slave"));
    let offer = setup.offer(&scheduler, "offer-1", agent.upid());

    let accept = future_call::<Call>(call::Type::Accept, ANY, &setup.master);
    let filters = Filters {
        refuse_seconds: Some(5.0),
    };
    let status = setup
        .driver
        .launch_tasks(vec![offer.id.clone()], vec![task("1")], filters);
    assert_eq!(Status::DriverRunning, status);
    let accept = lp::await_ready(&accept);
    assert_eq!(Some(framework_id(FRAMEWORK)), accept.framework_id);
    let accept = accept.accept.expect("accept");
    assert_eq!(vec![offer.id.clone()], accept.offer_ids);
    assert_eq!(Some(filters), accept.filters);
    assert_eq!(1, accept.operations.len());
    assert_eq!(
        Some(OperationType::Launch as i32),
        accept.operations[0].r#type
    );
    let launch = accept.operations[0].launch.clone().expect("launch");
    assert_eq!(vec![task("1")], launch.task_infos);

    let message = lp::future_protobuf::<FrameworkToExecutorMessage>(&scheduler, &agent);
    setup
        .driver
        .send_framework_message(executor_id("default"), slave_id("agent-1"), &b"hello"[..]);
    let message = lp::await_ready(&message);
    assert_eq!(framework_id(FRAMEWORK), message.framework_id);
    assert_eq!(executor_id("default"), message.executor_id);
    assert_eq!(&b"hello"[..], &message.data[..]);

    // An agent's framework message comes from the agent directly.
    send_as(
        agent.upid(),
        &scheduler,
        &ExecutorToFrameworkMessage {
            slave_id: slave_id("agent-1"),
            framework_id: framework_id(FRAMEWORK),
            executor_id: executor_id("default"),
            data: bytes::Bytes::from_static(b"world"),
        },
    );
    assert_eq!(
        Sched::Message(
            executor_id("default"),
            slave_id("agent-1"),
            b"world".to_vec()
        ),
        next(&setup.calls)
    );

    setup.stop();
}

/// Without a known agent pid, a framework message goes through the
/// master as a MESSAGE call.
#[test]
fn framework_message_through_master() {
    let _rt = lp::runtime();
    let setup = setup(true);
    setup.register();

    let message = future_call::<Call>(call::Type::Message, ANY, &setup.master);
    setup
        .driver
        .send_framework_message(executor_id("e"), slave_id("agent-9"), &b"data"[..]);
    let message = lp::await_ready(&message).message.expect("message");
    assert_eq!(slave_id("agent-9"), message.slave_id);
    assert_eq!(executor_id("e"), message.executor_id);
    assert_eq!(&b"data"[..], &message.data[..]);

    setup.stop();
}

/// With implicit acknowledgements an agent's update, forwarded by the
/// master, is acknowledged to the master once `status_update` returns.
#[test]
fn status_update_implicit_acknowledgement() {
    let _rt = lp::runtime();
    let setup = setup(true);
    let scheduler = setup.register();

    let uuid = b"fedcba9876543210";
    let acknowledge = future_call::<Call>(call::Type::Acknowledge, ANY, &setup.master);
    send_as(
        setup.master.upid(),
        &scheduler,
        &StatusUpdateMessage {
            update: status_update(TaskState::TaskRunning, Some(uuid)),
            pid: Some("slave(1)@127.0.0.1:5051".to_string()),
        },
    );
    let Sched::Status(status) = next(&setup.calls) else {
        panic!("expected a status update");
    };
    assert_eq!(TaskState::TaskRunning as i32, status.state);
    let acknowledge = lp::await_ready(&acknowledge);
    assert_eq!(Some(framework_id(FRAMEWORK)), acknowledge.framework_id);
    let acknowledge = acknowledge.acknowledge.expect("acknowledge");
    assert_eq!(&uuid[..], &acknowledge.uuid[..]);
    assert_eq!(slave_id("agent-1"), acknowledge.slave_id);
    assert_eq!(task_id("1"), acknowledge.task_id);

    setup.stop();
}

/// Messages from anyone but the leading master are ignored.
#[test]
fn ignores_messages_not_from_the_master() {
    let _rt = lp::runtime();
    let setup = setup(true);
    let scheduler = setup.register();
    let impostor = spawn(Stub("master"));
    Clock::pause();

    send_as(
        impostor.upid(),
        &scheduler,
        &RescindResourceOfferMessage {
            offer_id: offer_id("o1"),
        },
    );
    send_as(
        impostor.upid(),
        &scheduler,
        &LostSlaveMessage {
            slave_id: slave_id("agent-1"),
        },
    );
    send_as(
        impostor.upid(),
        &scheduler,
        &StatusUpdateMessage {
            update: status_update(TaskState::TaskRunning, Some(b"0123456789abcdef")),
            pid: Some("slave(1)@127.0.0.1:5051".to_string()),
        },
    );
    assert_empty(&setup.calls);

    // The master's are not.
    send_as(
        setup.master.upid(),
        &scheduler,
        &RescindResourceOfferMessage {
            offer_id: offer_id("o1"),
        },
    );
    assert_eq!(Sched::Rescinded(offer_id("o1")), next(&setup.calls));
    send_as(
        setup.master.upid(),
        &scheduler,
        &LostSlaveMessage {
            slave_id: slave_id("agent-1"),
        },
    );
    assert_eq!(Sched::SlaveLost(slave_id("agent-1")), next(&setup.calls));
    send_as(
        setup.master.upid(),
        &scheduler,
        &ExitedExecutorMessage {
            slave_id: slave_id("agent-1"),
            framework_id: framework_id(FRAMEWORK),
            executor_id: executor_id("e"),
            status: 9,
        },
    );
    assert_eq!(
        Sched::ExecutorLost(executor_id("e"), slave_id("agent-1"), 9),
        next(&setup.calls)
    );

    setup.stop();
}

/// A new leading master: `disconnected`, then SUBSCRIBE with the
/// framework's id to the new master, then `reregistered`.
#[test]
fn master_failover() {
    let _rt = lp::runtime();
    let setup = setup(true);
    let scheduler = setup.register();

    let new_master = spawn(Stub("master"));
    let subscribe = future_call::<Call>(call::Type::Subscribe, ANY, &new_master);
    setup
        .detector
        .appoint(Some(create_master_info(new_master.upid())));
    assert_eq!(Sched::Disconnected, next(&setup.calls));
    let subscribe = lp::await_ready(&subscribe);
    assert_eq!(Some(framework_id(FRAMEWORK)), subscribe.framework_id);
    let subscribe = subscribe.subscribe.expect("subscribe");
    assert_eq!(Some(false), subscribe.force);
    assert_eq!(Some(framework_id(FRAMEWORK)), subscribe.framework_info.id);

    // The old master is not the leader any more.
    send_as(
        setup.master.upid(),
        &scheduler,
        &FrameworkReregisteredMessage {
            framework_id: framework_id(FRAMEWORK),
            master_info: create_master_info(setup.master.upid()),
        },
    );
    send_as(
        new_master.upid(),
        &scheduler,
        &FrameworkReregisteredMessage {
            framework_id: framework_id(FRAMEWORK),
            master_info: create_master_info(new_master.upid()),
        },
    );
    match next(&setup.calls) {
        Sched::Reregistered(master) => {
            assert_eq!(Some(new_master.upid().to_string()), master.pid)
        }
        other => panic!("expected reregistered, got {:?}", other),
    }

    setup.stop();
}

/// A framework with an id subscribes with `force` (failover) until it is
/// registered, and gets `registered`, not `reregistered`.
#[test]
fn failover_subscribe_forces() {
    let _rt = lp::runtime();
    let mut framework = default_framework_info();
    framework.id = Some(framework_id(FRAMEWORK));
    let setup = setup_with(RecordingScheduler::new(), framework, true);

    let subscribe = future_call_message(&setup.master);
    setup.driver.start();
    let message = lp::await_ready(&subscribe);
    let call = decode(&message);
    assert_eq!(Some(framework_id(FRAMEWORK)), call.framework_id);
    assert_eq!(Some(true), call.subscribe.expect("subscribe").force);
    setup.respond_registered(&message.from);
    assert!(matches!(next(&setup.calls), Sched::Registered(..)));

    setup.stop();
}

/// The `mesos.scheduler.Event`s a master may send instead of the internal
/// messages: SUBSCRIBED and OFFERS (whose URL names the agent).
#[test]
fn scheduler_events() {
    let _rt = lp::runtime();
    let setup = setup(true);
    let subscribe = future_call_message(&setup.master);
    setup.driver.start();
    let scheduler = lp::await_ready(&subscribe).from;

    send_as(
        setup.master.upid(),
        &scheduler,
        &Event {
            r#type: Some(event::Type::Subscribed as i32),
            subscribed: Some(event::Subscribed {
                framework_id: framework_id(FRAMEWORK),
                ..event::Subscribed::default()
            }),
            ..Event::default()
        },
    );
    assert!(matches!(next(&setup.calls), Sched::Registered(..)));

    let agent = spawn(Stub("slave"));
    let address = agent.upid().address();
    let offer = Offer {
        id: offer_id("o1"),
        framework_id: framework_id(FRAMEWORK),
        slave_id: slave_id("agent-1"),
        hostname: "localhost".to_string(),
        url: Some(mesos::Url {
            scheme: "http".to_string(),
            address: mesos::Address {
                ip: Some(address.ip().to_string()),
                port: i32::from(address.port()),
                ..mesos::Address::default()
            },
            path: Some(format!("/{}", agent.upid().id())),
            ..mesos::Url::default()
        }),
        ..Offer::default()
    };
    send_as(
        setup.master.upid(),
        &scheduler,
        &Event {
            r#type: Some(event::Type::Offers as i32),
            offers: Some(event::Offers {
                offers: vec![offer.clone()],
            }),
            ..Event::default()
        },
    );
    assert_eq!(Sched::Offers(vec![offer.clone()]), next(&setup.calls));

    // The agent's pid came from the offer's URL.
    setup
        .driver
        .launch_tasks(vec![offer.id.clone()], vec![task("1")], Filters::default());
    let message = lp::future_protobuf::<FrameworkToExecutorMessage>(&scheduler, &agent);
    setup
        .driver
        .send_framework_message(executor_id("e"), slave_id("agent-1"), &b"x"[..]);
    lp::await_ready(&message);

    // UPDATE: acknowledged implicitly by its uuid, which (as in Mesos)
    // the scheduler does not see on this path.
    let acknowledge = future_call::<Call>(call::Type::Acknowledge, ANY, &setup.master);
    let update = status_update(TaskState::TaskRunning, Some(b"0123456789abcdef"));
    send_as(
        setup.master.upid(),
        &scheduler,
        &Event {
            r#type: Some(event::Type::Update as i32),
            update: Some(event::Update {
                status: update.status.clone(),
            }),
            ..Event::default()
        },
    );
    let Sched::Status(status) = next(&setup.calls) else {
        panic!("expected a status update");
    };
    assert_eq!(None, status.uuid);
    let acknowledge = lp::await_ready(&acknowledge)
        .acknowledge
        .expect("acknowledge");
    assert_eq!(&b"0123456789abcdef"[..], &acknowledge.uuid[..]);

    // MESSAGE, FAILURE (of an agent, of an executor), RESCIND.
    let events = [
        Event {
            r#type: Some(event::Type::Message as i32),
            message: Some(event::Message {
                slave_id: slave_id("agent-1"),
                executor_id: executor_id("e"),
                data: bytes::Bytes::from_static(b"m"),
            }),
            ..Event::default()
        },
        Event {
            r#type: Some(event::Type::Failure as i32),
            failure: Some(event::Failure {
                slave_id: Some(slave_id("agent-1")),
                ..event::Failure::default()
            }),
            ..Event::default()
        },
        Event {
            r#type: Some(event::Type::Failure as i32),
            failure: Some(event::Failure {
                slave_id: Some(slave_id("agent-1")),
                executor_id: Some(executor_id("e")),
                status: Some(3),
            }),
            ..Event::default()
        },
        Event {
            r#type: Some(event::Type::Rescind as i32),
            rescind: Some(event::Rescind {
                offer_id: offer_id("o2"),
            }),
            ..Event::default()
        },
    ];
    for event in &events {
        send_as(setup.master.upid(), &scheduler, event);
    }
    assert_eq!(
        Sched::Message(executor_id("e"), slave_id("agent-1"), b"m".to_vec()),
        next(&setup.calls)
    );
    assert_eq!(Sched::SlaveLost(slave_id("agent-1")), next(&setup.calls));
    assert_eq!(
        Sched::ExecutorLost(executor_id("e"), slave_id("agent-1"), 3),
        next(&setup.calls)
    );
    assert_eq!(Sched::Rescinded(offer_id("o2")), next(&setup.calls));

    // ERROR aborts the driver.
    send_as(
        setup.master.upid(),
        &scheduler,
        &Event {
            r#type: Some(event::Type::Error as i32),
            error: Some(event::Error {
                message: "bad".to_string(),
            }),
            ..Event::default()
        },
    );
    assert_eq!(Sched::Error("bad".to_string()), next(&setup.calls));
    assert_eq!(Status::DriverAborted, setup.driver.join());

    setup.stop();
}

/// An error from the master aborts the driver (the master is told to
/// deactivate the framework) and reaches `error`.
#[test]
fn error_aborts_the_driver() {
    let _rt = lp::runtime();
    let setup = setup(true);
    let scheduler = setup.register();

    let deactivate = lp::future_protobuf::<DeactivateFrameworkMessage>(&scheduler, &setup.master);
    send_as(
        setup.master.upid(),
        &scheduler,
        &FrameworkErrorMessage {
            message: "Framework failed over".to_string(),
        },
    );
    assert_eq!(
        Sched::Error("Framework failed over".to_string()),
        next(&setup.calls)
    );
    assert_eq!(
        framework_id(FRAMEWORK),
        lp::await_ready(&deactivate).framework_id
    );
    assert_eq!(Status::DriverAborted, setup.driver.join());
    assert_eq!(Status::DriverAborted, setup.driver.kill_task(task_id("1")));
    assert_eq!(Status::DriverAborted, setup.driver.stop(false));
}

/// `stop` tears the framework down; `stop(failover)` does not.
#[test]
fn stop_tears_down_unless_failover() {
    let _rt = lp::runtime();
    let setup = setup(true);
    setup.register();
    let teardown = future_call::<Call>(call::Type::Teardown, ANY, &setup.master);
    assert_eq!(Status::DriverStopped, setup.driver.stop(false));
    assert_eq!(
        Some(framework_id(FRAMEWORK)),
        lp::await_ready(&teardown).framework_id
    );
    assert_eq!(Status::DriverStopped, setup.driver.join());

    let setup = self::setup(true);
    setup.register();
    Clock::pause();
    expect_no_future_calls::<Call>(call::Type::Teardown, ANY, &setup.master);
    assert_eq!(Status::DriverStopped, setup.driver.stop(true));
    assert_eq!(Status::DriverStopped, setup.driver.join());
    Clock::settle();
}

/// A launch while disconnected comes back as TASK_LOST from the driver
/// itself, and is not acknowledged.
#[test]
fn launch_while_disconnected() {
    let _rt = lp::runtime();
    let setup = setup(true);
    Clock::pause();
    // The master never answers.
    mesos::testing::drop_calls::<Call>(call::Type::Subscribe, ANY, &setup.master);
    expect_no_future_calls::<Call>(call::Type::Acknowledge, ANY, &setup.master);
    setup.driver.start();

    setup
        .driver
        .launch_tasks(vec![offer_id("o1")], vec![task("1")], Filters::default());
    let Sched::Status(status) = next(&setup.calls) else {
        panic!("expected a status update");
    };
    assert_eq!(TaskState::TaskLost as i32, status.state);
    assert_eq!(Some(Reason::MasterDisconnected as i32), status.reason);
    assert_eq!(Some(Source::Master as i32), status.source);
    assert_eq!(Some("Master disconnected"), status.message.as_deref());
    Clock::settle();

    setup.stop();
}

/// A ZooKeeper URL is refused (for now) with a clear error; a bad master
/// string too.
#[test]
fn unsupported_master_strings_abort_start() {
    let _rt = lp::runtime();
    for (master, error) in [
        (
            "zk://localhost:2181/mesos",
            "Failed to create a master detector for 'zk://localhost:2181/mesos': \
             ZooKeeper master detection ('zk://localhost:2181/mesos') is not supported by this \
             build yet",
        ),
        (
            "localhost",
            "Failed to create a master detector for 'localhost': Failed to parse 'localhost'",
        ),
    ] {
        let (scheduler, calls) = RecordingScheduler::new();
        let driver = MesosSchedulerDriver::new(scheduler, default_framework_info(), master, true);
        assert_eq!(Status::DriverAborted, driver.start());
        assert_eq!(Sched::Error(error.to_string()), next(&calls));
        assert_eq!(Status::DriverAborted, driver.join());
    }
}

/// A driver given `host:port` subscribes with the master there.
#[test]
fn master_from_host_and_port() {
    let _rt = lp::runtime();
    let master = libprocess::spawn_with_id(Stub("master"), "master").expect("spawned");
    let address = master.upid().address();
    let (scheduler, _calls) = RecordingScheduler::new();
    let driver = MesosSchedulerDriver::new(
        scheduler,
        default_framework_info(),
        format!("{}:{}", address.ip(), address.port()),
        true,
    );
    let subscribe = future_call::<Call>(call::Type::Subscribe, ANY, &master);
    driver.start();
    lp::await_ready(&subscribe);
    driver.stop(false);
    driver.join();
}

/// Dropping every handle on a driver terminates its process.
#[test]
fn dropping_the_driver_terminates_its_process() {
    let _rt = lp::runtime();
    let setup = setup(true);
    let scheduler = setup.register();
    let terminated = watch(&scheduler);
    let Setup { driver, .. } = setup;
    drop(driver);
    lp::await_ready(&terminated);
}
