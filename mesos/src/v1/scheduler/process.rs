//! The scheduler library's process (Mesos' `MesosProcess` in
//! `src/scheduler/scheduler.cpp`): detection, connections, subscription
//! and the event stream.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

use libprocess::http::{self, Connection, Request, Response as HttpResponse, Url};
use libprocess::{defer, delay, Future, Handlers, Process, SelfPid};
use stout::{Duration, Uuid};

use super::{call, event, ApiResult, Call, Callbacks, Event, Response};
use crate::common::http::ContentType;
use crate::common::recordio;
use crate::master::detector::MasterDetector;
use crate::v1::connection::{Connections, State, Subscribed};
use crate::MasterInfo;

/// Talks to the leading master for one scheduler.
pub(crate) struct MesosProcess {
    state: State,
    content_type: ContentType,
    detector: Arc<dyn MasterDetector>,
    connection_delay_max: Duration,
    callbacks: Box<dyn Callbacks>,
    /// The leading master's `/api/v1/scheduler`, if there is one.
    master: Option<Url>,
    /// Identifies the current connection attempt: callbacks of an older
    /// one are ignored.
    connection_id: Option<u64>,
    next_id: u64,
    connections: Option<Connections>,
    subscribed: Option<Subscribed<Event>>,
    /// What the master named this subscription; sent with every call.
    stream_id: Option<Uuid>,
    detection: Option<Future<Option<MasterInfo>>>,
}

impl fmt::Debug for MesosProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MesosProcess")
            .field("state", &self.state)
            .field("master", &self.master)
            .finish()
    }
}

impl Process for MesosProcess {
    fn id_prefix(&self) -> Cow<'static, str> {
        Cow::Borrowed("scheduler")
    }

    fn initialize(&mut self, _handlers: &mut Handlers<Self>) {
        tracing::info!("Version: {}", crate::MESOS_VERSION);
        self.detect(None);
    }

    fn finalize(&mut self) {
        if let Some(detection) = self.detection.take() {
            detection.discard();
        }
        self.disconnect();
    }
}

fn type_name(call: &Call) -> &'static str {
    call.r#type
        .and_then(|t| call::Type::try_from(t).ok())
        .unwrap_or(call::Type::Unknown)
        .as_str_name()
}

fn is_subscribe(call: &Call) -> bool {
    call.r#type == Some(call::Type::Subscribe as i32)
}

