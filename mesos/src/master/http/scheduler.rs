//! The v1 scheduler HTTP API at `/master/api/v1/scheduler` (Mesos'
//! `Master::Http::scheduler`): SUBSCRIBE is answered `200 OK` with a
//! RecordIO stream of `mesos.v1.scheduler.Event`s under a fresh
//! `Mesos-Stream-Id`, every other call `202 Accepted` once it names that
//! stream. The request is checked here; what a call does is the master's
//! one path for driver and HTTP schedulers alike (`subscribe`,
//! `dispatch_call`). Heartbeats go out on the stream while it is the
//! framework's, and the stream closing disconnects the framework.

use libprocess::http::{self, pipe, Request, Response};
use libprocess::{delay, Future, SelfPid};
use stout::Uuid;

use crate::common::evolve::devolve;
use crate::common::http::{ContentType, StreamingHttpConnection};
use crate::master::constants::DEFAULT_HEARTBEAT_INTERVAL;
use crate::master::framework::Connection;
use crate::master::scheduler::{type_name, validate};
use crate::master::Master;
use crate::scheduler::call::Type;
use crate::scheduler::Call;
use crate::FrameworkId;

use crate::common::http::{APPLICATION_JSON, APPLICATION_PROTOBUF};
const STREAM_ID: &str = "Mesos-Stream-Id";

/// The route's help (Mesos' `SCHEDULER_HELP`).
pub(in crate::master) fn help() -> String {
    use libprocess::http::help;
    help::help(
        &help::tldr("Endpoint for schedulers to make calls against the master."),
        Some(&help::description(&[
            "Returns 202 Accepted iff the request is accepted.",
            "",
            "Returns 307 TEMPORARY_REDIRECT redirect to the leading master when",
            "current master is not the leader.",
            "",
            "Returns 503 SERVICE_UNAVAILABLE if the leading master cannot be",
            "found.",
        ])),
        Some(&help::authentication(true)),
        Some(&help::authorization(&[
            "The returned frameworks information might be filtered based on the",
            "users authorization.",
            "See the authorization documentation for details.",
        ])),
        None,
    )
}

fn status(code: u16, body: impl Into<String>) -> Response {
    Response::with_body(code, body.into(), "text/plain; charset=utf-8")
}

/// The call in the request's body, or the response refusing it.
fn parse_call(request: &Request) -> Result<Call, Response> {
    let call: crate::v1::scheduler::Call = crate::common::http::parse_call(request)?;
    devolve(&call).map_err(|e| http::bad_request(Some(e.to_string())))
}

impl Master {
    /// Serves `/api/v1/scheduler`.
    pub(in crate::master) fn scheduler_api(&mut self, request: Request) -> Future<Response> {
        Future::ready(self.scheduler_call(request))
    }

