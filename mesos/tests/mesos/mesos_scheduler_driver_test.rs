//! Mesos' `MesosSchedulerDriverTest` (`src/tests/scheduler_driver_tests.cpp`)
//! against a hand-made master; the rest of the driver's protocol with it is
//! in [`protocol`].

use std::sync::Arc;

use libprocess::testing::{self as lp, ANY};
use libprocess::{name_of, spawn, Clock, Message, PID, UPID};
use mesos::common::protobuf_utils::master::create_master_info;
use mesos::internal::{
    DeactivateFrameworkMessage, ExecutorToFrameworkMessage, ExitedExecutorMessage,
    FrameworkErrorMessage, FrameworkRegisteredMessage, FrameworkReregisteredMessage,
    FrameworkToExecutorMessage, LostSlaveMessage, RescindResourceOfferMessage,
    ResourceOffersMessage, StatusUpdate, StatusUpdateMessage,
};
use mesos::master::detector::StandaloneMasterDetector;
use mesos::offer::operation::Type as OperationType;
use mesos::sched::MesosSchedulerDriver;
use mesos::scheduler::{call, event, Call, Event};
use mesos::task_status::{Reason, Source};
use mesos::testing::cluster::Slave;
use mesos::testing::{
    expect_no_future_calls, future_call, send_status_update_from_task, MockScheduler,
};
use mesos::{Filters, FrameworkInfo, Offer, Status, TaskInfo, TaskState, TaskStatus};
use prost::Message as _;
use stout::Duration;

use crate::cluster_helpers as ch;
use crate::driver_helpers::{
    assert_empty, default_framework_info, executor_id, framework_id, next, offer_id, send_as,
    slave_id, task_id, watch, RecordingScheduler, Sched, Stub,
};

mod protocol;

/// A master standing in for Mesos', the detector that names it, and a
/// driver that has not started.
struct Setup {
    master: PID<Stub>,
    detector: StandaloneMasterDetector,
    driver: MesosSchedulerDriver,
    calls: libprocess::Queue<Sched>,
}

fn setup_with(
    (scheduler, calls): (RecordingScheduler, libprocess::Queue<Sched>),
    framework: FrameworkInfo,
    implicit_acknowledgements: bool,
) -> Setup {
    let master = spawn(Stub("master"));
    let detector = StandaloneMasterDetector::with_pid(master.upid());
    let driver = MesosSchedulerDriver::with_detector(
        scheduler,
        framework,
        Arc::new(detector.clone()),
        implicit_acknowledgements,
    );
    Setup {
        master,
        detector,
        driver,
        calls,
    }
}

fn setup(implicit_acknowledgements: bool) -> Setup {
    setup_with(
        RecordingScheduler::new(),
        default_framework_info(),
        implicit_acknowledgements,
    )
}

fn decode(message: &Message) -> Call {
    Call::decode(message.body.clone()).expect("a mesos.scheduler.Call")
}

/// The next call `to` gets, with its sender.
fn future_call_message(to: &PID<Stub>) -> libprocess::Future<Message> {
    lp::future_message(name_of::<Call>(), ANY, to)
}

const FRAMEWORK: &str = "framework-1";

