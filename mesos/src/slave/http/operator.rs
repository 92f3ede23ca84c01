//! The v1 operator API at `/slave(1)/api/v1` (Mesos' `slave::Http::api`):
//! a `mesos.v1.agent.Call` in JSON or protobuf (or RecordIO, for the
//! streaming calls), answered with a `mesos.v1.agent.Response` in the
//! encoding the `Accept` header allows, with Mesos' status codes and
//! texts for what it refuses.

use libprocess::http::help::{self, help as help_text};
use libprocess::http::{self, Request, Response};
use libprocess::Future;
use prost::Message;

use super::containers::ContainerFilter;
use super::validation::validate;
use crate::agent::{call, response, Call, Response as AgentResponse};
use crate::common::evolve::{devolve, evolve};
use crate::common::http::v1_json::as_v1_json_with_arrays;
use crate::common::http::{
    ok_message, parse_json, text, ContentType, APPLICATION_JSON, APPLICATION_PROTOBUF,
};
use crate::slave::Slave;

/// `application/recordio`: a stream of records, each a message.
const APPLICATION_RECORDIO: &str = "application/recordio";

/// The encoding of each record of a streamed request.
const MESSAGE_CONTENT_TYPE: &str = "Message-Content-Type";

/// The encodings a client takes for each record of a streamed response.
const MESSAGE_ACCEPT: &str = "Message-Accept";

/// The route's help.
pub fn help() -> String {
    help_text(
        &help::tldr("Endpoint for API calls against the agent."),
        Some(&help::description(&[
            "Returns 200 OK if the call is successful",
        ])),
        Some(&help::authentication(true)),
        None,
        None,
    )
}

/// How a request or response body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    Message(ContentType),
    /// RecordIO records, each a message in the given encoding.
    Stream(ContentType),
}

impl Media {
    fn name(self) -> &'static str {
        match self {
            Media::Message(content_type) => content_type.media_type(),
            Media::Stream(_) => APPLICATION_RECORDIO,
        }
    }
}

/// A response ready now, or one a snapshot of the metrics makes later.
enum Answer {
    Now(Response),
    Later(Future<Response>),
}

fn unsupported_media_type(body: String) -> Response {
    text(415, Some(body))
}

fn not_acceptable(body: String) -> Response {
    text(406, Some(body))
}

/// The request's `Content-Type` and, for a stream, its records' (Mesos'
/// checks, in its order).
fn content_type(request: &Request) -> Result<Media, Response> {
    let Some(header) = request.headers.get("Content-Type") else {
        return Err(http::bad_request(Some(
            "Expecting 'Content-Type' to be present".into(),
        )));
    };
    match header {
        APPLICATION_JSON => return message_content_type(request, ContentType::Json),
        APPLICATION_PROTOBUF => return message_content_type(request, ContentType::Protobuf),
        APPLICATION_RECORDIO => {}
        _ => {
            return Err(unsupported_media_type(format!(
                "Expecting 'Content-Type' of {} or {} or {}",
                APPLICATION_JSON, APPLICATION_PROTOBUF, APPLICATION_RECORDIO
            )))
        }
    }
    match request.headers.get(MESSAGE_CONTENT_TYPE) {
        None => Err(http::bad_request(Some(format!(
            "Expecting '{}' to be set for streaming requests",
            MESSAGE_CONTENT_TYPE
        )))),
        Some(APPLICATION_JSON) => Ok(Media::Stream(ContentType::Json)),
        Some(APPLICATION_PROTOBUF) => Ok(Media::Stream(ContentType::Protobuf)),
        Some(_) => Err(unsupported_media_type(format!(
            "Expecting '{}' of {} or {}",
            MESSAGE_CONTENT_TYPE, APPLICATION_JSON, APPLICATION_PROTOBUF
        ))),
    }
}

/// A non-streamed request must not say how its records are encoded.
fn message_content_type(request: &Request, content_type: ContentType) -> Result<Media, Response> {
    if request.headers.get(MESSAGE_CONTENT_TYPE).is_some() {
        return Err(unsupported_media_type(format!(
            "Expecting '{}' to be not set for non-streaming requests",
            MESSAGE_CONTENT_TYPE
        )));
    }
    Ok(Media::Message(content_type))
}