    fn scheduler_call(&mut self, request: Request) -> Response {
        // This master leads from its start (there is no election yet), so
        // there is nobody to redirect to.
        if !self.is_recovered() {
            return http::service_unavailable(Some("Master has not finished recovery".to_string()));
        }
        if request.method != "POST" {
            return http::method_not_allowed(&["POST"], Some(&request.method));
        }
        let mut call = match parse_call(&request) {
            Ok(call) => call,
            Err(response) => return response,
        };
        if let Err(error) = validate(&call) {
            return http::bad_request(Some(format!(
                "Failed to validate scheduler::Call: {}",
                error
            )));
        }
        let kind = Type::try_from(call.r#type.unwrap_or_default()).unwrap_or(Type::Unknown);

        // Only calls answered with a body need an acceptable type.
        let mut accept = ContentType::Json;
        if matches!(kind, Type::Subscribe | Type::ReconcileOperations) {
            if request.accepts_media_type(APPLICATION_JSON) {
                accept = ContentType::Json;
            } else if request.accepts_media_type(APPLICATION_PROTOBUF) {
                accept = ContentType::Protobuf;
            } else {
                return status(
                    406,
                    format!(
                        "Expecting 'Accept' to allow '{}' or '{}'",
                        APPLICATION_PROTOBUF, APPLICATION_JSON
                    ),
                );
            }
        }

        if kind == Type::Subscribe {
            if request.headers.contains(STREAM_ID) {
                return http::bad_request(Some(
                    "Subscribe calls should not include the 'Mesos-Stream-Id' header".to_string(),
                ));
            }
            let Some(subscribe) = call.subscribe.take() else {
                return http::bad_request(Some("Expecting 'subscribe' to be present".to_string()));
            };
            let (reader, writer) = pipe::pipe();
            let stream_id = libprocess::random::uuid();
            let mut ok = Response::pipe(200, reader);
            ok.headers.insert("Content-Type", accept.media_type());
            ok.headers.insert(STREAM_ID, stream_id.to_string());
            let http = StreamingHttpConnection::new(writer, accept, stream_id);
            self.subscribe(Connection::Http(http), subscribe);
            return ok;
        }

        let framework_id = call.framework_id.clone().unwrap_or_default();
        let Some(framework) = self.frameworks.get(&framework_id) else {
            return http::bad_request(Some("Framework cannot be found".to_string()));
        };
        if !framework.connected() {
            return http::forbidden(Some("Framework is not subscribed".to_string()));
        }
        let Some(stream) = framework.http() else {
            return http::forbidden(Some("Framework is not connected via HTTP".to_string()));
        };
        let Some(stream_id) = request.headers.get(STREAM_ID) else {
            return http::bad_request(Some(
                "All non-subscribe calls should include the 'Mesos-Stream-Id' header".to_string(),
            ));
        };
        if stream_id != stream.stream_id.to_string() {
            return http::bad_request(Some(format!(
                "The stream ID '{}' included in this request didn't match the stream ID \
                 currently associated with framework ID {}",
                stream_id, framework_id.value
            )));
        }

        if kind == Type::Unknown {
            tracing::warn!("Received 'UNKNOWN' call");
            return status(501, "501 Not Implemented.");
        }
        let name = type_name(&call);
        match self.dispatch_call(&framework_id, call) {
            Ok(()) => http::accepted(),
            // There being no inverse offers, answering them does nothing,
            // as Mesos does with inverse offers no longer outstanding.
            Err(_) if matches!(kind, Type::AcceptInverseOffers | Type::DeclineInverseOffers) => {
                http::accepted()
            }
            Err(unsupported) => {
                tracing::warn!(
                    "Refusing {} call from framework {}: {}",
                    name,
                    framework_id.value,
                    unsupported.0
                );
                status(501, unsupported.0)
            }
        }
    }

    /// Starts the heartbeats on an HTTP framework's stream: one now, then
    /// one every `DEFAULT_HEARTBEAT_INTERVAL` (Mesos'
    /// `Framework::heartbeat`). Nothing for a driver framework.
    pub(in crate::master) fn start_heartbeats(&mut self, framework_id: &FrameworkId) {
        let stream_id = self
            .frameworks
            .get(framework_id)
            .and_then(|framework| framework.http())
            .map(|http| http.stream_id);
        if let Some(stream_id) = stream_id {
            self.heartbeat(framework_id.clone(), stream_id);
        }
    }

    /// Sends a HEARTBEAT while `stream_id` is the framework's stream, and
    /// the next one an interval later.
    fn heartbeat(&mut self, framework_id: FrameworkId, stream_id: Uuid) {
        let Some(framework) = self.frameworks.get(&framework_id) else {
            return;
        };
        let Some(http) = framework.http().filter(|http| http.stream_id == stream_id) else {
            return;
        };
        tracing::trace!("Sending heartbeat to framework {}", framework_id.value);
        let kind = crate::v1::scheduler::event::Type::Heartbeat;
        let event = crate::v1::scheduler::Event {
            r#type: Some(kind as i32),
            ..Default::default()
        };
        http.send(&event);
        framework.metrics.increment_event(kind);
        delay(
            DEFAULT_HEARTBEAT_INTERVAL,
            &self.self_pid(),
            move |master: &mut Master| master.heartbeat(framework_id, stream_id),
        );
    }

    /// An HTTP scheduler closed its stream: the framework is disconnected,
    /// unless it has subscribed on another stream since (Mesos'
    /// `exited(framework_id, http)`). Dispatched by name, for tests to
    /// await.
    pub fn http_exited(&mut self, framework_id: FrameworkId, stream_id: Uuid) {
        let Some(framework) = self.frameworks.get(&framework_id) else {
            return;
        };
        if framework.http().map(|http| http.stream_id) != Some(stream_id) {
            tracing::info!(
                "Ignoring disconnection for framework {} as it has already reconnected",
                framework_id.value
            );
            return;
        }
        self.disconnect_framework(&framework_id);
    }
}
