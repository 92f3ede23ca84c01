//! Mesos' `SchedulerTest` (`src/tests/scheduler_tests.cpp`): the v1
//! scheduler library (`mesos::v1::scheduler::Mesos`) against the
//! in-process master and agent, in protobuf and JSON, as Mesos'
//! `TEST_P`s. Mesos runs v1 HTTP executors in these; here the test
//! containerizer's executors are driver-based mocks (the scheduler's side
//! is what is under test).

use std::sync::Arc;

use libprocess::testing::{await_ready, future_dispatch, ANY};
use libprocess::Clock;
use mesos::common::evolve::{devolve, evolve};
use mesos::master::allocator::HierarchicalAllocatorProcess;
use mesos::master::constants::DEFAULT_HEARTBEAT_INTERVAL;
use mesos::master::framework_metrics::prefix as framework_metric_prefix;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{
    default_executor_id, default_executor_info, send_status_update_from_task,
    send_status_update_from_task_id, test_mesos, MockExecutor, MockHttpScheduler,
    TestContainerizer,
};
use mesos::v1::scheduler::{call, event, Call, ContentType, Mesos};
use mesos::{Resources, TaskInfo, TaskState};
use stout::Duration;

use crate::scheduler_http_helpers::{
    default_v1_framework_info, listening, subscribe_call, LIBRARY_CONTENT_TYPES,
};

/// A master, and an agent whose executors are `executor`.
struct Cluster {
    master: Master,
    containerizer: Arc<TestContainerizer>,
    _slave: Slave,
}

fn cluster(executor: &MockExecutor) -> Cluster {
    let master = Master::start(create_master_flags()).expect("the master starts");
    let containerizer = Arc::new(TestContainerizer::new(executor));
    let slave =
        Slave::start(master.create_detector(), containerizer.clone()).expect("the agent starts");
    Cluster {
        master,
        containerizer,
        _slave: slave,
    }
}

/// The library, connected and subscribed with `info`.
fn connect_and_subscribe(
    master: &Master,
    content_type: ContentType,
    scheduler: &MockHttpScheduler,
    info: mesos::v1::FrameworkInfo,
) -> (Mesos, event::Subscribed) {
    let connected = scheduler.connected.future();
    let mesos = test_mesos(master.create_detector(), content_type, scheduler);
    await_ready(&connected);
    let subscribed = scheduler.subscribed.future();
    mesos.send(subscribe_call(info));
    (mesos, await_ready(&subscribed))
}

fn framework_call(framework_id: &mesos::v1::FrameworkId, kind: call::Type) -> Call {
    let mut call = Call {
        framework_id: Some(framework_id.clone()),
        ..Call::default()
    };
    call.set_type(kind);
    call
}

/// ACCEPT of `offer` with one LAUNCH of `task`.
fn launch(
    framework_id: &mesos::v1::FrameworkId,
    offer: &mesos::v1::Offer,
    task: mesos::v1::TaskInfo,
) -> Call {
    use mesos::v1::offer::{operation, Operation};
    let mut call = framework_call(framework_id, call::Type::Accept);
    call.accept = Some(call::Accept {
        offer_ids: vec![offer.id.clone()],
        operations: vec![Operation {
            r#type: Some(operation::Type::Launch as i32),
            launch: Some(operation::Launch {
                task_infos: vec![task],
            }),
            ..Operation::default()
        }],
        filters: None,
    });
    call
}

/// `createTask(offer, "", DEFAULT_EXECUTOR_ID)`: a task with the
/// default executor on all of the offer's resources.
fn create_task(offer: &mesos::v1::Offer, id: &str) -> mesos::v1::TaskInfo {
    evolve(&TaskInfo {
        name: String::new(),
        task_id: mesos::TaskId {
            value: id.to_string(),
        },
        slave_id: devolve(&offer.agent_id).expect("a SlaveID"),
        resources: offer
            .resources
            .iter()
            .map(|r| devolve(r).expect("a Resource"))
            .collect(),
        executor: Some(default_executor_info()),
        ..TaskInfo::default()
    })
    .expect("a v1 TaskInfo")
}

/// DECLINE of `offer` with a filter of `refuse_seconds`.
fn decline_call(
    framework_id: &mesos::v1::FrameworkId,
    offer: &mesos::v1::Offer,
    refuse_seconds: f64,
) -> Call {
    let mut call = framework_call(framework_id, call::Type::Decline);
    call.decline = Some(call::Decline {
        offer_ids: vec![offer.id.clone()],
        filters: Some(mesos::v1::Filters {
            refuse_seconds: Some(refuse_seconds),
        }),
    });
    call
}