impl Setup {
    /// Starts the driver and registers it: returns the driver's pid.
    fn register(&self) -> UPID {
        let subscribe = future_call_message(&self.master);
        assert_eq!(Status::DriverRunning, self.driver.start());
        let message = lp::await_ready(&subscribe);
        let call = decode(&message);
        assert_eq!(Some(call::Type::Subscribe as i32), call.r#type);
        self.respond_registered(&message.from);
        match next(&self.calls) {
            Sched::Registered(id, master) => {
                assert_eq!(framework_id(FRAMEWORK), id);
                assert_eq!(Some(self.master.upid().to_string()), master.pid);
            }
            other => panic!("expected registered, got {:?}", other),
        }
        message.from
    }

    fn respond_registered(&self, scheduler: &UPID) {
        send_as(
            self.master.upid(),
            scheduler,
            &FrameworkRegisteredMessage {
                framework_id: framework_id(FRAMEWORK),
                master_info: create_master_info(self.master.upid()),
            },
        );
    }

    /// Offers one agent's resources (the agent is `agent`).
    fn offer(&self, scheduler: &UPID, id: &str, agent: &UPID) -> Offer {
        let offer = Offer {
            id: offer_id(id),
            framework_id: framework_id(FRAMEWORK),
            slave_id: slave_id("agent-1"),
            hostname: "localhost".to_string(),
            ..Offer::default()
        };
        send_as(
            self.master.upid(),
            scheduler,
            &ResourceOffersMessage {
                offers: vec![offer.clone()],
                pids: vec![agent.to_string()],
            },
        );
        assert_eq!(Sched::Offers(vec![offer.clone()]), next(&self.calls));
        offer
    }

    fn stop(&self) {
        self.driver.stop(false);
        assert_eq!(Status::DriverStopped, self.driver.join());
    }
}

fn task(id: &str) -> TaskInfo {
    TaskInfo {
        name: id.to_string(),
        task_id: task_id(id),
        slave_id: slave_id("agent-1"),
        ..TaskInfo::default()
    }
}

fn status_update(state: TaskState, uuid: Option<&[u8]>) -> StatusUpdate {
    StatusUpdate {
        framework_id: framework_id(FRAMEWORK),
        slave_id: Some(slave_id("agent-1")),
        status: TaskStatus {
            task_id: task_id("1"),
            state: state as i32,
            slave_id: Some(slave_id("agent-1")),
            uuid: uuid.map(bytes::Bytes::copy_from_slice),
            ..TaskStatus::default()
        },
        uuid: uuid.map(bytes::Bytes::copy_from_slice),
        ..StatusUpdate::default()
    }
}

/// MesosSchedulerDriverTest.DropAckIfStopCalledBeforeAbort: a scheduler
/// that stops and aborts the driver in `status_update` sends no
/// acknowledgement.
#[test]
fn drop_ack_if_stop_called_before_abort() {
    let _rt = lp::runtime();
    let scheduler = RecordingScheduler::with_action(|driver, call| {
        if let Sched::Status(_) = call {
            driver.stop(false);
            driver.abort();
        }
    });
    let setup = setup_with(scheduler, default_framework_info(), true);
    let scheduler = setup.register();
    assert_ne!(setup.driver, self::setup(true).driver);

    expect_no_future_calls::<Call>(call::Type::Acknowledge, ANY, &setup.master);
    send_as(
        setup.master.upid(),
        &scheduler,
        &StatusUpdateMessage {
            update: status_update(TaskState::TaskRunning, Some(b"0123456789abcdef")),
            pid: Some("slave(1)@127.0.0.1:5051".to_string()),
        },
    );
    assert!(matches!(next(&setup.calls), Sched::Status(_)));

    Clock::pause();
    Clock::settle();

    setup.driver.stop(false);
    setup.driver.join();
}

/// MesosSchedulerDriverTest.ReregisterAfterSuppress: the roles suppressed
/// before a master failover stay suppressed in the new SUBSCRIBE.
#[test]
fn reregister_after_suppress() {
    let _rt = lp::runtime();
    let setup = setup(true);
    let scheduler = setup.register();

    let suppress = future_call::<Call>(call::Type::Suppress, ANY, &setup.master);
    setup.driver.suppress_offers(vec![]);
    let suppress = lp::await_ready(&suppress);
    assert_eq!(None, suppress.suppress);

    let subscribe = future_call::<Call>(call::Type::Subscribe, ANY, &setup.master);
    setup.detector.appoint(None);
    setup
        .detector
        .appoint(Some(create_master_info(setup.master.upid())));
    assert_eq!(Sched::Disconnected, next(&setup.calls));

    let subscribe = lp::await_ready(&subscribe);
    assert_eq!(Some(framework_id(FRAMEWORK)), subscribe.framework_id);
    let subscribe = subscribe.subscribe.expect("subscribe");
    assert_eq!(Some(false), subscribe.force);
    assert_eq!(vec!["*".to_string()], subscribe.suppressed_roles);

    send_as(
        setup.master.upid(),
        &scheduler,
        &FrameworkReregisteredMessage {
            framework_id: framework_id(FRAMEWORK),
            master_info: create_master_info(setup.master.upid()),
        },
    );
    assert!(matches!(next(&setup.calls), Sched::Reregistered(_)));

    setup.stop();
}

fn two_roles() -> FrameworkInfo {
    FrameworkInfo {
        roles: vec!["role1".to_string(), "role2".to_string()],
        ..default_framework_info()
    }
}

/// MesosSchedulerDriverTest.RegisterWithSuppressedRole: SUBSCRIBE carries
/// the roles the driver was created with suppressed.
#[test]
fn register_with_suppressed_role() {
    let _rt = lp::runtime();
    let setup = setup_with(RecordingScheduler::new(), two_roles(), false);
    let driver = setup
        .driver
        .clone()
        .with_suppressed_roles(vec!["role2".to_string()]);

    let subscribe = future_call::<Call>(call::Type::Subscribe, ANY, &setup.master);
    driver.start();
    let subscribe = lp::await_ready(&subscribe).subscribe.expect("subscribe");
    assert_eq!(vec!["role2".to_string()], subscribe.suppressed_roles);
    assert_eq!(two_roles().roles, subscribe.framework_info.roles);

    setup.stop();
}

/// MesosSchedulerDriverTest.SuppressSingleRole: SUPPRESS names the role.
#[test]
fn suppress_single_role() {
    let _rt = lp::runtime();
    let setup = setup_with(RecordingScheduler::new(), two_roles(), true);
    setup.register();

    let suppress = future_call::<Call>(call::Type::Suppress, ANY, &setup.master);
    setup.driver.suppress_offers(vec!["role1".to_string()]);
    let suppress = lp::await_ready(&suppress);
    assert_eq!(Some(framework_id(FRAMEWORK)), suppress.framework_id);
    assert_eq!(
        vec!["role1".to_string()],
        suppress.suppress.expect("roles").roles
    );

    setup.stop();
}

/// MesosSchedulerDriverTest.ReviveSingleRole: UPDATE_FRAMEWORK carries
/// the suppressed roles, REVIVE the revived one.
#[test]
fn revive_single_role() {
    let _rt = lp::runtime();
    let setup = setup_with(RecordingScheduler::new(), two_roles(), true);
    setup.register();

    let declines = [
        future_call::<Call>(call::Type::Decline, ANY, &setup.master),
        future_call::<Call>(call::Type::Decline, ANY, &setup.master),
    ];
    let filter1day = Filters {
        refuse_seconds: Some(Duration::from_days(1).secs()),
    };
    setup.driver.decline_offer(offer_id("o1"), filter1day);
    setup.driver.decline_offer(offer_id("o2"), filter1day);
    for decline in &declines {
        let decline = lp::await_ready(decline).decline.expect("decline");
        assert_eq!(Some(filter1day), decline.filters);
    }

    let update = future_call::<Call>(call::Type::UpdateFramework, ANY, &setup.master);
    let mut framework = two_roles();
    framework.id = Some(framework_id(FRAMEWORK));
    setup
        .driver
        .update_framework(framework.clone(), vec!["role2".to_string()], None);
    let update = lp::await_ready(&update).update_framework.expect("update");
    assert_eq!(vec!["role2".to_string()], update.suppressed_roles);
    assert_eq!(framework.roles, update.framework_info.roles);

    let revive = future_call::<Call>(call::Type::Revive, ANY, &setup.master);
    setup.driver.revive_offers(vec!["role2".to_string()]);
    let revive = lp::await_ready(&revive);
    assert_eq!(
        vec!["role2".to_string()],
        revive.revive.expect("roles").roles
    );

    setup.stop();
}

/// MesosSchedulerDriverTest.RegistrationWithZeroFailoverTime: a zero
/// failover timeout does not make the backoff zero: with the clock
/// paused, a dropped SUBSCRIBE is not retried.
#[test]
fn registration_with_zero_failover_time() {
    let _rt = lp::runtime();
    let master = ch::start_master();
    let mut framework = mesos::testing::default_framework_info();
    framework.failover_timeout = Some(0.0);
    let sched = MockScheduler::new();
    let driver = ch::driver_with(&sched, framework, &master, true);

    Clock::pause();
    let dropped = mesos::testing::drop_call::<Call>(call::Type::Subscribe, ANY, &master.pid);
    driver.start();
    lp::await_ready(&dropped);
    expect_no_future_calls::<Call>(call::Type::Subscribe, ANY, &master.pid);
    Clock::settle();

    ch::stop(&driver);
}

/// MesosSchedulerDriverTest.MetricsEndpoint: the driver's metrics are in
/// the snapshot.
#[test]
fn metrics_endpoint() {
    let _rt = ch::loopback_runtime();
    let master = ch::start_master();
    let sched = MockScheduler::new();
    let driver = ch::driver(&sched, &master);
    let registered = sched.registered.future();
    assert_eq!(Status::DriverRunning, driver.start());
    lp::await_ready(&registered);

    let metrics = UPID::new("metrics", libprocess::address());
    let response = lp::await_ready(&libprocess::http::get(
        &metrics,
        "snapshot",
        None,
        libprocess::http::Headers::new(),
    ));
    assert_eq!("200 OK", response.status());
    assert_eq!(
        Some("application/json"),
        response.headers.get("Content-Type")
    );
    let snapshot: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&response.body_bytes()).expect("a JSON object");
    assert!(snapshot.contains_key("scheduler/event_queue_messages"));
    assert!(snapshot.contains_key("scheduler/event_queue_dispatches"));

