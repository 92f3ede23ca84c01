//! The v1 executor library (`mesos::v1::executor::Mesos`, Mesos'
//! `src/executor/executor.cpp`) against a fake agent: connection,
//! subscription, the event stream in both encodings, dropped calls,
//! disconnection and reconnection.

use std::collections::{BTreeMap, VecDeque};

use libprocess::testing::await_ready;
use libprocess::{Clock, Queue};
use mesos::v1::executor::{
    call, event, Call, Callbacks, Config, ConfigError, ContentType, Event, Mesos,
};
use mesos::v1::{TaskId, TaskStatus};
use stout::Duration;

use crate::command_executor_test::framework;
use crate::fake_agent::{executor_id, framework_id, runtime, Agent};

/// What the library told the test.
#[derive(Clone, Debug, PartialEq)]
enum Delivery {
    Connected,
    Disconnected,
    Event(Box<Event>),
}

struct Recorder(Queue<Delivery>);

impl Callbacks for Recorder {
    fn connected(&mut self) {
        self.0.put(Delivery::Connected);
    }

    fn disconnected(&mut self) {
        self.0.put(Delivery::Disconnected);
    }

    fn received(&mut self, events: VecDeque<Event>) {
        for event in events {
            self.0.put(Delivery::Event(Box::new(event)));
        }
    }
}

fn config(agent: &Agent) -> Config {
    Config {
        agent: agent.url(),
        local: true,
        checkpoint: false,
        recovery_timeout: None,
        max_backoff: None,
        shutdown_grace_period: Duration::from_secs(5),
        authentication_token: None,
    }
}

fn subscribe_call() -> Call {
    Call {
        r#type: Some(call::Type::Subscribe as i32),
        framework_id: framework_id(),
        executor_id: executor_id(),
        subscribe: Some(call::Subscribe::default()),
        ..Call::default()
    }
}

fn event_type(delivery: &Delivery) -> Option<event::Type> {
    match delivery {
        Delivery::Event(event) => event.r#type.and_then(|t| event::Type::try_from(t).ok()),
        _ => None,
    }
}

/// Connects and subscribes; the SUBSCRIBED event arrives.
fn subscribe(content_type: ContentType, config: Config) -> (Mesos, Queue<Delivery>) {
    let deliveries = Queue::new();
    let mesos = Mesos::new(content_type, config, Recorder(deliveries.clone()));
    assert_eq!(Delivery::Connected, await_ready(&deliveries.get()));
    mesos.send(subscribe_call());
    let subscribed = await_ready(&deliveries.get());
    assert_eq!(Some(event::Type::Subscribed), event_type(&subscribed));
    (mesos, deliveries)
}

#[test]
fn subscribe_protobuf() {
    let _runtime = runtime();
    let agent = Agent::start(framework(false));
    let (_mesos, deliveries) = subscribe(ContentType::Protobuf, config(&agent));
    let call = await_ready(&agent.next_call());
    assert_eq!(subscribe_call(), call);

    agent.send(Event {
        r#type: Some(event::Type::Message as i32),
        message: Some(event::Message {
            data: "hello".into(),
        }),
        ..Event::default()
    });
    let message = await_ready(&deliveries.get());
    let Delivery::Event(message) = message else {
        panic!("{:?}", message);
    };
    assert_eq!(
        Some(&b"hello"[..]),
        message.message.as_ref().map(|m| &m.data[..])
    );
}

#[test]
fn subscribe_json() {
    let _runtime = runtime();
    let agent = Agent::start(framework(true));
    let (_mesos, deliveries) = subscribe(ContentType::Json, config(&agent));
    assert_eq!(subscribe_call(), await_ready(&agent.next_call()));

    agent.send(Event {
        r#type: Some(event::Type::Kill as i32),
        kill: Some(event::Kill {
            task_id: TaskId {
                value: "1".to_string(),
            },
            kill_policy: None,
        }),
        ..Event::default()
    });
    let kill = await_ready(&deliveries.get());
    assert_eq!(Some(event::Type::Kill), event_type(&kill));
}

/// Calls other than SUBSCRIBE are dropped until subscribed, and invalid
/// calls always.
#[test]
fn drops_calls() {
    let _runtime = runtime();
    let agent = Agent::start(framework(false));
    let deliveries = Queue::new();
    let mesos = Mesos::new(
        ContentType::Protobuf,
        config(&agent),
        Recorder(deliveries.clone()),
    );
    assert_eq!(Delivery::Connected, await_ready(&deliveries.get()));

    let message = Call {
        r#type: Some(call::Type::Message as i32),
        framework_id: framework_id(),
        executor_id: executor_id(),
        message: Some(call::Message { data: "1".into() }),
        ..Call::default()
    };
    mesos.send(message.clone());
    mesos.send(subscribe_call());
    let subscribed = await_ready(&deliveries.get());
    assert_eq!(Some(event::Type::Subscribed), event_type(&subscribed));
    // An UPDATE without a source is invalid.
    mesos.send(Call {
        r#type: Some(call::Type::Update as i32),
        framework_id: framework_id(),
        executor_id: executor_id(),
        update: Some(call::Update {
            status: TaskStatus::default(),
        }),
        ..Call::default()
    });
    mesos.send(message.clone());

    assert_eq!(subscribe_call(), await_ready(&agent.next_call()));
    assert_eq!(message, await_ready(&agent.next_call()));
}