#[test]
fn subscribe() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let master = Master::start(create_master_flags()).expect("the master starts");
        let scheduler = MockHttpScheduler::new();
        let (_mesos, subscribed) = connect_and_subscribe(
            &master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        assert_eq!(
            Some(DEFAULT_HEARTBEAT_INTERVAL.secs()),
            subscribed.heartbeat_interval_seconds
        );
        let info = await_ready(&libprocess::dispatch(&master.pid, |m| m.info().clone()));
        let info: mesos::v1::MasterInfo = evolve(&info).expect("a v1 MasterInfo");
        // Compared as protobuf sees them: v1's MasterInfo in 1.11 does not
        // name QUOTA_V2, which a JSON stream therefore leaves out.
        assert_eq!(
            mesos::json::to_json(&info),
            mesos::json::to_json(&subscribed.master_info.expect("the master's info"))
        );
    }
}

#[test]
fn subscribe_drop() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let master = Master::start(create_master_flags()).expect("the master starts");
        let scheduler = MockHttpScheduler::new();
        let connected = scheduler.connected.future();
        let mesos = test_mesos(master.create_detector(), content_type, &scheduler);
        await_ready(&connected);
        let subscribed = scheduler.subscribed.future();
        let heartbeat = scheduler.heartbeat.future();

        Clock::pause();
        // The second is dropped: a SUBSCRIBE is in flight on the connection.
        mesos.send(subscribe_call(default_v1_framework_info()));
        mesos.send(subscribe_call(default_v1_framework_info()));
        await_ready(&subscribed);
        await_ready(&heartbeat);
        Clock::resume();

        let snapshot = await_ready(&libprocess::metrics::snapshot(None));
        assert_eq!(
            Some(&1.0),
            snapshot.get("master/messages_register_framework")
        );
    }
}

#[test]
fn scheduler_failover() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let master = Master::start(create_master_flags()).expect("the master starts");
        let scheduler = MockHttpScheduler::new();
        let (_mesos, subscribed) = connect_and_subscribe(
            &master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        let framework_id = subscribed.framework_id;

        // Another instance takes over: the first hears so, and its stream
        // ends.
        let error = scheduler.error.future();
        let disconnected = scheduler.disconnected.future();
        let scheduler2 = MockHttpScheduler::new();
        let mut info = default_v1_framework_info();
        info.id = Some(framework_id.clone());
        let (_mesos2, subscribed2) =
            connect_and_subscribe(&master, content_type, &scheduler2, info);
        assert_eq!("Framework failed over", await_ready(&error).message);
        await_ready(&disconnected);
        assert_eq!(framework_id, subscribed2.framework_id);
    }
}

#[test]
fn master_failover() {
    use mesos::common::protobuf_utils::master::create_master_info;
    use mesos::master::detector::StandaloneMasterDetector;
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let master = Master::start(create_master_flags()).expect("the master starts");
        let detector = Arc::new(StandaloneMasterDetector::with_pid(master.pid.upid()));
        let scheduler = MockHttpScheduler::new();
        let connected = scheduler.connected.future();
        let mesos = test_mesos(detector.clone(), content_type, &scheduler);
        await_ready(&connected);
        let subscribed = scheduler.subscribed.future();
        mesos.send(subscribe_call(default_v1_framework_info()));
        let framework_id = await_ready(&subscribed).framework_id;

        // The master fails over; nobody leads until the new one does.
        // The detector forgets the old master before it goes (Mesos'
        // test does it right after): a connection that breaks while the
        // old master still leads makes the library reconnect to it, and
        // that `connected` may come late enough to satisfy the future
        // below, before the new master leads.
        let disconnected = scheduler.disconnected.future();
        detector.appoint(None);
        drop(master);
        let master = Master::start(create_master_flags()).expect("the master starts");
        await_ready(&disconnected);

        let connected = scheduler.connected.future();
        detector.appoint(Some(create_master_info(master.pid.upid())));
        await_ready(&connected);
        let subscribed = scheduler.subscribed.future();
        let mut info = default_v1_framework_info();
        info.id = Some(framework_id.clone());
        mesos.send(subscribe_call(info));
        assert_eq!(framework_id, await_ready(&subscribed).framework_id);
    }
}