    ch::stop(&driver);
}

/// MesosSchedulerDriverTest.ExplicitAcknowledgements: without implicit
/// acknowledgements, nothing is acknowledged until the scheduler calls
/// `acknowledge_status_update`.
#[test]
fn explicit_acknowledgements() {
    let _rt = lp::runtime();
    let master = ch::start_master();
    let exec = ch::default_exec();
    let (_containerizer, _slave) = ch::start_slave(&master, &exec);

    let sched = MockScheduler::new();
    let driver = ch::driver_with(
        &sched,
        mesos::testing::default_framework_info(),
        &master,
        false,
    );
    sched
        .resource_offers
        .will_once(mesos::testing::launch_tasks(
            mesos::testing::default_executor_info(),
            1,
            1.0,
            16.0,
            "*",
        ));
    let status = sched.status_update.future();
    expect_no_future_calls::<Call>(call::Type::Acknowledge, ANY, &master.pid);
    exec.launch_task
        .will_once(send_status_update_from_task(TaskState::TaskRunning));
    driver.start();

    let status = lp::await_ready(&status);

    // The driver is done with the update: no implicit acknowledgement.
    Clock::pause();
    Clock::settle();

    let acknowledgement = future_call::<Call>(call::Type::Acknowledge, ANY, &master.pid);
    driver.acknowledge_status_update(status.clone());
    let acknowledge = lp::await_ready(&acknowledgement)
        .acknowledge
        .expect("acknowledge");
    assert_eq!(status.uuid, Some(acknowledge.uuid));
    assert_eq!(status.task_id, acknowledge.task_id);
    assert_eq!(status.slave_id, Some(acknowledge.slave_id));

    ch::stop(&driver);
}

