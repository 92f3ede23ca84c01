//! What the endpoint and operator API tests share: a runtime on loopback
//! (HTTP needs a socket), requests to a process' routes, a cluster with
//! one framework's task running on an agent, and the comparison of JSON
//! shapes with the reference captures of a real Mesos.

use std::sync::Arc;

use bytes::Bytes;
use libprocess::http::{self, Headers, Response};
use libprocess::testing::{await_ready, TestRuntime};
use libprocess::UPID;
use mesos::common::http::ContentType;
use mesos::json::Reflect;
use mesos::sched::MesosSchedulerDriver;
use mesos::testing::cluster::{create_master_flags, Master, Slave};
use mesos::testing::{
    default_executor_info, default_framework_info, send_status_update_from_task, MockExecutor,
    MockScheduler, TestContainerizer,
};
use mesos::{Offer, SlaveId, TaskId, TaskInfo, TaskState};
use serde_json::Value;

/// The encodings the operator API tests run with (Mesos' test
/// parameters).
pub(crate) const CONTENT_TYPES: [ContentType; 2] = [ContentType::Protobuf, ContentType::Json];

/// A runtime listening on loopback, port 0.
pub(crate) fn loopback_runtime() -> TestRuntime {
    libprocess::testing::runtime_with(libprocess::Builder::default().listen(
        std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0),
    ))
}

/// `GET /<id>/<path>?<query>`.
pub(crate) fn get(pid: &UPID, path: &str, query: Option<&str>) -> Response {
    await_ready(&http::get(pid, path, query, Headers::new()))
}

/// `GET /<id>/<path>` answered `200 OK` with JSON: the JSON.
pub(crate) fn get_json(pid: &UPID, path: &str) -> Value {
    let response = get(pid, path, None);
    assert_eq!(response.code, 200, "{}: {:?}", path, response.body_bytes());
    assert_eq!(
        response.headers.get("Content-Type"),
        Some("application/json")
    );
    serde_json::from_slice(&response.body_bytes()).expect("the body is JSON")
}

/// `POST /<id>/<path>` with `body`, the given `Content-Type` and
/// `Accept` headers.
pub(crate) fn post(
    pid: &UPID,
    path: &str,
    body: impl Into<Bytes>,
    content_type: Option<&str>,
    accept: Option<&str>,
) -> Response {
    let mut headers = Headers::new();
    if let Some(accept) = accept {
        headers.insert("Accept", accept);
    }
    await_ready(&http::post(
        pid,
        path,
        headers,
        Some(body.into()),
        content_type,
    ))
}

/// Posts `call` in `content_type`, accepting the same; the `200 OK`
/// response, decoded (Mesos' `MasterAPITest::post`).
pub(crate) fn post_call<C: Reflect, R: Reflect>(
    pid: &UPID,
    path: &str,
    call: &C,
    content_type: ContentType,
) -> R {
    let media_type = content_type.media_type();
    let response = post(
        pid,
        path,
        content_type.serialize(call),
        Some(media_type),
        Some(media_type),
    );
    assert_eq!(response.code, 200, "{:?}", response.body_bytes());
    assert_eq!(response.headers.get("Content-Type"), Some(media_type));
    content_type
        .deserialize(&response.body_bytes())
        .expect("the response decodes")
}

/// The next status update acknowledgement the master sends `agent`
/// (after it has handled it: a terminal task is gone from its state).
/// Only to the agent: the agent acknowledges an executor's updates to
/// the executor with the same message.
pub(crate) fn future_acknowledgement(agent: &UPID) -> libprocess::Future<libprocess::Message> {
    libprocess::testing::future_message(
        libprocess::name_of::<mesos::internal::StatusUpdateAcknowledgementMessage>(),
        libprocess::testing::ANY,
        agent.clone(),
    )
}

/// A master, an agent with the test containerizer, and a framework whose
/// task `1` runs in the default executor (Mesos' usual test setup).
pub(crate) struct RunningTask {
    pub(crate) driver: MesosSchedulerDriver,
    pub(crate) sched: MockScheduler,
    pub(crate) exec: MockExecutor,
    pub(crate) offer: Offer,
    pub(crate) slave: Slave,
    pub(crate) master: Master,
    _containerizer: Arc<TestContainerizer>,
}

