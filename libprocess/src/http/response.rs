//! Responses, and the constructors libprocess handlers use (`OK`,
//! `NotFound`, ...), with libprocess' default bodies.

use bytes::Bytes;

use super::{pipe, status_string, Headers};

const TEXT: &str = "text/plain; charset=utf-8";

/// A response body.
#[derive(Clone, Debug)]
pub enum Body {
    /// No body: `Content-Length: 0`.
    None,
    /// A body sent whole with its `Content-Length`.
    Bytes(Bytes),
    /// A body streamed from a pipe, chunked.
    Pipe(pipe::Reader),
}

/// An HTTP response.
#[derive(Clone, Debug)]
pub struct Response {
    /// The status code.
    pub code: u16,
    /// The headers (`Content-Length` and `Date` are filled in on the
    /// way out; `Content-Type` is the handler's).
    pub headers: Headers,
    /// The body.
    pub body: Body,
}

impl Response {
    /// A response with no body.
    pub fn new(code: u16) -> Response {
        Response {
            code,
            headers: Headers::new(),
            body: Body::None,
        }
    }

    /// A response with `body` of type `content_type`.
    pub fn with_body(code: u16, body: impl Into<Bytes>, content_type: &str) -> Response {
        let body = body.into();
        let mut headers = Headers::new();
        headers.insert("Content-Length", body.len().to_string());
        headers.insert("Content-Type", content_type);
        Response {
            code,
            headers,
            body: Body::Bytes(body),
        }
    }

    /// A response streaming what is written to the pipe `reader` reads.
    pub fn pipe(code: u16, reader: pipe::Reader) -> Response {
        Response {
            code,
            headers: Headers::new(),
            body: Body::Pipe(reader),
        }
    }

    /// The status line's text, as `200 OK`.
    pub fn status(&self) -> String {
        status_string(self.code)
    }

    /// The body's bytes (empty for a streamed body).
    pub fn body_bytes(&self) -> Bytes {
        match &self.body {
            Body::Bytes(bytes) => bytes.clone(),
            Body::None | Body::Pipe(_) => Bytes::new(),
        }
    }

    /// The pipe a streamed body is read from.
    pub fn reader(&self) -> Option<&pipe::Reader> {
        match &self.body {
            Body::Pipe(reader) => Some(reader),
            _ => None,
        }
    }
}

/// `200 OK`, with a text body unless `body` is empty.
pub fn ok(body: impl Into<Bytes>) -> Response {
    let body = body.into();
    if body.is_empty() {
        Response::new(200)
    } else {
        Response::with_body(200, body, TEXT)
    }
}

/// `200 OK` with a JSON body (a `serde_json::Value` or JSON text), or
/// JavaScript calling `jsonp` with it.
pub fn ok_json(value: impl std::fmt::Display, jsonp: Option<&str>) -> Response {
    match jsonp {
        Some(callback) => {
            Response::with_body(200, format!("{}({})", callback, value), "text/javascript")
        }
        None => Response::with_body(200, value.to_string(), "application/json"),
    }
}

/// `202 Accepted`.
pub fn accepted() -> Response {
    Response::new(202)
}

/// `307 Temporary Redirect` to `location`.
pub fn temporary_redirect(location: &str) -> Response {
    let mut response = Response::new(307);
    response.headers.insert("Location", location);
    response
}

fn text(code: u16, body: Option<String>) -> Response {
    let body = body.unwrap_or_else(|| format!("{}.", status_string(code)));
    Response::with_body(code, body, TEXT)
}

/// `400 Bad Request` (default body `400 Bad Request.`).
pub fn bad_request(body: Option<String>) -> Response {
    text(400, body)
}

/// `401 Unauthorized` with the `WWW-Authenticate` challenges.
pub fn unauthorized(challenges: &[String], body: Option<String>) -> Response {
    let mut response = text(401, body);
    response
        .headers
        .insert("WWW-Authenticate", challenges.join(", "));
    response
}

/// `403 Forbidden`.
pub fn forbidden(body: Option<String>) -> Response {
    text(403, body)
}

/// `404 Not Found`.
pub fn not_found(body: Option<String>) -> Response {
    text(404, body)
}

/// `405 Method Not Allowed`, listing the `allowed` methods.
pub fn method_not_allowed(allowed: &[&str], requested: Option<&str>) -> Response {
    let mut body = format!(
        "405 Method Not Allowed. Expecting one of {{ '{}' }}",
        allowed.join("', '")
    );
    if let Some(requested) = requested {
        body.push_str(&format!(", but received '{}'", requested));
    }
    body.push('.');
    let mut response = Response::with_body(405, body, TEXT);
    response.headers.insert("Allow", allowed.join(", "));
    response
}

/// `409 Conflict`.
pub fn conflict(body: Option<String>) -> Response {
    text(409, body)
}

/// `500 Internal Server Error`.
pub fn internal_server_error(body: Option<String>) -> Response {
    text(500, body)
}

/// `503 Service Unavailable`.
pub fn service_unavailable(body: Option<String>) -> Response {
    text(503, body)
}