#[test]
fn authentication_token() {
    let _runtime = runtime();
    let agent = Agent::start(framework(false));
    let mut config = config(&agent);
    config.authentication_token = Some("secret".to_string());
    let (_mesos, _deliveries) = subscribe(ContentType::Protobuf, config);
    await_ready(&agent.next_call());
    assert_eq!(Some("Bearer secret".to_string()), agent.authorization());
}

/// Without checkpointing, losing the agent means shutting down.
#[test]
fn disconnection_without_checkpoint_shuts_down() {
    let _runtime = runtime();
    let agent = Agent::start(framework(false));
    let (_mesos, deliveries) = subscribe(ContentType::Protobuf, config(&agent));

    agent.close_stream();
    assert_eq!(Delivery::Disconnected, await_ready(&deliveries.get()));
    let shutdown = await_ready(&deliveries.get());
    assert_eq!(Some(event::Type::Shutdown), event_type(&shutdown));
}

/// With checkpointing, the library reconnects (the agent may be
/// recovering) and the executor can subscribe again.
#[test]
fn disconnection_with_checkpoint_reconnects() {
    let _runtime = runtime();
    let agent = Agent::start(framework(false));
    let mut config = config(&agent);
    config.checkpoint = true;
    config.recovery_timeout = Some(Duration::from_mins(15));
    config.max_backoff = Some(Duration::from_secs(2));
    Clock::pause();
    let (mesos, deliveries) = subscribe(ContentType::Protobuf, config);
    await_ready(&agent.next_call());

    agent.close_stream();
    assert_eq!(Delivery::Disconnected, await_ready(&deliveries.get()));
    assert_eq!(Delivery::Connected, await_ready(&deliveries.get()));
    mesos.send(subscribe_call());
    assert_eq!(subscribe_call(), await_ready(&agent.next_call()));
    let subscribed = await_ready(&deliveries.get());
    assert_eq!(Some(event::Type::Subscribed), event_type(&subscribed));

    // Reconnected in time: the recovery timeout does not shut it down.
    Clock::advance(Duration::from_mins(15));
    Clock::settle();
    assert!(deliveries.get().is_pending());
}

fn environment(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn config_from_environment() {
    let _runtime = libprocess::testing::runtime();
    let config = Config::from_environment(&environment(&[
        ("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:5051"),
        ("MESOS_CHECKPOINT", "1"),
        ("MESOS_RECOVERY_TIMEOUT", "15mins"),
        ("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs"),
        ("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs"),
        ("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "token"),
    ]))
    .expect("a complete environment");
    assert_eq!(
        "http://127.0.0.1:5051/slave(1)/api/v1/executor",
        config.agent.to_string()
    );
    assert!(config.checkpoint);
    assert!(!config.local);
    assert_eq!(Some(Duration::from_mins(15)), config.recovery_timeout);
    assert_eq!(Some(Duration::from_secs(2)), config.max_backoff);
    assert_eq!(Duration::from_secs(5), config.shutdown_grace_period);
    assert_eq!(Some("token".to_string()), config.authentication_token);
}

#[test]
fn config_errors() {
    let _runtime = libprocess::testing::runtime();
    let error = Config::from_environment(&BTreeMap::new()).unwrap_err();
    assert_eq!(ConfigError::Missing("MESOS_SLAVE_PID"), error);
    assert_eq!(
        "Expecting 'MESOS_SLAVE_PID' to be set in the environment",
        error.to_string()
    );

    let error = Config::from_environment(&environment(&[
        ("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:5051"),
        ("MESOS_CHECKPOINT", "1"),
        ("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs"),
    ]))
    .unwrap_err();
    assert_eq!(ConfigError::Missing("MESOS_RECOVERY_TIMEOUT"), error);

    let error = Config::from_environment(&environment(&[
        ("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:5051"),
        ("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "soon"),
    ]))
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("Failed to parse MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD 'soon'"),
        "{}",
        error
    );
}

#[test]
fn from_environment() {
    let _runtime = runtime();
    let agent = Agent::start(framework(false));
    let pid = agent.pid();
    let deliveries = Queue::new();
    let mesos = Mesos::from_environment(
        ContentType::Protobuf,
        &environment(&[
            ("MESOS_SLAVE_PID", &pid),
            ("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs"),
            ("MESOS_LOCAL", "1"),
            ("MESOS_INITIALIZE_DRIVER_LOGGING", "false"),
            ("MESOS_SOMETHING_ELSE", "ignored"),
        ]),
        Recorder(deliveries.clone()),
    )
    .expect("a complete environment");
    assert_eq!(Delivery::Connected, await_ready(&deliveries.get()));
    mesos.send(subscribe_call());
    assert_eq!(subscribe_call(), await_ready(&agent.next_call()));

    let error = Mesos::from_environment(
        ContentType::Protobuf,
        &environment(&[("MESOS_LOGBUFSECS", "soon")]),
        Recorder(Queue::new()),
    )
    .unwrap_err();
    assert!(
        error.to_string().starts_with("Failed to load flags: "),
        "{}",
        error
    );
}