impl RunningTask {
    /// Starts the cluster and the task; returns once the framework saw
    /// TASK_RUNNING and its acknowledgement reached the agent.
    pub(crate) fn start(flags: mesos::master::Flags) -> RunningTask {
        let master = Master::start(flags).expect("the master starts");
        let exec = MockExecutor::new(default_executor_info().executor_id);
        let containerizer = Arc::new(TestContainerizer::new(&exec));
        let slave = Slave::start(master.create_detector(), containerizer.clone())
            .expect("the agent starts");
        let sched = MockScheduler::new();
        let driver = MesosSchedulerDriver::with_detector(
            sched.clone(),
            default_framework_info(),
            master.create_detector(),
            true,
        );
        let offers = sched.resource_offers.future();
        driver.start();
        let offer = await_ready(&offers).into_iter().next().expect("an offer");
        exec.launch_task
            .will_once(send_status_update_from_task(TaskState::TaskRunning));
        let status = sched.status_update.future();
        let acknowledgement = future_acknowledgement(slave.pid.upid());
        driver.launch_tasks(
            vec![offer.id.clone()],
            vec![task(&offer.slave_id, &offer)],
            mesos::Filters::default(),
        );
        assert_eq!(await_ready(&status).state(), TaskState::TaskRunning);
        await_ready(&acknowledgement);
        RunningTask {
            driver,
            sched,
            exec,
            offer,
            slave,
            master,
            _containerizer: containerizer,
        }
    }

    /// With the default master flags.
    pub(crate) fn with_defaults() -> RunningTask {
        RunningTask::start(create_master_flags())
    }

    /// The agent's ID.
    pub(crate) fn slave_id(&self) -> &SlaveId {
        &self.offer.slave_id
    }
}

impl Drop for RunningTask {
    fn drop(&mut self) {
        self.driver.stop(false);
        self.driver.join();
    }
}

/// Task `1` on the whole offer, in the default executor.
fn task(slave_id: &SlaveId, offer: &Offer) -> TaskInfo {
    TaskInfo {
        name: String::new(),
        task_id: TaskId {
            value: "1".to_string(),
        },
        slave_id: slave_id.clone(),
        resources: offer.resources.clone(),
        executor: Some(default_executor_info()),
        ..TaskInfo::default()
    }
}

/// A reference capture of a real Mesos, by file name (in
/// `tests/data/real-mesos-1.12`).
pub(crate) fn reference(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/real-mesos-1.12")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {}", path.display(), e));
    serde_json::from_str(&text).expect("the reference is JSON")
}

/// Where `ours` and `theirs` differ in shape: for every object both have
/// at a path, the keys one has and the other lacks (`-key` missing from
/// ours, `+key` only in ours); arrays compare their first elements.
/// Objects keyed by data (resource names, attributes, flags) are
/// skipped by name.
pub(crate) fn shape_differences(ours: &Value, theirs: &Value, skip: &[&str]) -> Vec<String> {
    let mut differences = Vec::new();
    compare(ours, theirs, "", skip, &mut differences);
    differences
}

fn compare(ours: &Value, theirs: &Value, path: &str, skip: &[&str], out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("{}: -{}", path, key));
            }
            for key in a.keys().filter(|k| !b.contains_key(*k)) {
                out.push(format!("{}: +{}", path, key));
            }
            for (key, value) in a {
                if skip.contains(&key.as_str()) {
                    continue;
                }
                if let Some(other) = b.get(key) {
                    compare(value, other, &format!("{}.{}", path, key), skip, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if let (Some(x), Some(y)) = (a.first(), b.first()) {
                compare(x, y, &format!("{}[]", path), skip, out);
            }
        }
        (a, b) => {
            let kind = |v: &Value| match v {
                Value::Null => "null",
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            if kind(a) != kind(b) {
                out.push(format!("{}: {} instead of {}", path, kind(a), kind(b)));
            }
        }
    }
}
