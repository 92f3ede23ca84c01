//! The v1 operator API at `/master/api/v1` (Mesos' `Master::Http::api`):
//! a `mesos.v1.master.Call` in JSON or protobuf, answered with a
//! `mesos.v1.master.Response` in the encoding the `Accept` header allows,
//! with Mesos' status codes and texts for what it refuses.

use libprocess::http::{self, Request, Response};
use libprocess::Future;
use prost::Message;

use crate::common::evolve::{devolve, evolve};
use crate::common::http::v1_json::as_v1_json_with_arrays;
use crate::common::http::{
    accept_type, ok_message, parse_json, text, ContentType, APPLICATION_JSON, APPLICATION_PROTOBUF,
};
use crate::master::validation::call::validate;
use crate::master::{call, response, Call, Master, Response as MasterResponse};

/// The route's help.
pub const HELP: &str = "## TL;DR; ##\n\nEndpoint for API calls against the master.\n\n\
## DESCRIPTION ##\n\nReturns 200 OK when the request was processed successfully.\n\n\
Returns 307 TEMPORARY_REDIRECT redirect to the leading master when\ncurrent master is not the \
leader.\n\nReturns 503 SERVICE_UNAVAILABLE if the leading master cannot be\nfound.\n";

/// The body as a v1 call, with Mesos' answers to what does not parse.
fn parse_call(request: &Request) -> Result<crate::v1::master::Call, Response> {
    let Some(content_type) = request.headers.get("Content-Type") else {
        return Err(http::bad_request(Some(
            "Expecting 'Content-Type' to be present".into(),
        )));
    };
    if content_type == APPLICATION_PROTOBUF {
        crate::v1::master::Call::decode(request.body.as_ref())
            .map_err(|_| http::bad_request(Some("Failed to parse body into Call protobuf".into())))
    } else if content_type == APPLICATION_JSON {
        let json = parse_json(&request.body).map_err(|e| http::bad_request(Some(e.to_string())))?;
        crate::json::parse(&json).map_err(|e| {
            http::bad_request(Some(format!(
                "Failed to convert JSON into Call protobuf: {}",
                e
            )))
        })
    } else {
        Err(text(
            415,
            Some(format!(
                "Expecting 'Content-Type' of {} or {}",
                APPLICATION_JSON, APPLICATION_PROTOBUF
            )),
        ))
    }
}

/// `200 OK` with the v0 `response` as v1, in `content_type`. The state
/// calls' JSON is the v0 message with v1 names, listing the repeated
/// fields Mesos' writers always write (Mesos' `jsonifyGet*`); the other
/// calls' is the v1 message's.
fn respond(content_type: ContentType, response: &MasterResponse) -> Response {
    if content_type == ContentType::Protobuf {
        // The two schemas share field numbers: v0 bytes are v1 bytes.
        return Response::with_body(200, response.encode_to_vec(), APPLICATION_PROTOBUF);
    }
    if STATE_CALLS.contains(&response.r#type()) {
        let json = as_v1_json_with_arrays(response, ALWAYS_WRITTEN);
        return Response::with_body(200, json.to_string(), APPLICATION_JSON);
    }
    let mut v1: crate::v1::master::Response = match evolve(response) {
        Ok(v1) => v1,
        Err(e) => return http::internal_server_error(Some(e.to_string())),
    };
    // v1's `MasterInfo.Capability` has no QUOTA_V2: as in Mesos, where
    // parsing drops enum values a schema does not know, it has no type.
    let info = v1.get_master.as_mut().and_then(|m| m.master_info.as_mut());
    for capability in info.into_iter().flat_map(|i| i.capabilities.iter_mut()) {
        let known = capability
            .r#type
            .is_some_and(|t| crate::v1::master_info::capability::Type::try_from(t).is_ok());
        if !known {
            capability.r#type = None;
        }
    }
    ok_message(content_type, &v1)
}

const STATE_CALLS: &[response::Type] = &[
    response::Type::GetState,
    response::Type::GetAgents,
    response::Type::GetFrameworks,
    response::Type::GetExecutors,
    response::Type::GetTasks,
];

