//! The executor library's process (Mesos' `MesosProcess`): connections,
//! subscription, the event stream, reconnection and shutdown.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;

use libprocess::http::{self, Connection, Request, Response};
use libprocess::{defer, delay, Clock, Future, Handlers, Process, SelfPid, Timer};
use stout::Duration;

use super::shutdown::ShutdownProcess;
use super::{call, event, validate_call, Call, Callbacks, Config, ContentType, Event};
use crate::common::recordio;
use crate::v1::connection::{Connections, State, Subscribed};
use crate::v1::{ExecutorId, FrameworkId};

/// How often a HEARTBEAT call keeps the connections alive (Mesos'
/// `DEFAULT_HEARTBEAT_CALL_INTERVAL`).
pub(crate) const DEFAULT_HEARTBEAT_CALL_INTERVAL: Duration = Duration::from_mins(30);

/// Talks to the agent for one executor.
pub(crate) struct MesosProcess {
    state: State,
    content_type: ContentType,
    config: Config,
    callbacks: Box<dyn Callbacks>,
    /// Identifies the current connection attempt: callbacks of an older
    /// one are ignored.
    connection_id: Option<u64>,
    next_id: u64,
    connections: Option<Connections>,
    subscribed: Option<Subscribed<Event>>,
    recovery_timer: Option<Timer>,
}

impl fmt::Debug for MesosProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MesosProcess")
            .field("state", &self.state)
            .field("agent", &self.config.agent)
            .finish()
    }
}

impl Process for MesosProcess {
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed("executor")
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        tracing::info!(
            "Using URL {} for the executor API endpoint",
            self.config.agent
        );
        self.connect();
        self.heartbeat();
    }

    fn finalize(&mut self) {
        self.disconnect();
    }
}

fn type_name(call: &Call) -> &'static str {
    call.r#type
        .and_then(|t| call::Type::try_from(t).ok())
        .unwrap_or(call::Type::Unknown)
        .as_str_name()
}

