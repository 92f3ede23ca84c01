//! A stand-in for the agent's side of `/api/v1/executor`: a process that
//! records the calls it gets, answers SUBSCRIBE with a RecordIO stream of
//! events (SUBSCRIBED first), and every other call with `202 Accepted`.

use std::collections::VecDeque;
use std::sync::Arc;

use libprocess::http::{self, pipe, Request, Response, Url};
use libprocess::{Future, Handlers, Process, Promise, PID};
use mesos::v1::executor::{call, event, Call, ContentType, Event};
use mesos::v1::{AgentId, AgentInfo, ExecutorId, ExecutorInfo, FrameworkId, FrameworkInfo};
use parking_lot::Mutex;

#[derive(Default)]
struct Calls {
    /// Calls no one asked for yet.
    unclaimed: VecDeque<Call>,
    /// Tests waiting for the next call.
    waiters: VecDeque<Promise<Call>>,
    /// The `Authorization` header of the last call.
    authorization: Option<String>,
}

/// The agent's executor endpoint, faked.
pub(crate) struct FakeAgent {
    calls: Arc<Mutex<Calls>>,
    framework_info: FrameworkInfo,
    /// The open event stream, if subscribed.
    stream: Option<pipe::Writer>,
    content_type: ContentType,
}

impl Process for FakeAgent {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "slave".into()
    }

    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.route("/api/v1/executor", FakeAgent::executor);
    }
}

impl FakeAgent {
    fn executor(&mut self, request: Request) -> Future<Response> {
        let content_type = match request.headers.get("Content-Type") {
            Some("application/json") => ContentType::Json,
            _ => ContentType::Protobuf,
        };
        let call: Call = match content_type.deserialize(&request.body) {
            Ok(call) => call,
            Err(e) => return Future::ready(http::bad_request(Some(e.to_string()))),
        };
        self.calls.lock().authorization = request.headers.get("Authorization").map(str::to_string);
        let subscribe = call.r#type == Some(call::Type::Subscribe as i32);
        let response = if subscribe {
            let (reader, writer) = pipe::pipe();
            self.content_type = content_type;
            self.stream = Some(writer);
            self.send(subscribed(&call, &self.framework_info));
            let mut response = Response::pipe(200, reader);
            response
                .headers
                .insert("Content-Type", content_type.media_type());
            response
        } else {
            http::accepted()
        };
        let waiter = {
            let mut calls = self.calls.lock();
            match calls.waiters.pop_front() {
                Some(waiter) => Some(waiter),
                None => {
                    calls.unclaimed.push_back(call.clone());
                    None
                }
            }
        };
        if let Some(waiter) = waiter {
            waiter.set(call);
        }
        Future::ready(response)
    }

    fn send(&mut self, event: Event) {
        if let Some(stream) = &self.stream {
            let record = self.content_type.serialize(&event);
            stream.write(stout::recordio::encode(&record));
        }
    }

    fn close(&mut self) {
        if let Some(stream) = self.stream.take() {
            stream.close();
        }
    }
}

fn subscribed(call: &Call, framework_info: &FrameworkInfo) -> Event {
    Event {
        r#type: Some(event::Type::Subscribed as i32),
        subscribed: Some(event::Subscribed {
            executor_info: ExecutorInfo {
                executor_id: call.executor_id.clone(),
                framework_id: Some(call.framework_id.clone()),
                ..ExecutorInfo::default()
            },
            framework_info: framework_info.clone(),
            agent_info: AgentInfo {
                hostname: "localhost".to_string(),
                id: Some(AgentId {
                    value: "agent-1".to_string(),
                }),
                ..AgentInfo::default()
            },
            container_id: None,
        }),
        ..Event::default()
    }
}

/// The test's handle on a [`FakeAgent`].
pub(crate) struct Agent {
    pid: PID<FakeAgent>,
    calls: Arc<Mutex<Calls>>,
}

impl Agent {
    /// Spawns a fake agent whose SUBSCRIBED event carries `framework_info`.
    pub(crate) fn start(framework_info: FrameworkInfo) -> Agent {
        let calls = Arc::new(Mutex::new(Calls::default()));
        let pid = libprocess::spawn(FakeAgent {
            calls: Arc::clone(&calls),
            framework_info,
            stream: None,
            content_type: ContentType::Protobuf,
        });
        Agent { pid, calls }
    }

    /// The agent's UPID, as `MESOS_SLAVE_PID` gives it.
    pub(crate) fn pid(&self) -> String {
        self.pid.upid().to_string()
    }

    /// The endpoint's URL.
    pub(crate) fn url(&self) -> Url {
        http::url_of(self.pid.upid(), "api/v1/executor")
    }

    /// The next call the agent gets (or got and no one claimed).
    pub(crate) fn next_call(&self) -> Future<Call> {
        let mut calls = self.calls.lock();
        if let Some(call) = calls.unclaimed.pop_front() {
            return Future::ready(call);
        }
        let promise = Promise::new();
        let future = promise.future();
        calls.waiters.push_back(promise);
        future
    }

    /// The `Authorization` header of the last call.
    pub(crate) fn authorization(&self) -> Option<String> {
        self.calls.lock().authorization.clone()
    }

    /// Streams `event` to the subscribed executor.
    pub(crate) fn send(&self, event: Event) {
        libprocess::dispatch(&self.pid, move |agent| agent.send(event));
    }

    /// Ends the event stream, as an agent going away does.
    pub(crate) fn close_stream(&self) {
        libprocess::dispatch(&self.pid, FakeAgent::close);
    }
}

/// A runtime for a test that listens on loopback, where the fake agent
/// serves.
pub(crate) fn runtime() -> libprocess::testing::TestRuntime {
    libprocess::testing::runtime_with(libprocess::Builder::default().listen(
        std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0),
    ))
}

/// The IDs the tests' executor runs with.
pub(crate) fn framework_id() -> FrameworkId {
    FrameworkId {
        value: "framework-1".to_string(),
    }
}

/// The executor's ID.
pub(crate) fn executor_id() -> ExecutorId {
    ExecutorId {
        value: "executor-1".to_string(),
    }
}