#[test]
fn task_running() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let executor = MockExecutor::new(default_executor_id());
        let cluster = cluster(&executor);
        let scheduler = MockHttpScheduler::new();
        let offers = scheduler.offers.future();
        let (mesos, subscribed) = connect_and_subscribe(
            &cluster.master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        let framework_id = subscribed.framework_id;
        let offers = await_ready(&offers);
        assert!(!offers.offers.is_empty());

        let registered = executor.registered.future();
        executor
            .launch_task
            .will_once(send_status_update_from_task(TaskState::TaskRunning));
        let update = scheduler.update.future();
        let containerizer_update = cluster.containerizer.update.future();

        let offer = &offers.offers[0];
        let task = mesos::v1::TaskInfo {
            name: String::new(),
            task_id: mesos::v1::TaskId {
                value: "1".to_string(),
            },
            agent_id: offer.agent_id.clone(),
            resources: offer.resources.clone(),
            executor: Some(evolve(&default_executor_info()).expect("a v1 ExecutorInfo")),
            ..mesos::v1::TaskInfo::default()
        };
        mesos.send(launch(&framework_id, offer, task));

        await_ready(&registered);
        let status = await_ready(&update).status;
        assert_eq!(mesos::v1::TaskState::TaskRunning, status.state());
        assert_eq!(
            Some(default_executor_id().value),
            status.executor_id.map(|id| id.value)
        );
        let (_, resources) = await_ready(&containerizer_update);
        let offered: Vec<mesos::Resource> = offer
            .resources
            .iter()
            .map(|r| devolve(r).expect("a Resource"))
            .collect();
        assert_eq!(Resources::from(offered.as_slice()), resources);
    }
}

#[test]
fn reconcile_task() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let executor = MockExecutor::new(default_executor_id());
        let cluster = cluster(&executor);
        let scheduler = MockHttpScheduler::new();
        let offers = scheduler.offers.future();
        let (mesos, subscribed) = connect_and_subscribe(
            &cluster.master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        let framework_id = subscribed.framework_id;
        let offers = await_ready(&offers);
        let offer = &offers.offers[0];

        executor
            .launch_task
            .will_once(send_status_update_from_task(TaskState::TaskRunning));
        let update1 = scheduler.update.future();
        let task = create_task(offer, "reconciled");
        mesos.send(launch(&framework_id, offer, task.clone()));
        assert_eq!(
            mesos::v1::TaskState::TaskRunning,
            await_ready(&update1).status.state()
        );

        let update2 = scheduler.update.future();
        let mut reconcile = framework_call(&framework_id, call::Type::Reconcile);
        reconcile.reconcile = Some(call::Reconcile {
            tasks: vec![call::reconcile::Task {
                task_id: task.task_id.clone(),
                agent_id: None,
            }],
        });
        mesos.send(reconcile);
        let status = await_ready(&update2).status;
        assert_eq!(None, status.uuid);
        assert_eq!(mesos::v1::TaskState::TaskRunning, status.state());
        assert_eq!(
            Some(mesos::v1::task_status::Reason::Reconciliation as i32),
            status.reason
        );
    }
}

#[test]
fn kill_task() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let executor = MockExecutor::new(default_executor_id());
        let cluster = cluster(&executor);
        let scheduler = MockHttpScheduler::new();
        let offers = scheduler.offers.future();
        let (mesos, subscribed) = connect_and_subscribe(
            &cluster.master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        let framework_id = subscribed.framework_id;
        let offers = await_ready(&offers);
        let offer = &offers.offers[0];

        executor
            .launch_task
            .will_once(send_status_update_from_task(TaskState::TaskRunning));
        let update1 = scheduler.update.future();
        let task = create_task(offer, "killed");
        mesos.send(launch(&framework_id, offer, task.clone()));
        let running = await_ready(&update1).status;
        assert_eq!(mesos::v1::TaskState::TaskRunning, running.state());

        // Acknowledge TASK_RUNNING.
        let mut acknowledge = framework_call(&framework_id, call::Type::Acknowledge);
        acknowledge.acknowledge = Some(call::Acknowledge {
            agent_id: offer.agent_id.clone(),
            task_id: task.task_id.clone(),
            uuid: running.uuid.clone().expect("an update to acknowledge"),
        });
        mesos.send(acknowledge);

        let update2 = scheduler.update.future();
        executor
            .kill_task
            .will_once(send_status_update_from_task_id(TaskState::TaskKilled));
        let mut kill = framework_call(&framework_id, call::Type::Kill);
        kill.kill = Some(call::Kill {
            task_id: task.task_id.clone(),
            agent_id: Some(offer.agent_id.clone()),
            kill_policy: None,
        });
        mesos.send(kill);
        assert_eq!(
            mesos::v1::TaskState::TaskKilled,
            await_ready(&update2).status.state()
        );
    }
}