/// Whether `header` of the request allows `media_type` (an absent header
/// allows everything).
fn allows(request: &Request, header: &str, media_type: &str) -> bool {
    let Some(value) = request.headers.get(header) else {
        return true;
    };
    let mut probe = Request::new("POST", request.url.clone());
    probe.headers.insert("Accept", value);
    probe.accepts_media_type(media_type)
}

/// The encoding of the response the request accepts.
fn accept_type(request: &Request) -> Result<Media, Response> {
    let message = if request.accepts_media_type(APPLICATION_JSON) {
        ContentType::Json
    } else if request.accepts_media_type(APPLICATION_PROTOBUF) {
        ContentType::Protobuf
    } else if request.accepts_media_type(APPLICATION_RECORDIO) {
        if allows(request, MESSAGE_ACCEPT, APPLICATION_JSON) {
            return Ok(Media::Stream(ContentType::Json));
        } else if allows(request, MESSAGE_ACCEPT, APPLICATION_PROTOBUF) {
            return Ok(Media::Stream(ContentType::Protobuf));
        }
        return Err(not_acceptable(format!(
            "Expecting '{}' to allow {} or {}",
            MESSAGE_ACCEPT, APPLICATION_JSON, APPLICATION_PROTOBUF
        )));
    } else {
        return Err(not_acceptable(format!(
            "Expecting 'Accept' to allow {} or {} or {}",
            APPLICATION_JSON, APPLICATION_PROTOBUF, APPLICATION_RECORDIO
        )));
    };
    if request.headers.get(MESSAGE_ACCEPT).is_some() {
        return Err(not_acceptable(format!(
            "Expecting '{}' to be not set for non-streaming responses",
            MESSAGE_ACCEPT
        )));
    }
    Ok(Media::Message(message))
}

/// One message in `content_type` (Mesos' `deserialize<T>`); a protobuf
/// missing a required field does not parse.
fn deserialize(content_type: ContentType, bytes: &[u8]) -> Result<crate::v1::agent::Call, String> {
    match content_type {
        ContentType::Protobuf => crate::json::decode(bytes)
            .map_err(|_| "Failed to parse body into a protobuf object".to_string()),
        ContentType::Json => {
            let json = parse_json(bytes).map_err(|e| e.to_string())?;
            crate::json::parse(&json).map_err(|e| e.to_string())
        }
    }
}

/// The call in the body: the body itself, or a stream's first record.
fn parse_call(body: &[u8], media: Media) -> Result<Call, String> {
    let v1 = match media {
        Media::Message(content_type) => deserialize(content_type, body)?,
        Media::Stream(content_type) => {
            let records = stout::recordio::Decoder::new()
                .decode(body)
                .map_err(|e| e.to_string())?;
            let Some(record) = records.first() else {
                return Err("Received EOF while reading request body".into());
            };
            deserialize(content_type, record)?
        }
    };
    let call: Call = devolve(&v1).map_err(|e| e.to_string())?;
    validate(&call).map_err(|e| format!("Failed to validate agent::Call: {}", e))?;
    Ok(call)
}

/// `200 OK` with the v0 `response` as v1, in `content_type`. The state
/// calls' JSON is the v0 message with v1 names, listing the repeated
/// fields Mesos' writers always write (Mesos' `jsonifyGet*`); the other
/// calls' is the v1 message's.
fn respond(content_type: ContentType, response: &AgentResponse) -> Response {
    if content_type == ContentType::Protobuf {
        // The two schemas share field numbers: v0 bytes are v1 bytes.
        return Response::with_body(200, response.encode_to_vec(), APPLICATION_PROTOBUF);
    }
    if STATE_CALLS.contains(&response.r#type()) {
        let json = as_v1_json_with_arrays(response, ALWAYS_WRITTEN);
        return Response::with_body(200, json.to_string(), APPLICATION_JSON);
    }
    match evolve::<crate::v1::agent::Response>(response) {
        Ok(v1) => ok_message(content_type, &v1),
        Err(e) => http::internal_server_error(Some(e.to_string())),
    }
}

const STATE_CALLS: &[response::Type] = &[
    response::Type::GetState,
    response::Type::GetFrameworks,
    response::Type::GetExecutors,
    response::Type::GetTasks,
];

