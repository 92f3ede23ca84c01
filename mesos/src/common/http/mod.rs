//! What Mesos' `common/http` holds that the HTTP APIs share: the
//! content types of their bodies, the JSON [`model`] of Mesos' types on
//! the classic endpoints, and the streamed connections events go out on.

use bytes::Bytes;
use libprocess::http::{Request, Response};

pub mod model;
mod streaming;
pub mod v1_json;

pub use streaming::StreamingHttpConnection;

/// `application/json`.
pub const APPLICATION_JSON: &str = "application/json";

/// `application/x-protobuf`.
pub const APPLICATION_PROTOBUF: &str = "application/x-protobuf";

/// How a v1 API call, event or response is encoded (Mesos'
/// `ContentType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentType {
    /// `application/x-protobuf`.
    Protobuf,
    /// `application/json`.
    Json,
}

impl ContentType {
    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ContentType::Protobuf => APPLICATION_PROTOBUF,
            ContentType::Json => APPLICATION_JSON,
        }
    }

    /// `message` in this encoding.
    pub fn serialize<M: crate::json::Reflect>(self, message: &M) -> Bytes {
        match self {
            ContentType::Protobuf => Bytes::from(message.encode_to_vec()),
            ContentType::Json => Bytes::from(crate::json::jsonify(message)),
        }
    }

    /// A message in this encoding, with Mesos' errors (`deserialize<T>`).
    pub fn deserialize<M: crate::json::Reflect>(self, bytes: &[u8]) -> stout::Try<M> {
        match self {
            ContentType::Protobuf => M::decode(bytes)
                .map_err(|_| stout::Error::new("Failed to parse body into a protobuf object")),
            ContentType::Json => {
                let json = parse_json(bytes)?;
                crate::json::parse::<M>(&json)
            }
        }
    }
}

/// A snapshot of every metric, within `timeout` if given, as the v1
/// operator APIs' `GET_METRICS` lists them.
pub fn metrics(timeout: Option<stout::Duration>) -> libprocess::Future<Vec<crate::Metric>> {
    libprocess::metrics::snapshot(timeout).map(|snapshot| {
        snapshot
            .iter()
            .map(|(name, value)| crate::Metric {
                name: name.clone(),
                value: Some(*value),
            })
            .collect()
    })
}

/// A body as JSON, with Mesos' error (`Failed to parse body into JSON:
/// ...`).
pub fn parse_json(bytes: &[u8]) -> stout::Try<serde_json::Value> {
    serde_json::from_slice(bytes)
        .map_err(|e| stout::Error::new(format!("Failed to parse body into JSON: {}", e)))
}

/// A v1 API call in `request`'s body, in its `Content-Type`, or the
/// response Mesos refuses it with (400, or 415 for another media type).
pub fn parse_call<M: crate::json::Reflect>(request: &Request) -> Result<M, Response> {
    let bad_request = |body: String| libprocess::http::bad_request(Some(body));
    let Some(content_type) = request.headers.get("Content-Type") else {
        return Err(bad_request(
            "Expecting 'Content-Type' to be present".to_string(),
        ));
    };
    if content_type == APPLICATION_PROTOBUF {
        // Missing required fields do not parse, as in protobuf.
        crate::json::decode(&request.body)
            .map_err(|_| bad_request("Failed to parse body into Call protobuf".to_string()))
    } else if content_type == APPLICATION_JSON {
        let json = parse_json(&request.body).map_err(|e| bad_request(e.to_string()))?;
        crate::json::parse(&json)
            .map_err(|e| bad_request(format!("Failed to convert JSON into Call protobuf: {}", e)))
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

/// `200 OK` with `value`, wrapped in the callback the request's `jsonp`
/// parameter names (Mesos' `OK(json, jsonp)`).
pub fn ok_json(value: &serde_json::Value, request: &Request) -> Response {
    libprocess::http::ok_json(value, request.url.query.get("jsonp").map(String::as_str))
}

/// A plain-text response with `code`, its body `body` or libprocess'
/// default (`501 Not Implemented.`).
pub fn text(code: u16, body: Option<String>) -> Response {
    let body = body.unwrap_or_else(|| format!("{}.", libprocess::http::status_string(code)));
    Response::with_body(code, body, "text/plain; charset=utf-8")
}

/// `200 OK` with `message` in `content_type`.
pub fn ok_message<M: crate::json::Reflect>(content_type: ContentType, message: &M) -> Response {
    Response::with_body(
        200,
        content_type.serialize(message),
        content_type.media_type(),
    )
}

/// The encoding the operator APIs answer in: JSON if the `Accept`
/// header allows it, else protobuf if it allows that.
pub fn accept_type(request: &Request) -> Option<ContentType> {
    if request.accepts_media_type(APPLICATION_JSON) {
        Some(ContentType::Json)
    } else if request.accepts_media_type(APPLICATION_PROTOBUF) {
        Some(ContentType::Protobuf)
    } else {
        None
    }
}