impl MesosProcess {
    pub(crate) fn new(
        content_type: ContentType,
        config: Config,
        callbacks: Box<dyn Callbacks>,
    ) -> MesosProcess {
        MesosProcess {
            state: State::Disconnected,
            content_type,
            config,
            callbacks,
            connection_id: None,
            next_id: 0,
            connections: None,
            subscribed: None,
            recovery_timer: None,
        }
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn send(&mut self, call: Call) {
        if let Some(error) = validate_call(&call) {
            return self.drop_call(&call, &error);
        }
        let subscribe = call.r#type == Some(call::Type::Subscribe as i32);
        if subscribe && self.state != State::Connected {
            // A retried SUBSCRIBE while one is in flight, or subscribed.
            let message = format!("Executor is in state {}", self.state);
            return self.drop_call(&call, &message);
        }
        if !subscribe && self.state != State::Subscribed {
            let message = format!("Executor is in state {}", self.state);
            return self.drop_call(&call, &message);
        }
        let (Some(connections), Some(id)) = (&self.connections, self.connection_id) else {
            return self.drop_call(&call, "Not connected");
        };
        tracing::debug!("Sending {} call to {}", type_name(&call), self.config.agent);

        let mut request = Request::new("POST", self.config.agent.clone());
        request.body = self.content_type.serialize(&call);
        request.keep_alive = true;
        let media_type = self.content_type.media_type();
        request.headers.insert("Accept", media_type);
        request.headers.insert("Content-Type", media_type);
        if let Some(token) = &self.config.authentication_token {
            request
                .headers
                .insert("Authorization", format!("Bearer {}", token));
        }
        let response = if subscribe {
            self.state = State::Subscribing;
            connections.subscribe.send(request, true)
        } else {
            connections.non_subscribe.send(request, false)
        };
        response.on_any(defer(
            &self.self_pid(),
            move |p: &mut MesosProcess, response: Future<Response>| p.sent(id, call, response),
        ));
    }

    fn drop_call(&self, call: &Call, message: &str) {
        tracing::warn!("Dropping {}: {}", type_name(call), message);
    }

    fn connect(&mut self) {
        let id = self.fresh_id();
        self.connection_id = Some(id);
        self.state = State::Connecting;
        let pid = self.self_pid();
        let agent = self.config.agent.clone();
        // Two persistent connections, opened one after the other.
        http::connect(&agent).on_any(defer(
            &pid,
            move |p: &mut MesosProcess, first: Future<Connection>| {
                let pid = p.self_pid();
                http::connect(&agent).on_any(defer(
                    &pid,
                    move |p: &mut MesosProcess, second: Future<Connection>| {
                        p.connected(id, first, second)
                    },
                ));
            },
        ));
    }

    fn connected(&mut self, id: u64, first: Future<Connection>, second: Future<Connection>) {
        if self.connection_id != Some(id) {
            tracing::debug!("Ignoring connection attempt from stale connection");
            return;
        }
        let failure = |future: &Future<Connection>, what: &str| {
            future
                .failure()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{} future discarded", what))
        };
        let (subscribe, non_subscribe) = match (first.value(), second.value()) {
            (Some(a), Some(b)) => (a.clone(), b.clone()),
            (None, _) => return self.disconnected(id, failure(&first, "Subscribe")),
            (_, None) => return self.disconnected(id, failure(&second, "Non-subscribe")),
        };
        tracing::debug!("Connected with the agent");
        self.state = State::Connected;
        let pid = self.self_pid();
        subscribe
            .disconnected()
            .on_any(defer(&pid, move |p: &mut MesosProcess, _: Future<()>| {
                p.disconnected(id, "Subscribe connection interrupted".to_string())
            }));
        non_subscribe.disconnected().on_any(defer(
            &pid,
            move |p: &mut MesosProcess, _: Future<()>| {
                p.disconnected(id, "Non-subscribe connection interrupted".to_string())
            },
        ));
        self.connections = Some(Connections {
            subscribe,
            non_subscribe,
        });
        // Reconnected in time: no recovery timeout any more.
        if let Some(timer) = self.recovery_timer.take() {
            Clock::cancel(&timer);
        }
        self.callbacks.connected();
    }

    fn disconnected(&mut self, id: u64, failure: String) {
        if self.connection_id != Some(id) {
            tracing::debug!("Ignoring disconnection attempt from stale connection");
            return;
        }
        tracing::debug!("Disconnected from agent: {}", failure);
        let was_connected = self.state.connected();
        if was_connected {
            self.callbacks.disconnected();
        }
        self.disconnect();

        // Already backing off since an earlier disconnection.
        if self.recovery_timer.is_some() {
            return;
        }
        match self.config.recovery_timeout {
            Some(timeout) if self.config.checkpoint && was_connected => {
                // Once per disconnection, not per failed reconnection.
                self.recovery_timer = Some(delay(
                    timeout,
                    &self.self_pid(),
                    move |p: &mut MesosProcess| p.recovery_timeout(failure),
                ));
                self.backoff();
            }
            _ => {
                tracing::info!("Disconnected from agent: {}; Shutting down", failure);
                self.shutdown();
            }
        }
    }

    fn backoff(&mut self) {
        if self.state.connected() {
            return;
        }
        let Some(max) = self.config.max_backoff else {
            return;
        };
        // Linear: a random duration between zero and the maximum.
        const SCALE: u64 = 1 << 31;
        let fraction = libprocess::random::below(SCALE) as f64 / SCALE as f64;
        let backoff = max * fraction;
        tracing::debug!("Will retry connecting with the agent again in {}", backoff);
        self.connect();
        delay(backoff, &self.self_pid(), MesosProcess::backoff);
    }

    fn recovery_timeout(&mut self, failure: String) {
        // A connection made after the timer fired but before this ran
        // cancels nothing: check the timer is still ours and expired.
        let expired = self
            .recovery_timer
            .as_ref()
            .is_some_and(|timer| timer.deadline() <= Clock::now());
        if !expired {
            return;
        }
        tracing::info!(
            "Recovery timeout of {} exceeded following the first connection failure: {}; \
             Shutting down",
            self.config.recovery_timeout.unwrap_or_default(),
            failure
        );
        self.shutdown();
    }

    fn disconnect(&mut self) {
        if let Some(connections) = self.connections.take() {
            connections.disconnect();
        }
        if let Some(subscribed) = self.subscribed.take() {
            subscribed.reader.close();
        }
        self.state = State::Disconnected;
        self.connection_id = None;
    }

    /// Injects an ERROR event.
    fn error(&mut self, message: String) {
        let event = Event {
            r#type: Some(event::Type::Error as i32),
            error: Some(event::Error { message }),
            ..Event::default()
        };
        self.receive(event, true);
    }

    fn sent(&mut self, id: u64, call: Call, response: Future<Response>) {
        if self.connection_id != Some(id) {
            return;
        }
        let kind = type_name(&call);
        let response = match (response.value(), response.failure()) {
            (Some(response), _) => response.clone(),
            (None, failure) => {
                // The disconnection callback follows and handles it.
                tracing::error!(
                    "Request for call type {} failed: {}",
                    kind,
                    failure.unwrap_or("discarded")
                );
                return;
            }
        };
        let subscribe = call.r#type == Some(call::Type::Subscribe as i32);
        match response.code {
            200 if subscribe => {
                let Some(reader) = response.reader().cloned() else {
                    return self.error(format!(
                        "Received unexpected '{}' without a stream for {}",
                        response.status(),
                        kind
                    ));
                };
                self.state = State::Subscribed;
                let content_type = self.content_type;
                let id = self.fresh_id();
                self.subscribed = Some(Subscribed::new(reader, content_type, id));
                self.read();
                return;
            }
            202 if !subscribe => return,
            _ => {}
        }
        // The agent may not have its routes yet, or be recovering: the
        // executor retries its SUBSCRIBE.
        if subscribe {
            self.state = State::Connected;
        }
        let body = String::from_utf8_lossy(&response.body_bytes()).into_owned();
        if response.code == 503 || response.code == 404 {
            tracing::warn!("Received '{}' ({}) for {}", response.status(), body, kind);
            return;
        }
        self.error(format!(
            "Received unexpected '{}' ({}) for {}",
            response.status(),
            body,
            kind
        ));
    }

    fn read(&mut self) {
        let Some(subscribed) = &self.subscribed else {
            return;
        };
        let id = subscribed.id;
        subscribed.decoder.read().on_any(defer(
            &self.self_pid(),
            move |p: &mut MesosProcess, event: Future<recordio::Record<Event>>| {
                p.event_read(id, event)
            },
        ));
    }

    fn event_read(&mut self, id: u64, event: Future<recordio::Record<Event>>) {
        if self.subscribed.as_ref().map(|s| s.id) != Some(id) {
            tracing::debug!("Ignoring event from old stale connection");
            return;
        }
        let Some(connection_id) = self.connection_id else {
            return;
        };
        match event.value() {
            None => {
                let failure = event.failure().unwrap_or("discarded").to_string();
                tracing::error!("Failed to decode the stream of events: {}", failure);
                self.disconnected(connection_id, failure);
            }
            Some(None) => {
                let error = "End-Of-File received from agent. The agent closed the event stream";
                tracing::error!("{}", error);
                self.disconnected(connection_id, error.to_string());
            }
            Some(Some(Err(e))) => {
                self.error(format!("Failed to de-serialize event: {}", e));
                self.read();
            }
            Some(Some(Ok(event))) => {
                self.receive(event.clone(), false);
                self.read();
            }
        }
    }

    fn receive(&mut self, event: Event, locally_injected: bool) {
        let kind = event
            .r#type
            .and_then(|t| event::Type::try_from(t).ok())
            .unwrap_or(event::Type::Unknown);
        if !locally_injected && self.state != State::Subscribed {
            tracing::warn!(
                "Ignoring {} event because we're no longer subscribed",
                kind.as_str_name()
            );
            return;
        }
        if locally_injected {
            tracing::debug!("Enqueuing locally injected event {}", kind.as_str_name());
        } else {
            tracing::debug!(
                "Enqueuing event {} received from {}",
                kind.as_str_name(),
                self.config.agent
            );
        }
        self.callbacks.received(VecDeque::from([event]));
        if kind == event::Type::Shutdown {
            self.shutdown_executor();
        }
    }

    /// Injects a SHUTDOWN event.
    fn shutdown(&mut self) {
        let event = Event {
            r#type: Some(event::Type::Shutdown as i32),
            ..Event::default()
        };
        self.receive(event, true);
    }

    fn shutdown_executor(&mut self) {
        if self.config.local {
            // Inside the agent's OS process: only this library stops, after
            // the events already queued for it.
            libprocess::terminate(self.self_pid(), false);
        } else {
            libprocess::spawn(ShutdownProcess::new(self.config.shutdown_grace_period));
        }
    }

    fn heartbeat(&mut self) {
        if self.connections.is_some() {
            // The agent does not look at these IDs.
            self.send(Call {
                r#type: Some(call::Type::Heartbeat as i32),
                executor_id: ExecutorId {
                    value: "unused".to_string(),
                },
                framework_id: FrameworkId {
                    value: "unused".to_string(),
                },
                ..Call::default()
            });
        }
        delay(
            DEFAULT_HEARTBEAT_CALL_INTERVAL,
            &self.self_pid(),
            MesosProcess::heartbeat,
        );
    }
}