/// Where Mesos' JSON writers put arrays whatever their length.
const ALWAYS_WRITTEN: &[(&str, &[&str])] = &[
    ("/get_frameworks", FRAMEWORKS),
    ("/get_executors", EXECUTORS),
    ("/get_tasks", TASKS),
    ("/get_state/get_frameworks", FRAMEWORKS),
    ("/get_state/get_executors", EXECUTORS),
    ("/get_state/get_tasks", TASKS),
];
const FRAMEWORKS: &[&str] = &["frameworks", "completed_frameworks"];
const EXECUTORS: &[&str] = &["executors", "completed_executors"];
const TASKS: &[&str] = &[
    "pending_tasks",
    "queued_tasks",
    "launched_tasks",
    "terminated_tasks",
    "completed_tasks",
];

fn response(kind: response::Type, fill: impl FnOnce(&mut AgentResponse)) -> AgentResponse {
    let mut response = AgentResponse::default();
    response.set_type(kind);
    fill(&mut response);
    response
}

impl Slave {
    /// `POST /slave(1)/api/v1`.
    pub(super) fn api(&mut self, request: Request) -> Future<Response> {
        match self.api_call(&request) {
            Answer::Now(response) => Future::ready(response),
            Answer::Later(response) => response,
        }
    }

    fn api_call(&mut self, request: &Request) -> Answer {
        if let Some(response) = self.unavailable_while_recovering() {
            return Answer::Now(response);
        }
        if request.method != "POST" {
            return Answer::Now(http::method_not_allowed(&["POST"], Some(&request.method)));
        }
        // Mesos checks the request's encoding before the response's.
        let media = content_type(request).and_then(|content| Ok((content, accept_type(request)?)));
        let (content, accept) = match media {
            Ok(media) => media,
            Err(response) => return Answer::Now(response),
        };
        let call = match parse_call(&request.body, content) {
            Ok(call) => call,
            Err(e) => return Answer::Now(http::bad_request(Some(e))),
        };
        let name = call.r#type().as_str_name();
        // Only attaching to a container's input takes a stream, and only
        // attaching to its output or a session gives one.
        let streams_in = call.r#type() == call::Type::AttachContainerInput;
        let streams_out = matches!(
            call.r#type(),
            call::Type::AttachContainerOutput | call::Type::LaunchNestedContainerSession
        );
        match content {
            Media::Stream(_) if !streams_in => {
                return Answer::Now(unsupported_media_type(format!(
                    "Streaming 'Content-Type' {} is not supported for {} call",
                    content.name(),
                    name
                )))
            }
            Media::Message(_) if streams_in => {
                return Answer::Now(unsupported_media_type(format!(
                    "Expecting 'Content-Type' to be {} for {} call",
                    APPLICATION_RECORDIO, name
                )))
            }
            _ => {}
        }
        let accept = match accept {
            Media::Stream(_) if !streams_out => {
                return Answer::Now(not_acceptable(format!(
                    "Streaming response is not supported for {} call",
                    name
                )))
            }
            Media::Stream(content_type) | Media::Message(content_type) => content_type,
        };
        tracing::info!("Processing {} call", name);
        self.dispatch_call(call, accept)
    }

    fn dispatch_call(&mut self, call: Call, accept: ContentType) -> Answer {
        use response::Type as R;
        let answer = match call.r#type() {
            call::Type::Unknown => return Answer::Now(text(501, None)),
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
            call::Type::GetFrameworks => response(R::GetFrameworks, |r| {
                r.get_frameworks = Some(self.get_frameworks())
            }),
            call::Type::GetExecutors => response(R::GetExecutors, |r| {
                r.get_executors = Some(self.get_executors())
            }),
            call::Type::GetTasks => response(R::GetTasks, |r| r.get_tasks = Some(self.get_tasks())),
            // Draining comes with its issue: no drain config to show yet.
            call::Type::GetAgent => response(R::GetAgent, |r| {
                r.get_agent = Some(response::GetAgent {
                    slave_info: Some(self.info.clone()),
                    ..response::GetAgent::default()
                })
            }),
            call::Type::GetContainers => {
                let options = call.get_containers.unwrap_or_default();
                let filter = ContainerFilter {
                    container_id: None,
                    show_nested: options.show_nested(),
                };
                let answer = self.containers(filter).map(move |entries| {
                    let containers = entries.iter().map(|e| e.to_container()).collect();
                    let answer = response(R::GetContainers, |r| {
                        r.get_containers = Some(response::GetContainers { containers })
                    });
                    respond(accept, &answer)
                });
                return Answer::Later(answer);
            }
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