#[test]
fn shutdown_executor() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let executor = MockExecutor::new(default_executor_id());
        let cluster = cluster(&executor);
        let scheduler = MockHttpScheduler::new();
        let offers = scheduler.offers.future();
        let (mesos, subscribed) = connect_and_subscribe(
            &cluster.master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        let framework_id = subscribed.framework_id;
        let offers = await_ready(&offers);
        let offer = &offers.offers[0];

        executor
            .launch_task
            .will_once(send_status_update_from_task(TaskState::TaskFinished));
        let update = scheduler.update.future();
        mesos.send(launch(&framework_id, offer, create_task(offer, "finished")));
        assert_eq!(
            mesos::v1::TaskState::TaskFinished,
            await_ready(&update).status.state()
        );

        let shutdown = executor.shutdown.future();
        let failure = scheduler.failure.future();
        let mut call = framework_call(&framework_id, call::Type::Shutdown);
        call.shutdown = Some(call::Shutdown {
            executor_id: evolve(&default_executor_id()).expect("a v1 ExecutorID"),
            agent_id: offer.agent_id.clone(),
        });
        mesos.send(call);

        await_ready(&shutdown);
        let v0_framework_id = devolve(&framework_id).expect("a FrameworkID");
        cluster
            .containerizer
            .destroy_executor(&v0_framework_id, &default_executor_id());

        // The executor's termination is a FAILURE event.
        let failure = await_ready(&failure);
        assert_eq!(
            Some(default_executor_id().value),
            failure.executor_id.map(|id| id.value)
        );
    }
}

#[test]
fn decline() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let flags = create_master_flags();
        let allocation_interval = flags.allocation_interval;
        let executor = MockExecutor::new(default_executor_id());
        let cluster = cluster(&executor);
        let scheduler = MockHttpScheduler::new();
        let offers1 = scheduler.offers.future();
        let (mesos, subscribed) = connect_and_subscribe(
            &cluster.master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        let offers1 = await_ready(&offers1);
        assert_eq!(1, offers1.offers.len());
        let offer = &offers1.offers[0];

        let offers2 = scheduler.offers.future();
        let recovered = future_dispatch(ANY, HierarchicalAllocatorProcess::recover_resources);
        // A 0 s filter: the resources come back at the next allocation.
        mesos.send(decline_call(&subscribed.framework_id, offer, 0.0));
        await_ready(&recovered);

        Clock::pause();
        Clock::advance(allocation_interval);
        Clock::resume();

        let offers2 = await_ready(&offers2);
        assert_eq!(1, offers2.offers.len());
        assert_eq!(offer.resources, offers2.offers[0].resources);
    }
}

#[test]
fn revive() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let executor = MockExecutor::new(default_executor_id());
        let cluster = cluster(&executor);
        let scheduler = MockHttpScheduler::new();
        let offers1 = scheduler.offers.future();
        let (mesos, subscribed) = connect_and_subscribe(
            &cluster.master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        let framework_id = subscribed.framework_id;
        let offers1 = await_ready(&offers1);
        let offer = &offers1.offers[0];

        let offers2 = scheduler.offers.future();
        // A 1 hour filter: no offer in the next 30 minutes.
        mesos.send(decline_call(
            &framework_id,
            offer,
            Duration::from_mins(60).secs(),
        ));
        Clock::pause();
        Clock::advance(Duration::from_mins(30));
        Clock::settle();
        assert!(offers2.is_pending());

        // Reviving clears the filter.
        mesos.send(framework_call(&framework_id, call::Type::Revive));
        let offers2 = await_ready(&offers2);
        assert!(!offers2.offers.is_empty());
        assert_eq!(offer.resources, offers2.offers[0].resources);
        Clock::resume();
    }
}