impl MesosProcess {
    pub(crate) fn new(
        content_type: ContentType,
        detector: Arc<dyn MasterDetector>,
        connection_delay_max: Duration,
        callbacks: Box<dyn Callbacks>,
    ) -> MesosProcess {
        MesosProcess {
            state: State::Disconnected,
            content_type,
            detector,
            connection_delay_max,
            callbacks,
            master: None,
            connection_id: None,
            next_id: 0,
            connections: None,
            subscribed: None,
            stream_id: None,
            detection: None,
        }
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn request(&self, master: &Url, call: &Call) -> Request {
        let mut request = Request::new("POST", master.clone());
        request.body = self.content_type.serialize(call);
        request.keep_alive = true;
        let media_type = self.content_type.media_type();
        request.headers.insert("Accept", media_type);
        request.headers.insert("Content-Type", media_type);
        request
    }

    pub(crate) fn send(&mut self, call: Call) {
        if let Some(error) = validate(&call) {
            return drop_call(&call, &error);
        }
        let subscribe = is_subscribe(&call);
        if subscribe && self.state != State::Connected {
            return drop_call(&call, &format!("Scheduler is in state {}", self.state));
        }
        if !subscribe && self.state != State::Subscribed {
            return drop_call(&call, &format!("Scheduler is in state {}", self.state));
        }
        let (Some(connections), Some(id), Some(master)) =
            (&self.connections, self.connection_id, &self.master)
        else {
            return drop_call(&call, "Connection to master interrupted");
        };
        tracing::debug!("Sending {} call to {}", type_name(&call), master);
        let mut request = self.request(master, &call);
        let response = if subscribe {
            self.state = State::Subscribing;
            connections.subscribe.send(request, true)
        } else {
            if let Some(stream_id) = &self.stream_id {
                request
                    .headers
                    .insert("Mesos-Stream-Id", stream_id.to_string());
            }
            connections.non_subscribe.send(request, false)
        };
        response.on_any(defer(
            &self.self_pid(),
            move |p: &mut MesosProcess, response: Future<HttpResponse>| p.sent(id, call, response),
        ));
    }

    pub(crate) fn call(&mut self, call: Call) -> Future<ApiResult> {
        if let Some(error) = validate(&call) {
            return Future::failed(error);
        }
        if is_subscribe(&call) {
            return Future::failed("This method doesn't support SUBSCRIBE calls");
        }
        if self.state != State::Subscribed {
            return Future::failed(format!(
                "Cannot perform calls until subscribed. Current state: {}",
                self.state
            ));
        }
        let (Some(connections), Some(master)) = (&self.connections, &self.master) else {
            return Future::failed("Connection to master interrupted");
        };
        tracing::debug!("Sending {} call to {}", type_name(&call), master);
        let mut request = self.request(master, &call);
        if let Some(stream_id) = &self.stream_id {
            request
                .headers
                .insert("Mesos-Stream-Id", stream_id.to_string());
        }
        let content_type = self.content_type;
        connections
            .non_subscribe
            .send(request, false)
            .then(move |response: HttpResponse| api_result(content_type, &call, &response))
    }

    pub(crate) fn reconnect(&mut self) {
        match self.connection_id {
            Some(id) if self.state != State::Disconnected => {
                self.disconnected(id, "Received reconnect request from scheduler".to_string())
            }
            _ => tracing::debug!(
                "Ignoring reconnect request from scheduler since we are disconnected"
            ),
        }
    }

    fn detect(&mut self, previous: Option<MasterInfo>) {
        let detection = self.detector.detect(previous);
        detection.on_any(defer(
            &self.self_pid(),
            |p: &mut MesosProcess, detected: Future<Option<MasterInfo>>| p.detected(detected),
        ));
        self.detection = Some(detection);
    }

    fn detected(&mut self, detected: Future<Option<MasterInfo>>) {
        if let Some(failure) = detected.failure() {
            return self.error(format!("Failed to detect a master: {}", failure));
        }
        if self.state.connected() {
            self.callbacks.disconnected();
        }
        self.disconnect();

        let latest = detected.value().cloned().flatten();
        self.master = None;
        match &latest {
            None if detected.is_discarded() => tracing::info!("Re-detecting master"),
            None => tracing::info!("Lost leading master"),
            Some(info) => match info.pid.as_deref().map(libprocess::UPID::parse) {
                Some(Ok(upid)) => {
                    tracing::info!("New master detected at {}", upid);
                    self.master = Some(http::url_of(&upid, "api/v1/scheduler"));
                    let id = self.fresh_id();
                    self.connection_id = Some(id);
                    // A random delay, so that schedulers do not all
                    // connect at once to a new leader.
                    const SCALE: u64 = 1 << 31;
                    let fraction = libprocess::random::below(SCALE) as f64 / SCALE as f64;
                    let wait = self.connection_delay_max * fraction;
                    tracing::debug!(
                        "Waiting for {} before initiating a re-(connection) attempt with the master",
                        wait
                    );
                    delay(wait, &self.self_pid(), move |p: &mut MesosProcess| {
                        p.connect(id)
                    });
                }
                _ => tracing::error!("Detected a master without a valid pid: {:?}", info.pid),
            },
        }
        self.detect(latest);
    }

    fn connect(&mut self, id: u64) {
        if self.connection_id != Some(id) {
            tracing::debug!("Ignoring connection attempt from stale connection");
            return;
        }
        let Some(master) = self.master.clone() else {
            return;
        };
        self.state = State::Connecting;
        let pid = self.self_pid();
        let inner = pid.clone();
        let first = http::connect(&master);
        let second = http::connect(&master);
        first.on_any(defer(
            &pid,
            move |_: &mut MesosProcess, first: Future<Connection>| {
                second.on_any(defer(
                    &inner,
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
        let failure = |future: &Future<Connection>| {
            future
                .failure()
                .map(str::to_string)
                .unwrap_or_else(|| "Connection future discarded".to_string())
        };
        let (subscribe, non_subscribe) = match (first.value(), second.value()) {
            (Some(a), Some(b)) => (a.clone(), b.clone()),
            (None, _) => return self.disconnected(id, failure(&first)),
            (_, None) => return self.disconnected(id, failure(&second)),
        };
        tracing::debug!("Connected with the master");
        self.state = State::Connected;
        let pid = self.self_pid();
        for (connection, what) in [
            (&subscribe, "Subscribe connection interrupted"),
            (&non_subscribe, "Non-subscribe connection interrupted"),
        ] {
            connection
                .disconnected()
                .on_any(defer(&pid, move |p: &mut MesosProcess, _: Future<()>| {
                    p.disconnected(id, what.to_string())
                }));
        }
        self.connections = Some(Connections {
            subscribe,
            non_subscribe,
        });
        self.callbacks.connected();
    }

    /// A connection broke: re-detect, which reconnects to whoever leads.
    fn disconnected(&mut self, id: u64, failure: String) {
        if self.connection_id != Some(id) {
            tracing::debug!("Ignoring disconnection attempt from stale connection");
            return;
        }
        tracing::debug!("Disconnected from master: {}", failure);
        // Discarding the detection makes it report again (as "discarded"),
        // which disconnects and starts over.
        match &self.detection {
            Some(detection) if detection.is_pending() => {
                detection.discard();
            }
            _ => {
                let pid = self.self_pid();
                libprocess::dispatch(&pid, |p: &mut MesosProcess| p.detected(Future::discarded()));
            }
        }
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
        self.stream_id = None;
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

    fn sent(&mut self, id: u64, call: Call, response: Future<HttpResponse>) {
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
        let subscribe = is_subscribe(&call);
        match response.code {
            200 if subscribe => return self.subscribed(response),
            202 if !subscribe => return,
            _ => {}
        }
        if subscribe {
            self.state = State::Connected;
        }
        let body = String::from_utf8_lossy(&response.body_bytes()).into_owned();
        // The master may be recovering, not leading, or redirecting: the
        // scheduler retries its SUBSCRIBE.
        if matches!(response.code, 503 | 404 | 307) {
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

    fn subscribed(&mut self, response: HttpResponse) {
        let stream_id = response
            .headers
            .get("Mesos-Stream-Id")
            .map(Uuid::from_string);
        let (Some(reader), Some(Ok(stream_id))) = (response.reader().cloned(), stream_id) else {
            self.state = State::Connected;
            return self.error(format!(
                "Received '{}' for SUBSCRIBE without an event stream or a valid Mesos-Stream-Id",
                response.status()
            ));
        };
        self.state = State::Subscribed;
        self.stream_id = Some(stream_id);
        let content_type = self.content_type;
        let id = self.fresh_id();
        self.subscribed = Some(Subscribed::new(reader, content_type, id));
        self.read();
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
                let error = "End-Of-File received from master. The master closed the event stream";
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
        tracing::debug!("Enqueuing event {}", kind.as_str_name());
        self.callbacks.received(VecDeque::from([event]));
    }
}

fn drop_call(call: &Call, message: &str) {
    tracing::warn!("Dropping {}: {}", type_name(call), message);
}

/// The master's answer to a non-SUBSCRIBE call, as Mesos' `APIResult`.
fn api_result(
    content_type: ContentType,
    call: &Call,
    response: &HttpResponse,
) -> Future<ApiResult> {
    let body = response.body_bytes();
    let mut result = ApiResult {
        status_code: u32::from(response.code),
        ..ApiResult::default()
    };
    match response.code {
        202 => {
            if !body.is_empty() {
                tracing::warn!(
                    "Response for {} unexpectedly included body: '{}'",
                    type_name(call),
                    String::from_utf8_lossy(&body)
                );
            }
        }
        200 => {
            if !body.is_empty() {
                match content_type.deserialize::<Response>(&body) {
                    Ok(decoded) => result.response = Some(decoded),
                    Err(e) => {
                        return Future::failed(format!(
                            "Failed to deserialize the response '{}' ({}): {}",
                            response.status(),
                            String::from_utf8_lossy(&body),
                            e
                        ))
                    }
                }
            }
        }
        _ => {
            result.error = Some(format!(
                "Received unexpected '{}' ({})",
                response.status(),
                String::from_utf8_lossy(&body)
            ))
        }
    }
    Future::ready(result)
}

/// What Mesos checks of a call before sending it (its
/// `validation::scheduler::call::validate`, on the v1 call): the type,
/// and the member and framework ID the type needs.
fn validate(call: &Call) -> Option<String> {
    let Some(kind) = call.r#type.and_then(|t| call::Type::try_from(t).ok()) else {
        return Some("Expecting 'type' to be present".to_string());
    };
    if kind == call::Type::Subscribe {
        let Some(subscribe) = &call.subscribe else {
            return Some("Expecting 'subscribe' to be present".to_string());
        };
        let info_id = subscribe.framework_info.id.as_ref();
        if info_id.is_some() && info_id != call.framework_id.as_ref() {
            return Some("'framework_id' differs from 'subscribe.framework_info.id'".to_string());
        }
        return None;
    }
    if call.framework_id.is_none() {
        return Some("Expecting 'framework_id' to be present".to_string());
    }
    let missing = match kind {
        call::Type::Accept if call.accept.is_none() => Some("accept"),
        call::Type::Decline if call.decline.is_none() => Some("decline"),
        call::Type::Kill if call.kill.is_none() => Some("kill"),
        call::Type::Shutdown if call.shutdown.is_none() => Some("shutdown"),
        call::Type::Acknowledge if call.acknowledge.is_none() => Some("acknowledge"),
        call::Type::Reconcile if call.reconcile.is_none() => Some("reconcile"),
        call::Type::Message if call.message.is_none() => Some("message"),
        call::Type::Request if call.request.is_none() => Some("request"),
        _ => None,
    };
    missing.map(|name| format!("Expecting '{}' to be present", name))
}