/// Where Mesos' JSON writers put arrays whatever their length.
const ALWAYS_WRITTEN: &[(&str, &[&str])] = &[
    ("/get_agents", AGENTS),
    ("/get_frameworks", FRAMEWORKS),
    ("/get_executors", EXECUTORS),
    ("/get_tasks", TASKS),
    ("/get_state/get_agents", AGENTS),
    ("/get_state/get_frameworks", FRAMEWORKS),
    ("/get_state/get_executors", EXECUTORS),
    ("/get_state/get_tasks", TASKS),
];
const AGENTS: &[&str] = &["agents", "recovered_agents"];
const FRAMEWORKS: &[&str] = &["frameworks", "completed_frameworks"];
const EXECUTORS: &[&str] = &["executors"];
const TASKS: &[&str] = &["tasks", "unreachable_tasks", "completed_tasks"];

/// A response ready now, or one a snapshot of the metrics makes later.
enum Answer {
    Now(Response),
    Later(Future<Response>),
}

fn response(kind: response::Type, fill: impl FnOnce(&mut MasterResponse)) -> MasterResponse {
    let mut response = MasterResponse::default();
    response.set_type(kind);
    fill(&mut response);
    response
}

impl Master {
    /// `POST /master/api/v1`.
    pub(super) fn api(&mut self, request: Request) -> Future<Response> {
        match self.api_call(&request) {
            Answer::Now(response) => Future::ready(response),
            Answer::Later(response) => response,
        }
    }

    fn api_call(&mut self, request: &Request) -> Answer {
        if !self.is_recovered() {
            return Answer::Now(http::service_unavailable(Some(
                "Master has not finished recovery".into(),
            )));
        }
        if request.method != "POST" {
            return Answer::Now(http::method_not_allowed(&["POST"], Some(&request.method)));
        }
        let v1 = match parse_call(request) {
            Ok(call) => call,
            Err(response) => return Answer::Now(response),
        };
        let call: Call = match devolve(&v1) {
            Ok(call) => call,
            Err(e) => return Answer::Now(http::bad_request(Some(e.to_string()))),
        };
        if let Err(e) = validate(&call) {
            return Answer::Now(http::bad_request(Some(format!(
                "Failed to validate master::Call: {}",
                e
            ))));
        }
        tracing::info!("Processing call {}", call.r#type().as_str_name());
        let Some(accept) = accept_type(request) else {
            return Answer::Now(text(
                406,
                Some(format!(
                    "Expecting 'Accept' to allow '{}' or '{}'",
                    APPLICATION_PROTOBUF, APPLICATION_JSON
                )),
            ));
        };
        use response::Type as R;
        let answer = match call.r#type() {
            call::Type::GetHealth => response(R::GetHealth, |r| {
                r.get_health = Some(response::GetHealth { healthy: true })
            }),
            call::Type::GetFlags => response(R::GetFlags, |r| r.get_flags = Some(self.get_flags())),
            call::Type::GetVersion => response(R::GetVersion, |r| {
                r.get_version = Some(response::GetVersion {
                    version_info: crate::version::version_info(),
                })
            }),
            call::Type::GetMetrics => {
                let timeout = call
                    .get_metrics
                    .and_then(|m| m.timeout)
                    .map(|t| stout::Duration::from_nanos(t.nanoseconds));
                return Answer::Later(get_metrics(timeout, accept));
            }
            call::Type::GetState => response(R::GetState, |r| r.get_state = Some(self.get_state())),
            call::Type::GetAgents => {
                response(R::GetAgents, |r| r.get_agents = Some(self.get_agents()))
            }
            call::Type::GetFrameworks => response(R::GetFrameworks, |r| {
                r.get_frameworks = Some(self.get_frameworks())
            }),
            call::Type::GetExecutors => response(R::GetExecutors, |r| {
                r.get_executors = Some(self.get_executors())
            }),
            call::Type::GetTasks => response(R::GetTasks, |r| r.get_tasks = Some(self.get_tasks())),
            call::Type::GetRoles => response(R::GetRoles, |r| r.get_roles = Some(self.get_roles())),
            call::Type::GetMaster => {
                response(R::GetMaster, |r| r.get_master = Some(self.get_master()))
            }
            call::Type::Unknown => return Answer::Now(text(501, None)),
            other => {
                return Answer::Now(text(
                    501,
                    Some(format!("Call {} is not supported yet", other.as_str_name())),
                ))
            }
        };
        Answer::Now(respond(accept, &answer))
    }
}

/// `GET_METRICS`: a snapshot of every metric, within `timeout` if given.
fn get_metrics(timeout: Option<stout::Duration>, accept: ContentType) -> Future<Response> {
    crate::common::http::metrics(timeout).map(move |metrics| {
        let answer = response(response::Type::GetMetrics, |r| {
            r.get_metrics = Some(response::GetMetrics { metrics })
        });
        respond(accept, &answer)
    })
}