#[test]
fn suppress() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let executor = MockExecutor::new(default_executor_id());
        let cluster = cluster(&executor);
        let scheduler = MockHttpScheduler::new();
        let offers1 = scheduler.offers.future();
        let mut info = default_v1_framework_info();
        info.roles = vec!["foo".to_string()];
        let (mesos, subscribed) =
            connect_and_subscribe(&cluster.master, content_type, &scheduler, info.clone());
        let framework_id = subscribed.framework_id;
        let offers1 = await_ready(&offers1);
        let offer = &offers1.offers[0];

        let offers2 = scheduler.offers.future();
        // The master has processed the DECLINE once the offer's resources
        // are back in the allocator.
        let declined = future_dispatch(ANY, HierarchicalAllocatorProcess::recover_resources);
        mesos.send(decline_call(
            &framework_id,
            offer,
            Duration::from_mins(60).secs(),
        ));
        await_ready(&declined);
        Clock::pause();
        Clock::settle();
        Clock::resume();

        info.id = Some(framework_id.clone());
        let prefix = framework_metric_prefix(&devolve(&info).expect("a FrameworkInfo"));
        let metrics1 = await_ready(&libprocess::metrics::snapshot(None));
        assert_eq!(Some(&1.0), metrics1.get(&format!("{prefix}subscribed")));
        assert_eq!(
            Some(&1.0),
            metrics1.get(&format!("{prefix}offers/declined"))
        );
        let suppressed_metric = format!("{prefix}roles/foo/suppressed");
        assert_eq!(Some(&0.0), metrics1.get(&suppressed_metric));

        let suppressed = future_dispatch(ANY, HierarchicalAllocatorProcess::suppress_offers);
        mesos.send(framework_call(&framework_id, call::Type::Suppress));
        await_ready(&suppressed);

        // The allocator has run `suppress_offers`.
        Clock::pause();
        Clock::settle();
        let metrics2 = await_ready(&libprocess::metrics::snapshot(None));
        assert_eq!(Some(&1.0), metrics2.get(&suppressed_metric));

        // No offers in 100 minutes: the framework suppressed them.
        Clock::advance(Duration::from_mins(100));
        Clock::settle();
        assert!(offers2.is_pending());

        // Reviving brings the same resources back.
        mesos.send(framework_call(&framework_id, call::Type::Revive));
        let offers2 = await_ready(&offers2);
        assert!(!offers2.offers.is_empty());
        assert_eq!(offer.resources, offers2.offers[0].resources);
        Clock::resume();
    }
}

#[test]
fn message() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let executor = MockExecutor::new(default_executor_id());
        let cluster = cluster(&executor);
        let scheduler = MockHttpScheduler::new();
        let offers = scheduler.offers.future();
        let (mesos, subscribed) = connect_and_subscribe(
            &cluster.master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );
        let framework_id = subscribed.framework_id;
        let offers = await_ready(&offers);
        let offer = &offers.offers[0];

        executor
            .launch_task
            .will_once(send_status_update_from_task(TaskState::TaskRunning));
        let update = scheduler.update.future();
        mesos.send(launch(&framework_id, offer, create_task(offer, "messaged")));
        assert_eq!(
            mesos::v1::TaskState::TaskRunning,
            await_ready(&update).status.state()
        );

        // The executor answers, and its message reaches the scheduler as
        // a MESSAGE event.
        let message = executor.framework_message.future_and(|driver, _| {
            driver.send_framework_message(&b"hello scheduler"[..]);
        });
        let received = scheduler.message.future();
        let mut call = framework_call(&framework_id, call::Type::Message);
        call.message = Some(call::Message {
            agent_id: offer.agent_id.clone(),
            executor_id: evolve(&default_executor_id()).expect("a v1 ExecutorID"),
            data: "hello world".into(),
        });
        mesos.send(call);
        assert_eq!(b"hello world".to_vec(), await_ready(&message));
        let received = await_ready(&received);
        assert_eq!(&b"hello scheduler"[..], &received.data[..]);
        assert_eq!(offer.agent_id, received.agent_id);
    }
}

#[test]
fn request() {
    for content_type in LIBRARY_CONTENT_TYPES {
        let _rt = listening();
        let master = Master::start(create_master_flags()).expect("the master starts");
        let scheduler = MockHttpScheduler::new();
        let (mesos, subscribed) = connect_and_subscribe(
            &master,
            content_type,
            &scheduler,
            default_v1_framework_info(),
        );

        let requested = future_dispatch(ANY, HierarchicalAllocatorProcess::request_resources);
        let mut call = framework_call(&subscribed.framework_id, call::Type::Request);
        call.request = Some(call::Request {
            requests: vec![mesos::v1::Request::default()],
        });
        mesos.send(call);
        await_ready(&requested);
    }
}