/// MesosSchedulerDriverTest.ExplicitAcknowledgementsMasterGeneratedUpdate:
/// an update the master made is not acknowledged.
#[test]
fn explicit_acknowledgements_master_generated_update() {
    let _rt = ch::loopback_runtime();
    let master = ch::start_master();
    let _slave = Slave::start_mesos(master.create_detector(), |_| {}).expect("the agent starts");

    let sched = MockScheduler::new();
    let driver = ch::driver_with(
        &sched,
        mesos::testing::default_framework_info(),
        &master,
        false,
    );
    expect_no_future_calls::<Call>(call::Type::Acknowledge, ANY, &master.pid);
    let offers = ch::start_and_await_offers(&driver, &sched);

    // A task using no resources.
    let task = TaskInfo {
        name: String::new(),
        task_id: task_id("1"),
        slave_id: offers[0].slave_id.clone(),
        executor: Some(mesos::testing::default_executor_info()),
        ..TaskInfo::default()
    };
    let status = sched.status_update.future();
    driver.launch_tasks(vec![offers[0].id.clone()], vec![task], Filters::default());
    let status = lp::await_ready(&status);
    assert_eq!(TaskState::TaskError, status.state());
    assert_eq!(Source::Master, status.source());
    assert_eq!(Reason::TaskInvalid, status.reason());

    // Dropped by the driver: the update came from the master.
    driver.acknowledge_status_update(status);
    Clock::pause();
    Clock::settle();

    ch::stop(&driver);
}

/// MesosSchedulerDriverTest.ExplicitAcknowledgementsUnsetSlaveID: an
/// update without an agent (reconciliation of a task on no agent) is not
/// acknowledged.
#[test]
fn explicit_acknowledgements_unset_slave_id() {
    let _rt = lp::runtime();
    let master = ch::start_master();
    let sched = MockScheduler::new();
    let driver = ch::driver_with(
        &sched,
        mesos::testing::default_framework_info(),
        &master,
        false,
    );
    let registered = sched.registered.future();
    expect_no_future_calls::<Call>(call::Type::Acknowledge, ANY, &master.pid);
    driver.start();
    lp::await_ready(&registered);

    let update = sched.status_update.future();
    driver.reconcile_tasks(vec![TaskStatus {
        task_id: task_id("foo"),
        state: TaskState::TaskRunning as i32,
        ..TaskStatus::default()
    }]);
    let update = lp::await_ready(&update);
    assert_eq!(TaskState::TaskLost, update.state());
    assert_eq!(Source::Master, update.source());
    assert_eq!(Reason::Reconciliation, update.reason());
    assert_eq!(None, update.slave_id);

    // Dropped by the driver: the update has no agent.
    driver.acknowledge_status_update(update);
    Clock::pause();
    Clock::settle();

    ch::stop(&driver);
}
